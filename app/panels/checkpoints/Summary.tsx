/** Flink's Checkpoints > Summary: min / average / max over completed checkpoints, and the percentiles. */
import { formatBytes } from '../../format.ts';
import { msDuration, type CheckpointingStatistics, type StatsSummaryDto } from './rest.ts';

const ROWS: { key: string; label: string; bytes: boolean }[] = [
  { key: 'end_to_end_duration', label: 'End to end duration', bytes: false },
  { key: 'checkpointed_size', label: 'Checkpointed data size', bytes: true },
  { key: 'state_size', label: 'Full checkpoint data size', bytes: true },
  { key: 'processed_data', label: 'Processed (persisted) in-flight data', bytes: true },
];

type Field = keyof StatsSummaryDto;
const MIN_AVG_MAX: readonly (readonly [string, Field])[] = [
  ['Minimum', 'min'],
  ['Average', 'avg'],
  ['Maximum', 'max'],
];
const PERCENTILES: readonly (readonly [string, Field])[] = [
  ['50%', 'p50'],
  ['90%', 'p90'],
  ['95%', 'p95'],
  ['99%', 'p99'],
  ['99.9%', 'p999'],
];

function fmt(v: number | 'NaN', bytes: boolean): string {
  if (v === 'NaN') return 'n/a';
  return bytes ? formatBytes(Math.round(v)) : msDuration(v);
}

export function Summary({ stats }: { stats: CheckpointingStatistics | null }) {
  const s = stats?.summary;
  if (!s || (stats?.counts.completed ?? 0) === 0)
    return <p className="empty">No completed checkpoint yet.</p>;
  const persisted = s.persisted_data;
  const cell = (dto: StatsSummaryDto | undefined, f: keyof StatsSummaryDto, bytes: boolean, key: string) =>
    dto === undefined
      ? 'n/a'
      : key === 'processed_data' && persisted
        ? `${fmt(dto[f], true)} (${fmt(persisted[f], true)})`
        : fmt(dto[f], bytes);
  const statRows = (summary: typeof s, fields: readonly (readonly [string, Field])[]) =>
    fields.map(([label, f]) => (
      <tr key={f}>
        <th scope="row">{label}</th>
        {ROWS.map((r) => (
          <td key={r.key} className="num">
            {cell(summary[r.key], f, r.bytes, r.key)}
          </td>
        ))}
      </tr>
    ));
  return (
    <div className="summary">
      <div className="table-scroll">
        <table className="num-table" aria-label="Checkpoint summary">
          <thead>
            <tr>
              <th scope="col" />
              {ROWS.map((r) => (
                <th key={r.key} scope="col" className="num">
                  {r.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{statRows(s, MIN_AVG_MAX)}</tbody>
        </table>
      </div>
      <details className="percentiles" open>
        <summary>Percentiles (last 10,000 completed checkpoints)</summary>
        <div className="table-scroll">
          <table className="num-table" aria-label="Checkpoint percentiles">
            <thead>
              <tr>
                <th scope="col" />
                {ROWS.map((r) => (
                  <th key={r.key} scope="col" className="num">
                    {r.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{statRows(s, PERCENTILES)}</tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
