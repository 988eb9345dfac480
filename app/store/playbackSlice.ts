import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

/** Playback speeds as multiples of real time: slow motion (barriers crawl) to fast-forward. */
export const SPEEDS = [0.01, 0.05, 0.1, 0.25, 1, 4, 20, 100] as const;
export type Speed = (typeof SPEEDS)[number];

export function speedLabel(s: Speed): string {
  return `${s}×`;
}

export interface PlaybackSlice {
  playing: boolean;
  speed: Speed;
  /** A command is in progress (load, run to, seek): controls wait for it. */
  busy: boolean;
  /** What the busy command is, for the status line (e.g. "Rebuilding the run to 12.000 s"). */
  busyLabel: string | null;
  /** Furthest virtual time reached on the current timeline (the scrubber's end). */
  maxTime: number;
  /** Where the current job started (0, or the savepoint's time for a job restarted from one). */
  minTime: number;
  /** Bumped when the timeline changes (a new run, or an action that forks it): cached details are stale. */
  runVersion: number;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: Speed) => void;
  setBusy: (busy: boolean, label?: string | null) => void;
  setMaxTime: (maxTime: number) => void;
  setMinTime: (minTime: number) => void;
  bumpRunVersion: () => void;
}

export const createPlaybackSlice: StateCreator<LabState, [], [], PlaybackSlice> = (set) => ({
  playing: false,
  speed: 1,
  busy: false,
  busyLabel: null,
  maxTime: 0,
  minTime: 0,
  runVersion: 0,
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
  setBusy: (busy, label = null) => set({ busy, busyLabel: busy ? label : null }),
  setMaxTime: (maxTime) => set({ maxTime }),
  setMinTime: (minTime) => set({ minTime }),
  bumpRunVersion: () => set((s) => ({ runVersion: s.runVersion + 1 })),
});
