/**
 * The LSM backend's storage: one IndexedDB database per backend instance (Flink: the RocksDB instance's local
 * working directory), through `idb`. One object store of blocks keyed [run key, block index]; a run's blocks are
 * written in one transaction (many entries per stored value, never one record per put). In Node the global
 * `indexedDB` comes from fake-indexeddb (tests, CLI).
 *
 * Ordering: IndexedDB runs transactions whose scopes overlap in the order they were created, and a read-only
 * transaction created after a read-write one sees its writes, so blocks are readable as soon as their write was
 * issued. Physical deletion is only a space matter: runs are immutable and a run's key is never reused.
 */
import { type IDBPDatabase, deleteDB, openDB } from 'idb';

const STORE = 'blocks';

/** Prefix of database names; a host with several tabs sets a per-tab prefix (setLsmDatabasePrefix). */
let dbPrefix = 'checkpoint-lab-lsm';
let nextDb = 0;

/** The worker shell may call this once with a per-tab value so that two tabs never share a database. */
export function setLsmDatabasePrefix(prefix: string): void {
  dbPrefix = prefix;
}

export function indexedDbAvailable(): boolean {
  return typeof (globalThis as { indexedDB?: unknown }).indexedDB !== 'undefined';
}

export class InjectedIoError extends Error {
  constructor(what: string) {
    super(`QuotaExceededError: injected IndexedDB write failure (${what})`);
    this.name = 'QuotaExceededError';
  }
}

export class IdbStore {
  readonly name: string;
  private db: Promise<IDBPDatabase> | null = null;
  /** Set when engine snapshots may still reference runs: deletes are skipped (time travel, timeline.ts). */
  keepDeleted = false;
  /** Real bytes written / read (tests and stats). */
  bytesWritten = 0;
  bytesRead = 0;

  constructor(label: string) {
    this.name = `${dbPrefix}-${nextDb++}-${label}`;
  }

  private open(): Promise<IDBPDatabase> {
    if (!indexedDbAvailable()) {
      return Promise.reject(
        new Error('IndexedDB is not available here: set state.backend.type to hashmap (the memory backend)'),
      );
    }
    this.db ??= deleteDB(this.name).then(() =>
      openDB(this.name, 1, {
        upgrade(db) {
          db.createObjectStore(STORE);
        },
      }),
    );
    return this.db;
  }

  /** Writes the blocks of one run in one transaction; `fail` aborts it (an injected storage failure). */
  async putRun(runKey: string, blocks: readonly Uint8Array[], fail: boolean): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i] as Uint8Array;
      puts.push(tx.store.put(b, [runKey, i]));
      this.bytesWritten += b.length;
    }
    if (fail) {
      tx.abort();
      await Promise.allSettled([...puts, tx.done]);
      throw new InjectedIoError(`run ${runKey}`);
    }
    await Promise.all([...puts, tx.done]);
  }

  /** Reads blocks [run key, index] in one transaction. */
  async getBlocks(ids: readonly (readonly [string, number])[]): Promise<Uint8Array[]> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readonly');
    const out = await Promise.all(ids.map((id) => tx.store.get([id[0], id[1]])));
    await tx.done;
    return out.map((v, i) => {
      if (!(v instanceof Uint8Array)) {
        const id = ids[i] as readonly [string, number];
        throw new Error(`IndexedDB state backend: block ${id[1]} of run ${id[0]} is missing`);
      }
      this.bytesRead += v.length;
      return v;
    });
  }

  /** Reads every block of the given runs in one transaction (checkpoint uploads, compaction inputs). */
  async getRuns(runs: readonly { key: string; blocks: number }[]): Promise<Uint8Array[][]> {
    const ids: [string, number][] = [];
    for (const r of runs) for (let i = 0; i < r.blocks; i++) ids.push([r.key, i]);
    const flat = await this.getBlocks(ids);
    const out: Uint8Array[][] = [];
    let at = 0;
    for (const r of runs) {
      out.push(flat.slice(at, at + r.blocks));
      at += r.blocks;
    }
    return out;
  }

  async deleteRuns(runs: readonly { key: string; blocks: number }[]): Promise<void> {
    if (this.keepDeleted || runs.length === 0) return;
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    for (const r of runs) for (let i = 0; i < r.blocks; i++) void tx.store.delete([r.key, i]);
    await tx.done;
  }

  /** Engine snapshots (time travel) share the store and may still read deleted runs: stop deleting. */
  cloneForSnapshot(): IdbStore {
    this.keepDeleted = true;
    return this;
  }

  /** Drops the database (the backend is disposed). */
  async destroy(): Promise<void> {
    if (this.db === null) return;
    const db = await this.db;
    db.close();
    this.db = null;
    await deleteDB(this.name);
  }
}
