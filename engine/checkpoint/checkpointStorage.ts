/**
 * Checkpoint storage (reference 3.1, 3.3): where the asynchronous phase uploads a subtask's snapshot. An interface,
 * so that durable storage (IndexedDB, a later issue) plugs in beside JobManagerCheckpointStorage.
 */

/** JobManagerCheckpointStorage.DEFAULT_MAX_STATE_SIZE (reference 3.3). */
export const JM_MAX_STATE_SIZE = 5 * 1024 * 1024;

export type UploadResult =
  { ok: true; bytes: number } | { ok: false; reason: 'CHECKPOINT_ASYNC_EXCEPTION'; message: string };

export interface CheckpointStorage {
  /** Flink's class name, as the REST config reports it. */
  readonly name: string;
  /** Uploads the state handles of one subtask for a checkpoint; each entry is the size of one state in bytes. */
  upload(checkpointId: number, subtask: string, stateSizes: readonly number[]): UploadResult;
  /** Fault injection: the next `count` uploads fail with an I/O error. */
  failNextUploads(count: number): void;
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
