/**
 * Output and correctness: what each sink committed and what is still uncommitted, checked live against the
 * failure-free run of the same seed (the engine computes the verdicts). Window results as a page-by-window table.
 * Duplicates and losses are marked on the timeline the moment they appear.
 */
import { useEffect, useRef } from 'react';
import type { CorrectnessView, SinkView } from '../../engine/protocol.ts';
import { engineClient } from '../engineClient.ts';
import { formatCount, formatEventTime } from '../format.ts';
import { useEngineQuery } from '../hooks/useEngineQuery.ts';
import { useLab } from '../store/index.ts';

type SinkCheck = CorrectnessView['sinks'][number];
type Verdict = 'ok' | 'duplicate' | 'lost' | 'unexpected' | 'pending';

const VERDICT: Record<Verdict, { glyph: string; word: string; tone: string }> = {
  ok: { glyph: '✓', word: 'ok', tone: 'ok' },
  duplicate: { glyph: '⚠', word: 'duplicate', tone: 'warn' },
  lost: { glyph: '✕', word: 'lost', tone: 'bad' },
  unexpected: { glyph: '?', word: 'unexpected', tone: 'bad' },
  pending: { glyph: '…', word: 'pending', tone: 'pending' },
};

const MAX_COLUMNS = 5;
const WINDOW_COLUMNS = 8;

function Verdict({ check }: { check: SinkCheck }) {
  const problems: string[] = [];
  if (check.lost > 0) problems.push(`${formatCount(check.lost)} lost`);
  if (check.duplicates > 0) problems.push(`${formatCount(check.duplicates)} duplicates`);
  if (check.unexpected > 0) problems.push(`${formatCount(check.unexpected)} unexpected`);
  const tone = check.lost > 0 || check.unexpected > 0 ? 'bad' : check.duplicates > 0 ? 'warn' : 'ok';
  return (
    <div
      className="verdict"
      data-tone={tone}
      data-testid="correctness-verdict"
      data-sink={check.id}
      data-duplicates={check.duplicates}
      data-lost={check.lost}
      data-unexpected={check.unexpected}
      role="status"
    >
      <span className="verdict-glyph" aria-hidden="true">
        {tone === 'ok' ? '✓' : tone === 'warn' ? '⚠' : '✕'}
      </span>
      <span>
        {problems.length === 0 ? (
          <>
            <strong>Correct so far:</strong> no loss, no duplicates against the failure-free run.
          </>
        ) : (
          <>
            <strong>{problems.join(', ')}</strong>{' '}
            {check.delivery === 'at-least-once' && check.duplicates > 0 && check.lost === 0
              ? '— an at-least-once sink replays what it wrote after the last checkpoint.'
              : 'against the failure-free run.'}
          </>
        )}
      </span>
    </div>
  );
}

function WindowTable({ w }: { w: NonNullable<SinkCheck['windows']> }) {
  const first = Math.max(0, w.windowStarts.length - WINDOW_COLUMNS);
  const starts = w.windowStarts.slice(first);
  const scroller = useRef<HTMLDivElement>(null);
  const newest = starts[starts.length - 1];
  useEffect(() => {
    // Keep the newest window in view.
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [newest]);
  return (
    <div className="table-scroll" ref={scroller}>
      <table
        className="window-table"
        aria-label={`${w.valueField} per ${w.keyField} and window`}
        data-testid="window-table"
      >
        <thead>
          <tr>
            <th scope="col">{w.keyField}</th>
            {starts.map((s) => (
              <th key={s} scope="col" className="num">
                {formatEventTime(s).replace(/\.000$/, '')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {w.keys.map((k, ki) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              {starts.map((s, j) => {
                const cell = w.cells[ki]?.[first + j];
                if (!cell) return <td key={s} />;
                const v = VERDICT[cell.verdict];
                const text =
                  cell.values.length === 0
                    ? cell.verdict === 'lost'
                      ? 'missing'
                      : ''
                    : cell.values.join(' + ');
                return (
                  <td
                    key={s}
                    className={`num cell-${v.tone}`}
                    data-verdict={cell.verdict}
                    title={`${k}, window from ${formatEventTime(s)}: ${v.word}${cell.expected !== null ? `, expected ${cell.expected}` : ''}`}
                  >
                    <span aria-hidden="true">{cell.verdict === 'ok' ? '' : `${v.glyph} `}</span>
                    {text}
                    {cell.verdict !== 'ok' && <span className="visually-hidden"> ({v.word})</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecentTable({ sink, check }: { sink: SinkView; check: SinkCheck | undefined }) {
  const rows = check ? check.recent : sink.recent.map((r) => ({ ...r, verdict: 'pending' as const }));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.row)))].slice(0, MAX_COLUMNS);
  const shown = rows.slice(-30).reverse();
  if (shown.length === 0) return <p className="empty">No records yet. Press Play.</p>;
  return (
    <div className="table-scroll sink-scroll">
      <table aria-label={`Newest records written by ${sink.id}`} data-testid="sink-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col" title="Visible to a read-committed reader">
              committed
            </th>
            <th scope="col">check</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => {
            const v = VERDICT[r.verdict];
            return (
              <tr
                key={rows.length - i}
                className={r.committed ? undefined : 'uncommitted'}
                data-verdict={r.verdict}
              >
                {columns.map((c) => (
                  <td key={c}>{r.row[c] ?? ''}</td>
                ))}
                <td className="commit">{r.committed ? '✓ yes' : 'pending'}</td>
                <td className={`cell-${v.tone}`}>
                  {v.glyph} {v.word}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Puts a tick on the timeline when a sink's duplicate or loss count first rises. */
function useIncorrectMarks(check: CorrectnessView | null) {
  const seen = useRef(new Map<string, number>());
  const version = useLab((s) => s.runVersion);
  useEffect(() => {
    seen.current.clear();
  }, [version]);
  useEffect(() => {
    if (check === null) return;
    const time = useLab.getState().snapshot?.time ?? 0;
    for (const s of check.sinks) {
      const bad = s.duplicates + s.lost + s.unexpected;
      const before = seen.current.get(s.id) ?? 0;
      if (bad > before)
        useLab.getState().addMark({
          time,
          kind: 'incorrect',
          label: `${s.id}: ${s.duplicates} duplicates, ${s.lost} lost`,
        });
      seen.current.set(s.id, bad);
    }
  }, [check]);
}

export function OutputPanel() {
  const allSinks = useLab((s) => s.snapshot?.sinks);
  const topologySinks = useLab((s) => s.topology?.sinks);
  const version = useLab((s) => s.runVersion);
  const check = useEngineQuery(() => engineClient.correctness(), `check:${version}`, { minIntervalMs: 300 });
  useIncorrectMarks(check);
  // One view per sink id (an engine may report a sink once per subtask; they carry the same topic view).
  const sinks = allSinks?.filter((s, i) => allSinks.findIndex((o) => o.id === s.id) === i) ?? [];
  return (
    <section className="card output-card" aria-labelledby="output-title" id="panel-output">
      <div className="card-head">
        <h2 id="output-title">Output &amp; correctness</h2>
        {check && <span className="muted">reference run at {(check.referenceTime / 1e6).toFixed(1)} s</span>}
      </div>
      {sinks.length === 0 && <p className="empty">No sink in this scenario.</p>}
      {sinks.map((sink) => {
        const info = topologySinks?.find((t) => t.id === sink.id);
        const c = check?.sinks.find((s) => s.id === sink.id);
        return (
          <div key={sink.id} className="sink" data-testid="sink" data-sink={sink.id}>
            <p className="sink-meta">
              <strong>{sink.id}</strong>
              {info && (
                <span className="muted">
                  {' '}
                  → {info.topic} · <span data-testid="sink-delivery">{info.delivery}</span>
                </span>
              )}
              <span className="sink-counts">
                <span data-testid="sink-committed">{formatCount(sink.committed)}</span> committed ·{' '}
                <span data-testid="sink-uncommitted">{formatCount(sink.written - sink.committed)}</span>{' '}
                uncommitted
              </span>
            </p>
            {c ? (
              <Verdict check={c} />
            ) : (
              <p className="muted small">Checking against the failure-free run…</p>
            )}
            {c?.windows && <WindowTable w={c.windows} />}
            <details className="recent" open={!c?.windows}>
              <summary>Newest records</summary>
              <RecentTable sink={sink} check={c} />
            </details>
          </div>
        );
      })}
    </section>
  );
}
