import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../engine.ts';

type Doc = Record<string, unknown>;
function engineOf(edit: (d: Doc) => void): Engine {
  const d = presetScenario('click-count') as Doc;
  edit(d);
  const r = createEngine(d);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join());
  return r.engine;
}
const ops = (d: Doc): Doc[] => (d.job as { operators: Doc[] }).operators;

describe('live correctness check against the failure-free run', () => {
  it('before any record reaches the sink there is nothing to check: no committed, no uncommitted records', () => {
    // The UI shows "nothing to check yet" (not "correct so far") exactly when committed + uncommitted === 0.
    for (const delivery of ['at-least-once', 'exactly-once']) {
      const e = engineOf((d) => (ops(d)[2]!.delivery = delivery));
      const s0 = e.correctness().sinks[0]!;
      expect(s0).toMatchObject({ committed: 0, uncommitted: 0, duplicates: 0, lost: 0, unexpected: 0 });
      expect(s0.recent).toEqual([]);
      // The first 15 s window fires only once the watermark passes its end: a few seconds in, still empty.
      e.runUntil(3_000_000);
      const s1 = e.correctness().sinks[0]!;
      expect(s1.committed + s1.uncommitted).toBe(0);
      // Later the sink has records and the check has something to say.
      e.runUntil(20_000_000);
      const s2 = e.correctness().sinks[0]!;
      expect(s2.committed + s2.uncommitted).toBeGreaterThan(0);
    }
  });

  it('a failure-free run is correct: nothing duplicated, lost or unexpected; windows all ok', () => {
    const e = engineOf(() => {});
    e.runUntil(40_000_000);
    const s = e.correctness().sinks[0]!;
    expect(s).toMatchObject({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(s.committed).toBeGreaterThan(30);
    expect(s.windows!.keys).toEqual(['/about', '/help', '/index', '/jobs', '/news', '/shop']);
    expect(s.windows!.cells.flat().every((c) => c.verdict === 'ok' && c.values[0] === 1000)).toBe(true);
  });

  it('an at-least-once sink shows the duplicates a replay writes; an exactly-once sink none', () => {
    // Fail right after a window fired and before the next checkpoint: the replay fires it again.
    const faults = [{ at: '6650 ms', kind: 'fail-task', target: 'counter#0' }];
    const alo = engineOf((d) => (d.faults = faults));
    alo.runUntil(30_000_000);
    const a = alo.correctness().sinks[0]!;
    expect(a.duplicates).toBeGreaterThan(0);
    expect(a.lost + a.unexpected).toBe(0);
    expect(a.windows!.cells.flat().some((c) => c.verdict === 'duplicate')).toBe(true);
    expect(a.recent.some((r) => r.verdict === 'duplicate')).toBe(true);
    const eo = engineOf((d) => {
      d.faults = faults;
      ops(d)[2]!.delivery = 'exactly-once';
    });
    eo.runUntil(30_000_000);
    const x = eo.correctness().sinks[0]!;
    expect(x).toMatchObject({ duplicates: 0, lost: 0, unexpected: 0 });
  });

  it('marks results lost when a restart without a checkpoint skips input (startingOffsets latest)', () => {
    const e = engineOf((d) => {
      const cfg = d.config as Doc;
      delete cfg['execution.checkpointing.interval'];
      cfg['restart-strategy.type'] = 'fixed-delay';
      ops(d)[0]!.startingOffsets = 'latest';
      d.faults = [{ at: '20 s', kind: 'fail-task', target: 'counter#1' }];
    });
    e.runUntil(60_000_000);
    const s = e.correctness().sinks[0]!;
    expect(s.lost + s.unexpected).toBeGreaterThan(0);
    expect(s.windows!.cells.flat().some((c) => c.verdict === 'lost' || c.verdict === 'unexpected')).toBe(
      true,
    );
  });

  it('no false losses when inputs interleave differently after a recovery (rolling-sum, exactly-once)', () => {
    const r = createEngine(presetScenario('rolling-sum'));
    if (!r.ok) throw new Error('invalid');
    const e = r.engine;
    e.runUntil(5_000_000);
    e.injectFault({ kind: 'fail-task', target: 'sum#1' });
    e.runUntil(30_000_000);
    const s = e.correctness().sinks[0]!;
    expect(s).toMatchObject({ lost: 0, duplicates: 0, unexpected: 0 });
    // What is uncommitted is the open transactions since the last checkpoint.
    expect(s.uncommitted).toBeGreaterThan(0);
    expect(s.uncommitted).toBeLessThan(1200);
  });
});
