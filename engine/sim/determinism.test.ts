import { describe, expect, it } from 'vitest';
import { firstDivergence, TRACE_RECORDER_CAPACITY, TraceRecorder } from './determinism.ts';
import { Kernel } from './kernel.ts';

/** Two kernels bouncing an event `events` times; `perturbAt` delays one bounce by 1 µs. */
function run(events: number, perturbAt: number | null, capacity?: number): { k: Kernel; rec: TraceRecorder } {
  const k = new Kernel(7);
  const rec = new TraceRecorder(true, capacity);
  k.recorder = rec;
  const kind: number = k.register('bounce', (ev) => {
    if (ev.a < events - 1)
      k.schedule(k.now + 5 + (perturbAt === ev.a ? 1 : 0), kind, 1 - ev.target, ev.a + 1);
  });
  k.schedule(0, kind, 0, 0);
  k.runUntil(Number.MAX_SAFE_INTEGER - 1);
  return { k, rec };
}

describe('TraceRecorder is bounded', () => {
  it('keeps the last `capacity` events with global indexes', () => {
    const { k, rec } = run(2500, null, 1000);
    expect(rec.length).toBe(2500);
    expect(rec.retained).toBe(1000);
    expect(rec.first).toBe(1500);
    expect(rec.entry(1499, (x) => k.kindName(x))).toBeNull();
    expect(rec.entry(1500, (x) => k.kindName(x))).toMatchObject({ index: 1500, time: 7500, kind: 'bounce' });
    expect(rec.entry(2499, (x) => k.kindName(x))).toMatchObject({ index: 2499, a: 2499 });
    expect(TRACE_RECORDER_CAPACITY).toBe(100_000);
    expect(() => new TraceRecorder(true, 0)).toThrow(RangeError);
  });

  it('names the first diverging event inside the window', () => {
    const a = run(2500, null, 1000);
    const b = run(2500, 2000, 1000);
    expect(firstDivergence(a.rec, a.rec, (x) => a.k.kindName(x))).toBeNull();
    const d = firstDivergence(a.rec, b.rec, (x) => a.k.kindName(x));
    expect(d?.index).toBe(2001);
    expect(d?.message).toContain('event #2001');
  });

  it('says when the runs diverged before the oldest event it still holds', () => {
    const a = run(2500, null, 1000);
    const b = run(2500, 100, 1000);
    const d = firstDivergence(a.rec, b.rec, (x) => a.k.kindName(x));
    expect(d?.index).toBe(1500);
    expect(d?.message).toMatch(/at or before event #1500: .*last 1000 events/);
  });
});
