/** The first committed record where two timelines differ, in words (the engine found it; this only shows it). */
import type { RecordDifference, SideBySide } from '../../../engine/protocol.ts';
import { formatEventTime, formatTime } from '../../format.ts';

const clock = (ms: number | null): string => formatEventTime(ms).replace(/\.000$/, '');

function values(d: RecordDifference, rows: RecordDifference['a']): string {
  if (rows.length === 0) return 'nothing committed';
  if (d.valueField !== null) {
    const field = d.valueField;
    const vs = rows.map((r) => String(r[field]));
    return `${field} ${vs.join(', ')}${rows.length > 1 ? ` (${rows.length} records: duplicates)` : ''}`;
  }
  return rows.map((r) => JSON.stringify(r)).join(', ');
}

export function FirstDifference({ cmp }: { cmp: SideBySide }) {
  const d = cmp.firstDifference;
  const counts = cmp.sinks.filter(
    (s) => s.onlyInA !== null && s.onlyInB !== null && s.onlyInA + s.onlyInB > 0,
  );
  if (d === null) {
    const before = cmp.forkedAtUs !== null && cmp.timeUs <= cmp.forkedAtUs;
    return (
      <div className="cmp-diff cmp-same" data-testid="compare-difference" data-differs="false" role="status">
        <strong>No difference in the committed output</strong> up to {formatTime(cmp.timeUs)}:{' '}
        {before
          ? `this is before the fork at ${formatTime(cmp.forkedAtUs ?? 0)}, so both timelines are the same run here.`
          : 'both timelines committed exactly the same records (a recovered failure does not change what a consumer sees).'}
      </div>
    );
  }
  return (
    <div className="cmp-diff" data-testid="compare-difference" data-differs="true" role="status">
      <strong>First difference</strong> in <code>{d.sink}</code>
      {d.keyField !== null ? (
        <>
          , {d.keyField} <code>{d.key}</code>, window {clock(d.windowStart)}–{clock(d.windowEnd)} (event
          time):
        </>
      ) : (
        ':'
      )}
      <ul className="cmp-diff-values">
        <li>
          <span className="cmp-swatch cmp-swatch-a" aria-hidden="true" />
          {cmp.a.label}: <strong className="mono">{values(d, d.a)}</strong>
        </li>
        <li>
          <span className="cmp-swatch cmp-swatch-b" aria-hidden="true" />
          {cmp.b.label}: <strong className="mono">{values(d, d.b)}</strong>
        </li>
      </ul>
      <span className="small muted">
        Written at {formatTime(d.atUs)} of virtual time.
        {counts.length > 0 &&
          ` ${counts
            .map(
              (s) =>
                `${s.id}: ${s.onlyInA ?? 0} record${s.onlyInA === 1 ? '' : 's'} only in ${cmp.a.label}, ${s.onlyInB ?? 0} only in ${cmp.b.label}`,
            )
            .join('; ')}.`}
      </span>
    </div>
  );
}
