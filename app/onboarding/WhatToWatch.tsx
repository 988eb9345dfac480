/**
 * The loaded preset's description, on the page (not only in a tooltip): a collapsible "What to watch" strip. It
 * also says which clock is which, since the header shows virtual time and the watermarks event time.
 */
import { useState } from 'react';
import { Term } from '../glossary/Term.tsx';
import { LESSONS } from '../lessons/catalog.ts';
import { useLessons } from '../lessons/store.ts';
import { useLab } from '../store/index.ts';

export function WhatToWatch() {
  const presets = useLab((s) => s.presets);
  const source = useLab((s) => s.source);
  // Open on wide screens; on a phone it would push the graph below the fold.
  const [open, setOpen] = useState(() => window.innerWidth > 700);
  const openLesson = useLessons((s) => s.open);
  const inLesson = useLessons((s) => s.lessonId !== null);
  const preset = source?.kind === 'preset' ? presets.find((p) => p.id === source.id) : undefined;
  if (preset === undefined || preset.description === '') return null;
  const lesson = LESSONS.find((l) => l.preset === preset.id);
  return (
    <details
      className="watch-strip"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid="what-to-watch"
    >
      <summary>
        What to watch <span className="muted">· {preset.name}</span>
      </summary>
      <p>{preset.description}</p>
      {lesson !== undefined && !inLesson && (
        <p className="small">
          <button
            type="button"
            className="link-button"
            data-testid="watch-lesson"
            onClick={() => void openLesson(lesson.id, 0)}
          >
            Follow the guided lesson “{lesson.title}” ▸
          </button>
        </p>
      )}
      <p className="muted small">
        Two clocks: the header’s time and the scrubber are <Term id="virtual-time">virtual time</Term> (how
        long the simulated cluster has run); <Term id="watermark">watermarks</Term> and windows are in{' '}
        <Term id="event-time">event time</Term> (the timestamps inside the records).
      </p>
    </details>
  );
}
