/**
 * The Checkpoints panels' imported mode: statistics read from a real Flink cluster's GET /jobs/:jobid/checkpoints
 * (engine/flink/restImport.ts validates and normalizes the file). While a file is shown the panels are read-only:
 * no playhead links, no per-subtask details (the list endpoint does not carry them), and a banner says whose
 * numbers these are, with the way back to the simulation.
 */
import { createContext, useContext } from 'react';
import { create } from 'zustand';
import {
  parseCheckpointStats,
  type ImportedCheckpoint,
  type ImportedFile,
} from '../../../engine/flink/restImport.ts';
import { useLab } from '../../store/index.ts';
import { msTime, type CheckpointingStatistics, type CheckpointStatistics } from './rest.ts';

export interface ImportedState {
  file: ImportedFile | null;
  fileName: string | null;
  /** The last refused file's message (names the field), shown until the next attempt. */
  error: string | null;
  show: (file: ImportedFile, fileName: string) => void;
  /** Shows (or, with null, dismisses) the message of a refused file. */
  fail: (error: string | null) => void;
  clear: () => void;
}

export const useImported = create<ImportedState>()((set) => ({
  file: null,
  fileName: null,
  error: null,
  show: (file, fileName) => set({ file, fileName, error: null }),
  fail: (error) => set({ error }),
  clear: () => set({ file: null, fileName: null, error: null }),
}));

/** Reads, validates and shows a file; a bad file leaves the panels as they were and keeps the message. */
export function importText(text: string, fileName: string): boolean {
  const r = parseCheckpointStats(text, fileName);
  if (!r.ok) {
    useImported.getState().fail(r.error.startsWith(fileName) ? r.error : `${fileName}: ${r.error}`);
    return false;
  }
  useImported.getState().show(r.file, fileName);
  const lab = useLab.getState();
  lab.setMainTab('checkpoints');
  if (lab.checkpointTab === 'timeline' || lab.checkpointTab === 'config') lab.setCheckpointTab('overview');
  return true;
}

/** A REST timestamp as text: epoch ms from a real cluster as a UTC date and time, virtual ms as seconds. */
export function importedTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'n/a';
  if (ms < 1e12) return `${(ms / 1000).toFixed(3)} s`;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** True inside the Checkpoints panels while they show an imported file (read-only: no playhead links). */
export const ImportedMode = createContext(false);

/** The panels' time format: the simulator's virtual seconds, or an imported file's wall-clock times. */
export function usePanelTime(): (ms: number) => string {
  return useContext(ImportedMode) ? importedTime : msTime;
}

/** The imported statistics in the shape the panels read (the simulator's own 1.15+ REST shape). */
export function panelStats(file: ImportedFile): CheckpointingStatistics {
  const cp = (c: ImportedCheckpoint | null): CheckpointStatistics | null =>
    c === null ? null : { ...c, tasks: {} };
  const s = file.stats;
  return {
    counts: s.counts,
    summary: s.summary,
    latest: {
      completed: cp(s.latest.completed),
      savepoint: cp(s.latest.savepoint),
      failed: cp(s.latest.failed),
      restored: s.latest.restored,
    },
    history: s.history.map((c) => ({ ...c, tasks: {} })),
  };
}
