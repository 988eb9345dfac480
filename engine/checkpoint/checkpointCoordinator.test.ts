import { describe, expect, it } from 'vitest';
import { RandomStream } from '../sim/random.ts';
import {
  CheckpointCoordinator,
  type CoordinatorConfig,
  type CoordinatorHost,
  type SubtaskSnapshot,
  tolerableFailureMessage,
} from './checkpointCoordinator.ts';

/** A tiny host with its own timer list, so coordinator rules are tested without the engine. */
class FakeHost implements CoordinatorHost {
  t = 0;
  random = new RandomStream(1, 'checkpoint');
  timers: { time: number; kind: 'trigger' | 'expiry'; id: number; h: { cancelled: boolean } }[] = [];
  triggered: number[] = [];
  completedNotified: number[] = [];
  aborted: number[] = [];
  failures: string[] = [];
  running = true;
  now(): number {
    return this.t;
  }
  scheduleTrigger(time: number): { cancelled: boolean } {
    const h = { cancelled: false };
    this.timers.push({ time, kind: 'trigger', id: 0, h });
    return h;
  }
  scheduleExpiry(time: number, id: number): { cancelled: boolean } {
    const h = { cancelled: false };
    this.timers.push({ time, kind: 'expiry', id, h });
    return h;
  }
  allTasksRunning(): boolean {
    return this.running;
  }
  plan() {
    return [{ id: 'v', parallelism: 2, maxParallelism: 128, operatorIds: ['v'] }];
  }
  checkpointPlan() {
    return { waitFor: ['v#0', 'v#1'], finished: [] };
  }
  triggerSources(id: number): void {
    this.triggered.push(id);
  }
  notifyComplete(id: number): void {
    this.completedNotified.push(id);
  }
  notifyAborted(id: number): void {
    this.aborted.push(id);
  }
  failJob(message: string): void {
    this.failures.push(message);
  }
  report(): void {}
  /** Advances time, firing due timers in order. */
  advance(c: CheckpointCoordinator, to: number): void {
    for (;;) {
      const due = this.timers
        .filter((x) => !x.h.cancelled && x.time <= to)
        .sort((a, b) => a.time - b.time)[0];
      if (!due) break;
      due.h.cancelled = true;
      this.t = due.time;
      if (due.kind === 'trigger') c.onPeriodicTimer();
      else c.onExpiry(due.id);
    }
    this.t = to;
  }
}

function snap(i: number): SubtaskSnapshot {
  return {
    vertexId: 'v',
    subtaskIndex: i,
    operators: {},
    channelState: {},
    stats: {
      ackTimeUs: 0,
      stateSize: 10,
      checkpointedSize: 10,
      syncDurationUs: 0,
      asyncDurationUs: 0,
      alignmentDurationUs: 0,
      processedData: 0,
      persistedData: 0,
      startDelayUs: 0,
      unaligned: false,
    },
  };
}

const base: CoordinatorConfig = {
  intervalUs: 1_000_000,
  timeoutUs: 600_000_000,
  minPauseUs: 0,
  maxConcurrent: 1,
  tolerableFailures: 0,
  numRetained: 1,
  unaligned: false,
  historySize: 10,
};

function ackAll(c: CheckpointCoordinator, h: FakeHost, id: number): void {
  h.t += 1;
  c.acknowledge(id, { ...snap(0), stats: { ...snap(0).stats, ackTimeUs: h.t } });
  c.acknowledge(id, { ...snap(1), stats: { ...snap(1).stats, ackTimeUs: h.t } });
}

describe('CheckpointCoordinator (reference 2)', () => {
  it('first trigger after a random delay in [min-pause, interval], then every interval; ids from 1', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, minPauseUs: 200_000 }, h);
    c.startScheduler();
    const first = h.timers[0]!.time;
    expect(first).toBeGreaterThanOrEqual(200_000);
    expect(first).toBeLessThanOrEqual(1_000_000);
    h.advance(c, first);
    expect(h.triggered).toEqual([1]);
    ackAll(c, h, 1);
    h.advance(c, first + 1_000_000);
    expect(h.triggered).toEqual([1, 2]);
    expect(h.completedNotified).toEqual([1]);
  });

  it('never exceeds max-concurrent; a periodic request waits and runs when the pending one completes', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator(base, h);
    c.startScheduler();
    h.advance(c, 5_000_000);
    expect(h.triggered).toEqual([1]);
    expect(c.pending.size).toBe(1);
    ackAll(c, h, 1);
    expect(h.triggered).toEqual([1, 2]);
  });

  it('min-pause delays the next periodic trigger after a completion', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, minPauseUs: 800_000, maxConcurrent: 1 }, h);
    c.startScheduler();
    h.advance(c, h.timers[0]!.time);
    h.t += 900_000;
    ackAll(c, h, 1);
    const completion = h.t;
    h.advance(c, completion + 5_000_000);
    const second = c.stats.record(2)!;
    expect(second.triggerUs - completion).toBeGreaterThanOrEqual(800_000);
  });

  it('expiry fails the checkpoint as CHECKPOINT_EXPIRED and, with tolerable 0, fails the job', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, timeoutUs: 2_000_000 }, h);
    c.startScheduler();
    h.advance(c, 10_000_000);
    const j = c.stats.toJson() as { latest: { failed: { failure_message: string } } };
    expect(j.latest.failed.failure_message).toBe('Checkpoint expired before completing.');
    // The fake host does not fail over, so every later expiry fails the job again.
    expect(h.failures[0]).toBe(tolerableFailureMessage('CHECKPOINT_EXPIRED'));
  });

  it('tolerable failures: counted reasons only, each id once, reset by a later success', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, tolerableFailures: 1, maxConcurrent: 5 }, h);
    c.startScheduler();
    const a = c.trigger('CHECKPOINT')!;
    c.abort(a, 'CHECKPOINT_DECLINED');
    expect(h.failures).toEqual([]);
    const b = c.trigger('CHECKPOINT')!;
    c.abort(b, 'TASK_FAILURE'); // not counted
    expect(h.failures).toEqual([]);
    const d = c.trigger('CHECKPOINT')!;
    ackAll(c, h, d); // success resets
    const e = c.trigger('CHECKPOINT')!;
    c.abort(e, 'CHECKPOINT_EXPIRED');
    expect(h.failures).toEqual([]);
    const f = c.trigger('CHECKPOINT')!;
    c.abort(f, 'IO_EXCEPTION');
    expect(h.failures).toEqual([tolerableFailureMessage('IO_EXCEPTION')]);
  });

  it('completion subsumes older pending checkpoints and keeps num-retained; savepoints are not recovery points', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, maxConcurrent: 3, numRetained: 2 }, h);
    c.startScheduler();
    const one = c.trigger('CHECKPOINT')!;
    const two = c.trigger('CHECKPOINT')!;
    ackAll(c, h, two);
    expect(c.pending.has(one)).toBe(false);
    expect(c.stats.record(one)!.failureMessage).toBe('Checkpoint has been subsumed.');
    const sp = c.trigger('SAVEPOINT')!;
    ackAll(c, h, sp);
    expect(c.latestCompleted()!.id).toBe(two);
    expect(h.completedNotified).toEqual([two]); // no notifyCheckpointComplete for a plain savepoint
    for (let i = 0; i < 3; i++) ackAll(c, h, c.trigger('CHECKPOINT')!);
    expect(c.completed.map((x) => x.id)).toEqual([5, 6]);
    expect(c.stats.record(4)!.discarded).toBe(true);
  });

  it('a trigger while tasks are not running fails before any id is used', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator(base, h);
    c.startScheduler();
    h.running = false;
    expect(c.trigger('CHECKPOINT')).toBeNull();
    h.running = true;
    expect(c.trigger('CHECKPOINT')).toBe(1);
    const j = c.stats.toJson() as { counts: Record<string, number>; history: unknown[] };
    expect(j.counts).toMatchObject({ total: 2, failed: 1, in_progress: 1 });
    expect(j.history).toHaveLength(1);
  });

  it('the tolerable-failure message is Flink 1.20 text', () => {
    expect(tolerableFailureMessage('CHECKPOINT_EXPIRED')).toBe(
      'Exceeded checkpoint tolerable failure threshold. The latest checkpoint failed due to Checkpoint expired ' +
        'before completing., view the Checkpoint History tab or the Job Manager log to find out why continuous ' +
        'checkpoints failed.',
    );
  });

  it('a failed savepoint never counts toward the tolerable failures (CheckpointFailureManager)', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, tolerableFailures: 0, maxConcurrent: 5 }, h);
    c.startScheduler();
    const sp = c.trigger('SAVEPOINT')!;
    c.abort(sp, 'CHECKPOINT_EXPIRED');
    const stop = c.trigger('SYNC_SAVEPOINT')!;
    c.abort(stop, 'CHECKPOINT_ASYNC_EXCEPTION');
    expect(h.failures).toEqual([]);
    const cp = c.trigger('CHECKPOINT')!;
    c.abort(cp, 'CHECKPOINT_EXPIRED');
    expect(h.failures).toEqual([tolerableFailureMessage('CHECKPOINT_EXPIRED')]);
  });

  it('a pending savepoint counts toward max-concurrent-checkpoints (CheckpointRequestDecider)', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, maxConcurrent: 1 }, h);
    c.startScheduler();
    const sp = c.trigger('SAVEPOINT')!;
    h.advance(c, 3_500_000);
    expect(h.triggered).toEqual([sp]); // periodic requests wait behind the savepoint
    ackAll(c, h, sp);
    expect(h.triggered).toEqual([sp, sp + 1]);
  });

  it('queued periodic requests are served one after another, not collapsed into one', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, maxConcurrent: 1, timeoutUs: 60_000_000 }, h);
    c.startScheduler();
    h.advance(c, h.timers[0]!.time);
    expect(h.triggered).toEqual([1]);
    h.advance(c, h.t + 3_000_000); // three more periodic requests queue while 1 is pending
    expect(h.triggered).toEqual([1]);
    ackAll(c, h, 1);
    expect(h.triggered).toEqual([1, 2]);
    ackAll(c, h, 2);
    expect(h.triggered).toEqual([1, 2, 3]);
  });

  it('a min-pause larger than the interval is accepted: the interval is raised to it', () => {
    const h = new FakeHost();
    const c = new CheckpointCoordinator({ ...base, intervalUs: 1_000_000, minPauseUs: 3_000_000 }, h);
    c.startScheduler();
    const first = h.timers[0]!.time;
    expect(first).toBeGreaterThanOrEqual(3_000_000);
    expect(first).toBeLessThanOrEqual(3_000_000);
    h.advance(c, first);
    ackAll(c, h, 1);
    h.advance(c, first + 5_000_000);
    const second = c.stats.record(2)!;
    expect(second.triggerUs - first).toBeGreaterThanOrEqual(3_000_000);
  });
});
