/**
 * The IndexedDB (LSM) backend against the HashMap backend: the same operations give the same reads, through
 * flushes, compactions, snapshots (full and incremental) and restores, also rescaled. State really lives in
 * IndexedDB (fake-indexeddb in Node).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../keyGroups.ts';
import { HashMapKeyedStateBackend } from '../memoryBackend.ts';
import type { KeyedStateBackend, KeyedStateHandle, KeyGroupRange, StateValue } from '../types.ts';
import { ZERO_IO_COST } from './costModel.ts';
import { type LsmKeyedStateHandle, sharedRuns } from './handles.ts';
import { DEFAULT_LSM_CONFIG, type LsmConfig, type LsmEnv, LsmKeyedStateBackend } from './lsmBackend.ts';

const MAXP = 128;
const FULL: KeyGroupRange = { start: 0, end: MAXP - 1 };
const SMALL: LsmConfig = {
  ...DEFAULT_LSM_CONFIG,
  writeBufferBytes: 2048,
  blockCacheBytes: 4096,
  blockSize: 512,
  level0Trigger: 3,
  levelBaseBytes: 8192,
};

class Clock implements LsmEnv {
  t = 0;
  now(): number {
    return this.t;
  }
  timerHorizon(): number {
    return Number.NEGATIVE_INFINITY;
  }
  stateWriteFailed(_b: LsmKeyedStateBackend, message: string): void {
    throw new Error(message);
  }
}

let nextLabel = 0;
function lsm(range = FULL, cfg: Partial<LsmConfig> = {}, env = new Clock()): LsmKeyedStateBackend {
  return new LsmKeyedStateBackend(
    { keyGroupRange: range, maxParallelism: MAXP, keyType: 'string' },
    { ...SMALL, ...cfg },
    env,
    `test${nextLabel++}`,
  );
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function settle(io: { promise: Promise<void>; settled: boolean; error: unknown } | null | void) {
  if (!io) return;
  await io.promise;
  if (io.error) throw io.error as Error;
}

/** Applies one random operation on key `key` to a backend; returns what it read. */
function op(b: KeyedStateBackend, key: string, r: number, ns: number): unknown {
  b.setCurrentKey(key, assignToKeyGroup(key, 'string', MAXP));
  b.setCurrentNamespace(ns % 3 === 0 ? 'VoidNamespace' : ns);
  const v = b.getValueState<StateValue>({ kind: 'value', name: 'v' });
  const l = b.getListState<StateValue>({ kind: 'list', name: 'l' });
  const m = b.getMapState<string, StateValue>({ kind: 'map', name: 'm' });
  const red = b.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, c) => a + c });
  const agg = b.getAggregatingState<number, number, string>({
    kind: 'aggregating',
    name: 'a',
    createAccumulator: () => 0,
    add: (x, acc) => acc + x,
    getResult: (acc) => `sum=${acc}`,
  });
  const k = Math.floor(r * 1000);
  switch (k % 12) {
    case 0:
      v.update({ n: k, s: 'x'.repeat(k % 17) });
      break;
    case 1:
      v.clear();
      break;
    case 2:
      l.add(k);
      break;
    case 3:
      l.update(k % 2 ? [] : [1, 2, k]);
      break;
    case 4:
      m.put(`f${k % 5}`, k);
      break;
    case 5:
      m.remove(`f${k % 5}`);
      break;
    case 6:
      red.add(k);
      break;
    case 7:
      agg.add(k);
      break;
    case 8:
      b.registerEventTimeTimer(ns, 1000 + (k % 50));
      break;
    case 9:
      b.deleteEventTimeTimer(ns, 1000 + (k % 50));
      break;
    case 10:
      red.clear();
      break;
    default:
      agg.clear();
  }
  return [v.value(), l.get(), [...m.entries()], m.isEmpty(), red.get(), agg.get(), b.nextTimerTimestamp()];
}

function readAll(b: KeyedStateBackend, keys: readonly string[]): unknown[] {
  const out: unknown[] = [];
  for (const key of keys) {
    const kg = assignToKeyGroup(key, 'string', MAXP);
    if (kg < b.keyGroupRange.start || kg > b.keyGroupRange.end) continue;
    for (const ns of [0, 1, 2, 4, 5]) {
      b.setCurrentKey(key, kg);
      b.setCurrentNamespace(ns % 3 === 0 ? 'VoidNamespace' : ns);
      out.push([
        key,
        ns,
        b.getValueState({ kind: 'value', name: 'v' }).value(),
        b.getListState({ kind: 'list', name: 'l' }).get(),
        [...b.getMapState({ kind: 'map', name: 'm' }).entries()],
        b.getReducingState<number>({ kind: 'reducing', name: 'r', reduce: (a, c) => a + c }).get(),
      ]);
    }
  }
  return out;
}

function timersOf(b: KeyedStateBackend): unknown[] {
  const out: unknown[] = [];
  for (let t = b.pollTimer(Number.MAX_SAFE_INTEGER); t !== null; t = b.pollTimer(Number.MAX_SAFE_INTEGER))
    out.push([t.key, t.namespace, t.timestamp]);
  return out;
}

/** As the runtime does: the turn runs once its prefetch finds everything in memory. */
async function load(b: LsmKeyedStateBackend, keys: readonly string[]): Promise<void> {
  const kgs = keys.map((k) => assignToKeyGroup(k, 'string', MAXP));
  for (let io = b.prefetch(keys, kgs); io !== null; io = b.prefetch(keys, kgs)) await settle(io);
}

async function prefetchAll(b: LsmKeyedStateBackend, keys: readonly string[]): Promise<void> {
  await load(
    b,
    keys.filter((k) => {
      const kg = assignToKeyGroup(k, 'string', MAXP);
      return kg >= b.keyGroupRange.start && kg <= b.keyGroupRange.end;
    }),
  );
}

const KEYS = Array.from({ length: 60 }, (_, i) => `key-${i}`);

/** Drives both backends with the same random operations; checks every read on the way. */
async function drive(
  mem: KeyedStateBackend,
  b: LsmKeyedStateBackend,
  seed: number,
  n: number,
  clock?: Clock,
) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const key = KEYS[Math.floor(r() * KEYS.length)] as string;
    const x = r();
    const ns = Math.floor(r() * 6);
    if (clock) clock.t += 1000;
    await load(b, [key]);
    expect(op(b, key, x, ns)).toEqual(op(mem, key, x, ns));
  }
}

describe('IndexedDB (LSM) state backend', () => {
  it('gives the HashMap backend results for every state kind through flushes and compactions', async () => {
    const clock = new Clock();
    const mem = new HashMapKeyedStateBackend({
      keyGroupRange: FULL,
      maxParallelism: MAXP,
      keyType: 'string',
    });
    const b = lsm(FULL, {}, clock);
    await drive(mem, b, 7, 3000, clock);
    const s = b.lsmStats();
    expect(s.flushes).toBeGreaterThan(5);
    expect(s.compactions).toBeGreaterThan(0);
    expect(s.cacheMisses).toBeGreaterThan(0);
    expect(s.bytesWritten).toBeGreaterThan(0);
    await prefetchAll(b, KEYS);
    expect(readAll(b, KEYS)).toEqual(readAll(mem, KEYS));
    expect(timersOf(b)).toEqual(timersOf(mem));
  });

  it('keeps the state in IndexedDB: the block cache stays bounded while the state grows', async () => {
    const clock = new Clock();
    const mem = new HashMapKeyedStateBackend({
      keyGroupRange: FULL,
      maxParallelism: MAXP,
      keyType: 'string',
    });
    const b = lsm(FULL, { blockCacheBytes: 1024 }, clock);
    await drive(mem, b, 11, 1500, clock);
    const s = b.lsmStats();
    expect(s.cacheBytes).toBeLessThanOrEqual(1024 + 2 * SMALL.blockSize * 4);
    expect(b.stats().bytes).toBeGreaterThan(s.cacheBytes);
    expect(s.bytesRead).toBeGreaterThan(0);
  });

  it('a compaction into the bottom level drops overwritten values and tombstones', async () => {
    const clock = new Clock();
    const b = lsm(FULL, { level0Trigger: 2, writeBufferBytes: 128 }, clock);
    const key = 'k';
    const kg = assignToKeyGroup(key, 'string', MAXP);
    for (let i = 0; i < 400; i++) {
      clock.t += 10_000;
      await load(b, [key]);
      b.setCurrentKey(key, kg);
      b.setCurrentNamespace(i % 37);
      const v = b.getValueState<number>({ kind: 'value', name: 'v' });
      if (i % 3 !== 2) v.update(i);
      else v.clear();
    }
    clock.t += 10_000_000;
    await load(b, [key]);
    const runs = b.tree.allRuns();
    const entries = runs.reduce((n, r) => n + r.entries, 0);
    expect(b.lsmStats().compactions).toBeGreaterThan(0);
    // 37 namespaces written ~11 times each: at most one entry per namespace per run remains.
    expect(b.lsmStats().flushes).toBeGreaterThan(10);
    expect(entries).toBeLessThan(37 * runs.length + 1);
    expect(entries).toBeLessThan(150);
  });

  for (const incremental of [false, true]) {
    it(`restores from ${incremental ? 'incremental' : 'full'} checkpoints the state of the snapshot, also rescaled`, async () => {
      const clock = new Clock();
      const mem = new HashMapKeyedStateBackend({
        keyGroupRange: FULL,
        maxParallelism: MAXP,
        keyType: 'string',
      });
      const b = lsm(FULL, { incremental }, clock);
      let last: LsmKeyedStateHandle | null = null;
      let referenced = 0;
      for (let cp = 1; cp <= 6; cp++) {
        await drive(mem, b, 100 + cp, 400, clock);
        const runner = b.snapshot(cp);
        const h = runner.write() as LsmKeyedStateHandle;
        await settle(runner.writeIo);
        b.notifyCheckpointComplete(cp);
        if (!incremental || cp === 1) expect(h.checkpointedSize).toBe(h.stateSize);
        else if (h.incremental) {
          referenced++;
          expect(h.checkpointedSize).toBeLessThan(h.stateSize);
          expect(sharedRuns(h).some((r) => !r.uploaded)).toBe(true);
        }
        for (const r of sharedRuns(h)) expect(r.bytes.length).toBe(r.size);
        last = h;
        // writes after the snapshot must not show in it
        if (cp < 6) await drive(mem, b, 900 + cp, 20, clock);
      }
      expect(b.lsmStats().compactions).toBeGreaterThan(0);
      if (incremental) expect(referenced).toBeGreaterThan(0);
      // The reference: replay the same operations on a fresh memory backend up to the snapshot.
      const refMem = new HashMapKeyedStateBackend({
        keyGroupRange: FULL,
        maxParallelism: MAXP,
        keyType: 'string',
      });
      const refLsm = lsm(FULL, { incremental }, new Clock());
      for (let cp = 1; cp <= 6; cp++) {
        await drive(refMem, refLsm, 100 + cp, 400);
        if (cp < 6) await drive(refMem, refLsm, 900 + cp, 20);
      }
      const expected = readAll(refMem, KEYS);
      const expectedTimers = timersOf(refMem);
      const handle = last as LsmKeyedStateHandle;
      // Same parallelism: the runs are adopted as they are.
      const same = lsm(FULL, { incremental });
      await settle(same.restore([handle]));
      await prefetchAll(same, KEYS);
      expect(readAll(same, KEYS)).toEqual(expected);
      expect(timersOf(same)).toEqual(expectedTimers);
      // Rescale to 3 subtasks and back to 1: every key group once, same state.
      const parts = [0, 1, 2].map((i) => computeKeyGroupRangeForOperatorIndex(MAXP, 3, i));
      const restored = parts.map((r) => lsm(r, { incremental }));
      for (const p of restored) await settle(p.restore([handle]));
      const got: unknown[] = [];
      const gotTimers: unknown[] = [];
      const handles: KeyedStateHandle[] = [];
      for (const p of restored) {
        await prefetchAll(p, KEYS);
        got.push(...readAll(p, KEYS));
        const runner = p.snapshot(50);
        handles.push(runner.write());
        await settle(runner.writeIo);
        gotTimers.push(...timersOf(p));
      }
      const sortKey = (x: unknown) => JSON.stringify(x);
      expect(got.map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
      expect(gotTimers.map(sortKey).sort()).toEqual(expectedTimers.map(sortKey).sort());
      const merged = lsm(FULL, { incremental });
      await settle(merged.restore(handles));
      await prefetchAll(merged, KEYS);
      expect(readAll(merged, KEYS)).toEqual(expected);
    });
  }

  it('an injected write failure fails the checkpoint upload, or a state write', async () => {
    const clock = new Clock();
    const b = lsm(FULL, {}, clock);
    const mem = new HashMapKeyedStateBackend({
      keyGroupRange: FULL,
      maxParallelism: MAXP,
      keyType: 'string',
    });
    await drive(mem, b, 3, 50, clock);
    b.tree.failWrites = 1;
    const before = b.tree.memBytes;
    const runner = b.snapshot(1);
    runner.write();
    await expect(runner.writeIo?.promise.then(() => runner.writeIo?.error)).resolves.toBeInstanceOf(Error);
    expect(b.tree.memBytes).toBe(before); // the freeze was not flushed: nothing lost
    b.tree.failWrites = 1;
    await expect(drive(mem, b, 4, 400, clock)).rejects.toThrow(/Error while writing state to IndexedDB/);
  });

  it('costs nothing in virtual time with the zero cost model, and something with the default one', async () => {
    const zero = lsm(FULL, { cost: ZERO_IO_COST });
    const mem = new HashMapKeyedStateBackend({
      keyGroupRange: FULL,
      maxParallelism: MAXP,
      keyType: 'string',
    });
    await drive(mem, zero, 5, 500);
    expect(zero.lsmStats().ioTimeUs).toBe(0);
    const real = lsm(FULL, {});
    await drive(
      new HashMapKeyedStateBackend({ keyGroupRange: FULL, maxParallelism: MAXP, keyType: 'string' }),
      real,
      5,
      500,
    );
    expect(real.lsmStats().ioTimeUs).toBeGreaterThan(0);
  });
});
