/**
 * The in-memory layout of the heap keyed backend and the byte format of one key group in a keyed snapshot.
 *
 * Layout (like Flink's heap backend, reference 3.1 / 4.6): per key group, per state, a nested table
 * namespace -> key -> value. Every table level carries the version that created it, for copy-on-write
 * snapshots (see memoryBackend.ts): a structure whose version is <= the highest version still required by a
 * live snapshot is frozen and must be copied before it is changed.
 *
 * Key-group section (written per key group; a snapshot is the concatenation with offsets, KeyGroupsStateHandle
 * in reference 4.6). An empty key group (no state, no timers) writes 0 bytes. Otherwise, in the codec of
 * ./codec.ts:
 *
 *   varint stateCount
 *   stateCount x  string name, byte kind (0 value, 1 list, 2 map, 3 reducing, 4 aggregating),
 *                 varint namespaceCount,
 *                 namespaceCount x  value namespace, varint keyCount,
 *                                   keyCount x  value key, payload
 *   varint timerCount
 *   timerCount x  value key, value namespace, value timestamp
 *
 *   payload: value / reducing / aggregating: one value; list: varint n, n values;
 *            map: varint n, n x (value userKey, value userValue)
 *
 * States are written in name order and timers in (timestamp, key, namespace) order; namespaces, keys and map
 * entries in the (deterministic) insertion order of the tables.
 */
import type { Decoder, Encoder } from './codec.ts';
import { encodedSize, numberSize, stringSize, varintSize } from './codec.ts';
import type { TimerEntry } from './timerQueue.ts';
import type { Key, Namespace, StateKind, StateValue } from './types.ts';

export const KIND_VALUE = 0;
export const KIND_LIST = 1;
export const KIND_MAP = 2;
export const KIND_REDUCING = 3;
export const KIND_AGGREGATING = 4;
export const KIND_NAMES: readonly StateKind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];

export function kindCode(kind: StateKind): number {
  const c = KIND_NAMES.indexOf(kind);
  if (c < 0) throw new TypeError('Unknown state kind: ' + String(kind));
  return c;
}

/** A registered keyed state: its id indexes GroupState.tables. */
export interface StateMeta {
  readonly id: number;
  readonly name: string;
  readonly kind: number;
}

/** Stored per key: a StateValue (value/reducing/aggregating), a StateValue[] (list) or a Map (map state). */
export type StoredValue = StateValue | StateValue[] | Map<string | number, StateValue>;

export interface KeyMap {
  readonly v: number;
  readonly map: Map<Key, StoredValue>;
}
export interface NamespaceTable {
  readonly v: number;
  readonly map: Map<Namespace, KeyMap>;
}
/** Timers of one key group by key; the per-key arrays are never mutated (replaced on change). */
export interface TimerTable {
  readonly v: number;
  readonly map: Map<Key, readonly TimerEntry[]>;
}
export interface GroupState {
  readonly v: number;
  /** Indexed by StateMeta.id; holes/undefined where the state has nothing in this key group. */
  readonly tables: (NamespaceTable | undefined)[];
  timers: TimerTable | undefined;
}

function payloadSize(kind: number, value: StoredValue): number {
  if (kind === KIND_LIST) {
    const arr = value as StateValue[];
    let n = varintSize(arr.length);
    for (let i = 0; i < arr.length; i++) n += encodedSize(arr[i] as StateValue);
    return n;
  }
  if (kind === KIND_MAP) {
    const m = value as Map<string | number, StateValue>;
    let n = varintSize(m.size);
    for (const [k, v] of m) n += encodedSize(k) + encodedSize(v);
    return n;
  }
  return encodedSize(value as StateValue);
}

function writePayload(enc: Encoder, kind: number, value: StoredValue): void {
  if (kind === KIND_LIST) {
    const arr = value as StateValue[];
    enc.writeVarint(arr.length);
    for (let i = 0; i < arr.length; i++) enc.writeValue(arr[i] as StateValue);
  } else if (kind === KIND_MAP) {
    const m = value as Map<string | number, StateValue>;
    enc.writeVarint(m.size);
    for (const [k, v] of m) {
      enc.writeValue(k);
      enc.writeValue(v);
    }
  } else {
    enc.writeValue(value as StateValue);
  }
}

function liveStateCount(g: GroupState, metas: readonly StateMeta[]): number {
  let n = 0;
  for (const meta of metas) {
    const t = g.tables[meta.id];
    if (t !== undefined && t.map.size > 0) n++;
  }
  return n;
}

function timerCount(g: GroupState): number {
  let n = 0;
  if (g.timers !== undefined) for (const arr of g.timers.map.values()) n += arr.length;
  return n;
}

/**
 * Byte length of the section writeKeyGroupSection would write, and the number of distinct keys with state
 * (timers excluded). No allocation except a Set when keys can repeat across states or namespaces.
 */
export function keyGroupSectionStats(
  g: GroupState | undefined,
  metas: readonly StateMeta[],
  scratch: Set<Key>,
): { bytes: number; keys: number } {
  if (g === undefined) return { bytes: 0, keys: 0 };
  const states = liveStateCount(g, metas);
  const timers = timerCount(g);
  if (states === 0 && timers === 0) return { bytes: 0, keys: 0 };
  let bytes = varintSize(states) + varintSize(timers);
  let keyMaps = 0;
  let single: KeyMap | undefined;
  for (const meta of metas) {
    const t = g.tables[meta.id];
    if (t === undefined || t.map.size === 0) continue;
    bytes += stringSize(meta.name) + 1 + varintSize(t.map.size);
    for (const [ns, km] of t.map) {
      bytes += encodedSize(ns) + varintSize(km.map.size);
      for (const [key, value] of km.map) bytes += encodedSize(key) + payloadSize(meta.kind, value);
      keyMaps++;
      single = km;
    }
  }
  if (g.timers !== undefined) {
    for (const arr of g.timers.map.values()) {
      for (const e of arr) bytes += encodedSize(e.key) + encodedSize(e.namespace) + numberSize(e.timestamp);
    }
  }
  let keys = 0;
  if (keyMaps === 1 && single !== undefined) keys = single.map.size;
  else if (keyMaps > 1) {
    scratch.clear();
    for (const meta of metas) {
      const t = g.tables[meta.id];
      if (t === undefined) continue;
      for (const km of t.map.values()) for (const key of km.map.keys()) scratch.add(key);
    }
    keys = scratch.size;
    scratch.clear();
  }
  return { bytes, keys };
}

/** Appends one key group's section (nothing for an empty group). `metas` must be sorted by name. */
export function writeKeyGroupSection(
  enc: Encoder,
  g: GroupState | undefined,
  metas: readonly StateMeta[],
): void {
  if (g === undefined) return;
  const states = liveStateCount(g, metas);
  const timers = timerCount(g);
  if (states === 0 && timers === 0) return;
  enc.writeVarint(states);
  for (const meta of metas) {
    const t = g.tables[meta.id];
    if (t === undefined || t.map.size === 0) continue;
    enc.writeString(meta.name);
    enc.writeByte(meta.kind);
    enc.writeVarint(t.map.size);
    for (const [ns, km] of t.map) {
      enc.writeValue(ns);
      enc.writeVarint(km.map.size);
      for (const [key, value] of km.map) {
        enc.writeValue(key);
        writePayload(enc, meta.kind, value);
      }
    }
  }
  enc.writeVarint(timers);
  if (timers > 0) {
    // In map order, like the states above (deterministic for a given history); the timer queue orders them again.
    for (const arr of (g.timers as TimerTable).map.values()) {
      for (const e of arr) {
        enc.writeValue(e.key);
        enc.writeValue(e.namespace);
        enc.writeNumber(e.timestamp);
      }
    }
  }
}

/** One key group's section, decoded into plain data (restore is not a hot path). */
export interface DecodedKeyGroupSection {
  readonly states: {
    readonly name: string;
    readonly kind: number;
    readonly namespaces: { readonly namespace: Namespace; readonly entries: [Key, StoredValue][] }[];
  }[];
  readonly timers: { readonly key: Key; readonly namespace: Namespace; readonly timestamp: number }[];
}

function readKeyLike(dec: Decoder, what: string): string | number {
  const v = dec.readValue();
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new TypeError('Corrupt keyed snapshot: a ' + what + ' must be a string or a number');
  }
  return v;
}

function readPayload(dec: Decoder, kind: number): StoredValue {
  if (kind === KIND_LIST) {
    const n = dec.readVarint();
    const arr: StateValue[] = [];
    for (let i = 0; i < n; i++) arr.push(dec.readValue());
    return arr;
  }
  if (kind === KIND_MAP) {
    const n = dec.readVarint();
    const m = new Map<string | number, StateValue>();
    for (let i = 0; i < n; i++) {
      const k = readKeyLike(dec, 'map-state user key');
      m.set(k, dec.readValue());
    }
    return m;
  }
  return dec.readValue();
}

/** Decodes a section spanning the decoder's whole range (an empty range is an empty key group). */
export function readKeyGroupSection(dec: Decoder): DecodedKeyGroupSection {
  const out: DecodedKeyGroupSection = { states: [], timers: [] };
  if (dec.atEnd) return out;
  const stateCount = dec.readVarint();
  for (let s = 0; s < stateCount; s++) {
    const name = dec.readString();
    const kind = dec.readByte();
    if (kind >= KIND_NAMES.length)
      throw new TypeError('Corrupt keyed snapshot: unknown state kind ' + String(kind));
    const namespaces: DecodedKeyGroupSection['states'][number]['namespaces'] = [];
    const nsCount = dec.readVarint();
    for (let n = 0; n < nsCount; n++) {
      const namespace = readKeyLike(dec, 'namespace');
      const entries: [Key, StoredValue][] = [];
      const keyCount = dec.readVarint();
      for (let k = 0; k < keyCount; k++) {
        const key = readKeyLike(dec, 'key');
        entries.push([key, readPayload(dec, kind)]);
      }
      namespaces.push({ namespace, entries });
    }
    out.states.push({ name, kind, namespaces });
  }
  const timers = dec.readVarint();
  for (let i = 0; i < timers; i++) {
    const key = readKeyLike(dec, 'timer key');
    const namespace = readKeyLike(dec, 'timer namespace');
    const timestamp = dec.readValue();
    if (typeof timestamp !== 'number')
      throw new TypeError('Corrupt keyed snapshot: a timer timestamp must be a number');
    out.timers.push({ key, namespace, timestamp });
  }
  if (!dec.atEnd) throw new RangeError('Corrupt keyed snapshot: trailing bytes in a key-group section');
  return out;
}
