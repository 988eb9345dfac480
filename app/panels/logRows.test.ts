import { describe, expect, it } from 'vitest';
import type { LogEntry, RuntimeEvent } from '../../engine/protocol.ts';
import { allRows, groupIdOf, groupSummary, linesByCheckpoint } from './logRows.ts';

function entry(
  time: number,
  event: RuntimeEvent,
  story = false,
  text = `${event.kind} at ${time}`,
): LogEntry {
  return { time, kind: story ? 'checkpoint' : 'barrier', subtask: null, text, event, story, detail: null };
}
const ack = (id: number, n: number, of: number): RuntimeEvent => ({
  kind: 'checkpoint-acknowledged',
  checkpointId: id,
  subtask: n - 1,
  acknowledged: n,
  total: of,
});
const trig = (id: number): RuntimeEvent => ({
  kind: 'checkpoint-triggered',
  checkpointId: id,
  checkpointType: 'CHECKPOINT',
});
const done = (id: number): RuntimeEvent => ({
  kind: 'checkpoint-completed',
  checkpointId: id,
  checkpointType: 'CHECKPOINT',
  subtasks: 2,
  stateSize: 10,
  durationUs: 80_000,
});

describe('log grouping', () => {
  const log: LogEntry[] = [
    entry(1_000_000, trig(7)),
    entry(1_010_000, { kind: 'barrier-emitted', checkpointId: 7, subtask: 0, drain: false }),
    entry(1_050_000, ack(7, 1, 2)),
    entry(1_060_000, { kind: 'notice', subtask: null, category: 'window', text: '' }),
    entry(1_080_000, ack(7, 2, 2)),
    entry(1_080_000, done(7), true, 'Checkpoint 7 completed'),
    entry(2_000_000, trig(8)),
  ];

  it('only barrier-level events with a checkpoint id group', () => {
    expect(groupIdOf(trig(3))).toBe(3);
    expect(groupIdOf(done(3))).toBe(null);
    expect(groupIdOf({ kind: 'notice', subtask: null, category: 'barrier', text: '' })).toBe(null);
  });

  it('folds the barrier lines of one checkpoint into one row, newest first', () => {
    const rows = allRows(log, () => true, 100);
    expect(rows.map((r) => (r.type === 'group' ? `g${r.checkpointId}` : r.e.text))).toEqual([
      'g8',
      'Checkpoint 7 completed',
      'g7',
      'notice at 1060000',
    ]);
    const g7 = rows[2];
    expect(g7?.type === 'group' && g7.lines.length).toBe(4);
    expect(g7?.type === 'group' && groupSummary(7, g7.lines)).toBe('checkpoint 7: 2/2 acknowledged in 80 ms');
    expect(groupSummary(8, [entry(2_000_000, trig(8))])).toBe('checkpoint 8: 1 barrier event');
  });

  it('limits rows and honours the filter', () => {
    expect(allRows(log, () => true, 2)).toHaveLength(2);
    const rows = allRows(log, (e) => e.event.kind !== 'checkpoint-triggered', 100);
    expect(rows[0]?.type === 'line' && rows[0].e.text).toBe('Checkpoint 7 completed');
  });

  it('finds the barrier lines behind a checkpoint result', () => {
    expect(linesByCheckpoint(log).get(7)?.length).toBe(4);
    expect(linesByCheckpoint(log).get(8)?.length).toBe(1);
  });
});
