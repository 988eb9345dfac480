/**
 * Durable checkpoint storage as the worker shell and the CLI use it: one StorageEnv per process, a fresh job id
 * for every job submitted (a load, a restart from a savepoint, a start from a stored snapshot), the run on screen
 * bound as the one that writes, retention applied when a job is replaced (a cancel), and the list and restore of
 * stored snapshots. Job ids come from `newJobId` (the shell may use crypto; the engine may not).
 */
import type { CreateResult, Engine, EngineOptions } from '../../engine.ts';
import type { RestoreFromOptions, RetainedList } from '../../protocol.ts';
import { type LockService, defaultLocks } from './locks.ts';
import { listDirectories, probeIndexedDb } from './checkpointDirectory.ts';
import { listRetained, loadSnapshot, removeOrphans } from './retained.ts';
import { startFromSnapshot } from './startFromSnapshot.ts';
import { type StorageEnv, type StorageOptions, bindLive, createStorageEnv } from './storageEnv.ts';

/** How long the start waits for IndexedDB (the probe, then the removal of orphans). */
const PROBE_MS = 3000;

export class StorageShell {
  private env: StorageEnv | null = null;
  private orphansRemoved = 0;
  /** Resolves once IndexedDB was probed and orphans were removed; loads wait for it. */
  readonly ready: Promise<void>;

  constructor(
    private readonly newJobId: () => string,
    /** Resolves with `fallback` when `p` has not settled after `ms` (the shell's timer; storage never waits forever). */
    within: <T>(p: Promise<T>, ms: number, fallback: T) => Promise<T> = (p) => p,
    probe: () => Promise<string | null> = probeIndexedDb,
    locks: LockService = defaultLocks(),
  ) {
    this.ready = within(
      probe().catch((e: unknown) => (e instanceof Error ? e.message : 'IndexedDB probe failed')),
      PROBE_MS,
      `IndexedDB did not answer within ${PROBE_MS / 1000} s`,
    ).then(async (unavailable) => {
      this.env = createStorageEnv(unavailable, locks);
      this.orphansRemoved = await within(
        removeOrphans(this.env).catch(() => 0),
        PROBE_MS,
        0,
      );
    });
  }

  /** Storage options for a new job (a fresh job id); undefined before `ready`. */
  jobOptions(): StorageOptions | undefined {
    return this.env === null ? undefined : { env: this.env, jobId: this.newJobId() };
  }

  /** The engine now on screen: its runtime writes, its job holds the lock. */
  live(e: Engine): void {
    if (this.env !== null) void bindLive(this.env, e.runtime, e.runtime.storage);
  }

  /** The job on screen is replaced by another job: a cancel, so retention applies (CheckpointProperties). */
  cancel(e: Engine | null): void {
    if (e === null || e.isFinished() || this.env === null || this.env.live !== e.runtime) return;
    e.runtime.storage.jobTerminated?.('CANCELED', e.runtime.coordinator.completed);
  }

  async list(): Promise<RetainedList> {
    await this.ready;
    const env = this.env as StorageEnv;
    if (env.unavailable === null) {
      for (const db of await listDirectories()) await env.directory(db).flush();
      // Again now: a worker that was just killed may still have held its job's lock at start.
      this.orphansRemoved += await removeOrphans(env).catch(() => 0);
    }
    return listRetained(env, this.orphansRemoved);
  }

  /** A new job from the stored snapshot at `path` (not yet on screen: the caller makes it live). */
  async restoreFrom(path: string, opts: RestoreFromOptions, base: EngineOptions = {}): Promise<CreateResult> {
    await this.ready;
    const env = this.env as StorageEnv;
    const loaded = await loadSnapshot(env, path);
    if (!loaded.ok) return { ok: false, errors: [{ path: 'path', message: loaded.message }] };
    return startFromSnapshot(loaded, opts, { env, jobId: this.newJobId() }, base);
  }
}
