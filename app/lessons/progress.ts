/** Lesson progress, kept in this browser (localStorage): the furthest step reached, answers, and done. */
export const PROGRESS_KEY = 'checkpoint-lab.lessons.v1';

export interface LessonProgress {
  /** Furthest step shown (1-based); 0 = not started. */
  furthest: number;
  done: boolean;
  /** The learner's choice per step index (0-based). */
  answers: Record<number, number>;
}

export type ProgressMap = Record<string, LessonProgress>;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function valid(p: unknown): p is LessonProgress {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return typeof o.furthest === 'number' && typeof o.done === 'boolean' && typeof o.answers === 'object';
}

/** Stored progress; anything unreadable (another version, hand-edited) is ignored, never thrown. */
export function loadProgress(): ProgressMap {
  try {
    const raw = storage()?.getItem(PROGRESS_KEY);
    if (raw === null || raw === undefined) return {};
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: ProgressMap = {};
    for (const [id, p] of Object.entries(parsed)) if (valid(p)) out[id] = p;
    return out;
  } catch {
    return {};
  }
}

export function saveProgress(map: ProgressMap): void {
  try {
    storage()?.setItem(PROGRESS_KEY, JSON.stringify(map));
  } catch {
    // Private mode or full storage: progress lasts for this page only.
  }
}

export function emptyProgress(): LessonProgress {
  return { furthest: 0, done: false, answers: {} };
}
