/**
 * AsyncCheckpointRunnable (reference 1.4 step 5): the asynchronous part of a subtask's checkpoint. It serializes
 * the frozen (copy-on-write) state, uploads it to checkpoint storage (virtual time = bytes / sim.stateBandwidth),
 * and acknowledges with the subtask's statistics (SubtaskStateStats). A failed upload declines the checkpoint with
 * CHECKPOINT_ASYNC_EXCEPTION.
 */
import type { StreamTask } from '../../runtime/streamTask.ts';
import type { SubtaskSnapshot } from '../checkpointCoordinator.ts';
import type { UnalignedCheckpoint } from './channelStateWriter.ts';
import { type AsyncSnapshot, SYNC_PHASE_US } from './subtaskCheckpointCoordinator.ts';
import type { OperatorStateHandle } from '../../state/types.ts';
import type { IoHandle } from '../../sim/eventQueue.ts';
import { sharedIo } from '../../state/lsm/sharedIo.ts';
import { isLsmHandle } from '../../state/lsm/handles.ts';

export function runAsyncPart(t: StreamTask, id: number, snap: AsyncSnapshot): void {
  const rt = t.rt;
  if (t.attempt !== snap.attempt || t.lost) {
    for (const r of snap.runners) r?.discard();
    return;
  }
  const keyed = snap.runners.map((r) => (r ? r.write() : null));
  // What this checkpoint uploads: an incremental snapshot of the LSM backend uploads only its new runs
  // (checkpointed_size), yet references all of its state (state_size); every other handle uploads all it holds.
  const sizes: number[] = [];
  let stateSize = 0;
  let readUs = 0;
  for (const h of keyed) {
    if (!h) continue;
    stateSize += h.stateSize;
    if (isLsmHandle(h)) {
      for (const x of h.handles)
        if (x.kind === 'private' || x.uploaded) sizes.push(x.kind === 'private' ? x.bytes.length : x.size);
    } else sizes.push(h.stateSize);
  }
  for (const h of snap.operatorHandles) {
    sizes.push(h.stateSize);
    stateSize += h.stateSize;
  }
  // Reading the uploaded runs back from IndexedDB (the LSM backend's cost model).
  for (const r of snap.runners) readUs += (r as { asyncIoUs?: number } | null)?.asyncIoUs ?? 0;
  const operators: SubtaskSnapshot['operators'] = {};
  t.info.vertex.operators.forEach((spec, i) => {
    operators[spec.id] = {
      keyed: keyed[i] ?? null,
      operator: snap.operatorHandles[i] as OperatorStateHandle,
    };
  });
  const upload = rt.storage.upload(id, t.name, sizes, {
    type: snap.barrier.type,
    vertexId: t.info.vertex.id,
    subtaskIndex: t.info.subtaskIndex,
    operators,
  });
  if (!upload.ok) {
    t.checkpointing.decline(id, upload.reason, upload.message);
    return;
  }
  const total = upload.bytes;
  const now = rt.kernel.now;
  // The storage's cost model (JobManager storage: state size / sim.stateBandwidth).
  const asyncUs =
    upload.durationUs !== undefined
      ? upload.durationUs + readUs
      : Math.max(1, Math.ceil(total / rt.scenario.sim.stateBytesPerUs) + readUs);
  t.checkpointing.phases.set(id, 'async');
  const ackAt = now + asyncUs + rt.transport.latencyUs;
  const snapshot: SubtaskSnapshot = {
    vertexId: t.info.vertex.id,
    subtaskIndex: t.info.subtaskIndex,
    subtask: t.index,
    operators,
    channelState: {},
    stats: {
      ackTimeUs: ackAt,
      stateSize,
      checkpointedSize: total,
      syncDurationUs: SYNC_PHASE_US,
      asyncDurationUs: asyncUs,
      alignmentDurationUs: snap.alignmentUs,
      processedData: snap.processedBytes,
      persistedData: 0,
      startDelayUs: snap.startDelayUs,
      // CheckpointMetricsBuilder.build: unaligned_checkpoint = some in-flight data was persisted (set on the ack).
      unaligned: false,
    },
  };
  const io = writeIo(snap, upload.io ?? null);
  // The acknowledgement of an unaligned checkpoint also waits for the last barrier (1.6).
  if (t.barriers.asyncDone(id, snapshot, now + asyncUs)) {
    if (io !== null) unalignedIo.set(snapshot, io);
    return;
  }
  t.checkpointing.acknowledged(id, snapshot);
  rt.scheduleAck(t, id, snapshot, ackAt, io);
}

/** The real I/O of an unaligned checkpoint's snapshot until its last barrier came (I/O is not run state: copies have none). */
const unalignedIo = new WeakMap<SubtaskSnapshot, IoHandle>();

/** The real I/O behind the keyed writes of a snapshot (asynchronous backends) and its upload, or null. */
function writeIo(snap: AsyncSnapshot, uploadIo: IoHandle | null): IoHandle | null {
  const pending: Promise<void>[] = [];
  let failed: Error | null = null;
  for (const io of [...snap.runners.map((r) => r?.writeIo ?? null), uploadIo]) {
    if (io === null) continue;
    if (io.settled) failed ??= io.error ? ioError(io.error) : null;
    else
      pending.push(
        io.promise.then(() => {
          if (io.error) throw ioError(io.error);
        }),
      );
  }
  if (pending.length === 0 && failed === null) return null;
  // Shared by engine snapshots (time travel): a promise cannot be copied.
  return sharedIo(failed !== null ? Promise.reject(failed) : Promise.all(pending));
}

function ioError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Acknowledges an unaligned checkpoint once its last barrier came: its channel state joins the snapshot. */
export function acknowledgeUnaligned(t: StreamTask, u: UnalignedCheckpoint): void {
  const rt = t.rt;
  const ack = u.ack as NonNullable<UnalignedCheckpoint['ack']>;
  const snapshot = ack.snapshot as SubtaskSnapshot;
  snapshot.channelState = u.channelState;
  snapshot.stats.persistedData += u.persistedBytes;
  snapshot.stats.stateSize += u.persistedBytes;
  snapshot.stats.checkpointedSize += u.persistedBytes;
  snapshot.stats.unaligned = snapshot.stats.persistedData > 0;
  const latency = rt.transport.latencyUs;
  const done = Math.max(rt.kernel.now, ack.asyncDoneAt);
  snapshot.stats.asyncDurationUs =
    done - (snapshot.stats.ackTimeUs - latency - snapshot.stats.asyncDurationUs);
  const ackAt = done + latency;
  snapshot.stats.ackTimeUs = ackAt;
  t.checkpointing.acknowledged(u.id, snapshot);
  const io = unalignedIo.get(snapshot) ?? null;
  unalignedIo.delete(snapshot);
  rt.scheduleAck(t, u.id, snapshot, ackAt, io);
}
