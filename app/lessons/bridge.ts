/** The lessons' part of the test bridge (window.__lab): what the e2e needs to walk every lesson. */
import type { LabGlobal, LessonInfo, LessonStateInfo } from '../testBridge.ts';
import { useLab } from '../store/index.ts';
import { LESSONS, getLesson, lessonLink } from './catalog.ts';
import { resolveSelector, visibleElement } from './highlight.ts';
import { canGoNext, useLessons } from './store.ts';

export function lessonsInfo(): LessonInfo[] {
  return LESSONS.map((l) => ({
    id: l.id,
    title: l.title,
    link: lessonLink(l.id, 1),
    steps: l.steps.length,
    stepLinks: l.steps.map((_, i) => lessonLink(l.id, i + 1)),
    predictions: l.steps.flatMap((s, i) =>
      s.predict
        ? [
            {
              step: i + 1,
              question: s.predict.question,
              choices: s.predict.choices.map((c) => c.text),
              correct: s.predict.choices.findIndex((c) => c.correct === true),
            },
          ]
        : [],
    ),
    actions: l.steps.flatMap((s, i) =>
      s.act ? [{ step: i + 1, kind: s.act.kind, label: s.act.label }] : [],
    ),
  }));
}

export function lessonStateInfo(): LessonStateInfo | null {
  const s = useLessons.getState();
  const lesson = s.lessonId === null ? undefined : getLesson(s.lessonId);
  const step = lesson?.steps[s.step];
  if (lesson === undefined || step === undefined) return null;
  const selector = step.highlight ? resolveSelector(step.highlight, useLab.getState().topology) : null;
  return {
    id: lesson.id,
    step: s.step + 1,
    steps: lesson.steps.length,
    phase: s.phase,
    error: s.error,
    title: step.title,
    highlight: step.highlight
      ? { kind: step.highlight.kind, selector, found: visibleElement(selector) !== null }
      : null,
    answered: s.progress[lesson.id]?.answers[s.step] ?? null,
    act: step.act ? { kind: step.act.kind, label: step.act.label, done: s.acted[s.step] === true } : null,
    canNext: canGoNext(s),
  };
}

/** Adds the lesson methods to window.__lab (installed by the engine client) once it exists. */
export function installLessonBridge(): void {
  const g = globalThis as unknown as LabGlobal;
  const install = () => {
    const lab = g.__lab;
    if (lab === undefined) return false;
    lab.lessons = lessonsInfo;
    lab.lessonState = lessonStateInfo;
    return true;
  };
  if (install()) return;
  const timer = setInterval(() => {
    if (install()) clearInterval(timer);
  }, 50);
}
