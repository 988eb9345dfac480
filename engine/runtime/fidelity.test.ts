/**
 * Behaviour checked against Flink 1.20's classes (issue: the runtime in Flink's shape, section 2). Each case
 * failed before: job status during a region failover, periodic triggers while tasks are not running, a failed
 * stop-with-savepoint, the unaligned / max-concurrent configuration check, a min-pause above the interval.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../engine.ts';
import type { JobStatus, RuntimeEvent } from '../protocol.ts';

type Doc = Record<string, unknown>;
const preset = (id: string): Doc => presetScenario(id) as Doc;

function engineOf(doc: unknown): Engine {
  const r = createEngine(doc);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}

function events(e: Engine): RuntimeEvent[] {
  return e.frame().log.map((l) => l.event);
}

/** Two forward-only pipelines (source#i -> map#i -> sink#i): two pipelined regions (reference 5.2). */
function twoRegions(): Doc {
  return {
    version: 1,
    name: 'Two regions',
    seed: 3,
    cluster: { taskManagers: 1, slotsPerTaskManager: 2 },
    topics: { in: { partitions: 2, generator: { kind: 'keyed', keys: 10, ratePerSecond: 500 } } },
    job: {
      operators: [
        { id: 'src', kind: 'source', topic: 'in', parallelism: 2 },
        { id: 'double', kind: 'map', input: 'src', fn: { type: 'identity' }, parallelism: 2 },
        { id: 'out', kind: 'sink', input: 'double', parallelism: 2, delivery: 'exactly-once' },
      ],
    },
    config: { 'execution.checkpointing.interval': '1 s', 'pipeline.operator-chaining.enabled': false },
  };
}

describe('job status during failover (DefaultScheduler)', () => {
  it('a region restart moves the job RUNNING -> RESTARTING -> RUNNING while the other region keeps running', () => {
    const doc = twoRegions();
    doc.faults = [{ at: '5s', kind: 'fail-task', target: 'double#0' }];
    const e = engineOf(doc);
    e.runUntil(5_000_001);
    expect(e.runtime.status).toBe('RESTARTING');
    const other = e.runtime.tasks.filter((t) => t.info.subtaskIndex === 1);
    expect(other.every((t) => t.status === 'RUNNING')).toBe(true);
    e.runUntil(12_000_000);
    expect(e.runtime.status).toBe('RUNNING');
    const transitions = events(e)
      .filter((x): x is Extract<RuntimeEvent, { kind: 'job-status' }> => x.kind === 'job-status')
      .map((x) => x.to);
    expect(transitions).toEqual<JobStatus[]>(['RUNNING', 'RESTARTING', 'RUNNING']);
  });

  it('periodic triggers while restored tasks are still INITIALIZING fail and are counted as failed checkpoints', () => {
    const doc = preset('rolling-sum');
    doc.sim = { ...(doc.sim as Doc | undefined), stateBandwidth: '1 kb' }; // a slow restore (seconds)
    const topics = doc.topics as Record<string, { generator: Record<string, unknown> }>;
    for (const t of Object.values(topics)) t.generator.keys = 3000;
    doc.faults = [{ at: '10s', kind: 'fail-task', target: 'sum#0' }];
    const e = engineOf(doc);
    e.runUntil(30_000_000);
    const failedTriggers = events(e).filter((x) => x.kind === 'checkpoint-trigger-failed');
    expect(failedTriggers.length).toBeGreaterThan(0);
    expect(failedTriggers.every((x) => x.kind === 'checkpoint-trigger-failed' && x.periodic)).toBe(true);
    const stats = e.checkpointStatsJson() as { counts: { failed: number; completed: number } };
    expect(stats.counts.failed).toBeGreaterThanOrEqual(failedTriggers.length);
    expect(e.runtime.status).toBe('RUNNING');
  });
});

describe('stop-with-savepoint that fails (StopWithSavepointTerminationHandlerImpl)', () => {
  it('leaves the job RUNNING, resumes the sources and restarts periodic checkpointing; nothing counts', () => {
    const e = engineOf(preset('rolling-sum'));
    e.runUntil(5_000_000);
    e.injectFault({ kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 1 });
    const id = e.stopWithSavepoint(false);
    expect(id).not.toBeNull();
    e.runUntil(6_000_000);
    expect(e.runtime.status).toBe('RUNNING');
    expect(events(e).some((x) => x.kind === 'stop-with-savepoint-failed')).toBe(true);
    const readAt6 = e.runtime.tasks.reduce((n, t) => n + t.recordsIn, 0);
    e.runUntil(30_000_000);
    expect(e.runtime.status).toBe('RUNNING');
    expect(e.runtime.restarts).toBe(0); // tolerable-failed-checkpoints 0, yet a failed savepoint fails nothing
    expect(e.runtime.tasks.reduce((n, t) => n + t.recordsIn, 0)).toBeGreaterThan(readAt6 + 1000);
    const completedAfter = e.runtime.coordinator.latestCompleted();
    expect(completedAfter !== null && completedAfter.id > (id as number)).toBe(true);
  });
});

describe('configuration checks', () => {
  it('unaligned checkpoints with max-concurrent-checkpoints > 1 are refused with Flink’s message', () => {
    const doc = preset('click-count');
    doc.config = {
      ...(doc.config as Doc),
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.max-concurrent-checkpoints': 2,
    };
    const r = createEngine(doc);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]?.message).toContain(
        "maxConcurrentCheckpoints can't be > 1 if UnalignedCheckpoints enabled",
      );
  });

  it('a min-pause larger than the interval runs (Flink raises the interval to the min pause)', () => {
    const doc = preset('click-count');
    doc.config = { ...(doc.config as Doc), 'execution.checkpointing.min-pause': '3 s' };
    const e = engineOf(doc);
    e.runUntil(20_000_000);
    expect(e.failure).toBeNull();
    expect(e.runtime.coordinator.completedCount).toBeGreaterThanOrEqual(4);
  });
});

describe('TaskManager loss detection (reference 2.7)', () => {
  it('peers with a connection to the dead TaskManager fail at once: no wait for the heartbeat timeout', () => {
    const doc = preset('click-count');
    doc.config = { ...(doc.config as Doc), 'heartbeat.interval': '10 s', 'heartbeat.timeout': '50 s' };
    doc.faults = [{ at: '10s', kind: 'kill-taskmanager', target: 'tm-1' }];
    const e = engineOf(doc);
    e.runUntil(10_500_000);
    const ev = events(e);
    const peer = ev.find((x) => x.kind === 'failure-detected' && x.by === 'peer-connection');
    expect(peer).toBeDefined();
    expect(e.runtime.status).toBe('RESTARTING');
    // The JobManager itself has not noticed yet: the dead TaskManager still shows its detection deadline.
    expect(e.frame().taskManagerDetectAtUs[1]).toBe(30_000_000); // 2 failed heartbeat RPCs at 20 s and 30 s
  });

  it('without peers, heartbeat.rpc-failure-threshold failed RPCs mark the TaskManager dead before the timeout', () => {
    const doc = twoRegions();
    doc.cluster = { taskManagers: 2, slotsPerTaskManager: 1 };
    doc.config = { ...(doc.config as Doc), 'heartbeat.interval': '1 s', 'heartbeat.timeout': '50 s' };
    doc.faults = [{ at: '5500ms', kind: 'kill-taskmanager', target: 'tm-1' }];
    const e = engineOf(doc);
    e.runUntil(9_000_000);
    const detected = e.frame().log.find((l) => l.event.kind === 'failure-detected');
    expect(detected?.event.kind === 'failure-detected' && detected.event.by).toBe('rpc-failures');
    expect(detected?.time).toBe(7_000_000); // RPCs at 6 s and 7 s fail
  });
});

describe('user actions in the scenario (a run is scenario + seed + actions)', () => {
  it('a savepoint and a stop-with-savepoint with drain apply at their virtual times', () => {
    const doc = preset('rolling-sum');
    doc.actions = [
      { at: '5s', kind: 'savepoint' },
      { at: '12s', kind: 'stop-with-savepoint', drain: true },
    ];
    const e = engineOf(doc);
    e.runUntil(60_000_000);
    expect(e.runtime.status).toBe('FINISHED');
    const savepoints = e.runtime.coordinator.savepoints;
    expect(savepoints.map((s) => s.type)).toEqual(['SAVEPOINT', 'SYNC_SAVEPOINT']);
    expect(savepoints[0]!.triggerUs).toBe(5_000_000);
    expect(savepoints[1]!.triggerUs).toBe(12_000_000);
    // The same actions given as UI actions at the same times give the same trace.
    const ui = engineOf(preset('rolling-sum'));
    ui.runUntil(5_000_000);
    ui.triggerSavepoint();
    ui.runUntil(12_000_000);
    ui.stopWithSavepoint(true);
    ui.runUntil(60_000_000);
    expect(ui.runtime.status).toBe('FINISHED');
    expect(ui.runtime.coordinator.savepoints.map((s) => s.triggerUs)).toEqual([5_000_000, 12_000_000]);
  });
});

describe('REST checkpoint_type (PendingCheckpointStats)', () => {
  it('unaligned enabled on forward-only edges (kept aligned, nothing persisted): the checkpoints are CHECKPOINT', () => {
    const doc = twoRegions();
    doc.config = { ...(doc.config as Doc), 'execution.checkpointing.unaligned.enabled': true };
    const e = engineOf(doc);
    e.runUntil(8_000_000);
    const j = e.checkpointStatsJson() as { history: { checkpoint_type: string; persisted_data: number }[] };
    expect(j.history.length).toBeGreaterThan(3);
    for (const h of j.history) {
      expect(h.persisted_data).toBe(0);
      expect(h.checkpoint_type).toBe('CHECKPOINT');
    }
  });
});

describe('unaligned checkpoints under backpressure (priority barriers, reference 2.7)', () => {
  function slowCounter(unaligned: boolean): Engine {
    const doc = preset('click-count');
    doc.config = { ...(doc.config as Doc), 'execution.checkpointing.unaligned.enabled': unaligned };
    doc.faults = [{ at: '5s', kind: 'slow-task', target: 'counter#0', factor: 1000, duration: '20s' }];
    const e = engineOf(doc);
    e.runUntil(20_000_000);
    return e;
  }
  const durations = (e: Engine): number[] =>
    (e.checkpointStatsJson() as { history: { status: string; end_to_end_duration: number }[] }).history
      .filter((h) => h.status === 'COMPLETED')
      .map((h) => h.end_to_end_duration);

  it('the barrier overtakes the backlog and is handled between records: checkpoints stay short', () => {
    const aligned = durations(slowCounter(false));
    const unaligned = durations(slowCounter(true));
    expect(Math.max(...aligned.slice(0, 3))).toBeGreaterThan(1000);
    // As fast as without backpressure: network latency, sync and async parts.
    expect(Math.max(...unaligned.slice(0, 5))).toBeLessThan(200);
  });
});

describe('the aligned-checkpoint timeout at the sender and via announcements (reference 2.7)', () => {
  const TIMEOUT_US = 200_000;
  /** Checkpoint trigger times and the times of switches to unaligned, per subtask. */
  function switches(e: Engine): { trigger: Map<number, number>; at: Map<number, Map<number, number>> } {
    const trigger = new Map<number, number>();
    const at = new Map<number, Map<number, number>>();
    for (const l of e.frame().log) {
      const ev = l.event;
      if (ev.kind === 'checkpoint-triggered') trigger.set(ev.checkpointId, l.time);
      if (ev.kind === 'unaligned-barrier') {
        const m = at.get(ev.subtask) ?? new Map<number, number>();
        m.set(ev.checkpointId, l.time);
        at.set(ev.subtask, m);
      }
    }
    return { trigger, at };
  }

  it('a slow receiver behind a long output queue switches at the checkpoint start + the timeout, not when it reads the barrier', () => {
    const doc = preset('click-count');
    doc.config = {
      ...(doc.config as Doc),
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.aligned-checkpoint-timeout': '200 ms',
    };
    doc.faults = [{ at: '5s', kind: 'slow-task', target: 'counter#0', factor: 1000, duration: '20s' }];
    const e = engineOf(doc);
    e.runUntil(20_000_000);
    const { trigger, at } = switches(e);
    const counter0 = e.runtime.tasks.find((t) => t.name === 'counter#0')!.index;
    const latency = e.runtime.transport.latencyUs;
    const slowed = [...trigger].filter(([, t]) => t > 6_000_000 && t < 18_000_000);
    expect(slowed.length).toBeGreaterThan(8);
    for (const [id, t] of slowed) {
      const switched = at.get(counter0)?.get(id);
      expect(switched, `checkpoint ${id} switched at counter#0`).toBeDefined();
      // The receiver's timer (started by the first barrier read or announced) or the sender's converted barrier.
      expect(switched! - t).toBeGreaterThanOrEqual(TIMEOUT_US);
      expect(switched! - t).toBeLessThanOrEqual(TIMEOUT_US + latency);
    }
    // The sources' own timers converted barriers still queued behind data: they persisted output channel state.
    const hist = (e.checkpointStatsJson() as { history: { id: number; status: string }[] }).history;
    type Details = { subtasks: { alignment: { persisted: number } }[] };
    const sendersPersisted = hist
      .filter((h) => h.status === 'COMPLETED')
      .filter((h) =>
        (e.subtaskDetailsJson(h.id, 'clicks') as Details).subtasks.some((s) => s.alignment.persisted > 0),
      );
    expect(sendersPersisted.length).toBeGreaterThan(0);
    expect(e.runtime.coordinator.completedCount).toBeGreaterThan(15);
  });

  it('a forward (pointwise) input never switches: its barriers are forced aligned', () => {
    const doc = twoRegions();
    doc.config = {
      ...(doc.config as Doc),
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.aligned-checkpoint-timeout': '10 ms',
    };
    doc.faults = [{ at: '3s', kind: 'slow-task', target: 'double#0', factor: 1000, duration: '10s' }];
    const e = engineOf(doc);
    e.runUntil(15_000_000);
    expect(events(e).filter((x) => x.kind === 'unaligned-barrier')).toEqual([]);
    const j = e.checkpointStatsJson() as {
      history: { status: string; checkpoint_type: string; persisted_data: number }[];
    };
    expect(j.history.filter((h) => h.status === 'COMPLETED').length).toBeGreaterThan(3);
    for (const h of j.history) {
      expect(h.persisted_data).toBe(0);
      expect(h.checkpoint_type).toBe('CHECKPOINT');
    }
  });

  it('an announced barrier jumps the queue at the timeout; the data it overtook is restored after a failure', () => {
    // Exactly-once with a two-phase-commit sink, unaligned after 50 ms, a slow counter, then a failure.
    const doc = preset('click-count');
    const ops = (doc.job as { operators: Doc[] }).operators;
    for (const o of ops) if (o.kind === 'sink') o.delivery = 'exactly-once';
    doc.config = {
      ...(doc.config as Doc),
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.aligned-checkpoint-timeout': '50 ms',
    };
    doc.faults = [
      { at: '4s', kind: 'slow-task', target: 'counter#0', factor: 1000, duration: '8s' },
      { at: '9s', kind: 'fail-task', target: 'counter#1' },
    ];
    const e = engineOf(doc);
    e.runUntil(8_999_000);
    type Latest = { latest: { completed: { id: number; persisted_data: number } | null } };
    const before = (e.checkpointStatsJson() as Latest).latest.completed!;
    expect(before.persisted_data).toBeGreaterThan(0); // in-flight data the restore must replay
    e.runUntil(60_000_000);
    expect(e.failure).toBeNull();
    const j = e.checkpointStatsJson() as {
      counts: { restored: number };
      latest: { restored: { id: number } };
    };
    expect(j.counts.restored).toBe(1);
    expect(j.latest.restored.id).toBe(before.id);
    const counts = (e.sinkOutput().output?.committed ?? []).map((r) => r.count as number);
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.every((c) => c === 1000)).toBe(true);
  });
});
