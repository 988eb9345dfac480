/**
 * What a snapshot of the IndexedDB (LSM) keyed state backend hands to checkpoint storage: a list of state handles,
 * each either PRIVATE (bytes that belong to this one snapshot only) or a SHARED RUN (an immutable sorted run, named
 * by a stable key, whose bytes are uploaded once and then referenced by every later checkpoint that still holds
 * the run). This is Flink's IncrementalRemoteKeyedStateHandle (RocksIncrementalSnapshotStrategy): `sharedState`
 * = the SST files, `privateState` = MANIFEST/CURRENT/OPTIONS, `metaStateHandle` = the state meta info.
 *
 * Contract for checkpoint storage (JobManager memory or durable IndexedDB storage):
 * - A `SharedRunHandle` with `uploaded: true` carries bytes this checkpoint wrote: store them under `key`.
 * - A `SharedRunHandle` with `uploaded: false` is a reference (Flink's PlaceholderStreamStateHandle): an earlier
 *   COMPLETED checkpoint uploaded the same key with the same bytes; do not store them again. `bytes` is still
 *   filled (the very same Uint8Array object the uploading checkpoint carried) so a restore can read it.
 * - The same `key` always means the same bytes (runs are immutable); reference-count shared runs by key
 *   (engine/checkpoint/sharedStateRegistry.ts, Flink's SharedStateRegistryImpl) and delete a run's bytes when no
 *   retained checkpoint references it any more.
 * - `checkpointedSize` of the keyed handle = bytes this checkpoint uploaded (private + shared with uploaded: true);
 *   `stateSize` = all bytes it references (private + every shared run). Flink's REST `checkpointed_size` and
 *   `state_size`.
 *
 * The handle is also a valid `KeyedStateHandle` (kind 'keyed', backend 'indexeddb'): its `bytes`/`offsets` hold
 * the private part only (see `LsmKeyedStateHandle.bytes`), so code that only reads `stateSize` keeps working.
 */
import type { KeyedStateHandle, KeyGroupRange } from '../types.ts';

/** Backend name in handles and stats (`state.backend.type: indexeddb`, alias `rocksdb`). */
export const LSM_BACKEND_NAME = 'indexeddb';

/** An immutable sorted run (Flink: an SST file). Its bytes are the serialized run (format in run.ts). */
export interface SharedRunHandle {
  readonly kind: 'shared-run';
  /**
   * Stable, unique within an engine run: `<backend instance>/<run sequence>` (e.g. "counter#0@3/r17"). Flink's
   * SharedStateRegistryKey, derived from the file's physical path.
   */
  readonly key: string;
  /** True when THIS checkpoint uploaded the bytes; false when it references a run an earlier one uploaded. */
  readonly uploaded: boolean;
  /** Id of the checkpoint that uploaded the bytes. */
  readonly uploadedBy: number;
  /** Serialized run: header, block index, filter, then the blocks (see run.ts `serializeRun`). */
  readonly bytes: Uint8Array;
  /** = bytes.length */
  readonly size: number;
  /** LSM level of the run when the snapshot was taken (0 = flushed memtable). */
  readonly level: number;
  /** Key groups with entries in the run (a rescaled restore skips runs outside its range). */
  readonly keyGroupRange: KeyGroupRange;
}

/** Bytes owned by one snapshot only (Flink: private state / meta state). */
export interface PrivateStateHandle {
  readonly kind: 'private';
  /** 'manifest' (the runs in order, state names) | 'heap-timers' (timers with timer-service.factory HEAP). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type LsmStateHandle = SharedRunHandle | PrivateStateHandle;

/**
 * One subtask's keyed snapshot on the LSM backend. `handles` lists the shared runs newest first (a newer run's
 * entry for a key wins over an older run's) followed by the private handles.
 */
export interface LsmKeyedStateHandle extends KeyedStateHandle {
  readonly backend: typeof LSM_BACKEND_NAME;
  readonly checkpointId: number;
  /** False for a full snapshot (every run uploaded by this checkpoint), true when it references earlier runs. */
  readonly incremental: boolean;
  readonly handles: readonly LsmStateHandle[];
  /** KeyedStateHandle.bytes: the private 'manifest' bytes; `offsets` are all 0 (one per key group). */
  readonly bytes: Uint8Array;
}

export function isLsmHandle(h: KeyedStateHandle): h is LsmKeyedStateHandle {
  return h.backend === LSM_BACKEND_NAME && Array.isArray((h as Partial<LsmKeyedStateHandle>).handles);
}

/** The shared runs of a handle (newest first). */
export function sharedRuns(h: LsmKeyedStateHandle): SharedRunHandle[] {
  return h.handles.filter((x): x is SharedRunHandle => x.kind === 'shared-run');
}

/** Options of one snapshot (claim modes: under NO_CLAIM the first checkpoint after a restore is full). */
export interface LsmSnapshotOptions {
  /** Upload every run, referencing nothing an earlier checkpoint uploaded (a full checkpoint). */
  readonly forceFull?: boolean;
  /** A savepoint: full, and never the base of a later incremental checkpoint. */
  readonly savepoint?: boolean;
}
