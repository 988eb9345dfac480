/**
 * The live correctness check (issue: Output and correctness): the committed output of a run against the
 * failure-free run of the same scenario and seed, per sink. The engine decides every verdict; the UI only shows.
 *
 * - duplicate: a committed record seen more often than the reference produced it;
 * - unexpected: a committed record the reference never produced (e.g. a count that includes a record twice);
 * - lost: a reference record the run has not produced although it already produced records the reference wrote
 *   well after it (two checkpoint intervals + 2 s later: after a recovery inputs interleave differently);
 * - pending: written inside a transaction that is not committed yet (exactly-once sinks).
 */
import type { OutputRecord } from '../connectors/topic.ts';
import type { CorrectnessView } from '../protocol.ts';
import type { JobRuntime } from '../runtime/jobRuntime.ts';
import type { Row } from '../scenario/types.ts';
import { canonicalRow } from './canonicalRow.ts';

type SinkView = CorrectnessView['sinks'][number];
type WindowCell = NonNullable<SinkView['windows']>['cells'][number][number];

const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'];
const RECENT = 40;
const MAX_WINDOWS = 12;

interface Match {
  duplicates: number;
  unexpected: number;
  lost: number;
  /** Verdict per committed record index of the run. */
  verdicts: Map<number, 'ok' | 'duplicate' | 'unexpected'>;
}

function match(run: readonly OutputRecord[], ref: readonly OutputRecord[], marginUs: number): Match {
  // Reference records by content, each with the virtual time the reference wrote it.
  const refTimes = new Map<string, number[]>();
  for (const r of ref) {
    if (!r.committed) continue;
    const k = canonicalRow(r.row);
    let t = refTimes.get(k);
    if (!t) refTimes.set(k, (t = []));
    t.push(r.time);
  }
  const seen = new Map<string, number>();
  const verdicts = new Map<number, 'ok' | 'duplicate' | 'unexpected'>();
  let duplicates = 0;
  let unexpected = 0;
  let progress = Number.NEGATIVE_INFINITY;
  run.forEach((r, i) => {
    if (!r.committed) return;
    const k = canonicalRow(r.row);
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    const times = refTimes.get(k);
    if (times === undefined) {
      unexpected++;
      verdicts.set(i, 'unexpected');
    } else if (n > times.length) {
      duplicates++;
      verdicts.set(i, 'duplicate');
    } else {
      verdicts.set(i, 'ok');
      const t = times[n - 1] as number;
      if (t > progress) progress = t;
    }
  });
  // Lost: reference records the run has not produced although it already produced what the reference wrote
  // well after them. The margin absorbs the different interleaving of inputs after a recovery.
  let lost = 0;
  const cutoff = progress - marginUs;
  for (const [k, times] of refTimes) {
    const got = seen.get(k) ?? 0;
    for (let j = got; j < times.length; j++) if ((times[j] as number) < cutoff) lost++;
  }
  return { duplicates, unexpected, lost, verdicts };
}

function windowTable(run: readonly OutputRecord[], ref: readonly OutputRecord[]): SinkView['windows'] {
  const sample = run[0]?.row ?? ref[0]?.row;
  if (!sample || !('windowStart' in sample) || !('windowEnd' in sample)) return null;
  const valueField = AGGREGATES.find((a) => a in sample);
  const keyField = Object.keys(sample).find(
    (f) => f !== 'windowStart' && f !== 'windowEnd' && f !== valueField,
  );
  if (!valueField || !keyField) return null;
  const cellKey = (r: Row): string => `${String(r[keyField])}\u0000${String(r.windowStart)}`;
  const values = new Map<string, number[]>();
  const pending = new Set<string>();
  let newestRun = Number.NEGATIVE_INFINITY;
  for (const r of run) {
    if (r.aborted) continue;
    const k = cellKey(r.row);
    if (!r.committed) {
      pending.add(k);
      continue;
    }
    let v = values.get(k);
    if (!v) values.set(k, (v = []));
    v.push(Number(r.row[valueField]));
    newestRun = Math.max(newestRun, Number(r.row.windowStart));
  }
  const expected = new Map<string, number>();
  for (const r of ref) if (r.committed) expected.set(cellKey(r.row), Number(r.row[valueField]));
  const keys = new Set<string>();
  const starts = new Set<number>();
  for (const r of [...run, ...ref]) {
    keys.add(String(r.row[keyField]));
    starts.add(Number(r.row.windowStart));
  }
  // Windows up to the newest one the run has produced (later ones are simply not reached yet).
  const windowStarts = [...starts].sort((a, b) => a - b).filter((w) => w <= newestRun);
  const shown = windowStarts.slice(-MAX_WINDOWS);
  const keyList = [...keys].sort();
  const cells: WindowCell[][] = keyList.map((key) =>
    shown.map((w) => {
      const k = `${key}\u0000${String(w)}`;
      const vs = values.get(k) ?? [];
      const exp = expected.get(k) ?? null;
      let verdict: WindowCell['verdict'];
      if (vs.length === 0)
        verdict = pending.has(k) || w >= newestRun ? 'pending' : exp === null ? 'pending' : 'lost';
      else if (exp === null || vs.some((v) => v !== exp)) verdict = 'unexpected';
      else if (vs.length > 1) verdict = 'duplicate';
      else verdict = 'ok';
      return { values: vs, expected: exp, verdict };
    }),
  );
  return { keyField, valueField, keys: keyList, windowStarts: shown, cells };
}

export function computeCorrectness(run: JobRuntime, reference: JobRuntime): CorrectnessView {
  const interval = run.coordinator.config.intervalUs ?? 0;
  const marginUs = 2 * interval + 2_000_000;
  return {
    timeUs: run.kernel.now,
    referenceTime: reference.kernel.now,
    sinks: run.sinkOperators.map((s) => {
      const mine = run.outputTopics.get(s.topic)?.records ?? [];
      const theirs = reference.outputTopics.get(s.topic)?.records ?? [];
      const m = match(mine, theirs, marginUs);
      let committed = 0;
      let uncommitted = 0;
      for (const r of mine) {
        if (r.committed) committed++;
        else if (!r.aborted) uncommitted++;
      }
      const recent: SinkView['recent'] = [];
      for (let i = mine.length - 1; i >= 0 && recent.length < RECENT; i--) {
        const r = mine[i] as OutputRecord;
        if (r.aborted) continue;
        recent.push({
          row: { ...r.row },
          committed: r.committed,
          verdict: r.committed ? (m.verdicts.get(i) ?? 'ok') : 'pending',
        });
      }
      recent.reverse();
      return {
        id: s.id,
        delivery: s.delivery as SinkView['delivery'],
        checked: committed + uncommitted > 0,
        committed,
        uncommitted,
        duplicates: m.duplicates,
        lost: m.lost,
        unexpected: m.unexpected,
        recent,
        windows: windowTable(mine, theirs),
      };
    }),
  };
}
