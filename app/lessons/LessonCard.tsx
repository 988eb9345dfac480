/**
 * The lesson card: the step's text, its prediction (answered before the reveal), the learner's action, and Back /
 * Next. A ring marks the element the step is about. On a wide screen the card sits in a corner the ring is not
 * in; on a phone it is a sheet at the bottom and the page scrolls the element into the space above it.
 */
import { useEffect, useLayoutEffect, useState, type CSSProperties } from 'react';
import { useLab } from '../store/index.ts';
import { getLesson, LESSONS, lessonLink } from './catalog.ts';
import { prepareView, resolveSelector, visibleElement } from './highlight.ts';
import { LessonText } from './LessonText.tsx';
import { canGoNext, useLessons } from './store.ts';
import './lessons.css';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const PHONE = 700;

function useHighlightBox(selector: string | null, key: string): Box | null {
  const [box, setBox] = useState<Box | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      const r = visibleElement(selector)?.getBoundingClientRect();
      setBox((old) => {
        if (r === undefined) return null;
        const b = { left: r.left, top: r.top, width: r.width, height: r.height };
        return old !== null &&
          Math.abs(old.left - b.left) < 1 &&
          Math.abs(old.top - b.top) < 1 &&
          Math.abs(old.width - b.width) < 1 &&
          Math.abs(old.height - b.height) < 1
          ? old
          : b;
      });
    };
    measure();
    const timer = window.setInterval(measure, 250);
    window.addEventListener('resize', measure);
    window.addEventListener('scroll', measure, true);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('resize', measure);
      window.removeEventListener('scroll', measure, true);
    };
  }, [selector, key]);
  return box;
}

/** The ring around a box, at least 28 px each way (a horizontal channel's box is a line). */
function ringStyle(b: Box): CSSProperties {
  const w = Math.max(b.width + 10, 28);
  const h = Math.max(b.height + 10, 28);
  return { left: b.left + b.width / 2 - w / 2, top: b.top + b.height / 2 - h / 2, width: w, height: h };
}

/** Area of the box inside a region. */
function overlap(a: Box, b: { left: number; top: number; right: number; bottom: number }): number {
  const w = Math.min(a.left + a.width, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

export function LessonCard() {
  const s = useLessons();
  const topology = useLab((x) => x.topology);
  const lesson = s.lessonId === null ? undefined : getLesson(s.lessonId);
  const step = lesson?.steps[s.step];
  const selector = step?.highlight && s.phase !== 'done' ? resolveSelector(step.highlight, topology) : null;
  const box = useHighlightBox(selector, `${s.lessonId}:${s.step}:${s.phase}`);
  const phone = window.innerWidth <= PHONE;

  // At the step's moment: switch to the tab it talks about and bring its element into view.
  useEffect(() => {
    if (s.phase !== 'ready' || step === undefined) return;
    prepareView(step.highlight, topology);
    const raf = requestAnimationFrame(() => {
      const el = visibleElement(selector);
      if (el === null) return;
      el.scrollIntoView({ block: phone ? 'start' : 'nearest', inline: 'nearest', behavior: 'instant' });
      if (phone) window.scrollBy({ top: -Math.round(window.innerHeight * 0.16), behavior: 'instant' });
    });
    return () => cancelAnimationFrame(raf);
    // Once per step and moment, not on every topology object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.lessonId, s.step, s.phase, selector]);

  if (lesson === undefined || step === undefined) return null;
  const index = LESSONS.indexOf(lesson);
  const answer = s.progress[lesson.id]?.answers[s.step];
  const moving = s.phase === 'moving';
  const done = s.phase === 'done';
  const next = canGoNext(s);
  const last = s.step === lesson.steps.length - 1;
  const following = LESSONS[index + 1];

  // Wide screens: the bottom corner that hides less of the ringed element (bottom right when equal).
  let style: CSSProperties | undefined;
  if (!phone) {
    const w = Math.min(420, window.innerWidth - 24);
    const vh = window.innerHeight;
    const right = {
      left: window.innerWidth - w - 16,
      right: window.innerWidth - 16,
      top: vh - 380,
      bottom: vh,
    };
    const left = { left: 16, right: 16 + w, top: vh - 380, bottom: vh };
    style = box !== null && overlap(box, right) > overlap(box, left) ? { left: 16 } : { right: 16 };
  }

  return (
    <>
      {box !== null && (
        <div className="lesson-ring" aria-hidden="true" data-testid="lesson-ring" style={ringStyle(box)} />
      )}
      <section
        className={phone ? 'lesson-card sheet' : 'lesson-card'}
        style={style}
        data-testid="lesson-card"
        data-lesson={lesson.id}
        data-step={s.step + 1}
        data-phase={s.phase}
        aria-labelledby="lesson-title"
        aria-busy={moving}
      >
        <header className="lesson-head">
          <span className="lesson-kicker">
            Lesson {index + 1} · {done ? 'complete' : `step ${s.step + 1} of ${lesson.steps.length}`}
          </span>
          <button
            type="button"
            className="lesson-close"
            aria-label="Leave the lesson"
            title="Leave the lesson (your progress is kept)"
            onClick={s.exit}
          >
            ×
          </button>
        </header>
        {done ? (
          <div className="lesson-body" data-testid="lesson-done">
            <h2 id="lesson-title">✓ {lesson.title}: done</h2>
            <p>You finished this lesson. The job keeps running: play it, or break something else.</p>
            <div className="lesson-foot">
              <button type="button" onClick={() => s.openCatalog(true)}>
                All lessons
              </button>
              {following && (
                <button type="button" className="primary" onClick={() => void s.open(following.id, 0)}>
                  Next: {following.title}
                </button>
              )}
            </div>
          </div>
        ) : (
          <>
            <div className="lesson-body">
              <h2 id="lesson-title">{step.title}</h2>
              <p className="lesson-text">
                <LessonText text={step.text} />
              </p>
              {moving && (
                <p className="lesson-moving" role="status">
                  <span className="lesson-spinner" aria-hidden="true" /> Running the job to this moment…
                </p>
              )}
              {s.error !== null && (
                <p className="lesson-error" role="alert">
                  {s.error}{' '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void s.open(lesson.id, s.step)}
                  >
                    Try again
                  </button>
                </p>
              )}
              {step.predict && (
                <div
                  className="lesson-predict"
                  role="group"
                  aria-labelledby="lesson-question"
                  data-testid="lesson-predict"
                >
                  <p className="lesson-question" id="lesson-question">
                    <span className="lesson-tag">Predict</span> <LessonText text={step.predict.question} />
                  </p>
                  <div className="lesson-choices">
                    {step.predict.choices.map((c, i) => {
                      const chosen = answer === i;
                      const state =
                        answer === undefined ? '' : c.correct ? ' right' : chosen ? ' wrong' : ' other';
                      return (
                        <button
                          key={i}
                          type="button"
                          className={`lesson-choice${state}`}
                          data-testid="lesson-choice"
                          aria-pressed={chosen}
                          disabled={answer !== undefined || moving}
                          onClick={() => s.choose(i)}
                        >
                          <span className="lesson-choice-mark" aria-hidden="true">
                            {answer === undefined
                              ? String.fromCharCode(65 + i)
                              : c.correct
                                ? '✓'
                                : chosen
                                  ? '✗'
                                  : ''}
                          </span>
                          <span>{c.text}</span>
                        </button>
                      );
                    })}
                  </div>
                  {answer !== undefined && (
                    <p className="lesson-reveal" data-testid="lesson-reveal" role="status">
                      <strong>{step.predict.choices[answer]?.correct ? 'Right. ' : 'Not quite. '}</strong>
                      {step.predict.choices[answer]?.why}{' '}
                      {!step.predict.choices[answer]?.correct &&
                        step.predict.choices.find((c) => c.correct)?.why}
                    </p>
                  )}
                </div>
              )}
              {step.act && (
                <div className="lesson-act-row">
                  {s.acted[s.step] ? (
                    <p className="lesson-acted" data-testid="lesson-acted">
                      ✓ Done: {step.act.label}
                    </p>
                  ) : (
                    <button
                      type="button"
                      className="primary lesson-act"
                      data-testid="lesson-act"
                      disabled={moving || s.acting || (step.predict !== undefined && answer === undefined)}
                      title={step.predict !== undefined && answer === undefined ? 'Predict first' : undefined}
                      onClick={() => void s.act()}
                    >
                      {s.acting ? 'Working…' : step.act.label}
                    </button>
                  )}
                </div>
              )}
            </div>
            <footer className="lesson-foot">
              <button
                type="button"
                data-testid="lesson-back"
                disabled={s.step === 0 || moving}
                onClick={() => void s.back()}
              >
                Back
              </button>
              <a
                className="lesson-link"
                href={lessonLink(lesson.id, s.step + 1, window.location.pathname)}
                data-testid="lesson-link"
                title="A link to this step"
              >
                Link to this step
              </a>
              <button
                type="button"
                className="primary"
                data-testid="lesson-next"
                disabled={!next}
                onClick={() => void s.next()}
              >
                {last ? 'Finish' : 'Next'}
              </button>
            </footer>
          </>
        )}
      </section>
    </>
  );
}
