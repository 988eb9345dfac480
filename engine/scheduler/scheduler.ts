/**
 * The scheduler (DefaultScheduler, reference 5.3): deploys tasks into slots, moves the job through its statuses,
 * handles task failures with the ExecutionFailureHandler (cancel the restart set, wait for the backoff, redeploy
 * with the state of the latest completed checkpoint), and finishes the job (end of input, stop-with-savepoint).
 */
import type { CompletedCheckpoint, SubtaskSnapshot } from '../checkpoint/checkpointCoordinator.ts';
import type { JobStatus } from '../protocol.ts';
import { restoreChannelState, restoreTask } from '../recovery/stateAssignment.ts';
import type { JobRuntime } from '../runtime/jobRuntime.ts';
import type { StreamTask } from '../runtime/streamTask.ts';
import type { IoHandle, SimEvent } from '../sim/eventQueue.ts';
import type { ExecutionFailureHandler } from './executionFailureHandler.ts';

export class Scheduler {
  status: JobStatus = 'CREATED';
  restarts = 0;
  failureMessage: string | null = null;
  private pendingRestart: { tasks: Set<StreamTask>; event: SimEvent } | null = null;
  readonly waitingForSlots = new Set<StreamTask>();
  /** Tasks restored as finished (their final state in the snapshot): they finish when initialized. */
  private readonly finishedOnRestore = new Map<StreamTask, SubtaskSnapshot | null>();
  /** A stop-with-savepoint in progress: its checkpoint id, and whether the sources drain first. */
  private stopping: { id: number; drain: boolean } | null = null;

  constructor(
    private readonly rt: JobRuntime,
    private readonly failureHandler: ExecutionFailureHandler,
  ) {}

  isFinished(): boolean {
    return this.status === 'FINISHED' || this.status === 'FAILED' || this.status === 'CANCELED';
  }

  /**
   * A job status transition. The CheckpointCoordinatorDeActivator follows it: periodic checkpointing runs while the
   * job is RUNNING and stops otherwise (pending checkpoints abort with CHECKPOINT_COORDINATOR_SUSPEND).
   */
  private setStatus(to: JobStatus, cause: string | null = null): void {
    const from = this.status;
    if (from === to) return;
    this.status = to;
    this.rt.emit({ kind: 'job-status', from, to, cause });
    const coordinator = this.rt.coordinator;
    if (to === 'RUNNING') coordinator.startScheduler();
    else if (this.isFinished()) coordinator.shutDown('CHECKPOINT_COORDINATOR_SUSPEND');
    else coordinator.stopScheduler('CHECKPOINT_COORDINATOR_SUSPEND');
  }

  // ---- deployment --------------------------------------------------------------------------------------------

  /** The job is submitted: RUNNING, and every task deploys (from the initial snapshot, if any). */
  deploy(initial: CompletedCheckpoint | null): void {
    this.setStatus('RUNNING', `deploying ${this.rt.tasks.length} subtasks`);
    if (initial) this.rt.coordinator.restoredFrom(initial.id);
    this.deployTasks(this.rt.tasks, initial, true);
  }

  /**
   * Deploys tasks: slots, fresh operators, state from the snapshot (reference 5.3 step 4: keyed state by key-group
   * range, operator state by the repartitioner of 4.3), then INITIALIZING for the virtual time the restore takes.
   */
  private deployTasks(
    tasks: Iterable<StreamTask>,
    snapshot: CompletedCheckpoint | null,
    initial: boolean,
  ): void {
    const rt = this.rt;
    const list = [...tasks];
    const cluster = rt.cluster;
    if (!cluster.allocate(list.map((t) => t.info.subtaskIndex))) {
      for (const t of list) {
        t.scheduled();
        this.waitingForSlots.add(t);
      }
      const spt = cluster.slotsPerTaskManager;
      rt.emit({
        kind: 'waiting-for-slots',
        subtasks: list.length,
        needed: rt.graph.slotsNeeded,
        available: cluster.liveTaskManagers * spt,
      });
      return;
    }
    const bw = rt.scenario.sim.stateBytesPerUs;
    const now = rt.kernel.now;
    for (const t of list) {
      this.waitingForSlots.delete(t);
      t.deploy(cluster.taskManagerOf(t.info.subtaskIndex));
      let bytes = 0;
      let io: IoHandle | null = null;
      if (snapshot) {
        ({ bytes, io } = restoreTask(t, snapshot));
        this.finishedOnRestore.set(t, finishedEntry(snapshot, t));
      } else {
        this.finishedOnRestore.delete(t);
      }
      t.initializing();
      const initUs = bytes > 0 ? Math.max(1, Math.ceil(bytes / bw)) : 0;
      rt.scheduleInitialized(t, now + initUs, io);
    }
    if (snapshot) {
      const records = restoreChannelState(
        rt.channels,
        new Set(list.map((t) => t.index)),
        (i) => rt.subtaskName(i),
        snapshot,
        rt.transport.buffers,
        now,
      );
      rt.counters.restore++;
      rt.coordinator.stats.reportRestored({
        id: snapshot.id,
        restore_timestamp: Math.floor(now / 1000),
        is_savepoint: snapshot.isSavepoint,
        external_path: snapshot.externalPath,
      });
      rt.emit({
        kind: 'restoring',
        checkpointId: snapshot.id,
        isSavepoint: snapshot.isSavepoint,
        subtasks: list.length,
        bytes: snapshot.stateSize,
      });
      if (records > 0) rt.emit({ kind: 'channel-state-restored', checkpointId: snapshot.id, records });
    } else if (!initial) {
      rt.emit({ kind: 'restoring', checkpointId: null, isSavepoint: false, subtasks: list.length, bytes: 0 });
    }
  }

  /** INITIALIZING -> RUNNING after the restore's virtual time; sources start reading. */
  onInitialized(t: StreamTask, attempt: number): void {
    const rt = this.rt;
    if (t.attempt !== attempt || t.status !== 'INITIALIZING') return;
    t.start();
    const now = rt.kernel.now;
    const finished = this.finishedOnRestore.get(t) ?? null;
    this.finishedOnRestore.delete(t);
    if (finished !== null) {
      t.finishOnRestore(finished);
      if (this.isFinished()) return;
    } else if (t.chain.source !== null) {
      t.wake(now);
      rt.scheduleWatermarkTimer(t);
    } else {
      t.wakeForInput();
    }
    if (this.restarts > 0 && rt.tasks.every((x) => x.status === 'RUNNING' || x.status === 'FINISHED')) {
      rt.emit({ kind: 'running-again', restarts: this.restarts });
    }
  }

  /** A task consumed all of its input. When every task did, the job is FINISHED. */
  taskFinished(_t: StreamTask): void {
    const rt = this.rt;
    if (rt.tasks.every((x) => x.status === 'FINISHED')) {
      this.setStatus('FINISHED');
      rt.kernel.halted = true;
    }
  }

  // ---- failures --------------------------------------------------------------------------------------------

  /**
   * Failover (reference 5.3): the restart strategy decides whether and when, the failover strategy which tasks;
   * pending checkpoints are aborted, the affected tasks cancelled, and a restart scheduled after the backoff.
   */
  failTasks(failed: readonly StreamTask[], cause: string, global: boolean): void {
    if (this.isFinished()) return;
    const rt = this.rt;
    rt.counters.failure++;
    if (this.stopping) {
      this.stopping = null; // a failure aborts a stop-with-savepoint; the job keeps running
      for (const t of rt.tasks) t.stoppedAfterSavepoint = false;
    }
    const now = rt.kernel.now;
    const result = this.failureHandler.handle(
      failed.map((t) => t.name),
      cause,
      global,
      now,
    );
    if (!result.canRestart) {
      this.failureMessage = result.message;
      rt.coordinator.stopScheduler('TASK_FAILURE');
      for (const t of rt.tasks) t.cancel();
      if (this.pendingRestart) this.pendingRestart.event.cancelled = true;
      this.pendingRestart = null;
      this.setStatus('FAILED', result.message);
      rt.emit({ kind: 'job-failed', message: result.message, cause });
      rt.kernel.halted = true;
      return;
    }
    const restart = new Set<StreamTask>();
    for (const t of rt.tasks) if (result.toRestart.has(t.name)) restart.add(t);
    const all = restart.size === rt.tasks.length;
    rt.coordinator.stopScheduler(all ? 'TASK_FAILURE' : 'JOB_FAILOVER_REGION');
    for (const t of restart) t.cancel();
    for (const ch of rt.channels) {
      if (restart.has(rt.taskOf(ch.info.from.index)) || restart.has(rt.taskOf(ch.info.to.index))) ch.reset();
    }
    // DefaultScheduler.addVerticesToRestartPending: any restart, region or full, is RUNNING -> RESTARTING.
    this.setStatus('RESTARTING', cause);
    const backoff = result.delayUs;
    if (result.newAttempt) this.restarts++;
    rt.emit({
      kind: 'restart-scheduled',
      scope: all ? 'full' : 'region',
      subtasks: restart.size,
      delayUs: backoff,
      restarts: this.restarts,
      strategy: this.failureHandler.strategyName(),
      strategyDetail: this.failureHandler.strategyDetail(),
      cause,
    });
    if (this.pendingRestart) {
      for (const t of restart) this.pendingRestart.tasks.add(t);
      if (this.pendingRestart.event.time < now + backoff) {
        this.pendingRestart.event.cancelled = true;
        this.pendingRestart.event = rt.scheduleRestart(now + backoff);
      }
    } else {
      this.pendingRestart = { tasks: restart, event: rt.scheduleRestart(now + backoff) };
    }
    for (const t of restart) this.waitingForSlots.delete(t);
  }

  /** The backoff passed: the restart set redeploys with the latest completed checkpoint. */
  onRestart(): void {
    const pending = this.pendingRestart;
    this.pendingRestart = null;
    if (!pending || this.isFinished()) return;
    const list = this.rt.tasks.filter((t) => pending.tasks.has(t));
    // Finished tasks restart too: the checkpoint decides whether they finish at once or run again (FLIP-147).
    for (const t of list) t.resetForRestart();
    // removeVerticesFromRestartPending: back to RUNNING; periodic checkpointing restarts (early triggers fail
    // with NOT_ALL_REQUIRED_TASKS_RUNNING until every task runs, as in Flink).
    if (this.status === 'RESTARTING') this.setStatus('RUNNING');
    this.deployTasks(list, this.rt.coordinator.latestCompleted(), false);
  }

  /** A TaskManager registered: tasks waiting for slots deploy. */
  taskManagerRegistered(): void {
    if (this.waitingForSlots.size > 0 && !this.pendingRestart) {
      this.deployTasks([...this.waitingForSlots], this.rt.coordinator.latestCompleted(), false);
    }
  }

  // ---- stop with savepoint (reference 2.6) ------------------------------------------------------------------

  /**
   * Stop-with-savepoint (`flink stop`): a synchronous savepoint; with `drain` the watermark goes to MAX first.
   * When it completes, sinks commit (it notifies like a checkpoint) and the job FINISHES.
   */
  stopWithSavepoint(drain: boolean): number | null {
    const rt = this.rt;
    if (this.stopping) return null;
    const id = rt.coordinator.peekNextId();
    // SchedulerBase.stopWithSavepoint: periodic checkpointing stops first, then the synchronous savepoint.
    rt.coordinator.stopScheduler('CHECKPOINT_COORDINATOR_SUSPEND');
    this.stopping = { id, drain };
    const got = rt.coordinator.trigger('SYNC_SAVEPOINT');
    if (got === null) {
      this.stopping = null;
      rt.coordinator.startScheduler();
    } else rt.emit({ kind: 'stop-with-savepoint', checkpointId: got, drain });
    return got;
  }

  /** Whether the synchronous savepoint `id` drains (watermark +∞ before its barrier). */
  stopDrains(id: number): boolean {
    return this.stopping !== null && this.stopping.id === id && this.stopping.drain;
  }

  /** A completed checkpoint `id` was notified: a stop-with-savepoint with that id finishes the job. */
  isStopSavepoint(id: number): boolean {
    return this.stopping?.id === id;
  }

  /**
   * The synchronous savepoint of a stop failed (StopWithSavepointTerminationHandlerImpl, reference 2.7): the job
   * stays RUNNING, the sources resume, and periodic checkpointing restarts. Nothing counts as a failed checkpoint.
   */
  stopFailed(id: number, message: string): void {
    if (this.stopping?.id !== id) return;
    this.stopping = null;
    const rt = this.rt;
    rt.emit({ kind: 'stop-with-savepoint-failed', checkpointId: id, message });
    for (const t of rt.tasks) {
      if (!t.stoppedAfterSavepoint) continue;
      t.stoppedAfterSavepoint = false;
      t.wake(rt.kernel.now);
    }
    if (this.status === 'RUNNING') rt.coordinator.startScheduler();
  }

  /** The synchronous savepoint of a stop completed and was committed: every task finishes (reference 2.6). */
  onStopFinish(id: number): void {
    if (this.stopping?.id !== id || this.isFinished()) return;
    this.stopping = null;
    for (const t of this.rt.tasks) t.finishedBySavepoint();
    this.setStatus('FINISHED', `stopped with savepoint ${id}`);
    this.rt.kernel.halted = true;
  }
}

/**
 * The finished-state entry for a task in a snapshot, or null (FLIP-147): at the same parallelism the subtask's own
 * entry; after rescaling, only an operator whose subtasks all finished ("fully finished") restores as finished.
 */
function finishedEntry(cp: CompletedCheckpoint, t: StreamTask): SubtaskSnapshot | null {
  const vertex = cp.vertices.find((v) => v.id === t.info.vertex.id);
  if (!vertex) return null;
  const entries = cp.subtasks.filter((s) => s.vertexId === vertex.id);
  if (vertex.parallelism === t.info.vertex.parallelism) {
    const own = entries.find((s) => s.subtaskIndex === t.info.subtaskIndex);
    return own?.finished ? own : null;
  }
  const all = entries.length === vertex.parallelism && entries.every((s) => s.finished === true);
  return all ? (entries[0] as SubtaskSnapshot) : null;
}
