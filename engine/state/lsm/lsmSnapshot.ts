/**
 * Snapshots and restores of the IndexedDB (LSM) backend (reference 3.4; Flink's RocksIncrementalSnapshotStrategy
 * and RocksDBIncrementalRestoreOperation).
 *
 * Synchronous part: the memtable is frozen and flushed to an L0 run; the snapshot holds the list of runs (leased,
 * so a compaction does not delete them while they are read). Asynchronous part (`write()`): the runs are read
 * from IndexedDB and uploaded. A full snapshot uploads every run; an incremental one uploads only the runs that
 * the last COMPLETED checkpoint did not hold and references the others (handles.ts). After a restore of exactly
 * this backend's key-group range the restored runs are adopted as they are (the next incremental checkpoint
 * references them); after rescaling, the entries of this range are merged into one new run.
 */
import type { IoHandle } from '../../sim/eventQueue.ts';
import { sharedIo } from './sharedIo.ts';
import { decode, encode } from '../codec.ts';
import { keyGroupRangeIntersection } from '../keyGroups.ts';
import { TimerEntry } from '../timerQueue.ts';
import type { Key, KeyedSnapshotRunner, KeyedStateHandle, Namespace, StateValue } from '../types.ts';
import { ioTimeUs } from './costModel.ts';
import {
  LSM_BACKEND_NAME,
  type LsmKeyedStateHandle,
  type LsmSnapshotOptions,
  type LsmStateHandle,
  type PrivateStateHandle,
  type SharedRunHandle,
  isLsmHandle,
  sharedRuns,
} from './handles.ts';
import { InjectedIoError } from './idbStore.ts';
import { TIMER_STATE, parseEntryKey } from './keys.ts';
import type { LsmKeyedStateBackend } from './lsmBackend.ts';
import { compareKeys, mergeRuns } from './lsmTree.ts';
import { type RunMeta, type Stored, buildRun, decodeBlock, parseRun, serializeRun } from './run.ts';

type MutableShared = { -readonly [K in keyof SharedRunHandle]: SharedRunHandle[K] };

/** Which runs the last completed checkpoint holds (RocksIncrementalSnapshotStrategy.uploadedSstFiles). */
export class LsmIncrementalState {
  /** Shared runs of snapshots whose checkpoint has not completed yet, by checkpoint id. */
  readonly pending = new Map<number, Map<string, SharedRunHandle>>();
  /** Shared runs of the last completed checkpoint: the next incremental snapshot references these. */
  confirmed = new Map<string, SharedRunHandle>();
  lastCompletedCheckpointId = -1;

  completed(id: number): void {
    const runs = this.pending.get(id);
    if (runs !== undefined && id > this.lastCompletedCheckpointId) {
      this.confirmed = runs;
      this.lastCompletedCheckpointId = id;
    }
    for (const k of [...this.pending.keys()]) if (k <= id) this.pending.delete(k);
  }

  aborted(id: number): void {
    this.pending.delete(id);
  }

  reset(): void {
    this.pending.clear();
    this.confirmed = new Map();
    this.lastCompletedCheckpointId = -1;
  }
}

const EMPTY = new Uint8Array(0);

function encodeHeapTimers(b: LsmKeyedStateBackend): Uint8Array {
  const out: StateValue[] = [];
  for (const arr of b.timerIndex.values()) {
    for (const e of arr) out.push([e.keyGroup, e.key, e.namespace, e.timestamp]);
  }
  return encode(out);
}

function manifest(id: number, runs: readonly RunMeta[], b: LsmKeyedStateBackend): Uint8Array {
  return encode({
    checkpointId: id,
    timerService: b.cfg.timerService,
    runs: runs.map((r) => [r.key, r.level, r.size]),
  });
}

class LsmSnapshotRunner implements KeyedSnapshotRunner {
  writeIo: IoHandle | null = null;
  /** Virtual time the asynchronous part spends reading the runs it uploads from IndexedDB (us). */
  asyncIoUs = 0;
  private done = false;
  /** An injected storage failure: the upload fails. */
  failing = false;
  /** A savepoint: never the base of an incremental checkpoint. */
  savepoint = false;

  constructor(
    private readonly b: LsmKeyedStateBackend,
    readonly checkpointId: number,
    private readonly runs: readonly RunMeta[],
    private readonly incremental: boolean,
    private readonly privates: readonly PrivateStateHandle[],
  ) {}

  write(): KeyedStateHandle {
    const b = this.b;
    const tree = b.tree;
    const id = this.checkpointId;
    const confirmed = this.incremental ? b.incrementalState.confirmed : new Map<string, SharedRunHandle>();
    const shared: MutableShared[] = [];
    const toUpload: { run: RunMeta; handle: MutableShared }[] = [];
    let stateSize = 0;
    let checkpointedSize = 0;
    let referenced = false;
    for (const run of this.runs) {
      const prev = confirmed.get(run.key);
      const range = { start: run.kgStart, end: run.kgEnd };
      if (prev !== undefined) {
        referenced = true;
        shared.push({ ...prev, uploaded: false, level: run.level });
      } else {
        const h: MutableShared = {
          kind: 'shared-run',
          key: run.key,
          uploaded: true,
          uploadedBy: id,
          bytes: EMPTY,
          size: run.size,
          level: run.level,
          keyGroupRange: range,
        };
        shared.push(h);
        toUpload.push({ run, handle: h });
        checkpointedSize += run.size;
      }
      stateSize += run.size;
    }
    for (const p of this.privates) {
      stateSize += p.bytes.length;
      checkpointedSize += p.bytes.length;
    }
    let readBytes = 0;
    let readBlocks = 0;
    for (const u of toUpload) {
      readBytes += u.run.size;
      readBlocks += u.run.blocks.length;
    }
    this.asyncIoUs = ioTimeUs(b.cost, readBlocks, readBytes, false);
    tree.counters.ioTimeUs += this.asyncIoUs;
    const fail = this.failing;
    const leased = this.runs;
    this.done = true;
    this.writeIo = sharedIo(
      tree.store
        .getRuns(toUpload.map((u) => ({ key: u.run.key, blocks: u.run.blocks.length })))
        .then((blocksPerRun) => {
          blocksPerRun.forEach((blocks, i) => {
            const u = toUpload[i] as { run: RunMeta; handle: MutableShared };
            u.handle.bytes = serializeRun(u.run, blocks);
          });
          if (fail) throw new InjectedIoError(`upload of checkpoint ${id}`);
        })
        .finally(() => {
          for (const r of leased) tree.release(r.key);
        }),
    );
    if (!this.savepoint)
      b.incrementalState.pending.set(id, new Map(shared.map((h) => [h.key, h as SharedRunHandle])));
    const man = this.privates.find((p) => p.name === 'manifest');
    const handle: LsmKeyedStateHandle = {
      kind: 'keyed',
      backend: LSM_BACKEND_NAME,
      maxParallelism: b.maxParallelism,
      keyGroupRange: b.keyGroupRange,
      keyType: b.keyType,
      offsets: [],
      bytes: man?.bytes ?? EMPTY,
      stateSize,
      checkpointedSize,
      checkpointId: id,
      incremental: referenced,
      handles: [...(shared as SharedRunHandle[]), ...this.privates] as LsmStateHandle[],
    };
    return handle;
  }

  discard(): void {
    if (this.done) return;
    this.done = true;
    for (const r of this.runs) this.b.tree.release(r.key);
  }
}

/** Synchronous part of a snapshot. */
export function snapshotLsm(
  b: LsmKeyedStateBackend,
  checkpointId: number,
  opts: LsmSnapshotOptions,
): KeyedSnapshotRunner {
  const tree = b.tree;
  // An injected storage failure hits this checkpoint: the freeze is not flushed (the memtable keeps its entries,
  // nothing is lost) and the upload fails (CHECKPOINT_ASYNC_EXCEPTION).
  const failing = tree.consumeFailure();
  if (!failing) tree.flush(b.env.now());
  const runs = tree.allRuns();
  for (const r of runs) tree.lease(r.key);
  const privates: PrivateStateHandle[] = [
    { kind: 'private', name: 'manifest', bytes: manifest(checkpointId, runs, b) },
  ];
  if (b.cfg.timerService === 'HEAP') {
    privates.push({ kind: 'private', name: 'heap-timers', bytes: encodeHeapTimers(b) });
  }
  const runner = new LsmSnapshotRunner(
    b,
    checkpointId,
    runs,
    b.cfg.incremental && opts.forceFull !== true,
    privates,
  );
  runner.failing = failing;
  runner.savepoint = opts.savepoint === true;
  return runner;
}

function checkHandles(b: LsmKeyedStateBackend, handles: readonly KeyedStateHandle[]): LsmKeyedStateHandle[] {
  const out: LsmKeyedStateHandle[] = [];
  for (const h of handles) {
    if (h.kind !== 'keyed') throw new TypeError('Not a keyed state handle');
    if (h.maxParallelism !== b.maxParallelism) {
      throw new Error(
        `The maximum parallelism (${h.maxParallelism}) with which the latest checkpoint of the execution job vertex ` +
          `${b.operatorName !== undefined ? b.operatorName + ' ' : ''}has been taken and the current maximum parallelism ` +
          `(${b.maxParallelism}) changed. This is currently not supported.`,
      );
    }
    if (h.keyType !== b.keyType) {
      throw new Error(`The checkpoint holds ${h.keyType} keys, the operator uses ${b.keyType} keys`);
    }
    if (!isLsmHandle(h)) {
      throw new Error(
        `The snapshot was taken with the ${h.backend} state backend; the indexeddb backend restores only its own ` +
          `snapshots: set state.backend.type to ${h.backend} to restore it`,
      );
    }
    out.push(h);
  }
  return out;
}

function timerOf(ck: string): TimerEntry | null {
  const p = parseEntryKey(ck);
  if (p.name !== TIMER_STATE) return null;
  const [ts, ns] = p.ns as unknown as [number, Namespace];
  return new TimerEntry(p.key, p.kg, ns, ts);
}

function restoreHeapTimers(b: LsmKeyedStateBackend, h: LsmKeyedStateHandle): void {
  const r = b.keyGroupRange;
  for (const p of h.handles) {
    if (p.kind !== 'private' || p.name !== 'heap-timers') continue;
    for (const t of decode(p.bytes) as [number, Key, Namespace, number][]) {
      if (t[0] < r.start || t[0] > r.end) continue;
      addRestoredTimer(b, new TimerEntry(t[1], t[0], t[2], t[3]), b.cfg.timerService === 'ROCKSDB');
    }
  }
}

function addRestoredTimer(b: LsmKeyedStateBackend, e: TimerEntry, persist: boolean): void {
  const arr = b.timerIndex.get(String.fromCharCode(e.keyGroup) + JSON.stringify(e.key));
  if (arr?.some((x) => x.timestamp === e.timestamp && x.namespace === e.namespace)) return;
  b.addTimer(e, persist);
}

/** Replaces all state with the key groups of this backend's range found in the handles. */
export function restoreLsm(b: LsmKeyedStateBackend, input: readonly KeyedStateHandle[]): IoHandle | void {
  const handles = checkHandles(b, input);
  b.clear();
  const tree = b.tree;
  const mine = b.keyGroupRange;
  const writes: { key: string; blocks: Uint8Array[] }[] = [];
  const only = handles[0];
  if (
    handles.length === 1 &&
    only !== undefined &&
    only.keyGroupRange.start === mine.start &&
    only.keyGroupRange.end === mine.end
  ) {
    // Same key groups: adopt the runs as they are (RocksDBIncrementalRestoreOperation, restoreWithoutRescaling).
    const runs = sharedRuns(only);
    const decoded: ReturnType<typeof decodeBlock>[][] = [];
    for (const h of runs) {
      const { meta, blockBytes } = parseRun(h.bytes);
      tree.addRun(meta);
      writes.push({ key: meta.key, blocks: blockBytes });
      decoded.push(blockBytes.map(decodeBlock));
    }
    for (const [ck] of mergeRuns(decoded, true)) {
      const t = timerOf(ck);
      if (t !== null) addRestoredTimer(b, t, false);
    }
    restoreHeapTimers(b, only);
    const confirmed = new Map<string, SharedRunHandle>();
    for (const h of runs) confirmed.set(h.key, h);
    b.incrementalState.confirmed = confirmed;
    b.incrementalState.lastCompletedCheckpointId = only.checkpointId;
  } else {
    // Rescaling: the entries of this range, newest first per handle, merged into one run.
    const seen = new Set<number>();
    const all: [string, Stored][] = [];
    for (const h of handles) {
      const inter = keyGroupRangeIntersection(h.keyGroupRange, mine);
      if (inter.start > inter.end) continue;
      for (let kg = inter.start; kg <= inter.end; kg++) {
        if (seen.has(kg)) throw new Error(`Key group ${kg} is present in more than one state handle`);
        seen.add(kg);
      }
      const decoded = sharedRuns(h)
        .filter((r) => r.keyGroupRange.end >= inter.start && r.keyGroupRange.start <= inter.end)
        .map((r) => parseRun(r.bytes).blockBytes.map(decodeBlock));
      for (const e of mergeRuns(decoded, true)) {
        const kg = e[0].charCodeAt(0);
        if (kg >= inter.start && kg <= inter.end) all.push(e);
      }
      restoreHeapTimers(b, h);
    }
    all.sort((x, y) => compareKeys(x[0], y[0]));
    if (all.length > 0) {
      const { key, seq } = tree.nextRunKey();
      const built = buildRun(all, key, 1, seq, b.cfg.blockSize);
      tree.addRun(built.meta);
      writes.push({ key, blocks: built.blockBytes });
      for (const [ck] of all) {
        const t = timerOf(ck);
        if (t !== null) addRestoredTimer(b, t, false);
      }
    }
  }
  if (writes.length === 0) return;
  let bytes = 0;
  let blocks = 0;
  for (const w of writes) {
    blocks += w.blocks.length;
    for (const x of w.blocks) bytes += x.length;
  }
  tree.counters.ioTimeUs += ioTimeUs(b.cost, blocks, bytes, true);
  return sharedIo(Promise.all(writes.map((w) => tree.store.putRun(w.key, w.blocks, false))));
}
