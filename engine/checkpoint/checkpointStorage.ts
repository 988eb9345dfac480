/**
 * Checkpoint storage (reference 3.1, 3.3): where the asynchronous phase uploads a subtask's snapshot and where the
 * coordinator finalizes a completed checkpoint. JobManagerCheckpointStorage keeps everything in memory; the durable
 * counterpart of FileSystemCheckpointStorage lives in ./storage/ (IndexedDB).
 *
 * The interface is asynchronous-capable without being asynchronous: every call returns at once with the virtual time
 * the work takes (a cost model) and, for durable storage, the real I/O behind it as an IoHandle. The kernel runs the
 * event that needs the result at the virtual time and only after the real promise settled (DESIGN: IndexedDB never
 * decides ordering), so a run with durable storage and one without it differ only where the cost model says so.
 */
import type { IoHandle } from '../sim/eventQueue.ts';
import type { CheckpointType } from './checkpointStats.ts';
import type { CompletedCheckpoint, SubtaskSnapshot } from './checkpointCoordinator.ts';

/** JobManagerCheckpointStorage.DEFAULT_MAX_STATE_SIZE (reference 3.3). */
export const JM_MAX_STATE_SIZE = 5 * 1024 * 1024;

export type UploadResult =
  | {
      ok: true;
      bytes: number;
      /** Virtual µs the upload takes; absent: state size ÷ sim.stateBandwidth (the JobManager storage). */
      durationUs?: number;
      /** The real write behind the upload: the acknowledgement waits for it; an error declines the checkpoint. */
      io?: IoHandle | null;
    }
  | { ok: false; reason: 'CHECKPOINT_ASYNC_EXCEPTION'; message: string };

/** What one subtask uploads (the handles of its chained operators), for storage that keeps the bytes. */
export interface UploadPayload {
  readonly type: CheckpointType;
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly operators: SubtaskSnapshot['operators'];
}

/** Terminal job status, for the retention of checkpoints (CheckpointProperties.discardOnJob*). */
export type TerminalStatus = 'FINISHED' | 'CANCELED' | 'FAILED';

export interface CheckpointStorage {
  /** Flink's class name, as the REST config reports it. */
  readonly name: string;
  /** Uploads the state handles of one subtask for a checkpoint; each entry is the size of one state in bytes. */
  upload(
    checkpointId: number,
    subtask: string,
    stateSizes: readonly number[],
    payload?: UploadPayload,
  ): UploadResult;
  /** Fault injection: the next `count` uploads fail with an I/O error. */
  failNextUploads(count: number): void;

  // ---- durable storage only (optional: the JobManager storage keeps everything in the coordinator) ----
  /** The external path of a completed checkpoint or savepoint (REST external_path). */
  externalPath?(checkpointId: number, isSavepoint: boolean): string;
  /**
   * PendingCheckpoint.finalizeCheckpoint: writes `_metadata` after all state is stored. The checkpoint completes only
   * once this I/O succeeded (an error aborts it with FINALIZE_CHECKPOINT_FAILURE). Null: nothing to wait for.
   */
  finalize?(cp: CompletedCheckpoint): IoHandle | null;
  /** A completed checkpoint left the CompletedCheckpointStore (subsumed): its owned state is deleted. */
  discardSubsumed?(cp: CompletedCheckpoint, retained: readonly CompletedCheckpoint[]): void;
  /** A pending checkpoint was aborted: whatever it uploaded is deleted. */
  discardAborted?(checkpointId: number): void;
  /** The job reached a terminal status: retained checkpoints are kept or deleted by the retention policy. */
  jobTerminated?(status: TerminalStatus, retained: readonly CompletedCheckpoint[]): void;
}

/** Snapshots kept in the JobManager's memory; every single state is limited to 5 MiB. */
export class JobManagerCheckpointStorage implements CheckpointStorage {
  readonly name = 'JobManagerCheckpointStorage';
  private failuresLeft = 0;

  constructor(private readonly maxStateSize = JM_MAX_STATE_SIZE) {}

  upload(_checkpointId: number, _subtask: string, stateSizes: readonly number[]): UploadResult {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return {
        ok: false,
        reason: 'CHECKPOINT_ASYNC_EXCEPTION',
        message: 'java.io.IOException: Could not write to checkpoint storage (injected fault).',
      };
    }
    let total = 0;
    for (const size of stateSizes) {
      total += size;
      if (size > this.maxStateSize) {
        // MemCheckpointStreamFactory's check (reference 3.3).
        return {
          ok: false,
          reason: 'CHECKPOINT_ASYNC_EXCEPTION',
          message: `Size of the state is larger than the maximum permitted memory-backed state. Size=${size} , maxSize=${this.maxStateSize}. Consider using a different checkpoint storage, like the FileSystemCheckpointStorage.`,
        };
      }
    }
    return { ok: true, bytes: total };
  }

  failNextUploads(count: number): void {
    this.failuresLeft += count;
  }
}
