import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckpointStatsTracker, percentile, StatsSummary, type SubtaskAck } from './checkpointStats.ts';

const sample = JSON.parse(
  readFileSync(new URL('./testdata/flink-1.15-checkpoints.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function ack(ackMs: number, size: number, processed = 0): SubtaskAck {
  return {
    ackTimeUs: ackMs * 1000,
    stateSize: size,
    checkpointedSize: size,
    syncDurationUs: 1000,
    asyncDurationUs: 3000,
    alignmentDurationUs: 0,
    processedData: processed,
    persistedData: 0,
    startDelayUs: 2000,
    unaligned: false,
  };
}

describe('StatsSummary (reference 6.2)', () => {
  it('reproduces the 1.15 sample summary for [4308, 16053, 15207] and [31, 117, 36]', () => {
    const sizes = new StatsSummary();
    for (const v of [4308, 16053, 15207]) sizes.add(v);
    const s = sample.summary as Record<string, unknown>;
    expect(sizes.toJson()).toEqual(s.state_size);
    const e2e = new StatsSummary();
    for (const v of [31, 117, 36]) e2e.add(v);
    expect(e2e.toJson()).toEqual(s.end_to_end_duration);
  });

  it('is 0/NaN when empty, like the empty history-server archive', () => {
    expect(new StatsSummary().toJson()).toEqual({
      min: 0,
      max: 0,
      avg: 0,
      p50: 'NaN',
      p90: 'NaN',
      p95: 'NaN',
      p99: 'NaN',
      p999: 'NaN',
    });
    expect(new StatsSummary(0).toJson().p50).toBe(0);
  });

  it('interpolates like Commons-Math legacy estimation', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20], 10)).toBe(10);
    expect(percentile([10, 20], 99)).toBe(20);
  });
});

describe('CheckpointStatsTracker', () => {
  it('keeps the REST invariants: totals, newest-first bounded history, end-to-end = latest ack - trigger', () => {
    const t = new CheckpointStatsTracker(2);
    const vertices = [
      { id: 'src', parallelism: 2 },
      { id: 'sink', parallelism: 2 },
    ];
    for (let id = 1; id <= 3; id++) {
      t.reportPending(id, id * 1_000_000, 'CHECKPOINT', vertices);
      t.reportAck(id, 'src', 0, ack(id * 1000 + 5, 100));
      t.reportAck(id, 'src', 1, ack(id * 1000 + 7, 100));
      t.reportAck(id, 'sink', 0, ack(id * 1000 + 9, 50));
      if (id < 3) {
        t.reportAck(id, 'sink', 1, ack(id * 1000 + 12, 50, 64));
        t.reportCompleted(id, id * 1_000_000 + 12_000, '<checkpoint-not-externally-addressable>');
      }
    }
    t.reportFailedBeforeTrigger();
    const j = t.toJson() as {
      counts: Record<string, number>;
      history: Record<string, unknown>[];
      latest: { completed: Record<string, unknown> };
    };
    expect(j.counts).toEqual({ restored: 0, total: 4, in_progress: 1, completed: 2, failed: 1 });
    expect(j.counts.total).toBe(j.counts.in_progress! + j.counts.completed! + j.counts.failed!);
    expect(j.history.map((h) => h.id)).toEqual([3, 2]);
    expect(j.history[0]).toMatchObject({
      className: 'in_progress',
      status: 'IN_PROGRESS',
      num_acknowledged_subtasks: 3,
    });
    const c = j.latest.completed;
    expect(c).toMatchObject({
      id: 2,
      state_size: 300,
      checkpointed_size: 300,
      processed_data: 64,
      num_subtasks: 4,
    });
    expect(c.end_to_end_duration).toBe((c.latest_ack_timestamp as number) - (c.trigger_timestamp as number));
    // The 1.15 sample's keys in its order, plus savepointFormat (1.19 schema) after checkpoint_type.
    const sampleKeys = Object.keys((sample.latest as Record<string, Record<string, unknown>>).completed!);
    sampleKeys.splice(sampleKeys.indexOf('checkpoint_type') + 1, 0, 'savepointFormat');
    expect(Object.keys(c)).toEqual(sampleKeys);
    expect(c.savepointFormat).toBeNull();
    for (const [k, v] of Object.entries(
      (sample.latest as Record<string, Record<string, unknown>>).completed!,
    )) {
      expect([k, typeof c[k]]).toEqual([k, typeof v]);
    }
    const d = t.subtaskDetails(2, 'sink') as { subtasks: Record<string, unknown>[] };
    expect(Object.keys(d.subtasks[1]!)[0]).toBe('className');
    expect(d.subtasks[1]).toMatchObject({
      className: 'completed',
      index: 1,
      status: 'completed',
      start_delay: 2,
      checkpoint: { sync: 1, async: 3 },
    });
    const p = t.subtaskDetails(3, 'sink') as { subtasks: Record<string, unknown>[] };
    expect(p.subtasks[1]).toEqual({ className: 'pending', index: 1, status: 'pending_or_failed' });
  });

  it('marks savepoints CANONICAL and checkpoints null in savepointFormat', () => {
    const t = new CheckpointStatsTracker(10);
    const vertices = [{ id: 'src', parallelism: 1 }];
    t.reportPending(1, 1_000_000, 'CHECKPOINT', vertices);
    t.reportPending(2, 2_000_000, 'SAVEPOINT', vertices);
    t.reportPending(3, 3_000_000, 'SYNC_SAVEPOINT', vertices);
    const j = t.toJson() as { history: { id: number; savepointFormat: unknown }[] };
    expect(j.history.map((h) => [h.id, h.savepointFormat])).toEqual([
      [3, 'CANONICAL'],
      [2, 'CANONICAL'],
      [1, null],
    ]);
  });
});

describe('CheckpointStatsTracker keeps only what Flink keeps', () => {
  const vertices = [
    { id: 'src', parallelism: 2 },
    { id: 'sink', parallelism: 2 },
  ];
  const complete = (t: CheckpointStatsTracker, id: number): void => {
    t.reportPending(id, id * 100_000, 'CHECKPOINT', vertices);
    for (const v of vertices) for (let i = 0; i < 2; i++) t.reportAck(id, v.id, i, ack(id * 100 + 7, id));
    t.reportCompleted(id, id * 100_000 + 7000, '<checkpoint-not-externally-addressable>');
  };

  it('details of 5,000 checkpoints: only the last 10 (the history) are kept; counts and latest go on', () => {
    const t = new CheckpointStatsTracker(10);
    for (let id = 1; id <= 5000; id++) {
      complete(t, id);
      expect(t.retainedRecords).toBeLessThanOrEqual(10);
    }
    const j = t.toJson() as {
      counts: Record<string, number>;
      history: { id: number }[];
      latest: { completed: { id: number } };
      summary: { state_size: { min: number; max: number } };
    };
    expect(j.counts).toMatchObject({ total: 5000, completed: 5000, in_progress: 0 });
    expect(j.history.map((h) => h.id)).toEqual([5000, 4999, 4998, 4997, 4996, 4995, 4994, 4993, 4992, 4991]);
    expect(j.latest.completed.id).toBe(5000);
    expect(j.summary.state_size).toMatchObject({ min: 4, max: 20000 });
    expect(t.details(4991)).not.toBeNull();
    expect(t.details(4990)).toBeNull();
    expect(t.subtaskDetails(17, 'src')).toBeNull();
  });

  it('an in-progress checkpoint that leaves the history keeps its record until it completes', () => {
    const t = new CheckpointStatsTracker(2);
    t.reportPending(1, 0, 'CHECKPOINT', vertices);
    complete(t, 2);
    complete(t, 3);
    expect((t.toJson() as { history: { id: number }[] }).history.map((h) => h.id)).toEqual([3, 2]);
    expect(t.details(1)).toMatchObject({ status: 'IN_PROGRESS' });
    for (const v of vertices) for (let i = 0; i < 2; i++) t.reportAck(1, v.id, i, ack(400, 1));
    t.reportCompleted(1, 400_000, '<checkpoint-not-externally-addressable>');
    const j = t.toJson() as { counts: Record<string, number> };
    expect(j.counts).toMatchObject({ completed: 3, in_progress: 0 });
    expect(t.details(1)).toBeNull();
    expect(t.retainedRecords).toBe(2);
  });

  it('quantiles come from a sliding window; min, max and avg from every value', () => {
    const s = new StatsSummary('NaN', 4);
    for (const v of [1000, 1, 2, 3, 4]) s.add(v);
    expect(s.windowLength).toBe(4);
    expect(s.toJson()).toMatchObject({ min: 1, max: 1000, avg: 202, p50: 2.5, p999: 4 });
    s.add(5);
    expect(s.toJson()).toMatchObject({ min: 1, max: 1000, p50: 3.5 });
    const big = new StatsSummary();
    for (let i = 0; i < 25_000; i++) big.add(i);
    expect(big.windowLength).toBe(10_000);
    expect(big.toJson()).toMatchObject({ min: 0, max: 24_999, p50: 19_999.5 });
  });
});
