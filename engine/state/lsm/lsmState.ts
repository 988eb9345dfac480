/**
 * Keyed state objects of the IndexedDB (LSM) backend (reference 4.1): the same semantics as the HashMap backend's
 * (memoryBackend.ts), so that a run gives identical results on both. Each (state, key, namespace) is one LSM entry
 * holding the whole value: a list is an array, a map an array of [key, value] pairs in insertion order (RocksDB
 * keeps one entry per map key; one entry per map is simpler and gives the same results).
 */
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  ListState,
  MapState,
  ReducingState,
  ReducingStateDescriptor,
  StateValue,
  ValueState,
} from '../types.ts';

/** What the state objects need from the backend: read and write the current key's entry of one state. */
export interface EntryAccess {
  read(name: string): StateValue | undefined;
  /** undefined removes the entry (a tombstone). */
  write(name: string, v: StateValue | undefined): void;
}

const EMPTY: readonly never[] = Object.freeze([]);

function checkListElement(v: unknown): void {
  if (v === null || v === undefined) throw new TypeError('You cannot add null to a ListState.');
}

export class LsmValueState<T extends StateValue> implements ValueState<T> {
  constructor(
    private readonly b: EntryAccess,
    private readonly name: string,
  ) {}
  value(): T | undefined {
    return this.b.read(this.name) as T | undefined;
  }
  update(v: T): void {
    this.b.write(this.name, v === null || v === undefined ? undefined : v);
  }
  clear(): void {
    this.b.write(this.name, undefined);
  }
}

export class LsmListState<T extends StateValue> implements ListState<T> {
  constructor(
    private readonly b: EntryAccess,
    private readonly name: string,
  ) {}
  get(): readonly T[] {
    return (this.b.read(this.name) as T[] | undefined) ?? EMPTY;
  }
  add(v: T): void {
    checkListElement(v);
    this.b.write(this.name, [...this.get(), v]);
  }
  addAll(vs: readonly T[]): void {
    if (vs.length === 0) return;
    for (const v of vs) checkListElement(v);
    this.b.write(this.name, [...this.get(), ...vs]);
  }
  update(vs: readonly T[]): void {
    if (vs.length === 0) {
      this.clear();
      return;
    }
    for (const v of vs) checkListElement(v);
    this.b.write(this.name, vs.slice());
  }
  clear(): void {
    this.b.write(this.name, undefined);
  }
}

export class LsmMapState<K extends string | number, V extends StateValue> implements MapState<K, V> {
  constructor(
    private readonly b: EntryAccess,
    private readonly name: string,
  ) {}
  private inner(): Map<K, V> | undefined {
    const pairs = this.b.read(this.name) as (readonly [K, V])[] | undefined;
    return pairs === undefined ? undefined : new Map(pairs);
  }
  private store(m: Map<K, V>): void {
    this.b.write(this.name, m.size === 0 ? undefined : [...m.entries()]);
  }
  get(k: K): V | undefined {
    return this.inner()?.get(k);
  }
  put(k: K, v: V): void {
    const m = this.inner() ?? new Map<K, V>();
    m.set(k, v);
    this.store(m);
  }
  putAll(entries: Iterable<readonly [K, V]>): void {
    let m: Map<K, V> | undefined;
    for (const [k, v] of entries) {
      m ??= this.inner() ?? new Map<K, V>();
      m.set(k, v);
    }
    if (m !== undefined) this.store(m);
  }
  contains(k: K): boolean {
    return this.inner()?.has(k) ?? false;
  }
  remove(k: K): void {
    const m = this.inner();
    if (m === undefined || !m.has(k)) return;
    m.delete(k);
    this.store(m);
  }
  entries(): Iterable<[K, V]> {
    return (this.inner() ?? new Map<K, V>()).entries();
  }
  keys(): Iterable<K> {
    return (this.inner() ?? new Map<K, V>()).keys();
  }
  values(): Iterable<V> {
    return (this.inner() ?? new Map<K, V>()).values();
  }
  isEmpty(): boolean {
    const m = this.inner();
    return m === undefined || m.size === 0;
  }
  clear(): void {
    this.b.write(this.name, undefined);
  }
}

export class LsmReducingState<T extends StateValue> implements ReducingState<T> {
  constructor(
    private readonly b: EntryAccess,
    private readonly name: string,
    public d: ReducingStateDescriptor<T>,
  ) {}
  get(): T | undefined {
    return this.b.read(this.name) as T | undefined;
  }
  add(v: T): void {
    if (v === null || v === undefined) {
      this.clear();
      return;
    }
    const cur = this.get();
    this.b.write(this.name, cur === undefined ? v : this.d.reduce(cur, v));
  }
  clear(): void {
    this.b.write(this.name, undefined);
  }
}

export class LsmAggregatingState<IN, ACC extends StateValue, OUT> implements AggregatingState<IN, OUT> {
  constructor(
    private readonly b: EntryAccess,
    private readonly name: string,
    public d: AggregatingStateDescriptor<IN, ACC, OUT>,
  ) {}
  get(): OUT | undefined {
    const acc = this.b.read(this.name) as ACC | undefined;
    return acc === undefined ? undefined : this.d.getResult(acc);
  }
  add(v: IN): void {
    if (v === null || v === undefined) {
      this.clear();
      return;
    }
    this.addIsFirst(v);
  }
  addIsFirst(v: IN): boolean {
    const acc = this.b.read(this.name) as ACC | undefined;
    this.b.write(this.name, this.d.add(v, acc === undefined ? this.d.createAccumulator() : acc));
    return acc === undefined;
  }
  clear(): void {
    this.b.write(this.name, undefined);
  }
}
