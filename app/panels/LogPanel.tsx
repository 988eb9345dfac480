/**
 * The narrated log. "Story" (the default) shows the lines the engine marks as the story of the run (faults,
 * detections, restarts, restores, checkpoint results, savepoints, job status), kept from the start of the run;
 * "All" shows every recent line, with the barrier-level lines of each checkpoint folded into one row. Lines are
 * the engine's text, rendered as text; grouping reads the typed event (never the text). Each time is a link that
 * moves the playhead there.
 */
import { memo, useMemo, useState } from 'react';
import type { LogEntry, Topology } from '../../engine/protocol.ts';
import { allRows, groupSummary, linesByCheckpoint, resultIdOf, type LogRowModel } from './logRows.ts';
import { goToUs } from './checkpoints/goTo.ts';
import { formatTime } from '../format.ts';
import { subtaskLabel } from '../graph/layout.ts';
import { useLab } from '../store/index.ts';

const SHOWN = 150;

function who(topology: Topology | null, e: LogEntry): string | null {
  return e.subtask !== null && topology ? subtaskLabel(topology, e.subtask) : null;
}

function TimeLink({ time }: { time: number }) {
  return (
    <button
      type="button"
      className="mono log-time link-button"
      title="Move the playhead here"
      aria-label={`${formatTime(time)}: move the playhead here`}
      onClick={() => goToUs(time)}
    >
      {formatTime(time)}
    </button>
  );
}

function SubLines({ lines, topology }: { lines: readonly LogEntry[]; topology: Topology | null }) {
  return (
    <ol className="log-sub" aria-label="Barrier events of this checkpoint">
      {lines.map((e, i) => {
        const w = who(topology, e);
        return (
          <li key={i} data-kind={e.kind}>
            <span className="mono log-time">{formatTime(e.time)}</span>
            <span className="log-text">
              {w !== null && <strong>{w}: </strong>}
              {e.text}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** One line; memoized, so a new line at the top does not rebuild the others. */
const LogRow = memo(function LogRow({
  e,
  who,
  atPlayhead,
  sub,
  topology,
}: {
  e: LogEntry;
  who: string | null;
  atPlayhead: boolean;
  /** Barrier-level lines behind a checkpoint result (story view), or null. */
  sub: LogEntry[] | null;
  topology: Topology | null;
}) {
  const [open, setOpen] = useState(false);
  const expandable = e.detail !== null || (sub !== null && sub.length > 0);
  return (
    <li
      className={`log-${e.kind}${atPlayhead ? ' at-playhead' : ''}`}
      data-kind={e.kind}
      data-event={e.event.kind}
      data-story={e.story}
    >
      <TimeLink time={e.time} />
      <span className="badge log-kind">{e.kind}</span>
      <span className="log-text">
        {who !== null && <strong>{who}: </strong>}
        {e.text}
        {expandable && (
          <button
            type="button"
            className="log-expand link-button"
            aria-expanded={open}
            aria-label={open ? 'Hide details' : 'Show details'}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        )}
      </span>
      {open && (
        <div className="log-detail" data-testid="log-detail">
          {e.detail !== null && <pre>{e.detail}</pre>}
          {sub !== null && sub.length > 0 && <SubLines lines={sub} topology={topology} />}
        </div>
      )}
    </li>
  );
});

function GroupRow({
  row,
  topology,
}: {
  row: Extract<LogRowModel, { type: 'group' }>;
  topology: Topology | null;
}) {
  const [open, setOpen] = useState(false);
  const first = row.lines[0];
  return (
    <li className="log-group" data-testid="log-group" data-checkpoint={row.checkpointId}>
      <TimeLink time={first?.time ?? 0} />
      <span className="badge log-kind">barriers</span>
      <span className="log-text">
        <button
          type="button"
          className="link-button log-group-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {groupSummary(row.checkpointId, row.lines)} {open ? '▾' : '▸'}
        </button>
      </span>
      {open && (
        <div className="log-detail">
          <SubLines lines={row.lines} topology={topology} />
        </div>
      )}
    </li>
  );
}

type View = 'story' | 'all';

export function LogPanel() {
  const log = useLab((s) => s.log);
  const story = useLab((s) => s.story);
  const topology = useLab((s) => s.topology);
  const hidden = useLab((s) => s.hiddenKinds);
  const toggleKind = useLab((s) => s.toggleKind);
  const query = useLab((s) => s.logQuery);
  const setQuery = useLab((s) => s.setLogQuery);
  const now = useLab((s) => s.snapshot?.time ?? 0);
  const [view, setView] = useState<View>('story');
  const [storyShown, setStoryShown] = useState(SHOWN);
  const kinds = useMemo(() => [...new Set(log.map((e) => e.kind))].sort(), [log]);
  const q = query.trim().toLowerCase();
  const matches = useMemo(
    () => (e: LogEntry) => (q === '' || e.text.toLowerCase().includes(q)) && !hidden[e.kind],
    [q, hidden],
  );
  const rows = useMemo(() => (view === 'all' ? allRows(log, matches, SHOWN) : []), [view, log, matches]);
  const storyMatches = useMemo(
    () => (view === 'story' ? story.filter((e) => q === '' || e.text.toLowerCase().includes(q)) : []),
    [view, story, q],
  );
  const byCheckpoint = useMemo(
    () => (view === 'story' ? linesByCheckpoint(log) : new Map<number, LogEntry[]>()),
    [view, log],
  );
  const storyRows = storyMatches.slice(-storyShown).reverse();
  const earlier = storyMatches.length - storyRows.length;
  const empty = view === 'story' ? storyRows.length === 0 : rows.length === 0;
  return (
    <section className="card log-card" aria-labelledby="log-title" id="panel-log">
      <div className="card-head">
        <h2 id="log-title">Event log</h2>
        <div className="seg" role="group" aria-label="Which lines">
          <button
            type="button"
            aria-pressed={view === 'story'}
            data-testid="log-view-story"
            title="Faults, detections, restarts, restores, checkpoint results, savepoints and job status, since the start"
            onClick={() => setView('story')}
          >
            Story <span className="muted">{story.length}</span>
          </button>
          <button
            type="button"
            aria-pressed={view === 'all'}
            data-testid="log-view-all"
            title="Every recent line, barrier events folded per checkpoint"
            onClick={() => setView('all')}
          >
            All <span className="muted">{log.length}</span>
          </button>
        </div>
      </div>
      <div className="log-filters">
        <input
          type="search"
          placeholder="Filter text…"
          aria-label="Filter the log by text"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {view === 'all' && (
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
        )}
      </div>
      {empty ? (
        <p className="empty">
          {view === 'story' && story.length === 0
            ? 'Nothing notable yet: faults, restarts and checkpoint results appear here. "All" shows every step.'
            : log.length === 0
              ? 'Nothing has happened yet.'
              : 'No event matches the filter.'}
        </p>
      ) : view === 'story' ? (
        <>
          <ol
            className="log"
            aria-label="The story of the run, newest first"
            data-testid="log"
            data-view="story"
          >
            {storyRows.map((e, i) => {
              const id = resultIdOf(e.event);
              return (
                <LogRow
                  key={`${storyMatches.length - i}:${e.time}`}
                  e={e}
                  who={who(topology, e)}
                  atPlayhead={e.time === now}
                  sub={id !== null ? (byCheckpoint.get(id) ?? null) : null}
                  topology={topology}
                />
              );
            })}
          </ol>
          {earlier > 0 && (
            <button
              type="button"
              className="link-button log-more"
              onClick={() => setStoryShown(storyShown + SHOWN)}
            >
              Show {Math.min(SHOWN, earlier)} earlier of {earlier}
            </button>
          )}
        </>
      ) : (
        <ol className="log" aria-label="Events, newest first" data-testid="log" data-view="all">
          {rows.map((r) =>
            r.type === 'group' ? (
              <GroupRow key={r.key} row={r} topology={topology} />
            ) : (
              <LogRow
                key={r.key}
                e={r.e}
                who={who(topology, r.e)}
                atPlayhead={r.e.time === now}
                sub={null}
                topology={topology}
              />
            ),
          )}
        </ol>
      )}
    </section>
  );
}
