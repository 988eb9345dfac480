/**
 * HashMapKeyedStateBackend: keyed state on the heap, Flink's HashMapStateBackend (reference 3.1), with
 * copy-on-write asynchronous snapshots (reference 1.4: a synchronous part, then an asynchronous write).
 *
 * Layout: per key group (array indexed by kg - range.start), per state, a table namespace -> key -> value
 * (see keyGroupSection.ts). A per-record access is: an array index, the state's table, one Map get for the
 * namespace and one Map get/set for the key. State objects are cached per descriptor name.
 *
 * Copy-on-write (like Flink's CopyOnWriteStateMap, with coarser granularity): every table level records the
 * version `v` that created it. snapshot() takes version S = current, bumps the current version and keeps a
 * shallow copy of the key-group array: O(number of key groups). A structure with v <= the highest version a
 * live snapshot still needs is frozen: a write first copies it (and every parent on the way down that is
 * frozen too), so the snapshot's view never changes. Copying a key map also copies its mutable values (list
 * arrays, map-state maps). Structures created after the snapshot are written in place. With no live snapshot
 * nothing is ever copied.
 */
import { Decoder, Encoder } from './codec.ts';
import {
  assignToKeyGroup,
  formatKeyGroupRange,
  keyGroupRangeIntersection,
  keyGroupRangeSize,
} from './keyGroups.ts';
import {
  type GroupState,
  KIND_AGGREGATING,
  KIND_LIST,
  KIND_MAP,
  KIND_NAMES,
  KIND_REDUCING,
  KIND_VALUE,
  type KeyMap,
  keyGroupSectionStats,
  kindCode,
  type NamespaceTable,
  readKeyGroupSection,
  type StateMeta,
  type StoredValue,
  type TimerTable,
  writeKeyGroupSection,
} from './keyGroupSection.ts';
import { TimerEntry, TimerHeap } from './timerQueue.ts';
import {
  type AggregatingState,
  type AggregatingStateDescriptor,
  type Key,
  type KeyedSnapshotRunner,
  type KeyedStateBackend,
  type KeyedStateHandle,
  type KeyGroupRange,
  type KeyGroupStats,
  type KeyType,
  type ListState,
  type ListStateDescriptor,
  type MapState,
  type MapStateDescriptor,
  type Namespace,
  type ReducingState,
  type ReducingStateDescriptor,
  type StateKind,
  type StateStats,
  type StateValue,
  type Timer,
  type ValueState,
  type ValueStateDescriptor,
  VOID_NAMESPACE,
} from './types.ts';

export interface KeyedBackendOptions {
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  readonly keyType: KeyType;
  /** Used in error messages only (Flink names the execution job vertex). */
  readonly operatorName?: string;
}

const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_MAP: ReadonlyMap<unknown, unknown> = new Map<unknown, unknown>();

function copyKeyMap(km: KeyMap, kind: number, version: number): KeyMap {
  const map = new Map<Key, StoredValue>();
  if (kind === KIND_LIST) {
    for (const [k, v] of km.map) map.set(k, (v as StateValue[]).slice());
  } else if (kind === KIND_MAP) {
    for (const [k, v] of km.map) map.set(k, new Map(v as Map<string | number, StateValue>));
  } else {
    for (const [k, v] of km.map) map.set(k, v);
  }
  return { v: version, map };
}

function checkListElement(v: unknown): void {
  if (v === null || v === undefined) throw new TypeError('You cannot add null to a ListState.');
}

// ---------------------------------------------------------------------------------------------------------
// State objects (reference 4.1). They hold no key: every call reads the backend's current key and namespace.
// ---------------------------------------------------------------------------------------------------------

class HeapValueState<T extends StateValue> implements ValueState<T> {
  constructor(
    private readonly b: HashMapKeyedStateBackend,
    private readonly id: number,
  ) {}

  value(): T | undefined {
    const m = this.b.readKeyMap(this.id);
    return m === undefined ? undefined : (m.get(this.b.currentKey) as T | undefined);
  }

  /** Like Flink's heap ValueState, update(null) clears the value. */
  update(v: T): void {
    if (v === null || v === undefined) {
      this.clear();
      return;
    }
    this.b.writableKeyMap(this.id, KIND_VALUE).set(this.b.currentKey, v);
  }

  clear(): void {
    this.b.removeCurrentKey(this.id, KIND_VALUE);
  }
}

class HeapListState<T extends StateValue> implements ListState<T> {
  constructor(
    private readonly b: HashMapKeyedStateBackend,
    private readonly id: number,
  ) {}

  /** The stored list itself (no copy): treat it as read-only; later adds append to it. */
  get(): readonly T[] {
    const m = this.b.readKeyMap(this.id);
    if (m === undefined) return EMPTY_LIST;
    return (m.get(this.b.currentKey) as T[] | undefined) ?? EMPTY_LIST;
  }

  add(v: T): void {
    checkListElement(v);
    const m = this.b.writableKeyMap(this.id, KIND_LIST);
    const key = this.b.currentKey;
    const arr = m.get(key) as T[] | undefined;
    if (arr === undefined) m.set(key, [v]);
    else arr.push(v);
  }

  addAll(vs: readonly T[]): void {
    if (vs.length === 0) return;
    for (const v of vs) checkListElement(v);
    const m = this.b.writableKeyMap(this.id, KIND_LIST);
    const key = this.b.currentKey;
    const arr = m.get(key) as T[] | undefined;
    if (arr === undefined) m.set(key, vs.slice());
    else for (const v of vs) arr.push(v);
  }

  /** Flink: updating with an empty list clears the state. */
  update(vs: readonly T[]): void {
    if (vs.length === 0) {
      this.clear();
      return;
    }
    for (const v of vs) checkListElement(v);
    this.b.writableKeyMap(this.id, KIND_LIST).set(this.b.currentKey, vs.slice());
  }

  clear(): void {
    this.b.removeCurrentKey(this.id, KIND_LIST);
  }
}

class HeapMapState<K extends string | number, V extends StateValue> implements MapState<K, V> {
  constructor(
    private readonly b: HashMapKeyedStateBackend,
    private readonly id: number,
  ) {}

  private inner(): Map<K, V> | undefined {
    const m = this.b.readKeyMap(this.id);
    return m === undefined ? undefined : (m.get(this.b.currentKey) as Map<K, V> | undefined);
  }

  private writableInner(): Map<K, V> {
    const m = this.b.writableKeyMap(this.id, KIND_MAP);
    const key = this.b.currentKey;
    let inner = m.get(key) as Map<K, V> | undefined;
    if (inner === undefined) {
      inner = new Map<K, V>();
      m.set(key, inner);
    }
    return inner;
  }

  get(k: K): V | undefined {
    return this.inner()?.get(k);
  }

  put(k: K, v: V): void {
    this.writableInner().set(k, v);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    let inner: Map<K, V> | undefined;
    for (const [k, v] of entries) {
      inner ??= this.writableInner();
      inner.set(k, v);
    }
  }

  contains(k: K): boolean {
    return this.inner()?.has(k) ?? false;
  }

  /** Flink's heap MapState drops the key's map once its last entry is removed. */
  remove(k: K): void {
    const before = this.inner();
    if (before === undefined || !before.has(k)) return;
    const inner = this.writableInner();
    inner.delete(k);
    if (inner.size === 0) this.b.removeCurrentKey(this.id, KIND_MAP);
  }

  entries(): Iterable<[K, V]> {
    return (this.inner() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).entries();
  }

  keys(): Iterable<K> {
    return (this.inner() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).keys();
  }

  values(): Iterable<V> {
    return (this.inner() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).values();
  }

  isEmpty(): boolean {
    const inner = this.inner();
    return inner === undefined || inner.size === 0;
  }

  clear(): void {
    this.b.removeCurrentKey(this.id, KIND_MAP);
  }
}

class HeapReducingState<T extends StateValue> implements ReducingState<T> {
  constructor(
    private readonly b: HashMapKeyedStateBackend,
    private readonly id: number,
    public d: ReducingStateDescriptor<T>,
  ) {}

  get(): T | undefined {
    const m = this.b.readKeyMap(this.id);
    return m === undefined ? undefined : (m.get(this.b.currentKey) as T | undefined);
  }

  /** Flink's heap ReducingState: add(null) clears. */
  add(v: T): void {
    if (v === null || v === undefined) {
      this.clear();
      return;
    }
    const m = this.b.writableKeyMap(this.id, KIND_REDUCING);
    const key = this.b.currentKey;
    const cur = m.get(key) as T | undefined;
    m.set(key, cur === undefined ? v : this.d.reduce(cur, v));
  }

  clear(): void {
    this.b.removeCurrentKey(this.id, KIND_REDUCING);
  }
}

class HeapAggregatingState<IN, ACC extends StateValue, OUT> implements AggregatingState<IN, OUT> {
  constructor(
    private readonly b: HashMapKeyedStateBackend,
    private readonly id: number,
    public d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ) {}

  get(): OUT | undefined {
    const m = this.b.readKeyMap(this.id);
    if (m === undefined) return undefined;
    const acc = m.get(this.b.currentKey) as ACC | undefined;
    return acc === undefined ? undefined : this.d.getResult(acc);
  }

  /** Flink's heap AggregatingState: add(null) clears. */
  add(v: IN): void {
    if (v === null || v === undefined) {
      this.clear();
      return;
    }
    const m = this.b.writableKeyMap(this.id, KIND_AGGREGATING);
    const key = this.b.currentKey;
    const acc = m.get(key) as ACC | undefined;
    m.set(key, this.d.add(v, acc === undefined ? this.d.createAccumulator() : acc));
  }

  addIsFirst(v: IN): boolean {
    const m = this.b.writableKeyMap(this.id, KIND_AGGREGATING);
    const key = this.b.currentKey;
    const acc = m.get(key) as ACC | undefined;
    m.set(key, this.d.add(v, acc === undefined ? this.d.createAccumulator() : acc));
    return acc === undefined;
  }

  clear(): void {
    this.b.removeCurrentKey(this.id, KIND_AGGREGATING);
  }
}

type AnyState =
  | HeapValueState<StateValue>
  | HeapListState<StateValue>
  | HeapMapState<string | number, StateValue>
  | HeapReducingState<StateValue>
  | HeapAggregatingState<unknown, StateValue, unknown>;

// ---------------------------------------------------------------------------------------------------------
// Snapshot runner
// ---------------------------------------------------------------------------------------------------------

class HashMapSnapshotRunner implements KeyedSnapshotRunner {
  private handle: KeyedStateHandle | null = null;
  private released = false;

  constructor(
    private readonly backend: HashMapKeyedStateBackend,
    readonly checkpointId: number,
    private readonly version: number,
    private readonly root: readonly (GroupState | undefined)[],
    private readonly metas: readonly StateMeta[],
  ) {}

  /** The asynchronous part: serialises the frozen view per key group, then releases it. Idempotent. */
  write(): KeyedStateHandle {
    if (this.handle !== null) return this.handle;
    if (this.released)
      throw new Error('Snapshot of checkpoint ' + String(this.checkpointId) + ' was discarded');
    const b = this.backend;
    const enc = new Encoder(4096);
    const offsets = new Array<number>(this.root.length);
    for (let i = 0; i < this.root.length; i++) {
      offsets[i] = enc.length;
      writeKeyGroupSection(enc, this.root[i], this.metas);
    }
    const bytes = enc.finish();
    this.handle = {
      kind: 'keyed',
      backend: b.name,
      maxParallelism: b.maxParallelism,
      keyGroupRange: { start: b.keyGroupRange.start, end: b.keyGroupRange.end },
      keyType: b.keyType,
      offsets,
      bytes,
      stateSize: bytes.length,
      checkpointedSize: bytes.length,
    };
    this.discard();
    return this.handle;
  }

  discard(): void {
    if (this.released) return;
    this.released = true;
    this.backend.releaseSnapshot(this.version);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The backend
// ---------------------------------------------------------------------------------------------------------

export class HashMapKeyedStateBackend implements KeyedStateBackend {
  readonly name = 'hashmap';
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  readonly keyType: KeyType;
  private readonly operatorName: string | undefined;
  private readonly start: number;
  private readonly numGroups: number;
  private readonly keyJsType: 'string' | 'number';

  /** @internal Per key group (index kg - start). Replaced wholesale by clear()/restore(). */
  groups: (GroupState | undefined)[];
  /** @internal Version given to structures created from now on. */
  version = 1;
  /** @internal Structures with v <= this are frozen (0: no live snapshot). */
  highestRequired = 0;
  private readonly liveSnapshots: number[] = [];

  /** @internal Current key, its key-group index (kg - start; -1 before the first setCurrentKey) and namespace. */
  currentKey: Key = '';
  currentKeyGroup = -1;
  currentIndex = -1;
  currentNamespace: Namespace = VOID_NAMESPACE;

  private readonly metas: StateMeta[] = [];
  private readonly metaByName = new Map<string, StateMeta>();
  private sortedMetas: readonly StateMeta[] = [];
  private readonly states = new Map<string, AnyState>();

  private readonly timers = new TimerHeap();

  private readonly dirty: Uint8Array;
  private readonly groupBytes: Float64Array;
  private readonly groupKeys: Float64Array;
  private statsCache: StateStats | null = null;
  private readonly scratchKeys = new Set<Key>();

  constructor(opts: KeyedBackendOptions) {
    const r = opts.keyGroupRange;
    if (!(
      Number.isInteger(r.start) &&
      Number.isInteger(r.end) &&
      r.start >= 0 &&
      r.end < opts.maxParallelism
    )) {
      throw new RangeError(
        formatKeyGroupRange(r) + ' is not within [0, maxParallelism = ' + String(opts.maxParallelism) + ')',
      );
    }
    if (opts.keyType !== 'string' && opts.keyType !== 'int' && opts.keyType !== 'long') {
      throw new TypeError('Unknown key type: ' + String(opts.keyType));
    }
    this.keyGroupRange = { start: r.start, end: r.end };
    this.maxParallelism = opts.maxParallelism;
    this.keyType = opts.keyType;
    this.operatorName = opts.operatorName;
    this.start = r.start;
    this.numGroups = keyGroupRangeSize(r);
    this.keyJsType = opts.keyType === 'string' ? 'string' : 'number';
    this.groups = new Array<GroupState | undefined>(this.numGroups).fill(undefined);
    this.dirty = new Uint8Array(this.numGroups);
    this.groupBytes = new Float64Array(this.numGroups);
    this.groupKeys = new Float64Array(this.numGroups);
  }

  // ---- key and namespace ---------------------------------------------------------------------------------

  setCurrentKey(key: Key, keyGroup: number): void {
    const idx = keyGroup - this.start;
    if (!(idx >= 0 && idx < this.numGroups)) {
      // Flink's message from StateTable / KeyGroupRangeOffsets
      throw new Error(
        'Key group ' +
          String(keyGroup) +
          ' is not in ' +
          formatKeyGroupRange(this.keyGroupRange) +
          ". Unless you're directly using low level state access APIs, this is most likely caused by" +
          ' non-deterministic shuffle key (hashCode and equals implementation).',
      );
    }
    if (typeof key !== this.keyJsType) {
      throw new TypeError('Key ' + String(key) + ' does not match the key type ' + this.keyType);
    }
    this.currentKey = key;
    this.currentKeyGroup = keyGroup;
    this.currentIndex = idx;
  }

  getCurrentKey(): Key {
    if (this.currentIndex < 0) throw new Error('No current key: call setCurrentKey first');
    return this.currentKey;
  }

  setCurrentNamespace(ns: Namespace): void {
    this.currentNamespace = ns;
  }

  // ---- state registration ----------------------------------------------------------------------------------

  private registerMeta(name: string, kind: number): StateMeta {
    const existing = this.metaByName.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) {
        throw new Error(
          'State "' +
            name +
            '" is registered as ' +
            String(KIND_NAMES[existing.kind]) +
            ' state and cannot be accessed as ' +
            String(KIND_NAMES[kind]) +
            ' state (state names must be unique per operator)',
        );
      }
      return existing;
    }
    const meta: StateMeta = { id: this.metas.length, name, kind };
    this.metas.push(meta);
    this.metaByName.set(name, meta);
    this.sortedMetas = [...this.metas].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return meta;
  }

  private cached(name: string, kind: StateKind): AnyState | undefined {
    const s = this.states.get(name);
    if (s !== undefined) return s;
    this.registerMeta(name, kindCode(kind)); // throws on a kind clash with restored state
    return undefined;
  }

  getValueState<T extends StateValue>(d: ValueStateDescriptor): ValueState<T> {
    const s = this.cached(d.name, 'value');
    if (s !== undefined) return this.expect(s, HeapValueState, d.name, 'value') as unknown as ValueState<T>;
    const created = new HeapValueState<StateValue>(this, this.idOf(d.name));
    this.states.set(d.name, created);
    return created as unknown as ValueState<T>;
  }

  getListState<T extends StateValue>(d: ListStateDescriptor): ListState<T> {
    const s = this.cached(d.name, 'list');
    if (s !== undefined) return this.expect(s, HeapListState, d.name, 'list') as unknown as ListState<T>;
    const created = new HeapListState<StateValue>(this, this.idOf(d.name));
    this.states.set(d.name, created);
    return created as unknown as ListState<T>;
  }

  getMapState<K extends string | number, V extends StateValue>(d: MapStateDescriptor): MapState<K, V> {
    const s = this.cached(d.name, 'map');
    if (s !== undefined) return this.expect(s, HeapMapState, d.name, 'map') as unknown as MapState<K, V>;
    const created = new HeapMapState<string | number, StateValue>(this, this.idOf(d.name));
    this.states.set(d.name, created);
    return created as unknown as MapState<K, V>;
  }

  getReducingState<T extends StateValue>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    const s = this.cached(d.name, 'reducing');
    if (s !== undefined) {
      const r = this.expect(s, HeapReducingState, d.name, 'reducing') as unknown as HeapReducingState<T>;
      r.d = d; // the latest descriptor's function wins
      return r;
    }
    const created = new HeapReducingState<T>(this, this.idOf(d.name), d);
    this.states.set(d.name, created as unknown as AnyState);
    return created;
  }

  getAggregatingState<IN, ACC extends StateValue, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT> {
    const s = this.cached(d.name, 'aggregating');
    if (s !== undefined) {
      const a = this.expect(
        s,
        HeapAggregatingState,
        d.name,
        'aggregating',
      ) as unknown as HeapAggregatingState<IN, ACC, OUT>;
      a.d = d;
      return a;
    }
    const created = new HeapAggregatingState<IN, ACC, OUT>(this, this.idOf(d.name), d);
    this.states.set(d.name, created as unknown as AnyState);
    return created;
  }

  private idOf(name: string): number {
    return (this.metaByName.get(name) as StateMeta).id;
  }

  private expect(
    s: AnyState,
    cls: abstract new (...args: never[]) => unknown,
    name: string,
    kind: string,
  ): AnyState {
    if (!(s instanceof cls)) throw new Error('State "' + name + '" cannot be accessed as ' + kind + ' state');
    return s;
  }

  // ---- table access (hot path) -----------------------------------------------------------------------------

  /** @internal The key map of state `id` in the current key group and namespace, or undefined. Never copies. */
  readKeyMap(id: number): Map<Key, StoredValue> | undefined {
    const g = this.groups[this.currentIndex];
    if (g === undefined) return undefined;
    const t = g.tables[id];
    if (t === undefined) return undefined;
    const km = t.map.get(this.currentNamespace);
    return km === undefined ? undefined : km.map;
  }

  /**
   * @internal The key map of state `id` in the current key group and namespace, created if missing and
   * copied first wherever a live snapshot still shares it. Marks the key group dirty for stats.
   */
  writableKeyMap(id: number, kind: number): Map<Key, StoredValue> {
    const idx = this.currentIndex;
    const hr = this.highestRequired;
    let g = this.groups[idx];
    if (g === undefined || g.v <= hr) g = this.writableGroup(idx);
    let t = g.tables[id];
    if (t === undefined) {
      t = { v: this.version, map: new Map() };
      g.tables[id] = t;
    } else if (t.v <= hr) {
      t = { v: this.version, map: new Map(t.map) };
      g.tables[id] = t;
    }
    const ns = this.currentNamespace;
    let km = t.map.get(ns);
    if (km === undefined) {
      km = { v: this.version, map: new Map() };
      t.map.set(ns, km);
    } else if (km.v <= hr) {
      km = copyKeyMap(km, kind, this.version);
      t.map.set(ns, km);
    }
    this.dirty[idx] = 1;
    this.statsCache = null;
    return km.map;
  }

  /** @internal Removes the current key's entry of state `id` in the current namespace; drops empty tables. */
  removeCurrentKey(id: number, kind: number): void {
    const existing = this.readKeyMap(id);
    if (existing === undefined || !existing.has(this.currentKey)) return;
    const m = this.writableKeyMap(id, kind);
    m.delete(this.currentKey);
    if (m.size > 0) return;
    const g = this.groups[this.currentIndex] as GroupState; // writable now
    const t = g.tables[id] as NamespaceTable; // writable now
    t.map.delete(this.currentNamespace);
    if (t.map.size === 0) g.tables[id] = undefined;
  }

  private writableGroup(idx: number): GroupState {
    if (idx < 0) throw new Error('No current key: call setCurrentKey first');
    const old = this.groups[idx];
    const g: GroupState =
      old === undefined
        ? { v: this.version, tables: [], timers: undefined }
        : { v: this.version, tables: old.tables.slice(), timers: old.timers };
    this.groups[idx] = g;
    return g;
  }

  private writableTimers(idx: number): TimerTable {
    let g = this.groups[idx];
    if (g === undefined || g.v <= this.highestRequired) g = this.writableGroup(idx);
    let tt = g.timers;
    if (tt === undefined) {
      tt = { v: this.version, map: new Map() };
      g.timers = tt;
    } else if (tt.v <= this.highestRequired) {
      tt = { v: this.version, map: new Map(tt.map) };
      g.timers = tt;
    }
    this.dirty[idx] = 1;
    this.statsCache = null;
    return tt;
  }

  // ---- timers ----------------------------------------------------------------------------------------------

  registerEventTimeTimer(ns: Namespace, timestamp: number): void {
    if (typeof timestamp !== 'number' || timestamp !== timestamp) {
      throw new TypeError('A timer timestamp must be a number, got ' + String(timestamp));
    }
    const idx = this.currentIndex;
    if (idx < 0) throw new Error('No current key: call setCurrentKey first');
    const key = this.currentKey;
    const arr = this.groups[idx]?.timers?.map.get(key);
    if (arr !== undefined) {
      for (const e of arr) if (e.timestamp === timestamp && e.namespace === ns) return; // dedup
    }
    const entry = new TimerEntry(key, this.currentKeyGroup, ns, timestamp);
    const tt = this.writableTimers(idx);
    tt.map.set(key, arr === undefined ? [entry] : [...arr, entry]);
    this.timers.push(entry);
  }

  deleteEventTimeTimer(ns: Namespace, timestamp: number): void {
    const idx = this.currentIndex;
    if (idx < 0) throw new Error('No current key: call setCurrentKey first');
    const arr = this.groups[idx]?.timers?.map.get(this.currentKey);
    if (arr === undefined) return;
    for (const e of arr) {
      if (e.timestamp === timestamp && e.namespace === ns) {
        this.unlinkTimer(idx, e, arr);
        this.timers.remove(e);
        return;
      }
    }
  }

  nextTimerTimestamp(): number | null {
    const top = this.timers.peek();
    return top === undefined ? null : top.timestamp;
  }

  pollTimer(watermark: number): Timer | null {
    const top = this.timers.peek();
    if (top === undefined || top.timestamp > watermark) return null;
    this.timers.poll();
    const idx = top.keyGroup - this.start;
    const arr = this.groups[idx]?.timers?.map.get(top.key);
    if (arr !== undefined) this.unlinkTimer(idx, top, arr);
    return top;
  }

  private unlinkTimer(idx: number, e: TimerEntry, arr: readonly TimerEntry[]): void {
    const tt = this.writableTimers(idx);
    if (arr.length === 1) tt.map.delete(e.key);
    else {
      const next: TimerEntry[] = [];
      for (const x of arr) if (x !== e) next.push(x);
      tt.map.set(e.key, next);
    }
    if (tt.map.size === 0) (this.groups[idx] as GroupState).timers = undefined;
  }

  // ---- snapshots -------------------------------------------------------------------------------------------

  prefetch(_keys: readonly Key[], _keyGroups: readonly number[]): null {
    return null; // everything is in memory
  }

  /** Synchronous part: O(number of key groups). */
  snapshot(checkpointId: number): KeyedSnapshotRunner {
    const version = this.version++;
    this.liveSnapshots.push(version);
    this.highestRequired = version; // versions only grow: the newest snapshot is the highest
    return new HashMapSnapshotRunner(this, checkpointId, version, this.groups.slice(), this.sortedMetas);
  }

  /** @internal Called once per runner (write or discard). */
  releaseSnapshot(version: number): void {
    const i = this.liveSnapshots.indexOf(version);
    if (i < 0) return;
    this.liveSnapshots.splice(i, 1);
    let hr = 0;
    for (const v of this.liveSnapshots) if (v > hr) hr = v;
    this.highestRequired = hr;
  }

  /** Number of snapshots whose frozen view is still held (taken, neither written nor discarded). */
  get liveSnapshotCount(): number {
    return this.liveSnapshots.length;
  }

  restore(handles: readonly KeyedStateHandle[]): void {
    // validate everything first so that a rejected restore leaves the backend untouched
    for (const h of handles) {
      if (h.kind !== 'keyed') throw new TypeError('Not a keyed state handle');
      if (h.maxParallelism !== this.maxParallelism) {
        // reference 4.6 (StateAssignmentOperation), wording adapted to a backend
        throw new Error(
          'The maximum parallelism (' +
            String(h.maxParallelism) +
            ') with which the latest checkpoint of the execution job vertex ' +
            (this.operatorName !== undefined ? this.operatorName + ' ' : '') +
            'has been taken and the current maximum parallelism (' +
            String(this.maxParallelism) +
            ') changed. This is currently not supported.',
        );
      }
      if (h.keyType !== this.keyType) {
        throw new Error(
          'The checkpoint holds ' + h.keyType + ' keys, the operator uses ' + this.keyType + ' keys',
        );
      }
      if (h.offsets.length !== keyGroupRangeSize(h.keyGroupRange)) {
        throw new Error(
          'Corrupt keyed state handle: one offset per key group of ' +
            formatKeyGroupRange(h.keyGroupRange) +
            ' expected',
        );
      }
    }
    this.clear();
    const seen = new Uint8Array(this.numGroups);
    for (const h of handles) {
      const inter = keyGroupRangeIntersection(h.keyGroupRange, this.keyGroupRange); // reference 4.6
      for (let kg = inter.start; kg <= inter.end; kg++) {
        const i = kg - h.keyGroupRange.start;
        const from = h.offsets[i] as number;
        const to = i + 1 < h.offsets.length ? (h.offsets[i + 1] as number) : h.bytes.length;
        if (from === to) continue;
        const idx = kg - this.start;
        if (seen[idx] === 1)
          throw new Error('Key group ' + String(kg) + ' is present in more than one state handle');
        seen[idx] = 1;
        this.restoreKeyGroup(kg, new Decoder(h.bytes, from, to));
      }
    }
  }

  private restoreKeyGroup(kg: number, dec: Decoder): void {
    const section = readKeyGroupSection(dec);
    const idx = kg - this.start;
    const g: GroupState = { v: this.version, tables: [], timers: undefined };
    for (const s of section.states) {
      const meta = this.registerMeta(s.name, s.kind);
      const t: NamespaceTable = { v: this.version, map: new Map() };
      for (const { namespace, entries } of s.namespaces) {
        const km: KeyMap = { v: this.version, map: new Map() };
        for (const [key, value] of entries) {
          this.checkRestoredKey(key, kg);
          km.map.set(key, value);
        }
        if (km.map.size > 0) t.map.set(namespace, km);
      }
      if (t.map.size > 0) g.tables[meta.id] = t;
    }
    if (section.timers.length > 0) {
      const tt: TimerTable = { v: this.version, map: new Map() };
      for (const { key, namespace, timestamp } of section.timers) {
        this.checkRestoredKey(key, kg);
        const e = new TimerEntry(key, kg, namespace, timestamp);
        const arr = tt.map.get(key);
        tt.map.set(key, arr === undefined ? [e] : [...arr, e]);
        this.timers.push(e);
      }
      g.timers = tt;
    }
    this.groups[idx] = g;
    this.dirty[idx] = 1;
  }

  private checkRestoredKey(key: Key, kg: number): void {
    const actual = assignToKeyGroup(key, this.keyType, this.maxParallelism);
    if (actual !== kg) {
      throw new Error(
        'Corrupt keyed snapshot: key ' +
          JSON.stringify(key) +
          ' found in key group ' +
          String(kg) +
          ' belongs to ' +
          String(actual),
      );
    }
  }

  clear(): void {
    this.groups = new Array<GroupState | undefined>(this.numGroups).fill(undefined);
    this.timers.clear();
    this.dirty.fill(0);
    this.groupBytes.fill(0);
    this.groupKeys.fill(0);
    this.statsCache = null;
  }

  // ---- stats -----------------------------------------------------------------------------------------------

  /**
   * Real encoded sizes: perKeyGroup[i].bytes is exactly the length of that key group's section in a snapshot
   * taken now, and `bytes` is exactly the length of the snapshot (KeyedStateHandle.bytes). Recomputed lazily
   * for key groups written since the last call.
   */
  stats(): StateStats {
    if (this.statsCache !== null) return this.statsCache;
    let bytes = 0;
    let keys = 0;
    const perKeyGroup: KeyGroupStats[] = [];
    for (let i = 0; i < this.numGroups; i++) {
      if (this.dirty[i] === 1) {
        const s = keyGroupSectionStats(this.groups[i], this.sortedMetas, this.scratchKeys);
        this.groupBytes[i] = s.bytes;
        this.groupKeys[i] = s.keys;
        this.dirty[i] = 0;
      }
      const gb = this.groupBytes[i] as number;
      if (gb > 0) {
        const gk = this.groupKeys[i] as number;
        perKeyGroup.push({ keyGroup: this.start + i, bytes: gb, keys: gk });
        bytes += gb;
        keys += gk;
      }
    }
    this.statsCache = { bytes, keys, timers: this.timers.size, perKeyGroup };
    return this.statsCache;
  }
}
