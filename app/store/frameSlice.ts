import type { StateCreator } from 'zustand';
import type { Frame, LogEntry } from '../../engine/protocol.ts';
import type { LabState } from './index.ts';

/** How many log entries the UI keeps. */
export const LOG_LIMIT = 1000;

/** Throttled view of the frame stream for React panels (a few updates a second, never one per frame). */
export interface FrameSlice {
  snapshot: Frame | null;
  /** Newest last. */
  log: LogEntry[];
  publish: (frame: Frame, newEntries: LogEntry[]) => void;
  /** A new run or a rebuilt one (load, seek, restart): the log is the engine's own log of that run. */
  resetFrames: (frame: Frame) => void;
}

export const createFrameSlice: StateCreator<LabState, [], [], FrameSlice> = (set) => ({
  snapshot: null,
  log: [],
  publish: (frame, newEntries) =>
    set((s) => ({
      snapshot: frame,
      log: newEntries.length === 0 ? s.log : [...s.log, ...newEntries].slice(-LOG_LIMIT),
    })),
  resetFrames: (frame) => set({ snapshot: frame, log: frame.log.slice(-LOG_LIMIT) }),
});
