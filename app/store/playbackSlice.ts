import type { StateCreator } from 'zustand';
import type { LabState } from './index.ts';

/** Playback speeds as multiples of real time. */
export const SPEEDS = [0.1, 0.25, 1, 4, 20] as const;
export type Speed = (typeof SPEEDS)[number];

export interface PlaybackSlice {
  playing: boolean;
  speed: Speed;
  /** A command is in progress (load, run to): controls wait for it. */
  busy: boolean;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: Speed) => void;
  setBusy: (busy: boolean) => void;
}

export const createPlaybackSlice: StateCreator<LabState, [], [], PlaybackSlice> = (set) => ({
  playing: false,
  speed: 1,
  busy: false,
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
  setBusy: (busy) => set({ busy }),
});
