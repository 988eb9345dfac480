import type { SimEvent } from './eventQueue.ts';
import type { Kernel } from './kernel.ts';

/** One processed event as the determinism checker sees it. */
export interface TraceEntry {
  index: number;
  time: number;
  kind: string;
  target: number;
  a: number;
  hash: string;
  description: string;
}

/** Default number of most recent events a TraceRecorder keeps (about 10 MB with descriptions). */
export const TRACE_RECORDER_CAPACITY = 100_000;

/**
 * Records processed events (compactly) so that two runs can be compared event by event. Bounded: it keeps the
 * most recent `capacity` events (default TRACE_RECORDER_CAPACITY) in a ring, so a long run cannot grow it without
 * limit. Event indexes stay global (the n-th processed event is #n). The kernel's trace hash is cumulative, so two
 * runs whose hashes agree at an event agree on every event before it; a divergence older than the window is
 * reported as such (see firstDivergence). Descriptions are kept for the same window when asked for.
 */
export class TraceRecorder {
  private times: number[] = [];
  private kinds: number[] = [];
  private targets: number[] = [];
  private args: number[] = [];
  private h1: number[] = [];
  private h2: number[] = [];
  private descriptions: string[] = [];
  /** Events recorded so far (including those that left the window). */
  private total = 0;

  constructor(
    private readonly keepDescriptions = true,
    readonly capacity = TRACE_RECORDER_CAPACITY,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity must be >= 1');
  }

  /** Events recorded so far (the index of the next one). */
  get length(): number {
    return this.total;
  }

  /** Index of the oldest event still kept. */
  get first(): number {
    return Math.max(0, this.total - this.capacity);
  }

  /** Events kept (at most `capacity`). */
  get retained(): number {
    return this.total - this.first;
  }

  record(ev: SimEvent, kernel: Kernel): void {
    const slot = this.total % this.capacity;
    this.total++;
    const [a, b] = kernel.hash.lanes();
    this.times[slot] = ev.time;
    this.kinds[slot] = ev.kind;
    this.targets[slot] = ev.target;
    this.args[slot] = ev.a;
    this.h1[slot] = a;
    this.h2[slot] = b;
    if (this.keepDescriptions) {
      this.descriptions[slot] = kernel.describe
        ? kernel.describe(ev)
        : `${kernel.kindName(ev.kind)} target=${ev.target}`;
    }
  }

  private slot(i: number): number | null {
    return i >= this.first && i < this.total ? i % this.capacity : null;
  }

  entry(i: number, kindName: (k: number) => string): TraceEntry | null {
    const s = this.slot(i);
    if (s === null) return null;
    const hash =
      ((this.h2[s] as number) >>> 0).toString(16).padStart(8, '0') +
      ((this.h1[s] as number) >>> 0).toString(16).padStart(8, '0');
    return {
      index: i,
      time: this.times[s] as number,
      kind: kindName(this.kinds[s] as number),
      target: this.targets[s] as number,
      a: this.args[s] as number,
      hash,
      description: this.descriptions[s] ?? '',
    };
  }

  /** Whether both recorders hold event `i` and agree on it (false when either no longer holds it). */
  sameAt(i: number, other: TraceRecorder): boolean {
    const s = this.slot(i);
    const o = other.slot(i);
    if (s === null || o === null) return false;
    return (
      this.h1[s] === other.h1[o] &&
      this.h2[s] === other.h2[o] &&
      this.times[s] === other.times[o] &&
      this.kinds[s] === other.kinds[o]
    );
  }
}

export interface Divergence {
  index: number;
  left: TraceEntry | null;
  right: TraceEntry | null;
  message: string;
}

/** Names the first event at which two recorded runs differ, or returns null when they are identical. */
export function firstDivergence(
  left: TraceRecorder,
  right: TraceRecorder,
  kindName: (k: number) => string,
): Divergence | null {
  const n = Math.min(left.length, right.length);
  const from = Math.max(left.first, right.first);
  if (from > 0 && from < n && !left.sameAt(from, right)) {
    // The cumulative hash already differs at the oldest event both still hold: the runs diverged earlier.
    return {
      index: from,
      left: left.entry(from, kindName),
      right: right.entry(from, kindName),
      message: `runs diverge at or before event #${from}: earlier events are no longer kept (the recorders keep the last ${Math.min(left.capacity, right.capacity)} events)`,
    };
  }
  for (let i = from; i < n; i++) {
    if (!left.sameAt(i, right)) {
      const l = left.entry(i, kindName);
      const r = right.entry(i, kindName);
      return {
        index: i,
        left: l,
        right: r,
        message: `runs diverge at event #${i}: left ${l?.description ?? '?'} @${l?.time ?? '?'}µs (hash ${l?.hash ?? '?'}), right ${r?.description ?? '?'} @${r?.time ?? '?'}µs (hash ${r?.hash ?? '?'})`,
      };
    }
  }
  if (left.length !== right.length) {
    const longer = left.length > right.length ? left : right;
    const e = longer.entry(n, kindName);
    return {
      index: n,
      left: left.entry(n, kindName),
      right: right.entry(n, kindName),
      message: `runs diverge at event #${n}: one run ends there, the other continues with ${e?.description ?? '?'}`,
    };
  }
  return null;
}
