import type { StateCreator } from 'zustand';
import type { Frame, LogEntry } from '../../engine/protocol.ts';
import type { LabState } from './index.ts';

/** State sizes per subtask at one virtual time (for the State panel's charts). */
export interface StateSample {
  time: number;
  bytes: number[];
}

/** A point on the timeline worth a tick on the scrubber. */
export interface Mark {
  time: number;
  kind: 'completed' | 'failed' | 'fault' | 'recovery' | 'savepoint' | 'incorrect';
  label: string;
}

const MAX_SAMPLES = 1200;
const MAX_MARKS = 400;

/** Display classification of narrated events for the scrubber (the engine decides what happened). */
export function markOf(e: LogEntry): Mark | null {
  if (e.kind === 'fault') return { time: e.time, kind: 'fault', label: e.text };
  if (e.kind === 'recovery') return { time: e.time, kind: 'recovery', label: e.text };
  if (e.kind === 'checkpoint') {
    if (/^Checkpoint \d+ COMPLETED/.test(e.text))
      return { time: e.time, kind: e.text.includes('savepoint') ? 'savepoint' : 'completed', label: e.text };
    if (/^Checkpoint \d+ FAILED/.test(e.text)) return { time: e.time, kind: 'failed', label: e.text };
  }
  return null;
}

/** Time series the UI collects from frames: state sizes and timeline marks. Cut back on time travel. */
export interface HistorySlice {
  samples: StateSample[];
  marks: Mark[];
  record: (frame: Frame, entries: LogEntry[]) => void;
  /** Forget everything after `time` (an action there forked the timeline). */
  truncateHistory: (time: number) => void;
  /** Forget the samples after `time` (a seek back: the marks ahead stay, the same future replays). */
  truncateSamples: (time: number) => void;
  resetHistory: () => void;
  addMark: (mark: Mark) => void;
}

export const createHistorySlice: StateCreator<LabState, [], [], HistorySlice> = (set) => ({
  samples: [],
  marks: [],
  record: (frame, entries) =>
    set((s) => {
      let samples = s.samples;
      const last = samples[samples.length - 1];
      if (last === undefined || frame.time > last.time) {
        samples = [...samples, { time: frame.time, bytes: frame.stateBytes.slice() }];
        if (samples.length > MAX_SAMPLES)
          samples = samples.filter((_, i) => i % 2 === 0 || i === samples.length - 1);
      }
      let marks = s.marks;
      const lastMark = marks[marks.length - 1]?.time ?? -1;
      const added = entries.map(markOf).filter((m): m is Mark => m !== null && m.time > lastMark);
      if (added.length > 0) marks = [...marks, ...added].slice(-MAX_MARKS);
      return { samples, marks };
    }),
  truncateHistory: (time) =>
    set((s) => ({
      samples: s.samples.filter((x) => x.time <= time),
      marks: s.marks.filter((m) => m.time <= time),
    })),
  truncateSamples: (time) => set((s) => ({ samples: s.samples.filter((x) => x.time <= time) })),
  resetHistory: () => set({ samples: [], marks: [] }),
  addMark: (mark) =>
    set((s) =>
      s.marks.some((m) => m.kind === mark.kind && Math.abs(m.time - mark.time) < 100_000)
        ? s
        : { marks: [...s.marks, mark].sort((a, b) => a.time - b.time).slice(-MAX_MARKS) },
    ),
});
