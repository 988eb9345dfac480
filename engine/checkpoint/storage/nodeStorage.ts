/**
 * Durable checkpoint storage for the CLI in Node: Node has no IndexedDB, so `fake-indexeddb` (in memory, gone when
 * the process ends) stands in, and an in-process lock manager stands in for Web Locks. The run goes through the
 * same code as in the browser (state files, `_metadata` before completion, retention). The job id is Flink's
 * application-mode fixed JobID (all zeros), so `run --json` prints the same paths every time.
 */
import type { Engine } from '../../engine.ts';
import { InProcessLocks } from './locks.ts';
import { type StorageOptions, bindLive, createStorageEnv } from './storageEnv.ts';

export const CLI_JOB_ID = '0'.repeat(32);

/** Storage options for a CLI run, with an IndexedDB in memory where the runtime has none. */
export async function nodeStorageOptions(): Promise<StorageOptions> {
  const g = globalThis as Record<string, unknown>;
  if (g['indexedDB'] === undefined) {
    // What fake-indexeddb/auto does: indexedDB and the IDB* classes (idb checks requests with instanceof).
    const fake = (await import('fake-indexeddb')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(fake)) if (k === 'indexedDB' || k.startsWith('IDB')) g[k] ??= v;
  }
  return { env: createStorageEnv(null, new InProcessLocks()), jobId: CLI_JOB_ID };
}

/** Makes the CLI's engine the run that writes. */
export async function bindCliRun(options: StorageOptions, e: Engine): Promise<void> {
  await bindLive(options.env, e.runtime, e.runtime.storage);
}

/** Whether the engine's scenario selected durable checkpoint storage. */
export function usesDurableStorage(e: Engine): boolean {
  return e.runtime.storage.name === 'FileSystemCheckpointStorage';
}
