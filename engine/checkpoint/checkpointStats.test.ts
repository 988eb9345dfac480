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
    expect(Object.keys(c)).toEqual(
      Object.keys((sample.latest as Record<string, Record<string, unknown>>).completed!),
    );
    const d = t.subtaskDetails(2, 'sink') as { subtasks: Record<string, unknown>[] };
    expect(d.subtasks[1]).toMatchObject({
      index: 1,
      status: 'completed',
      start_delay: 2,
      checkpoint: { sync: 1, async: 3 },
    });
    const p = t.subtaskDetails(3, 'sink') as { subtasks: Record<string, unknown>[] };
    expect(p.subtasks[1]).toEqual({ index: 1, status: 'pending_or_failed' });
  });
});
