/** Output topics keep every record, packing full chunks no open transaction reaches (bounded growth, issue 8 §3). */
import { describe, expect, it } from 'vitest';
import { snapshotClone } from '../sim/snapshot.ts';
import { type OutputRecord, OutputTopic } from './topic.ts';

function write(topic: OutputTopic, n: number, txnEvery: number): OutputRecord[] {
  const mirror: OutputRecord[] = [];
  let txn = topic.beginTransaction(0);
  for (let i = 0; i < n; i++) {
    const rec: OutputRecord = {
      row:
        i % 7 === 0 ? { key: `k${i % 13}`, value: i } : { page: '/help', windowStart: i * 15, count: 1000 },
      committed: false,
      aborted: false,
      subtask: i % 3,
      time: 1_000_000 + i * 2_500_123,
      txn,
    };
    topic.append(rec);
    mirror.push(rec);
    if ((i + 1) % txnEvery === 0) {
      topic.preCommit(txn);
      if ((i / txnEvery) % 5 === 3) topic.abort(txn);
      else topic.commit(txn);
      txn = topic.beginTransaction(0);
    }
  }
  return mirror;
}

describe('OutputTopic', () => {
  it('reads back exactly what was written after full chunks are packed', () => {
    const topic = new OutputTopic('out');
    const mirror = write(topic, 5000, 300);
    expect(topic.size).toBe(5000);
    const all = topic.records;
    expect(all).toEqual(mirror);
    expect(topic.at(17)).toEqual(mirror[17]);
    expect(topic.recent(3)).toEqual(mirror.slice(-3));
    expect(topic.committedRows()).toEqual(mirror.filter((r) => r.committed).map((r) => r.row));
    expect(topic.committedCount).toBe(mirror.filter((r) => r.committed).length);
  });

  it('a snapshot copy is independent of the topic it was taken from', () => {
    const topic = new OutputTopic('out');
    write(topic, 3000, 400);
    const copy = snapshotClone(topic);
    const before = copy.records;
    // The original goes on: new records, and the open transaction commits.
    write(topic, 2000, 100);
    expect(copy.records).toEqual(before);
    expect(copy.size).toBe(3000);
    expect(topic.size).toBe(5000);
  });
});

describe('OutputTopic over a long run', () => {
  it('forgets committed and aborted transactions: only the open one is kept, however many came before', () => {
    const topic = new OutputTopic('out');
    write(topic, 50_000, 10); // 5,000 transactions
    const txns = (topic as unknown as { txns: Map<number, unknown> }).txns;
    expect(txns.size).toBe(1);
    expect(topic.lingering(0)).toHaveLength(1);
    // Every full chunk but the last two (the open transaction's and the newest) is packed.
    const chunks = (topic as unknown as { chunks: unknown[] }).chunks;
    expect(chunks.filter((c) => Array.isArray(c)).length).toBeLessThanOrEqual(2);
  });
});
