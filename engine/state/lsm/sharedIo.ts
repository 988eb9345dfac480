/**
 * Real I/O handles that engine snapshots (time travel, sim/snapshot.ts) share instead of copying: a promise cannot
 * be copied, and a pending operation belongs to the storage, which the copies share too (idbStore.ts).
 */
import { type IoHandle, ioHandle } from '../../sim/eventQueue.ts';

function self<T>(this: T): T {
  return this;
}

/** Marks an object as shared by engine snapshots (its `cloneForSnapshot` returns itself). */
export function shareInSnapshots<T extends object>(o: T): T {
  Object.defineProperty(o, 'cloneForSnapshot', { value: self, enumerable: false });
  return o;
}

/** ioHandle(p), shared by engine snapshots. */
export function sharedIo(p: Promise<unknown>): IoHandle {
  return shareInSnapshots(ioHandle(p));
}
