/** The newest records each sink wrote (frame.sinks[].recent), newest first. Rows are rendered as text. */
import { formatCount } from '../format.ts';
import { useLab } from '../store/index.ts';

const MAX_COLUMNS = 6;

export function SinkPanel() {
  const allSinks = useLab((s) => s.snapshot?.sinks);
  // One view per sink id (an engine may report a sink once per subtask; they carry the same topic view).
  const sinks = allSinks?.filter((s, i) => allSinks.findIndex((o) => o.id === s.id) === i);
  const topologySinks = useLab((s) => s.topology?.sinks);
  return (
    <section className="card sink-card" aria-labelledby="sink-title">
      <div className="card-head">
        <h2 id="sink-title">Sink output</h2>
      </div>
      {(sinks ?? []).length === 0 && <p className="empty">No sink in this scenario.</p>}
      {(sinks ?? []).map((sink) => {
        const info = topologySinks?.find((t) => t.id === sink.id);
        const columns = [...new Set(sink.recent.flatMap((r) => Object.keys(r.row)))].slice(0, MAX_COLUMNS);
        const rows = sink.recent.slice().reverse();
        return (
          <div key={sink.id} className="sink" data-testid="sink" data-sink={sink.id}>
            <p className="sink-meta">
              <strong>{sink.id}</strong>
              {info && (
                <span className="muted">
                  {' '}
                  → {info.topic} · {info.delivery}
                </span>
              )}
              <span className="sink-counts">
                <span data-testid="sink-written">{formatCount(sink.written)}</span> written ·{' '}
                <span data-testid="sink-committed">{formatCount(sink.committed)}</span> committed
              </span>
            </p>
            {rows.length === 0 ? (
              <p className="empty">No records yet. Press Play.</p>
            ) : (
              <div className="table-scroll">
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
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={sink.recent.length - i} className={r.committed ? '' : 'uncommitted'}>
                        {columns.map((c) => (
                          <td key={c}>{r.row[c] ?? ''}</td>
                        ))}
                        <td className="commit">{r.committed ? '✓' : 'pending'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
