import type { FaultCommand } from '../../engine/protocol.ts';
import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

export type MainTab = 'checkpoints' | 'state' | 'subtasks';
export type CheckpointTab = 'overview' | 'history' | 'summary' | 'config' | 'timeline' | 'stored';

/** What a context menu is about: the target of its fault-injection actions. */
export type MenuTarget =
  | { kind: 'subtask'; subtask: number }
  | { kind: 'taskManager'; tm: number }
  | { kind: 'storage' }
  | { kind: 'channel'; channel: number }
  | { kind: 'stop' };

export interface MenuState {
  target: MenuTarget;
  /** Viewport coordinates of the anchor (the menu opens below/right of it). */
  x: number;
  y: number;
  /** Element to give focus back to when the menu closes. */
  returnFocus: HTMLElement | null;
}

export type Dialog = 'help' | 'restart' | 'schedule-fault' | 'compare' | 'share-link' | 'scenarios' | null;

/** UI-only state: what is selected, expanded, open. */
export interface ViewSlice {
  collapsed: Record<string, boolean>;
  selectedSubtask: number | null;
  selectedCheckpoint: number | null;
  mainTab: MainTab;
  checkpointTab: CheckpointTab;
  menu: MenuState | null;
  dialog: Dialog;
  /** The target (and default kind) of the schedule-fault dialog. */
  scheduleDraft: FaultCommand | null;
  openScheduleFault: (draft: FaultCommand) => void;
  /** Log kinds hidden by the filter, and the text filter. */
  hiddenKinds: Record<string, boolean>;
  logQuery: string;
  toggleCollapsed: (vertexId: string) => void;
  selectSubtask: (subtask: number | null) => void;
  selectCheckpoint: (id: number | null) => void;
  setMainTab: (tab: MainTab) => void;
  setCheckpointTab: (tab: CheckpointTab) => void;
  openMenu: (menu: MenuState | null) => void;
  setDialog: (dialog: Dialog) => void;
  toggleKind: (kind: string) => void;
  setLogQuery: (q: string) => void;
}

export const createViewSlice: StateCreator<LabState, [], [], ViewSlice> = (set) => ({
  collapsed: {},
  selectedSubtask: null,
  selectedCheckpoint: null,
  mainTab: 'checkpoints',
  checkpointTab: 'overview',
  menu: null,
  dialog: null,
  scheduleDraft: null,
  openScheduleFault: (draft) => set({ scheduleDraft: draft, dialog: 'schedule-fault' }),
  hiddenKinds: {},
  logQuery: '',
  toggleCollapsed: (vertexId) =>
    set((s) => ({ collapsed: { ...s.collapsed, [vertexId]: !s.collapsed[vertexId] } })),
  selectSubtask: (selectedSubtask) => set({ selectedSubtask }),
  selectCheckpoint: (selectedCheckpoint) => set({ selectedCheckpoint }),
  setMainTab: (mainTab) => set({ mainTab }),
  setCheckpointTab: (checkpointTab) => set({ checkpointTab }),
  openMenu: (menu) => set({ menu }),
  setDialog: (dialog) => set({ dialog }),
  toggleKind: (kind) => set((s) => ({ hiddenKinds: { ...s.hiddenKinds, [kind]: !s.hiddenKinds[kind] } })),
  setLogQuery: (logQuery) => set({ logQuery }),
});
