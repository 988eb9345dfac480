/**
 * Each preset named for a lesson must show that lesson (issue 11): these tests run the preset in the engine and
 * assert the outcome the preset's description promises, from the engine's typed events and REST JSON.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../engine.ts';
import type { RuntimeEvent } from '../protocol.ts';

interface Run {
  e: Engine;
  events: { t: number; ev: RuntimeEvent }[];
}

/** Runs a preset to `untilUs` in steps, collecting every typed runtime event. */
function run(id: string, untilUs: number): Run {
  const r = createEngine(presetScenario(id));
  if (!r.ok) throw new Error(r.errors.map((x) => `${x.path}: ${x.message}`).join('\n'));
  const e = r.engine;
  const events: Run['events'] = [];
  let cursor = e.runtime.logEnd();
  for (let t = 250_000; t <= untilUs; t += 250_000) {
    e.runUntil(t);
    for (const l of e.runtime.logSince(cursor)) events.push({ t: l.time, ev: l.event });
    cursor = e.runtime.logEnd();
    if (e.isFinished()) break;
  }
  return { e, events };
}

function ofKind<K extends RuntimeEvent['kind']>(r: Run, kind: K): Extract<RuntimeEvent, { kind: K }>[] {
  return r.events.map((x) => x.ev).filter((ev): ev is Extract<RuntimeEvent, { kind: K }> => ev.kind === kind);
}

const counts = (e: Engine) =>
  (e.checkpointStatsJson() as { counts: Record<string, number> }).counts as {
    completed: number;
    failed: number;
  };

describe('presets show their lesson', () => {
  it('alignment-fast-slow: the union aligns for hundreds of ms on every checkpoint, and they complete', () => {
    const r = run('alignment-fast-slow', 16_000_000);
    const topo = r.e.topology();
    const union = new Set(topo.subtasks.filter((s) => s.vertexId.includes('union')).map((s) => s.index));
    const aligned = ofKind(r, 'alignment-complete').filter((a) => union.has(a.subtask));
    expect(aligned.length).toBeGreaterThanOrEqual(10);
    // Every checkpoint after the first has a union subtask that waited at least 300 ms for the slow barrier.
    const perCheckpoint = new Map<number, number>();
    for (const a of aligned)
      perCheckpoint.set(a.checkpointId, Math.max(perCheckpoint.get(a.checkpointId) ?? 0, a.alignmentUs));
    const later = [...perCheckpoint.entries()].filter(([id]) => id >= 2).map(([, us]) => us);
    expect(later.length).toBeGreaterThanOrEqual(5);
    for (const us of later) expect(us).toBeGreaterThanOrEqual(300_000);
    // ...and alignment stays bounded: checkpoints keep completing, none fail.
    expect(counts(r.e).completed).toBeGreaterThanOrEqual(6);
    expect(counts(r.e).failed).toBe(0);
    // No barrier delays: the scenario only slows a real operator and shrinks the network buffers.
    const doc = presetScenario('alignment-fast-slow') as { faults?: unknown[] };
    expect(doc.faults ?? []).toEqual([]);
  });

  it('checkpoint-timeout: aligned checkpoints under backpressure expire', () => {
    const r = run('checkpoint-timeout', 16_000_000);
    const failed = ofKind(r, 'checkpoint-failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((f) => f.reason === 'CHECKPOINT_EXPIRED')).toBe(true);
    expect(r.e.frame().status).toBe('RUNNING');
  });

  it('unaligned-under-backpressure: the same job with unaligned checkpoints completes every checkpoint fast', () => {
    const r = run('unaligned-under-backpressure', 16_000_000);
    expect(ofKind(r, 'checkpoint-failed')).toEqual([]);
    const done = ofKind(r, 'checkpoint-completed');
    expect(done.length).toBeGreaterThanOrEqual(7);
    expect(done.every((c) => c.checkpointType === 'UNALIGNED_CHECKPOINT')).toBe(true);
    for (const c of done) expect(c.durationUs).toBeLessThan(500_000);
    // The in-flight data overtaken by the barrier is part of the checkpoint.
    expect(ofKind(r, 'unaligned-barrier').length).toBeGreaterThan(0);
    const timeout = presetScenario('checkpoint-timeout') as { config: Record<string, unknown> };
    const unaligned = presetScenario('unaligned-under-backpressure') as { config: Record<string, unknown> };
    expect({ ...unaligned.config, 'execution.checkpointing.unaligned.enabled': false }).toEqual(
      timeout.config,
    );
  });

  it('at-least-once-duplicates: the failure makes the sink write duplicates', () => {
    const r = run('at-least-once-duplicates', 10_000_000);
    expect(ofKind(r, 'restoring').length).toBe(1);
    const sink = r.e.correctness().sinks[0];
    expect(sink?.delivery).toBe('at-least-once');
    expect(sink?.duplicates).toBeGreaterThan(50);
    expect(sink?.lost).toBe(0);
  });

  it('two-phase-commit: read-committed output has no duplicates, read-uncommitted output has them', () => {
    const r = run('two-phase-commit', 10_000_000);
    const out = r.e.sinkOutput()['totals'];
    if (out === undefined) throw new Error('no sink totals');
    const unique = (rows: unknown[]) => new Set(rows.map((x) => JSON.stringify(x))).size;
    expect(unique(out.committed)).toBe(out.committed.length);
    // A read-uncommitted reader sees every write, including the aborted transaction that was replayed.
    expect(out.all.length - unique(out.all)).toBeGreaterThan(50);
    const check = r.e.correctness().sinks[0];
    expect(check).toMatchObject({ delivery: 'exactly-once', duplicates: 0, lost: 0 });
    expect(check?.uncommitted).toBeGreaterThan(0);
    // The frame reports the aborted rows, which the Output panel names for read-uncommitted readers.
    const view = r.e.frame().sinks.find((s) => s.id === 'totals');
    expect(view?.aborted).toBeGreaterThan(50);
    expect(view?.aborted).toBeLessThanOrEqual((view?.written ?? 0) - (view?.committed ?? 0));
  });

  it('large-state: waits for IndexedDB (hashmap), and every checkpoint uploads the whole growing state', () => {
    const p = presetScenario('large-state') as { config: Record<string, unknown> };
    expect(p.config['state.backend.type']).toBe('hashmap');
    const r = run('large-state', 14_000_000);
    const done = ofKind(r, 'checkpoint-completed');
    expect(done.length).toBeGreaterThanOrEqual(6);
    const last = done[done.length - 1];
    // Full checkpoints: the last one holds the whole state (about 2 MB), not only what changed.
    expect(last?.stateSize).toBeGreaterThan(1_900_000);
    expect(last?.stateSize).toBeGreaterThan((r.e.stateSummary()['perCustomer']?.bytes ?? 0) * 0.9);
    // Its upload (the async phase at 2 MB/s) is long enough to watch.
    expect(last?.durationUs).toBeGreaterThan(400_000);
  });

  it('rescale-savepoint: a savepoint at 8 s, then a job at parallelism 3 restores it by key group', () => {
    const r = run('rescale-savepoint', 10_000_000);
    const sp = r.e.frame().checkpoints.savepoints[0];
    expect(sp?.parallelism).toMatchObject({ counter: 2 });
    const next = r.e.restartFromSavepoint(sp?.id ?? -1, { counter: 3 }, 3);
    if (!next.ok) throw new Error(JSON.stringify(next.errors));
    const e2 = next.engine;
    const counters = e2.topology().subtasks.filter((s) => s.vertexId.includes('counter'));
    expect(counters).toHaveLength(3);
    e2.runUntil(40_000_000);
    const ranges = counters.map((s) => e2.stateDetails(s.index).keyGroupRange);
    expect(ranges).toEqual([
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ]);
    const check = e2.correctness().sinks[0];
    expect(check?.committed).toBeGreaterThan(0);
    expect(check).toMatchObject({ duplicates: 0, lost: 0, unexpected: 0 });
    for (const row of e2.sinkOutput()['output']?.committed ?? []) expect(row['count']).toBe(1000);
  });

  it('restart-gives-up: two restarts, then the third failure ends the job FAILED', () => {
    const r = run('restart-gives-up', 16_000_000);
    expect(ofKind(r, 'restart-scheduled')).toHaveLength(2);
    const failed = ofKind(r, 'job-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toMatch(/Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy/);
    expect(r.e.frame().status).toBe('FAILED');
  });

  it('jobmanager-storage-limit: checkpoints fail with the JobManager size message once state passes 5 MiB', () => {
    const r = run('jobmanager-storage-limit', 13_000_000);
    const failed = ofKind(r, 'checkpoint-failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.message).toMatch(
      /Size of the state is larger than the maximum permitted memory-backed state\. Size=\d+ , maxSize=5242880/,
    );
    expect(counts(r.e).completed).toBeGreaterThanOrEqual(3);
    expect(r.e.frame().status).toBe('RUNNING');
  });

  it('region-failover: only the failed pipeline restarts; the other keeps its first attempt', () => {
    const r = run('region-failover', 10_000_000);
    const restarts = ofKind(r, 'restart-scheduled');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ scope: 'region', subtasks: 4 });
    const topo = r.e.topology();
    const f = r.e.frame();
    for (const s of topo.subtasks) expect(f.subtaskAttempt[s.index]).toBe(s.subtaskIndex === 0 ? 1 : 0);
    expect(topo.channels.every((c) => c.partitioner === 'forward')).toBe(true);
  });
});
