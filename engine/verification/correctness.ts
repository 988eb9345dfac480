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

/** Small integer ids of canonical rows, shared by the indexes a check compares (arrays instead of string maps). */
export class RowIds {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  of(k: string): number {
    let id = this.ids.get(k);
    if (id === undefined) this.ids.set(k, (id = this.ids.size));
    return id;
  }
}

function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * An output topic's log, read once: the row id of each record of a prefix whose records can no longer change
 * (OutputTopic.stableLength), and per row the write times of its committed copies. It answers "how many committed
 * copies of each row are among the first `n` records" for any `n` up to that prefix, moving from the last `n` asked
 * (so a check after a step reads only the new records, and a seek back only steps back over the records between):
 * one index serves every later check of the same log and every earlier moment of it.
 */
export class LogIndex {
  /** Records of the log covered (all final). */
  covered = 0;
  /** Row id of each covered record, -1 when it is not committed. */
  private keyAt = new Int32Array(1024);
  /** Committed copies per row id among the first `at` records. */
  private counts = new Int32Array(1024);
  private at = 0;
  /** Per row id, the write times of its committed copies, in log order. */
  readonly times: number[][] = [];

  constructor(readonly ids: RowIds) {}

  /** Reads the final records of `topic` not covered yet. */
  extend(topic: OutputTopic): void {
    const end = topic.stableLength();
    if (end <= this.covered) return;
    this.keyAt = grown(this.keyAt, end);
    for (let i = this.covered; i < end; i++) {
      const r = topic.at(i);
      let id = -1;
      if (r.committed) {
        id = this.ids.of(canonicalRow(r.row));
        let t = this.times[id];
        if (!t) this.times[id] = t = [];
        t.push(r.time);
      }
      this.keyAt[i] = id;
    }
    this.covered = end;
  }

  /** Committed copies per row id among the first `n` records (n <= covered); valid until the next call. */
  countsAt(n: number): Int32Array {
    this.counts = grown(this.counts, this.ids.size);
    const c = this.counts;
    while (this.at < n) {
      const id = this.keyAt[this.at++] as number;
      if (id >= 0) c[id]!++;
    }
    while (this.at > n) {
      const id = this.keyAt[--this.at] as number;
      if (id >= 0) c[id]!--;
    }
    return c;
  }
}

/** Committed rows of a log now: the index's prefix plus the records after it (read now, not kept). */
class LogView {
  /** Records of the prefix the index answers for. */
  readonly prefix: number;
  private readonly counts: Int32Array;
  /** Committed rows after the prefix: per row id, their write times. */
  private readonly tail = new Map<number, number[]>();

  constructor(
    private readonly index: LogIndex,
    topic: OutputTopic | undefined,
    /** Row ids of the committed records after the prefix, by log position (for the recent list). */
    readonly tailIds: Map<number, number> = new Map(),
  ) {
    const size = topic?.size ?? 0;
    if (topic) index.extend(topic);
    this.prefix = Math.min(index.covered, topic ? topic.stableLength() : 0, size);
    this.counts = index.countsAt(this.prefix);
    for (let i = this.prefix; i < size; i++) {
      const r = (topic as OutputTopic).at(i);
      if (!r.committed) continue;
      const id = index.ids.of(canonicalRow(r.row));
      tailIds.set(i, id);
      let t = this.tail.get(id);
      if (!t) this.tail.set(id, (t = []));
      t.push(r.time);
    }
  }

  count(id: number): number {
    const n = this.counts[id] ?? 0;
    return this.tail.size === 0 ? n : n + (this.tail.get(id)?.length ?? 0);
  }

  /** Write time of the j-th committed copy of row `id` (j < count(id)). */
  time(id: number, j: number): number {
    const n = this.counts[id] ?? 0;
    return j < n
      ? ((this.index.times[id] as number[])[j] as number)
      : ((this.tail.get(id) as number[])[j - n] as number);
  }
}

interface Totals {
  duplicates: number;
  unexpected: number;
  lost: number;
}

/** The verdict totals of the whole run output against the reference (every row id, array reads only). */
function totals(run: LogView, ref: LogView, rows: number, marginUs: number): Totals {
  let duplicates = 0;
  let unexpected = 0;
  let progress = Number.NEGATIVE_INFINITY;
  for (let id = 0; id < rows; id++) {
    const r = run.count(id);
    if (r === 0) continue;
    const c = ref.count(id);
    if (c === 0) unexpected += r;
    else {
      if (r > c) duplicates += r - c;
      const t = ref.time(id, Math.min(r, c) - 1);
      if (t > progress) progress = t;
    }
  }
  // Lost: reference records the run has not produced although it already produced what the reference wrote
  // well after them. The margin absorbs the different interleaving of inputs after a recovery.
  let lost = 0;
  const cutoff = progress - marginUs;
  for (let id = 0; id < rows; id++) {
    const c = ref.count(id);
    for (let j = run.count(id); j < c; j++) if (ref.time(id, j) < cutoff) lost++;
  }
  return { duplicates, unexpected, lost };
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
  const ids = new RowIds();
  return { run: () => new LogIndex(ids), reference: () => new LogIndex(ids) };
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
      const tailIds = new Map<number, number>();
      const runIndex = indexes.run(s.topic);
      const refIndex = indexes.reference(s.topic);
      if (runIndex.ids !== refIndex.ids) throw new Error('the indexes of a check must share their row ids');
      const mine = new LogView(runIndex, mineTopic, tailIds);
      const theirs = new LogView(refIndex, theirsTopic);
      const m = totals(mine, theirs, runIndex.ids.size, marginUs);
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
      const after = new Map<number, number>();
      for (let i = size - 1; i >= 0 && recent.length < RECENT; i--) {
        const r = (mineTopic as OutputTopic).at(i);
        if (r.aborted) continue;
        let verdict: SinkView['recent'][number]['verdict'] = 'pending';
        if (r.committed) {
          const k = tailIds.get(i) ?? runIndex.ids.of(canonicalRow(r.row));
          const a = after.get(k) ?? 0;
          after.set(k, a + 1);
          const n = mine.count(k) - a;
          const c = theirs.count(k);
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
