import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../engine.ts';
import type { Row } from '../scenario/types.ts';

function engineOf(doc: unknown, seed?: number): Engine {
  const r = createEngine(doc, seed === undefined ? {} : { seed });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}

function clickCount(overrides: (doc: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const doc = presetScenario('click-count') as Record<string, unknown>;
  overrides(doc);
  return doc;
}

function windowRows(e: Engine, sink = 'output'): Row[] {
  return e.sinkOutput()[sink]?.all ?? [];
}

describe('click-count (operations playground, reference 7.3)', () => {
  it('every (page, window) count is exactly 1000 on a failure-free run', () => {
    const e = engineOf(clickCount());
    e.runUntil(70_000_000);
    expect(e.failure).toBeNull();
    const rows = windowRows(e);
    // 1000 records/s over 6 pages: one 15 s event-time window closes every 6 s of virtual time.
    expect(rows.length).toBeGreaterThanOrEqual(6 * 9);
    const windows = new Map<number, Set<string>>();
    for (const r of rows) {
      expect(r.count).toBe(1000);
      expect((r.windowEnd as number) - (r.windowStart as number)).toBe(15_000);
      if (!windows.has(r.windowStart as number)) windows.set(r.windowStart as number, new Set());
      const pages = windows.get(r.windowStart as number)!;
      expect(pages.has(r.page as string)).toBe(false);
      pages.add(r.page as string);
    }
    const starts = [...windows.keys()].sort((a, b) => a - b);
    starts.forEach((s, i) => expect(s).toBe(i * 15_000));
    for (const [s, pages] of windows) if (s < starts[starts.length - 1]!) expect(pages.size).toBe(6);
  });

  it('a bounded input finishes the job and fires every window (watermark +∞)', () => {
    const e = engineOf(
      clickCount((d) => {
        const topics = d.topics as Record<string, { generator: Record<string, unknown> }>;
        topics.input!.generator.count = 6000 * 3;
      }),
    );
    e.runUntil(600_000_000);
    expect(e.isFinished()).toBe(true);
    expect(e.runtime.status).toBe('FINISHED');
    const rows = windowRows(e);
    expect(rows).toHaveLength(18);
    expect(rows.every((r) => r.count === 1000)).toBe(true);
  });

  it('keys land on the subtasks Flink would choose (reference 7.5, p = 2)', () => {
    const e = engineOf(clickCount());
    e.runUntil(20_000_000);
    const byPage = new Map<string, number>();
    for (const t of e.runtime.tasks) {
      if (t.info.vertex.id !== 'counter') continue;
      // Every window this subtask fired is for pages it owns.
      for (const r of e.runtime.outputTopics.get('output')!.records) {
        if (r.subtask === t.info.subtaskIndex) byPage.set(r.row.page as string, t.info.subtaskIndex);
      }
    }
    expect(Object.fromEntries(byPage)).toEqual({
      '/help': 1,
      '/shop': 1,
      '/index': 0,
      '/jobs': 0,
      '/about': 0,
      '/news': 0,
    });
  });
});

describe('determinism', () => {
  it('same scenario and seed give the same trace hash; another seed another hash', () => {
    const run = (seed: number): string => {
      const e = engineOf(clickCount(), seed);
      e.runUntil(15_000_000);
      return e.traceHash();
    };
    const a = run(42);
    expect(run(42)).toBe(a);
    expect(run(43)).not.toBe(a);
  });

  it('stepping event by event reaches the same state as running', () => {
    const a = engineOf(clickCount());
    a.runUntil(2_000_000);
    const b = engineOf(clickCount());
    while ((b.nextEventTime() ?? Infinity) <= 2_000_000) b.stepEvent();
    expect(b.traceHash()).toBe(a.traceHash());
  });
});

function twoSpeedScenario(idleness: string | null, slowPartitions = 1): Record<string, unknown> {
  const wm = (ooo: string) => (idleness ? { outOfOrderness: ooo, idleness } : { outOfOrderness: ooo });
  return {
    version: 1,
    name: 'two speeds',
    seed: 5,
    topics: {
      fast: { partitions: 1, generator: { kind: 'keyed', keys: 10, ratePerSecond: 2000 } },
      slow: { partitions: slowPartitions, generator: { kind: 'keyed', keys: 10, ratePerSecond: 100 } },
    },
    cluster: { taskManagers: 1, slotsPerTaskManager: 2 },
    job: {
      operators: [
        { id: 'fastSrc', kind: 'source', topic: 'fast', watermarks: wm('0 ms') },
        { id: 'slowSrc', kind: 'source', topic: 'slow', watermarks: wm('2 s') },
        { id: 'both', kind: 'union', input: ['fastSrc', 'slowSrc'] },
        {
          id: 'win',
          kind: 'window',
          input: 'both',
          keyBy: 'key',
          window: 'tumbling 1 s',
          aggregate: 'count',
        },
        { id: 'out', kind: 'sink', input: 'win' },
      ],
    },
  };
}

describe('union and watermarks', () => {
  it('the union forwards the minimum of its inputs’ watermarks, so the slower input holds windows back', () => {
    const e = engineOf(twoSpeedScenario(null));
    e.runUntil(10_000_000);
    const rt = e.runtime;
    const wmOf = (vertex: string): number => {
      const t = rt.tasks.find((x) => x.info.vertex.id === vertex)!;
      return t.chain.source ? t.chain.source.lastEmittedWatermark : t.valve.lastOutputWatermark;
    };
    const fast = wmOf('fastSrc');
    const slow = wmOf('slowSrc');
    expect(fast).toBeGreaterThan(slow + 1500); // the slow source declares 2 s out-of-orderness
    const union = wmOf('both');
    expect(union).toBeLessThanOrEqual(Math.min(fast, slow));
    expect(union).toBeGreaterThan(slow - 1000); // and follows the slow one closely
    const rows = windowRows(e, 'out');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect((r.windowEnd as number) - 1).toBeLessThanOrEqual(union);
    // Both inputs' records are counted: 2000/s + 100/s over 10 keys = 210 per key per second.
    const complete = rows.filter((r) => (r.windowEnd as number) <= 5000);
    for (const r of complete) expect(r.count).toBe(210);
  });

  it('a source subtask without splits holds the watermark back unless idleness is configured', () => {
    // Two source subtasks read a one-partition topic: one subtask gets no split (reference 7.2, withIdleness).
    const doc = (idleness: string | null): Record<string, unknown> => ({
      version: 1,
      name: 'idle source subtask',
      topics: { t: { partitions: 1, generator: { kind: 'keyed', keys: 4, ratePerSecond: 1000 } } },
      cluster: { taskManagers: 1, slotsPerTaskManager: 2 },
      job: {
        operators: [
          {
            id: 'src',
            kind: 'source',
            topic: 't',
            parallelism: 2,
            watermarks: idleness ? { outOfOrderness: '0 ms', idleness } : { outOfOrderness: '0 ms' },
          },
          {
            id: 'win',
            kind: 'windowCount',
            input: 'src',
            keyBy: 'key',
            window: 'tumbling 1 s',
            parallelism: 2,
          },
          { id: 'out', kind: 'sink', input: 'win', parallelism: 2 },
        ],
      },
    });
    const stuck = engineOf(doc(null));
    stuck.runUntil(10_000_000);
    expect(windowRows(stuck, 'out')).toHaveLength(0);
    const idle = engineOf(doc('1 s'));
    idle.runUntil(10_000_000);
    const rows = windowRows(idle, 'out');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.count).toBe(250);
  });
});

describe('backpressure', () => {
  it('a slow operator fills its input channels and slows the source down', () => {
    const e = engineOf({
      version: 1,
      name: 'slow map',
      topics: { t: { partitions: 1, generator: { kind: 'keyed', keys: 4, ratePerSecond: 10_000 } } },
      job: {
        operators: [
          { id: 'src', kind: 'source', topic: 't' },
          {
            id: 'slow',
            kind: 'map',
            input: 'src',
            fn: { type: 'identity' },
            costPerRecord: '1 ms',
            chaining: 'never',
          },
          { id: 'out', kind: 'sink', input: 'slow' },
        ],
      },
      config: { 'pipeline.operator-chaining.enabled': 'false' },
    });
    e.runUntil(5_000_000);
    const rt = e.runtime;
    const src = rt.tasks.find((t) => t.info.vertex.id === 'src')!;
    const slow = rt.tasks.find((t) => t.info.vertex.id === 'slow')!;
    // 10,000 records/s are available but the map handles at most 1,000/s.
    expect(slow.recordsIn).toBeLessThanOrEqual(5000);
    expect(slow.recordsIn).toBeGreaterThan(4000);
    const ch = rt.channels.find((c) => c.info.from.index === src.index)!;
    expect(ch.dataInFlight).toBe(ch.capacity);
    expect(ch.waiting.length).toBeGreaterThan(0);
    expect(src.backpressured).toBe(true);
    // The source read far less than the 50,000 records appended to the topic.
    expect(src.recordsIn).toBeLessThan(50_000 / 2);
    const f = e.frame();
    expect(f.subtaskStatus[src.index]).toBe('RUNNING');
  });
});
