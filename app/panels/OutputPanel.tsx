/**
 * Output and correctness: what each sink committed and what is still uncommitted, checked live against the
 * failure-free run of the same seed (the engine computes the verdicts). What the sink's delivery mode guarantees,
 * with a one-click switch between the modes (it reloads the scenario). Window results as a key-by-window table
 * whose key column stays put while scrolling; duplicates and losses are highlighted with the number of extra or
 * missing records, and marked on the timeline the moment they appear.
 */
import { useEffect, useRef } from 'react';
import type { CorrectnessView, SinkView } from '../../engine/protocol.ts';
import { DELIVERY_MEANING, DeliverySwitch } from '../editor/QuickSwitches.tsx';
import type { Delivery } from '../editor/scenarioDocument.ts';
import { engineClient } from '../engineClient.ts';
import { formatCount, formatEventTime, formatTime } from '../format.ts';
import { useEngineQuery } from '../hooks/useEngineQuery.ts';
import { useLab } from '../store/index.ts';
import './outputPanel.css';

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

function Verdict({ check }: { check: SinkCheck }) {
  if (!check.checked)
    return (
      <div
        className="verdict"
        data-tone="empty"
        data-testid="correctness-verdict"
        data-sink={check.id}
        data-duplicates={0}
        data-lost={0}
        data-unexpected={0}
        role="status"
      >
        <span className="verdict-glyph" aria-hidden="true">
          ○
        </span>
        <span>
          <strong>Nothing to check yet:</strong> no record has reached the sink. Press Play.
        </span>
      </div>
    );
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

/** How a window cell differs from the failure-free run, in records (display arithmetic on the engine's cell). */
function cellDelta(cell: NonNullable<SinkCheck['windows']>['cells'][number][number]): {
  main: string;
  badge: string | null;
  explain: string;
} {
  const { values, expected, verdict } = cell;
  const n = values.length;
  switch (verdict) {
    case 'ok':
      return {
        main: values.map(formatCount).join(' + '),
        badge: null,
        explain: 'as in the failure-free run',
      };
    case 'duplicate':
      return {
        main: `${formatCount(values[0] ?? 0)} ×${n}`,
        badge: `+${n - 1}`,
        explain: `written ${n} times: ${n - 1} extra record${n - 1 === 1 ? '' : 's'}`,
      };
    case 'lost':
      return {
        main: 'missing',
        badge: '−1',
        explain: `no result although later windows have one: 1 missing record${expected !== null ? ` (expected ${formatCount(expected)})` : ''}`,
      };
    case 'unexpected': {
      const diff = expected === null ? null : (values[n - 1] ?? 0) - expected;
      return {
        main: values.map(formatCount).join(' + '),
        badge: diff === null ? '?' : `${diff > 0 ? '+' : '−'}${formatCount(Math.abs(diff))}`,
        explain:
          expected === null
            ? 'the failure-free run has no such result'
            : `differs from the failure-free run (${formatCount(expected)}) by ${diff !== null && diff > 0 ? '+' : '−'}${formatCount(Math.abs(diff ?? 0))}`,
      };
    }
    case 'pending':
      return {
        main: n === 0 ? '…' : values.map(formatCount).join(' + '),
        badge: null,
        explain: 'not committed yet',
      };
  }
}

function WindowTable({ w }: { w: NonNullable<SinkCheck['windows']> }) {
  const starts = w.windowStarts;
  const scroller = useRef<HTMLDivElement>(null);
  const newest = starts[starts.length - 1];
  // The first window with a duplicate or loss, else the newest, is kept in view (the key column stays pinned).
  const firstProblem = starts.findIndex((_, j) =>
    w.cells.some((row) => {
      const v = row[j]?.verdict;
      return v === 'duplicate' || v === 'lost' || v === 'unexpected';
    }),
  );
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const cell =
      firstProblem < 0 ? null : el.querySelector<HTMLElement>(`thead th:nth-child(${firstProblem + 2})`);
    const pin = el.querySelector<HTMLElement>('thead th.pin');
    el.scrollLeft = cell ? cell.offsetLeft - (pin?.offsetWidth ?? 0) - 4 : el.scrollWidth;
  }, [newest, firstProblem]);
  let extra = 0;
  let missing = 0;
  let differ = 0;
  for (const row of w.cells)
    for (const c of row) {
      if (c.verdict === 'duplicate') extra += c.values.length - 1;
      else if (c.verdict === 'lost') missing += 1;
      else if (c.verdict === 'unexpected') differ += 1;
    }
  return (
    <>
      <div
        className="table-scroll window-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label="Window results, scrolls sideways"
      >
        <table
          className="window-table"
          aria-label={`${w.valueField} per ${w.keyField} and window`}
          data-testid="window-table"
        >
          <thead>
            <tr>
              <th scope="col" className="pin">
                {w.keyField}
              </th>
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
                <th scope="row" className="pin">
                  {k}
                </th>
                {starts.map((s, j) => {
                  const cell = w.cells[ki]?.[j];
                  if (!cell) return <td key={s} />;
                  const v = VERDICT[cell.verdict];
                  const d = cellDelta(cell);
                  return (
                    <td
                      key={s}
                      className={`num cell-${v.tone}`}
                      data-verdict={cell.verdict}
                      data-extra={cell.verdict === 'duplicate' ? cell.values.length - 1 : undefined}
                      data-missing={cell.verdict === 'lost' ? 1 : undefined}
                      title={`${k}, window from ${formatEventTime(s)}: ${d.explain}`}
                    >
                      {cell.verdict !== 'ok' && cell.verdict !== 'pending' && (
                        <span aria-hidden="true">{v.glyph} </span>
                      )}
                      {d.main}
                      {d.badge !== null && (
                        <span className="delta" data-testid="cell-delta">
                          {d.badge}
                        </span>
                      )}
                      {cell.verdict !== 'ok' && <span className="visually-hidden"> ({d.explain})</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="window-legend muted small" data-testid="window-summary">
        {extra + missing + differ === 0 ? (
          <>
            Every committed cell shown matches the failure-free run (the table shows the newest windows; the
            counts above cover the whole run).
          </>
        ) : (
          <>
            {extra > 0 && (
              <span className="legend-warn">
                ⚠ ×2 = written twice: <strong>{formatCount(extra)} extra</strong> record
                {extra === 1 ? '' : 's'}
              </span>
            )}
            {missing > 0 && (
              <span className="legend-bad">
                ✕ <strong>{formatCount(missing)} missing</strong> result{missing === 1 ? '' : 's'}
              </span>
            )}
            {differ > 0 && (
              <span className="legend-bad">
                ? {formatCount(differ)} count{differ === 1 ? '' : 's'} differ from the failure-free run
              </span>
            )}
          </>
        )}
      </p>
    </>
  );
}

/** What the sink's delivery mode guarantees, and the switch between the modes. */
function DeliveryNote({ sinkId, delivery }: { sinkId: string; delivery: string }) {
  const intervalUs = useLab((s) => s.snapshot?.checkpoints.intervalUs ?? null);
  const meaning = DELIVERY_MEANING[delivery as Delivery] as string | undefined;
  return (
    <div className="delivery-note" data-testid="delivery-note" data-delivery={delivery}>
      <div className="delivery-row">
        <span className="field-label">Delivery</span>
        <DeliverySwitch sinkId={sinkId} variant="segmented" />
      </div>
      {meaning !== undefined && (
        <p className="small">
          <strong>{delivery}:</strong> {meaning}
        </p>
      )}
      {delivery === 'at-least-once' && (
        <p className="small muted">
          A window result is duplicated only when a failure comes after the window fired and before the next
          checkpoint completed
          {intervalUs !== null ? ` (here within ${formatTime(intervalUs).replace(/\.?0+ s$/, ' s')})` : ''};
          most failures therefore show none. Switch to exactly-once to rule them out.
        </p>
      )}
      {delivery === 'exactly-once' && intervalUs === null && (
        <p className="small warn-text">Checkpointing is off: nothing is ever committed.</p>
      )}
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
        {check && (
          <span
            className="muted"
            data-testid="check-time"
            title="The moment of the run this check belongs to"
          >
            checked at {formatTime(check.timeUs)}
          </span>
        )}
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
            {info?.delivery === 'exactly-once' && sink.written > sink.committed && (
              <p className="small muted" data-testid="sink-readers">
                A read-committed reader sees the {formatCount(sink.committed)} committed rows; a
                read-uncommitted reader sees all {formatCount(sink.written)}
                {sink.aborted > 0 ? `, including ${formatCount(sink.aborted)} of aborted transactions` : ''}.
              </p>
            )}
            {info && <DeliveryNote sinkId={sink.id} delivery={info.delivery} />}
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
