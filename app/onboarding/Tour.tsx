/**
 * The tour: a card beside the part of the screen a step is about, with a ring around that part. Skippable at any
 * step; closing it (skip or done) is remembered, and the help dialog opens it again.
 */
import { useEffect, useLayoutEffect, useState, type CSSProperties } from 'react';
import { Term } from '../glossary/Term.tsx';
import { useLab } from '../store/index.ts';
import { shouldAutoOpen, TOUR_STEPS, useTour } from './tour.ts';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function visibleTarget(selector: string): HTMLElement | null {
  for (const el of document.querySelectorAll<HTMLElement>(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return el;
  }
  return null;
}

export function Tour() {
  const step = useTour((s) => s.step);
  const open = useTour((s) => s.open);
  const go = useTour((s) => s.go);
  const close = useTour((s) => s.close);
  const ready = useLab((s) => s.topology !== null);
  const [box, setBox] = useState<Box | null>(null);

  useEffect(() => {
    if (ready && shouldAutoOpen()) open();
  }, [ready, open]);

  const current = step === null ? undefined : TOUR_STEPS[step];

  useLayoutEffect(() => {
    if (current === undefined) return;
    const target = visibleTarget(current.target);
    // A folded part (the legend on a phone) is unfolded to be shown.
    if (target instanceof HTMLDetailsElement) target.open = true;
    target?.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
    const measure = () => {
      const r = visibleTarget(current.target)?.getBoundingClientRect();
      setBox(r === undefined ? null : { left: r.left, top: r.top, width: r.width, height: r.height });
    };
    const raf = requestAnimationFrame(measure);
    window.addEventListener('resize', measure);
    window.addEventListener('scroll', measure, true);
    return () => {
      cancelAnimationFrame(raf);
      window.removeEventListener('resize', measure);
      window.removeEventListener('scroll', measure, true);
    };
  }, [current]);

  useEffect(() => {
    if (step === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [step, close]);

  if (step === null || current === undefined) return null;
  const last = step === TOUR_STEPS.length - 1;
  const vh = window.innerHeight;
  // The card goes below the target if there is room, else above it, else at the bottom of the screen.
  let cardStyle: CSSProperties = { bottom: 12 };
  if (box !== null) {
    if (box.top + box.height + 230 < vh) cardStyle = { top: Math.max(8, box.top + box.height + 10) };
    else if (box.top > 240) cardStyle = { bottom: vh - box.top + 10 };
  }
  return (
    <div className="tour">
      {box !== null && (
        <div
          className="tour-ring"
          aria-hidden="true"
          style={{ left: box.left - 6, top: box.top - 6, width: box.width + 12, height: box.height + 12 }}
        />
      )}
      <section
        data-testid="tour"
        data-step={current.id}
        className="tour-card"
        role="dialog"
        aria-modal="false"
        aria-labelledby="tour-title"
        style={cardStyle}
      >
        <h2 id="tour-title">{current.title}</h2>
        <p>{current.text}</p>
        <p className="tour-terms muted small">
          Words:{' '}
          {current.terms.map((t, i) => (
            <span key={t}>
              {i > 0 && ', '}
              <Term id={t} />
            </span>
          ))}
        </p>
        <div className="tour-actions">
          <button type="button" className="link-button" data-testid="tour-skip" onClick={close}>
            Skip tour
          </button>
          <span className="tour-dots" aria-hidden="true">
            {TOUR_STEPS.map((s, i) => (
              <span key={s.id} className={i === step ? 'on' : ''} />
            ))}
          </span>
          {step > 0 && (
            <button type="button" onClick={() => go(step - 1)}>
              Back
            </button>
          )}
          <button
            type="button"
            className="primary"
            data-testid="tour-next"
            autoFocus
            onClick={() => (last ? close() : go(step + 1))}
          >
            {last ? 'Done' : 'Next'}
          </button>
        </div>
      </section>
    </div>
  );
}
