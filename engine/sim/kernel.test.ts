import { describe, expect, it } from 'vitest';
import { EventQueue, ioHandle } from './eventQueue.ts';
import { Kernel } from './kernel.ts';
import { RandomStream, RandomStreams } from './random.ts';
import { TraceHash } from './traceHash.ts';
import { firstDivergence, TraceRecorder } from './determinism.ts';

describe('EventQueue', () => {
  it('pops in (time, seq) order, FIFO among equal times', () => {
    const q = new EventQueue();
    const times = [5, 1, 3, 1, 5, 0, 3, 2, 1];
    times.forEach((t, i) => q.push(t, 0, i, 0, null, null));
    const out: [number, number][] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push([e.time, e.target]);
    expect(out).toEqual([
      [0, 5],
      [1, 1],
      [1, 3],
      [1, 8],
      [2, 7],
      [3, 2],
      [3, 6],
      [5, 0],
      [5, 4],
    ]);
  });
});

describe('RandomStream', () => {
  it('is reproducible per (seed, name) and independent across names', () => {
    const a = new RandomStream(42, 'faults');
    const b = new RandomStream(42, 'faults');
    const xs = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xs);
    const c = new RandomStream(42, 'jitter');
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(xs);
    const d = new RandomStream(43, 'faults');
    expect(Array.from({ length: 20 }, () => d.nextU32())).not.toEqual(xs);
  });

  it('draws from one stream do not shift another stream', () => {
    const s1 = new RandomStreams(7);
    const s2 = new RandomStreams(7);
    for (let i = 0; i < 100; i++) s1.stream('generator').nextU32();
    expect(s1.stream('faults').int(0, 1000)).toBe(s2.stream('faults').int(0, 1000));
  });

  it('int stays in range and covers it', () => {
    const r = new RandomStream(1, 'x');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
    expect(() => r.int(5, 4)).toThrow(RangeError);
  });
});

describe('TraceHash', () => {
  it('is 16 hex digits and order sensitive', () => {
    const a = new TraceHash();
    a.mix(1);
    a.mix(2);
    const b = new TraceHash();
    b.mix(2);
    b.mix(1);
    expect(a.hex()).toMatch(/^[0-9a-f]{16}$/);
    expect(a.hex()).not.toBe(b.hex());
  });

  it('distinguishes large virtual times that share low 32 bits', () => {
    const a = new TraceHash();
    a.mix(5);
    const b = new TraceHash();
    b.mix(5 + 2 ** 32);
    expect(a.hex()).not.toBe(b.hex());
  });
});

function pingPong(seed: number, perturbAt: number | null): { kernel: Kernel; rec: TraceRecorder } {
  const k = new Kernel(seed);
  const rec = new TraceRecorder();
  k.recorder = rec;
  const rnd = k.random.stream('ping');
  const kind: number = k.register('ping', (ev) => {
    if (ev.a < 50) {
      const delay = rnd.int(1, 10) + (perturbAt === ev.a ? 1 : 0);
      k.schedule(k.now + delay, kind, ev.target === 0 ? 1 : 0, ev.a + 1);
    }
  });
  k.schedule(0, kind, 0, 0);
  k.runUntil(10_000);
  return { kernel: k, rec };
}

describe('Kernel', () => {
  it('same seed gives the same trace hash; another seed a different one', () => {
    expect(pingPong(1, null).kernel.hash.hex()).toBe(pingPong(1, null).kernel.hash.hex());
    expect(pingPong(1, null).kernel.hash.hex()).not.toBe(pingPong(2, null).kernel.hash.hex());
  });

  it('the determinism checker names the first diverging event', () => {
    const a = pingPong(3, null);
    const b = pingPong(3, 20);
    expect(firstDivergence(a.rec, a.rec, (k) => a.kernel.kindName(k))).toBeNull();
    const d = firstDivergence(a.rec, b.rec, (k) => a.kernel.kindName(k));
    expect(d).not.toBeNull();
    expect(d!.index).toBe(21);
    expect(d!.message).toContain('event #21');
  });

  it('refuses to schedule in the past or at fractional times', () => {
    const k = new Kernel(1);
    const kind = k.register('x', () => {});
    k.schedule(10, kind, 0);
    k.runUntil(20);
    expect(k.now).toBe(20);
    expect(() => k.schedule(5, kind, 0)).toThrow(/past/);
    expect(() => k.schedule(25.5, kind, 0)).toThrow(/integer/);
  });

  it('does not advance past an event whose real I/O has not settled', async () => {
    const k = new Kernel(1);
    const seen: number[] = [];
    const kind = k.register('io', (ev) => seen.push(ev.time));
    let resolve!: () => void;
    const io = ioHandle(new Promise<void>((r) => (resolve = r)));
    k.scheduleIo(100, kind, 0, 0, null, io);
    k.schedule(200, kind, 0);
    const r = k.runUntil(1000);
    expect(r.kind).toBe('blocked');
    expect(k.now).toBe(0);
    expect(seen).toEqual([]);
    const done = k.runUntilAsync(1000);
    resolve();
    await done;
    expect(seen).toEqual([100, 200]);
    expect(k.now).toBe(1000);
  });
});
