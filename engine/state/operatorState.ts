/**
 * DefaultOperatorStateBackend: non-keyed operator state (reference 4.3, 4.4). List state (even-split
 * redistribution, SPLIT_DISTRIBUTE), union list state (UNION) and broadcast state (BROADCAST), kept on the
 * heap and snapshotted synchronously (Flink does the same for heap operator state). Elements are encoded one
 * by one with the state codec, so a handle's element list plays the role of Flink's partition offsets and the
 * repartitioner (operatorStateRepartitioner.ts) can split it without decoding.
 *
 * stateSize() = snapshot().stateSize = the sum of the encoded element lengths (names and framing excluded).
 */
import { decode, encode, encodedSize } from './codec.ts';
import type {
  BroadcastState,
  ListState,
  OperatorStateBackend,
  OperatorStateHandle,
  OperatorStateMode,
  StateValue,
} from './types.ts';

function checkListElement(v: unknown): void {
  if (v === null || v === undefined) throw new TypeError('You cannot add null to a ListState.');
}

/** Flink's PartitionableListState: one list per subtask, redistributed by `mode` on restore. */
class PartitionableListState<T extends StateValue> implements ListState<T> {
  list: T[] = [];
  constructor(
    readonly name: string,
    readonly mode: OperatorStateMode,
  ) {}

  /** The stored list itself (no copy); treat it as read-only. */
  get(): readonly T[] {
    return this.list;
  }

  add(v: T): void {
    checkListElement(v);
    this.list.push(v);
  }

  addAll(vs: readonly T[]): void {
    for (const v of vs) checkListElement(v);
    for (const v of vs) this.list.push(v);
  }

  update(vs: readonly T[]): void {
    for (const v of vs) checkListElement(v);
    this.list = vs.slice();
  }

  clear(): void {
    this.list = [];
  }
}

class HeapBroadcastState<K extends string | number, V extends StateValue> implements BroadcastState<K, V> {
  readonly map = new Map<K, V>();
  constructor(readonly name: string) {}

  get(k: K): V | undefined {
    return this.map.get(k);
  }

  put(k: K, v: V): void {
    this.map.set(k, v);
  }

  remove(k: K): void {
    this.map.delete(k);
  }

  contains(k: K): boolean {
    return this.map.has(k);
  }

  entries(): Iterable<[K, V]> {
    return this.map.entries();
  }

  clear(): void {
    this.map.clear();
  }
}

type AnyList = PartitionableListState<StateValue>;
type AnyBroadcast = HeapBroadcastState<string | number, StateValue>;

export class DefaultOperatorStateBackend implements OperatorStateBackend {
  /** Registration order = snapshot order. */
  private readonly lists = new Map<string, AnyList>();
  private readonly broadcasts = new Map<string, AnyBroadcast>();

  getListState<T extends StateValue>(name: string): ListState<T> {
    return this.list(name, 'SPLIT_DISTRIBUTE') as unknown as ListState<T>;
  }

  getUnionListState<T extends StateValue>(name: string): ListState<T> {
    return this.list(name, 'UNION') as unknown as ListState<T>;
  }

  getBroadcastState<K extends string | number, V extends StateValue>(name: string): BroadcastState<K, V> {
    return this.broadcast(name) as unknown as BroadcastState<K, V>;
  }

  private list(name: string, mode: OperatorStateMode): AnyList {
    const existing = this.lists.get(name);
    if (existing !== undefined) {
      if (existing.mode !== mode) {
        // Flink's DefaultOperatorStateBackend.checkStateNameAndMode
        throw new Error(
          'Incompatible state assignment modes. Was [' + existing.mode + '], registered with [' + mode + '].',
        );
      }
      return existing;
    }
    if (this.broadcasts.has(name)) {
      throw new Error('Operator state "' + name + '" is already registered as broadcast state');
    }
    const created: AnyList = new PartitionableListState<StateValue>(name, mode);
    this.lists.set(name, created);
    return created;
  }

  private broadcast(name: string): AnyBroadcast {
    const existing = this.broadcasts.get(name);
    if (existing !== undefined) return existing;
    const list = this.lists.get(name);
    if (list !== undefined) {
      throw new Error(
        'Incompatible state assignment modes. Was [' + list.mode + '], registered with [BROADCAST].',
      );
    }
    const created: AnyBroadcast = new HeapBroadcastState(name);
    this.broadcasts.set(name, created);
    return created;
  }

  /** Every registered state, empty ones included (as Flink writes them), lists first, in registration order. */
  snapshot(): OperatorStateHandle {
    const states: { name: string; mode: OperatorStateMode; elements: Uint8Array[] }[] = [];
    let stateSize = 0;
    for (const s of this.lists.values()) {
      const elements: Uint8Array[] = [];
      for (const v of s.list) {
        const bytes = encode(v);
        stateSize += bytes.length;
        elements.push(bytes);
      }
      states.push({ name: s.name, mode: s.mode, elements });
    }
    for (const s of this.broadcasts.values()) {
      const elements: Uint8Array[] = [];
      for (const [k, v] of s.map) {
        const bytes = encode([k, v]);
        stateSize += bytes.length;
        elements.push(bytes);
      }
      states.push({ name: s.name, mode: 'BROADCAST', elements });
    }
    return { kind: 'operator', states, stateSize };
  }

  /**
   * Replaces all contents with what the handles hold (the repartitioner already chose them, reference 4.3).
   * List elements are appended in handle order; broadcast entries are put in handle order (copies are
   * identical by contract, reference 4.4). Registered state objects stay valid.
   */
  restore(handles: readonly OperatorStateHandle[]): void {
    for (const h of handles) {
      if (h.kind !== 'operator') throw new TypeError('Not an operator state handle');
    }
    for (const s of this.lists.values()) s.list = [];
    for (const s of this.broadcasts.values()) s.map.clear();
    for (const h of handles) {
      for (const s of h.states) {
        if (s.mode === 'BROADCAST') {
          const b = this.broadcast(s.name);
          for (const bytes of s.elements) {
            const pair = decode(bytes);
            if (!Array.isArray(pair) || pair.length !== 2) {
              throw new TypeError(
                'Corrupt broadcast state "' + s.name + '": an entry must be a [key, value] pair',
              );
            }
            const [k, v] = pair as readonly StateValue[];
            if (typeof k !== 'string' && typeof k !== 'number') {
              throw new TypeError('Corrupt broadcast state "' + s.name + '": keys are strings or numbers');
            }
            b.map.set(k, v as StateValue);
          }
        } else {
          const l = this.list(s.name, s.mode);
          for (const bytes of s.elements) l.list.push(decode(bytes));
        }
      }
    }
  }

  stateSize(): number {
    let n = 0;
    for (const s of this.lists.values()) for (const v of s.list) n += encodedSize(v);
    // a broadcast entry is encoded as the array [k, v]: tag + varint(2) + k + v
    for (const s of this.broadcasts.values())
      for (const [k, v] of s.map) n += 2 + encodedSize(k) + encodedSize(v);
    return n;
  }

  /** Names of the registered states (restored ones included), lists first. */
  stateNames(): string[] {
    return [...this.lists.keys(), ...this.broadcasts.keys()];
  }
}
