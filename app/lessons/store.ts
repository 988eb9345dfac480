/**
 * The lesson being followed: which lesson and step, whether the run is still moving to the step's moment, the
 * learner's answers and actions. Moving back rebuilds the lesson up to that step (runner.rebuild), so a step
 * always shows the same moment, whether reached by Next, Back, a link or a reload. The address carries
 * `?lesson=<id>&step=<n>` (independent of the share link in the hash).
 */
import { create } from 'zustand';
import { getLesson, LESSONS } from './catalog.ts';
import { AppDriver } from './appDriver.ts';
import { emptyProgress, loadProgress, saveProgress, type ProgressMap } from './progress.ts';
import { perform, reach, rebuild } from './runner.ts';

export type LessonPhase = 'moving' | 'ready' | 'error' | 'done';

export interface LessonsState {
  catalogOpen: boolean;
  lessonId: string | null;
  /** 0-based. */
  step: number;
  phase: LessonPhase;
  error: string | null;
  /** Steps (0-based) whose action the learner performed in this run. */
  acted: Record<number, boolean>;
  acting: boolean;
  progress: ProgressMap;
  openCatalog: (open: boolean) => void;
  open: (id: string, step?: number) => Promise<void>;
  next: () => Promise<void>;
  back: () => Promise<void>;
  choose: (choice: number) => void;
  act: () => Promise<void>;
  exit: () => void;
  /** Starts a lesson again from its first step, forgetting its answers. */
  restart: (id: string) => Promise<void>;
  resetProgress: () => void;
}

const driver = new AppDriver();
/** Bumped by every move: a move that is no longer the latest stops where it is. */
let moveSeq = 0;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Writes `?lesson=&step=` (or removes them) without touching other parameters or the hash. */
function syncAddress(id: string | null, step: number, catalog: boolean): void {
  try {
    const url = new URL(window.location.href);
    if (id === null) {
      url.searchParams.delete('lesson');
      url.searchParams.delete('step');
    } else {
      url.searchParams.set('lesson', id);
      url.searchParams.set('step', String(step + 1));
    }
    if (catalog) url.searchParams.set('lessons', '');
    else url.searchParams.delete('lessons');
    const next = `${url.pathname}${url.search.replace(/lessons=(&|$)/, 'lessons$1')}${url.hash}`;
    if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`)
      window.history.replaceState(window.history.state, '', next);
  } catch {
    // Not in a browser (tests): nothing to sync.
  }
}

export const useLessons = create<LessonsState>()((set, get) => {
  const record = (id: string, step: number, patch: Partial<{ done: boolean; answer: number }> = {}) => {
    const progress = { ...get().progress };
    const p = { ...(progress[id] ?? emptyProgress()) };
    p.furthest = Math.max(p.furthest, step + 1);
    if (patch.done === true) p.done = true;
    if (patch.answer !== undefined) p.answers = { ...p.answers, [step]: patch.answer };
    progress[id] = p;
    saveProgress(progress);
    set({ progress });
  };

  return {
    catalogOpen: false,
    lessonId: null,
    step: 0,
    phase: 'ready',
    error: null,
    acted: {},
    acting: false,
    progress: loadProgress(),

    openCatalog: (catalogOpen) => {
      set({ catalogOpen });
      syncAddress(get().lessonId, get().step, catalogOpen);
    },

    open: async (id, step = 0) => {
      const lesson = getLesson(id);
      if (lesson === undefined) {
        set({ catalogOpen: true, error: null });
        throw new Error(`There is no lesson "${id}". The lessons are listed here.`);
      }
      const target = Math.max(0, Math.min(lesson.steps.length - 1, Math.floor(step)));
      const seq = ++moveSeq;
      set({ lessonId: id, step: target, phase: 'moving', error: null, acted: {}, catalogOpen: false });
      syncAddress(id, target, false);
      try {
        const r = await rebuild(lesson, target, driver, () => seq !== moveSeq);
        if (seq !== moveSeq) return;
        set(r.ok ? { phase: 'ready' } : { phase: 'error', error: r.message });
        record(id, target);
      } catch (err) {
        if (seq === moveSeq) set({ phase: 'error', error: message(err) });
      }
    },

    next: async () => {
      const { lessonId, step, phase } = get();
      const lesson = lessonId === null ? undefined : getLesson(lessonId);
      if (lesson === undefined || (phase !== 'ready' && phase !== 'error')) return;
      if (step >= lesson.steps.length - 1) {
        record(lesson.id, step, { done: true });
        set({ phase: 'done' });
        return;
      }
      const target = step + 1;
      const seq = ++moveSeq;
      set({ step: target, phase: 'moving', error: null });
      syncAddress(lesson.id, target, false);
      try {
        const r = await reach(lesson.steps[target]?.at, driver);
        if (seq !== moveSeq) return;
        set(r.ok ? { phase: 'ready' } : { phase: 'error', error: r.message });
        record(lesson.id, target);
      } catch (err) {
        if (seq === moveSeq) set({ phase: 'error', error: message(err) });
      }
    },

    back: async () => {
      const { lessonId, step, phase } = get();
      if (lessonId === null) return;
      if (phase === 'done') {
        set({ phase: 'ready' });
        return;
      }
      if (step > 0) await get().open(lessonId, step - 1);
    },

    choose: (choice) => {
      const { lessonId, step } = get();
      if (lessonId === null) return;
      const answered = get().progress[lessonId]?.answers[step];
      if (answered !== undefined) return;
      record(lessonId, step, { answer: choice });
    },

    act: async () => {
      const { lessonId, step, acted, acting } = get();
      const a = lessonId === null ? undefined : getLesson(lessonId)?.steps[step]?.act;
      if (a === undefined || acted[step] === true || acting) return;
      set({ acting: true, error: null });
      try {
        const r = await perform(a, driver);
        set(r.ok ? { acted: { ...get().acted, [step]: true } } : { error: r.message });
      } catch (err) {
        set({ error: message(err) });
      } finally {
        set({ acting: false });
      }
    },

    exit: () => {
      moveSeq++;
      set({ lessonId: null, step: 0, phase: 'ready', error: null, acted: {} });
      syncAddress(null, 0, get().catalogOpen);
    },

    restart: async (id) => {
      const progress = { ...get().progress };
      delete progress[id];
      saveProgress(progress);
      set({ progress });
      await get().open(id, 0);
    },

    resetProgress: () => {
      saveProgress({});
      set({ progress: {} });
    },
  };
});

/** Whether Next is allowed: the run is at the step's moment, the prediction answered and the action done. */
export function canGoNext(s: LessonsState): boolean {
  const lesson = s.lessonId === null ? undefined : getLesson(s.lessonId);
  const step = lesson?.steps[s.step];
  if (lesson === undefined || step === undefined || s.phase !== 'ready') return false;
  if (step.predict !== undefined && s.progress[lesson.id]?.answers[s.step] === undefined) return false;
  if (step.act !== undefined && s.acted[s.step] !== true) return false;
  return true;
}

/** Opens what the address asks for: `?lesson=<id>&step=<n>` or `?lessons`. */
export function openFromAddress(search: string): Promise<void> | null {
  const params = new URLSearchParams(search);
  const id = params.get('lesson');
  if (id !== null) {
    const n = Number(params.get('step') ?? '1');
    return useLessons.getState().open(id, Number.isFinite(n) ? n - 1 : 0);
  }
  if (params.has('lessons')) useLessons.getState().openCatalog(true);
  return null;
}

export { LESSONS };
