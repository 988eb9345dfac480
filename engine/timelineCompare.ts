/**
 * Comparing two timelines of a run (issue 10 §8, "Fork and compare"): both at the same virtual time, their summaries,
 * their committed outputs and the first committed record where they differ. The engine decides what differs; the UI
 * only shows it. Window results ({<key>, windowStart, windowEnd, <aggregate>}) pair by key and window, so the
 * difference reads "key /home, window 10-15 s: 1000 in one, 2000 in the other"; other records compare whole.
 */
import { type OutputRecord, OutputTopic } from './connectors/topic.ts';
import type {
  Frame,
  RecordDifference,
  SideBySide,
  TimelineComparison,
  TimelineSide,
  TimelineSummary,
} from './protocol.ts';
import type { JobRuntime } from './runtime/jobRuntime.ts';
import type { Row } from './scenario/types.ts';
import type { Timelines } from './timelines.ts';
import { canonicalRow } from './verification/canonicalRow.ts';

/** What a comparison reads of an engine (engine.ts's Engine). */
export interface ComparedRun {
  readonly runtime: JobRuntime;
  readonly timelineId: number;
  readonly actionLog: readonly unknown[];
  frame(): Frame;
  traceHash(): string;
  now(): number;
}

const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'];
/** Newest committed records shown per side. */
const SHOWN = 8;

function summary(e: ComparedRun): TimelineSummary {
  const rt = e.runtime;
  const committed: Record<string, number> = {};
  for (const s of rt.sinkOperators) committed[s.id] = rt.outputTopics.get(s.topic)?.committedCount ?? 0;
  return {
    traceHash: e.traceHash(),
    status: rt.status,
    restarts: rt.restarts,
    checkpointsCompleted: rt.coordinator.completedCount,
    committed,
    actions: e.actionLog.length,
  };
}

/** Outputs up to this many records per side are compared whole; longer ones from shortly before the fork. */
const FULL_SCAN = 150_000;
/** Records only in one timeline are counted when each side has at most this many to compare (else null). */
const COUNT_LIMIT = 20_000;

/** The first index of `topic` written at or after `timeUs` (the log is appended in virtual-time order). */
function firstAtOrAfter(topic: OutputTopic, timeUs: number): number {
  let lo = 0;
  let hi = topic.size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (topic.at(mid).time < timeUs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Committed records of `topic` from index `from`, with their log index. */
function committedFrom(topic: OutputTopic, from: number): { i: number; r: OutputRecord }[] {
  const out: { i: number; r: OutputRecord }[] = [];
  for (let i = from; i < topic.size; i++) {
    const r = topic.at(i);
    if (r.committed && !r.aborted) out.push({ i, r });
  }
  return out;
}

function sameRow(x: Row, y: Row): boolean {
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (x[k] !== y[k]) return false;
  return true;
}

/** How window results are paired: the key field, the aggregate field; null when the records are not windows. */
function windowShape(sample: Row | undefined): { keyField: string; valueField: string } | null {
  if (!sample || !('windowStart' in sample) || !('windowEnd' in sample)) return null;
  const valueField = AGGREGATES.find((a) => a in sample);
  const keyField = Object.keys(sample).find(
    (f) => f !== 'windowStart' && f !== 'windowEnd' && f !== valueField,
  );
  return valueField && keyField ? { keyField, valueField } : null;
}

/** A record's content as a map key (the fields of one sink's records come in one order). */
function rowKey(r: Row): string {
  let k = '';
  for (const f in r) k += `${String(r[f])}\u0001`;
  return k;
}

function counts(records: readonly { r: OutputRecord }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const { r } of records) {
    const k = rowKey(r.row);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

interface SinkDiff {
  id: string;
  onlyInA: number | null;
  onlyInB: number | null;
  first: RecordDifference | null;
  /** Log indices of each side's records that belong to the first difference. */
  marked: [Set<number>, Set<number>];
}

/**
 * One sink's committed outputs of two timelines compared. Both logs are the same run before the fork; outputs up to
 * FULL_SCAN records are still compared whole (a transaction open at the fork commits in one timeline and aborts in
 * the other), longer ones from the last few checkpoint intervals before the fork on (where such transactions are).
 * Window results pair by key and window; other records compare position by position in commit order.
 */
function diffSink(
  id: string,
  ta: OutputTopic,
  tb: OutputTopic,
  forkedAtUs: number | null,
  marginUs: number,
): SinkDiff {
  const big = Math.max(ta.size, tb.size) > FULL_SCAN && forkedAtUs !== null;
  const start = big
    ? Math.min(firstAtOrAfter(ta, forkedAtUs - marginUs), firstAtOrAfter(tb, forkedAtUs - marginUs))
    : 0;
  const sample = ta.size > start ? ta.at(start).row : tb.size > start ? tb.at(start).row : undefined;
  const shape = windowShape(sample);
  const small = ta.size - start <= COUNT_LIMIT && tb.size - start <= COUNT_LIMIT;
  const ar = small ? committedFrom(ta, start) : null;
  const br = small ? committedFrom(tb, start) : null;
  let onlyInA: number | null = null;
  let onlyInB: number | null = null;
  if (ar !== null && br !== null) {
    const ca = counts(ar);
    const cb = counts(br);
    onlyInA = 0;
    onlyInB = 0;
    for (const [k, n] of ca) onlyInA += Math.max(0, n - (cb.get(k) ?? 0));
    for (const [k, n] of cb) onlyInB += Math.max(0, n - (ca.get(k) ?? 0));
  }
  const none: SinkDiff = { id, onlyInA, onlyInB, first: null, marked: [new Set(), new Set()] };
  if (onlyInA === 0 && onlyInB === 0) return none;
  if (shape !== null && ar !== null && br !== null) {
    const { keyField, valueField } = shape;
    const cell = (r: Row): string =>
      `${String(r[keyField])}\u0000${String(r.windowStart)}\u0000${String(r.windowEnd)}`;
    const cells = new Map<string, { a: string[]; b: string[]; time: number }>();
    const add = (recs: readonly { r: OutputRecord }[], side: 'a' | 'b'): void => {
      for (const { r } of recs) {
        const k = cell(r.row);
        let c = cells.get(k);
        if (!c) cells.set(k, (c = { a: [], b: [], time: r.time }));
        c[side].push(String(r.row[valueField]));
        c.time = Math.min(c.time, r.time);
      }
    };
    add(ar, 'a');
    add(br, 'b');
    let best: { key: string; time: number } | null = null;
    for (const [k, c] of cells) {
      if (c.a.sort().join('\u0000') === c.b.sort().join('\u0000')) continue;
      if (best === null || c.time < best.time || (c.time === best.time && k < best.key))
        best = { key: k, time: c.time };
    }
    if (best === null) return none;
    const key = best.key;
    const ma = ar.filter((x) => cell(x.r.row) === key);
    const mb = br.filter((x) => cell(x.r.row) === key);
    const row = (ma[0] ?? mb[0])!.r.row;
    return {
      id,
      onlyInA,
      onlyInB,
      marked: [new Set(ma.map((x) => x.i)), new Set(mb.map((x) => x.i))],
      first: {
        sink: id,
        keyField,
        key: String(row[keyField]),
        windowStart: Number(row.windowStart),
        windowEnd: Number(row.windowEnd),
        valueField,
        a: ma.map((x) => ({ ...x.r.row })),
        b: mb.map((x) => ({ ...x.r.row })),
        atUs: best.time,
      },
    };
  }
  // Position by position in commit order: the first place the two outputs hold different records.
  let ia = start;
  let ib = start;
  const next = (t: OutputTopic, i: number): number => {
    while (i < t.size && (!t.at(i).committed || t.at(i).aborted)) i++;
    return i;
  };
  for (;;) {
    ia = next(ta, ia);
    ib = next(tb, ib);
    const ra = ia < ta.size ? ta.at(ia) : null;
    const rb = ib < tb.size ? tb.at(ib) : null;
    if (ra === null && rb === null) return none;
    if (ra === null || rb === null || !sameRow(ra.row, rb.row)) {
      return {
        id,
        onlyInA,
        onlyInB,
        marked: [new Set(ra ? [ia] : []), new Set(rb ? [ib] : [])],
        first: {
          sink: id,
          keyField: null,
          key: null,
          windowStart: null,
          windowEnd: null,
          valueField: null,
          a: ra ? [{ ...ra.row }] : [],
          b: rb ? [{ ...rb.row }] : [],
          atUs: Math.min(ra?.time ?? Number.MAX_SAFE_INTEGER, rb?.time ?? Number.MAX_SAFE_INTEGER),
        },
      };
    }
    ia++;
    ib++;
  }
}

function diffAll(a: ComparedRun, b: ComparedRun, forkedAtUs: number | null): SinkDiff[] {
  const interval = a.runtime.coordinator.config.intervalUs ?? 0;
  const marginUs = Math.max(30_000_000, 3 * interval);
  return a.runtime.sinkOperators.map((s) => {
    const ta = a.runtime.outputTopics.get(s.topic) ?? new OutputTopic(s.topic);
    const tb = b.runtime.outputTopics.get(s.topic) ?? new OutputTopic(s.topic);
    return diffSink(s.id, ta, tb, forkedAtUs, marginUs);
  });
}

function side(timelines: Timelines, e: ComparedRun, diffs: SinkDiff[], which: 0 | 1): TimelineSide {
  return {
    id: e.timelineId,
    label: timelines.has(e.timelineId) ? timelines.label(e.timelineId) : `Timeline ${e.timelineId}`,
    // The picture at that moment; its narrated log belongs to the live run only.
    frame: { ...e.frame(), log: [] },
    summary: summary(e),
    sinks: e.runtime.sinkOperators.map((s, k) => {
      const topic = e.runtime.outputTopics.get(s.topic);
      const marked = diffs[k]?.marked[which] ?? new Set<number>();
      const shown = new Set(marked);
      // The newest committed records.
      for (let i = (topic?.size ?? 0) - 1, n = 0; topic && i >= 0 && n < SHOWN; i--) {
        const r = topic.at(i);
        if (r.committed && !r.aborted) {
          shown.add(i);
          n++;
        }
      }
      return {
        id: s.id,
        committed: topic?.committedCount ?? 0,
        rows: [...shown]
          .sort((x, y) => x - y)
          .map((i) => {
            const r = topic!.at(i);
            return { index: i, row: { ...r.row }, time: r.time, differs: marked.has(i) };
          }),
      };
    }),
  };
}

/** Two timelines' engines at the same virtual time, side by side. */
export function sideBySide(timelines: Timelines, a: ComparedRun, b: ComparedRun): SideBySide {
  const ta = timelines.has(a.timelineId) ? timelines.get(a.timelineId) : null;
  const tb = timelines.has(b.timelineId) ? timelines.get(b.timelineId) : null;
  const forkedAtUs =
    tb?.parentId === a.timelineId
      ? tb.forkedAtUs
      : ta?.parentId === b.timelineId
        ? ta.forkedAtUs
        : (tb?.forkedAtUs ?? ta?.forkedAtUs ?? null);
  const sinks = diffAll(a, b, forkedAtUs);
  const first = sinks.map((s) => s.first).filter((f): f is RecordDifference => f !== null);
  first.sort((x, y) => x.atUs - y.atUs);
  return {
    timeUs: a.now(),
    forkedAtUs,
    maxTimeUs: Math.max(ta?.endUs ?? 0, tb?.endUs ?? 0, a.now()),
    a: side(timelines, a, sinks, 0),
    b: side(timelines, b, sinks, 1),
    firstDifference: first[0] ?? null,
    sinks: sinks.map(({ id, onlyInA, onlyInB }) => ({ id, onlyInA, onlyInB })),
  };
}

function describe(d: RecordDifference): string {
  const rows = (rs: Row[]): string => (rs.length === 0 ? 'none' : rs.map((r) => canonicalRow(r)).join(', '));
  return `${rows(d.a)} in the original, ${rows(d.b)} in this fork`;
}

/** The summary comparison of a fork with its original (the older API, kept for the CLI and tests). */
export function summaryComparison(
  original: ComparedRun,
  fork: ComparedRun,
  forkedAtUs: number,
): TimelineComparison {
  const sinks = diffAll(original, fork, null);
  return {
    timeUs: fork.now(),
    forkedAtUs,
    original: summary(original),
    fork: summary(fork),
    sinks: sinks.map((s) => ({
      id: s.id,
      onlyInOriginal: s.onlyInA ?? 0,
      onlyInFork: s.onlyInB ?? 0,
      firstDifference: s.first === null ? null : describe(s.first),
    })),
  };
}
