import { describe, expect, it } from 'vitest';
import { decode, Decoder, encode, encodedSize, Encoder, utf8Length } from './codec.ts';
import type { StateValue } from './types.ts';

const bytes = (v: StateValue) => [...encode(v)];

function roundTrip(v: StateValue): StateValue {
  const b = encode(v);
  expect(encodedSize(v)).toBe(b.length);
  return decode(b);
}

/** Deterministic pseudo-random StateValues (LCG), for property checks. */
function makeRandom(seed: number) {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return (x >>> 8) / 16777216;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const chars = ['a', 'Z', '0', ' ', 'é', 'ß', 'ж', '中', '€', '😀', '\ud800', '\udfff', '"', '\u0000'];
  const str = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(chars)).join('');
  const num = () =>
    pick([
      () => Math.floor(next() * 128),
      () => Math.floor(next() * 2 ** 20),
      () => -Math.floor(next() * 2 ** 40) - 1,
      () => Math.floor((next() - 0.5) * 2 ** 53),
      () => (next() - 0.5) * 1e6,
      () => pick([0, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 5e-324]),
    ])();
  const value = (depth: number): StateValue => {
    const r = next();
    if (depth > 3 || r < 0.5) {
      return pick([null, true, false, 0, 1] as const) === 0 ? num() : next() < 0.5 ? str() : num();
    }
    if (r < 0.75) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    const o: Record<string, StateValue> = {};
    const n = Math.floor(next() * 5);
    for (let i = 0; i < n; i++) o[str()] = value(depth + 1);
    return o;
  };
  return { value, next };
}

describe('codec', () => {
  it('encodes small non-negative integers in one byte and picks the sign from the tag', () => {
    expect(bytes(0)).toEqual([0x80]);
    expect(bytes(5)).toEqual([0x85]);
    expect(bytes(127)).toEqual([0xff]);
    expect(bytes(128)).toEqual([0x03, 0x80, 0x01]);
    expect(bytes(300)).toEqual([0x03, 0xac, 0x02]);
    expect(bytes(-1)).toEqual([0x04, 0x00]);
    expect(bytes(-129)).toEqual([0x04, 0x80, 0x01]);
    expect(bytes(null)).toEqual([0x00]);
    expect(bytes(false)).toEqual([0x01]);
    expect(bytes(true)).toEqual([0x02]);
    expect(bytes('é')).toEqual([0x06, 0x02, 0xc3, 0xa9]);
    expect(bytes([1, 'a'])).toEqual([0x07, 0x02, 0x81, 0x06, 0x01, 0x61]);
    expect(bytes({ b: 1, a: 2 })).toEqual([0x08, 0x02, 0x01, 0x61, 0x82, 0x01, 0x62, 0x81]);
    expect(encode(2 ** 53 - 1).length).toBe(1 + 8);
    expect(bytes(1.5)).toEqual([0x05, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
  });

  it('round-trips numbers exactly, including -0, NaN, infinities and the safe-integer edges', () => {
    const nums = [
      0,
      1,
      127,
      128,
      255,
      16383,
      16384,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32,
      2 ** 53 - 1,
      -1,
      -128,
      -129,
      -(2 ** 31),
      -(2 ** 31) - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      -(2 ** 53),
      1.5,
      -2.25,
      1e300,
      5e-324,
      Infinity,
      -Infinity,
    ];
    for (const n of nums) expect(roundTrip(n), String(n)).toBe(n);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
  });

  it('writes every NaN as the canonical quiet NaN', () => {
    const other = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0]!; // a signalling NaN payload
    expect(Number.isNaN(other)).toBe(true);
    expect(bytes(other)).toEqual(bytes(NaN));
    expect(bytes(NaN)).toEqual([0x05, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
  });

  it('round-trips non-ASCII strings, astral characters and lone surrogates', () => {
    const strings = [
      '',
      'ascii',
      'ключ',
      '键-7',
      'naïve',
      '😀',
      'emoji-🚀-key',
      '\ud800',
      '\udc00x',
      'a\ud83d',
      '\u0000\u007f\u0080\u07ff\u0800\uffff',
      '𝄞 clef',
    ];
    const te = new TextEncoder();
    for (const s of strings) {
      expect(roundTrip(s), JSON.stringify(s)).toBe(s);
      const wellFormed = !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
      if (wellFormed) expect(utf8Length(s)).toBe(te.encode(s).length);
    }
    expect(utf8Length('\ud800')).toBe(3);
    const long = 'жёлтый 键 😀 '.repeat(2000); // longer than the decoder's scratch buffer
    expect(roundTrip(long)).toBe(long);
  });

  it('round-trips nested arrays and objects, with odd keys', () => {
    // JSON.parse makes "__proto__" an own property (an object literal would set the prototype instead)
    const v = JSON.parse(
      '{"list":[1,-2,3.5,"x",null,true,[[],{}]],"ключ":{"键":"naïve","":0},"__proto__":"not a prototype",' +
        '"10":"integer-like key","nested":{"deeper":{"deepest":[-9007199254740991,9007199254740991]}}}',
    ) as StateValue;
    const out = roundTrip(v) as Record<string, StateValue>;
    expect(out).toEqual(v);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });

  it('is canonical: key insertion order does not change the bytes', () => {
    expect(encode({ a: 1, b: [2], c: { y: 1, x: 2 } })).toEqual(encode({ c: { x: 2, y: 1 }, b: [2], a: 1 }));
  });

  it('appends many values to one growable buffer and reads them back in order', () => {
    const { value } = makeRandom(7);
    const values = Array.from({ length: 500 }, () => value(0));
    const enc = new Encoder(1);
    let expectedLength = 0;
    for (const v of values) {
      enc.writeValue(v);
      expectedLength += encodedSize(v);
      expect(enc.length).toBe(expectedLength);
    }
    const all = enc.finish();
    const dec = new Decoder(all);
    for (const v of values) expect(dec.readValue()).toEqual(v);
    expect(dec.atEnd).toBe(true);
    // a decoder over a sub-range of a larger buffer
    const first = encode(values[0]!);
    const framed = new Uint8Array(first.length + 4);
    framed.set(first, 2);
    const sub = new Decoder(framed, 2, 2 + first.length);
    expect(sub.readValue()).toEqual(values[0]);
    expect(sub.atEnd).toBe(true);
    expect(decode(framed.subarray(2, 2 + first.length))).toEqual(values[0]);
  });

  it('round-trips random values and encodedSize is exact', () => {
    const { value } = makeRandom(42);
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      const b = encode(v);
      expect(encodedSize(v)).toBe(b.length);
      const back = decode(b);
      // toEqual treats NaN as equal to NaN and -0 as distinct from 0? compare bytes instead for exactness
      expect(encode(back)).toEqual(b);
    }
  });

  it('varints cover 2^53 - 1 exactly and reject what they cannot represent', () => {
    const enc = new Encoder();
    for (const n of [0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 49, 2 ** 53 - 1])
      enc.writeVarint(n);
    const dec = new Decoder(enc.finish());
    for (const n of [0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 49, 2 ** 53 - 1]) {
      expect(dec.readVarint()).toBe(n);
    }
    expect(() => enc.writeVarint(-1)).toThrow(RangeError);
    expect(() => enc.writeVarint(1.5)).toThrow(RangeError);
    expect(() =>
      new Decoder(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).readVarint(),
    ).toThrow(/longer than 8 bytes/);
    expect(() =>
      new Decoder(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).readVarint(),
    ).toThrow(/beyond 2\^53/);
  });

  it('rejects what is not a StateValue and malformed input', () => {
    expect(() => encode(undefined as unknown as StateValue)).toThrow(/cannot encode undefined/);
    expect(() => encode(new Map() as unknown as StateValue)).toThrow(/cannot encode Map/);
    expect(() => encodedSize(new Date(0) as unknown as StateValue)).toThrow(/cannot encode Date/);
    expect(() => encode((() => 1) as unknown as StateValue)).toThrow(/cannot encode function/);
    expect(() => encode(1n as unknown as StateValue)).toThrow(/cannot encode bigint/);
    expect(() => decode(new Uint8Array([]))).toThrow(/Truncated/);
    expect(() => decode(new Uint8Array([0x06, 0x05, 0x61]))).toThrow(/Truncated/);
    expect(() => decode(new Uint8Array([0x09]))).toThrow(/Unknown state codec tag 0x9/);
    expect(() => decode(new Uint8Array([0x80, 0x80]))).toThrow(/Trailing bytes/);
    expect(() => decode(new Uint8Array([0x07, 0x05, 0x80]))).toThrow(/Truncated/);
    expect(() => decode(new Uint8Array([0x06, 0x01, 0xff]))).toThrow(/Malformed UTF-8/);
  });
});
