/**
 * SharedStateRegistry (reference 3.4; Flink's SharedStateRegistryImpl): reference tracking of state that several
 * checkpoints share, i.e. the runs (SST files) of incremental checkpoints of the IndexedDB backend.
 *
 * Flink's rules, kept here:
 * - `registerReference(key, handle, checkpointId)`: the first registration of a key creates its entry (created by
 *   `checkpointId`); a later one keeps the registered handle (a checkpoint that references a run another one
 *   uploaded gets the registered handle back) and advances the entry's last-used checkpoint id.
 * - `unregisterUnusedState(lowestCheckpointId)`, called when a checkpoint is subsumed with the lowest id still
 *   retained: every entry whose last-used checkpoint is lower is removed and its state discarded, unless it was
 *   created by a checkpoint the job restored from without claiming it (NO_CLAIM: `highestNotClaimedCheckpointID`).
 * - `registerAllAfterRestored(checkpoint, claimMode)`: a restored checkpoint's shared state is registered; under
 *   NO_CLAIM the job does not own it and never deletes it.
 *
 * Checkpoint storage decides what "discard" means (JobManager storage: drop the bytes; durable storage: delete
 * them): `unregisterUnusedState` returns the discarded handles.
 */
import { isLsmHandle, type SharedRunHandle } from '../state/lsm/handles.ts';
import type { SubtaskSnapshot } from './checkpointCoordinator.ts';

export interface SharedStateEntry {
  readonly key: string;
  /** The registered handle (the one that uploaded the bytes). */
  readonly handle: SharedRunHandle;
  readonly createdByCheckpointId: number;
  lastUsedCheckpointId: number;
}

export type ClaimMode = 'CLAIM' | 'NO_CLAIM' | 'LEGACY';

export class SharedStateRegistry {
  private readonly entries = new Map<string, SharedStateEntry>();
  /** State created by checkpoints up to this id belongs to a snapshot restored in NO_CLAIM mode: never deleted. */
  private highestNotClaimedCheckpointId = -1;
  /** Discarded so far (for statistics and tests). */
  discardedRuns = 0;
  discardedBytes = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of all registered shared state. */
  get bytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.handle.size;
    return n;
  }

  entry(key: string): SharedStateEntry | undefined {
    return this.entries.get(key);
  }

  /** SharedStateRegistryImpl.registerReference: returns the handle registered under `key`. */
  registerReference(key: string, handle: SharedRunHandle, checkpointId: number): SharedRunHandle {
    const e = this.entries.get(key);
    if (e === undefined) {
      // A reference to a run no checkpoint of this job registered (the job started from a snapshot whose runs the
      // backend adopted): registered as created by the checkpoint that uploaded it, so that a NO_CLAIM restore's
      // state stays protected (highestNotClaimedCheckpointId).
      const created = handle.uploaded ? checkpointId : handle.uploadedBy;
      this.entries.set(key, {
        key,
        handle,
        createdByCheckpointId: created,
        lastUsedCheckpointId: checkpointId,
      });
      return handle;
    }
    if (checkpointId > e.lastUsedCheckpointId) e.lastUsedCheckpointId = checkpointId;
    return e.handle;
  }

  /** SharedStateRegistryImpl.registerAll: every shared run of a completed checkpoint's subtask snapshots. */
  registerAll(subtasks: readonly SubtaskSnapshot[], checkpointId: number): void {
    for (const s of subtasks) {
      for (const op of Object.values(s.operators)) {
        const k = op.keyed;
        if (k === null || !isLsmHandle(k)) continue;
        for (const h of k.handles)
          if (h.kind === 'shared-run') this.registerReference(h.key, h, checkpointId);
      }
    }
  }

  /** A checkpoint restored from: registered; under NO_CLAIM its state is never discarded by this job. */
  registerAllAfterRestored(
    subtasks: readonly SubtaskSnapshot[],
    checkpointId: number,
    mode: ClaimMode,
  ): void {
    if (mode === 'NO_CLAIM' && checkpointId > this.highestNotClaimedCheckpointId) {
      this.highestNotClaimedCheckpointId = checkpointId;
    }
    this.registerAll(subtasks, checkpointId);
  }

  /**
   * SharedStateRegistryImpl.unregisterUnusedState: drops the entries no retained checkpoint uses (last used before
   * `lowestCheckpointId`) and returns the handles to discard (those the job owns).
   */
  unregisterUnusedState(lowestCheckpointId: number): SharedRunHandle[] {
    const discarded: SharedRunHandle[] = [];
    for (const [key, e] of this.entries) {
      if (e.lastUsedCheckpointId >= lowestCheckpointId) continue;
      this.entries.delete(key);
      if (e.createdByCheckpointId > this.highestNotClaimedCheckpointId) {
        discarded.push(e.handle);
        this.discardedRuns++;
        this.discardedBytes += e.handle.size;
      }
    }
    return discarded;
  }
}
