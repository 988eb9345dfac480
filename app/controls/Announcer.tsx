/**
 * Tells screen-reader users what just happened (checkpoint completed or failed, fault, recovery, duplicates), at
 * most one message every few seconds, from the same marks the scrubber shows.
 */
import { useEffect, useRef, useState } from 'react';
import { useLab } from '../store/index.ts';

const EVERY_MS = 3000;

export function Announcer() {
  const last = useLab((s) => s.marks[s.marks.length - 1]);
  const playing = useLab((s) => s.playing);
  const [text, setText] = useState('');
  const shownAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    // Completed checkpoints come every interval: announce them only when the user steps.
    if (last === undefined || (last.kind === 'completed' && playing)) return;
    const show = () => {
      shownAt.current = performance.now();
      timer.current = null;
      setText(last.label);
    };
    const wait = EVERY_MS - (performance.now() - shownAt.current);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(show, Math.max(0, wait));
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [last, playing]);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
