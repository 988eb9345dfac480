/**
 * The IndexedDB state backend (`state.backend.type: indexeddb`, alias `rocksdb`): Flink's
 * EmbeddedRocksDBStateBackend in the browser. Keyed state lives in an LSM tree whose runs are stored in IndexedDB
 * (lsmTree.ts); operators read and write it synchronously because every task turn first prefetches the keys it
 * may touch (the runtime waits for the real load, types.ts). Timers follow `state.backend.rocksdb.timer-service.
 * factory`: ROCKSDB (default) also writes every timer into the LSM, so they are stored and snapshotted with the
 * state; HEAP keeps them only on the heap and writes them into each snapshot as private bytes. In both cases the
 * timer order lives in a heap (Flink's RocksDB timer service caches the head of its queue on the heap too).
 */
import type { IoHandle } from '../../sim/eventQueue.ts';
import { formatKeyGroupRange, keyGroupRangeSize } from '../keyGroups.ts';
import { TimerEntry, TimerHeap } from '../timerQueue.ts';
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  Key,
  KeyedSnapshotRunner,
  KeyedStateBackend,
  KeyedStateHandle,
  KeyGroupRange,
  KeyGroupStats,
  KeyType,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  Namespace,
  ReducingState,
  ReducingStateDescriptor,
  StateKind,
  StateStats,
  StateValue,
  Timer,
  ValueState,
  ValueStateDescriptor,
} from '../types.ts';
import { VOID_NAMESPACE } from '../types.ts';
import type { KeyedBackendOptions } from '../memoryBackend.ts';
import { DEFAULT_IO_COST, type IoCostModel } from './costModel.ts';
import type { LsmSnapshotOptions } from './handles.ts';
import { IdbStore } from './idbStore.ts';
import { checkStateName, filterKey, timerEntryKey } from './keys.ts';
import { type LsmTreeConfig, LsmTree } from './lsmTree.ts';
import {
  type EntryAccess,
  LsmAggregatingState,
  LsmListState,
  LsmMapState,
  LsmReducingState,
  LsmValueState,
} from './lsmState.ts';
import { LsmIncrementalState, restoreLsm, snapshotLsm } from './lsmSnapshot.ts';
import { TOMBSTONE } from './run.ts';

/** What the backend needs from the runtime (virtual clock, timers about to fire, failing its task). */
export interface LsmEnv {
  now(): number;
  /** The highest watermark the backend's task may reach in the turn being prefetched (-Infinity: none). */
  timerHorizon(b: LsmKeyedStateBackend): number;
  /** A state write failed: the task fails (at the current virtual time, as a separate event). */
  stateWriteFailed(b: LsmKeyedStateBackend, message: string): void;
}

export interface LsmConfig extends LsmTreeConfig {
  readonly timerService: 'HEAP' | 'ROCKSDB';
  readonly incremental: boolean;
}

/** Flink's defaults scaled to the browser (README: configuration; scenario/config.ts does the scaling). */
export const DEFAULT_LSM_CONFIG: LsmConfig = {
  writeBufferBytes: 256 * 1024,
  blockCacheBytes: 32 * 1024,
  blockSize: 4 * 1024,
  level0Trigger: 4,
  levelBaseBytes: 1024 * 1024,
  levelMultiplier: 10,
  cost: DEFAULT_IO_COST,
  timerService: 'ROCKSDB',
  incremental: false,
};

/** A clock for tests and callers without a runtime. */
export const STANDALONE_ENV: LsmEnv = {
  now: () => 0,
  timerHorizon: () => Number.NEGATIVE_INFINITY,
  stateWriteFailed: (_b, message) => {
    throw new Error(message);
  },
};

export interface LsmStats {
  memtableBytes: number;
  memtableEntries: number;
  runsPerLevel: number[];
  bytesPerLevel: number[];
  cacheHits: number;
  cacheMisses: number;
  cacheBytes: number;
  flushes: number;
  compactions: number;
  compactionRunning: boolean;
  compactedBytesIn: number;
  compactedBytesOut: number;
  ioTimeUs: number;
  bytesWritten: number;
  bytesRead: number;
}

type AnyState =
  | LsmValueState<StateValue>
  | LsmListState<StateValue>
  | LsmMapState<string | number, StateValue>
  | LsmReducingState<StateValue>
  | LsmAggregatingState<unknown, StateValue, unknown>;

export class LsmKeyedStateBackend implements KeyedStateBackend, EntryAccess {
  readonly name = 'indexeddb';
  readonly asynchronous = true;
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  readonly keyType: KeyType;
  readonly operatorName: string | undefined;
  readonly tree: LsmTree;
  readonly incrementalState = new LsmIncrementalState();
  private readonly keyJsType: 'string' | 'number';
  private currentKey: Key = '';
  private currentKeyJson = '';
  private currentKeyGroup = -1;
  private currentNs: Namespace = VOID_NAMESPACE;
  private currentNsJson = JSON.stringify(VOID_NAMESPACE);
  private readonly kinds = new Map<string, StateKind>();
  private readonly states = new Map<string, AnyState>();
  /** Timers: heap order plus an index per (key group, key) for dedup and delete (like memoryBackend.ts). */
  readonly timers = new TimerHeap();
  readonly timerIndex = new Map<string, TimerEntry[]>();
  /** Options of the next snapshot (claim mode NO_CLAIM: the first checkpoint after a restore is full). */
  nextSnapshot: LsmSnapshotOptions = {};

  constructor(
    opts: KeyedBackendOptions,
    readonly cfg: LsmConfig = DEFAULT_LSM_CONFIG,
    readonly env: LsmEnv = STANDALONE_ENV,
    /** Unique within the engine run: names the database and the runs (shared state keys). */
    readonly label = 'lsm',
  ) {
    this.keyGroupRange = opts.keyGroupRange;
    this.maxParallelism = opts.maxParallelism;
    this.keyType = opts.keyType;
    this.operatorName = opts.operatorName;
    this.keyJsType = opts.keyType === 'string' ? 'string' : 'number';
    this.tree = new LsmTree(new IdbStore(label.replace(/[^A-Za-z0-9_-]/g, '_')), cfg, label);
  }

  get cost(): IoCostModel {
    return this.cfg.cost;
  }

  // ---- key and namespace -------------------------------------------------------------------------------------

  setCurrentKey(key: Key, keyGroup: number): void {
    const r = this.keyGroupRange;
    if (!(keyGroup >= r.start && keyGroup <= r.end)) {
      throw new Error(
        'Key group ' +
          String(keyGroup) +
          ' is not in ' +
          formatKeyGroupRange(r) +
          ". Unless you're directly using low level state access APIs, this is most likely caused by" +
          ' non-deterministic shuffle key (hashCode and equals implementation).',
      );
    }
    if (typeof key !== this.keyJsType) {
      throw new TypeError('Key ' + String(key) + ' does not match the key type ' + this.keyType);
    }
    if (key !== this.currentKey || this.currentKeyJson === '') this.currentKeyJson = JSON.stringify(key);
    this.currentKey = key;
    this.currentKeyGroup = keyGroup;
  }

  getCurrentKey(): Key {
    if (this.currentKeyGroup < 0) throw new Error('No current key: call setCurrentKey first');
    return this.currentKey;
  }

  setCurrentNamespace(ns: Namespace): void {
    if (ns !== this.currentNs) {
      this.currentNs = ns;
      this.currentNsJson = JSON.stringify(ns);
    }
  }

  // ---- entries -----------------------------------------------------------------------------------------------

  private ck(name: string): string {
    if (this.currentKeyGroup < 0) throw new Error('No current key: call setCurrentKey first');
    return (
      String.fromCharCode(this.currentKeyGroup) +
      name +
      '\u0000' +
      this.currentKeyJson +
      '\u0000' +
      this.currentNsJson
    );
  }

  read(name: string): StateValue | undefined {
    const v = this.tree.get(this.ck(name), filterKey(this.currentKeyGroup, this.currentKeyJson));
    return v === undefined || v === TOMBSTONE ? undefined : v;
  }

  write(name: string, v: StateValue | undefined): void {
    if (v === undefined && this.read(name) === undefined) return;
    this.tree.put(this.ck(name), v === undefined ? TOMBSTONE : v, this.env.now());
    this.checkWriteFailure();
  }

  private checkWriteFailure(): void {
    const f = this.tree.failedWrite;
    if (f !== null) {
      this.tree.failedWrite = null;
      this.env.stateWriteFailed(this, `Error while writing state to IndexedDB: ${f}`);
    }
  }

  // ---- state registration ------------------------------------------------------------------------------------

  private register(name: string, kind: StateKind): AnyState | undefined {
    checkStateName(name);
    const existing = this.kinds.get(name);
    if (existing !== undefined && existing !== kind) {
      throw new Error(
        `State "${name}" is registered as ${existing} state and cannot be accessed as ${kind} state (state names must be unique per operator)`,
      );
    }
    this.kinds.set(name, kind);
    return this.states.get(name);
  }

  getValueState<T extends StateValue>(d: ValueStateDescriptor): ValueState<T> {
    const s = this.register(d.name, 'value') ?? new LsmValueState<StateValue>(this, d.name);
    this.states.set(d.name, s);
    return s as unknown as ValueState<T>;
  }

  getListState<T extends StateValue>(d: ListStateDescriptor): ListState<T> {
    const s = this.register(d.name, 'list') ?? new LsmListState<StateValue>(this, d.name);
    this.states.set(d.name, s);
    return s as unknown as ListState<T>;
  }

  getMapState<K extends string | number, V extends StateValue>(d: MapStateDescriptor): MapState<K, V> {
    const s = this.register(d.name, 'map') ?? new LsmMapState<string | number, StateValue>(this, d.name);
    this.states.set(d.name, s);
    return s as unknown as MapState<K, V>;
  }

  getReducingState<T extends StateValue>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    const prev = this.register(d.name, 'reducing') as LsmReducingState<T> | undefined;
    if (prev !== undefined) {
      prev.d = d; // the latest descriptor's function wins
      return prev;
    }
    const s = new LsmReducingState<T>(this, d.name, d);
    this.states.set(d.name, s as unknown as AnyState);
    return s;
  }

  getAggregatingState<IN, ACC extends StateValue, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT> {
    const prev = this.register(d.name, 'aggregating') as LsmAggregatingState<IN, ACC, OUT> | undefined;
    if (prev !== undefined) {
      prev.d = d;
      return prev;
    }
    const s = new LsmAggregatingState<IN, ACC, OUT>(this, d.name, d);
    this.states.set(d.name, s as unknown as AnyState);
    return s;
  }

  // ---- timers ------------------------------------------------------------------------------------------------

  private timerKey(kg: number, keyJson: string): string {
    return filterKey(kg, keyJson);
  }

  registerEventTimeTimer(ns: Namespace, timestamp: number): void {
    if (typeof timestamp !== 'number' || timestamp !== timestamp) {
      throw new TypeError('A timer timestamp must be a number, got ' + String(timestamp));
    }
    const tk = this.timerKey(this.currentKeyGroup, this.currentKeyJson);
    if (this.currentKeyGroup < 0) throw new Error('No current key: call setCurrentKey first');
    const arr = this.timerIndex.get(tk);
    if (arr !== undefined) {
      for (const e of arr) if (e.timestamp === timestamp && e.namespace === ns) return; // dedup
    }
    this.addTimer(new TimerEntry(this.currentKey, this.currentKeyGroup, ns, timestamp), true);
  }

  /** @internal also used by restore (`persist` false: the entry is already in the LSM). */
  addTimer(e: TimerEntry, persist: boolean): void {
    const tk = this.timerKey(e.keyGroup, JSON.stringify(e.key));
    const arr = this.timerIndex.get(tk);
    this.timerIndex.set(tk, arr === undefined ? [e] : [...arr, e]);
    this.timers.push(e);
    if (persist && this.cfg.timerService === 'ROCKSDB') {
      this.tree.put(timerEntryKey(e.keyGroup, e.key, e.timestamp, e.namespace), null, this.env.now());
      this.checkWriteFailure();
    }
  }

  private unlinkTimer(e: TimerEntry): void {
    const tk = this.timerKey(e.keyGroup, JSON.stringify(e.key));
    const arr = this.timerIndex.get(tk);
    if (arr !== undefined) {
      const next = arr.filter((x) => x !== e);
      if (next.length === 0) this.timerIndex.delete(tk);
      else this.timerIndex.set(tk, next);
    }
    if (this.cfg.timerService === 'ROCKSDB') {
      this.tree.put(timerEntryKey(e.keyGroup, e.key, e.timestamp, e.namespace), TOMBSTONE, this.env.now());
      this.checkWriteFailure();
    }
  }

  deleteEventTimeTimer(ns: Namespace, timestamp: number): void {
    if (this.currentKeyGroup < 0) throw new Error('No current key: call setCurrentKey first');
    const arr = this.timerIndex.get(this.timerKey(this.currentKeyGroup, this.currentKeyJson));
    if (arr === undefined) return;
    for (const e of arr) {
      if (e.timestamp === timestamp && e.namespace === ns) {
        this.unlinkTimer(e);
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
    this.unlinkTimer(top);
    return top;
  }

  // ---- prefetch ----------------------------------------------------------------------------------------------

  /** Loads the blocks of `keys`, and of the keys of timers the turn may fire; null when all are in memory. */
  prefetch(keys: readonly Key[], keyGroups: readonly number[]): IoHandle | null {
    const want: [string, number][] = [];
    if (this.tree.levels.every((l) => l.length === 0)) return this.tree.prepare(want, this.env.now());
    const seen = new Set<Key>();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as Key;
      if (seen.has(k)) continue;
      seen.add(k);
      want.push([JSON.stringify(k), keyGroups[i] as number]);
    }
    const top = this.timers.peek();
    if (top !== undefined) {
      const horizon = this.env.timerHorizon(this);
      if (horizon >= top.timestamp) {
        for (const arr of this.timerIndex.values()) {
          for (const e of arr) {
            if (e.timestamp <= horizon) {
              want.push([JSON.stringify(e.key), e.keyGroup]);
              break;
            }
          }
        }
      }
    }
    return this.tree.prepare(want, this.env.now());
  }

  // ---- snapshots ---------------------------------------------------------------------------------------------

  snapshot(checkpointId: number): KeyedSnapshotRunner {
    const opts = this.nextSnapshot;
    this.nextSnapshot = {};
    const runner = snapshotLsm(this, checkpointId, opts);
    this.checkWriteFailure();
    return runner;
  }

  /** A manual full checkpoint / NO_CLAIM: the next snapshot uploads every run. */
  forceFullSnapshot(): void {
    this.nextSnapshot = { forceFull: true };
  }

  notifyCheckpointComplete(id: number): void {
    this.incrementalState.completed(id);
  }

  notifyCheckpointAborted(id: number): void {
    this.incrementalState.aborted(id);
  }

  restore(handles: readonly KeyedStateHandle[]): IoHandle | void {
    return restoreLsm(this, handles);
  }

  /** @internal */
  resetTimers(): void {
    this.timers.clear();
    this.timerIndex.clear();
  }

  clear(): void {
    this.tree.reset();
    this.resetTimers();
    this.incrementalState.reset();
  }

  /** Drops the database (the backend's task attempt ended). */
  dispose(): Promise<void> {
    this.tree.reset();
    return this.tree.store.destroy();
  }

  // ---- stats -------------------------------------------------------------------------------------------------

  /** Real bytes stored: every run's serialized size plus the memtable's entries; keys are estimated per run. */
  stats(): StateStats {
    const per = new Map<number, [number, number]>();
    for (const run of this.tree.allRuns()) {
      for (const [kg, b, k] of run.kgStats) {
        const cur = per.get(kg);
        if (cur === undefined) per.set(kg, [b, k]);
        else {
          cur[0] += b;
          cur[1] = Math.max(cur[1], k);
        }
      }
    }
    for (const [ck] of this.tree.memtable) {
      const kg = ck.charCodeAt(0);
      const cur = per.get(kg);
      if (cur === undefined) per.set(kg, [0, 0]);
    }
    let bytes = this.tree.memBytes;
    for (const r of this.tree.allRuns()) bytes += r.size;
    const kgs = [...per.keys()].sort((a, b) => a - b);
    const perKeyGroup: KeyGroupStats[] = [];
    let keys = 0;
    for (const kg of kgs) {
      const [b, k] = per.get(kg) as [number, number];
      perKeyGroup.push({ keyGroup: kg, bytes: b, keys: k });
      keys += k;
    }
    void keyGroupRangeSize;
    return { bytes, keys, timers: this.timers.size, perKeyGroup };
  }

  /** The State panel's view (protocol.ts LsmDetails). */
  lsmDetails(): LsmStats & {
    writeBufferBytes: number;
    cacheCapacity: number;
    incremental: boolean;
    timerService: 'HEAP' | 'ROCKSDB';
  } {
    return {
      ...this.lsmStats(),
      writeBufferBytes: this.cfg.writeBufferBytes,
      cacheCapacity: this.cfg.blockCacheBytes,
      incremental: this.cfg.incremental,
      timerService: this.cfg.timerService,
    };
  }

  lsmStats(): LsmStats {
    const t = this.tree;
    const c = t.counters;
    return {
      memtableBytes: t.memBytes,
      memtableEntries: t.memtable.size,
      runsPerLevel: t.levels.map((l) => l.length),
      bytesPerLevel: t.levels.map((l) => l.reduce((n, r) => n + r.size, 0)),
      cacheHits: c.cacheHits,
      cacheMisses: c.cacheMisses,
      cacheBytes: t.cacheInfo().bytes,
      flushes: c.flushes,
      compactions: c.compactions,
      compactionRunning: t.compactionRunning,
      compactedBytesIn: c.compactedBytesIn,
      compactedBytesOut: c.compactedBytesOut,
      ioTimeUs: c.ioTimeUs,
      bytesWritten: t.store.bytesWritten,
      bytesRead: t.store.bytesRead,
    };
  }

  /** Virtual time the task waited for block loads since the last call (the runtime adds it to the turn). */
  takeReadWaitUs(): number {
    const us = this.tree.counters.readWaitUs;
    this.tree.counters.readWaitUs = 0;
    return us;
  }
}
