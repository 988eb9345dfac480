/**
 * Every preset on the memory backend and on the IndexedDB backend (full and incremental checkpoints, small write
 * buffers so that flushes and compactions happen), with failures and restores: the same sink output, record for
 * record (issue: "a test runs every preset on both backends and compares sink output and the trace of records").
 * The IndexedDB cost model moves times (block loads make a task busy longer, uploads take their own time), so
 * the trace hash differs and a sink fed by several subtasks may receive the same records in another interleaving:
 * each sink's records are compared as multisets, committed and written.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, listPresets, presetScenario, seekStartAsync } from '../../engine.ts';
import type { KeyedStateBackend } from '../types.ts';
import { isLsmBackend, isLsmHandle, sharedRuns } from './index.ts';

function scenario(id: string, config: Record<string, unknown>, faults = true): Record<string, unknown> {
  const doc = presetScenario(id) as Record<string, unknown> & { job: { operators: { id: string }[] } };
  const ops = doc.job.operators;
  if (faults) {
    doc.faults = [
      { at: '6s', kind: 'fail-task', target: `${ops[ops.length - 1]!.id}#0` },
      { at: '14s', kind: 'fail-task', target: `${ops[1]!.id}#0` },
    ];
  }
  doc.config = { ...(doc.config as Record<string, unknown>), ...config };
  return doc;
}

function engineOf(doc: unknown): Engine {
  const r = createEngine(doc, { timeTravel: false });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.engine;
}

type Sinks = Record<string, { committed: unknown[]; all: unknown[] }>;

/** Each sink's committed and written records, in a canonical order. */
function multisets(sinks: Sinks): Record<string, { committed: string[]; all: string[] }> {
  const out: Record<string, { committed: string[]; all: string[] }> = {};
  for (const [id, s] of Object.entries(sinks)) {
    out[id] = {
      committed: s.committed.map((r) => JSON.stringify(r)).sort(),
      all: s.all.map((r) => JSON.stringify(r)).sort(),
    };
  }
  return out;
}

function lsmBackends(e: Engine): KeyedStateBackend[] {
  return e.runtime.tasks.flatMap((t) => t.chain.keyed.filter(isLsmBackend));
}

const SMALL = {
  'state.backend.type': 'rocksdb',
  'state.backend.rocksdb.writebuffer.size': '1 mb', // 4 kb here
  'state.backend.rocksdb.block.cache-size': '1 mb', // 4 kb here
  'state.backend.rocksdb.compaction.level.max-size-level-base': '4 mb',
};

/**
 * Presets whose lesson is timing itself (checkpoints timing out or failing under backpressure, large uploads): the
 * IndexedDB cost model changes checkpoint durations by design, so which checkpoints complete, and with them what a
 * sink has committed or replayed at a given virtual time, differs. They are run for progress, not for equality.
 */
const TIMING_LESSONS = new Set([
  'checkpoint-timeout',
  'unaligned-under-backpressure',
  'large-state',
  'jobmanager-storage-limit',
]);
/** Presets without keyed state: nothing reaches the LSM tree. */
const NO_KEYED_STATE = new Set(['word-filter', 'region-failover']);

describe('every preset gives the same output on the memory and the IndexedDB backend', () => {
  for (const p of listPresets()) {
    it(`${p.id}`, async () => {
      const mem = engineOf(scenario(p.id, {}));
      mem.runUntil(25_000_000);
      const expected = multisets(mem.result().sinks);
      for (const incremental of [false, true]) {
        const e = engineOf(scenario(p.id, { ...SMALL, 'execution.checkpointing.incremental': incremental }));
        await e.runUntilAsync(25_000_000);
        if (TIMING_LESSONS.has(p.id)) {
          const rows = Object.values(e.result().sinks).reduce((n, x) => n + x.all.length, 0);
          expect(rows).toBeGreaterThan(0);
        } else {
          expect(multisets(e.result().sinks)).toEqual(expected);
          expect(e.runtime.restarts).toBe(mem.runtime.restarts);
        }
        const cps = e.checkpointStatsJson() as { counts: { completed: number } };
        if (!TIMING_LESSONS.has(p.id)) expect(cps.counts.completed).toBeGreaterThan(0);
        if (!NO_KEYED_STATE.has(p.id) && !TIMING_LESSONS.has(p.id)) {
          const flushes = lsmBackends(e).reduce(
            (n, b) => n + (isLsmBackend(b) ? b.lsmStats().flushes : 0),
            0,
          );
          expect(flushes).toBeGreaterThan(0);
        }
      }
    });
  }

  it('the same seed gives the same trace on the IndexedDB backend, run after run', async () => {
    const a = engineOf(scenario('user-sessions', { ...SMALL, 'execution.checkpointing.incremental': true }));
    await a.runUntilAsync(20_000_000);
    const b = engineOf(scenario('user-sessions', { ...SMALL, 'execution.checkpointing.incremental': true }));
    await b.runUntilAsync(20_000_000);
    expect(b.traceHash()).toBe(a.traceHash());
  });

  it('time travel: engine snapshots share pending I/O, and a seek replays to the same trace', async () => {
    const doc = scenario('user-sessions', { ...SMALL, 'execution.checkpointing.incremental': true });
    const r = createEngine(doc); // engine snapshots on
    if (!r.ok) throw new Error('invalid');
    const e = r.engine;
    // As the worker advances: synchronously (taking engine snapshots) until an event waits on real I/O.
    const advance = async (x: Engine, t: number) => {
      while (x.now() < t && !x.isFinished()) {
        const next = Math.min(t, x.now() + 100_000);
        if (x.runUntil(next) === 'blocked') await x.runUntilAsync(next);
      }
    };
    await advance(e, 12_000_000);
    expect(e.failure).toBeNull();
    expect(e.snapshots.size).toBeGreaterThan(1);
    const back = await seekStartAsync(e, 5_500_000);
    await advance(back, 5_500_000);
    expect(back.now()).toBe(5_500_000);
    await advance(back, 12_000_000);
    expect(back.failure).toBeNull();
    expect(back.traceHash()).toBe(e.traceHash());
  });

  it('incremental checkpoints upload less than they reference', async () => {
    // Default sizes: the memtable is flushed by the checkpoints, four L0 runs start a compaction.
    const e = engineOf(
      scenario(
        'user-sessions',
        { 'state.backend.type': 'indexeddb', 'execution.checkpointing.incremental': true },
        false,
      ),
    );
    await e.runUntilAsync(25_000_000);
    const s = e.checkpointStatsJson() as {
      history: { status: string; checkpointed_size: number; state_size: number }[];
    };
    const done = s.history.filter((h) => h.status === 'COMPLETED');
    expect(done.length).toBeGreaterThan(2);
    expect(done.some((h) => h.checkpointed_size < h.state_size)).toBe(true);
    for (const h of done) expect(h.checkpointed_size).toBeLessThanOrEqual(h.state_size);
    // The SharedStateRegistry deleted the runs no retained checkpoint needs (num-retained 1) and kept the others.
    const reg = e.runtime.coordinator.sharedState;
    expect(reg.discardedRuns).toBeGreaterThan(0);
    const latest = e.runtime.coordinator.completed.at(-1);
    const referenced = new Set<string>();
    for (const st of latest?.subtasks ?? [])
      for (const op of Object.values(st.operators))
        if (op.keyed && isLsmHandle(op.keyed)) for (const r of sharedRuns(op.keyed)) referenced.add(r.key);
    expect(referenced.size).toBeGreaterThan(0);
    for (const k of referenced) expect(reg.entry(k)).toBeDefined();
    expect(reg.size).toBe(referenced.size);
  });

  it('fail-state-backend: a failed checkpoint write declines with CHECKPOINT_ASYNC_EXCEPTION', async () => {
    const doc = scenario(
      'rolling-sum',
      { 'state.backend.type': 'indexeddb', 'execution.checkpointing.tolerable-failed-checkpoints': 5 },
      false,
    );
    doc.faults = [{ at: '3s', kind: 'fail-state-backend', target: 'sum#0' }];
    const e = engineOf(doc);
    await e.runUntilAsync(10_000_000);
    const s = e.checkpointStatsJson() as {
      counts: { failed: number };
      history: { status: string; failure_message?: string }[];
    };
    expect(s.counts.failed).toBe(1);
    expect(s.history.find((h) => h.status === 'FAILED')?.failure_message).toContain(
      'Asynchronous task checkpoint failed.',
    );
    expect(e.runtime.restarts).toBe(0);
  });

  it('fail-state-backend: a failed state write fails the task and recovery follows', async () => {
    const cfg = { ...SMALL, 'state.backend.rocksdb.writebuffer.size': '64 kb' }; // 256 bytes: flushes often
    const doc = scenario('rolling-sum', cfg, false);
    doc.faults = [{ at: '3s', kind: 'fail-state-backend', target: 'sum#0' }];
    const e = engineOf(doc);
    await e.runUntilAsync(20_000_000);
    expect(e.runtime.restarts).toBe(1);
    const c = e.correctness();
    for (const s of c.sinks) {
      expect(s.checked).toBe(true);
      expect([s.duplicates, s.lost, s.unexpected]).toEqual([0, 0, 0]);
    }
  });
});
