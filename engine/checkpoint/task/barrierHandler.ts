/**
 * The barrier handlers of a task (reference 1.2-1.6): SingleCheckpointBarrierHandler for exactly-once (aligned:
 * block each channel that delivered barrier n until all did; unaligned: snapshot at the first barrier and persist
 * in-flight data; aligned with a timeout that switches to unaligned, the "alternating" states) and the
 * CheckpointBarrierTracker behaviour for at-least-once (count barriers, never block).
 *
 * The aligned-checkpoint timeout (execution.checkpointing.aligned-checkpoint-timeout) acts in three places, as in
 * Flink 1.20:
 * - at the receiver, from the first barrier read or the first barrier announced (EventAnnouncement: a timeoutable
 *   barrier that reached the input queue behind data is announced at once, as a priority event), the timer
 *   (SingleCheckpointBarrierHandler.registerAlignmentTimer, BarrierAlignmentUtil.getTimerDelay) fires at the
 *   checkpoint's start + the timeout; the task then switches (AlternatingCollectingBarriers / AlternatingWaitingFor-
 *   FirstBarrier.alignedCheckpointTimeout): the announced barriers jump their queues (ChannelState.
 *   prioritizeAllAnnouncements, RemoteInputChannel.convertToPriorityEvent) and the buffers they overtake are
 *   persisted as input channel state;
 * - at the sender, its own timer (SubtaskCheckpointCoordinatorImpl.registerAlignmentTimer) turns a barrier still
 *   waiting in an output queue into an unaligned priority event (PipelinedSubpartition.alignedBarrierTimeout): the
 *   buffers it overtakes become output channel state, and the acknowledgement waits for that;
 * - a task that reads an unaligned barrier switches at once (AbstractAlternatingAlignedBarrierHandlerState).
 * Tasks with a pointwise (forward) or broadcast input get forced-aligned barriers on all inputs: they never switch.
 */
import {
  type BarrierMeta,
  type Channel,
  type ChannelItem,
  forcedAligned,
  isTimeoutable,
  ItemKind,
} from '../../network/channel.ts';
import type { StreamTask } from '../../runtime/streamTask.ts';
import { newUnalignedCheckpoint, recordInFlight, type UnalignedCheckpoint } from './channelStateWriter.ts';

export interface Alignment {
  id: number;
  barrier: BarrierMeta;
  /** When the first barrier was read (markAlignmentStart), or -1 while barriers were only announced. */
  firstBarrierUs: number;
  seen: Set<Channel>;
  /**
   * Barriers announced but not read yet: queued behind data in this task's input (ChannelState's announced
   * sequence numbers). A switch to unaligned makes them jump their queues.
   */
  announced: Map<Channel, ChannelItem>;
  /** Bytes processed between the first and the last barrier (processed_data, reference 1.6). */
  processedBytes: number;
}

/** A priority event for a task: an unaligned barrier, or the announcement of a queued timeoutable one. */
export interface PriorityEvent {
  item: ChannelItem;
  attempt: number;
  /**
   * Unaligned barriers: how many items already on the wire or queued at the receiver the barrier overtook (they
   * follow it in the channel). The receiver persists their data as input channel state when it handles the barrier
   * (RemoteInputChannel: a priority buffer goes to the head of the queue; checkpointStarted persists what it
   * overtook); the sender persists only what was still in its output queue.
   */
  overtaken: number;
}

export class CheckpointBarrierHandler {
  /** The alignment in progress (first barrier seen or announced, not all barriers read yet). */
  alignment: Alignment | null = null;
  /**
   * The unaligned checkpoint whose in-flight data is still being recorded, or whose timeoutable output barriers
   * still wait in the output queues.
   */
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
    this.subsumeOlder(barrier.id);
    let a = this.alignment;
    if (a !== null && a.id > barrier.id) return; // obsolete: a newer checkpoint is being aligned
    const now = rt.kernel.now;
    if (barrier.alignment === 'UNALIGNED' && ch.unalignedSupported) {
      // An unaligned barrier (unaligned from the start, or switched upstream) starts or switches to unaligned now.
      if (a !== null) this.switchToUnaligned(ch);
      else this.startUnaligned(new Set([ch]), barrier, now - barrier.triggerUs, 0, 0, false);
      return;
    }
    a ??= this.beginAlignment(barrier);
    if (a.firstBarrierUs < 0) {
      a.firstBarrierUs = now;
      cp.phases.set(barrier.id, 'aligning');
    }
    a.announced.delete(ch);
    a.seen.add(ch);
    const missing: number[] = [];
    for (const c of t.inputs) if (!c.finished && !a.seen.has(c)) missing.push(c.info.from.index);
    if (missing.length === 0) {
      this.maybeCompleteAlignment();
      return;
    }
    // ControllerImpl.isTimedOut: the checkpoint started longer than the timeout ago.
    if (isTimeoutable(a.barrier) && a.barrier.triggerUs + (a.barrier.alignedTimeoutUs as number) < now) {
      this.switchToUnaligned(null);
      return;
    }
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
  }

  /** checkNewCheckpoint: a barrier of a newer checkpoint cancels the older one in progress here (reference 1.4). */
  private subsumeOlder(id: number): void {
    const t = this.task;
    const u = this.unaligned;
    if (u !== null && id > u.id) {
      t.checkpointing.decline(u.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      this.unaligned = null;
    }
    const a = this.alignment;
    if (a !== null && id > a.id) {
      t.checkpointing.decline(a.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      t.gate.unblockAll();
      this.alignment = null;
    }
  }

  /** A new alignment; a timeoutable one registers its timer, due at the checkpoint's start + the timeout. */
  private beginAlignment(barrier: BarrierMeta): Alignment {
    const a: Alignment = {
      id: barrier.id,
      barrier,
      firstBarrierUs: -1,
      seen: new Set(),
      announced: new Map(),
      processedBytes: 0,
    };
    this.alignment = a;
    if (isTimeoutable(barrier)) {
      const t = this.task;
      const at = barrier.triggerUs + (barrier.alignedTimeoutUs as number);
      t.rt.scheduleAlignTimeout(t, barrier.id, Math.max(at, t.rt.kernel.now));
    }
    return a;
  }

  /**
   * A priority (unaligned) barrier arrived: handled now, between the records of the buffer in hand, unless the task
   * already read it from the queue (CheckpointedInputGate.processPriorityEvents).
   */
  onPriorityBarrier(ch: Channel, p: PriorityEvent): void {
    const t = this.task;
    if (t.attempt !== p.attempt || t.status !== 'RUNNING' || t.lost) return;
    const now = t.rt.kernel.now;
    if (ch.stalledUntil > now) {
      t.rt.schedulePriorityBarrier(ch, p.item, ch.stalledUntil, p.overtaken);
      return;
    }
    const at = ch.flight.indexOf(p.item);
    if (at < 0) return;
    ch.flight.splice(at, 1);
    t.rt.kernel.hash.mix32(ItemKind.Barrier);
    const barrier = p.item.barrier as BarrierMeta;
    const before = this.unaligned;
    const overtaken = ch.flight.slice(at, at + p.overtaken);
    // Already unaligned, still persisting this channel: what the barrier overtook belongs to the checkpoint.
    if (before !== null && before.id === barrier.id && before.pending.has(ch))
      this.persist(before, ch, overtaken);
    this.onBarrier(ch, barrier);
    // The barrier started (or switched to) the unaligned checkpoint here.
    const u = this.unaligned;
    if (u !== null && u !== before && u.id === barrier.id) this.persist(u, ch, overtaken);
    t.wake(now);
  }

  /** Input channel state: the data of `items`, read later from `ch` after its barrier. */
  private persist(u: UnalignedCheckpoint, ch: Channel, items: readonly ChannelItem[]): void {
    for (const it of items) if (it.kind === ItemKind.Data) recordInFlight(u, `in:${ch.index}`, it);
  }

  /**
   * A timeoutable barrier reached this task's input queue on `ch` (RemoteInputChannel.onBuffer enqueues an
   * EventAnnouncement ahead of the data; SingleCheckpointBarrierHandler.processBarrierAnnouncement): the alignment
   * timer may start now, long before the task reads the barrier; once unaligned, the barrier jumps the queue.
   */
  onAnnouncement(ch: Channel, p: PriorityEvent): void {
    const t = this.task;
    if (t.attempt !== p.attempt || t.status !== 'RUNNING' || t.lost) return;
    const now = t.rt.kernel.now;
    if (ch.stalledUntil > now) {
      t.rt.scheduleAnnouncement(ch, p.item, ch.stalledUntil);
      return;
    }
    if (!ch.flight.includes(p.item)) return; // read already
    const barrier = p.item.barrier as BarrierMeta;
    const u = this.unaligned;
    if (u !== null && u.id === barrier.id) {
      // AlternatingWaitingForFirstBarrierUnaligned.announcementReceived: already unaligned, convert it now.
      if (u.pending.has(ch)) this.prioritize(ch, p.item);
      return;
    }
    if (barrier.id <= t.checkpointing.lastCheckpointId) return; // an obsolete announcement
    this.subsumeOlder(barrier.id);
    const a = this.alignment ?? this.beginAlignment(barrier);
    if (a.id !== barrier.id) return;
    a.announced.set(ch, p.item); // ChannelState.addSeenAnnouncement
  }

  /**
   * RemoteInputChannel.convertToPriorityEvent: the barrier queued on `ch` jumps ahead of the data before it, which
   * is persisted as input channel state of the unaligned checkpoint (checkpointStarted: getInflightBuffers); the
   * barrier is then handled as a priority event. The overtaken data is still processed afterwards.
   */
  private prioritize(ch: Channel, item: ChannelItem): void {
    const u = this.unaligned;
    const at = ch.flight.indexOf(item);
    if (u === null || at < 0) return;
    this.persist(u, ch, ch.flight.slice(0, at));
    ch.flight.splice(at, 1);
    this.task.rt.kernel.hash.mix32(ItemKind.Barrier);
    this.onBarrier(ch, item.barrier as BarrierMeta);
  }

  /** An input finished: the alignment may now be complete. */
  onEndOfPartition(): void {
    if (this.alignment !== null) this.maybeCompleteAlignment();
  }

  /** All live inputs delivered the barrier: unblock, snapshot, forward (reference 1.2 step 4). */
  private maybeCompleteAlignment(): void {
    const t = this.task;
    const a = this.alignment;
    if (a === null || a.seen.size === 0) return;
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
    this.switchToUnaligned(null);
  }

  /**
   * The alignment switches to unaligned (timeout, or an unaligned barrier read on `first`): the snapshot is taken
   * now, and the announced barriers jump their queues (ChannelState.prioritizeAllAnnouncements).
   */
  private switchToUnaligned(first: Channel | null): void {
    const a = this.alignment as Alignment;
    const seen = new Set(a.seen);
    if (first !== null) seen.add(first);
    if (seen.size === 0 && a.announced.size === 0) return;
    this.alignment = null;
    const now = this.task.rt.kernel.now;
    const firstUs = a.firstBarrierUs >= 0 ? a.firstBarrierUs : now;
    this.startUnaligned(
      seen,
      a.barrier,
      firstUs - a.barrier.triggerUs,
      now - firstUs,
      a.processedBytes,
      true,
    );
    for (const [ch, item] of a.announced) if (!seen.has(ch)) this.prioritize(ch, item);
  }

  /**
   * Sends an unaligned barrier: on channels that support it, it overtakes every buffer not consumed yet (they become
   * the sender's output channel state); the others get it forced aligned, in order (1.6).
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
      if (!ch.unalignedSupported) {
        item.barrier = forcedAligned(barrier);
        ch.waiting.push(item);
        rt.transport.transmit(ch);
        continue;
      }
      item.sentAt = now;
      item.arriveAt = now + rt.transport.latencyUs;
      // PipelinedSubpartition.processPriorityBuffer: the sender persists what waits in its output queue.
      for (const it of ch.waiting) if (it.kind === ItemKind.Data) recordInFlight(u, `out:${ch.index}`, it);
      const overtaken = ch.flight.length;
      ch.flight.unshift(item);
      rt.taskOf(ch.info.to.index).wake(item.arriveAt);
      rt.schedulePriorityBarrier(ch, item, item.arriveAt, overtaken);
      rt.transport.transmit(ch); // the flushed open buffer goes out behind the barrier as credit allows
    }
    if (this.unaligned === null && u.persistedBytes > 0) {
      // A source (no inputs): keep the output channel state until its asynchronous part acknowledges.
      this.unaligned = u;
    }
  }

  /**
   * A timeoutable barrier was broadcast in order: the output queues where it still waits behind data keep the
   * acknowledgement until it leaves them, and the sender's own alignment timer may convert it
   * (SubtaskCheckpointCoordinatorImpl.registerAlignmentTimer; PipelinedSubpartition's channel state future).
   */
  awaitOutputBarriers(barrier: BarrierMeta): void {
    const t = this.task;
    const id = barrier.id;
    const pending = new Set<Channel>();
    for (const ch of t.writer.channels)
      if (ch.unalignedSupported && ch.waiting.some((it) => it.kind === ItemKind.Barrier && it.value === id))
        pending.add(ch);
    if (pending.size === 0) return;
    let u = this.unaligned;
    if (u !== null && u.id !== id) {
      // One timeoutable barrier per queue at a time: a newer one cancels the older checkpoint.
      if (u.id < id) t.checkpointing.decline(u.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      u = null;
    }
    if (u === null) {
      u = newUnalignedCheckpoint(id, new Set());
      this.unaligned = u;
    }
    u.pendingOutputs = pending;
    const at = barrier.triggerUs + (barrier.alignedTimeoutUs as number);
    t.rt.scheduleOutputAlignTimeout(t, id, Math.max(at, t.rt.kernel.now));
  }

  /** The barrier of checkpoint `id` left the output queue of `ch` in order (PipelinedSubpartition.pollBuffer). */
  outputBarrierSent(ch: Channel, id: number): void {
    const u = this.unaligned;
    if (u === null || u.id !== id || !u.pendingOutputs.delete(ch)) return;
    this.finishUnaligned();
  }

  /**
   * The sender's aligned-checkpoint timeout (PipelinedSubpartition.alignedBarrierTimeout): every barrier of `id`
   * still in an output queue becomes an unaligned priority event; the buffers it overtakes are persisted.
   */
  onOutputAlignTimeout(id: number): void {
    const u = this.unaligned;
    if (u === null || u.id !== id || u.pendingOutputs.size === 0) return;
    const t = this.task;
    const rt = t.rt;
    const now = rt.kernel.now;
    const before = u.persistedBytes;
    let converted = 0;
    for (const ch of u.pendingOutputs) {
      const key = `out:${ch.index}`;
      const overtaken = ch.flight.length;
      const item = t.writer.prioritizeQueuedBarrier(ch, id, now, (it) => recordInFlight(u, key, it));
      if (item === null) continue;
      converted++;
      rt.taskOf(ch.info.to.index).wake(item.arriveAt);
      rt.schedulePriorityBarrier(ch, item, item.arriveAt, overtaken);
    }
    u.pendingOutputs.clear();
    if (converted > 0) {
      rt.emit({
        kind: 'notice',
        subtask: t.index,
        category: 'barrier',
        text:
          `aligned checkpoint timeout at the sender: barrier ${id} still waited in ${converted} output ` +
          `queue(s); it overtakes them as an unaligned barrier and ${u.persistedBytes - before} bytes of ` +
          'buffered records are persisted as output channel state',
      });
    }
    this.finishUnaligned();
  }

  /** The asynchronous part is done; the acknowledgement of an unaligned checkpoint also waits for the last barrier. */
  asyncDone(id: number, snapshot: unknown, asyncDoneAt: number): boolean {
    const u = this.unaligned;
    if (u === null || u.id !== id) return false;
    u.ack = { snapshot, asyncDoneAt };
    if (u.pending.size === 0) this.finishUnaligned();
    return true;
  }

  /**
   * All barriers of the unaligned checkpoint arrived and its output barriers left: once the asynchronous part is
   * done too, acknowledge.
   */
  private finishUnaligned(): void {
    const u = this.unaligned;
    if (u === null || u.pending.size > 0 || u.pendingOutputs.size > 0 || u.ack === null) return;
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
