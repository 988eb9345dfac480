/**
 * The LSM tree of one keyed backend (RocksDB's column families collapsed into one ordered key space, keys.ts):
 * a bounded memtable, immutable sorted runs in levels (L0: flushed memtables, newest first; L1+: one sorted run per
 * level), a bounded LRU block cache, a Bloom filter per run, and background flush and compaction whose I/O costs
 * virtual time on a background "thread" (RocksDB's flush/compaction threads).
 *
 * Determinism: everything that changes what a read sees or what the cache holds happens at a deterministic point:
 * a write, a flush (when the memtable is full or a snapshot freezes it), or `prepare()` at the start of a task turn
 * (prefetch), where finished background jobs are installed once their virtual completion time has passed and their
 * real promise has settled (otherwise `prepare` hands the promise back and the turn waits for it, unchanged).
 */
import type { IoHandle } from '../../sim/eventQueue.ts';
import { shareInSnapshots, sharedIo } from './sharedIo.ts';
import { encodedSize } from '../codec.ts';
import { bloomHashes } from './bloom.ts';
import { type IoCostModel, ioTimeUs } from './costModel.ts';
import type { IdbStore } from './idbStore.ts';
import { filterKey, keyGroupOf, keyPrefix } from './keys.ts';
import {
  type Block,
  type BuiltRun,
  type RunMeta,
  type Stored,
  TOMBSTONE,
  blockFor,
  blocksForPrefix,
  buildRun,
  decodeBlock,
} from './run.ts';

export interface LsmTreeConfig {
  readonly writeBufferBytes: number;
  readonly blockCacheBytes: number;
  readonly blockSize: number;
  readonly level0Trigger: number;
  readonly levelBaseBytes: number;
  readonly levelMultiplier: number;
  readonly cost: IoCostModel;
}

/** A flushed run whose blocks are served from memory until its write is done (RocksDB's immutable memtable). */
interface PendingFlush {
  readonly key: string;
  readonly doneAt: number;
  readonly io: IoHandle;
  readonly blocks: readonly Block[];
}

interface Compaction {
  readonly inputs: readonly RunMeta[];
  readonly outputLevel: number;
  readonly doneAt: number;
  readonly io: IoHandle;
  /** Filled by the real work when it is done; shared by engine snapshots (sharedIo.ts). */
  readonly out: { result: BuiltRun | null };
}

export interface LsmCounters {
  cacheHits: number;
  cacheMisses: number;
  flushes: number;
  compactions: number;
  compactedBytesIn: number;
  compactedBytesOut: number;
  /** Virtual time the task spent waiting for block loads (us), not yet taken by the runtime. */
  readWaitUs: number;
  /** Virtual time of all IndexedDB work: reads, flushes, compactions, uploads (us). */
  ioTimeUs: number;
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entrySize(ck: string, v: Stored): number {
  return ck.length + 1 + (v === TOMBSTONE ? 0 : encodedSize(v));
}

export class LsmTree {
  memtable = new Map<string, Stored>();
  memBytes = 0;
  /** levels[0]: L0 runs, newest first; levels[i > 0]: at most one run. */
  levels: RunMeta[][] = [[]];
  private readonly cache = new Map<string, Block>();
  private cacheBytes = 0;
  /** Blocks the current turn needs (never evicted until the next prepare). */
  private pinned = new Set<string>();
  private flushing: PendingFlush[] = [];
  private readonly unwritten = new Map<string, Block>();
  private compaction: Compaction | null = null;
  /** Virtual time at which the background thread is free. */
  private bgFreeAt = 0;
  private runSeq = 0;
  /** Runs a snapshot still reads (a compaction deletes them only once released). */
  private readonly leases = new Map<string, number>();
  private readonly deferredDeletes = new Map<string, number>();
  /** Injected failures: the next N writes fail. */
  failWrites = 0;
  /** Set when a state write (flush) failed: the task must fail. */
  failedWrite: string | null = null;
  readonly counters: LsmCounters = {
    cacheHits: 0,
    cacheMisses: 0,
    flushes: 0,
    compactions: 0,
    compactedBytesIn: 0,
    compactedBytesOut: 0,
    readWaitUs: 0,
    ioTimeUs: 0,
  };

  constructor(
    readonly store: IdbStore,
    readonly cfg: LsmTreeConfig,
    /** Prefix of run keys: unique within the engine run. */
    readonly label: string,
  ) {}

  nextRunKey(): { key: string; seq: number } {
    const seq = this.runSeq++;
    return { key: `${this.label}/r${seq}`, seq };
  }

  allRuns(): RunMeta[] {
    const out: RunMeta[] = [];
    for (const l of this.levels) for (const r of l) out.push(r);
    return out;
  }

  /** A write failure injected by the fault `fail-state-backend`: the next write fails. */
  consumeFailure(): boolean {
    if (this.failWrites <= 0) return false;
    this.failWrites--;
    return true;
  }

  // ---- writes ------------------------------------------------------------------------------------------------

  put(ck: string, v: Stored, now: number): void {
    const old = this.memtable.get(ck);
    if (old !== undefined) this.memBytes -= entrySize(ck, old);
    this.memtable.set(ck, v);
    this.memBytes += entrySize(ck, v);
    if (this.memBytes >= this.cfg.writeBufferBytes) this.flush(now);
  }

  /** Freezes the memtable into an L0 run; its write runs on the background thread. */
  flush(now: number): RunMeta | null {
    if (this.memtable.size === 0) return null;
    const sorted = [...this.memtable.entries()].sort((a, b) => compareKeys(a[0], b[0]));
    this.memtable = new Map();
    this.memBytes = 0;
    const { key, seq } = this.nextRunKey();
    const built = buildRun(sorted, key, 0, seq, this.cfg.blockSize);
    (this.levels[0] as RunMeta[]).unshift(built.meta);
    built.blocks.forEach((b, i) => this.unwritten.set(`${key}#${i}`, b));
    const fail = this.consumeFailure();
    const cost = ioTimeUs(this.cfg.cost, built.blockBytes.length, built.meta.size, true);
    this.counters.ioTimeUs += cost;
    this.bgFreeAt = Math.max(now, this.bgFreeAt) + cost;
    const io = sharedIo(this.store.putRun(key, built.blockBytes, fail));
    this.flushing.push({ key, doneAt: this.bgFreeAt, io, blocks: built.blocks });
    this.counters.flushes++;
    if (fail) this.failedWrite = `flush of run ${key} (${built.meta.size} bytes) failed: QuotaExceededError`;
    this.maybeCompact(now);
    return built.meta;
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  /** The value of entry `ck` (undefined: absent). Every block it needs was loaded by `prepare`. */
  get(ck: string, fk: string): Stored | undefined {
    const m = this.memtable.get(ck);
    if (m !== undefined) return m;
    const kg = keyGroupOf(ck);
    for (const level of this.levels) {
      for (const run of level) {
        if (kg < run.kgStart || kg > run.kgEnd || !run.bloom.mayContain(fk)) continue;
        if (!run.names.includes(ck.slice(1, ck.indexOf('\u0000', 1)))) continue;
        const i = blockFor(run, ck);
        if (i < 0) continue;
        const v = this.block(run.key, i).entries.get(ck);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  private block(runKey: string, i: number): Block {
    const id = `${runKey}#${i}`;
    const b = this.unwritten.get(id) ?? this.cache.get(id);
    if (b === undefined) {
      throw new Error(
        `IndexedDB state backend: block ${id} was read without being loaded first (a key missing from prefetch)`,
      );
    }
    return b;
  }

  // ---- the start of a turn -----------------------------------------------------------------------------------

  /**
   * Installs finished background work, then makes every block that may hold state of `keys` resident (pinned
   * until the next call). Returns the I/O to wait for, or null when everything is in memory.
   */
  prepare(keys: readonly (readonly [string, number])[], now: number): IoHandle | null {
    this.pinned = new Set();
    const wait = this.installFinished(now);
    if (wait !== null) return wait;
    const missing: [string, number][] = [];
    const missingIds = new Set<string>();
    const seen = new Set<string>();
    const runs = this.allRuns();
    if (runs.length === 0) return null;
    for (const [keyJson, kg] of keys) {
      const fk = filterKey(kg, keyJson);
      if (seen.has(fk)) continue;
      seen.add(fk);
      let hashes: [number, number] | null = null;
      {
        for (const run of runs) {
          if (kg < run.kgStart || kg > run.kgEnd) continue;
          hashes ??= bloomHashes(fk);
          if (!run.bloom.mayContainHashed(hashes[0], hashes[1])) continue;
          for (const name of run.names) {
            for (const i of blocksForPrefix(run, keyPrefix(kg, name, keyJson))) {
              const id = `${run.key}#${i}`;
              if (this.pinned.has(id) || missingIds.has(id)) continue;
              if (this.unwritten.has(id)) {
                this.pinned.add(id);
                continue;
              }
              const hit = this.cache.get(id);
              if (hit !== undefined) {
                this.counters.cacheHits++;
                this.cache.delete(id); // LRU: move to the end
                this.cache.set(id, hit);
                this.pinned.add(id);
              } else {
                this.counters.cacheMisses++;
                missing.push([run.key, i]);
                missingIds.add(id);
              }
            }
          }
        }
      }
    }
    // Blocks the last turn pinned beyond the capacity go now (this turn's are pinned).
    this.evictToCapacity();
    if (missing.length === 0) return null;
    let bytes = 0;
    for (const [rk, i] of missing) {
      const run = this.runByKey(rk);
      bytes += run ? (run.blocks[i]?.size ?? 0) : 0;
    }
    const cost = ioTimeUs(this.cfg.cost, missing.length, bytes, false);
    this.counters.readWaitUs += cost;
    this.counters.ioTimeUs += cost;
    for (const id of missingIds) this.pinned.add(id);
    return sharedIo(
      this.store.getBlocks(missing).then((blocks) => {
        blocks.forEach((bytes, j) => {
          const [rk, i] = missing[j] as [string, number];
          this.cacheInsert(`${rk}#${i}`, decodeBlock(bytes));
        });
      }),
    );
  }

  private runByKey(key: string): RunMeta | undefined {
    for (const l of this.levels) for (const r of l) if (r.key === key) return r;
    return undefined;
  }

  private cacheInsert(id: string, b: Block): void {
    const old = this.cache.get(id);
    if (old !== undefined) this.cacheBytes -= old.size;
    this.cache.set(id, b);
    this.cacheBytes += b.size;
    this.evictToCapacity();
  }

  /** Least recently used first; blocks the current turn needs stay (the cache may exceed its capacity for them). */
  private evictToCapacity(): void {
    if (this.cacheBytes <= this.cfg.blockCacheBytes) return;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= this.cfg.blockCacheBytes) break;
      if (this.pinned.has(k)) continue;
      this.cache.delete(k);
      this.cacheBytes -= v.size;
    }
  }

  private dropCached(run: RunMeta): void {
    for (let i = 0; i < run.blocks.length; i++) {
      const id = `${run.key}#${i}`;
      const b = this.cache.get(id);
      if (b !== undefined) {
        this.cache.delete(id);
        this.cacheBytes -= b.size;
      }
    }
  }

  /** Finished flushes release their in-memory blocks; a finished compaction replaces its inputs. */
  private installFinished(now: number): IoHandle | null {
    while (this.flushing.length > 0) {
      const f = this.flushing[0] as PendingFlush;
      if (f.doneAt > now) break;
      if (!f.io.settled) return f.io;
      this.flushing.shift();
      f.blocks.forEach((_, i) => this.unwritten.delete(`${f.key}#${i}`));
    }
    const c = this.compaction;
    if (c !== null && c.doneAt <= now) {
      if (!c.io.settled) return c.io;
      this.compaction = null;
      if (c.io.error === undefined && c.out.result !== null) this.installCompaction(c, c.out.result);
      this.maybeCompact(now);
    }
    return null;
  }

  // ---- compaction --------------------------------------------------------------------------------------------

  private levelBytes(l: number): number {
    let n = 0;
    for (const r of this.levels[l] ?? []) n += r.size;
    return n;
  }

  private maxBytes(l: number): number {
    let m = this.cfg.levelBaseBytes;
    for (let i = 1; i < l; i++) m *= this.cfg.levelMultiplier;
    return m;
  }

  /** Starts a compaction when L0 holds `level0Trigger` runs or a level outgrew its target size. */
  maybeCompact(now: number): void {
    if (this.compaction !== null) return;
    let from = -1;
    if ((this.levels[0] as RunMeta[]).length >= this.cfg.level0Trigger) from = 0;
    else {
      for (let l = 1; l < this.levels.length; l++) {
        if (this.levelBytes(l) > this.maxBytes(l)) {
          from = l;
          break;
        }
      }
    }
    if (from < 0) return;
    const out = from + 1;
    while (this.levels.length <= out) this.levels.push([]);
    const inputs = [...(this.levels[from] as RunMeta[]), ...(this.levels[out] as RunMeta[])];
    const bottom = this.levels.slice(out + 1).every((l) => l.length === 0);
    const { key, seq } = this.nextRunKey();
    let inBytes = 0;
    let inBlocks = 0;
    for (const r of inputs) {
      inBytes += r.size;
      inBlocks += r.blocks.length;
    }
    // Read every input, write at most as much (the output size is known only after the merge).
    const cost =
      ioTimeUs(this.cfg.cost, inBlocks, inBytes, false) + ioTimeUs(this.cfg.cost, inBlocks, inBytes, true);
    this.counters.ioTimeUs += cost;
    this.bgFreeAt = Math.max(now, this.bgFreeAt) + cost;
    for (const r of inputs) this.lease(r.key);
    const fail = false; // injected failures hit state writes and checkpoint uploads, not compactions
    const result = shareInSnapshots({ result: null as BuiltRun | null });
    const blockSize = this.cfg.blockSize;
    const work = this.store
      .getRuns(inputs.map((r) => ({ key: r.key, blocks: r.blocks.length })))
      .then(async (blocksPerRun) => {
        const merged = mergeRuns(
          blocksPerRun.map((bs) => bs.map(decodeBlock)),
          bottom,
        );
        const built = buildRun(merged, key, out, seq, blockSize);
        if (merged.length > 0) await this.store.putRun(key, built.blockBytes, fail);
        result.result = built;
      })
      .finally(() => {
        for (const r of inputs) this.release(r.key);
      });
    this.compaction = { inputs, outputLevel: out, doneAt: this.bgFreeAt, io: sharedIo(work), out: result };
  }

  private installCompaction(c: Compaction, built: BuiltRun): void {
    const inputKeys = new Set(c.inputs.map((r) => r.key));
    for (let l = 0; l < this.levels.length; l++) {
      this.levels[l] = (this.levels[l] as RunMeta[]).filter((r) => !inputKeys.has(r.key));
    }
    if (built.meta.entries > 0) (this.levels[c.outputLevel] as RunMeta[]).push(built.meta);
    let inBytes = 0;
    for (const r of c.inputs) {
      inBytes += r.size;
      this.dropCached(r);
      this.deleteWhenFree(r);
    }
    this.counters.compactions++;
    this.counters.compactedBytesIn += inBytes;
    this.counters.compactedBytesOut += built.meta.entries > 0 ? built.meta.size : 0;
  }

  get compactionRunning(): boolean {
    return this.compaction !== null;
  }

  // ---- run leases (snapshots reading runs) -------------------------------------------------------------------

  lease(key: string): void {
    this.leases.set(key, (this.leases.get(key) ?? 0) + 1);
  }

  release(key: string): void {
    const n = (this.leases.get(key) ?? 0) - 1;
    if (n > 0) {
      this.leases.set(key, n);
      return;
    }
    this.leases.delete(key);
    const blocks = this.deferredDeletes.get(key);
    if (blocks !== undefined) {
      this.deferredDeletes.delete(key);
      void this.store.deleteRuns([{ key, blocks }]).catch(() => undefined);
    }
  }

  private deleteWhenFree(run: RunMeta): void {
    if ((this.leases.get(run.key) ?? 0) > 0) this.deferredDeletes.set(run.key, run.blocks.length);
    else void this.store.deleteRuns([{ key: run.key, blocks: run.blocks.length }]).catch(() => undefined);
  }

  // ---- restore and reset -------------------------------------------------------------------------------------

  /** Drops everything (restore, clear). Background work still in flight only writes runs nobody reads. */
  reset(): void {
    this.memtable = new Map();
    this.memBytes = 0;
    for (const r of this.allRuns()) this.deleteWhenFree(r);
    this.levels = [[]];
    this.cache.clear();
    this.cacheBytes = 0;
    this.pinned = new Set();
    this.flushing = [];
    this.unwritten.clear();
    this.compaction = null;
    this.failedWrite = null;
  }

  /** Installs a restored run (its blocks are written by the caller). */
  addRun(meta: RunMeta): void {
    while (this.levels.length <= meta.level) this.levels.push([]);
    const l = this.levels[meta.level] as RunMeta[];
    if (meta.level === 0) {
      l.push(meta);
      l.sort((a, b) => b.seq - a.seq);
    } else l.push(meta);
    const m = /\/r(\d+)$/.exec(meta.key);
    if (m && meta.key.startsWith(this.label + '/')) this.runSeq = Math.max(this.runSeq, Number(m[1]) + 1);
  }

  /** Cache statistics for the UI. */
  cacheInfo(): { bytes: number; blocks: number } {
    return { bytes: this.cacheBytes, blocks: this.cache.size };
  }
}

/**
 * Merges runs given newest first (blocks decoded): the newest entry of a key wins; tombstones are dropped when the
 * output is the bottom level (nothing older below can resurface).
 */
export function mergeRuns(runs: readonly (readonly Block[])[], bottom: boolean): [string, Stored][] {
  const winner = new Map<string, Stored>();
  for (const blocks of runs) {
    for (const b of blocks) for (const [ck, v] of b.entries) if (!winner.has(ck)) winner.set(ck, v);
  }
  const out: [string, Stored][] = [];
  for (const e of winner) if (!(bottom && e[1] === TOMBSTONE)) out.push(e);
  out.sort((a, b) => compareKeys(a[0], b[0]));
  return out;
}
