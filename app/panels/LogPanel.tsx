/**
 * The narrated log (frame.log): every step in plain language, newest first, filterable by kind and text. Each
 * entry's time is a link that moves the playhead there. Engine text is rendered as text.
 */
import { memo, useMemo } from 'react';
import type { LogEntry } from '../../engine/protocol.ts';
import { goToUs } from './checkpoints/goTo.ts';
import { formatTime } from '../format.ts';
import { subtaskLabel } from '../graph/layout.ts';
import { useLab } from '../store/index.ts';

const SHOWN = 150;

/** One entry; memoized, so a new entry at the top does not rebuild the others. */
const LogRow = memo(function LogRow({
  e,
  who,
  atPlayhead,
}: {
  e: LogEntry;
  who: string | null;
  atPlayhead: boolean;
}) {
  return (
    <li className={`log-${e.kind}${atPlayhead ? ' at-playhead' : ''}`} data-kind={e.kind}>
      <button
        type="button"
        className="mono log-time link-button"
        title="Move the playhead here"
        aria-label={`${formatTime(e.time)}: move the playhead here`}
        onClick={() => goToUs(e.time)}
      >
        {formatTime(e.time)}
      </button>
      <span className="badge log-kind">{e.kind}</span>
      <span className="log-text">
        {who !== null && <strong>{who}: </strong>}
        {e.text}
      </span>
    </li>
  );
});

export function LogPanel() {
  const log = useLab((s) => s.log);
  const topology = useLab((s) => s.topology);
  const hidden = useLab((s) => s.hiddenKinds);
  const toggleKind = useLab((s) => s.toggleKind);
  const query = useLab((s) => s.logQuery);
  const setQuery = useLab((s) => s.setLogQuery);
  const now = useLab((s) => s.snapshot?.time ?? 0);
  const kinds = useMemo(() => [...new Set(log.map((e) => e.kind))].sort(), [log]);
  const q = query.trim().toLowerCase();
  const entries = useMemo(() => {
    const out: { e: (typeof log)[number]; i: number }[] = [];
    for (let i = log.length - 1; i >= 0 && out.length < SHOWN; i--) {
      const e = log[i];
      if (e === undefined || hidden[e.kind]) continue;
      if (q !== '' && !e.text.toLowerCase().includes(q)) continue;
      out.push({ e, i });
    }
    return out;
  }, [log, hidden, q]);
  return (
    <section className="card log-card" aria-labelledby="log-title" id="panel-log">
      <div className="card-head">
        <h2 id="log-title">Event log</h2>
        <span className="muted">{log.length === 1 ? '1 event' : `${log.length} events`}</span>
      </div>
      <div className="log-filters">
        <input
          type="search"
          placeholder="Filter text…"
          aria-label="Filter the log by text"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="chips" role="group" aria-label="Show kinds of events">
          {kinds.map((k) => (
            <button
              key={k}
              type="button"
              className={`chip log-${k}`}
              aria-pressed={!hidden[k]}
              onClick={() => toggleKind(k)}
            >
              {hidden[k] ? '○' : '●'} {k}
            </button>
          ))}
        </div>
      </div>
      {entries.length === 0 ? (
        <p className="empty">
          {log.length === 0 ? 'Nothing has happened yet.' : 'No event matches the filter.'}
        </p>
      ) : (
        <ol className="log" aria-label="Events, newest first" data-testid="log">
          {entries.map(({ e, i }) => (
            <LogRow
              key={i}
              e={e}
              who={e.subtask !== null && topology ? subtaskLabel(topology, e.subtask) : null}
              atPlayhead={e.time === now}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
