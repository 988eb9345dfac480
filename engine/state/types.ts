/**
 * The state contract between operators and state backends (reference section 4).
 *
 * Operators use keyed state synchronously, scoped to the current key and namespace, exactly as Flink's
 * RuntimeContext states. A backend whose storage is asynchronous (IndexedDB, a later issue) keeps the working
 * set in memory and declares, before a batch of records is processed, which keys it must load first
 * (`prefetch`): the runtime then delays the batch to the virtual time the cost model gives and awaits the real
 * promise before running it (DESIGN: IndexedDB never decides ordering). Operators never see the difference.
 */
import type { IoHandle } from '../sim/eventQueue.ts';

export type Key = string | number; // number: a 32-bit int key or a 64-bit long key held as a safe integer
export type KeyType = 'string' | 'int' | 'long';
/** Window namespaces are numbers (the window's end in ms); state outside windows uses VOID_NAMESPACE. */
export type Namespace = number | string;
export const VOID_NAMESPACE: Namespace = 'VoidNamespace';

/** Values kept in state: what the state codec (./codec.ts) can encode. Treated as immutable by operators. */
export type StateValue =
  null | boolean | number | string | readonly StateValue[] | { readonly [k: string]: StateValue };

/** Inclusive key-group range [start, end] (Flink's KeyGroupRange); empty when start > end. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

export interface ValueState<T extends StateValue> {
  value(): T | undefined;
  update(v: T): void;
  clear(): void;
}
export interface ListState<T extends StateValue> {
  get(): readonly T[];
  add(v: T): void;
  addAll(v: readonly T[]): void;
  update(v: readonly T[]): void;
  clear(): void;
}
export interface MapState<K extends string | number, V extends StateValue> {
  get(k: K): V | undefined;
  put(k: K, v: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  contains(k: K): boolean;
  remove(k: K): void;
  entries(): Iterable<[K, V]>;
  keys(): Iterable<K>;
  values(): Iterable<V>;
  isEmpty(): boolean;
  clear(): void;
}
export interface ReducingState<T extends StateValue> {
  get(): T | undefined;
  add(v: T): void;
  clear(): void;
}
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(v: IN): void;
  /** add(), reporting whether it created the accumulator (a window's first element: register its timer). */
  addIsFirst(v: IN): boolean;
  clear(): void;
}

export type ValueStateDescriptor = { kind: 'value'; name: string };
export type ListStateDescriptor = { kind: 'list'; name: string };
export type MapStateDescriptor = { kind: 'map'; name: string };
export type ReducingStateDescriptor<T extends StateValue> = {
  kind: 'reducing';
  name: string;
  reduce: (a: T, b: T) => T;
};
/** Accumulators are immutable values: `add` returns the new accumulator. */
export type AggregatingStateDescriptor<IN, ACC extends StateValue, OUT> = {
  kind: 'aggregating';
  name: string;
  createAccumulator: () => ACC;
  add: (value: IN, acc: ACC) => ACC;
  getResult: (acc: ACC) => OUT;
};
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/** An event-time timer of a keyed operator (kept in keyed state, snapshotted with its key group). */
export interface Timer {
  readonly key: Key;
  readonly keyGroup: number;
  readonly namespace: Namespace;
  readonly timestamp: number; // event time, ms
}

/** Snapshot of one subtask's keyed state: bytes written per key group with offsets (KeyGroupsStateHandle). */
export interface KeyedStateHandle {
  readonly kind: 'keyed';
  readonly backend: string; // 'hashmap' | 'indexeddb' ...
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly keyType: KeyType;
  /** offsets[i] = byte offset of key group (keyGroupRange.start + i) in `bytes`; a group's end = next offset. */
  readonly offsets: readonly number[];
  readonly bytes: Uint8Array;
  /** Full state size in bytes (= bytes.length for a full snapshot). */
  readonly stateSize: number;
  /** Bytes persisted by this checkpoint (= stateSize for full snapshots; the delta for incremental ones). */
  readonly checkpointedSize: number;
}

/** Synchronous part done (copy-on-write freeze); `write()` runs the asynchronous part and yields the handle. */
export interface KeyedSnapshotRunner {
  readonly checkpointId: number;
  write(): KeyedStateHandle;
  /**
   * Asynchronous backends: the real I/O behind the last `write()` (the acknowledgement waits for it; an error
   * declines the checkpoint with CHECKPOINT_ASYNC_EXCEPTION), or null when the write was in memory.
   */
  readonly writeIo?: IoHandle | null;
  /** Releases the frozen view without writing (checkpoint aborted). */
  discard(): void;
}

export interface KeyGroupStats {
  readonly keyGroup: number;
  readonly bytes: number;
  readonly keys: number;
}
export interface StateStats {
  readonly bytes: number; // serialized bytes of all keyed state of the subtask (the codec's real encoding)
  readonly keys: number; // distinct keys with any state (timers excluded)
  readonly timers: number;
  readonly perKeyGroup: readonly KeyGroupStats[]; // only key groups that hold state, ascending
}

export interface KeyedStateBackend {
  readonly name: string; // 'hashmap'
  /** Reads, snapshots and restores may complete asynchronously (prefetch, writeIo, restore's handle). */
  readonly asynchronous?: boolean;
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  readonly keyType: KeyType;

  /** Sets the key (and its precomputed key group) all keyed state accesses are scoped to. */
  setCurrentKey(key: Key, keyGroup: number): void;
  getCurrentKey(): Key;
  setCurrentNamespace(ns: Namespace): void;

  getValueState<T extends StateValue>(d: ValueStateDescriptor): ValueState<T>;
  getListState<T extends StateValue>(d: ListStateDescriptor): ListState<T>;
  getMapState<K extends string | number, V extends StateValue>(d: MapStateDescriptor): MapState<K, V>;
  getReducingState<T extends StateValue>(d: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC extends StateValue, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT>;

  /** Event-time timers for the current key; duplicates (same key, namespace, timestamp) are ignored. */
  registerEventTimeTimer(ns: Namespace, timestamp: number): void;
  deleteEventTimeTimer(ns: Namespace, timestamp: number): void;
  /** Earliest timer timestamp, or null. */
  nextTimerTimestamp(): number | null;
  /** Removes and returns the next timer with timestamp <= watermark, in (timestamp, key, namespace) order. */
  pollTimer(watermark: number): Timer | null;

  /** Asynchronous backends: virtual time (µs) the last prefetch's loads cost the task since the last call. */
  takeReadWaitUs?(): number;
  /** Asynchronous backends: keys to load before a batch runs; null when everything is in memory. */
  prefetch(keys: readonly Key[], keyGroups: readonly number[]): IoHandle | null;

  /** Synchronous phase of a snapshot (copy-on-write): later writes do not change what `write()` produces. */
  snapshot(checkpointId: number): KeyedSnapshotRunner;
  /**
   * Replaces all state with the key groups of this backend's range found in the handles (rescale-safe).
   * Asynchronous backends return the real I/O the task's initialization waits for (an error fails the task).
   */
  restore(handles: readonly KeyedStateHandle[]): IoHandle | void;
  /** Removes all state and timers. */
  clear(): void;

  stats(): StateStats;
}

export type OperatorStateMode = 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST';

/** One subtask's operator state as written in a snapshot (elements encoded with the state codec). */
export interface OperatorStateHandle {
  readonly kind: 'operator';
  readonly states: readonly {
    readonly name: string;
    readonly mode: OperatorStateMode;
    /** SPLIT_DISTRIBUTE / UNION: one encoded element per entry; BROADCAST: one encoded [key, value] pair per entry. */
    readonly elements: readonly Uint8Array[];
  }[];
  readonly stateSize: number;
}

export interface BroadcastState<K extends string | number, V extends StateValue> {
  get(k: K): V | undefined;
  put(k: K, v: V): void;
  remove(k: K): void;
  contains(k: K): boolean;
  entries(): Iterable<[K, V]>;
  clear(): void;
}

export interface OperatorStateBackend {
  /** Even-split redistribution on rescale (getListState in Flink). */
  getListState<T extends StateValue>(name: string): ListState<T>;
  /** Union redistribution: every subtask gets all elements on restore (getUnionListState). */
  getUnionListState<T extends StateValue>(name: string): ListState<T>;
  getBroadcastState<K extends string | number, V extends StateValue>(name: string): BroadcastState<K, V>;
  /** Operator state is small: the snapshot is taken synchronously (Flink does the same for heap operator state). */
  snapshot(): OperatorStateHandle;
  /** Restores from the handles the repartitioner assigned to this subtask. */
  restore(handles: readonly OperatorStateHandle[]): void;
  stateSize(): number;
}
