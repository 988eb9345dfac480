/**
 * The durable checkpoint storage: FileSystemCheckpointStorage's counterpart, with an IndexedDB database for a file
 * system (reference 3.1). The asynchronous phase writes each subtask's state as one file below
 * `<dir>/<job-id>/chk-<n>/` (state below execution.checkpointing.data-inline-threshold is inlined into the metadata,
 * as Flink's FsCheckpointStreamFactory does); the coordinator completes the checkpoint only after `_metadata` is
 * stored (./checkpointDirectory.ts). Subsumed checkpoints are deleted (CheckpointsCleaner), aborted ones too, and on
 * a terminal job status the retention policy decides (CheckpointProperties.discardOnJob*).
 *
 * Determinism: uploads take the cost model's virtual time whether or not the bytes are really written. Only the
 * run on screen (`env.live`) writes; the reference run, comparisons and seek replays run the same virtual times
 * without I/O, so they neither block nor touch the stored snapshots.
 */
import { type IoHandle, ioHandle } from '../../sim/eventQueue.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { CompletedCheckpoint } from '../checkpointCoordinator.ts';
import type { CheckpointStorage, TerminalStatus, UploadPayload, UploadResult } from '../checkpointStorage.ts';
import type { CheckpointDirectory, MetadataRecord, StoredSubtask } from './checkpointDirectory.ts';
import { idbWriteUs } from './costModel.ts';
import { type DirUri, checkpointPath, dirString, jobDir, savepointPath, stateFilePath } from './paths.ts';
import type { StorageBinding } from './storageEnv.ts';

export type RetentionPolicy =
  'NO_EXTERNALIZED_CHECKPOINTS' | 'RETAIN_ON_CANCELLATION' | 'DELETE_ON_CANCELLATION';

/**
 * CheckpointProperties (forCheckpoint): which terminal statuses discard the retained checkpoints. Every policy
 * discards on FINISHED; NEVER_RETAIN_AFTER_TERMINATION (NO_EXTERNALIZED_CHECKPOINTS) on everything; RETAIN_ON_FAILURE
 * (DELETE_ON_CANCELLATION) keeps them on FAILED; RETAIN_ON_CANCELLATION keeps them on CANCELED and FAILED.
 */
export function discardsOn(policy: RetentionPolicy, status: TerminalStatus): boolean {
  if (status === 'FINISHED') return true;
  if (policy === 'NO_EXTERNALIZED_CHECKPOINTS') return true;
  if (policy === 'DELETE_ON_CANCELLATION') return status === 'CANCELED';
  return false;
}

function ioMessage(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}

export class IndexedDbCheckpointStorage implements CheckpointStorage {
  readonly name = 'FileSystemCheckpointStorage';
  private failuresLeft = 0;
  /**
   * Per pending checkpoint: the file each subtask's state goes to ("<vertexId>#<index>"), and whether this run really
   * wrote it (a run becomes live in the middle of a checkpoint after a seek: such a checkpoint gets no `_metadata`).
   */
  private readonly files = new Map<number, Map<string, { path: string; written: boolean }>>();
  /** Checkpoints aborted while uploads may still arrive: those write nothing. */
  private readonly aborted = new Set<number>();
  private readonly jobPath: string;
  private readonly bytesPerUs: number;
  private readonly inlineThreshold: number;
  private readonly retention: RetentionPolicy;

  constructor(
    scenario: Scenario,
    private readonly dir: DirUri,
    private readonly savepointDir: DirUri,
    /** Null: no binding (tests, CLI without a directory): virtual time only. */
    private readonly binding: StorageBinding | null,
    /** The runtime this storage belongs to (an engine snapshot's copy points to its own copy). */
    private readonly owner: object,
  ) {
    const cfg = scenario.config;
    this.jobPath = jobDir(dir, binding?.jobId ?? 'job', cfg.bool('execution.checkpointing.create-subdir'));
    this.bytesPerUs = scenario.sim.stateBytesPerUs;
    this.inlineThreshold = cfg.bytes('execution.checkpointing.data-inline-threshold');
    this.retention = cfg.str('execution.checkpointing.externalized-checkpoint-retention') as RetentionPolicy;
  }

  /** The directory, when this run is the one on screen and really writes. */
  private live(): CheckpointDirectory | null {
    const b = this.binding;
    if (b === null || b.env.live !== this.owner) return null;
    return b.env.directory(this.dir.db);
  }

  private liveSavepoints(): CheckpointDirectory | null {
    const b = this.binding;
    if (b === null || b.env.live !== this.owner) return null;
    return b.env.directory(this.savepointDir.db);
  }

  get directory(): string {
    return dirString(this.dir);
  }

  get job(): string {
    return this.jobPath;
  }

  externalPath(checkpointId: number, isSavepoint: boolean): string {
    return isSavepoint
      ? savepointPath(this.savepointDir, this.binding?.jobId ?? 'job', checkpointId)
      : checkpointPath(this.jobPath, checkpointId);
  }

  upload(
    checkpointId: number,
    _subtask: string,
    stateSizes: readonly number[],
    payload?: UploadPayload,
  ): UploadResult {
    const isSavepoint = payload?.type === 'SAVEPOINT' || payload?.type === 'SYNC_SAVEPOINT';
    const snapPath = this.externalPath(checkpointId, isSavepoint);
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return {
        ok: false,
        reason: 'CHECKPOINT_ASYNC_EXCEPTION',
        message: `java.io.IOException: Could not write checkpoint state to ${snapPath} (injected fault).`,
      };
    }
    let total = 0;
    for (const s of stateSizes) total += s;
    // FsCheckpointStreamFactory: state smaller than the inline threshold goes into the metadata, not a file.
    if (payload === undefined || total < this.inlineThreshold) {
      return {
        ok: true,
        bytes: total,
        durationUs: Math.max(1, Math.ceil(total / this.bytesPerUs)),
        io: null,
      };
    }
    const path = stateFilePath(snapPath, payload.vertexId, payload.subtaskIndex);
    let files = this.files.get(checkpointId);
    if (files === undefined)
      this.files.set(checkpointId, (files = new Map<string, { path: string; written: boolean }>()));
    const durationUs = idbWriteUs(1, total, this.bytesPerUs);
    const d = isSavepoint ? this.liveSavepoints() : this.live();
    const written = d !== null && !this.aborted.has(checkpointId);
    files.set(`${payload.vertexId}#${payload.subtaskIndex}`, { path, written });
    if (d === null || !written) return { ok: true, bytes: total, durationUs, io: null };
    const write = d
      .writeFile({ path, jobPath: this.jobPath, bytes: total, data: payload.operators })
      .catch((e: unknown) => {
        throw new Error(`java.io.IOException: Could not write checkpoint state to ${path}: ${ioMessage(e)}`);
      });
    return { ok: true, bytes: total, durationUs, io: ioHandle(write) };
  }

  failNextUploads(count: number): void {
    this.failuresLeft += count;
  }

  /** The `_metadata` record of a completed checkpoint: state inline or as a reference to its file. */
  metadataOf(cp: CompletedCheckpoint): MetadataRecord {
    const files = this.files.get(cp.id);
    let stored = 0;
    const subtasks: StoredSubtask[] = cp.subtasks.map((s) => {
      const file = files?.get(`${s.vertexId}#${s.subtaskIndex}`)?.path ?? null;
      stored += s.stats.stateSize;
      return { ...s, operators: file === null ? s.operators : null, file };
    });
    return {
      format: 1,
      path: cp.externalPath,
      jobId: this.binding?.jobId ?? 'job',
      jobPath: this.jobPath,
      jobName: this.binding?.jobName ?? '',
      checkpointId: cp.id,
      kind: cp.isSavepoint ? 'savepoint' : 'checkpoint',
      type: cp.type,
      triggerUs: cp.triggerUs,
      completedUs: cp.completedUs,
      stateSize: cp.stateSize,
      storedBytes: stored,
      vertices: cp.vertices,
      subtasks,
      sharedFiles: [],
      scenario: this.binding?.rawScenario ?? null,
    };
  }

  finalize(cp: CompletedCheckpoint): IoHandle | null {
    const rec = this.metadataOf(cp);
    const files = [...(this.files.get(cp.id)?.values() ?? [])];
    this.files.delete(cp.id);
    const d = cp.isSavepoint ? this.liveSavepoints() : this.live();
    if (d === null) return null;
    if (files.some((f) => !f.written)) {
      // Some state was uploaded before this run went live (a seek): no `_metadata`, so it is never listed.
      void d.deleteFiles(files.filter((f) => f.written).map((f) => f.path)).catch(() => undefined);
      return null;
    }
    return ioHandle(
      d.writeMetadata(rec).catch((e: unknown) => {
        throw new Error(`java.io.IOException: Could not write ${cp.externalPath}/_metadata: ${ioMessage(e)}`);
      }),
    );
  }

  /** Snapshots this job must never delete: the one it was restored from, unless claimed (reference 2.6). */
  private owned(cp: CompletedCheckpoint): boolean {
    if (cp.isSavepoint) return false; // savepoints belong to the user
    const r = this.binding?.restoredFrom;
    if (r && r.path === cp.externalPath) return r.claimMode === 'CLAIM';
    return cp.externalPath.startsWith(`${this.jobPath}/`);
  }

  discardSubsumed(cp: CompletedCheckpoint): void {
    if (!this.owned(cp)) return;
    void this.live()
      ?.deleteSnapshot(cp.externalPath)
      .catch(() => undefined); // a failed delete leaves an orphan for the next start (CheckpointsCleaner logs it)
  }

  discardAborted(checkpointId: number): void {
    const files = this.files.get(checkpointId);
    this.files.delete(checkpointId);
    this.aborted.add(checkpointId);
    if (files === undefined) return;
    const paths = [...files.values()].filter((f) => f.written).map((f) => f.path);
    const d = paths[0]?.includes('/savepoint-') ? this.liveSavepoints() : this.live();
    if (d === null) return;
    void d.deleteFiles(paths).catch(() => undefined);
  }

  /** This run just became the live one: what it uploaded before (as a copy or a replay) was not written by it. */
  forgetWrites(): void {
    for (const m of this.files.values()) for (const f of m.values()) f.written = false;
  }

  jobTerminated(status: TerminalStatus, retained: readonly CompletedCheckpoint[]): void {
    if (!discardsOn(this.retention, status)) return;
    for (const cp of retained) this.discardSubsumed(cp);
  }
}
