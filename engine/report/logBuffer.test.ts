import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../protocol.ts';
import { LogBuffer, MAX_DETAIL, MAX_STORY } from './logBuffer.ts';

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
    expect(all.length).toBeLessThanOrEqual(MAX_DETAIL + 200);
    expect(all[all.length - 1]!.time).toBe(19_999);
    // Positions stay absolute: reading from the end gives nothing, from the middle only newer lines.
    expect(b.since(b.end)).toHaveLength(0);
    expect(b.since(19_990).map((e) => e.time)).toEqual([
      19_990, 19_991, 19_992, 19_993, 19_994, 19_995, 19_996, 19_997, 19_998, 19_999,
    ]);
  });

  it('stays bounded over a run of a million lines, most of them story lines, at O(1) amortized per line', () => {
    // A 2-hour run with a 100 ms checkpoint interval narrates a story line per completed checkpoint (72,000) among
    // about 10 detail lines each.
    const b = new LogBuffer();
    const n = 1_000_000;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      b.push(entry(i, i % 3 !== 0));
      if (b.size > peak) peak = b.size;
    }
    expect(peak).toBeLessThanOrEqual(MAX_DETAIL + MAX_STORY + 1);
    // Trimming copies each line a bounded number of times (a trim per half-full kind).
    expect(b.trimWork / n).toBeLessThan(8);
    const kept = b.since(0);
    // The most recent lines, in order, with the story lines of the recent past.
    expect(kept[kept.length - 1]!.time).toBe(n - 1);
    expect(kept.filter((e) => e.story).length).toBeGreaterThanOrEqual(MAX_STORY / 2);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.time).toBeGreaterThan(kept[i - 1]!.time);
  });

  it('a story line is dropped only with the detail lines older than it: what remains is the recent past', () => {
    const b = new LogBuffer();
    for (let i = 0; i < 50_000; i++) b.push(entry(i, i % 2 === 0));
    const kept = b.since(0);
    const oldestStory = kept.find((e) => e.story)!.time;
    // Detail lines from before the oldest kept story line are gone.
    expect(kept.every((e) => e.story || e.time > oldestStory - 2)).toBe(true);
  });
});
