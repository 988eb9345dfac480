/**
 * Seeded random streams (DESIGN: Determinism). Each subsystem draws from its own named stream, derived from
 * the scenario seed and the stream name, so adding draws in one subsystem never shifts another.
 * Generator: sfc32 (Small Fast Counting, 32-bit state words) — integer-only, identical in every JS engine.
 */

/** 32-bit string hash (FNV-1a over UTF-16 units, then a murmur3 finaliser) used to derive stream seeds. */
export function hashString32(s: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class RandomStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, name: string) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    this.a = hashString32(name, lo ^ 0x9e3779b9);
    this.b = hashString32(name, hi ^ 0x85ebca6b);
    this.c = fmix32(lo + 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  /** Uniform unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [min, max] (inclusive), unbiased (rejection sampling), integer arithmetic only. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`RandomStream.int: bad range [${min}, ${max}]`);
    }
    const span = max - min + 1;
    if (span <= 0x100000000) {
      const limit = 0x100000000 - (0x100000000 % span);
      for (;;) {
        const x = this.nextU32();
        if (x < limit) return min + (x % span);
      }
    }
    // Wider ranges: combine two draws (53 bits), still integer-exact.
    for (;;) {
      const hi = this.nextU32() & 0x1fffff;
      const lo = this.nextU32();
      const x = hi * 0x100000000 + lo;
      const limit = 2 ** 53 - (2 ** 53 % span);
      if (x < limit) return min + (x % span);
    }
  }

  /** True with probability num/den (integers). */
  chance(num: number, den: number): boolean {
    return this.int(0, den - 1) < num;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('RandomStream.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }
}

/** The set of named streams of one run. Streams are created on first use and are independent of each other. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();
  constructor(readonly seed: number) {}

  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (!s) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
