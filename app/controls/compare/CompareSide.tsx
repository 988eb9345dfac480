/** One timeline in the Compare view: its job graph at the shared virtual time, its summary and its output. */
import type { RecordDifference, TimelineSide, Topology } from '../../../engine/protocol.ts';
import { formatTime } from '../../format.ts';
import { StaticJobGraph } from '../../graph/JobGraph.tsx';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function CompareSide({
  side,
  topology,
  which,
  difference,
}: {
  side: TimelineSide;
  topology: Topology;
  which: 'a' | 'b';
  difference: RecordDifference | null;
}) {
  const s = side.summary;
  return (
    <section
      className={`cmp-side cmp-side-${which}`}
      data-testid={`compare-side-${which}`}
      data-time={side.frame.time}
      aria-labelledby={`cmp-title-${which}`}
    >
      <h3 id={`cmp-title-${which}`} className="cmp-side-title">
        <span className={`cmp-swatch cmp-swatch-${which}`} aria-hidden="true" />
        {side.label}
        <span className="muted cmp-at"> at {formatTime(side.frame.time)}</span>
      </h3>
      <p className="small cmp-facts" data-testid="compare-facts">
        <strong>{s.status}</strong> · {plural(s.restarts, 'restart')} ·{' '}
        {plural(s.checkpointsCompleted, 'checkpoint')} completed · {plural(s.actions, 'action')}
      </p>
      <figure
        className="cmp-graph"
        aria-label={`Job graph of ${side.label} at ${formatTime(side.frame.time)}`}
      >
        <StaticJobGraph topology={topology} frame={side.frame} />
      </figure>
      {side.sinks.map((sink) => {
        const fields = [...new Set(sink.rows.flatMap((r) => Object.keys(r.row)))];
        const missing = difference !== null && difference.sink === sink.id && difference[which].length === 0;
        return (
          <div key={sink.id} className="cmp-output">
            <h4>
              Output of <code>{sink.id}</code>: {sink.committed.toLocaleString('en-US')} committed
            </h4>
            {missing && (
              <p className="cmp-missing" data-testid="compare-missing">
                ≠ No record for the first difference here yet (see above).
              </p>
            )}
            {sink.rows.length === 0 ? (
              <p className="muted small">Nothing committed yet.</p>
            ) : (
              <div className="table-scroll">
                <table className="data-table cmp-rows">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      {fields.map((f) => (
                        <th key={f} scope="col">
                          {f}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {sink.rows.map((r, i) => {
                      const gap = i > 0 && r.index !== (sink.rows[i - 1]?.index ?? 0) + 1;
                      return (
                        <tr
                          key={r.index}
                          className={`${r.differs ? 'cmp-differs' : ''}${gap ? ' cmp-gap' : ''}`}
                          data-testid="compare-row"
                          data-differs={r.differs ? 'true' : 'false'}
                          title={
                            r.differs
                              ? 'The first record where the two timelines differ'
                              : `Written at ${formatTime(r.time)}`
                          }
                        >
                          <td className="mono">
                            {r.differs ? '≠ ' : ''}
                            {r.index + 1}
                          </td>
                          {fields.map((f) => (
                            <td key={f} className="mono">
                              {String(r.row[f] ?? '')}
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        );
      })}
      <p className="muted small mono cmp-hash" title="The run's trace hash at this moment">
        trace {s.traceHash}
      </p>
    </section>
  );
}
