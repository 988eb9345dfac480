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
import type { OutputRecord, OutputTopic } from '../connectors/topic.ts';
import type { CorrectnessView } from '../protocol.ts';
import type { JobRuntime } from '../runtime/jobRuntime.ts';
import type { Row } from '../scenario/types.ts';
import { canonicalRow } from './canonicalRow.ts';

type SinkView = CorrectnessView['sinks'][number];
type WindowCell = NonNullable<SinkView['windows']>['cells'][number][number];

const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'];
const RECENT = 40;
const MAX_WINDOWS = 12;

/**
 * Where each distinct record of an output topic's log occurs: per canonical row, the log positions of its
 * committed records (and the virtual times they were written). It covers a prefix of the log whose records can no
 * longer change (OutputTopic.stableLength), so it answers "how many committed copies of this row are among the
 * first `n` records" for any `n` up to that prefix: one index serves every later check of the same log and every
 * earlier moment of it (a seek back) without re-reading the log. Only records appended since are read.
 */
export class LogIndex {
  /** Records of the log covered (all final). */
  covered = 0;
  private readonly byKey = new Map<string, { pos: number[]; time: number[] }>();

  /** Reads the final records of `topic` not covered yet. */
  extend(topic: OutputTopic): void {
    const end = topic.stableLength();
    for (let i = this.covered; i < end; i++) {
      const r = topic.at(i);
      if (!r.committed) continue;
      const k = canonicalRow(r.row);
      let e = this.byKey.get(k);
      if (!e) this.byKey.set(k, (e = { pos: [], time: [] }));
      e.pos.push(i);
      e.time.push(r.time);
    }
    if (end > this.covered) this.covered = end;
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  has(k: string): boolean {
    return this.byKey.has(k);
  }

  /** Committed copies of row `k` among the first `n` records (n <= covered). */
  count(k: string, n: number): number {
    const e = this.byKey.get(k);
    if (!e) return 0;
    return lowerBound(e.pos, n);
  }

  /** Write times of the committed copies of row `k` (their first `count(k, n)` are those below `n`). */
  times(k: string): readonly number[] {
    return this.byKey.get(k)?.time ?? [];
  }
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Committed rows of a log: the index's prefix plus the records after it (read now, not kept). */
class LogView {
  /** Records of the prefix the index answers for. */
  readonly prefix: number;
  /** Committed rows after the prefix: per canonical row, their write times. */
  readonly tail = new Map<string, number[]>();

  constructor(
    readonly index: LogIndex,
    topic: OutputTopic | undefined,
    /** Canonical rows of the records after the prefix, by log position (for the recent list). */
    readonly tailKeys: Map<number, string> = new Map(),
  ) {
    const size = topic?.size ?? 0;
    if (topic) index.extend(topic);
    this.prefix = Math.min(index.covered, topic ? topic.stableLength() : 0, size);
    for (let i = this.prefix; i < size; i++) {
      const r = (topic as OutputTopic).at(i);
      if (!r.committed) continue;
      const k = canonicalRow(r.row);
      tailKeys.set(i, k);
      let t = this.tail.get(k);
      if (!t) this.tail.set(k, (t = []));
      t.push(r.time);
    }
  }

  count(k: string): number {
    return this.index.count(k, this.prefix) + (this.tail.get(k)?.length ?? 0);
  }

  /** Write time of the j-th committed copy of row `k` (j < count(k)). */
  time(k: string, j: number): number {
    const n = this.index.count(k, this.prefix);
    return j < n ? (this.index.times(k)[j] as number) : ((this.tail.get(k) as number[])[j - n] as number);
  }

  *keys(): Generator<string> {
    yield* this.index.keys();
    for (const k of this.tail.keys()) if (!this.index.has(k)) yield k;
  }
}

interface Totals {
  duplicates: number;
  unexpected: number;
  lost: number;
  /** Committed copies of each row in the run (for the verdicts of the recent records). */
  runCount: (k: string) => number;
  refCount: (k: string) => number;
}

/** The verdict totals of the whole run output against the reference, from the two logs' indexes. */
function totals(run: LogView, ref: LogView, marginUs: number): Totals {
  let duplicates = 0;
  let unexpected = 0;
  let progress = Number.NEGATIVE_INFINITY;
  for (const k of run.keys()) {
    const r = run.count(k);
    const c = ref.count(k);
    if (c === 0) unexpected += r;
    else {
      if (r > c) duplicates += r - c;
      if (r > 0) {
        const t = ref.time(k, Math.min(r, c) - 1);
        if (t > progress) progress = t;
      }
    }
  }
  let lost = 0;
  const cutoff = progress - marginUs;
  for (const k of ref.keys()) {
    const c = ref.count(k);
    for (let j = run.count(k); j < c; j++) if (ref.time(k, j) < cutoff) lost++;
  }
  return { duplicates, unexpected, lost, runCount: (k) => run.count(k), refCount: (k) => ref.count(k) };
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

/** The log indexes a check reads: kept by the caller across checks (and seeks) of the same logs. */
export interface CorrectnessIndexes {
  /** The index of the run's log of output topic `topic`. */
  run(topic: string): LogIndex;
  /** The index of the reference's log of output topic `topic`. */
  reference(topic: string): LogIndex;
}

/** Fresh indexes: every record is read (what a check without kept indexes does). */
export function freshIndexes(): CorrectnessIndexes {
  return { run: () => new LogIndex(), reference: () => new LogIndex() };
}

/** The records of a windowed sink's log (null when its rows are not window results). */
function windowedRecords(
  topic: OutputTopic | undefined,
  other: OutputTopic | undefined,
): OutputRecord[] | null {
  const sample = topic && topic.size > 0 ? topic.at(0).row : other && other.size > 0 ? other.at(0).row : null;
  if (!sample || !('windowStart' in sample) || !('windowEnd' in sample)) return null;
  return topic?.records ?? [];
}

/**
 * The run's committed output against the reference's. `indexes` carries what earlier checks read: only records
 * appended since (and the few still in open transactions) are read again, and the verdicts are exactly those of
 * reading everything (correctness.test.ts compares them).
 */
export function computeCorrectness(
  run: JobRuntime,
  reference: JobRuntime,
  indexes: CorrectnessIndexes = freshIndexes(),
): CorrectnessView {
  const interval = run.coordinator.config.intervalUs ?? 0;
  const marginUs = 2 * interval + 2_000_000;
  return {
    timeUs: run.kernel.now,
    referenceTime: reference.kernel.now,
    sinks: run.sinkOperators.map((s) => {
      const mineTopic = run.outputTopics.get(s.topic);
      const theirsTopic = reference.outputTopics.get(s.topic);
      const tailKeys = new Map<number, string>();
      const mine = new LogView(indexes.run(s.topic), mineTopic, tailKeys);
      const theirs = new LogView(indexes.reference(s.topic), theirsTopic);
      const m = totals(mine, theirs, marginUs);
      const size = mineTopic?.size ?? 0;
      const committed = mineTopic?.committedCount ?? 0;
      let uncommitted = 0;
      // Records still in a transaction all lie after the stable prefix.
      for (let i = mineTopic ? mineTopic.stableLength() : 0; i < size; i++) {
        const r = (mineTopic as OutputTopic).at(i);
        if (!r.committed && !r.aborted) uncommitted++;
      }
      // The newest records with their verdicts: a committed record is the n-th copy of its row, n = the run's
      // copies minus those after it.
      const recent: SinkView['recent'] = [];
      const after = new Map<string, number>();
      for (let i = size - 1; i >= 0 && recent.length < RECENT; i--) {
        const r = (mineTopic as OutputTopic).at(i);
        if (r.aborted) continue;
        let verdict: SinkView['recent'][number]['verdict'] = 'pending';
        if (r.committed) {
          const k = tailKeys.get(i) ?? canonicalRow(r.row);
          const a = after.get(k) ?? 0;
          after.set(k, a + 1);
          const n = m.runCount(k) - a;
          const c = m.refCount(k);
          verdict = c === 0 ? 'unexpected' : n > c ? 'duplicate' : 'ok';
        }
        recent.push({ row: { ...r.row }, committed: r.committed, verdict });
      }
      recent.reverse();
      const windowed = windowedRecords(mineTopic, theirsTopic);
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
        windows: windowed ? windowTable(windowed, theirsTopic?.records ?? []) : null,
      };
    }),
  };
}
