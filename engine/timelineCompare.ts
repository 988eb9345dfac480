/**
 * Comparing two timelines of a run (issue 10 §8, "Fork and compare"): both at the same virtual time, their summaries,
 * their committed outputs and the first committed record where they differ. The engine decides what differs; the UI
 * only shows it. Window results ({<key>, windowStart, windowEnd, <aggregate>}) pair by key and window, so the
 * difference reads "key /home, window 10-15 s: 1000 in one, 2000 in the other"; other records compare whole.
 */
import type { OutputRecord } from './connectors/topic.ts';
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

function committedRecords(rt: JobRuntime, topic: string): OutputRecord[] {
  return (rt.outputTopics.get(topic)?.records ?? []).filter((r) => r.committed && !r.aborted);
}

function sameRecord(x: OutputRecord, y: OutputRecord): boolean {
  if (x.time !== y.time || x.subtask !== y.subtask) return false;
  const kx = Object.keys(x.row);
  if (kx.length !== Object.keys(y.row).length) return false;
  for (const k of kx) if (x.row[k] !== y.row[k]) return false;
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

function counts(records: readonly OutputRecord[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) {
    const k = canonicalRow(r.row);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

interface SinkDiff {
  id: string;
  onlyInA: number;
  onlyInB: number;
  first: RecordDifference | null;
  /** Which records of each side belong to the first difference. */
  matches: (r: OutputRecord) => boolean;
}

/** One sink's committed outputs of two timelines compared. Before they part the logs are equal: that prefix is skipped. */
function diffSink(id: string, a: readonly OutputRecord[], b: readonly OutputRecord[]): SinkDiff {
  let i = 0;
  while (i < a.length && i < b.length && sameRecord(a[i]!, b[i]!)) i++;
  const ar = a.slice(i);
  const br = b.slice(i);
  const ca = counts(ar);
  const cb = counts(br);
  let onlyInA = 0;
  let onlyInB = 0;
  for (const [k, n] of ca) onlyInA += Math.max(0, n - (cb.get(k) ?? 0));
  for (const [k, n] of cb) onlyInB += Math.max(0, n - (ca.get(k) ?? 0));
  const none = { id, onlyInA, onlyInB, first: null, matches: () => false };
  if (onlyInA + onlyInB === 0) return none;
  const shape = windowShape(ar[0]?.row ?? br[0]?.row);
  if (shape !== null) {
    const { keyField, valueField } = shape;
    const cell = (r: Row): string =>
      `${String(r[keyField])}\u0000${String(r.windowStart)}\u0000${String(r.windowEnd)}`;
    const cells = new Map<string, { a: string[]; b: string[]; time: number }>();
    const add = (recs: readonly OutputRecord[], side: 'a' | 'b'): void => {
      for (const r of recs) {
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
    const matches = (r: OutputRecord): boolean => cell(r.row) === key;
    const sample = [...ar, ...br].find(matches)!.row;
    return {
      id,
      onlyInA,
      onlyInB,
      matches,
      first: {
        sink: id,
        keyField,
        key: String(sample[keyField]),
        windowStart: Number(sample.windowStart),
        windowEnd: Number(sample.windowEnd),
        valueField,
        a: a.filter(matches).map((r) => ({ ...r.row })),
        b: b.filter(matches).map((r) => ({ ...r.row })),
        atUs: best.time,
      },
    };
  }
  // Whole records: the first (by write time) that one timeline committed more often than the other.
  const seenA = new Map<string, number>();
  const seenB = new Map<string, number>();
  let ia = 0;
  let ib = 0;
  while (ia < ar.length || ib < br.length) {
    const ra = ar[ia];
    const rb = br[ib];
    const fromA = rb === undefined || (ra !== undefined && ra.time <= rb.time);
    const r = (fromA ? ra : rb)!;
    const k = canonicalRow(r.row);
    const seen = fromA ? seenA : seenB;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (fromA) ia++;
    else ib++;
    if (n > ((fromA ? cb : ca).get(k) ?? 0)) {
      const matches = (x: OutputRecord): boolean => x === r;
      return {
        id,
        onlyInA,
        onlyInB,
        matches,
        first: {
          sink: id,
          keyField: null,
          key: null,
          windowStart: null,
          windowEnd: null,
          valueField: null,
          a: fromA ? [{ ...r.row }] : [],
          b: fromA ? [] : [{ ...r.row }],
          atUs: r.time,
        },
      };
    }
  }
  return none;
}

function diffAll(
  a: ComparedRun,
  b: ComparedRun,
): { sinks: SinkDiff[]; recs: Map<string, [OutputRecord[], OutputRecord[]]> } {
  const recs = new Map<string, [OutputRecord[], OutputRecord[]]>();
  const sinks = a.runtime.sinkOperators.map((s) => {
    const ra = committedRecords(a.runtime, s.topic);
    const rb = committedRecords(b.runtime, s.topic);
    recs.set(s.id, [ra, rb]);
    return diffSink(s.id, ra, rb);
  });
  return { sinks, recs };
}

function side(
  timelines: Timelines,
  e: ComparedRun,
  diffs: SinkDiff[],
  recs: Map<string, [OutputRecord[], OutputRecord[]]>,
  which: 0 | 1,
): TimelineSide {
  return {
    id: e.timelineId,
    label: timelines.has(e.timelineId) ? timelines.label(e.timelineId) : `Timeline ${e.timelineId}`,
    frame: e.frame(),
    summary: summary(e),
    sinks: diffs.map((d) => {
      const all = recs.get(d.id)?.[which] ?? [];
      const shown = new Set<number>();
      for (let i = Math.max(0, all.length - SHOWN); i < all.length; i++) shown.add(i);
      if (d.first !== null) all.forEach((r, i) => d.matches(r) && shown.add(i));
      return {
        id: d.id,
        committed: all.length,
        rows: [...shown]
          .sort((x, y) => x - y)
          .map((i) => {
            const r = all[i]!;
            return { index: i, row: { ...r.row }, time: r.time, differs: d.matches(r) };
          }),
      };
    }),
  };
}

/** Two timelines' engines at the same virtual time, side by side. */
export function sideBySide(timelines: Timelines, a: ComparedRun, b: ComparedRun): SideBySide {
  const { sinks, recs } = diffAll(a, b);
  const first = sinks.map((s) => s.first).filter((f): f is RecordDifference => f !== null);
  first.sort((x, y) => x.atUs - y.atUs);
  const ta = timelines.has(a.timelineId) ? timelines.get(a.timelineId) : null;
  const tb = timelines.has(b.timelineId) ? timelines.get(b.timelineId) : null;
  const forkedAtUs =
    tb?.parentId === a.timelineId
      ? tb.forkedAtUs
      : ta?.parentId === b.timelineId
        ? ta.forkedAtUs
        : (tb?.forkedAtUs ?? ta?.forkedAtUs ?? null);
  return {
    timeUs: a.now(),
    forkedAtUs,
    maxTimeUs: Math.max(ta?.endUs ?? 0, tb?.endUs ?? 0, a.now()),
    a: side(timelines, a, sinks, recs, 0),
    b: side(timelines, b, sinks, recs, 1),
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
  const { sinks } = diffAll(original, fork);
  return {
    timeUs: fork.now(),
    forkedAtUs,
    original: summary(original),
    fork: summary(fork),
    sinks: sinks.map((s) => ({
      id: s.id,
      onlyInOriginal: s.onlyInA,
      onlyInFork: s.onlyInB,
      firstDifference: s.first === null ? null : describe(s.first),
    })),
  };
}
