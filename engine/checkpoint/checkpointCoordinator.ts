/**
 * The CheckpointCoordinator (reference 2): periodic triggering with a seeded random initial delay, the request
 * decider (max concurrent checkpoints, min pause), pending checkpoints with expiry, acknowledgements,
 * completion (retained store, subsumption, notifications), aborts and the tolerable-failure counter.
 * The runtime supplies the host: it injects barriers at the sources and delivers notifications to tasks.
 */
import { SharedStateRegistry } from './sharedStateRegistry.ts';
import type { RuntimeEvent } from '../protocol.ts';
import type { IoHandle } from '../sim/eventQueue.ts';
import type { RandomStream } from '../sim/random.ts';
import { markImmutable } from '../sim/snapshot.ts';
import type { KeyedStateHandle, OperatorStateHandle } from '../state/types.ts';
import { CheckpointStatsTracker, type CheckpointType, type SubtaskAck } from './checkpointStats.ts';
import type { CheckpointStorage } from './checkpointStorage.ts';

/** CheckpointFailureReason (reference 2.5). */
export type CheckpointFailureReason =
  | 'NOT_ALL_REQUIRED_TASKS_RUNNING'
  | 'CHECKPOINT_EXPIRED'
  | 'CHECKPOINT_SUBSUMED'
  | 'CHECKPOINT_DECLINED'
  | 'CHECKPOINT_DECLINED_TASK_NOT_READY'
  | 'CHECKPOINT_DECLINED_SUBSUMED'
  | 'CHECKPOINT_ASYNC_EXCEPTION'
  | 'IO_EXCEPTION'
  | 'JOB_FAILOVER_REGION'
  | 'TASK_FAILURE'
  | 'TASK_CHECKPOINT_FAILURE'
  | 'FINALIZE_CHECKPOINT_FAILURE'
  | 'CHECKPOINT_COORDINATOR_SUSPEND';

/** Flink's CheckpointFailureReason messages. */
export const FAILURE_MESSAGES: Record<CheckpointFailureReason, string> = {
  NOT_ALL_REQUIRED_TASKS_RUNNING: 'Not all required tasks are currently running.',
  CHECKPOINT_EXPIRED: 'Checkpoint expired before completing.',
  CHECKPOINT_SUBSUMED: 'Checkpoint has been subsumed.',
  CHECKPOINT_DECLINED: 'Checkpoint was declined.',
  CHECKPOINT_DECLINED_TASK_NOT_READY: 'Checkpoint was declined (tasks not ready)',
  CHECKPOINT_DECLINED_SUBSUMED:
    'Checkpoint was canceled because a barrier from newer checkpoint was received.',
  CHECKPOINT_ASYNC_EXCEPTION: 'Asynchronous task checkpoint failed.',
  IO_EXCEPTION: 'An Exception occurred while triggering the checkpoint. IO-problem detected.',
  JOB_FAILOVER_REGION: 'FailoverRegion is restarting.',
  TASK_FAILURE: 'Task has failed.',
  TASK_CHECKPOINT_FAILURE: 'Task local checkpoint failure.',
  FINALIZE_CHECKPOINT_FAILURE: 'Failure to finalize checkpoint.',
  CHECKPOINT_COORDINATOR_SUSPEND: 'Checkpoint Coordinator is suspending.',
};

/** Reasons counted towards execution.checkpointing.tolerable-failed-checkpoints (reference 2.5). */
const COUNTED: ReadonlySet<CheckpointFailureReason> = new Set<CheckpointFailureReason>([
  'IO_EXCEPTION',
  'CHECKPOINT_ASYNC_EXCEPTION',
  'CHECKPOINT_DECLINED',
  'CHECKPOINT_EXPIRED',
  'FINALIZE_CHECKPOINT_FAILURE',
]);

export const TOLERABLE_FAILURE_MESSAGE = 'Exceeded checkpoint tolerable failure threshold.';

/** CheckpointFailureManager.checkFailureAgainstCounter's message in Flink 1.20 (reference 2.7). */
export function tolerableFailureMessage(reason: CheckpointFailureReason): string {
  return (
    `${TOLERABLE_FAILURE_MESSAGE} The latest checkpoint failed due to ${FAILURE_MESSAGES[reason]}, view the ` +
    'Checkpoint History tab or the Job Manager log to find out why continuous checkpoints failed.'
  );
}

/** CheckpointRequestDecider.DEFAULT_MAX_QUEUED_REQUESTS. */
const MAX_QUEUED_REQUESTS = 1000;

export interface CoordinatorConfig {
  intervalUs: number | null; // null: periodic checkpointing disabled
  timeoutUs: number;
  minPauseUs: number;
  maxConcurrent: number;
  tolerableFailures: number;
  numRetained: number;
  unaligned: boolean;
  historySize: number;
}

/** What one subtask's acknowledgement carries: its state handles (per chained operator) and stats. */
export interface SubtaskSnapshot {
  vertexId: string;
  subtaskIndex: number;
  /** Per operator id of the chain. */
  operators: Record<string, { keyed: KeyedStateHandle | null; operator: OperatorStateHandle }>;
  /** The acknowledging task's global subtask index (for events), when known. */
  subtask?: number;
  /** The subtask had finished (FLIP-147): on restore it finishes at once, without replaying its input. */
  finished?: boolean;
  /** Unaligned checkpoints: in-flight records per input channel (by upstream subtask name), in order. */
  channelState: Record<string, unknown[]>;
  stats: SubtaskAck;
}

export interface CompletedCheckpoint {
  id: number;
  type: CheckpointType;
  triggerUs: number;
  completedUs: number;
  isSavepoint: boolean;
  externalPath: string;
  /** Parallelism and max parallelism per vertex at the time of the snapshot. */
  vertices: { id: string; parallelism: number; maxParallelism: number; operatorIds: string[] }[];
  subtasks: SubtaskSnapshot[];
  stateSize: number;
}

export interface PendingCheckpoint {
  id: number;
  type: CheckpointType;
  triggerUs: number;
  notYetAcknowledged: Set<string>; // "<vertexId>#<index>"
  acks: SubtaskSnapshot[];
  /** Subtasks that had finished when the checkpoint was triggered, with their final state (FLIP-147). */
  finished: SubtaskSnapshot[];
  expiry: { cancelled: boolean } | null;
}

export interface CoordinatorHost {
  now(): number;
  random: RandomStream;
  /** Schedules coordinator timers; returns a handle that can be cancelled. */
  scheduleTrigger(time: number): { cancelled: boolean };
  scheduleExpiry(time: number, id: number): { cancelled: boolean };
  /** Every task of the plan is RUNNING (the trigger pre-check; finished tasks are left out, FLIP-147). */
  allTasksRunning(): boolean;
  plan(): { id: string; parallelism: number; maxParallelism: number; operatorIds: string[] }[];
  /**
   * DefaultCheckpointPlanCalculator (FLIP-147): the subtasks to wait for ("<vertexId>#<index>", the running ones)
   * and the final snapshots of the finished ones, recorded as finished in the checkpoint.
   */
  checkpointPlan(): { waitFor: string[]; finished: SubtaskSnapshot[] };
  /** Sends the trigger to the source tasks. */
  triggerSources(id: number, type: CheckpointType, triggerUs: number): void;
  notifyComplete(id: number, type: CheckpointType): void;
  notifyAborted(id: number, message?: string): void;
  failJob(message: string): void;
  /** What happened, typed (the narrator words it). */
  report(e: RuntimeEvent): void;
  // Optional parts of the job the coordinator reads (the JobRuntime has them; unit tests may leave them out).
  /** Where snapshots are stored: durable storage finalizes `_metadata` and deletes what is discarded. */
  readonly storage?: CheckpointStorage;
  /** The kernel: an acknowledgement waits (`defer`) for the `_metadata` write before the checkpoint completes. */
  readonly kernel?: { defer(io: IoHandle): void };
  /** The job status (retention on a terminal status). */
  readonly status?: string;
  /** The snapshot the job was started from (added to the CompletedCheckpointStore on restore). */
  readonly initialSnapshot?: CompletedCheckpoint | null;
  readonly scenario?: { readonly config: { str(key: string): string } };
}

export class CheckpointCoordinator {
  readonly stats: CheckpointStatsTracker;
  private nextId = 1;
  readonly pending = new Map<number, PendingCheckpoint>();
  /** The CompletedCheckpointStore, oldest first, at most num-retained entries. */
  readonly completed: CompletedCheckpoint[] = [];
  readonly savepoints: CompletedCheckpoint[] = [];
  /** Runs that incremental checkpoints share (sharedStateRegistry.ts). */
  readonly sharedState = new SharedStateRegistry();
  private lastCompletionUs = Number.MIN_SAFE_INTEGER;
  private periodic: { cancelled: boolean } | null = null;
  private nextPeriodicUs = 0;
  /** CheckpointRequestDecider's queue: waiting periodic requests (served one after another) and manual ones. */
  private queuedPeriodic = 0;
  private queuedManual = 0;
  /** Periodic scheduling is on (CheckpointCoordinatorDeActivator: while the job is RUNNING). */
  private running = false;
  /** The job reached a terminal state: nothing is triggered any more. */
  private shutdown = false;
  private consecutiveFailures = 0;
  private countedIds = new Set<number>();
  private lastSucceededId = 0;
  /**
   * The effective base interval: CheckpointCoordinator raises the interval to the min pause ("it does not make
   * sense to schedule checkpoints more often than the desired time between checkpoints").
   */
  private readonly baseIntervalUs: number | null;
  /** Completions waiting for their `_metadata` write (PendingCheckpoint.finalizeCheckpoint). */
  private readonly finalizing = new Map<number, { cp: CompletedCheckpoint; io: IoHandle }>();
  /**
   * CheckpointCoordinator.forceFullSnapshot: set when the job was restored in NO_CLAIM mode, so the first
   * checkpoint does not build on files the job does not own; reset once a checkpoint completed
   * (addCompletedCheckpointToStoreAndSubsumeOldest). Checkpoints triggered meanwhile are full (`isFullSnapshot`).
   */
  forceFullSnapshot = false;
  private readonly fullSnapshots = new Set<number>();

  constructor(
    readonly config: CoordinatorConfig,
    private readonly host: CoordinatorHost,
  ) {
    this.stats = new CheckpointStatsTracker(config.historySize);
    this.baseIntervalUs = config.intervalUs === null ? null : Math.max(config.intervalUs, config.minPauseUs);
  }

  get schedulerRunning(): boolean {
    return this.running;
  }

  get enabled(): boolean {
    return this.config.intervalUs !== null;
  }

  latestCompleted(): CompletedCheckpoint | null {
    return this.completed[this.completed.length - 1] ?? null;
  }

  /**
   * startCheckpointScheduler (the job switched to RUNNING, CheckpointCoordinatorDeActivator): the first periodic
   * trigger after a random delay in [minPause, interval] (getRandomInitDelay, reference 2.3 step 6).
   */
  startScheduler(): void {
    if (this.running || this.shutdown) return;
    this.running = true;
    if (this.baseIntervalUs === null) return;
    const delay = this.host.random.int(this.config.minPauseUs, this.baseIntervalUs);
    this.nextPeriodicUs = this.host.now() + delay;
    this.periodic = this.host.scheduleTrigger(this.nextPeriodicUs);
  }

  /**
   * stopCheckpointScheduler (the job left RUNNING, or a stop-with-savepoint begins): no more periodic triggers;
   * queued requests and pending checkpoints are aborted with `reason`.
   */
  stopScheduler(reason: CheckpointFailureReason): void {
    this.running = false;
    if (this.periodic) this.periodic.cancelled = true;
    this.periodic = null;
    this.queuedPeriodic = 0;
    this.queuedManual = 0;
    for (const id of [...this.pending.keys()]) this.abort(id, reason);
  }

  /** The job reached a terminal state (FINISHED, FAILED, CANCELED): the coordinator shuts down. */
  shutDown(reason: CheckpointFailureReason): void {
    this.stopScheduler(reason);
    if (!this.shutdown) {
      const status = this.host.status;
      // Retention of the retained checkpoints by the terminal status (CheckpointProperties.discardOnJob*).
      if (status === 'FINISHED' || status === 'FAILED' || status === 'CANCELED')
        this.host.storage?.jobTerminated?.(status, this.completed);
    }
    this.shutdown = true;
  }

  /** The periodic timer fired (1.19+: a self-rescheduling one-shot timer, nextTriggeringTime += interval). */
  onPeriodicTimer(): void {
    if (!this.running || this.baseIntervalUs === null) return;
    this.nextPeriodicUs += this.baseIntervalUs;
    this.periodic = this.host.scheduleTrigger(this.nextPeriodicUs);
    this.queuedPeriodic = Math.min(MAX_QUEUED_REQUESTS, this.queuedPeriodic + 1);
    this.executeQueuedRequest();
  }

  /**
   * CheckpointRequestDecider.chooseRequestToExecute (reference 2.2, 2.7): nothing runs while
   * max-concurrent-checkpoints are pending (savepoints included); queued manual requests before periodic ones;
   * a periodic request within min-pause of the last completion fails (MINIMUM_TIME_BETWEEN_CHECKPOINTS) and the
   * periodic trigger is rescheduled after the rest of the pause.
   */
  private executeQueuedRequest(): void {
    if (this.shutdown || this.pending.size >= this.config.maxConcurrent) return;
    const type = this.config.unaligned ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT';
    if (this.queuedManual > 0) {
      this.queuedManual--;
      this.trigger(type, true);
      return;
    }
    if (this.queuedPeriodic === 0 || !this.running) return;
    this.queuedPeriodic--;
    const nextDelay = this.lastCompletionUs + this.config.minPauseUs - this.host.now();
    if (nextDelay > 0) {
      this.queuedPeriodic = 0;
      if (this.periodic) this.periodic.cancelled = true;
      this.nextPeriodicUs = this.host.now() + nextDelay;
      this.periodic = this.host.scheduleTrigger(this.nextPeriodicUs);
      return;
    }
    this.trigger(type);
  }

  /** Completed checkpoints and savepoints so far (for "step to the next completed checkpoint"). */
  completedCount = 0;

  /**
   * Manual trigger (UI/CLI) or savepoint. Savepoints are forced: they bypass max-concurrent and min-pause
   * (reference 2.2); `manual` checkpoints queue ahead of periodic ones when max-concurrent are pending.
   */
  trigger(type: CheckpointType, manual = false): number | null {
    if (this.shutdown) return null;
    if (!this.host.allTasksRunning()) {
      this.stats.reportFailedBeforeTrigger();
      this.host.report({
        kind: 'checkpoint-trigger-failed',
        reason: 'NOT_ALL_REQUIRED_TASKS_RUNNING',
        message: FAILURE_MESSAGES.NOT_ALL_REQUIRED_TASKS_RUNNING,
        periodic: !manual && !forcedType(type),
      });
      return null;
    }
    const forced = forcedType(type);
    if (!forced && this.pending.size >= this.config.maxConcurrent) {
      // Non-forced requests wait; queued manual requests run before periodic ones (reference 2.2).
      if (manual) {
        this.queuedManual = Math.min(MAX_QUEUED_REQUESTS, this.queuedManual + 1);
        this.host.report({ kind: 'checkpoint-queued', pending: this.pending.size });
      }
      return null;
    }
    const id = this.nextId++;
    const now = this.host.now();
    const plan = this.host.plan();
    const tasks = this.host.checkpointPlan();
    const p: PendingCheckpoint = {
      id,
      type,
      triggerUs: now,
      notYetAcknowledged: new Set(tasks.waitFor),
      acks: [],
      finished: tasks.finished,
      expiry: null,
    };
    this.pending.set(id, p);
    if (this.forceFullSnapshot) this.fullSnapshots.add(id);
    this.stats.reportPending(id, now, type, plan);
    p.expiry = this.host.scheduleExpiry(now + this.config.timeoutUs, id);
    this.host.report({ kind: 'checkpoint-triggered', checkpointId: id, checkpointType: type });
    this.host.triggerSources(id, type, now);
    return id;
  }

  onExpiry(id: number): void {
    if (this.pending.has(id)) this.abort(id, 'CHECKPOINT_EXPIRED');
  }

  /** AcknowledgeCheckpoint from a subtask (after its async phase). */
  acknowledge(id: number, snap: SubtaskSnapshot): 'SUCCESS' | 'DUPLICATE' | 'DISCARDED' | 'DEFERRED' {
    const p = this.pending.get(id);
    if (!p) return 'DISCARDED'; // late ack for an expired/aborted checkpoint: its state is discarded
    const key = `${snap.vertexId}#${snap.subtaskIndex}`;
    if (!p.notYetAcknowledged.has(key)) return 'DUPLICATE';
    let finalized: CompletedCheckpoint | null = null;
    if (p.notYetAcknowledged.size === 1) {
      // The last acknowledgement: durable storage writes `_metadata` first, and the checkpoint completes only after
      // that write succeeded (PendingCheckpoint.finalizeCheckpoint). The ack event waits for it without a trace.
      const f = this.finalize(p, snap);
      if (f === 'wait') return 'DEFERRED';
      if (f === 'failed') return 'DISCARDED';
      finalized = f;
    }
    p.notYetAcknowledged.delete(key);
    p.acks.push(snap);
    this.stats.reportAck(id, snap.vertexId, snap.subtaskIndex, snap.stats);
    if (snap.subtask !== undefined)
      this.host.report({
        kind: 'checkpoint-acknowledged',
        checkpointId: id,
        subtask: snap.subtask,
        acknowledged: p.acks.length,
        total: p.acks.length + p.notYetAcknowledged.size,
      });
    if (p.notYetAcknowledged.size === 0) this.complete(p, finalized);
    return 'SUCCESS';
  }

  /**
   * Finalizes `p` with its last acknowledgement `last`: the completed checkpoint, or 'wait' (the `_metadata` write is
   * in flight: the event runs again once it settled), or 'failed' (FINALIZE_CHECKPOINT_FAILURE, aborted).
   */
  private finalize(p: PendingCheckpoint, last: SubtaskSnapshot): CompletedCheckpoint | 'wait' | 'failed' {
    const storage = this.host.storage;
    const kernel = this.host.kernel;
    if (storage?.finalize === undefined || kernel === undefined)
      return this.completedOf(p, [...p.acks, last]);
    let f = this.finalizing.get(p.id);
    if (f === undefined) {
      const cp = this.completedOf(p, [...p.acks, last]);
      const io = storage.finalize(cp);
      if (io === null) return cp;
      this.finalizing.set(p.id, (f = { cp, io }));
    }
    if (!f.io.settled) {
      kernel.defer(f.io);
      return 'wait';
    }
    this.finalizing.delete(p.id);
    if (f.io.error !== undefined) {
      const e = f.io.error;
      this.abort(p.id, 'FINALIZE_CHECKPOINT_FAILURE', e instanceof Error ? e.message : 'I/O failed');
      return 'failed';
    }
    return f.cp;
  }

  /** The CompletedCheckpoint of `p` with these acknowledgements, completing now. */
  private completedOf(p: PendingCheckpoint, acks: readonly SubtaskSnapshot[]): CompletedCheckpoint {
    const isSavepoint = p.type === 'SAVEPOINT' || p.type === 'SYNC_SAVEPOINT';
    const externalPath =
      this.host.storage?.externalPath?.(p.id, isSavepoint) ??
      (isSavepoint ? `savepoint-${p.id}` : '<checkpoint-not-externally-addressable>');
    return {
      id: p.id,
      type: p.type,
      triggerUs: p.triggerUs,
      completedUs: this.host.now(),
      isSavepoint,
      externalPath,
      vertices: this.host.plan(),
      subtasks: [...acks, ...p.finished].sort((a, b) =>
        a.vertexId === b.vertexId ? a.subtaskIndex - b.subtaskIndex : a.vertexId < b.vertexId ? -1 : 1,
      ),
      stateSize: acks.reduce((s, a) => s + a.stats.stateSize, 0),
    };
  }

  /** Whether checkpoint `id` must be a full snapshot (NO_CLAIM restore, forceFullSnapshot): backends read this. */
  isFullSnapshot(id: number): boolean {
    return this.fullSnapshots.has(id);
  }

  private complete(p: PendingCheckpoint, finalized: CompletedCheckpoint | null): void {
    const now = this.host.now();
    this.pending.delete(p.id);
    if (p.expiry) p.expiry.cancelled = true;
    const cp = finalized ?? this.completedOf(p, p.acks);
    const { isSavepoint, externalPath } = cp;
    markImmutable(cp); // a completed checkpoint never changes: engine snapshots share it
    this.stats.reportCompleted(p.id, now, externalPath);
    this.completedCount++;
    if (isSavepoint) {
      this.savepoints.push(cp);
    } else {
      // CompletedCheckpointStore: keep num-retained, subsume (discard) the oldest (2.4 step 2).
      this.sharedState.registerAll(cp.subtasks, cp.id);
      this.completed.push(cp);
      while (this.completed.length > this.config.numRetained) {
        const old = this.completed.shift() as CompletedCheckpoint;
        this.stats.markDiscarded(old.id);
        this.sharedState.unregisterUnusedState((this.completed[0] as CompletedCheckpoint).id);
        this.host.storage?.discardSubsumed?.(old, this.completed); // CheckpointsCleaner
      }
      this.forceFullSnapshot = false; // at least one full snapshot completed by now
    }
    this.fullSnapshots.delete(p.id);
    if (p.id > this.lastSucceededId) {
      this.lastSucceededId = p.id;
      this.consecutiveFailures = 0; // handleCheckpointSuccess resets the counter (2.5)
      this.countedIds.clear(); // CheckpointFailureManager.clearCount: the counted ids go with it (bounded memory)
    }
    this.lastCompletionUs = now;
    this.host.report({
      kind: 'checkpoint-completed',
      checkpointId: p.id,
      checkpointType: p.type,
      subtasks: cp.subtasks.length,
      stateSize: cp.stateSize,
      durationUs: now - p.triggerUs,
    });
    // Subsume older pending checkpoints and notify completion (checkpoints and stop-with-savepoint only).
    if (p.type !== 'SAVEPOINT') {
      for (const [id, older] of [...this.pending]) {
        if (id < p.id && (older.type === 'CHECKPOINT' || older.type === 'UNALIGNED_CHECKPOINT')) {
          this.abort(id, 'CHECKPOINT_SUBSUMED');
        }
      }
      this.host.notifyComplete(p.id, p.type);
    }
    this.runQueued();
  }

  /** After a completion or abort: queued manual requests first, then a waiting periodic one. */
  private runQueued(): void {
    this.executeQueuedRequest();
  }

  /** Aborts a pending checkpoint; counts it towards the tolerable failures where Flink does. */
  abort(id: number, reason: CheckpointFailureReason, detail?: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.expiry) p.expiry.cancelled = true;
    this.fullSnapshots.delete(id);
    this.host.storage?.discardAborted?.(id); // PendingCheckpoint.abort discards the state uploaded so far
    const message = detail ? `${FAILURE_MESSAGES[reason]} ${detail}` : FAILURE_MESSAGES[reason];
    this.stats.reportFailed(id, this.host.now(), message);
    // CheckpointFailureManager.handleJobLevelCheckpointException: savepoints never count (reference 2.7).
    const counted =
      !forcedType(p.type) && COUNTED.has(reason) && !this.countedIds.has(id) && id > this.lastSucceededId;
    this.host.report({
      kind: 'checkpoint-failed',
      checkpointId: id,
      checkpointType: p.type,
      reason,
      message,
      counted,
    });
    this.host.notifyAborted(id, message);
    if (counted) {
      this.countedIds.add(id);
      this.consecutiveFailures++;
      if (this.consecutiveFailures > this.config.tolerableFailures) {
        this.consecutiveFailures = 0;
        this.countedIds.clear();
        this.host.failJob(tolerableFailureMessage(reason));
        return;
      }
    }
    this.runQueued();
  }

  /** After restoring from a snapshot with id k the counter continues at k + 1 (reference 2.3 step 3). */
  restoredFrom(id: number): void {
    if (id >= this.nextId) this.nextId = id + 1;
    const init = this.host.initialSnapshot;
    if (init && init.id === id && !this.completed.includes(init)) {
      // CheckpointCoordinator.restoreSavepoint: the snapshot joins the CompletedCheckpointStore, so a failover before
      // the first new checkpoint restores it; in NO_CLAIM mode the first checkpoint after it is a full one.
      this.completed.push(init);
      const mode = this.host.scenario?.config.str('execution.state-recovery.claim-mode') ?? 'NO_CLAIM';
      if (mode === 'NO_CLAIM') this.forceFullSnapshot = true;
    }
  }

  peekNextId(): number {
    return this.nextId;
  }
}

function forcedType(type: CheckpointType): boolean {
  return type === 'SAVEPOINT' || type === 'SYNC_SAVEPOINT';
}
