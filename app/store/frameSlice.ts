import type { StateCreator } from 'zustand';
import type { Frame, LogEntry } from '../../engine/protocol.ts';
import type { LabState } from './index.ts';

/** How many log entries the UI keeps. */
export const LOG_LIMIT = 1000;

/**
 * What the panels' engine queries answered at exactly the published frame (issue 10 §2: one moment per screen).
 * `seq` and `time` are the frame's; a panel renders its entry only together with that frame.
 */
export interface Moment {
  seq: number;
  time: number;
  data: Record<string, unknown>;
}

/** The frame React panels render, with the query answers of the same moment (never one per frame too many). */
export interface FrameSlice {
  snapshot: Frame | null;
  moment: Moment;
  /** Newest last. */
  log: LogEntry[];
  /** Publishes a frame; `data` (the watched queries answered at this frame) replaces the moment's data when given. */
  publish: (frame: Frame, newEntries: LogEntry[], data?: Record<string, unknown>) => void;
  /** A new run or a rebuilt one (load, seek, restart): the log is the engine's own log of that run. */
  resetFrames: (frame: Frame) => void;
}

const emptyMoment: Moment = { seq: -1, time: -1, data: {} };

export const createFrameSlice: StateCreator<LabState, [], [], FrameSlice> = (set) => ({
  snapshot: null,
  moment: emptyMoment,
  log: [],
  publish: (frame, newEntries, data) =>
    set((s) => ({
      snapshot: frame,
      moment: data === undefined ? s.moment : { seq: frame.seq, time: frame.time, data },
      log: newEntries.length === 0 ? s.log : [...s.log, ...newEntries].slice(-LOG_LIMIT),
    })),
  resetFrames: (frame) =>
    set({
      snapshot: frame,
      moment: { seq: frame.seq, time: frame.time, data: {} },
      log: frame.log.slice(-LOG_LIMIT),
    }),
});
