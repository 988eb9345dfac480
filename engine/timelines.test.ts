/**
 * Timelines (issue 10 §8, issue 7 §4-5): acting in the past forks a new timeline and the original keeps its future;
 * switching between them restores snapshots instead of replaying whole runs; two timelines compare side by side at
 * the same virtual time with the first differing record; and every entry point gives exactly the memory backend's
 * results when the state backend completes its I/O asynchronously.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  compareTimelinesAsync,
  createEngine,
  type Engine,
  listPresets,
  presetScenario,
  seekEngine,
  seekEngineAsync,
  seekStartAsync,
  switchTimelineAsync,
} from './engine.ts';
import { AsyncTestBackend } from './state/asyncTestBackend.ts';
import { verifySeed, verifySeedAsync } from './verification/verify.ts';

function engineOf(doc: unknown, async = false): Engine {
  const r = createEngine(doc, async ? { keyedBackend: (opts) => new AsyncTestBackend(opts) } : {});
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}

describe('switching timelines', () => {
  it('acting in the past forks; the original keeps its future and switching back restores it', async () => {
    const e = engineOf(presetScenario('click-count'));
    e.runUntil(40_000_000);
    const originalHash = e.traceHash();
    const back = seekEngine(e, 12_400_000);
    back.injectFault({ kind: 'fail-task', target: 'counter#0' });
    back.runUntil(30_000_000);
    const list = back.timelineList();
    expect(list.map((t) => [t.label, t.current, t.endUs, t.actionCount])).toEqual([
      ['Original', false, 40_000_000, 0],
      ['Fork at 12.400 s', true, 30_000_000, 1],
    ]);
    expect(list[1]!.parentId).toBe(0);
    expect(back.frame().forkedAt).toBe(12_400_000);

    // Back to the original: at its end, the same run as before the fork; restored from its newest snapshot.
    const best = vi.spyOn(e.snapshots, 'best');
    const original = await switchTimelineAsync(back, 0);
    const used = best.mock.results[0]!.value as { timeUs: number } | null;
    best.mockRestore();
    expect(original.now()).toBe(40_000_000);
    expect(original.traceHash()).toBe(originalHash);
    expect(original.frame().forkedAt).toBeNull();
    expect(used!.timeUs).toBeGreaterThanOrEqual(40_000_000 - e.snapshots.everyUs);
    expect(original.timelineList().find((t) => t.current)!.id).toBe(0);

    // And to the fork again: its own future (the failure) is intact too.
    const fork = await switchTimelineAsync(original, 1);
    expect(fork.now()).toBe(30_000_000);
    expect(fork.traceHash()).toBe(back.traceHash());
    expect(fork.runtime.restarts).toBe(1);
  });

  it('acting at the end of a timeline extends it; acting again in the past of a fork forks the fork', () => {
    const e = engineOf(presetScenario('click-count'));
    e.runUntil(10_000_000);
    e.triggerCheckpoint();
    e.runUntil(20_000_000);
    expect(e.timelineList()).toHaveLength(1);
    expect(e.timelineList()[0]!.actionCount).toBe(1);
    const a = seekEngine(e, 15_000_000);
    a.triggerSavepoint();
    a.runUntil(25_000_000);
    const b = seekEngine(a, 18_000_000);
    b.triggerCheckpoint();
    const list = b.timelineList();
    expect(list.map((t) => t.label)).toEqual(['Original', 'Fork at 15.000 s', 'Fork at 18.000 s']);
    expect(list[2]!.parentId).toBe(1);
    expect(list[2]!.actionCount).toBe(3);
  });
});

describe('side by side', () => {
  it('both timelines at the same time, with the first differing window result', async () => {
    const e = engineOf(presetScenario('click-count'));
    e.runUntil(40_000_000);
    // The fork loses a TaskManager for 10 s just before the window of 30 s fires: its result comes late.
    const fork = seekEngine(e, 25_000_000);
    fork.injectFault({ kind: 'kill-taskmanager', target: 'tm-1', durationUs: 10_000_000 });
    fork.runUntil(40_000_000);
    const cmp = await compareTimelinesAsync(fork, 0, 1, 32_000_000);
    expect(cmp.timeUs).toBe(32_000_000);
    expect(cmp.a.frame.time).toBe(32_000_000);
    expect(cmp.b.frame.time).toBe(32_000_000);
    expect(cmp.forkedAtUs).toBe(25_000_000);
    expect(cmp.a.frame.taskManagerAlive).toEqual([true, true]);
    expect(cmp.b.frame.taskManagerAlive).toEqual([true, false]);
    expect(cmp.b.summary.restarts).toBe(1);
    // The same as running each timeline to 32 s directly.
    expect(cmp.a.summary.traceHash).toBe(seekEngine(e, 32_000_000).traceHash());
    expect(cmp.b.summary.traceHash).toBe(seekEngine(fork, 32_000_000).traceHash());
    expect(cmp.sinks).toEqual([{ id: 'output', onlyInA: 6, onlyInB: 0 }]);
    const d = cmp.firstDifference!;
    expect(d).toMatchObject({ sink: 'output', keyField: 'page', valueField: 'count', b: [] });
    expect(d.windowEnd! - d.windowStart!).toBe(15_000);
    expect(d.a).toEqual([{ page: d.key, windowStart: d.windowStart, windowEnd: d.windowEnd, count: 1000 }]);
    expect(d.atUs).toBeGreaterThan(30_000_000);
    // The rows shown on each side include those of the difference, flagged.
    const flagged = [...cmp.a.sinks[0]!.rows, ...cmp.b.sinks[0]!.rows].filter((r) => r.differs);
    expect(flagged.map((r) => r.row)).toEqual(d.a);
    // Once the fork has caught up, both committed the same records; before the fork, everything is the same.
    expect((await compareTimelinesAsync(fork, 0, 1, 40_000_000)).firstDifference).toBeNull();
    const early = await compareTimelinesAsync(fork, 0, 1, 20_000_000);
    expect(early.firstDifference).toBeNull();
    expect(early.a.summary.traceHash).toBe(early.b.summary.traceHash);
  });

  it('a moving slider runs the cached side engines on; going back restores a snapshot, never the start', async () => {
    const e = engineOf(presetScenario('rolling-sum'));
    e.runUntil(30_000_000);
    const fork = seekEngine(e, 10_000_000);
    fork.injectFault({ kind: 'fail-task', target: fork.topology().subtasks[1]!.name });
    fork.runUntil(30_000_000);
    const restore = vi.spyOn(e.snapshots, 'restore');
    await compareTimelinesAsync(fork, 0, 1, 20_000_000);
    expect(restore).toHaveBeenCalledTimes(2);
    await compareTimelinesAsync(fork, 0, 1, 21_000_000);
    expect(restore).toHaveBeenCalledTimes(2); // both sides ran on from 20 s
    await compareTimelinesAsync(fork, 0, 1, 6_000_000);
    expect(restore).toHaveBeenCalledTimes(4);
    for (const r of restore.mock.calls) expect(r[0].timeUs).toBeGreaterThan(0);
    restore.mockRestore();
    // An action appended to a compared timeline afterwards is part of the next comparison.
    fork.triggerSavepoint();
    fork.runUntil(32_000_000);
    const later = await compareTimelinesAsync(fork, 0, 1, 31_000_000);
    expect(later.b.summary.traceHash).toBe(seekEngine(fork, 31_000_000).traceHash());
    expect(later.b.summary.actions).toBe(2);
    const cmp = await compareTimelinesAsync(fork, 0, 1, 25_000_000);
    // Records without windows compare position by position: the first place the outputs hold different records.
    const d = cmp.firstDifference!;
    expect(d.keyField).toBeNull();
    expect(d.a.length + d.b.length).toBeGreaterThanOrEqual(1);
    expect(d.a).not.toEqual(d.b);
    const ia = cmp.a.sinks[0]!.rows.find((r) => r.differs);
    const ib = cmp.b.sinks[0]!.rows.find((r) => r.differs);
    expect(ia?.row ?? null).toEqual(d.a[0] ?? null);
    expect(ib?.row ?? null).toEqual(d.b[0] ?? null);
  });
});

/** Runs the same scenario on the memory backend and on the asynchronous test backend. */
function both(id: string): { sync: Engine; async: Engine } {
  const doc = presetScenario(id) as Record<string, unknown> & { job: { operators: { id: string }[] } };
  const ops = doc.job.operators;
  doc.faults = [{ at: '7s', kind: 'fail-task', target: `${ops[1]!.id}#0` }];
  return { sync: engineOf(doc), async: engineOf(doc, true) };
}

describe('every entry point awaits asynchronous state I/O', () => {
  for (const p of listPresets()) {
    it(`${p.id}: step, step to a kind, seek, fork, compare and the reference run match the memory backend`, async () => {
      const before = AsyncTestBackend.ioCount;
      const { sync, async } = both(p.id);
      // Run to and step event by event.
      sync.runUntil(2_000_000);
      await async.runUntilAsync(2_000_000);
      for (let i = 0; i < 300; i++) {
        sync.stepEvent();
        await async.stepEventAsync();
      }
      expect(async.traceHash()).toBe(sync.traceHash());
      // Step to each kind (the failure at 7 s, the restore after it, checkpoints, barriers).
      for (const kind of ['barrier', 'checkpoint-completed', 'failure', 'restore'] as const) {
        const a = sync.stepTo(kind, sync.now() + 20_000_000);
        const b = await async.stepToAsync(kind, async.now() + 20_000_000);
        expect(b).toBe(a);
        expect(async.traceHash()).toBe(sync.traceHash());
        expect(async.runtime.kernel.processed).toBe(sync.runtime.kernel.processed);
      }
      sync.triggerSavepoint();
      await async.runUntilAsync(async.now()); // nothing pending at this instant on either side
      async.triggerSavepoint();
      sync.runUntil(18_000_000);
      await async.runUntilAsync(18_000_000);
      expect(async.traceHash()).toBe(sync.traceHash());
      // The reference run (the live correctness check).
      expect(await async.correctnessAsync()).toEqual(sync.correctness());
      // Seek back (restore a snapshot, replay) and fork there.
      const sBack = seekEngine(sync, 9_500_000);
      const aStart = await seekStartAsync(async, 9_500_000);
      await aStart.runUntilAsync(9_500_000);
      expect(aStart.traceHash()).toBe(sBack.traceHash());
      const aBack = await seekEngineAsync(async, 9_500_000);
      expect(aBack.traceHash()).toBe(sBack.traceHash());
      sBack.triggerCheckpoint();
      aBack.triggerCheckpoint();
      sBack.runUntil(16_000_000);
      await aBack.runUntilAsync(16_000_000);
      expect(aBack.traceHash()).toBe(sBack.traceHash());
      // Compare the fork with the original, both ways.
      const sc = await compareTimelinesAsync(sBack, 0, 1, 15_000_000);
      const ac = await compareTimelinesAsync(aBack, 0, 1, 15_000_000);
      expect(ac.a.summary).toEqual(sc.a.summary);
      expect(ac.b.summary).toEqual(sc.b.summary);
      expect(ac.firstDifference).toEqual(sc.firstDifference);
      expect(await aBack.compareWithOriginalAsync()).toEqual(sBack.compareWithOriginal());
      // Switch back to the original.
      const sOrig = await switchTimelineAsync(sBack, 0);
      const aOrig = await switchTimelineAsync(aBack, 0);
      expect(aOrig.traceHash()).toBe(sOrig.traceHash());
      expect(aOrig.now()).toBe(sOrig.now());
      // Replay of stamped actions on a fresh engine (the watchdog's rebuild).
      const fresh = both(p.id).async;
      await fresh.replayAsync(async.actionLog, 18_000_000);
      expect(fresh.traceHash()).toBe(async.traceHash());
      // Keyed presets really went through asynchronous I/O (word-filter and region-failover have no keyed state).
      if (!['word-filter', 'region-failover'].includes(p.id))
        expect(AsyncTestBackend.ioCount).toBeGreaterThan(before);
      expect(async.snapshots.size).toBeGreaterThan(3);
    });
  }

  it('verify: a seed checked on the asynchronous backend gets the memory backend verdict', async () => {
    const asyncBackend = {
      keyedBackend: (o: ConstructorParameters<typeof AsyncTestBackend>[0]) => new AsyncTestBackend(o),
    };
    for (const id of ['click-count', 'rolling-sum', 'union-two-speeds']) {
      const doc = presetScenario(id) as Record<string, unknown>;
      for (const seed of [3, 4]) {
        const opts = { faults: 'random', inputSeconds: 6 } as const;
        const before = AsyncTestBackend.ioCount;
        const want = verifySeed(doc, seed, opts);
        const got = await verifySeedAsync(doc, seed, opts, asyncBackend);
        expect(got).toEqual(want);
        expect(got.error).toBeNull();
        expect(AsyncTestBackend.ioCount).toBeGreaterThan(before);
      }
    }
  });

  it('the synchronous entry points say the run waits on I/O instead of answering half-done', () => {
    const e = engineOf(presetScenario('rolling-sum'), true);
    expect(e.runUntil(5_000_000)).toBe('blocked');
    expect(() => e.correctness()).toThrow(/asynchronous variant/);
  });
});
