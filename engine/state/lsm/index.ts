/** The IndexedDB (LSM) keyed state backend: see lsmBackend.ts; snapshot handles in handles.ts. */
import type { JobRuntime } from '../../runtime/jobRuntime.ts';
import type { KeyedBackendOptions } from '../memoryBackend.ts';
import type { KeyedStateBackend } from '../types.ts';
import { lsmConfigFrom } from './config.ts';
import { LsmKeyedStateBackend } from './lsmBackend.ts';
import { RuntimeLsmEnv } from './runtimeEnv.ts';

export * from './handles.ts';
export { LsmKeyedStateBackend, type LsmConfig, type LsmStats, DEFAULT_LSM_CONFIG } from './lsmBackend.ts';
export { lsmConfigFrom } from './config.ts';
export { setLsmDatabasePrefix, indexedDbAvailable } from './idbStore.ts';

const created = new WeakMap<JobRuntime, number>();

/** The backend a keyed operator of `rt` gets with state.backend.type indexeddb. */
export function createLsmBackend(rt: JobRuntime, opts: KeyedBackendOptions): LsmKeyedStateBackend {
  const n = created.get(rt) ?? 0;
  created.set(rt, n + 1);
  const label = `k${n}@${rt.kernel.now}`;
  return new LsmKeyedStateBackend(opts, lsmConfigFrom(rt.scenario.config), new RuntimeLsmEnv(rt), label);
}

export function isLsmBackend(b: KeyedStateBackend | null | undefined): b is LsmKeyedStateBackend {
  return b instanceof LsmKeyedStateBackend;
}
