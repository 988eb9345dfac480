/**
 * A running 64-bit trace hash over every processed event (DESIGN: Determinism). Kept as two 32-bit lanes
 * (FNV-1a-style multiply/xor, each lane with its own prime) so that it is exact and identical in Node and
 * in every browser. Printed as 16 hex digits.
 */
export class TraceHash {
  private h1 = 0x84222325 | 0;
  private h2 = 0xcbf29ce4 | 0;

  mix(x: number): void {
    // Safe integers are folded in as two 32-bit halves so that large virtual times hash exactly.
    const lo = x | 0;
    const hi = Math.floor(x / 0x100000000) | 0;
    this.mix32(lo);
    this.mix32(hi);
  }

  mix32(v: number): void {
    let h1 = this.h1 ^ v;
    h1 = Math.imul(h1, 0x01000193);
    h1 ^= h1 >>> 15;
    let h2 = this.h2 ^ Math.imul(v, 0x9e3779b1);
    h2 = Math.imul(h2, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    h2 = (h2 + h1) | 0;
    this.h1 = h1;
    this.h2 = h2;
  }

  mixString(s: string): void {
    this.mix32(s.length);
    for (let i = 0; i < s.length; i++) this.mix32(s.charCodeAt(i));
  }

  hex(): string {
    return (this.h2 >>> 0).toString(16).padStart(8, '0') + (this.h1 >>> 0).toString(16).padStart(8, '0');
  }

  /** The two lanes without allocating (the kernel saves them around an event that may be deferred). */
  get lane1(): number {
    return this.h1;
  }

  get lane2(): number {
    return this.h2;
  }

  /** Lanes, for cheap snapshots and comparisons. */
  lanes(): [number, number] {
    return [this.h1, this.h2];
  }

  setLanes(l: readonly [number, number]): void {
    this.h1 = l[0] | 0;
    this.h2 = l[1] | 0;
  }
}
