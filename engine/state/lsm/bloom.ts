/**
 * A Bloom filter per run (RocksDB's per-SST filter, here on the key-group + key prefix): a read of a key that is
 * not in a run costs no block load. Integer arithmetic only (Math.imul), so Node and Chromium agree bit for bit.
 */

/** Bits per key: ~1% false positives with 7 probes (RocksDB's default bloom uses 10 bits per key). */
export const BITS_PER_KEY = 10;
const PROBES = 7;

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The two hashes mayContainHashed takes. */
export function bloomHashes(key: string): [number, number] {
  return [fnv1a(key, 0), fnv1a(key, 0x5bd1e995) | 1];
}

export class BloomFilter {
  constructor(readonly bits: Uint8Array) {}

  static forKeys(keys: readonly string[]): BloomFilter {
    const nbits = Math.max(64, keys.length * BITS_PER_KEY);
    const f = new BloomFilter(new Uint8Array(Math.ceil(nbits / 8)));
    for (const k of keys) f.add(k);
    return f;
  }

  private get nbits(): number {
    return this.bits.length * 8;
  }

  add(key: string): void {
    const h1 = fnv1a(key, 0);
    const h2 = fnv1a(key, 0x5bd1e995) | 1;
    const n = this.nbits;
    for (let i = 0; i < PROBES; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % n;
      this.bits[bit >>> 3] = (this.bits[bit >>> 3] as number) | (1 << (bit & 7));
    }
  }

  mayContain(key: string): boolean {
    return this.mayContainHashed(fnv1a(key, 0), fnv1a(key, 0x5bd1e995) | 1);
  }

  /** mayContain with the key's two hashes computed once (bloomHashes) for many filters. */
  mayContainHashed(h1: number, h2: number): boolean {
    const n = this.nbits;
    for (let i = 0; i < PROBES; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % n;
      if (((this.bits[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}
