/**
 * engine/state: keyed and operator state, key groups, backends (reference sections 3 and 4).
 * The runtime creates keyed backends through `createKeyedStateBackend` so that other kinds (IndexedDB) can be
 * added behind the same KeyedStateBackend contract.
 */
import { type KeyedBackendOptions, HashMapKeyedStateBackend } from './memoryBackend.ts';
import type { KeyedStateBackend } from './types.ts';

/** `state.backend.type` values with an implementation (reference 3.1). */
export type KeyedStateBackendKind = 'hashmap';

export function createKeyedStateBackend(
  kind: KeyedStateBackendKind,
  opts: KeyedBackendOptions,
): KeyedStateBackend {
  switch (kind) {
    case 'hashmap':
      return new HashMapKeyedStateBackend(opts);
    default:
      throw new Error('Unknown keyed state backend: ' + String(kind));
  }
}

export * from './types.ts';
export * from './keyGroups.ts';
export { Decoder, Encoder, decode, encode, encodedSize } from './codec.ts';
export { HashMapKeyedStateBackend, type KeyedBackendOptions } from './memoryBackend.ts';
export { DefaultOperatorStateBackend } from './operatorState.ts';
export { repartitionOperatorState } from './operatorStateRepartitioner.ts';
export { compareTimers } from './timerQueue.ts';
