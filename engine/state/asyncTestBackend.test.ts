/**
 * Ready for asynchronous state (issue: the runtime in Flink's shape, section 5): with a backend whose prefetches,
 * snapshot writes and restores complete only after a real await, every preset gives exactly the trace of the
 * memory backend (I/O never decides ordering), also across faults and restores.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, listPresets, presetScenario } from '../engine.ts';
import { AsyncTestBackend } from './asyncTestBackend.ts';

function withFaults(id: string): Record<string, unknown> {
  const doc = presetScenario(id) as Record<string, unknown> & { job: { operators: { id: string }[] } };
  const ops = doc.job.operators;
  doc.faults = [
    { at: '6s', kind: 'fail-task', target: `${ops[ops.length - 1]!.id}#0` },
    { at: '14s', kind: 'fail-task', target: `${ops[1]!.id}#0` },
  ];
  return doc;
}

function engineOf(doc: unknown, async: boolean): Engine {
  const r = createEngine(doc, async ? { keyedBackend: (opts) => new AsyncTestBackend(opts) } : {});
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.engine;
}

describe('an asynchronous state backend changes nothing in the run', () => {
  for (const p of listPresets()) {
    it(`${p.id}: same trace as on the memory backend, with faults and restores`, async () => {
      const before = AsyncTestBackend.ioCount;
      const sync = engineOf(withFaults(p.id), false);
      sync.runUntil(25_000_000);
      const async = engineOf(withFaults(p.id), true);
      await async.runUntilAsync(25_000_000);
      expect(async.traceHash()).toBe(sync.traceHash());
      expect(async.runtime.kernel.processed).toBe(sync.runtime.kernel.processed);
      expect(async.result().sinks).toEqual(sync.result().sinks);
      expect(async.runtime.restarts).toBe(sync.runtime.restarts);
      // Keyed presets really went through asynchronous I/O (word-filter and region-failover have no keyed state).
      if (!['word-filter', 'region-failover'].includes(p.id))
        expect(AsyncTestBackend.ioCount).toBeGreaterThan(before);
    });
  }

  it('the synchronous API reports that the run waits on I/O instead of running past it', () => {
    const e = engineOf(presetScenario('rolling-sum'), true);
    expect(e.runUntil(5_000_000)).toBe('blocked');
    expect(e.now()).toBeLessThan(5_000_000);
  });

  it('a failed snapshot write declines the checkpoint with CHECKPOINT_ASYNC_EXCEPTION', async () => {
    const backends: AsyncTestBackend[] = [];
    const doc = presetScenario('rolling-sum') as Record<string, unknown>;
    doc.config = {
      ...(doc.config as Record<string, unknown>),
      'execution.checkpointing.tolerable-failed-checkpoints': 5,
    };
    const r = createEngine(doc, {
      keyedBackend: (opts) => {
        const b = new AsyncTestBackend(opts);
        backends.push(b);
        return b;
      },
    });
    if (!r.ok) throw new Error('invalid');
    const e = r.engine;
    await e.runUntilAsync(3_000_000);
    for (const b of backends) b.failWrites = true;
    await e.runUntilAsync(6_000_000);
    const stats = e.checkpointStatsJson() as { latest: { failed: { failure_message: string } | null } };
    expect(stats.latest.failed?.failure_message).toContain('Asynchronous task checkpoint failed.');
  });
});
