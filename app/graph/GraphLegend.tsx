/** What the shapes and colours of the job graph mean. Every colour also has a shape or a word. */
import { useState } from 'react';
import { Term } from '../glossary/Term.tsx';
import { loadColors } from './flinkColors.ts';
import { PHASE_GLYPH, PHASE_WORDS, type PhaseKind } from './subtaskView.ts';

const PHASES: PhaseKind[] = ['waiting', 'aligning', 'sync', 'async', 'acknowledged', 'declined'];

function Gradient({ id, stops }: { id: string; stops: string[] }) {
  return (
    <svg width="64" height="12" aria-hidden="true">
      <defs>
        <linearGradient id={id}>
          {stops.map((c, i) => (
            <stop key={i} offset={`${(i / (stops.length - 1)) * 100}%`} stopColor={c} />
          ))}
        </linearGradient>
      </defs>
      <rect x="0" y="1" width="64" height="10" rx="3" fill={`url(#${id})`} />
    </svg>
  );
}

export function GraphLegend() {
  // Open on wide screens; on a phone it would push the graph's neighbours far down.
  const [open, setOpen] = useState(() => window.innerWidth > 700);
  return (
    <details className="legend-box" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Legend</summary>
      <ul className="legend" aria-label="Legend of the job graph">
        <li>
          <svg width="12" height="12" aria-hidden="true">
            <circle cx="6" cy="6" r="4" className="lg-data" />
          </svg>
          record buffer (size ~ records)
        </li>
        <li>
          <svg width="12" height="12" aria-hidden="true">
            <path d="M6 0 L11 6 L6 12 L1 6 Z" className="lg-watermark" />
          </svg>
          <span>
            <Term id="watermark">watermark</Term> (event time)
          </span>
        </li>
        <li>
          <svg width="16" height="20" aria-hidden="true">
            <rect x="1" y="0" width="14" height="8" rx="2" className="lg-barrier" />
            <text x="8" y="7" className="lg-barrier-text" textAnchor="middle">
              7
            </text>
            <rect x="5.5" y="9" width="5" height="11" className="lg-barrier" />
          </svg>
          <span>
            <Term id="barrier">barrier</Term> of <Term id="checkpoint">checkpoint</Term> 7
          </span>
        </li>
        <li>
          <svg width="12" height="12" aria-hidden="true">
            <rect x="2" y="2" width="8" height="8" className="lg-end" />
          </svg>
          end of input
        </li>
        <li>
          <span className="lg-pill blocked">‖ 3</span>
          <span>
            input blocked by <Term id="alignment">alignment</Term>, 3 buffers held
          </span>
        </li>
        <li>
          <span className="lg-pill stalled">≈ stalled</span>
          channel stalled by a fault (dashed)
        </li>
        <li>
          <Gradient
            id="lg-busy"
            stops={[loadColors(0, 0).fill, loadColors(0.5, 0).fill, loadColors(1, 0).fill]}
          />
          busy 0 → 100 %
        </li>
        <li>
          <Gradient
            id="lg-bp"
            stops={[loadColors(0, 0).fill, loadColors(0, 0.5).fill, loadColors(0, 1).fill]}
          />
          <span>
            <Term id="backpressure">back-pressured</Term> 0 → 100 % (Flink web UI colours)
          </span>
        </li>
        <li className="lg-phases">
          snapshot phase:{' '}
          {PHASES.map((p) => (
            <span key={p} className="lg-phase">
              {PHASE_GLYPH[p]} {PHASE_WORDS[p]}
            </span>
          ))}
        </li>
        <li>
          <svg width="16" height="12" aria-hidden="true">
            <rect
              x="0.5"
              y="0.5"
              width="15"
              height="11"
              rx="2"
              fill="url(#hatch-bad)"
              className="lg-failed"
            />
          </svg>
          <span>
            ✕ failed / canceled <Term id="subtask">subtask</Term>, ↻ restoring, hatched band = lost{' '}
            <Term id="taskmanager">TaskManager</Term>
          </span>
        </li>
      </ul>
    </details>
  );
}
