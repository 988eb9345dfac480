import { describe, expect, it } from 'vitest';
import { Decoder } from './codec.ts';
import { readKeyGroupSection } from './keyGroupSection.ts';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeKeyGroupRangeForOperatorIndex,
} from './keyGroups.ts';
import { HashMapKeyedStateBackend } from './memoryBackend.ts';
import { compareKeyLike, compareTimers } from './timerQueue.ts';
import {
  type AggregatingStateDescriptor,
  type Key,
  type KeyedSnapshotRunner,
  type KeyedStateHandle,
  type KeyGroupRange,
  type KeyType,
  type Namespace,
  type ReducingStateDescriptor,
  type StateValue,
  type Timer,
  VOID_NAMESPACE,
} from './types.ts';

const MAXP = 128;
const FULL: KeyGroupRange = { start: 0, end: MAXP - 1 };

function newBackend(range: KeyGroupRange = FULL, keyType: KeyType = 'string', maxParallelism = MAXP) {
  return new HashMapKeyedStateBackend({ keyGroupRange: range, maxParallelism, keyType });
}

function at(b: HashMapKeyedStateBackend, key: Key, ns: Namespace = VOID_NAMESPACE): void {
  b.setCurrentKey(key, assignToKeyGroup(key, b.keyType, b.maxParallelism));
  b.setCurrentNamespace(ns);
}

const SUM: ReducingStateDescriptor<number> = { kind: 'reducing', name: 'sum', reduce: (a, b) => a + b };
type Acc = { n: number; s: number };
const AVG: AggregatingStateDescriptor<number, Acc, number> = {
  kind: 'aggregating',
  name: 'avg',
  createAccumulator: () => ({ n: 0, s: 0 }),
  add: (v, acc) => ({ n: acc.n + 1, s: acc.s + v }),
  getResult: (acc) => acc.s / acc.n,
};

function states(b: HashMapKeyedStateBackend) {
  return {
    value: b.getValueState<number>({ kind: 'value', name: 'value' }),
    list: b.getListState<StateValue>({ kind: 'list', name: 'list' }),
    map: b.getMapState<string | number, StateValue>({ kind: 'map', name: 'map' }),
    sum: b.getReducingState(SUM),
    avg: b.getAggregatingState(AVG),
  };
}

interface Dump {
  entries: Record<string, unknown>;
  timers: string[];
}

const fmt = (x: unknown) => JSON.stringify(x);

/** Decodes a handle into a flat, order-independent description (entries by state|kg|ns|key, timers sorted). */
function dump(h: KeyedStateHandle): Dump {
  const out: Dump = { entries: {}, timers: [] };
  for (let i = 0; i < h.offsets.length; i++) {
    const kg = h.keyGroupRange.start + i;
    const to = i + 1 < h.offsets.length ? h.offsets[i + 1]! : h.bytes.length;
    const section = readKeyGroupSection(new Decoder(h.bytes, h.offsets[i], to));
    for (const s of section.states) {
      for (const { namespace, entries } of s.namespaces) {
        for (const [key, payload] of entries) {
          out.entries[`${s.name}|${kg}|${fmt(namespace)}|${fmt(key)}`] =
            payload instanceof Map ? [...payload] : payload;
        }
      }
    }
    for (const t of section.timers) out.timers.push(`${fmt(t.key)}|${fmt(t.namespace)}|${t.timestamp}`);
  }
  out.timers.sort();
  return out;
}

/** Writes a snapshot taken right now. */
function writeNow(b: HashMapKeyedStateBackend, id = 999): KeyedStateHandle {
  return b.snapshot(id).write();
}

/** Pseudo-random stream (LCG) for deterministic property tests. */
function rng(seed: number) {
  let x = seed | 0;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return (x >>> 8) / 16777216;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}

function fill(b: HashMapKeyedStateBackend, keys: readonly Key[]): void {
  const s = states(b);
  keys.forEach((k, i) => {
    for (const ns of [VOID_NAMESPACE, 1000, 2000] as Namespace[]) {
      at(b, k, ns);
      s.value.update(i * 10 + (typeof ns === 'number' ? ns : 0));
      s.list.add(`e${i}`);
      s.list.add(i);
      s.map.put('u', i);
      s.map.put(7, { nested: [i, 'x'] });
      s.sum.add(i);
      s.sum.add(1);
      s.avg.add(i);
      b.registerEventTimeTimer(ns, 5000 + i);
    }
  });
}

const KEYS = Array.from({ length: 40 }, (_, i) => `user-${i}`);

describe('HashMapKeyedStateBackend: state primitives (reference 4.1)', () => {
  it('scopes every state to the current key and namespace', () => {
    const b = newBackend();
    const s = states(b);
    at(b, 'a');
    s.value.update(1);
    s.list.add('x');
    s.map.put('k', 'v');
    s.sum.add(5);
    s.avg.add(4);
    at(b, 'a', 1000);
    expect(s.value.value()).toBeUndefined();
    expect(s.list.get()).toEqual([]);
    expect(s.map.isEmpty()).toBe(true);
    s.sum.add(1);
    at(b, 'b');
    expect(s.value.value()).toBeUndefined();
    expect(s.sum.get()).toBeUndefined();
    at(b, 'a');
    expect(s.value.value()).toBe(1);
    expect(s.list.get()).toEqual(['x']);
    expect(s.map.get('k')).toBe('v');
    expect([...s.map.entries()]).toEqual([['k', 'v']]);
    expect([...s.map.keys()]).toEqual(['k']);
    expect([...s.map.values()]).toEqual(['v']);
    expect(s.map.contains('k')).toBe(true);
    expect(s.sum.get()).toBe(5);
    s.sum.add(2);
    expect(s.sum.get()).toBe(7);
    s.avg.add(6);
    expect(s.avg.get()).toBe(5);
    at(b, 'a', 1000);
    expect(s.sum.get()).toBe(1);
    expect(b.getCurrentKey()).toBe('a');
  });

  it('follows Flink on null and empty inputs', () => {
    const b = newBackend();
    const s = states(b);
    at(b, 'k');
    s.value.update(3);
    s.value.update(null as unknown as number); // heap ValueState: update(null) clears
    expect(s.value.value()).toBeUndefined();
    expect(() => s.list.add(null)).toThrow('You cannot add null to a ListState.');
    expect(() => s.list.addAll(['a', null])).toThrow('You cannot add null to a ListState.');
    expect(s.list.get()).toEqual([]);
    s.list.addAll(['a', 'b']);
    s.list.addAll([]);
    expect(s.list.get()).toEqual(['a', 'b']);
    s.list.update(['c']);
    expect(s.list.get()).toEqual(['c']);
    s.list.update([]); // empty update clears
    expect(s.list.get()).toEqual([]);
    s.sum.add(4);
    s.sum.add(null as unknown as number);
    expect(s.sum.get()).toBeUndefined();
    s.avg.add(4);
    s.avg.add(null as unknown as number);
    expect(s.avg.get()).toBeUndefined();
    s.map.put('x', null); // MapState may hold null values
    expect(s.map.contains('x')).toBe(true);
    expect(s.map.get('x')).toBeNull();
    s.map.remove('x'); // removing the last entry drops the key's map
    expect(s.map.isEmpty()).toBe(true);
    expect(writeNow(b).bytes.length).toBe(0);
  });

  it('update() and addAll() copy the caller array', () => {
    const b = newBackend();
    const s = states(b);
    at(b, 'k');
    const mine = ['a'];
    s.list.update(mine);
    s.list.add('b');
    s.list.addAll(mine);
    expect(mine).toEqual(['a']);
    expect(s.list.get()).toEqual(['a', 'b', 'a']);
  });

  it('caches state objects per name and rejects kind clashes', () => {
    const b = newBackend();
    const v1 = b.getValueState({ kind: 'value', name: 'x' });
    expect(b.getValueState({ kind: 'value', name: 'x' })).toBe(v1);
    expect(() => b.getListState({ kind: 'list', name: 'x' })).toThrow(/cannot be accessed as list state/);
    const r1 = b.getReducingState(SUM);
    const max: ReducingStateDescriptor<number> = {
      kind: 'reducing',
      name: 'sum',
      reduce: (a, c) => Math.max(a, c),
    };
    expect(b.getReducingState(max)).toBe(r1);
    at(b, 'k');
    r1.add(3);
    r1.add(2);
    expect(r1.get()).toBe(3); // the latest descriptor's function is used
  });

  it('checks the key group and the key type of the current key', () => {
    const b = newBackend({ start: 0, end: 63 });
    expect(() => b.setCurrentKey('x', 64)).toThrow(
      'Key group 64 is not in KeyGroupRange{startKeyGroup=0, endKeyGroup=63}. Unless you',
    );
    expect(() => b.setCurrentKey(5, 3)).toThrow(/does not match the key type string/);
    expect(() => b.getCurrentKey()).toThrow(/No current key/);
    expect(() => b.getValueState({ kind: 'value', name: 'v' }).update(1)).toThrow(/No current key/);
    expect(b.prefetch(['x'], [1])).toBeNull();
  });
});

describe('timers', () => {
  it('polls in (timestamp, key, namespace) order whatever the registration order, with dedup', () => {
    const timers: [Key, Namespace, number][] = [];
    for (const k of ['b', 'a', 'ä', 'B'])
      for (const ns of [2000, VOID_NAMESPACE, 1000])
        for (const ts of [30, 10, 20]) {
          timers.push([k, ns, ts]);
        }
    const orders = [
      timers,
      [...timers].reverse(),
      timers.filter((_, i) => i % 2 === 0).concat(timers.filter((_, i) => i % 2 === 1)),
    ];
    const polled = orders.map((order) => {
      const b = newBackend();
      for (const [k, ns, ts] of order) {
        at(b, k);
        b.registerEventTimeTimer(ns, ts);
        b.registerEventTimeTimer(ns, ts); // duplicate: ignored
      }
      expect(b.stats().timers).toBe(timers.length);
      expect(b.nextTimerTimestamp()).toBe(10);
      const out: string[] = [];
      expect(b.pollTimer(9)).toBeNull();
      let t: Timer | null;
      while ((t = b.pollTimer(25)) !== null)
        out.push(`${t.timestamp}|${String(t.key)}|${String(t.namespace)}`);
      expect(b.nextTimerTimestamp()).toBe(30);
      while ((t = b.pollTimer(Number.MAX_SAFE_INTEGER)) !== null) {
        expect(t.keyGroup).toBe(assignToKeyGroup(t.key, 'string', MAXP));
        out.push(`${t.timestamp}|${String(t.key)}|${String(t.namespace)}`);
      }
      expect(b.nextTimerTimestamp()).toBeNull();
      expect(b.stats().timers).toBe(0);
      return out;
    });
    expect(polled[1]).toEqual(polled[0]);
    expect(polled[2]).toEqual(polled[0]);
    expect(polled[0]!.slice(0, 6)).toEqual([
      '10|B|1000',
      '10|B|2000',
      '10|B|VoidNamespace',
      '10|a|1000',
      '10|a|2000',
      '10|a|VoidNamespace',
    ]);
    expect(polled[0]).toHaveLength(timers.length);
  });

  it('orders numbers before strings, then naturally', () => {
    expect(compareKeyLike(5, 'a')).toBeLessThan(0);
    expect(compareKeyLike('a', 5)).toBeGreaterThan(0);
    expect(compareKeyLike(-3, 2)).toBeLessThan(0);
    expect(compareKeyLike('b', 'a')).toBeGreaterThan(0);
    const t = (key: Key, namespace: Namespace, timestamp: number): Timer => ({
      key,
      namespace,
      timestamp,
      keyGroup: 0,
    });
    expect(compareTimers(t(9, 'x', 1), t(1, 'x', 2))).toBeLessThan(0);
    expect(compareTimers(t(1, 'x', 1), t(2, 0, 1))).toBeLessThan(0);
    expect(compareTimers(t(1, 5, 1), t(1, 'VoidNamespace', 1))).toBeLessThan(0);
  });

  it('deletes timers of the current key only', () => {
    const b = newBackend({ start: 0, end: 127 }, 'int');
    at(b, 1);
    b.registerEventTimeTimer(VOID_NAMESPACE, 100);
    b.registerEventTimeTimer(VOID_NAMESPACE, 50);
    at(b, 2);
    b.registerEventTimeTimer(VOID_NAMESPACE, 100);
    b.deleteEventTimeTimer(VOID_NAMESPACE, 50); // key 2 has no such timer
    at(b, 1);
    b.deleteEventTimeTimer(VOID_NAMESPACE, 100);
    b.deleteEventTimeTimer(VOID_NAMESPACE, 100);
    const out: string[] = [];
    let t: Timer | null;
    while ((t = b.pollTimer(1000)) !== null) out.push(`${String(t.key)}@${t.timestamp}`);
    expect(out).toEqual(['1@50', '2@100']);
    expect(() => b.registerEventTimeTimer(VOID_NAMESPACE, NaN)).toThrow(/timestamp/);
  });
});

describe('copy-on-write snapshots', () => {
  it('write() after heavy mutation produces exactly the state of the snapshot instant', () => {
    const b = newBackend();
    fill(b, KEYS);
    const s = states(b);
    const runner = b.snapshot(1);
    const expected = writeNow(b, 2); // an immediate write of the same instant
    expect(expected.bytes.length).toBeGreaterThan(1000);

    // mutate in every way: overwrite, add, remove, clear, new keys, new namespaces, new states, timers
    KEYS.forEach((k, i) => {
      at(b, k);
      if (i % 5 === 0) s.value.clear();
      else s.value.update(-i);
      s.list.add('more');
      if (i % 3 === 0) s.list.update(['replaced']);
      if (i % 4 === 0) s.list.clear();
      s.map.put('u', 'changed');
      s.map.put('new', i);
      s.map.remove(7);
      if (i % 6 === 0) s.map.clear();
      s.sum.add(100);
      if (i % 7 === 0) s.sum.clear();
      s.avg.add(1000);
      if (i % 2 === 0) b.deleteEventTimeTimer(VOID_NAMESPACE, 5000 + i);
      b.registerEventTimeTimer(3000, 1);
      at(b, k, 3000);
      s.value.update(i);
      s.list.addAll([1, 2]);
    });
    for (let i = 0; i < 5; i++) b.pollTimer(5002);
    at(b, 'brand-new');
    b.getValueState<string>({ kind: 'value', name: 'late-state' }).update('x');
    s.list.add('y');

    const later = writeNow(b, 3);
    expect(later.bytes).not.toEqual(expected.bytes);
    const h = runner.write();
    expect(h.bytes).toEqual(expected.bytes);
    expect(h.offsets).toEqual(expected.offsets);
    expect(h.stateSize).toBe(h.bytes.length);
    expect(h.checkpointedSize).toBe(h.bytes.length);
    expect(runner.write()).toBe(h); // idempotent
    expect(b.liveSnapshotCount).toBe(0);
    // and the live state kept every mutation
    expect(writeNow(b, 4).bytes).toEqual(later.bytes);
    at(b, KEYS[1]!);
    expect(s.value.value()).toBe(-1);
    expect(s.map.get('u')).toBe('changed');
    expect(s.list.get()).toEqual(['e1', 1, 'more']);
  });

  it('keeps two overlapping snapshots independent', () => {
    const b = newBackend();
    const s = states(b);
    fill(b, KEYS.slice(0, 10));
    const r1 = b.snapshot(1);
    const e1 = writeNow(b);
    at(b, KEYS[0]!);
    s.list.add('after-1');
    s.map.put('after', 1);
    s.value.update(111);
    const r2 = b.snapshot(2);
    const e2 = writeNow(b);
    at(b, KEYS[0]!);
    s.list.add('after-2');
    s.map.put('after', 2);
    at(b, KEYS[1]!);
    s.value.clear();
    expect(b.liveSnapshotCount).toBe(2);
    expect(r2.write().bytes).toEqual(e2.bytes);
    at(b, KEYS[0]!);
    s.list.add('after-write-2'); // only r1 is live now
    s.map.clear();
    expect(r1.write().bytes).toEqual(e1.bytes);
    expect(dump(e1)).not.toEqual(dump(e2));
    expect(b.liveSnapshotCount).toBe(0);
    at(b, KEYS[0]!);
    expect(s.list.get().slice(-3)).toEqual(['after-1', 'after-2', 'after-write-2']);
  });

  it('discard() releases the frozen view; a discarded snapshot cannot be written', () => {
    const b = newBackend();
    fill(b, KEYS.slice(0, 3));
    const r = b.snapshot(7);
    expect(r.checkpointId).toBe(7);
    expect(b.liveSnapshotCount).toBe(1);
    r.discard();
    r.discard();
    expect(b.liveSnapshotCount).toBe(0);
    expect(() => r.write()).toThrow(/discarded/);
  });

  it('survives clear() and restore() while a snapshot is live', () => {
    const b = newBackend();
    fill(b, KEYS.slice(0, 8));
    const r = b.snapshot(1);
    const e = writeNow(b);
    b.clear();
    expect(b.stats()).toEqual({ bytes: 0, keys: 0, timers: 0, perKeyGroup: [] });
    expect(b.pollTimer(Number.MAX_SAFE_INTEGER)).toBeNull();
    fill(b, ['other']);
    expect(r.write().bytes).toEqual(e.bytes);
    b.restore([e]);
    expect(writeNow(b).bytes).toEqual(e.bytes);
  });

  it('matches a reference model under random operations, snapshots, writes, discards and restores', () => {
    for (const seed of [1, 2, 3]) runModel(seed, 2500);
  });
});

type ModelValue = number | StateValue[] | Map<string | number, StateValue> | Acc;

function copyModel(m: Map<string, ModelValue>): Map<string, ModelValue> {
  const out = new Map<string, ModelValue>();
  for (const [k, v] of m) {
    out.set(k, Array.isArray(v) ? v.slice() : v instanceof Map ? new Map(v) : v);
  }
  return out;
}

function runModel(seed: number, steps: number): void {
  const r = rng(seed);
  const b = newBackend();
  const s = states(b);
  const keys = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? `ключ-${i}` : `k${i}`));
  const namespaces: Namespace[] = [VOID_NAMESPACE, 1000, 2000];
  const userKeys: (string | number)[] = ['u1', 'u2', 3];

  let model = new Map<string, ModelValue>(); // `${state}|${fmt(ns)}|${fmt(key)}`
  let modelTimers = new Map<string, Timer>(); // `${fmt(key)}|${fmt(ns)}|${ts}`
  const pending: {
    runner: KeyedSnapshotRunner;
    entries: Map<string, ModelValue>;
    timers: Map<string, Timer>;
  }[] = [];
  const written: {
    handle: KeyedStateHandle;
    entries: Map<string, ModelValue>;
    timers: Map<string, Timer>;
  }[] = [];

  const toDump = (entries: Map<string, ModelValue>, timers: Map<string, Timer>): Dump => {
    const out: Dump = { entries: {}, timers: [] };
    for (const [id, v] of entries) {
      const [state, nsJson, keyJson] = id.split('|') as [string, string, string];
      const kg = assignToKeyGroup(JSON.parse(keyJson) as Key, 'string', MAXP);
      out.entries[`${state}|${kg}|${nsJson}|${keyJson}`] = v instanceof Map ? [...v] : v;
    }
    for (const t of timers.values()) out.timers.push(`${fmt(t.key)}|${fmt(t.namespace)}|${t.timestamp}`);
    out.timers.sort();
    return out;
  };

  for (let step = 0; step < steps; step++) {
    const key = r.pick(keys);
    const ns = r.pick(namespaces);
    at(b, key, ns);
    const id = (state: string) => `${state}|${fmt(ns)}|${fmt(key)}`;
    const op = r.int(22);
    const n = r.int(1000) - 500;
    switch (op) {
      case 0:
        s.value.update(n);
        model.set(id('value'), n);
        break;
      case 1:
        s.value.clear();
        model.delete(id('value'));
        break;
      case 2: {
        s.list.add(n);
        const cur = model.get(id('list')) as StateValue[] | undefined;
        if (cur) cur.push(n);
        else model.set(id('list'), [n]);
        break;
      }
      case 3: {
        const xs = Array.from({ length: r.int(3) }, (_, i) => `x${i}`);
        s.list.addAll(xs);
        const cur = model.get(id('list')) as StateValue[] | undefined;
        if (cur) cur.push(...xs);
        else if (xs.length > 0) model.set(id('list'), xs.slice());
        break;
      }
      case 4: {
        const xs = Array.from({ length: r.int(3) }, (_, i) => i * n);
        s.list.update(xs);
        if (xs.length > 0) model.set(id('list'), xs.slice());
        else model.delete(id('list'));
        break;
      }
      case 5:
        s.list.clear();
        model.delete(id('list'));
        break;
      case 6:
      case 7: {
        const uk = r.pick(userKeys);
        s.map.put(uk, n);
        const cur = model.get(id('map')) as Map<string | number, StateValue> | undefined;
        if (cur) cur.set(uk, n);
        else model.set(id('map'), new Map([[uk, n]]));
        break;
      }
      case 8: {
        const uk = r.pick(userKeys);
        s.map.remove(uk);
        const cur = model.get(id('map')) as Map<string | number, StateValue> | undefined;
        if (cur) {
          cur.delete(uk);
          if (cur.size === 0) model.delete(id('map'));
        }
        break;
      }
      case 9:
        s.map.clear();
        model.delete(id('map'));
        break;
      case 10: {
        s.sum.add(n);
        const cur = model.get(id('sum')) as number | undefined;
        model.set(id('sum'), cur === undefined ? n : cur + n);
        break;
      }
      case 11: {
        s.avg.add(n);
        const cur = (model.get(id('avg')) as Acc | undefined) ?? { n: 0, s: 0 };
        model.set(id('avg'), { n: cur.n + 1, s: cur.s + n });
        break;
      }
      case 12:
        if (r.next() < 0.5) {
          s.sum.clear();
          model.delete(id('sum'));
        } else {
          s.avg.clear();
          model.delete(id('avg'));
        }
        break;
      case 13:
      case 14: {
        const ts = r.int(50);
        b.registerEventTimeTimer(ns, ts);
        modelTimers.set(`${fmt(key)}|${fmt(ns)}|${ts}`, { key, namespace: ns, timestamp: ts, keyGroup: 0 });
        break;
      }
      case 15: {
        const ts = r.int(50);
        b.deleteEventTimeTimer(ns, ts);
        modelTimers.delete(`${fmt(key)}|${fmt(ns)}|${ts}`);
        break;
      }
      case 16: {
        const wm = r.int(12);
        const expected = [...modelTimers.values()].filter((t) => t.timestamp <= wm).sort(compareTimers);
        for (const e of expected) {
          const t = b.pollTimer(wm);
          expect(t && `${fmt(t.key)}|${fmt(t.namespace)}|${t.timestamp}`).toBe(
            `${fmt(e.key)}|${fmt(e.namespace)}|${e.timestamp}`,
          );
          modelTimers.delete(`${fmt(e.key)}|${fmt(e.namespace)}|${e.timestamp}`);
        }
        expect(b.pollTimer(wm)).toBeNull();
        break;
      }
      case 17:
        pending.push({ runner: b.snapshot(step), entries: copyModel(model), timers: new Map(modelTimers) });
        break;
      case 18:
      case 19: {
        if (pending.length === 0) break;
        const [p] = pending.splice(r.int(pending.length), 1);
        if (r.next() < 0.2) {
          p!.runner.discard();
          break;
        }
        const handle = p!.runner.write();
        expect(dump(handle)).toEqual(toDump(p!.entries, p!.timers));
        written.push({ handle, entries: p!.entries, timers: p!.timers });
        break;
      }
      case 20: {
        // reads agree with the model
        expect(s.value.value()).toBe(model.get(id('value')));
        expect(s.list.get()).toEqual(model.get(id('list')) ?? []);
        expect([...s.map.entries()]).toEqual([...((model.get(id('map')) as Map<string, StateValue>) ?? [])]);
        expect(s.sum.get()).toBe(model.get(id('sum')));
        const acc = model.get(id('avg')) as Acc | undefined;
        expect(s.avg.get()).toBe(acc === undefined ? undefined : acc.s / acc.n);
        // stats: real bytes of a snapshot taken now, distinct keys, timers
        const st = b.stats();
        const now = writeNow(b);
        expect(st.bytes).toBe(now.bytes.length);
        const keysWithState = new Set([...model.keys()].map((k) => k.split('|')[2]));
        expect(st.keys).toBe(keysWithState.size);
        expect(st.timers).toBe(modelTimers.size);
        break;
      }
      case 21: {
        if (r.next() < 0.5 && written.length > 0) {
          const w = r.pick(written);
          b.restore([w.handle]);
          model = copyModel(w.entries);
          modelTimers = new Map(w.timers);
        } else if (r.next() < 0.2) {
          b.clear();
          model = new Map();
          modelTimers = new Map();
        }
        break;
      }
    }
  }
  for (const p of pending) {
    expect(dump(p.runner.write())).toEqual(toDump(p.entries, p.timers));
  }
  expect(b.liveSnapshotCount).toBe(0);
  expect(written.length).toBeGreaterThan(10);
  expect(dump(writeNow(b))).toEqual(toDump(model, modelTimers));
}

describe('stats', () => {
  it('reports the real encoded bytes of each key group section and distinct keys', () => {
    const b = newBackend();
    fill(b, KEYS);
    at(b, 'timer-only');
    b.registerEventTimeTimer(VOID_NAMESPACE, 1);
    const st = b.stats();
    expect(b.stats()).toBe(st); // cached until the next write
    const h = writeNow(b);
    expect(st.bytes).toBe(h.bytes.length);
    expect(st.keys).toBe(KEYS.length);
    expect(st.timers).toBe(KEYS.length * 3 + 1);
    const sections = h.offsets
      .map((o, i) => ({
        keyGroup: h.keyGroupRange.start + i,
        bytes: (i + 1 < h.offsets.length ? h.offsets[i + 1]! : h.bytes.length) - o,
      }))
      .filter((x) => x.bytes > 0);
    expect(st.perKeyGroup.map(({ keyGroup, bytes }) => ({ keyGroup, bytes }))).toEqual(sections);
    const kgTimerOnly = assignToKeyGroup('timer-only', 'string', MAXP);
    const timerOnly = st.perKeyGroup.find((g) => g.keyGroup === kgTimerOnly)!;
    expect(timerOnly.bytes).toBeGreaterThan(0);
    const keysInGroup = KEYS.filter((k) => assignToKeyGroup(k, 'string', MAXP) === kgTimerOnly).length;
    expect(timerOnly.keys).toBe(keysInGroup);
    expect(st.perKeyGroup.reduce((n, g) => n + g.keys, 0)).toBe(KEYS.length);

    at(b, KEYS[0]!);
    states(b).list.add('grow');
    const st2 = b.stats();
    expect(st2).not.toBe(st);
    expect(st2.bytes).toBe(writeNow(b).bytes.length);
    expect(st2.bytes - st.bytes).toBe(6); // one more list element: string tag + length byte + 'grow'
  });
});

describe('restore and rescaling (reference 4.6)', () => {
  function subtasks(p: number, keyType: KeyType, maxP = MAXP): HashMapKeyedStateBackend[] {
    return Array.from({ length: p }, (_, i) =>
      newBackend(computeKeyGroupRangeForOperatorIndex(maxP, p, i), keyType, maxP),
    );
  }

  function route(bs: HashMapKeyedStateBackend[], key: Key): HashMapKeyedStateBackend {
    const b0 = bs[0]!;
    return bs[assignKeyToParallelOperator(key, b0.keyType, b0.maxParallelism, bs.length)]!;
  }

  function populate(bs: HashMapKeyedStateBackend[], keys: readonly Key[]): void {
    keys.forEach((k, i) => {
      const b = route(bs, k);
      const s = states(b);
      for (const ns of [VOID_NAMESPACE, 60_000 * (i % 3)] as Namespace[]) {
        at(b, k, ns);
        s.value.update(i);
        s.list.addAll([`a${i}`, i]);
        s.map.put('m', [i, String(k)]);
        s.sum.add(i);
        s.avg.add(i);
        b.registerEventTimeTimer(ns, 1000 + (i % 7));
      }
    });
  }

  function expectState(bs: HashMapKeyedStateBackend[], keys: readonly Key[]): void {
    keys.forEach((k, i) => {
      const b = route(bs, k);
      const s = states(b);
      for (const ns of [VOID_NAMESPACE, 60_000 * (i % 3)] as Namespace[]) {
        at(b, k, ns);
        expect(s.value.value()).toBe(i);
        expect(s.list.get()).toEqual([`a${i}`, i]);
        expect(s.map.get('m')).toEqual([i, String(k)]);
        expect(s.sum.get()).toBe(i);
        expect(s.avg.get()).toBe(i);
      }
    });
    // every timer comes back exactly once, at the subtask owning its key
    const fired: string[] = [];
    bs.forEach((b) => {
      let t: Timer | null;
      while ((t = b.pollTimer(Number.MAX_SAFE_INTEGER)) !== null) {
        expect(route(bs, t.key)).toBe(b);
        fired.push(`${fmt(t.key)}|${fmt(t.namespace)}|${t.timestamp}`);
      }
    });
    const expected = keys.flatMap((k, i) =>
      [VOID_NAMESPACE, 60_000 * (i % 3)].map((ns) => `${fmt(k)}|${fmt(ns)}|${1000 + (i % 7)}`),
    );
    expect(fired.sort()).toEqual([...new Set(expected)].sort());
  }

  const cases: [string, KeyType, Key[], number, number][] = [
    ['string keys, p=2 -> 3', 'string', KEYS, 2, 3],
    ['string keys, p=4 -> 1', 'string', KEYS, 4, 1],
    ['string keys, same parallelism', 'string', KEYS, 3, 3],
    ['int keys, p=2 -> 3', 'int', [0, 1, -1, 42, 2147483647, -2147483648, 7, 8, 9, 1000], 2, 3],
    ['long keys, p=4 -> 1', 'long', [0, -1, 2 ** 32, -(2 ** 32) - 1, 2 ** 53 - 1, 123456789012, 5, 6], 4, 1],
  ];

  it.each(cases)('%s preserves every key and timer', (_, keyType, keys, from, to) => {
    const old = subtasks(from, keyType);
    populate(old, keys);
    const handles = old.map((b, i) => b.snapshot(10 + i).write());
    const before = old.reduce((n, b) => n + b.stats().keys, 0);
    expect(before).toBe(keys.length);
    const fresh = subtasks(to, keyType);
    for (const b of fresh) b.restore(handles);
    expect(fresh.reduce((n, b) => n + b.stats().keys, 0)).toBe(keys.length);
    expect(fresh.reduce((n, b) => n + b.stats().bytes, 0)).toBe(
      handles.reduce((n, h) => n + h.bytes.length, 0),
    );
    expectState(fresh, keys);
  });

  it('takes only the key groups inside its range', () => {
    const [whole] = subtasks(1, 'string');
    populate([whole!], KEYS);
    const h = whole!.snapshot(1).write();
    const half = newBackend({ start: 64, end: 127 });
    half.restore([h]);
    const inside = KEYS.filter((k) => assignToKeyGroup(k, 'string', MAXP) >= 64);
    expect(half.stats().keys).toBe(inside.length);
    expect(half.stats().perKeyGroup.every((g) => g.keyGroup >= 64)).toBe(true);
  });

  it('rejects a snapshot taken with another maxParallelism (Flink message)', () => {
    const a = newBackend({ start: 0, end: 255 }, 'string', 256);
    at(a, 'k');
    states(a).value.update(1);
    const h = a.snapshot(1).write();
    const b = newBackend();
    at(b, 'keep');
    states(b).value.update(2);
    expect(() => b.restore([h])).toThrow(
      'The maximum parallelism (256) with which the latest checkpoint of the execution job vertex has been taken' +
        ' and the current maximum parallelism (128) changed. This is currently not supported.',
    );
    expect(b.stats().keys).toBe(1); // untouched
    const named = new HashMapKeyedStateBackend({
      keyGroupRange: FULL,
      maxParallelism: MAXP,
      keyType: 'string',
      operatorName: 'counter',
    });
    expect(() => named.restore([h])).toThrow(/execution job vertex counter has been taken/);
    const ints = newBackend(FULL, 'int');
    expect(() => ints.restore([writeNow(b)])).toThrow(/string keys, the operator uses int keys/);
  });

  it('rejects a key stored under the wrong key group', () => {
    const b = newBackend();
    at(b, 'k');
    states(b).value.update(1);
    const h = writeNow(b);
    const kg = assignToKeyGroup('k', 'string', MAXP);
    const target = kg === 0 ? 1 : kg - 1;
    // the only non-empty section now claims to be key group `target`
    const moved: KeyedStateHandle = {
      ...h,
      offsets: h.offsets.map((_, i) => (i <= target ? 0 : h.bytes.length)),
    };
    expect(() => newBackend().restore([moved])).toThrow(
      `Corrupt keyed snapshot: key "k" found in key group ${target} belongs to ${kg}`,
    );
    expect(() => newBackend().restore([h, h])).toThrow(/present in more than one state handle/);
  });
});
