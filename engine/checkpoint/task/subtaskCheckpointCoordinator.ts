/**
 * SubtaskCheckpointCoordinatorImpl (reference 1.4): the task side of a checkpoint. On the trigger (sources) or when
 * the barrier handler says so, it broadcasts the barrier, runs the synchronous part of the snapshot (every
 * operator's snapshotState hook, the copy-on-write freeze of keyed state: the task is busy for it) and hands the
 * asynchronous part to the AsyncCheckpointRunnable. It declines what it cannot take and receives the coordinator's
 * notifications.
 */
import { type BarrierMeta, isTimeoutable, withUnalignedSupported } from '../../network/channel.ts';
import type { SnapshotPhase } from '../../protocol.ts';
import type { StreamTask } from '../../runtime/streamTask.ts';
import type { KeyedSnapshotRunner, OperatorStateHandle } from '../../state/types.ts';
import type { CheckpointFailureReason, SubtaskSnapshot } from '../checkpointCoordinator.ts';
import { isLsmBackend } from '../../state/lsm/index.ts';

/** Synchronous part of a heap snapshot: the copy-on-write freeze (reference 1.4 step 5). */
export const SYNC_PHASE_US = 100;

/** What the synchronous part hands to the asynchronous part. */
export interface AsyncSnapshot {
  attempt: number;
  barrier: BarrierMeta;
  runners: (KeyedSnapshotRunner | null)[];
  operatorHandles: OperatorStateHandle[];
  alignmentUs: number;
  startDelayUs: number;
  processedBytes: number;
}

export class SubtaskCheckpointCoordinator {
  /** Highest checkpoint id this task snapshotted, declined or saw aborted: older barriers are ignored. */
  lastCheckpointId = 0;
  /** Snapshot phase per checkpoint id, for the UI. */
  readonly phases = new Map<number, SnapshotPhase>();
  /** Checkpoints whose synchronous part ran after the end of input, and their acknowledged snapshots (FLIP-147). */
  private readonly afterEndOfData = new Set<number>();
  private readonly finalAcks = new Map<number, SubtaskSnapshot>();

  constructor(private readonly task: StreamTask) {}

  reset(): void {
    this.phases.clear();
    this.afterEndOfData.clear();
    this.finalAcks.clear();
  }

  /** The task acknowledges checkpoint `id` with `snapshot` (kept when it may become the task's final state). */
  acknowledged(id: number, snapshot: SubtaskSnapshot): void {
    if (this.afterEndOfData.has(id)) this.finalAcks.set(id, snapshot);
  }

  /** The newest checkpoint this task takes part in and its phase there, or null. */
  currentPhase(): { checkpointId: number; phase: SnapshotPhase } | null {
    let best: { checkpointId: number; phase: SnapshotPhase } | null = null;
    for (const [id, phase] of this.phases)
      if (best === null || id > best.checkpointId) best = { checkpointId: id, phase };
    return best;
  }

  /**
   * The coordinator's trigger reached this task (reference 2.3 step 5): a source, or a task whose predecessors all
   * finished (DefaultCheckpointPlanCalculator, FLIP-147).
   */
  triggerOnSource(barrier: BarrierMeta): void {
    const t = this.task;
    const rt = t.rt;
    if (t.status !== 'RUNNING') {
      this.decline(barrier.id, 'CHECKPOINT_DECLINED_TASK_NOT_READY');
      return;
    }
    const drain = barrier.type === 'SYNC_SAVEPOINT' && rt.scheduler.stopDrains(barrier.id);
    if (drain) {
      // stop-with-savepoint --drain: the watermark goes to MAX first, firing all event-time timers (2.6).
      t.chain.source?.out.emitWatermark(Number.MAX_SAFE_INTEGER);
    }
    rt.counters.barrier++;
    rt.emit({ kind: 'barrier-emitted', checkpointId: barrier.id, subtask: t.index, drain });
    this.checkpointState(barrier, 0, rt.kernel.now - barrier.triggerUs, 0);
    // A synchronous savepoint: the source reads nothing after its barrier.
    if (barrier.type === 'SYNC_SAVEPOINT') t.stoppedAfterSavepoint = true;
  }

  /**
   * SubtaskCheckpointCoordinatorImpl.checkpointState (reference 1.4): broadcast the barrier, run the synchronous
   * part of the snapshot, then the asynchronous part in the background.
   */
  checkpointState(
    barrier: BarrierMeta,
    alignmentUs: number,
    startDelayUs: number,
    processedBytes: number,
  ): void {
    const t = this.task;
    const rt = t.rt;
    const id = barrier.id;
    this.lastCheckpointId = id;
    this.phases.set(id, 'sync');
    if (t.endOfData) this.afterEndOfData.add(id);
    // Aligned on forced-aligned barriers (a pointwise input): the outputs get the checkpoint's own kind again.
    const out = withUnalignedSupported(barrier);
    if (out.alignment === 'UNALIGNED') t.barriers.emitUnalignedBarrier(out);
    else {
      t.writer.broadcastBarrier(out);
      if (isTimeoutable(out)) t.barriers.awaitOutputBarriers(out);
    }
    t.chain.snapshotState(id);
    // Savepoints are always full (they never reference state a checkpoint owns), like Flink's.
    if (barrier.type === 'SAVEPOINT' || barrier.type === 'SYNC_SAVEPOINT') {
      for (const b of t.chain.keyed)
        if (isLsmBackend(b)) b.nextSnapshot = { forceFull: true, savepoint: true };
    }
    const snap: AsyncSnapshot = {
      attempt: t.attempt,
      barrier,
      runners: t.chain.keyed.map((b) => (b ? b.snapshot(id) : null)),
      operatorHandles: t.chain.operatorStates.map((o) => o.snapshot()),
      alignmentUs,
      startDelayUs: Math.max(0, startDelayUs),
      processedBytes,
    };
    t.occupy(SYNC_PHASE_US);
    rt.scheduleAsyncPart(t, id, snap, rt.kernel.now + SYNC_PHASE_US);
  }

  /** This task declines checkpoint `id`; the decline reaches the coordinator after the RPC latency. */
  decline(id: number, reason: CheckpointFailureReason, detail?: string): void {
    const t = this.task;
    this.phases.set(id, 'declined');
    if (id > this.lastCheckpointId) this.lastCheckpointId = id;
    t.rt.emit({
      kind: 'checkpoint-declined',
      checkpointId: id,
      subtask: t.index,
      reason,
      detail: detail ?? null,
    });
    t.rt.scheduleDecline(t, id, reason, detail);
  }

  /** notifyCheckpointComplete / notifyCheckpointAborted arrived (reference 2.4). */
  onNotify(id: number, complete: boolean): void {
    const t = this.task;
    // The LSM backend learns which runs the last completed checkpoint holds (incremental checkpoints).
    for (const b of t.chain.keyed) {
      if (!isLsmBackend(b)) continue;
      if (complete) b.notifyCheckpointComplete(id);
      else b.notifyCheckpointAborted(id);
    }
    if (complete) {
      t.chain.notifyCheckpointComplete(id);
      for (const k of [...this.phases.keys()]) if (k < id) this.phases.delete(k);
      // FLIP-147: a task past its end of input FINISHES once a checkpoint it took after that point completes.
      const final = this.finalAcks.get(id);
      if (final !== undefined) t.finalCheckpointCompleted(final);
      return;
    }
    t.chain.notifyCheckpointAborted(id);
    this.phases.delete(id);
    if (id > this.lastCheckpointId) this.lastCheckpointId = id;
    t.barriers.abortUpTo(id);
  }
}
