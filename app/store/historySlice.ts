import type { StateCreator } from 'zustand';
import type { Frame, LogEntry, TimelineInfo } from '../../engine/protocol.ts';
import { appendStory, markOf, type Mark } from '../panels/logRows.ts';
import type { LabState } from './index.ts';

export { appendStory, markOf, type Mark };

/** State sizes per subtask at one virtual time (for the State panel's charts). */
export interface StateSample {
  time: number;
  bytes: number[];
}

const MAX_SAMPLES = 1200;
const MAX_MARKS = 400;

/** What the UI had collected on one timeline, kept while another timeline is shown (switching back restores it). */
interface TimelineHistory {
  samples: StateSample[];
  marks: Mark[];
  story: LogEntry[];
  maxTime: number;
}

/** Time series the UI collects from frames: state sizes, timeline marks and the story of the run. */
export interface HistorySlice {
  /** The run's timelines (the original and its forks) as the engine reports them; empty until known. */
  timelines: TimelineInfo[];
  setTimelines: (timelines: TimelineInfo[]) => void;
  /** Per timeline id: its history while another one is shown. */
  timelineHistory: Record<number, TimelineHistory>;
  /**
   * Keeps the current history (and scrubber end) under timeline `id`: what is shown is exact up to `upTo`; what was
   * kept before for the same timeline beyond `upTo` (its future, before a seek back dropped it) is kept too.
   */
  stashHistory: (id: number, maxTime: number, upTo: number) => void;
  /** Shows timeline `id`'s kept history; returns its scrubber end, or null when nothing was kept for it. */
  restoreHistory: (id: number) => number | null;
  samples: StateSample[];
  marks: Mark[];
  /** Every story line (LogEntry.story) since the start of the run, oldest first; never capped. */
  story: LogEntry[];
  record: (frame: Frame, entries: LogEntry[]) => void;
  /** Forget everything after `time` (an action there forked the timeline). */
  truncateHistory: (time: number) => void;
  /** Forget the samples and story after `time` (a seek back: the marks ahead stay, the same future replays). */
  truncateSamples: (time: number) => void;
  resetHistory: () => void;
  addMark: (mark: Mark) => void;
}

export const createHistorySlice: StateCreator<LabState, [], [], HistorySlice> = (set, get) => ({
  timelines: [],
  setTimelines: (timelines) => set({ timelines }),
  timelineHistory: {},
  stashHistory: (id, maxTime, upTo) =>
    set((s) => {
      const old = s.timelineHistory[id];
      // A timeline is deterministic: its kept history and the shown one agree up to `upTo`.
      const later = <T extends { time: number }>(mine: T[], kept: T[] | undefined): T[] => [
        ...mine.filter((x) => x.time <= upTo),
        ...(kept ?? []).filter((x) => x.time > upTo),
      ];
      const marks = later(s.marks, old?.marks);
      const seen = new Set(marks.map((m) => `${m.kind}@${m.time}`));
      for (const m of s.marks) if (m.time > upTo && !seen.has(`${m.kind}@${m.time}`)) marks.push(m);
      marks.sort((a, b) => a.time - b.time);
      return {
        timelineHistory: {
          ...s.timelineHistory,
          [id]: {
            samples: old && old.maxTime > upTo ? later(s.samples, old.samples) : s.samples,
            marks: old && old.maxTime > upTo ? marks : s.marks,
            story: old && old.maxTime > upTo ? later(s.story, old.story) : s.story,
            maxTime: Math.max(maxTime, old?.maxTime ?? 0),
          },
        },
      };
    }),
  restoreHistory: (id) => {
    const h = get().timelineHistory[id];
    if (h === undefined) return null;
    set({ samples: h.samples, marks: h.marks, story: h.story });
    return h.maxTime;
  },
  samples: [],
  marks: [],
  story: [],
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
      return { samples, marks, story: appendStory(s.story, entries) };
    }),
  truncateHistory: (time) =>
    set((s) => ({
      samples: s.samples.filter((x) => x.time <= time),
      marks: s.marks.filter((m) => m.time <= time),
      story: s.story.filter((e) => e.time <= time),
    })),
  truncateSamples: (time) =>
    set((s) => ({
      samples: s.samples.filter((x) => x.time <= time),
      story: s.story.filter((e) => e.time <= time),
    })),
  resetHistory: () => set({ samples: [], marks: [], story: [], timelines: [], timelineHistory: {} }),
  addMark: (mark) =>
    set((s) =>
      s.marks.some((m) => m.kind === mark.kind && Math.abs(m.time - mark.time) < 100_000)
        ? s
        : { marks: [...s.marks, mark].sort((a, b) => a.time - b.time).slice(-MAX_MARKS) },
    ),
});
