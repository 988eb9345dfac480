/**
 * The first-visit tour: its steps, whether it has been seen (localStorage) and whether it is open now (a tiny
 * zustand store of its own, so the help dialog can reopen it).
 */
import { create } from 'zustand';
import type { TermId } from '../glossary/terms.ts';

export const TOUR_KEY = 'checkpoint-lab.tour.v1';

export interface TourStep {
  id: string;
  /** CSS selector of what the step points at (the first visible match). */
  target: string;
  title: string;
  text: string;
  terms: TermId[];
}

export const TOUR_STEPS: TourStep[] = [
  {
    id: 'graph',
    target: '#panel-graph .graph-scroll',
    title: '1 / 5 · The job',
    text: 'Operators stand in columns, left to right. Each row is a slot of a TaskManager, so every box is one subtask running in one slot. Its colour shows how busy it is; the line under its name says where it is in the current checkpoint.',
    terms: ['subtask', 'taskmanager', 'slot'],
  },
  {
    id: 'barrier',
    target: '#panel-graph .legend-box',
    title: '2 / 5 · Barriers',
    text: 'Dots are buffers of records, diamonds watermarks, and the pink numbered tags checkpoint barriers. A task with two inputs waits for the barrier on both (alignment) and holds back the faster input: you see a ‖ gate with the buffers it holds.',
    terms: ['barrier', 'alignment', 'watermark'],
  },
  {
    id: 'checkpoints',
    target: '#panel-state',
    title: '3 / 5 · Checkpoints',
    text: 'Every checkpoint the JobManager triggers, like Flink’s web UI shows them: counts, history, timings and a timeline of each subtask’s snapshot phases. State and Subtasks are the other tabs.',
    terms: ['checkpoint', 'savepoint'],
  },
  {
    id: 'faults',
    target: '[data-testid="taskmanager"]',
    title: '4 / 5 · Break something',
    text: 'Click (or tap) a subtask, a TaskManager, a channel or the checkpoint storage: its menu injects a fault. Kill a TaskManager and watch the JobManager notice, restart the job and restore the latest checkpoint.',
    terms: ['taskmanager', 'jobmanager'],
  },
  {
    id: 'correctness',
    target: '#panel-output',
    title: '5 / 5 · Was it correct?',
    text: 'The sink’s output is checked against a reference run of the same job without failures: lost and duplicated records show up here. The event log beside it tells the story of the run.',
    terms: ['reference-run', 'exactly-once', 'at-least-once'],
  },
];

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function tourSeen(): boolean {
  return storage()?.getItem(TOUR_KEY) === 'done';
}

export function rememberTourSeen(): void {
  try {
    storage()?.setItem(TOUR_KEY, 'done');
  } catch {
    // Private mode: the tour shows again next time, nothing else breaks.
  }
}

/**
 * Open the tour by itself on a first visit. Automated browsers (navigator.webdriver) get it only with `?tour` in
 * the address, so test suites that do not look at it are not covered by it.
 */
export function shouldAutoOpen(): boolean {
  if (tourSeen()) return false;
  const automated = typeof navigator !== 'undefined' && navigator.webdriver;
  return !automated || new URLSearchParams(window.location.search).has('tour');
}

interface TourState {
  step: number | null;
  open: () => void;
  go: (step: number) => void;
  close: () => void;
}

export const useTour = create<TourState>()((set) => ({
  step: null,
  open: () => set({ step: 0 }),
  go: (step) => set({ step }),
  close: () => {
    rememberTourSeen();
    set({ step: null });
  },
}));
