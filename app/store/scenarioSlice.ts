import type { StateCreator } from 'zustand';
import type { ScenarioIssue, Topology } from '../../engine/protocol.ts';
import type { LabState } from './index.ts';

/** Where the loaded scenario came from, so a crashed worker can be recreated with it. */
export type ScenarioSource = { kind: 'preset'; id: string } | { kind: 'json'; json: unknown };

export interface PresetInfo {
  id: string;
  name: string;
  description: string;
}

export interface ScenarioSlice {
  topology: Topology | null;
  source: ScenarioSource | null;
  presets: PresetInfo[];
  loadErrors: ScenarioIssue[];
  /** A message for the user that is not an error of the scenario (e.g. the worker crashed and was restarted). */
  notice: string | null;
  setScenario: (topology: Topology, source: ScenarioSource) => void;
  setPresets: (presets: PresetInfo[]) => void;
  setLoadErrors: (errors: ScenarioIssue[]) => void;
  setNotice: (notice: string | null) => void;
}

export const createScenarioSlice: StateCreator<LabState, [], [], ScenarioSlice> = (set) => ({
  topology: null,
  source: null,
  presets: [],
  loadErrors: [],
  notice: null,
  setScenario: (topology, source) => set({ topology, source, loadErrors: [] }),
  setPresets: (presets) => set({ presets }),
  setLoadErrors: (loadErrors) => set({ loadErrors }),
  setNotice: (notice) => set({ notice }),
});
