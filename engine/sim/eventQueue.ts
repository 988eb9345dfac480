import type { VirtualTime } from './time.ts';

/**
 * Completion of a real asynchronous operation (IndexedDB). The event that needs it fires at the virtual time
 * the cost model chose; the kernel does not advance past that event until the promise settled
 * (DESIGN: IndexedDB never decides ordering).
 */
export interface IoHandle {
  settled: boolean;
  error: unknown;
  readonly promise: Promise<void>;
}

export function ioHandle(p: Promise<unknown>): IoHandle {
  const h: IoHandle = {
    settled: false,
    error: undefined,
    promise: p.then(
      () => {
        h.settled = true;
      },
      (e: unknown) => {
        h.settled = true;
        h.error = e ?? new Error('I/O failed');
      },
    ),
  };
  return h;
}

/** One scheduled event. `kind` selects the handler; `target`, `a`, `ref` are the handler's arguments. */
export interface SimEvent {
  time: VirtualTime;
  seq: number;
  kind: number;
  target: number;
  a: number;
  ref: unknown;
  io: IoHandle | null;
  cancelled: boolean;
}

/** Binary min-heap ordered by (time, seq): the one event queue of a run. */
export class EventQueue {
  private heap: SimEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  get seqCounter(): number {
    return this.nextSeq;
  }

  push(
    time: VirtualTime,
    kind: number,
    target: number,
    a: number,
    ref: unknown,
    io: IoHandle | null,
  ): SimEvent {
    const ev: SimEvent = { time, seq: this.nextSeq++, kind, target, a, ref, io, cancelled: false };
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as SimEvent;
      if (pe.time < time || (pe.time === time && pe.seq < ev.seq)) break;
      h[i] = pe;
      i = p;
    }
    h[i] = ev;
    return ev;
  }

  /** Puts a popped event back with its original (time, seq): it keeps its place in the order. */
  reinsert(ev: SimEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as SimEvent;
      if (pe.time < ev.time || (pe.time === ev.time && pe.seq < ev.seq)) break;
      h[i] = pe;
      i = p;
    }
    h[i] = ev;
  }

  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop() as SimEvent;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let ce = h[l] as SimEvent;
        if (r < n) {
          const re = h[r] as SimEvent;
          if (re.time < ce.time || (re.time === ce.time && re.seq < ce.seq)) {
            c = r;
            ce = re;
          }
        }
        if (last.time < ce.time || (last.time === ce.time && last.seq < ce.seq)) break;
        h[i] = ce;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** All live events, in queue order (for engine snapshots and debugging). */
  toSortedArray(): SimEvent[] {
    return this.heap
      .filter((e) => !e.cancelled)
      .sort((x, y) => (x.time === y.time ? x.seq - y.seq : x.time - y.time));
  }

  clear(): void {
    this.heap = [];
  }
}
