/**
 * How a run reaches durable checkpoint storage. The worker shell (or the CLI) creates one StorageEnv: the opened
 * checkpoint directories, the lock service, whether IndexedDB works here at all, and which run is "live" (the one
 * on screen, the only one that really writes). A job's binding adds its id, its scenario and the snapshot it was
 * restored from. Nothing here reads a clock or draws a random number: job ids come from the shell.
 */
import { markImmutable } from '../../sim/snapshot.ts';
import type { ScenarioIssue } from '../../protocol.ts';
import type { Scenario } from '../../scenario/types.ts';
import { type CheckpointStorage, JobManagerCheckpointStorage } from '../checkpointStorage.ts';
import { CheckpointDirectory } from './checkpointDirectory.ts';
import { IndexedDbCheckpointStorage } from './indexedDbCheckpointStorage.ts';
import { type LockService, defaultLocks, lockName } from './locks.ts';
import { type DirUri, parseDirUri } from './paths.ts';

export type ClaimMode = 'NO_CLAIM' | 'CLAIM' | 'LEGACY';

export interface StorageEnv {
  /** Why IndexedDB cannot be used here (private mode, no IndexedDB), or null. */
  readonly unavailable: string | null;
  readonly locks: LockService;
  /** The directory of a database, opened once per env. */
  directory(db: string): CheckpointDirectory;
  /** The runtime whose storage writes: the run on screen. */
  live: object | null;
  /** The job whose lock this env holds, and how to release it. */
  held: { name: string; release: () => void } | null;
}

/** Where a job's snapshots go, and where it came from. Part of EngineOptions (`storage`). */
export interface StorageOptions {
  readonly env: StorageEnv;
  /** Flink's JobID: 32 lowercase hex digits, from the shell. */
  readonly jobId: string;
  /** The stored snapshot this job was started from (restoreFrom), with the claim mode it was started in. */
  readonly restoredFrom?: { readonly path: string; readonly claimMode: ClaimMode } | null;
}

export interface StorageBinding extends StorageOptions {
  readonly rawScenario: unknown;
  readonly jobName: string;
}

export function createStorageEnv(
  unavailable: string | null,
  locks: LockService = defaultLocks(),
): StorageEnv {
  const dirs = new Map<string, CheckpointDirectory>();
  const env: StorageEnv = {
    unavailable,
    locks,
    directory(db) {
      let d = dirs.get(db);
      if (d === undefined) dirs.set(db, (d = markImmutable(new CheckpointDirectory(db))));
      return d;
    },
    live: null,
    held: null,
  };
  // Engine snapshots share the env (and the directories): they are the outside world, not run state.
  return markImmutable(env);
}

/** The directory a scenario's checkpoints go to, when it selects durable storage. */
export function durableDir(s: Scenario): { dir: DirUri; savepoints: DirUri } | null {
  const c = s.config;
  if (c.str('execution.checkpointing.storage') !== 'indexeddb') return null;
  const raw = c.isSet('execution.checkpointing.dir') ? c.str('execution.checkpointing.dir') : null;
  const dir = parseDirUri(raw ?? 'indexeddb://checkpoint-lab');
  if (typeof dir === 'string') return null;
  const sp = c.isSet('execution.checkpointing.savepoint-dir')
    ? parseDirUri(c.str('execution.checkpointing.savepoint-dir'))
    : dir;
  return { dir, savepoints: typeof sp === 'string' ? dir : sp };
}

/** Config errors of the storage keys, naming the fix (the engine refuses the scenario with them). */
export function storageConfigIssues(s: Scenario): ScenarioIssue[] {
  const c = s.config;
  const out: ScenarioIssue[] = [];
  for (const key of ['execution.checkpointing.dir', 'execution.checkpointing.savepoint-dir']) {
    if (!c.isSet(key)) continue;
    const d = parseDirUri(c.str(key));
    if (typeof d === 'string') out.push({ path: `config["${key}"]`, message: d });
  }
  return out;
}

/**
 * The storage of a run: JobManagerCheckpointStorage unless the scenario selects durable storage
 * (execution.checkpointing.dir or execution.checkpointing.storage, reference 3.1). Where IndexedDB is unavailable
 * the run falls back to the JobManager storage and says so (`notice`); the scenario itself is unchanged.
 */
export function createCheckpointStorage(
  s: Scenario,
  binding: StorageBinding | null,
  owner: object,
): { storage: CheckpointStorage; notice: string | null } {
  const d = durableDir(s);
  if (d === null) return { storage: new JobManagerCheckpointStorage(), notice: null };
  if (binding !== null && binding.env.unavailable !== null) {
    return {
      storage: new JobManagerCheckpointStorage(),
      notice:
        `Durable checkpoint storage is off: ${binding.env.unavailable}. Checkpoints stay in the JobManager's memory ` +
        '(JobManagerCheckpointStorage, 5 MiB per state) and are lost on reload; your scenario is unchanged.',
    };
  }
  // The binding is the outside world: engine snapshots share it.
  if (binding !== null) markImmutable(binding);
  return { storage: new IndexedDbCheckpointStorage(s, d.dir, d.savepoints, binding, owner), notice: null };
}

/**
 * Makes `runtime` the run that writes (the worker calls it whenever the run on screen changes), and holds its job's
 * lock while it runs (two tabs, ./locks.ts).
 */
export async function bindLive(env: StorageEnv, runtime: object, storage: CheckpointStorage): Promise<void> {
  const job = storage instanceof IndexedDbCheckpointStorage ? storage : null;
  if (env.live !== runtime) job?.forgetWrites();
  env.live = runtime;
  const name = job ? lockName(job.job) : null;
  if (env.held?.name === name) return;
  env.held?.release();
  env.held = null;
  if (name === null) return;
  const release = await env.locks.hold(name);
  if (env.live !== runtime) {
    release();
    return;
  }
  env.held = { name, release };
}
