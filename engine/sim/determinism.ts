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

/**
 * Records every processed event (compactly) so that two runs can be compared event by event.
 * Descriptions are produced lazily, only for the events around a divergence.
 */
export class TraceRecorder {
  private times: number[] = [];
  private kinds: number[] = [];
  private targets: number[] = [];
  private args: number[] = [];
  private h1: number[] = [];
  private h2: number[] = [];
  private descriptions: string[] = [];

  constructor(private readonly keepDescriptions = true) {}

  get length(): number {
    return this.times.length;
  }

  record(ev: SimEvent, kernel: Kernel): void {
    this.times.push(ev.time);
    this.kinds.push(ev.kind);
    this.targets.push(ev.target);
    this.args.push(ev.a);
    const [a, b] = kernel.hash.lanes();
    this.h1.push(a);
    this.h2.push(b);
    if (this.keepDescriptions) {
      this.descriptions.push(
        kernel.describe ? kernel.describe(ev) : `${kernel.kindName(ev.kind)} target=${ev.target}`,
      );
    }
  }

  entry(i: number, kindName: (k: number) => string): TraceEntry | null {
    if (i < 0 || i >= this.times.length) return null;
    const hash =
      ((this.h2[i] as number) >>> 0).toString(16).padStart(8, '0') +
      ((this.h1[i] as number) >>> 0).toString(16).padStart(8, '0');
    return {
      index: i,
      time: this.times[i] as number,
      kind: kindName(this.kinds[i] as number),
      target: this.targets[i] as number,
      a: this.args[i] as number,
      hash,
      description: this.descriptions[i] ?? '',
    };
  }

  sameAt(i: number, other: TraceRecorder): boolean {
    return (
      this.h1[i] === other.h1[i] &&
      this.h2[i] === other.h2[i] &&
      this.times[i] === other.times[i] &&
      this.kinds[i] === other.kinds[i]
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
  for (let i = 0; i < n; i++) {
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
