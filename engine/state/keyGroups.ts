/**
 * Flink's key-group math, bit for bit (reference 4.5: KeyGroupRangeAssignment, MathUtils.murmurHash).
 *
 * Everything here is on the engine's per-record hot path (every keyBy computes a key group and a channel):
 * plain int32 arithmetic, no allocation, no closures. Only the error paths build strings.
 */
import type { Key, KeyGroupRange, KeyType } from './types.ts';

/** reference 4.5: DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7;
/** reference 4.5: UPPER_BOUND_MAX_PARALLELISM = 1 << 15 (inclusive). */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

const TWO_POW_32 = 4294967296;

/** Java's String.hashCode: h = 31 * h + unit over UTF-16 code units, wrapping at 32 bits (reference 4.5). */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's Integer.hashCode(v) = v; `v` must be a 32-bit signed integer (reference 4.5). */
export function intHashCode(v: number): number {
  if ((v | 0) !== v) throw new RangeError('An int key must be a 32-bit signed integer, got ' + String(v));
  return v | 0; // normalises -0
}

/**
 * Java's Long.hashCode(v) = (int)(v ^ (v >>> 32)) for a JS safe integer read as a Java long (two's complement
 * for negatives) (reference 4.5). The low word xor the high word, without BigInt.
 */
export function longHashCode(v: number): number {
  if (!Number.isSafeInteger(v)) {
    throw new RangeError('A long key must be a safe integer (|v| <= 2^53 - 1), got ' + String(v));
  }
  const hi = Math.floor(v / TWO_POW_32); // signed high word (two's complement), |hi| < 2^21
  const lo = v - hi * TWO_POW_32; // unsigned low word in [0, 2^32)
  return (lo ^ hi) | 0;
}

/** The Java hashCode of a key of the given type; throws Flink's message for a null key (reference 4.5). */
export function keyHashCode(key: Key, type: KeyType): number {
  if (key === null || key === undefined) throw new Error('Assigned key must not be null!');
  if (type === 'string') {
    if (typeof key !== 'string') throw new TypeError('A string key was expected, got ' + typeof key);
    return javaStringHashCode(key);
  }
  if (typeof key !== 'number') throw new TypeError('A numeric (' + type + ') key was expected, got a string');
  if (type === 'int') return intHashCode(key);
  if (type === 'long') return longHashCode(key);
  throw new TypeError('Unknown key type: ' + String(type));
}

/**
 * Flink's MathUtils.murmurHash(int): Murmur3 x86_32 of the int's 4 bytes (seed 0), then a sign fold so the
 * result is non-negative (reference 4.5, steps 1-5).
 */
export function murmurHash(code: number): number {
  code = Math.imul(code, 0xcc9e2d51);
  code = (code << 15) | (code >>> 17);
  code = Math.imul(code, 0x1b873593);
  code = (code << 13) | (code >>> 19);
  code = (Math.imul(code, 5) + 0xe6546b64) | 0;
  code ^= 4;
  // bitMix (Murmur3 fmix32)
  code ^= code >>> 16;
  code = Math.imul(code, 0x85ebca6b);
  code ^= code >>> 13;
  code = Math.imul(code, 0xc2b2ae35);
  code ^= code >>> 16;
  if (code >= 0) return code;
  if (code !== -2147483648) return -code;
  return 0;
}

/** computeKeyGroupForKeyHash(h, maxP) = murmurHash(h) % maxP (reference 4.5). */
export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** assignToKeyGroup(key, maxP) = computeKeyGroupForKeyHash(key.hashCode(), maxP) (reference 4.5). */
export function assignToKeyGroup(key: Key, type: KeyType, maxParallelism: number): number {
  return murmurHash(keyHashCode(key, type)) % maxParallelism;
}

/** kg * p / maxP in 32-bit int arithmetic with truncating division (reference 4.5). */
export function computeOperatorIndexForKeyGroup(
  maxParallelism: number,
  parallelism: number,
  keyGroup: number,
): number {
  return ((Math.imul(keyGroup, parallelism) | 0) / maxParallelism) | 0;
}

/** The subtask index a keyBy sends the key to (KeyGroupStreamPartitioner; reference 4.5). */
export function assignKeyToParallelOperator(
  key: Key,
  type: KeyType,
  maxParallelism: number,
  parallelism: number,
): number {
  const kg = murmurHash(keyHashCode(key, type)) % maxParallelism;
  return ((Math.imul(kg, parallelism) | 0) / maxParallelism) | 0;
}

/** 0 < p <= 32768, else "Operator parallelism not within bounds: " + p (reference 4.5). */
export function checkParallelismPreconditions(parallelism: number): void {
  if (!(Number.isInteger(parallelism) && parallelism > 0 && parallelism <= UPPER_BOUND_MAX_PARALLELISM)) {
    throw new RangeError('Operator parallelism not within bounds: ' + String(parallelism));
  }
}

/**
 * The checks computeKeyGroupRangeForOperatorIndex makes before it computes (reference 4.5): both values within
 * bounds and maxP >= p ("Maximum parallelism must not be smaller than parallelism.").
 */
export function checkMaxParallelismPreconditions(maxParallelism: number, parallelism: number): void {
  checkParallelismPreconditions(parallelism);
  checkParallelismPreconditions(maxParallelism);
  if (maxParallelism < parallelism) {
    throw new RangeError('Maximum parallelism must not be smaller than parallelism.');
  }
}

/**
 * The inclusive key-group range [ceil(i*maxP/p), ((i+1)*maxP - 1)/p] owned by subtask i (reference 4.5).
 * Unlike Flink, an operator index outside [0, p) is rejected instead of yielding a range beyond maxP.
 */
export function computeKeyGroupRangeForOperatorIndex(
  maxParallelism: number,
  parallelism: number,
  operatorIndex: number,
): KeyGroupRange {
  checkMaxParallelismPreconditions(maxParallelism, parallelism);
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(
      'Operator index ' + String(operatorIndex) + ' is not within [0, ' + String(parallelism) + ')',
    );
  }
  const start = ((operatorIndex * maxParallelism + parallelism - 1) / parallelism) | 0;
  const end = (((operatorIndex + 1) * maxParallelism - 1) / parallelism) | 0;
  return { start, end };
}

/** MathUtils.roundUpToPowerOfTwo on a 32-bit int (reference 4.5). */
export function roundUpToPowerOfTwo(x: number): number {
  x = (x - 1) | 0;
  x |= x >> 1;
  x |= x >> 2;
  x |= x >> 4;
  x |= x >> 8;
  x |= x >> 16;
  return (x + 1) | 0;
}

/** min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768), p validated first (reference 4.5). */
export function computeDefaultMaxParallelism(parallelism: number): number {
  checkParallelismPreconditions(parallelism);
  return Math.min(
    Math.max(roundUpToPowerOfTwo(parallelism + ((parallelism / 2) | 0)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

/** Number of key groups in an inclusive range (0 when empty). */
export function keyGroupRangeSize(r: KeyGroupRange): number {
  return r.end >= r.start ? r.end - r.start + 1 : 0;
}

/** True when kg lies in the inclusive range. */
export function keyGroupRangeContains(r: KeyGroupRange, keyGroup: number): boolean {
  return keyGroup >= r.start && keyGroup <= r.end;
}

/** Flink's KeyGroupRange.getIntersection: empty ranges come back as {start: 0, end: -1}. */
export function keyGroupRangeIntersection(a: KeyGroupRange, b: KeyGroupRange): KeyGroupRange {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start <= end ? { start, end } : { start: 0, end: -1 };
}

/** Flink's KeyGroupRange.toString, used in error messages. */
export function formatKeyGroupRange(r: KeyGroupRange): string {
  return 'KeyGroupRange{startKeyGroup=' + String(r.start) + ', endKeyGroup=' + String(r.end) + '}';
}
