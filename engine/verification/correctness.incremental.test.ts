/**
 * The incremental correctness check (indexes kept across checks, seeks, forks and switches; the reference run kept
 * and restored) against the full recomputation it replaced: the previous implementation, verbatim, over a freshly
 * built failure-free run at the same moment.
 */
import { describe, expect, it } from 'vitest';
import type { OutputRecord } from '../connectors/topic.ts';
import type { CorrectnessView } from '../protocol.ts';
import type { JobRuntime } from '../runtime/jobRuntime.ts';
import type { Row } from '../scenario/types.ts';
import { canonicalRow } from './canonicalRow.ts';
import { createEngine, type Engine, presetScenario, seekEngine, switchTimelineAsync } from '../engine.ts';

// ---- the full recomputation (the check before it was incremental) ----------------------------------------------
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

function fullCheck(run: JobRuntime, reference: JobRuntime): CorrectnessView {
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

// ---- the comparison ------------------------------------------------------------------------------------------------

type Doc = Record<string, unknown>;

/** What the full recomputation says for `e` now: against a new failure-free run at now + 5 s. */
function expected(e: Engine): CorrectnessView {
  const doc = JSON.parse(JSON.stringify(e.rawScenario)) as Doc;
  doc.faults = [];
  const r = createEngine(doc, { timeTravel: false });
  if (!r.ok) throw new Error('invalid');
  r.engine.runUntil(e.now() + 5_000_000);
  return fullCheck(e.runtime, r.engine.runtime);
}

function check(e: Engine, label: string): CorrectnessView {
  const got = e.correctness();
  expect(got, label).toEqual(expected(e));
  return got;
}

function engineOf(preset: string, edit: (d: Doc) => void): Engine {
  const d = presetScenario(preset) as Doc;
  edit(d);
  const r = createEngine(d);
  if (!r.ok) throw new Error(r.errors.map((x) => x.message).join());
  return r.engine;
}
const ops = (d: Doc): Doc[] => (d.job as { operators: Doc[] }).operators;

describe('the incremental correctness check equals the full recomputation', () => {
  const cases: [string, string, (d: Doc) => void][] = [
    [
      'click-count',
      'at-least-once, a failure after a window fired (duplicates)',
      (d) => {
        d.faults = [{ at: '6650 ms', kind: 'fail-task', target: 'counter#0' }];
      },
    ],
    [
      'click-count',
      'exactly-once with a failure (open transactions)',
      (d) => {
        d.faults = [{ at: '6650 ms', kind: 'fail-task', target: 'counter#0' }];
        ops(d)[2]!.delivery = 'exactly-once';
      },
    ],
    [
      'click-count',
      'a restart without a checkpoint skipping input (lost)',
      (d) => {
        const cfg = d.config as Doc;
        delete cfg['execution.checkpointing.interval'];
        cfg['restart-strategy.type'] = 'fixed-delay';
        ops(d)[0]!.startingOffsets = 'latest';
        d.faults = [{ at: '20 s', kind: 'fail-task', target: 'counter#1' }];
      },
    ],
    [
      'rolling-sum',
      'rolling-sum with a failure',
      (d) => {
        d.faults = [{ at: '7 s', kind: 'fail-task', target: 'sum#1' }];
      },
    ],
  ];
  for (const [preset, what, edit] of cases) {
    it(`${preset}: ${what}; forward, seeks back and forward, a fork, a switch back`, async () => {
      let e = engineOf(preset, edit);
      check(e, 'at 0');
      e.runUntil(25_000_000);
      check(e, 'at 25 s');
      e.runUntil(25_000_000 + 1_234_567);
      check(e, 'a little later');
      e.runUntil(50_000_000);
      const end = check(e, 'at 50 s');
      e = seekEngine(e, 12_345_678);
      check(e, 'seek back to 12.3 s');
      e = seekEngine(e, 3_000_000);
      check(e, 'seek back to 3 s');
      e = seekEngine(e, 44_000_000);
      check(e, 'seek forward to 44 s');
      e = seekEngine(e, 50_000_000);
      expect(check(e, 'seek to the end again')).toEqual(end);
      e = seekEngine(e, 18_000_000);
      e.injectFault({ kind: 'fail-task', target: `${String(ops(presetScenario(preset) as Doc)[1]!.id)}#0` });
      expect(e.timelineId).not.toBe(0);
      check(e, 'a fork at 18 s');
      e.runUntil(40_000_000);
      check(e, 'the fork at 40 s');
      e = await switchTimelineAsync(e, 0);
      expect(check(e, 'switched back to the original')).toEqual(end);
      e = seekEngine(e, 30_000_000);
      check(e, 'the original at 30 s');
    });
  }
});
