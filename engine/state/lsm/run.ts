/**
 * Immutable sorted runs (RocksDB's SST files): entries sorted by entry key (keys.ts), cut into blocks of about
 * `blockSize` bytes. IndexedDB stores one record per block (many entries per stored value: one record per put is
 * ~30x too slow, TOOLCHAIN.md). The run's metadata (block index: each block's first key; a Bloom filter on
 * key group + key; key-group statistics) stays in memory and is the header of the serialized run that checkpoints
 * upload.
 *
 * Serialized run = varint(header length) | header | block 0 | block 1 | ...
 * Block = varint(count) | count x (string entry key, byte 0 = value + encoded value | byte 1 = tombstone).
 */
import { Decoder, Encoder } from '../codec.ts';
import type { StateValue } from '../types.ts';
import { BloomFilter } from './bloom.ts';
import { filterKeyOf, keyGroupOf } from './keys.ts';

export const TOMBSTONE: unique symbol = Symbol('tombstone');
export type Stored = StateValue | typeof TOMBSTONE;

/** A decoded block (what the block cache holds). */
export interface Block {
  readonly entries: Map<string, Stored>;
  /** Encoded size in bytes (what it costs to load and what it occupies in the cache). */
  readonly size: number;
}

export interface BlockInfo {
  readonly first: string;
  readonly size: number;
}

export interface RunMeta {
  /** Stable key (handles.ts SharedRunHandle.key). */
  readonly key: string;
  readonly level: number;
  readonly seq: number;
  readonly entries: number;
  readonly tombstones: number;
  readonly kgStart: number;
  readonly kgEnd: number;
  readonly names: readonly string[];
  readonly bloom: BloomFilter;
  readonly blocks: readonly BlockInfo[];
  /** [key group, bytes, distinct keys] for the key groups in the run, ascending. */
  readonly kgStats: readonly (readonly [number, number, number])[];
  /** Serialized header (upload = header + blocks). */
  readonly header: Uint8Array;
  /** Serialized size: varint + header + blocks. */
  readonly size: number;
}

const FORMAT_VERSION = 1;

export function encodeBlock(entries: readonly (readonly [string, Stored])[]): Uint8Array {
  const e = new Encoder(256);
  e.writeVarint(entries.length);
  for (const [ck, v] of entries) {
    e.writeString(ck);
    if (v === TOMBSTONE) e.writeByte(1);
    else {
      e.writeByte(0);
      e.writeValue(v);
    }
  }
  return e.finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  const d = new Decoder(bytes);
  const n = d.readVarint();
  const entries = new Map<string, Stored>();
  for (let i = 0; i < n; i++) {
    const ck = d.readString();
    const flag = d.readByte();
    entries.set(ck, flag === 1 ? TOMBSTONE : d.readValue());
  }
  return { entries, size: bytes.length };
}

function varintLen(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

export interface BuiltRun {
  meta: RunMeta;
  blockBytes: Uint8Array[];
  blocks: Block[];
}

/** Builds a run from entries sorted by entry key (no duplicates). */
export function buildRun(
  sorted: readonly (readonly [string, Stored])[],
  key: string,
  level: number,
  seq: number,
  blockSize: number,
): BuiltRun {
  const blockBytes: Uint8Array[] = [];
  const blocks: Block[] = [];
  const infos: BlockInfo[] = [];
  const filterKeys: string[] = [];
  const names = new Set<string>();
  const kgStats: [number, number, number][] = [];
  let tombstones = 0;
  let cur: (readonly [string, Stored])[] = [];
  let curBytes = 0;
  let lastFilter = '';
  const sizer = new Encoder(256);
  const flush = (): void => {
    if (cur.length === 0) return;
    const bytes = encodeBlock(cur);
    blockBytes.push(bytes);
    blocks.push({ entries: new Map(cur), size: bytes.length });
    infos.push({ first: (cur[0] as readonly [string, Stored])[0], size: bytes.length });
    cur = [];
    curBytes = 0;
  };
  for (const entry of sorted) {
    const [ck, v] = entry;
    sizer.reset();
    sizer.writeString(ck);
    if (v !== TOMBSTONE) sizer.writeValue(v);
    const entryBytes = sizer.peekBytes().length + 1;
    if (v === TOMBSTONE) tombstones++;
    const kg = keyGroupOf(ck);
    const fk = filterKeyOf(ck);
    const a = ck.indexOf('\u0000', 1);
    names.add(ck.slice(1, a));
    const last = kgStats[kgStats.length - 1];
    if (last === undefined || last[0] !== kg) kgStats.push([kg, entryBytes, 1]);
    else {
      last[1] += entryBytes;
      if (fk !== lastFilter) last[2]++;
    }
    if (fk !== lastFilter) filterKeys.push(fk);
    lastFilter = fk;
    cur.push(entry);
    curBytes += entryBytes;
    if (curBytes >= blockSize) flush();
  }
  flush();
  const bloom = BloomFilter.forKeys(filterKeys);
  const nameList = [...names].sort();
  const kgStart = kgStats.length > 0 ? (kgStats[0] as [number, number, number])[0] : 0;
  const kgEnd = kgStats.length > 0 ? (kgStats[kgStats.length - 1] as [number, number, number])[0] : -1;
  const h = new Encoder(256);
  h.writeVarint(FORMAT_VERSION);
  h.writeString(key);
  h.writeVarint(level);
  h.writeVarint(seq);
  h.writeVarint(sorted.length);
  h.writeVarint(tombstones);
  h.writeVarint(nameList.length);
  for (const n of nameList) h.writeString(n);
  h.writeVarint(bloom.bits.length);
  h.writeBytes(bloom.bits);
  h.writeVarint(kgStats.length);
  for (const [kg, b, k] of kgStats) {
    h.writeVarint(kg);
    h.writeVarint(b);
    h.writeVarint(k);
  }
  h.writeVarint(infos.length);
  for (const b of infos) {
    h.writeString(b.first);
    h.writeVarint(b.size);
  }
  const header = h.finish();
  let size = varintLen(header.length) + header.length;
  for (const b of blockBytes) size += b.length;
  const meta: RunMeta = {
    key,
    level,
    seq,
    entries: sorted.length,
    tombstones,
    kgStart,
    kgEnd,
    names: nameList,
    bloom,
    blocks: infos,
    kgStats,
    header,
    size,
  };
  return { meta, blockBytes, blocks };
}

/** The run as checkpoints upload it. */
export function serializeRun(meta: RunMeta, blockBytes: readonly Uint8Array[]): Uint8Array {
  const e = new Encoder(meta.size + 8);
  e.writeVarint(meta.header.length);
  e.writeBytes(meta.header);
  for (const b of blockBytes) e.writeBytes(b);
  const out = e.finish();
  if (out.length !== meta.size)
    throw new Error(`Run ${meta.key}: serialized ${out.length} bytes, expected ${meta.size}`);
  return out;
}

/** Parses a serialized run (a checkpoint's shared run) back into its metadata and block bytes. */
export function parseRun(bytes: Uint8Array): { meta: RunMeta; blockBytes: Uint8Array[] } {
  const d = new Decoder(bytes);
  const hlen = d.readVarint();
  const hstart = d.pos;
  const header = bytes.slice(hstart, hstart + hlen);
  const version = d.readVarint();
  if (version !== FORMAT_VERSION) throw new Error(`Unknown LSM run format version ${version}`);
  const key = d.readString();
  const level = d.readVarint();
  const seq = d.readVarint();
  const entries = d.readVarint();
  const tombstones = d.readVarint();
  const names: string[] = [];
  for (let n = d.readVarint(); n > 0; n--) names.push(d.readString());
  const blen = d.readVarint();
  const bits = bytes.slice(d.pos, d.pos + blen);
  d.pos += blen;
  const kgStats: [number, number, number][] = [];
  for (let n = d.readVarint(); n > 0; n--) kgStats.push([d.readVarint(), d.readVarint(), d.readVarint()]);
  const infos: BlockInfo[] = [];
  for (let n = d.readVarint(); n > 0; n--) infos.push({ first: d.readString(), size: d.readVarint() });
  if (d.pos !== hstart + hlen) throw new Error(`Run ${key}: corrupt header`);
  const blockBytes: Uint8Array[] = [];
  let at = d.pos;
  for (const b of infos) {
    if (at + b.size > bytes.length) throw new Error(`Run ${key}: truncated block`);
    blockBytes.push(bytes.subarray(at, at + b.size));
    at += b.size;
  }
  if (at !== bytes.length) throw new Error(`Run ${key}: trailing bytes`);
  const meta: RunMeta = {
    key,
    level,
    seq,
    entries,
    tombstones,
    kgStart: kgStats.length > 0 ? (kgStats[0] as [number, number, number])[0] : 0,
    kgEnd: kgStats.length > 0 ? (kgStats[kgStats.length - 1] as [number, number, number])[0] : -1,
    names,
    bloom: new BloomFilter(bits),
    blocks: infos,
    kgStats,
    header,
    size: bytes.length,
  };
  return { meta, blockBytes };
}

/** Index of the block that may hold entry key `ck` (the last block whose first key <= ck), or -1. */
export function blockFor(meta: RunMeta, ck: string): number {
  const b = meta.blocks;
  let lo = 0;
  let hi = b.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((b[mid] as BlockInfo).first <= ck) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * Blocks that may hold entries whose key starts with `prefix` (all namespaces of a key of one state): from the
 * block holding `prefix` to the last block whose first key still starts with it.
 */
export function blocksForPrefix(meta: RunMeta, prefix: string): number[] {
  const first = Math.max(0, blockFor(meta, prefix));
  const out: number[] = [];
  const b = meta.blocks;
  for (let i = first; i < b.length; i++) {
    const f = (b[i] as BlockInfo).first;
    if (i > first && !f.startsWith(prefix)) break;
    if (i === first && f > prefix && !f.startsWith(prefix)) break;
    out.push(i);
  }
  return out;
}
