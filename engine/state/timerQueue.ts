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

interface Bucket {
  entries: TimerEntry[];
  /** Entries before `head` were polled; the rest are sorted by (key, namespace) when `sorted`. */
  head: number;
  sorted: boolean;
  live: number;
}

/**
 * The timer queue. Timers of windows share few timestamps (every key of a window fires at its end), so timers
 * are kept in one bucket per timestamp, with a small binary heap of the distinct timestamps; a bucket is sorted
 * by (key, namespace) once, when it is about to fire. Same order as one heap over (timestamp, key, namespace),
 * without string comparisons on every insert. Removal is lazy (O(1)).
 */
export class TimerHeap {
  private readonly buckets = new Map<number, Bucket>();
  private stamps: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    for (const b of this.buckets.values()) for (const e of b.entries) e.heapIndex = -1;
    this.buckets.clear();
    this.stamps = [];
    this.count = 0;
  }

  push(e: TimerEntry): void {
    let b = this.buckets.get(e.timestamp);
    if (b === undefined) {
      b = { entries: [], head: 0, sorted: true, live: 0 };
      this.buckets.set(e.timestamp, b);
      this.pushStamp(e.timestamp);
    }
    b.entries.push(e);
    b.sorted = false;
    b.live++;
    e.heapIndex = 0;
    this.count++;
  }

  peek(): TimerEntry | undefined {
    for (;;) {
      const ts = this.stamps[0];
      if (ts === undefined) return undefined;
      const b = this.buckets.get(ts);
      if (b === undefined || b.live === 0) {
        this.buckets.delete(ts);
        this.popStamp();
        continue;
      }
      if (!b.sorted) {
        const rest = b.entries.slice(b.head).filter((x) => x.heapIndex >= 0);
        rest.sort((x, y) => {
          const c = compareKeyLike(x.key, y.key);
          return c !== 0 ? c : compareKeyLike(x.namespace, y.namespace);
        });
        b.entries = rest;
        b.head = 0;
        b.sorted = true;
      }
      while (b.head < b.entries.length && (b.entries[b.head] as TimerEntry).heapIndex < 0) b.head++;
      const top = b.entries[b.head];
      if (top !== undefined) return top;
      b.live = 0;
    }
  }

  /** Removes and returns the smallest entry. */
  poll(): TimerEntry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    const b = this.buckets.get(top.timestamp) as Bucket;
    b.head++;
    this.unlink(top, b);
    return top;
  }

  remove(e: TimerEntry): void {
    if (e.heapIndex < 0) return;
    const b = this.buckets.get(e.timestamp);
    if (b === undefined) return;
    this.unlink(e, b);
  }

  private unlink(e: TimerEntry, b: Bucket): void {
    e.heapIndex = -1;
    b.live--;
    this.count--;
    if (b.live === 0) this.buckets.delete(e.timestamp); // its stamp is dropped lazily by peek
  }

  private pushStamp(ts: number): void {
    const h = this.stamps;
    let i = h.length;
    h.push(ts);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = h[p] as number;
      if (pv <= ts) break;
      h[i] = pv;
      i = p;
    }
    h[i] = ts;
  }

  private popStamp(): void {
    const h = this.stamps;
    const last = h.pop() as number;
    const n = h.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
  }
}
