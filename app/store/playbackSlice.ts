import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

/** Playback speeds as multiples of real time: slow motion (barriers crawl) to fast-forward. */
export const SPEEDS = [0.01, 0.05, 0.1, 0.25, 1, 4, 20, 100] as const;
export type Speed = (typeof SPEEDS)[number];

export function speedLabel(s: Speed): string {
  return `${s}×`;
}

const TEACHING_KEY = 'checkpoint-lab.teaching-time';

/** Teaching time is on unless the user switched it off (remembered in localStorage). */
function storedTeaching(): boolean {
  try {
    return globalThis.localStorage?.getItem(TEACHING_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** A long command (run to, seek, restore) in progress, in virtual time. */
export interface Progress {
  label: string;
  from: number;
  to: number;
  at: number;
}

export interface PlaybackSlice {
  playing: boolean;
  speed: Speed;
  /** A command is in progress (load, run to, seek): controls wait for it. */
  busy: boolean;
  /** What the busy command is, for the status line (e.g. "Rebuilding the run to 12.000 s"). */
  busyLabel: string | null;
  /** Progress of a long command, shown as a bar with Cancel; null when none runs or it has not reported yet. */
  progress: Progress | null;
  /** Furthest virtual time reached on the current timeline (the scrubber's end). */
  maxTime: number;
  /** Where the current job started (0, or the savepoint's time for a job restarted from one). */
  minTime: number;
  /** Bumped when the timeline changes (a new run, or an action that forks it): cached details are stale. */
  runVersion: number;
  /** Teaching time (issue 10 §1): playback eases into slow motion while a checkpoint is under way. */
  teaching: boolean;
  /** Playback is slowed for a checkpoint right now (the worker's pacing says so), with its id when known. */
  slowMotion: { checkpointId: number | null } | null;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: Speed) => void;
  setBusy: (busy: boolean, label?: string | null) => void;
  setProgress: (progress: Progress | null) => void;
  setMaxTime: (maxTime: number) => void;
  setMinTime: (minTime: number) => void;
  bumpRunVersion: () => void;
  setTeaching: (on: boolean) => void;
  setSlowMotion: (slow: { checkpointId: number | null } | null) => void;
}

export const createPlaybackSlice: StateCreator<LabState, [], [], PlaybackSlice> = (set) => ({
  playing: false,
  speed: 1,
  busy: false,
  busyLabel: null,
  progress: null,
  maxTime: 0,
  minTime: 0,
  runVersion: 0,
  teaching: storedTeaching(),
  slowMotion: null,
  setPlaying: (playing) => set(playing ? { playing } : { playing, slowMotion: null }),
  setSpeed: (speed) => set({ speed }),
  setBusy: (busy, label = null) =>
    set(busy ? { busy, busyLabel: label } : { busy, busyLabel: null, progress: null }),
  setProgress: (progress) => set({ progress }),
  setMaxTime: (maxTime) => set({ maxTime }),
  setMinTime: (minTime) => set({ minTime }),
  bumpRunVersion: () => set((s) => ({ runVersion: s.runVersion + 1 })),
  setTeaching: (teaching) => {
    try {
      globalThis.localStorage?.setItem(TEACHING_KEY, teaching ? 'on' : 'off');
    } catch {
      // private mode: the choice lasts for this page only
    }
    set(teaching ? { teaching } : { teaching, slowMotion: null });
  },
  setSlowMotion: (slowMotion) =>
    set((s) =>
      s.slowMotion?.checkpointId === slowMotion?.checkpointId &&
      (s.slowMotion === null) === (slowMotion === null)
        ? s
        : { slowMotion },
    ),
});
