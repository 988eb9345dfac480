/**
 * One checkpoint directory (`indexeddb://<name>`) as an IndexedDB database, through `idb`. Two object stores:
 * `files` (state files, keyed by path) and `metadata` (one `_metadata` record per completed checkpoint or savepoint,
 * keyed by the snapshot's path). A snapshot is complete exactly when its metadata record exists: the record is
 * written in its own transaction after every state file of the snapshot was stored (PendingCheckpoint
 * .finalizeCheckpoint writes `_metadata` through CheckpointMetadataOutputStream.closeAndFinalizeCheckpoint only after
 * all tasks acknowledged, i.e. after their state was persisted), and a snapshot is deleted metadata and files in one
 * transaction. A crash at any moment therefore leaves either a complete snapshot or files without metadata
 * (orphans, removed on the next start), never a half-written snapshot that a restore could pick.
 *
 * Every operation goes through one queue per directory, in the order the engine issued them.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { CheckpointType } from '../checkpointStats.ts';
import type { SubtaskSnapshot } from '../checkpointCoordinator.ts';
import { DB_PREFIX, snapshotOfFile } from './paths.ts';

/** A subtask's part of `_metadata`: its state inline (small state, finished tasks) or the file holding it. */
export interface StoredSubtask extends Omit<SubtaskSnapshot, 'operators'> {
  operators: SubtaskSnapshot['operators'] | null;
  file: string | null;
}

/** The `_metadata` of a completed checkpoint or savepoint. */
export interface MetadataRecord {
  format: 1;
  path: string;
  jobId: string;
  /** The job directory whose lock guards this snapshot's files. */
  jobPath: string;
  jobName: string;
  checkpointId: number;
  kind: 'checkpoint' | 'savepoint';
  type: CheckpointType;
  triggerUs: number;
  completedUs: number;
  /** Full state size (REST state_size). */
  stateSize: number;
  /** Bytes stored for it: its files and its metadata's inline state. */
  storedBytes: number;
  vertices: { id: string; parallelism: number; maxParallelism: number; operatorIds: string[] }[];
  subtasks: StoredSubtask[];
  /** Shared files (incremental state) this snapshot references. */
  sharedFiles: string[];
  /** The scenario (raw JSON) the job ran: what "start from here" runs again. */
  scenario: unknown;
}

export interface FileRecord {
  path: string;
  /** The job directory whose lock guards it (orphans are removed only when no tab holds that lock). */
  jobPath: string;
  bytes: number;
  data: unknown;
}

/** The global IndexedDB factory (typed locally: the Node configs have no DOM library). */
interface IdbFactoryLike {
  databases?(): Promise<{ name?: string }[]>;
}
interface IdbGlobals {
  indexedDB?: IdbFactoryLike;
  IDBKeyRange?: { bound(lower: string, upper: string): unknown };
}
const idbGlobals = globalThis as unknown as IdbGlobals;

/** The key range of every path below `prefix/`. */
function below(prefix: string): never {
  const kr = idbGlobals.IDBKeyRange;
  if (kr === undefined) throw new Error('IndexedDB is not available here (no IDBKeyRange)');
  return kr.bound(`${prefix}/`, `${prefix}/\uffff`) as never;
}

const FILES = 'files';
const METADATA = 'metadata';

export class CheckpointDirectory {
  private dbPromise: Promise<IDBPDatabase> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private failures: { error: Error; left: number } | null = null;
  /** Operations done (tests). */
  ops = 0;

  constructor(readonly db: string) {}

  private open(): Promise<IDBPDatabase> {
    this.dbPromise ??= openDB(DB_PREFIX + this.db, 1, {
      upgrade(db) {
        db.createObjectStore(FILES);
        db.createObjectStore(METADATA);
      },
    });
    return this.dbPromise;
  }

  /** Runs `fn` after every earlier operation of this directory settled. */
  private enqueue<T>(write: boolean, fn: (db: IDBPDatabase) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      this.ops++;
      if (write && this.failures !== null && this.failures.left > 0) {
        this.failures.left--;
        throw this.failures.error;
      }
      return fn(await this.open());
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Tests and fault drills: the next `count` writes fail with `error` (e.g. a QuotaExceededError). */
  failNextWrites(error: Error, count = 1): void {
    this.failures = { error, left: count };
  }

  writeFile(rec: FileRecord): Promise<void> {
    return this.enqueue(true, async (db) => {
      await db.put(FILES, rec, rec.path);
    });
  }

  /** Writes files that are not stored yet (shared state is uploaded once). */
  writeFilesOnce(recs: readonly FileRecord[]): Promise<void> {
    return this.enqueue(true, async (db) => {
      const tx = db.transaction(FILES, 'readwrite');
      for (const r of recs) {
        if ((await tx.store.getKey(r.path)) === undefined) await tx.store.put(r, r.path);
      }
      await tx.done;
    });
  }

  writeMetadata(rec: MetadataRecord): Promise<void> {
    return this.enqueue(true, async (db) => {
      await db.put(METADATA, rec, rec.path);
    });
  }

  /** Deletes a snapshot: its metadata and every file below its path, in one transaction. */
  deleteSnapshot(path: string): Promise<void> {
    return this.enqueue(false, async (db) => {
      const tx = db.transaction([METADATA, FILES], 'readwrite');
      await tx.objectStore(METADATA).delete(path);
      await tx.objectStore(FILES).delete(below(path));
      await tx.done;
    });
  }

  deleteFiles(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return Promise.resolve();
    return this.enqueue(false, async (db) => {
      const tx = db.transaction(FILES, 'readwrite');
      for (const p of paths) await tx.store.delete(p);
      await tx.done;
    });
  }

  listMetadata(): Promise<MetadataRecord[]> {
    return this.enqueue(false, async (db) => (await db.getAll(METADATA)) as MetadataRecord[]);
  }

  getMetadata(path: string): Promise<MetadataRecord | undefined> {
    return this.enqueue(false, async (db) => (await db.get(METADATA, path)) as MetadataRecord | undefined);
  }

  getFiles(paths: readonly string[]): Promise<Map<string, FileRecord>> {
    return this.enqueue(false, async (db) => {
      const tx = db.transaction(FILES, 'readonly');
      const out = new Map<string, FileRecord>();
      for (const p of paths) {
        const r = (await tx.store.get(p)) as FileRecord | undefined;
        if (r !== undefined) out.set(p, r);
      }
      await tx.done;
      return out;
    });
  }

  /** Every file path (to find orphans and unreferenced shared state). */
  filePaths(): Promise<string[]> {
    return this.enqueue(false, async (db) => (await db.getAllKeys(FILES)) as string[]);
  }

  /**
   * Snapshot directories holding files but no `_metadata`: left behind by a run that died (or a tab that is still
   * writing them: the caller checks the job's lock before deleting).
   */
  async orphanSnapshots(): Promise<{ snapshot: string; jobPath: string }[]> {
    const [files, metas] = await Promise.all([this.fileIndex(), this.listMetadata()]);
    const complete = new Set(metas.map((m) => m.path));
    const out = new Map<string, string>();
    for (const f of files) {
      const snap = snapshotOfFile(f.path);
      if (snap !== null && !complete.has(snap)) out.set(snap, f.jobPath);
    }
    return [...out].sort().map(([snapshot, jobPath]) => ({ snapshot, jobPath }));
  }

  /** Path, job and size of every file (without the data). */
  fileIndex(): Promise<{ path: string; jobPath: string; bytes: number }[]> {
    return this.enqueue(false, async (db) => {
      const out: { path: string; jobPath: string; bytes: number }[] = [];
      let cursor = await db.transaction(FILES, 'readonly').store.openCursor();
      while (cursor) {
        const v = cursor.value as FileRecord;
        out.push({ path: v.path, jobPath: v.jobPath, bytes: v.bytes });
        cursor = await cursor.continue();
      }
      return out;
    });
  }

  /** Waits for every operation issued so far. */
  async flush(): Promise<void> {
    await this.tail;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.dbPromise !== null) (await this.dbPromise.catch(() => null))?.close();
    this.dbPromise = null;
  }
}

/** Names of the checkpoint directories present (IDBFactory.databases), for the list after a reload. */
export async function listDirectories(): Promise<string[]> {
  const f = idbGlobals.indexedDB;
  if (!f || typeof f.databases !== 'function') return [];
  const dbs = await f.databases();
  return dbs
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(DB_PREFIX) && !n.startsWith(`${DB_PREFIX}__`))
    .map((n) => n.slice(DB_PREFIX.length))
    .sort();
}

/** Null when IndexedDB works here, else why not (private mode, disabled storage, no IndexedDB in this runtime). */
export async function probeIndexedDb(): Promise<string | null> {
  const f = idbGlobals.indexedDB;
  if (!f) return 'IndexedDB is not available in this browser context';
  try {
    const db = await openDB(`${DB_PREFIX}__probe`, 1, {
      upgrade(d) {
        d.createObjectStore('p');
      },
    });
    await db.put('p', 1, 'x');
    db.close();
    return null;
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    const msg = e instanceof Error ? e.message : String(e);
    return `IndexedDB refused to open (${name ? `${name}: ` : ''}${msg}); private browsing modes often disable it`;
  }
}
