import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario, seekEngine } from '../engine.ts';
import { verify } from '../verification/verify.ts';

type Doc = Record<string, unknown>;
type Rest = {
  counts: Record<string, number>;
  history: Record<string, unknown>[];
  latest: Record<string, Record<string, unknown> | null>;
  summary: Record<string, Record<string, unknown>>;
};

function clickCount(edit: (d: Doc) => void = () => {}): Doc {
  const d = presetScenario('click-count') as Doc;
  edit(d);
  return d;
}
function config(d: Doc, c: Record<string, unknown>): void {
  d.config = { ...(d.config as Doc), ...c };
}
function engineOf(doc: Doc): Engine {
  const r = createEngine(doc);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}
function counts(e: Engine): number[] {
  return (e.sinkOutput().output?.committed ?? []).map((r) => r.count as number);
}
const rest = (e: Engine): Rest => e.checkpointStatsJson() as Rest;

describe('barriers and alignment (reference 1.2, 1.3)', () => {
  const stalled = (mode: string): Engine => {
    const e = engineOf(
      clickCount((d) => {
        config(d, { 'execution.checkpointing.mode': mode });
        d.faults = [{ at: '3 s', kind: 'stall-channel', target: 'clicks#1->counter#0', duration: '2 s' }];
      }),
    );
    return e;
  };

  it('aligned: a channel that delivered barrier n is blocked until the barrier arrives on every input', () => {
    const e = stalled('EXACTLY_ONCE');
    e.runUntil(3_900_000);
    const f = e.frame();
    const topo = e.topology();
    const blocked = topo.channels.filter((c) => f.channelBlocked[c.index]);
    expect(blocked.map((c) => `${topo.subtasks[c.from]!.name}->${topo.subtasks[c.to]!.name}`)).toEqual([
      'clicks#0->counter#0',
    ]);
    const counter0 = topo.subtasks.find((s) => s.name === 'counter#0')!.index;
    expect(f.subtaskPhase[counter0]).toMatchObject({ phase: 'aligning' });
    e.runUntil(8_000_000);
    const j = rest(e);
    const cp = e.subtaskDetailsJson(4, 'counter') as {
      subtasks: { index: number; alignment: { duration: number; processed: number } }[];
    };
    expect(cp.subtasks[0]!.alignment.duration).toBeGreaterThan(1000); // ms: waited for the stalled channel
    expect(j.counts.failed).toBe(0);
    expect(e.frame().channelBlocked.every((b) => !b)).toBe(true);
  });

  it('at-least-once: nothing is ever blocked', () => {
    const e = stalled('AT_LEAST_ONCE');
    for (let t = 3_000_000; t < 6_000_000; t += 100_000) {
      e.runUntil(t);
      expect(e.frame().channelBlocked.some(Boolean)).toBe(false);
    }
  });

  it('unaligned: no blocking, in-flight data persisted, exactly-once kept after a failure', () => {
    const e = engineOf(
      clickCount((d) => {
        config(d, { 'execution.checkpointing.unaligned.enabled': 'true' });
        d.faults = [
          { at: '3 s', kind: 'stall-channel', target: 'clicks#1->counter#0', duration: '3 s' },
          { at: '5 s', kind: 'fail-task', target: 'counter#0' },
        ];
      }),
    );
    for (let t = 3_000_000; t < 5_000_000; t += 100_000) {
      e.runUntil(t);
      expect(e.frame().channelBlocked.some(Boolean)).toBe(false);
    }
    e.runUntil(40_000_000);
    const j = rest(e);
    // UNALIGNED_CHECKPOINT only where some subtask persisted in-flight data (PendingCheckpointStats).
    for (const h of j.history) {
      expect(h.checkpoint_type).toBe(
        (h.persisted_data as number) > 0 ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT',
      );
    }
    expect(j.summary.persisted_data!.max as number).toBeGreaterThan(0);
    expect(j.counts.restored).toBe(1);
    expect(counts(e).length).toBeGreaterThan(20);
    expect(counts(e).every((c) => c === 1000)).toBe(true);
  });

  it('the aligned-checkpoint timeout switches a long alignment to unaligned', () => {
    const e = engineOf(
      clickCount((d) => {
        config(d, {
          'execution.checkpointing.unaligned.enabled': 'true',
          'execution.checkpointing.aligned-checkpoint-timeout': '100 ms',
        });
        d.faults = [{ at: '3 s', kind: 'stall-channel', target: 'clicks#1->counter#0', duration: '2 s' }];
      }),
    );
    e.runUntil(10_000_000);
    const details = e.subtaskDetailsJson(4, 'counter') as { subtasks: { unaligned_checkpoint: boolean }[] };
    expect(details.subtasks[0]!.unaligned_checkpoint).toBe(true);
    expect(details.subtasks[1]!.unaligned_checkpoint).toBe(false);
    expect(rest(e).counts.failed).toBe(0);
  });
});

describe('REST statistics of a real run (reference 6.2, 8)', () => {
  it('keeps the invariants of the samples', () => {
    const e = engineOf(
      clickCount(
        (d) => (d.faults = [{ at: '7 s', kind: 'fail-checkpoint-storage', target: 'checkpoint-storage' }]),
      ),
    );
    config(e.rawScenario as Doc, {});
    e.runUntil(25_000_000);
    const j = rest(e);
    expect(j.counts.total).toBe(j.counts.in_progress! + j.counts.completed! + j.counts.failed!);
    expect(j.history.length).toBe(10);
    const ids = j.history.map((h) => h.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    for (const h of j.history) {
      if (h.status === 'COMPLETED') {
        expect(h.end_to_end_duration).toBe(
          (h.latest_ack_timestamp as number) - (h.trigger_timestamp as number),
        );
        expect(h.checkpointed_size).toBe(h.state_size);
        expect(h.num_acknowledged_subtasks).toBe(h.num_subtasks);
      }
    }
    expect(j.latest.failed!.failure_message).toContain('Asynchronous task checkpoint failed.');
    expect(Number.isInteger(j.summary.end_to_end_duration!.avg)).toBe(true);
    expect(j.counts.restored).toBe(1); // tolerable-failed-checkpoints 0: the storage failure fails the job over
  });

  it('JobManagerCheckpointStorage refuses a state above 5 MiB with Flink’s message', () => {
    const e = engineOf({
      version: 1,
      name: 'big state',
      topics: {
        t: {
          partitions: 1,
          generator: { kind: 'keyed', keys: 500_000, ratePerSecond: 1_000_000 },
        },
      },
      job: {
        operators: [
          { id: 'src', kind: 'source', topic: 't', maxBatch: 4096, costPerRecord: '0 us' },
          {
            id: 'sum',
            kind: 'reduce',
            input: 'src',
            keyBy: 'key',
            aggregate: 'sum',
            field: 'value',
            costPerRecord: '0 us',
          },
          { id: 'out', kind: 'sink', input: 'sum', delivery: 'exactly-once', costPerRecord: '0 us' },
        ],
      },
      config: { 'execution.checkpointing.interval': '1 s', 'restart-strategy.type': 'none' },
    });
    e.runUntil(5_000_000);
    const j = rest(e);
    expect(j.latest.failed!.failure_message).toMatch(
      /Size of the state is larger than the maximum permitted memory-backed state\. Size=\d+ , maxSize=5242880\./,
    );
    expect(e.runtime.status).toBe('FAILED');
  });
});

describe('restart strategies and failover regions in the runtime (reference 5)', () => {
  it('fixed-delay(attempts = 2): the third failure fails the job with Flink’s text', () => {
    const e = engineOf(
      clickCount((d) => {
        config(d, { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '2' });
        d.faults = ['3 s', '6 s', '9 s'].map((at) => ({ at, kind: 'fail-task', target: 'counter#1' }));
      }),
    );
    e.runUntil(20_000_000);
    expect(e.runtime.status).toBe('FAILED');
    expect(e.runtime.restarts).toBe(2);
    expect(e.result().job.failure).toBe(
      'Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=2, backoffTimeMS=1000)',
    );
  });

  const forwardOnly = (strategy: string): Engine =>
    engineOf({
      version: 1,
      name: 'two pipelines',
      cluster: { taskManagers: 1, slotsPerTaskManager: 2 },
      topics: { t: { partitions: 2, generator: { kind: 'keyed', keys: 10 } } },
      job: {
        operators: [
          { id: 'src', kind: 'source', topic: 't', parallelism: 2 },
          {
            id: 'map',
            kind: 'map',
            input: 'src',
            fn: { type: 'identity' },
            parallelism: 2,
            chaining: 'never',
          },
          { id: 'out', kind: 'sink', input: 'map', parallelism: 2, delivery: 'exactly-once' },
        ],
      },
      config: {
        'execution.checkpointing.interval': '1 s',
        'jobmanager.execution.failover-strategy': strategy,
      },
      faults: [{ at: '3 s', kind: 'fail-task', target: 'map#0' }],
    });

  it('region failover restarts only the failed pipelined region', () => {
    const e = forwardOnly('region');
    e.runUntil(10_000_000);
    const f = e.frame();
    const topo = e.topology();
    const attempt = (name: string): number =>
      f.subtaskAttempt[topo.subtasks.find((s) => s.name === name)!.index]!;
    expect([attempt('src#0'), attempt('map#0'), attempt('out#0')]).toEqual([1, 1, 1]);
    expect([attempt('src#1'), attempt('map#1'), attempt('out#1')]).toEqual([0, 0, 0]);
  });

  it('full failover restarts every task', () => {
    const e = forwardOnly('full');
    e.runUntil(10_000_000);
    expect(e.frame().subtaskAttempt.every((a) => a === 1)).toBe(true);
  });
});

describe('faults at awkward moments keep exactly-once', () => {
  const exactlyOnce = (faults: Doc[]): void => {
    const doc = clickCount((d) => {
      (d.job as { operators: Doc[] }).operators[2]!.delivery = 'exactly-once';
      d.faults = faults;
    });
    const base = { ...doc, faults: [] };
    const report = verify(base, { seeds: [42], faults: 'none' });
    expect(report.passed).toBe(1);
    const r = verify({ ...doc }, { seeds: [42], faults: 'none' });
    expect(r.passed).toBe(1);
    // The same faults through the verify comparison: committed output equals the failure-free run.
    const e = engineOf({
      ...doc,
      topics: { input: { partitions: 2, generator: { kind: 'clicks', count: 24_000 } } },
    });
    e.runUntil(600_000_000);
    expect(e.runtime.status).toBe('FINISHED');
    expect(counts(e).every((c) => c === 1000)).toBe(true);
    expect(counts(e)).toHaveLength(24);
  };

  it('during alignment', () =>
    exactlyOnce([
      { at: '3 s', kind: 'stall-channel', target: 'clicks#1->counter#0', duration: '2 s' },
      { at: '4 s', kind: 'fail-task', target: 'counter#0' },
    ]));
  it('during the asynchronous phase', () =>
    exactlyOnce([
      { at: '2 s', kind: 'slow-task', target: 'counter#1', factor: 50, duration: '1 s' },
      { at: '3853 ms', kind: 'fail-task', target: 'output#1' },
    ]));
  it('during restore and during the restart delay', () =>
    exactlyOnce([
      { at: '3 s', kind: 'fail-task', target: 'counter#0' },
      { at: '3500 ms', kind: 'fail-task', target: 'clicks#1' },
      { at: '4 s', kind: 'kill-taskmanager', target: 'tm-1', duration: '2 s' },
      { at: '9 s', kind: 'fail-task', target: 'output#0' },
    ]));
});

describe('savepoints, stop-with-savepoint and rescaling (reference 2.6, 4.6)', () => {
  it('a savepoint is no recovery point: failover restores the latest checkpoint', () => {
    const e = engineOf(clickCount((d) => config(d, { 'execution.checkpointing.interval': '10 s' })));
    e.runUntil(11_000_000);
    const sp = e.triggerSavepoint();
    e.runUntil(12_000_000);
    expect(e.frame().checkpoints.savepoints.map((s) => s.id)).toEqual([sp]);
    e.injectFault({ kind: 'fail-task', target: 'counter#0' });
    e.runUntil(16_000_000);
    const restored = rest(e).latest.restored!;
    expect(restored.id).not.toBe(sp);
    expect(restored.is_savepoint).toBe(false);
  });

  it('stop-with-savepoint --drain fires every window, commits and finishes the job', () => {
    const e = engineOf(
      clickCount((d) => ((d.job as { operators: Doc[] }).operators[2]!.delivery = 'exactly-once')),
    );
    e.runUntil(20_000_000);
    const id = e.stopWithSavepoint(true);
    e.runUntil(30_000_000);
    expect(e.runtime.status).toBe('FINISHED');
    const out = e.sinkOutput().output!;
    expect(out.committed.length).toBe(out.all.length);
    // Draining fired the window that was still open (its count is below 1000).
    expect(counts(e).some((c) => c < 1000)).toBe(true);
    expect(rest(e).latest.savepoint).toMatchObject({
      id,
      checkpoint_type: 'SYNC_SAVEPOINT',
      is_savepoint: true,
    });
  });

  it('rescales from a savepoint: keyed state moves by key group, counts stay exact (reference 7.5)', () => {
    const e = engineOf(clickCount());
    e.runUntil(20_000_000);
    const sp = e.triggerSavepoint()!;
    e.runUntil(21_000_000);
    const r = e.restartFromSavepoint(sp, { counter: 3 }, 3);
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const n = r.engine;
    n.runUntil(80_000_000);
    expect(counts(n).length).toBeGreaterThan(20);
    expect(counts(n).every((c) => c === 1000)).toBe(true);
    const owner = new Map<string, number>();
    for (const rec of n.runtime.outputTopics.get('output')!.records) owner.set(rec.row.page as string, -1);
    const topo = n.topology();
    for (const s of topo.subtasks.filter((x) => x.vertexId === 'counter')) {
      const d = n.stateDetails(s.index);
      expect(d.keyGroupRange).toEqual(
        [
          { start: 0, end: 42 },
          { start: 43, end: 85 },
          { start: 86, end: 127 },
        ][s.subtaskIndex],
      );
    }
    expect(rest(n).counts.restored).toBe(1);
    expect(rest(n).history.at(-1)!.id).toBeGreaterThan(sp);
  });

  it('refuses a changed max parallelism with Flink’s text', () => {
    const e = engineOf(clickCount());
    e.runUntil(5_000_000);
    const sp = e.triggerSavepoint()!;
    e.runUntil(6_000_000);
    const doc = JSON.parse(JSON.stringify(e.rawScenario)) as Doc;
    (doc.job as { operators: Doc[] }).operators[1]!.maxParallelism = 256;
    const cp = e.runtime.coordinator.savepoints[0]!;
    const r = createEngine(doc, { fromSnapshot: cp, startAtUs: e.now() });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.message).toContain(
        'The maximum parallelism (128) with which the latest checkpoint of the execution job vertex ClickEvent Counter has been taken and the current maximum parallelism (256) changed. This is currently not supported.',
      );
    }
    expect(sp).toBeGreaterThan(0);
  });
});

describe('time travel', () => {
  it('seeking back and playing forward gives identical frames and hash', () => {
    const e = engineOf(clickCount());
    e.runUntil(6_000_000);
    e.injectFault({ kind: 'kill-taskmanager', target: 'tm-0', durationUs: 2_000_000 });
    e.runUntil(9_000_000);
    e.triggerSavepoint();
    e.runUntil(20_000_000);
    const hash = e.traceHash();
    const sinks = JSON.stringify(e.frame().sinks);
    const back = seekEngine(e, 7_500_000);
    expect(back.now()).toBe(7_500_000);
    back.runUntil(20_000_000);
    expect(back.traceHash()).toBe(hash);
    expect(JSON.stringify(back.frame().sinks)).toBe(sinks);
    // Acting in the past forks the timeline.
    const fork = seekEngine(e, 7_500_000);
    fork.injectFault({ kind: 'fail-task', target: 'clicks#0' });
    fork.runUntil(20_000_000);
    expect(fork.traceHash()).not.toBe(hash);
    expect(fork.actions().map((a) => a.kind)).toEqual(['fault', 'fault']);
  });
});

describe('scheduled faults and fork comparison', () => {
  it('a fault scheduled for a later virtual time fires then, and replays exactly', () => {
    const e = engineOf(clickCount());
    e.runUntil(2_000_000);
    e.injectFault({ kind: 'fail-task', target: 'counter#0', at: 8_000_000 });
    e.runUntil(7_900_000);
    expect(e.runtime.counters.failure).toBe(0);
    e.runUntil(8_100_000);
    expect(e.runtime.counters.failure).toBe(1);
    e.runUntil(20_000_000);
    const again = seekEngine(e, 5_000_000);
    again.runUntil(20_000_000);
    expect(again.traceHash()).toBe(e.traceHash());
    expect(again.frame().forkedAt).toBeNull();
  });

  it('acting after a seek back forks; the fork compares with its original at the same time', () => {
    const e = engineOf(clickCount());
    e.runUntil(30_000_000);
    const fork = seekEngine(e, 10_000_000);
    expect(fork.compareWithOriginal()).toBeNull();
    fork.injectFault({ kind: 'kill-taskmanager', target: 'tm-1', durationUs: 3_000_000 });
    fork.runUntil(30_000_000);
    expect(fork.frame().forkedAt).toBe(10_000_000);
    const c = fork.compareWithOriginal()!;
    expect(c.timeUs).toBe(30_000_000);
    expect(c.original.traceHash).toBe(e.traceHash());
    expect(c.fork.traceHash).toBe(fork.traceHash());
    expect(c.original.restarts).toBe(0);
    expect(c.fork.restarts).toBe(1);
    expect(c.original.actions).toBe(0);
    expect(c.fork.actions).toBe(1);
    // At-least-once sink: the fork may hold duplicates, never less than the original's windows that both fired.
    expect(c.sinks[0]!.id).toBe('output');
    expect(c.sinks[0]!.onlyInFork).toBeGreaterThanOrEqual(0);
  });
});

describe('step to the next event of a kind', () => {
  it('says so in the log when nothing of that kind happens before the limit', () => {
    const e = engineOf(clickCount());
    e.runUntil(2_000_000);
    e.frame();
    expect(e.stepTo('failure', 10_000_000)).toBe(false);
    expect(e.now()).toBe(10_000_000);
    expect(e.frame().log.map((l) => l.text)).toContain(
      'No failure up to 10.000 s: stepped there and stopped',
    );
    expect(e.stepTo('checkpoint-completed', 20_000_000)).toBe(true);
  });
});
