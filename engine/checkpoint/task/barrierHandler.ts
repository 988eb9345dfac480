/**
 * The barrier handlers of a task (reference 1.2-1.6): SingleCheckpointBarrierHandler for exactly-once (aligned:
 * block each channel that delivered barrier n until all did; unaligned: snapshot at the first barrier and persist
 * in-flight data; aligned with a timeout that switches to unaligned) and the CheckpointBarrierTracker behaviour for
 * at-least-once (count barriers, never block).
 */
import { type BarrierMeta, type Channel, type ChannelItem, ItemKind } from '../../network/channel.ts';
import type { StreamTask } from '../../runtime/streamTask.ts';
import { newUnalignedCheckpoint, recordInFlight, type UnalignedCheckpoint } from './channelStateWriter.ts';

export interface Alignment {
  id: number;
  barrier: BarrierMeta;
  firstBarrierUs: number;
  seen: Set<Channel>;
  /** Bytes processed between the first and the last barrier (processed_data, reference 1.6). */
  processedBytes: number;
}

/** All-to-all exchanges may carry unaligned barriers; pointwise and broadcast ones stay aligned (1.6). */
function allToAll(ch: Channel): boolean {
  const p = ch.info.edge.partitioner;
  return p === 'hash' || p === 'rebalance';
}

export class CheckpointBarrierHandler {
  /** The alignment in progress (first barrier seen, not all barriers yet). */
  alignment: Alignment | null = null;
  /** The unaligned checkpoint whose in-flight data is still being recorded. */
  unaligned: UnalignedCheckpoint | null = null;

  constructor(private readonly task: StreamTask) {}

  reset(): void {
    this.alignment = null;
    this.unaligned = null;
  }

  /** A data buffer is read from `ch`: persisted when its barrier is still missing (unaligned), counted (aligned). */
  onData(ch: Channel, item: ChannelItem): void {
    const u = this.unaligned;
    if (u !== null && u.pending.has(ch)) recordInFlight(u, `in:${ch.index}`, item);
    if (this.alignment !== null) this.alignment.processedBytes += item.bytes;
  }

  /** A barrier arrived on an input channel (reference 1.2 steps 2-4 aligned, 1.3 at-least-once, 1.6 unaligned). */
  onBarrier(ch: Channel, barrier: BarrierMeta): void {
    const t = this.task;
    const rt = t.rt;
    const cp = t.checkpointing;
    rt.counters.barrier++;
    const u = this.unaligned;
    if (u !== null && barrier.id === u.id) {
      // The barrier of an unaligned checkpoint this task already snapshotted: stop persisting this channel.
      u.pending.delete(ch);
      if (u.pending.size === 0) this.finishUnaligned();
      return;
    }
    if (barrier.id <= cp.lastCheckpointId) return; // a barrier of a checkpoint handled or seen aborted
    if (u !== null && barrier.id > u.id) {
      cp.decline(u.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      this.unaligned = null;
    }
    if (barrier.alignment === 'UNALIGNED' && t.inputs.every(allToAll)) {
      if (this.alignment !== null) {
        cp.decline(this.alignment.id, 'CHECKPOINT_DECLINED_SUBSUMED');
        t.gate.unblockAll();
        this.alignment = null;
      }
      this.startUnaligned(new Set([ch]), barrier, rt.kernel.now - barrier.triggerUs, 0, 0, false);
      return;
    }
    let a = this.alignment;
    if (a !== null && barrier.id > a.id) {
      // A newer barrier while aligning aborts the older checkpoint (reference 1.4).
      cp.decline(a.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      t.gate.unblockAll();
      this.alignment = a = null;
    }
    if (a === null) {
      a = { id: barrier.id, barrier, firstBarrierUs: rt.kernel.now, seen: new Set(), processedBytes: 0 };
      this.alignment = a;
      cp.phases.set(barrier.id, 'aligning');
      const timeout = barrier.alignedTimeoutUs;
      if (timeout !== null) {
        const at = barrier.triggerUs + timeout;
        if (at > rt.kernel.now) rt.scheduleAlignTimeout(t, barrier.id, at);
        else {
          a.seen.add(ch);
          this.switchToUnaligned();
          return;
        }
      }
    }
    a.seen.add(ch);
    const missing: number[] = [];
    for (const c of t.inputs) if (!c.finished && !a.seen.has(c)) missing.push(c.info.from.index);
    if (missing.length > 0) {
      const blocking = barrier.alignment !== 'AT_LEAST_ONCE';
      if (blocking) ch.blocked = true;
      rt.emit({
        kind: 'barrier-received',
        checkpointId: barrier.id,
        subtask: t.index,
        from: ch.info.from.index,
        waitingFor: missing,
        blocking,
      });
      return;
    }
    this.maybeCompleteAlignment();
  }

  /**
   * A priority (unaligned) barrier arrived: handled now, between the records of the buffer in hand, unless the task
   * already read it from the queue (CheckpointedInputGate.processPriorityEvents).
   */
  onPriorityBarrier(ch: Channel, p: { item: ChannelItem; attempt: number }): void {
    const t = this.task;
    if (t.attempt !== p.attempt || t.status !== 'RUNNING' || t.lost) return;
    const now = t.rt.kernel.now;
    if (ch.stalledUntil > now) {
      t.rt.schedulePriorityBarrier(ch, p.item, ch.stalledUntil);
      return;
    }
    const at = ch.flight.indexOf(p.item);
    if (at < 0) return;
    ch.flight.splice(at, 1);
    t.rt.kernel.hash.mix32(ItemKind.Barrier);
    this.onBarrier(ch, p.item.barrier as BarrierMeta);
    t.wake(now);
  }

  /** An input finished: the alignment may now be complete. */
  onEndOfPartition(): void {
    if (this.alignment !== null) this.maybeCompleteAlignment();
  }

  /** All live inputs delivered the barrier: unblock, snapshot, forward (reference 1.2 step 4). */
  private maybeCompleteAlignment(): void {
    const t = this.task;
    const a = this.alignment;
    if (a === null) return;
    if (t.inputs.some((c) => !c.finished && !a.seen.has(c))) return;
    this.alignment = null;
    t.gate.unblockAll();
    const now = t.rt.kernel.now;
    if (t.inputs.length > 1) {
      t.rt.emit({
        kind: 'alignment-complete',
        checkpointId: a.id,
        subtask: t.index,
        inputs: t.inputs.length,
        alignmentUs: now - a.firstBarrierUs,
      });
    }
    t.checkpointing.checkpointState(
      a.barrier,
      now - a.firstBarrierUs,
      a.firstBarrierUs - a.barrier.triggerUs,
      a.processedBytes,
    );
    t.wake(now);
  }

  /**
   * First barrier of an unaligned checkpoint at a task: snapshot at once, forward the barrier ahead of the
   * output data, and persist what arrives on the other inputs until their barriers come.
   */
  private startUnaligned(
    seen: Set<Channel>,
    barrier: BarrierMeta,
    startDelayUs: number,
    alignmentUs: number,
    processedBytes: number,
    afterTimeout: boolean,
  ): void {
    const t = this.task;
    const pending = new Set(t.inputs.filter((c) => !c.finished && !seen.has(c)));
    this.unaligned = newUnalignedCheckpoint(barrier.id, pending);
    t.gate.unblockAll();
    t.rt.emit({
      kind: 'unaligned-barrier',
      checkpointId: barrier.id,
      subtask: t.index,
      persistingInputs: pending.size,
      afterTimeout,
    });
    t.checkpointing.checkpointState(
      { ...barrier, alignment: 'UNALIGNED' },
      alignmentUs,
      startDelayUs,
      processedBytes,
    );
    t.wake(t.rt.kernel.now);
  }

  /** execution.checkpointing.aligned-checkpoint-timeout passed while aligning checkpoint `id` (1.6). */
  onAlignTimeout(id: number): void {
    if (this.alignment === null || this.alignment.id !== id) return;
    this.switchToUnaligned();
  }

  private switchToUnaligned(): void {
    const a = this.alignment as Alignment;
    this.alignment = null;
    const now = this.task.rt.kernel.now;
    this.startUnaligned(
      a.seen,
      a.barrier,
      a.firstBarrierUs - a.barrier.triggerUs,
      now - a.firstBarrierUs,
      a.processedBytes,
      true,
    );
  }

  /**
   * Sends an unaligned barrier: on all-to-all channels it overtakes every buffer not consumed yet (they become the
   * sender's output channel state); pointwise and broadcast channels keep it in order (forced aligned, 1.6).
   */
  emitUnalignedBarrier(barrier: BarrierMeta): void {
    const t = this.task;
    const rt = t.rt;
    const now = rt.kernel.now;
    const u = this.unaligned ?? newUnalignedCheckpoint(barrier.id, new Set());
    for (const ch of t.writer.channels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
      }
      const item = rt.transport.buffers.event(ItemKind.Barrier, barrier.id, barrier);
      item.sentAt = now;
      item.arriveAt = now + rt.transport.latencyUs;
      if (!allToAll(ch)) {
        ch.waiting.push({ ...item, sentAt: 0, arriveAt: 0, barrier: { ...barrier, alignment: 'ALIGNED' } });
        rt.transport.transmit(ch);
        continue;
      }
      for (const it of [...ch.flight, ...ch.waiting])
        if (it.kind === ItemKind.Data) recordInFlight(u, `out:${ch.index}`, it);
      ch.flight.unshift(item);
      rt.taskOf(ch.info.to.index).wake(item.arriveAt);
      rt.schedulePriorityBarrier(ch, item, item.arriveAt);
      rt.transport.transmit(ch); // the flushed open buffer goes out behind the barrier as credit allows
    }
    if (this.unaligned === null && u.persistedBytes > 0) {
      // A source (no inputs): keep the output channel state until its asynchronous part acknowledges.
      this.unaligned = u;
    }
  }

  /** The asynchronous part is done; the acknowledgement of an unaligned checkpoint also waits for the last barrier. */
  asyncDone(id: number, snapshot: unknown, asyncDoneAt: number): boolean {
    const u = this.unaligned;
    if (u === null || u.id !== id) return false;
    u.ack = { snapshot, asyncDoneAt };
    if (u.pending.size === 0) this.finishUnaligned();
    return true;
  }

  /** All barriers of the unaligned checkpoint arrived: once the asynchronous part is done too, acknowledge. */
  private finishUnaligned(): void {
    const u = this.unaligned;
    if (u === null || u.pending.size > 0 || u.ack === null) return;
    this.unaligned = null;
    this.task.rt.acknowledgeUnaligned(this.task, u);
  }

  /** notifyCheckpointAborted(id): forget alignment and in-flight recording of checkpoints <= id. */
  abortUpTo(id: number): void {
    const t = this.task;
    if (this.unaligned !== null && this.unaligned.id <= id) this.unaligned = null;
    if (this.alignment !== null && this.alignment.id <= id) {
      this.alignment = null;
      t.gate.unblockAll();
      t.wake(t.rt.kernel.now);
    }
  }
}
