/**
 * Event-time timers of a keyed backend: one binary min-heap per backend (Flink keeps a heap priority queue
 * per backend too: HeapPriorityQueueSet), ordered by (timestamp, key, namespace) so that polling is
 * deterministic whatever order timers were registered in. Entries carry their heap index, so deleting a
 * timer is O(log n) without a search.
 */
import type { Key, Namespace, Timer } from './types.ts';

/** A registered timer. Immutable except for `heapIndex`, which only the queue touches. */
export class TimerEntry implements Timer {
  /** Position in the heap array; -1 when not queued. */
  heapIndex = -1;
  constructor(
    readonly key: Key,
    readonly keyGroup: number,
    readonly namespace: Namespace,
    readonly timestamp: number,
  ) {}
}

/** Total order on keys and namespaces: numbers before strings, then natural order (code units for strings). */
export function compareKeyLike(a: string | number, b: string | number): number {
  if (typeof a === 'number') {
    if (typeof b !== 'number') return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Timer order: timestamp, then key, then namespace. */
export function compareTimers(a: Timer, b: Timer): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  const c = compareKeyLike(a.key, b.key);
  return c !== 0 ? c : compareKeyLike(a.namespace, b.namespace);
}

export class TimerHeap {
  private heap: TimerEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): TimerEntry | undefined {
    return this.heap[0];
  }

  clear(): void {
    for (const e of this.heap) e.heapIndex = -1;
    this.heap = [];
  }

  push(e: TimerEntry): void {
    const h = this.heap;
    e.heapIndex = h.length;
    h.push(e);
    this.siftUp(e.heapIndex);
  }

  /** Removes and returns the smallest entry. */
  poll(): TimerEntry | undefined {
    const top = this.heap[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  remove(e: TimerEntry): void {
    const i = e.heapIndex;
    if (i < 0 || this.heap[i] !== e) return;
    this.removeAt(i);
  }

  private removeAt(i: number): void {
    const h = this.heap;
    const removed = h[i] as TimerEntry;
    const last = h.pop() as TimerEntry;
    removed.heapIndex = -1;
    if (last === removed) return;
    h[i] = last;
    last.heapIndex = i;
    if (i > 0 && compareTimers(last, h[(i - 1) >> 1] as TimerEntry) < 0) this.siftUp(i);
    else this.siftDown(i);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    const e = h[i] as TimerEntry;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as TimerEntry;
      if (compareTimers(pe, e) <= 0) break;
      h[i] = pe;
      pe.heapIndex = i;
      i = p;
    }
    h[i] = e;
    e.heapIndex = i;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i] as TimerEntry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && compareTimers(h[r] as TimerEntry, h[l] as TimerEntry) < 0) c = r;
      const ce = h[c] as TimerEntry;
      if (compareTimers(ce, e) >= 0) break;
      h[i] = ce;
      ce.heapIndex = i;
      i = c;
    }
    h[i] = e;
    e.heapIndex = i;
  }
}
