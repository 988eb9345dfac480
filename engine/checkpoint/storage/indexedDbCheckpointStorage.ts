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
import { externalizeShared } from './sharedState.ts';
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

/** One subtask's upload of a pending checkpoint. */
interface PendingFile {
  /** The state file, or null when the state is inlined into `_metadata`. */
  path: string | null;
  /** This run really wrote it (and its shared runs). */
  written: boolean;
  /** The operators as stored (shared runs as references). */
  data: CompletedCheckpoint['subtasks'][number]['operators'];
  /** Shared files referenced. */
  refs: string[];
}

export class IndexedDbCheckpointStorage implements CheckpointStorage {
  readonly name = 'FileSystemCheckpointStorage';
  private failuresLeft = 0;
  /**
   * Per pending checkpoint: the file each subtask's state goes to ("<vertexId>#<index>"), and whether this run really
   * wrote it (a run becomes live in the middle of a checkpoint after a seek: such a checkpoint gets no `_metadata`).
   */
  private readonly files = new Map<number, Map<string, PendingFile>>();
  /** Shared runs (incremental state) stored so far: run key -> file. */
  private readonly shared = new Map<string, string>();
  /** Shared files each retained checkpoint references (deleted when none references them any more). */
  private readonly sharedRefs = new Map<number, string[]>();
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
    if (payload === undefined)
      return {
        ok: true,
        bytes: total,
        durationUs: Math.max(1, Math.ceil(total / this.bytesPerUs)),
        io: null,
      };
    const ext = externalizeShared(payload.operators, this.jobPath, this.shared);
    let sharedBytes = 0;
    for (const u of ext.uploads) sharedBytes += u.size;
    // FsCheckpointStreamFactory: state smaller than the inline threshold goes into the metadata, not a file.
    const inline = total - sharedBytes < this.inlineThreshold;
    const path = inline ? null : stateFilePath(snapPath, payload.vertexId, payload.subtaskIndex);
    const requests = (inline ? 0 : 1) + ext.uploads.length;
    const durationUs = idbWriteUs(requests, total, this.bytesPerUs);
    let files = this.files.get(checkpointId);
    if (files === undefined) this.files.set(checkpointId, (files = new Map<string, PendingFile>()));
    const d = isSavepoint ? this.liveSavepoints() : this.live();
    const written = d !== null && !this.aborted.has(checkpointId);
    files.set(`${payload.vertexId}#${payload.subtaskIndex}`, {
      path,
      written,
      data: ext.data,
      refs: ext.refs,
    });
    if (d === null || !written || requests === 0) return { ok: true, bytes: total, durationUs, io: null };
    const jobPath = this.jobPath;
    const writes: Promise<void>[] = [];
    if (ext.uploads.length > 0)
      writes.push(
        d.writeFilesOnce(ext.uploads.map((u) => ({ path: u.path, jobPath, bytes: u.size, data: u.bytes }))),
      );
    if (path !== null)
      writes.push(d.writeFile({ path, jobPath, bytes: total - sharedBytes, data: ext.data }));
    const write = Promise.all(writes).catch((e: unknown) => {
      throw new Error(
        `java.io.IOException: Could not write checkpoint state to ${snapPath}: ${ioMessage(e)}`,
      );
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
    const refs = new Set<string>();
    const subtasks: StoredSubtask[] = cp.subtasks.map((s) => {
      const f = files?.get(`${s.vertexId}#${s.subtaskIndex}`);
      stored += s.stats.checkpointedSize;
      for (const r of f?.refs ?? []) refs.add(r);
      // A finished subtask's state (FLIP-147) came with an earlier checkpoint: inline, bytes and all.
      return {
        ...s,
        operators: f === undefined ? s.operators : f.path === null ? f.data : null,
        file: f?.path ?? null,
      };
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
      sharedFiles: [...refs].sort(),
      scenario: this.binding?.rawScenario ?? null,
    };
  }

  finalize(cp: CompletedCheckpoint): IoHandle | null {
    const rec = this.metadataOf(cp);
    const files = [...(this.files.get(cp.id)?.values() ?? [])];
    this.files.delete(cp.id);
    if (!cp.isSavepoint) this.sharedRefs.set(cp.id, rec.sharedFiles);
    const d = cp.isSavepoint ? this.liveSavepoints() : this.live();
    if (d === null) return null;
    if (files.some((f) => !f.written)) {
      // Some state was uploaded before this run went live (a seek): no `_metadata`, so it is never listed.
      const own = files.filter((f) => f.written && f.path !== null).map((f) => f.path as string);
      void d.deleteFiles(own).catch(() => undefined);
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

  discardSubsumed(cp: CompletedCheckpoint, retained: readonly CompletedCheckpoint[] = []): void {
    const refs = this.sharedRefs.get(cp.id) ?? [];
    this.sharedRefs.delete(cp.id);
    if (!this.owned(cp)) return;
    const d = this.live();
    if (d === null) return;
    // A failed delete leaves an orphan for the next start (CheckpointsCleaner only logs it).
    void d.deleteSnapshot(cp.externalPath).catch(() => undefined);
    // SharedStateRegistry.unregisterUnusedState: shared runs no retained checkpoint references any more.
    const used = new Set<string>();
    for (const r of retained) for (const f of this.sharedRefs.get(r.id) ?? []) used.add(f);
    const unused = refs.filter((f) => !used.has(f) && f.startsWith(`${this.jobPath}/`));
    for (const f of unused) for (const [k, v] of this.shared) if (v === f) this.shared.delete(k);
    void d.deleteFiles(unused).catch(() => undefined);
  }

  discardAborted(checkpointId: number): void {
    const files = this.files.get(checkpointId);
    this.files.delete(checkpointId);
    this.aborted.add(checkpointId);
    if (files === undefined) return;
    const paths = [...files.values()]
      .filter((f) => f.written && f.path !== null)
      .map((f) => f.path as string);
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
    for (let i = 0; i < retained.length; i++)
      this.discardSubsumed(retained[i] as CompletedCheckpoint, retained.slice(i + 1));
  }
}
