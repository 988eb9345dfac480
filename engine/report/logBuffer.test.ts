import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../protocol.ts';
import { LogBuffer } from './logBuffer.ts';

function entry(i: number, story: boolean): LogEntry {
  return {
    time: i,
    kind: 'checkpoint',
    subtask: null,
    text: `line ${i}`,
    event: { kind: 'notice', subtask: null, category: 'checkpoint', text: `line ${i}` },
    story,
    detail: null,
  };
}

describe('LogBuffer', () => {
  it('keeps every story line of a long stretch nobody read, and drops old detail lines first', () => {
    const b = new LogBuffer();
    for (let i = 0; i < 20_000; i++) b.push(entry(i, i % 100 === 0));
    const all = b.since(0);
    expect(all.filter((e) => e.story)).toHaveLength(200);
    expect(all.length).toBeLessThanOrEqual(4200);
    expect(all[all.length - 1]!.time).toBe(19_999);
    // Positions stay absolute: reading from the end gives nothing, from the middle only newer lines.
    expect(b.since(b.end)).toHaveLength(0);
    expect(b.since(19_990).map((e) => e.time)).toEqual([
      19_990, 19_991, 19_992, 19_993, 19_994, 19_995, 19_996, 19_997, 19_998, 19_999,
    ]);
  });
});
