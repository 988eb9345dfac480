/**
 * The state codec: a compact, deterministic binary encoding of StateValue. Every state size the simulator
 * reports is a length in this encoding (DESIGN: "State sizes are real bytes of a real encoding").
 *
 * Format (one tag byte, then the payload):
 *
 * | tag         | value                                   | payload                                          |
 * | ----------- | --------------------------------------- | ------------------------------------------------ |
 * | 0x80 + n    | integer n in [0, 127]                   | none (one byte in total)                         |
 * | 0x00        | null                                    | none                                             |
 * | 0x01 / 0x02 | false / true                            | none                                             |
 * | 0x03        | safe integer n >= 128                   | varint n                                         |
 * | 0x04        | safe integer n < 0                      | varint (-n - 1)                                  |
 * | 0x05        | any other number (fractions, -0, NaN,   | 8 bytes IEEE-754 little endian; NaN is always    |
 * |             | +-Infinity, integers beyond 2^53)       | written as the canonical quiet NaN 0x7ff8...0    |
 * | 0x06        | string                                  | varint byte length, UTF-8 bytes                  |
 * | 0x07        | array                                   | varint count, values                             |
 * | 0x08        | plain object                            | varint count, (varint length, UTF-8 key, value)* |
 *
 * - varint: unsigned LEB128, 7 bits a byte, at most 8 bytes (values up to 2^53 - 1). The sign lives in the tag
 *   (0x03 / 0x04) rather than in a zigzag bit, so every safe integer, including -(2^53 - 1), stays exact.
 * - Strings are UTF-8; a lone surrogate (legal in a JS string) is written as its 3-byte generalized UTF-8 form
 *   (WTF-8), so every JS string round-trips.
 * - Object keys are written in sorted order (UTF-16 code-unit order, Array.prototype.sort): equal objects
 *   encode to equal bytes whatever order their keys were inserted in.
 * - Canonical: the encoder always picks the shortest form above; the decoder also accepts the long forms.
 */
import type { StateValue } from './types.ts';

export const TAG_NULL = 0x00;
export const TAG_FALSE = 0x01;
export const TAG_TRUE = 0x02;
export const TAG_UINT = 0x03;
export const TAG_NINT = 0x04;
export const TAG_FLOAT64 = 0x05;
export const TAG_STRING = 0x06;
export const TAG_ARRAY = 0x07;
export const TAG_OBJECT = 0x08;
export const TAG_SMALL_INT = 0x80;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Bytes of the varint encoding of a non-negative safe integer. */
export function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  if (n < 0x800000000) return 5;
  if (n < 0x40000000000) return 6;
  if (n < 0x2000000000000) return 7;
  return 8;
}

/** Bytes of the UTF-8 (WTF-8 for lone surrogates) encoding of s; no allocation. */
export function utf8Length(s: string): number {
  let n = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Bytes of a string payload: varint length + UTF-8. */
export function stringSize(s: string): number {
  const n = utf8Length(s);
  return varintSize(n) + n;
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function unsupported(v: unknown): TypeError {
  const what =
    v === undefined ? 'undefined' : typeof v === 'object' ? (v?.constructor?.name ?? 'object') : typeof v;
  return new TypeError(
    'The state codec cannot encode ' +
      what +
      ' (StateValue: null, boolean, number, string, arrays, plain objects)',
  );
}

/** Bytes of a number's encoding, tag included. */
export function numberSize(v: number): number {
  if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
    if (v >= 0) return v < 0x80 ? 1 : 1 + varintSize(v);
    return 1 + varintSize(-v - 1);
  }
  return 9;
}

/** Length in bytes of encode(value), computed without allocating. */
export function encodedSize(value: StateValue): number {
  switch (typeof value) {
    case 'number':
      return numberSize(value);
    case 'string':
      return 1 + stringSize(value);
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      if (Array.isArray(value)) {
        const arr = value as readonly StateValue[];
        let n = 1 + varintSize(arr.length);
        for (let i = 0; i < arr.length; i++) n += encodedSize(arr[i] as StateValue);
        return n;
      }
      if (!isPlainObject(value)) throw unsupported(value);
      const obj = value as { readonly [k: string]: StateValue };
      let n = 1;
      let count = 0;
      for (const k in obj) {
        if (!Object.hasOwn(obj, k)) continue;
        n += stringSize(k) + encodedSize(obj[k] as StateValue);
        count++;
      }
      return n + varintSize(count);
    }
    default:
      throw unsupported(value);
  }
}

/** Appends encodings to one growable buffer (many state entries into one snapshot). */
export class Encoder {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(1, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  writeByte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  writeVarint(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError('varint out of range: ' + String(n));
    this.ensure(8);
    const buf = this.buf;
    let pos = this.pos;
    while (n > 0x7fffffff) {
      buf[pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    while (n >= 0x80) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  writeFloat64(x: number): void {
    this.ensure(8);
    if (x !== x) {
      // canonical quiet NaN, whatever NaN bits the engine holds
      this.view.setUint32(this.pos, 0, true);
      this.view.setUint32(this.pos + 4, 0x7ff80000, true);
    } else {
      this.view.setFloat64(this.pos, x, true);
    }
    this.pos += 8;
  }

  /** varint UTF-8 length, then the UTF-8 (WTF-8) bytes. */
  writeString(s: string): void {
    const n = utf8Length(s);
    this.writeVarint(n);
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    const len = s.length;
    for (let i = 0; i < len; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            buf[pos++] = 0xf0 | (c >> 18);
            buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
            buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
            buf[pos++] = 0x80 | (c & 0x3f);
            i++;
            continue;
          }
        }
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = pos;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  writeNumber(v: number): void {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      if (v >= 0) {
        if (v < 0x80) this.writeByte(TAG_SMALL_INT | v);
        else {
          this.writeByte(TAG_UINT);
          this.writeVarint(v);
        }
      } else {
        this.writeByte(TAG_NINT);
        this.writeVarint(-v - 1);
      }
      return;
    }
    this.writeByte(TAG_FLOAT64);
    this.writeFloat64(v);
  }

  /** Appends the tagged encoding of a StateValue. */
  writeValue(value: StateValue): void {
    switch (typeof value) {
      case 'number':
        this.writeNumber(value);
        return;
      case 'string':
        this.writeByte(TAG_STRING);
        this.writeString(value);
        return;
      case 'boolean':
        this.writeByte(value ? TAG_TRUE : TAG_FALSE);
        return;
      case 'object': {
        if (value === null) {
          this.writeByte(TAG_NULL);
          return;
        }
        if (Array.isArray(value)) {
          const arr = value as readonly StateValue[];
          this.writeByte(TAG_ARRAY);
          this.writeVarint(arr.length);
          for (let i = 0; i < arr.length; i++) this.writeValue(arr[i] as StateValue);
          return;
        }
        if (!isPlainObject(value)) throw unsupported(value);
        const obj = value as { readonly [k: string]: StateValue };
        const keys = Object.keys(obj).sort();
        this.writeByte(TAG_OBJECT);
        this.writeVarint(keys.length);
        for (const k of keys) {
          this.writeString(k);
          this.writeValue(obj[k] as StateValue);
        }
        return;
      }
      default:
        throw unsupported(value);
    }
  }

  /** A copy of the bytes written so far (the encoder can be reused or dropped). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** A view of the bytes written so far, without copying; invalid after the next write or reset. */
  peekBytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Scratch code units for string decoding (module-level: decoding is synchronous and not re-entrant). */
const UNITS = new Uint16Array(4096);

/** Reads encodings from [start, end) of a byte array. Throws on truncated or malformed input. */
export class Decoder {
  pos: number;
  readonly end: number;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) throw new RangeError('Decoder range out of bounds');
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  private truncated(): Error {
    return new RangeError('Truncated state encoding at byte ' + String(this.pos));
  }

  readByte(): number {
    if (this.pos >= this.end) throw this.truncated();
    return this.bytes[this.pos++] as number;
  }

  readVarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.readByte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > MAX_SAFE) throw new RangeError('varint beyond 2^53 - 1 at byte ' + String(this.pos));
        return result;
      }
      scale *= 0x80;
    }
    throw new RangeError('varint longer than 8 bytes at byte ' + String(this.pos));
  }

  readFloat64(): number {
    if (this.pos + 8 > this.end) throw this.truncated();
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readString(): string {
    const n = this.readVarint();
    const stop = this.pos + n;
    if (stop > this.end) throw this.truncated();
    const bytes = this.bytes;
    let out = '';
    let u = 0;
    let pos = this.pos;
    while (pos < stop) {
      if (u > UNITS.length - 2) {
        out += String.fromCharCode.apply(null, UNITS.subarray(0, u) as unknown as number[]);
        u = 0;
      }
      const b = bytes[pos++] as number;
      if (b < 0x80) {
        UNITS[u++] = b;
        continue;
      }
      let c: number;
      if (b >= 0xc0 && b < 0xe0 && pos < stop) {
        c = ((b & 0x1f) << 6) | ((bytes[pos++] as number) & 0x3f);
      } else if (b >= 0xe0 && b < 0xf0 && pos + 1 < stop) {
        c = ((b & 0x0f) << 12) | (((bytes[pos] as number) & 0x3f) << 6) | ((bytes[pos + 1] as number) & 0x3f);
        pos += 2;
      } else if (b >= 0xf0 && b < 0xf8 && pos + 2 < stop) {
        c =
          ((b & 0x07) << 18) |
          (((bytes[pos] as number) & 0x3f) << 12) |
          (((bytes[pos + 1] as number) & 0x3f) << 6) |
          ((bytes[pos + 2] as number) & 0x3f);
        pos += 3;
        c -= 0x10000;
        UNITS[u++] = 0xd800 + (c >> 10);
        UNITS[u++] = 0xdc00 + (c & 0x3ff);
        continue;
      } else {
        throw new RangeError('Malformed UTF-8 in state encoding at byte ' + String(pos - 1));
      }
      UNITS[u++] = c;
    }
    if (u > 0) out += String.fromCharCode.apply(null, UNITS.subarray(0, u) as unknown as number[]);
    this.pos = stop;
    return out;
  }

  readValue(): StateValue {
    const tag = this.readByte();
    if (tag >= TAG_SMALL_INT) return tag - TAG_SMALL_INT;
    switch (tag) {
      case TAG_NULL:
        return null;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_UINT:
        return this.readVarint();
      case TAG_NINT:
        return -this.readVarint() - 1;
      case TAG_FLOAT64:
        return this.readFloat64();
      case TAG_STRING:
        return this.readString();
      case TAG_ARRAY: {
        const n = this.readVarint();
        if (n > this.end - this.pos) throw this.truncated();
        const arr: StateValue[] = new Array<StateValue>(n);
        for (let i = 0; i < n; i++) arr[i] = this.readValue();
        return arr;
      }
      case TAG_OBJECT: {
        const n = this.readVarint();
        if (n > this.end - this.pos) throw this.truncated();
        const obj: { [k: string]: StateValue } = {};
        for (let i = 0; i < n; i++) {
          const k = this.readString();
          const v = this.readValue();
          if (k === '__proto__')
            Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          else obj[k] = v;
        }
        return obj;
      }
      default:
        throw new RangeError(
          'Unknown state codec tag 0x' + tag.toString(16) + ' at byte ' + String(this.pos - 1),
        );
    }
  }
}

/** Encodes one value into its own byte array. */
export function encode(value: StateValue): Uint8Array {
  const e = new Encoder(encodedSize(value));
  e.writeValue(value);
  return e.finish();
}

/** Decodes exactly one value spanning all of `bytes`. */
export function decode(bytes: Uint8Array): StateValue {
  const d = new Decoder(bytes);
  const v = d.readValue();
  if (!d.atEnd) throw new RangeError('Trailing bytes after state value at byte ' + String(d.pos));
  return v;
}
