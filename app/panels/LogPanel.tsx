/** Narrated engine events (frame.log), newest first. Text from the engine is rendered as text. */
import { formatTime } from '../format.ts';
import { subtaskLabel } from '../graph/layout.ts';
import { useLab } from '../store/index.ts';

const SHOWN = 80;

export function LogPanel() {
  const log = useLab((s) => s.log);
  const topology = useLab((s) => s.topology);
  const entries = log.slice(-SHOWN).reverse();
  return (
    <section className="card log-card" aria-labelledby="log-title">
      <div className="card-head">
        <h2 id="log-title">Event log</h2>
        <span className="muted">
          {log.length === 0 ? '' : log.length === 1 ? '1 event' : `${log.length} events`}
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="empty">Nothing has happened yet.</p>
      ) : (
        <ol className="log" aria-label="Events, newest first">
          {entries.map((e, i) => (
            <li key={log.length - i} className={`log-${e.kind}`}>
              <span className="mono log-time">{formatTime(e.time)}</span>
              <span className="badge log-kind">{e.kind}</span>
              <span className="log-text">
                {e.subtask !== null && topology && <strong>{subtaskLabel(topology, e.subtask)}: </strong>}
                {e.text}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
