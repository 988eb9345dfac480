/**
 * A word with its definition: hover or focus shows it, a tap (click) pins it until a tap elsewhere or Escape.
 * The definition is one or two sentences with a link to the Flink docs (glossary/terms.ts).
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { TERMS, type TermId } from './terms.ts';

const POP_W = 290;

export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const def = TERMS[id];
  const [hover, setHover] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [pos, setPos] = useState<{ left: number; top: number }>({ left: 8, top: 8 });
  const ref = useRef<HTMLSpanElement>(null);
  const popId = useId();
  const open = hover || pinned;

  const place = () => {
    const r = ref.current?.getBoundingClientRect();
    if (r === undefined) return;
    const w = Math.min(POP_W, window.innerWidth - 16);
    const left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
    const below = r.bottom + 6;
    // Above the word when there is no room below.
    const top = below + 150 > window.innerHeight && r.top > 160 ? r.top - 6 - 150 : below;
    setPos({ left, top });
  };

  useEffect(() => {
    if (!pinned) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      if (e.type === 'pointerdown' && ref.current?.contains(e.target as Node)) return;
      setPinned(false);
    };
    const onScroll = () => setPinned(false);
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [pinned]);

  return (
    <span
      ref={ref}
      className="term-wrap"
      onMouseEnter={() => {
        place();
        setHover(true);
      }}
      onMouseLeave={() => setHover(false)}
    >
      <button
        type="button"
        className="term"
        data-term={id}
        aria-expanded={open}
        aria-describedby={open ? popId : undefined}
        onFocus={() => {
          place();
          setHover(true);
        }}
        onBlur={() => setHover(false)}
        onClick={(e) => {
          e.stopPropagation();
          place();
          setPinned(!pinned);
        }}
      >
        {children ?? def.term}
      </button>
      {open && (
        <span
          id={popId}
          role="tooltip"
          className="term-pop"
          data-testid="term-definition"
          style={{ left: pos.left, top: pos.top, width: Math.min(POP_W, window.innerWidth - 16) }}
        >
          <strong>{def.term}.</strong> {def.text}{' '}
          {def.href !== null ? (
            <a href={def.href} target="_blank" rel="noreferrer">
              Flink docs ↗
            </a>
          ) : (
            <em className="muted">(a Checkpoint Lab term)</em>
          )}
        </span>
      )}
    </span>
  );
}
