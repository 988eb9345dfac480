/**
 * A keyed state backend for tests that behaves like an asynchronous one (issue: ready for asynchronous state): it
 * keeps its state in the HashMap backend, but every prefetch, snapshot write and restore completes only after a
 * real `await`. A run on it must give exactly the trace of the same run on the memory backend: I/O may delay the
 * real time at which an event runs, never its virtual time or its order.
 */
import { type IoHandle, ioHandle } from '../sim/eventQueue.ts';
import { HashMapKeyedStateBackend, type KeyedBackendOptions } from './memoryBackend.ts';
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  Key,
  KeyedSnapshotRunner,
  KeyedStateBackend,
  KeyedStateHandle,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  Namespace,
  ReducingState,
  ReducingStateDescriptor,
  StateStats,
  StateValue,
  Timer,
  ValueState,
  ValueStateDescriptor,
} from './types.ts';

/** Settles after a real await (a microtask hop), like a storage request would, only faster. */
function realIo(fail: boolean): IoHandle {
  return ioHandle(
    Promise.resolve().then(() => {
      if (fail) throw new Error('injected state I/O failure');
    }),
  );
}

export class AsyncTestBackend implements KeyedStateBackend {
  readonly name = 'async-test';
  readonly asynchronous = true;
  private readonly inner: HashMapKeyedStateBackend;
  /** The last prefetch's load completed: the retried turn finds its keys loaded. */
  private loaded = false;
  /** Prefetches, snapshot writes and restores that went through real I/O (for tests). */
  static ioCount = 0;
  /** Tests set this to make snapshot writes fail (CHECKPOINT_ASYNC_EXCEPTION). */
  failWrites = false;

  constructor(opts: KeyedBackendOptions) {
    this.inner = new HashMapKeyedStateBackend(opts);
  }

  get keyGroupRange() {
    return this.inner.keyGroupRange;
  }
  get maxParallelism(): number {
    return this.inner.maxParallelism;
  }
  get keyType() {
    return this.inner.keyType;
  }

  prefetch(_keys: readonly Key[], _keyGroups: readonly number[]): IoHandle | null {
    if (this.loaded) {
      this.loaded = false;
      return null;
    }
    AsyncTestBackend.ioCount++;
    const h = realIo(false);
    void h.promise.then(() => {
      this.loaded = true;
    });
    return h;
  }

  setCurrentKey(key: Key, keyGroup: number): void {
    this.inner.setCurrentKey(key, keyGroup);
  }
  getCurrentKey(): Key {
    return this.inner.getCurrentKey();
  }
  setCurrentNamespace(ns: Namespace): void {
    this.inner.setCurrentNamespace(ns);
  }
  getValueState<T extends StateValue>(d: ValueStateDescriptor): ValueState<T> {
    return this.inner.getValueState<T>(d);
  }
  getListState<T extends StateValue>(d: ListStateDescriptor): ListState<T> {
    return this.inner.getListState<T>(d);
  }
  getMapState<K extends string | number, V extends StateValue>(d: MapStateDescriptor): MapState<K, V> {
    return this.inner.getMapState<K, V>(d);
  }
  getReducingState<T extends StateValue>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.inner.getReducingState<T>(d);
  }
  getAggregatingState<IN, ACC extends StateValue, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT> {
    return this.inner.getAggregatingState<IN, ACC, OUT>(d);
  }
  registerEventTimeTimer(ns: Namespace, timestamp: number): void {
    this.inner.registerEventTimeTimer(ns, timestamp);
  }
  deleteEventTimeTimer(ns: Namespace, timestamp: number): void {
    this.inner.deleteEventTimeTimer(ns, timestamp);
  }
  nextTimerTimestamp(): number | null {
    return this.inner.nextTimerTimestamp();
  }
  pollTimer(watermark: number): Timer | null {
    return this.inner.pollTimer(watermark);
  }

  snapshot(checkpointId: number): KeyedSnapshotRunner {
    const runner = this.inner.snapshot(checkpointId);
    const fail = this.failWrites;
    const wrapped = {
      checkpointId,
      writeIo: null as IoHandle | null,
      write(): KeyedStateHandle {
        const handle = runner.write();
        AsyncTestBackend.ioCount++;
        wrapped.writeIo = realIo(fail);
        return handle;
      },
      discard(): void {
        runner.discard();
      },
    };
    return wrapped;
  }

  restore(handles: readonly KeyedStateHandle[]): IoHandle {
    this.inner.restore(handles);
    AsyncTestBackend.ioCount++;
    return realIo(false);
  }

  clear(): void {
    this.inner.clear();
  }

  stats(): StateStats {
    return this.inner.stats();
  }
}
