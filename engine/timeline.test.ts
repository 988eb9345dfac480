/**
 * Time travel with engine snapshots (issue: the runtime in Flink's shape, section 4): a seek restores the nearest
 * earlier snapshot of the same timeline and replays at most one snapshot interval; the result is exactly the run
 * rebuilt from the start (same trace hash, same events); forks keep the original's snapshots; memory is bounded.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, listPresets, presetScenario, seekEngine } from './engine.ts';
import type { JobRuntime } from './runtime/jobRuntime.ts';
import { SnapshotStore } from './timeline.ts';

function engineOf(doc: unknown, timeTravel = true): Engine {
  const r = createEngine(doc, { timeTravel });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}

function withFaults(id: string): Record<string, unknown> {
  const doc = presetScenario(id) as Record<string, unknown> & { job: { operators: { id: string }[] } };
  const last = doc.job.operators[doc.job.operators.length - 1]!.id;
  doc.faults = [{ at: '12s', kind: 'fail-task', target: `${last}#0` }];
  return doc;
}

describe('seek restores a snapshot and replays the rest', () => {
  for (const p of listPresets()) {
    it(`${p.id}: a seek gives exactly the run rebuilt from the start`, () => {
      const e = engineOf(withFaults(p.id));
      e.runUntil(20_000_000);
      e.triggerSavepoint();
      e.runUntil(33_000_000);
      expect(e.snapshots.size).toBeGreaterThan(4);
      for (const t of [3_300_000, 17_250_000, 21_000_000, 32_999_000]) {
        const back = seekEngine(e, t);
        const fresh = engineOf(withFaults(p.id), false);
        fresh.replay(
          e.actions().map((a, i) => ({ ...a, seq: e.actionLog[i]!.seq })),
          t,
        );
        expect(back.now()).toBe(t);
        expect(back.traceHash()).toBe(fresh.traceHash());
        expect(back.runtime.kernel.processed).toBe(fresh.runtime.kernel.processed);
        expect(back.result().sinks).toEqual(fresh.result().sinks);
      }
    });
  }

  it('replays at most one snapshot interval', () => {
    const e = engineOf(presetScenario('click-count'));
    e.runUntil(60_000_000);
    const back = seekEngine(e, 42_300_000);
    const snap = e.snapshots.best(e.actionLog, 42_300_000)!;
    expect(snap.timeUs).toBe(40_000_000);
    expect(back.runtime.kernel.processed).toBeGreaterThan(snap.processed);
    // From the snapshot at 40 s, not from 0: a small share of the events.
    expect(back.runtime.kernel.processed - snap.processed).toBeLessThan(back.runtime.kernel.processed / 10);
  });

  it('a fork keeps the original timeline: seeking along the original uses its snapshots', () => {
    const e = engineOf(presetScenario('click-count'));
    e.runUntil(30_000_000);
    const back = seekEngine(e, 10_000_000);
    back.injectFault({ kind: 'fail-task', target: 'counter#0' });
    back.runUntil(25_000_000);
    const cmp = back.compareWithOriginal()!;
    expect(cmp.original.restarts).toBe(0);
    expect(cmp.fork.restarts).toBe(1);
    expect(cmp.original.traceHash).not.toBe(cmp.fork.traceHash);
    // The original's snapshots after the fork time are still in the store.
    const original = back.timelines.get(0).actions;
    const snap = back.snapshots.best(original, 25_000_000)!;
    expect(snap.timeUs).toBe(25_000_000);
    expect(snap.actionCount).toBe(0);
  });

  it('snapshots are thinned as a run grows', () => {
    const store = new SnapshotStore(5_000_000);
    const runtime = { kernel: { now: 0, processed: 0 } };
    for (let t = 5_000_000; t <= 30 * 60_000_000; t += 5_000_000) {
      runtime.kernel.now = t;
      runtime.kernel.processed = t / 1000;
      store.take(runtime as unknown as JobRuntime, [], null, false);
    }
    const times = store.list().map((s) => s.timeUs);
    // Last minute: every 5 s (13); 1-10 min back: every 30 s (18); further back: every 2 min (10).
    expect(times.length).toBeLessThanOrEqual(45);
    expect(times.filter((t) => t >= 29 * 60_000_000).length).toBe(13);
    expect(times.filter((t) => t < 20 * 60_000_000).every((t) => t % 120_000_000 === 0)).toBe(true);
  });
});
