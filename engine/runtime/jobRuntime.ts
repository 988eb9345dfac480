/**
 * The running job: assembles the runtime from the execution graph — tasks (StreamTask), channels and the
 * credit-based transport, the CheckpointCoordinator, the scheduler with its failure handler, the cluster, fault
 * injection — and dispatches every kernel event to the part that owns it. Every state change happens inside an
 * event handler, in (time, seq) order. The public surface here is what the engine facade needs.
 */
import {
  CheckpointCoordinator,
  type CheckpointFailureReason,
  type CompletedCheckpoint,
  type CoordinatorHost,
  type SubtaskSnapshot,
} from '../checkpoint/checkpointCoordinator.ts';
import type { CheckpointType } from '../checkpoint/checkpointStats.ts';
import type { CheckpointStorage } from '../checkpoint/checkpointStorage.ts';
import { type StorageBinding, createCheckpointStorage } from '../checkpoint/storage/storageEnv.ts';
import { acknowledgeUnaligned } from '../checkpoint/task/asyncCheckpointRunnable.ts';
import type { PriorityEvent } from '../checkpoint/task/barrierHandler.ts';
import type { UnalignedCheckpoint } from '../checkpoint/task/channelStateWriter.ts';
import type { AsyncSnapshot } from '../checkpoint/task/subtaskCheckpointCoordinator.ts';
import { Cluster } from '../cluster/cluster.ts';
import { createInputTopic, type InputTopic, OutputTopic } from '../connectors/topic.ts';
import { buildExecutionGraph, type ExecutionGraph } from '../graph/executionGraph.ts';
import { type BarrierMeta, type Channel, type ChannelItem, isTimeoutable } from '../network/channel.ts';
import { type ChannelEndpoints, CreditBasedTransport } from '../network/creditBasedTransport.ts';
import type { FlushScheduler, RecordWriter } from '../network/recordWriter.ts';
import type { Frame, JobStatus, LogEntry, RuntimeEvent } from '../protocol.ts';
import { computeSubtaskRegions } from '../recovery/failoverRegions.ts';
import { type DetectedFailure, FaultInjector } from '../recovery/faultInjector.ts';
import { RestartBackoffTimeStrategy, restartStrategyFromConfig } from '../recovery/restartStrategy.ts';
import { adoptMaxParallelism } from '../recovery/stateAssignment.ts';
import { FrameBuilder } from '../report/frameBuilder.ts';
import { LogBuffer } from '../report/logBuffer.ts';
import { narrate, type SubtaskNames } from '../report/narrator.ts';
import type { FaultSpec, Scenario } from '../scenario/types.ts';
import { ExecutionFailureHandler } from '../scheduler/executionFailureHandler.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import type { IoHandle, SimEvent } from '../sim/eventQueue.ts';
import { createKeyedStateBackend } from '../state/index.ts';
import { createLsmBackend } from '../state/lsm/index.ts';
import type { KeyedBackendOptions } from '../state/memoryBackend.ts';
import type { KeyedStateBackend } from '../state/types.ts';
import { type EventDispatcher, Kernel } from '../sim/kernel.ts';
import { markImmutable, markImmutableDeep } from '../sim/snapshot.ts';
import { formatTime } from '../sim/time.ts';
import { EV, EV_NAMES, dispatchRuntimeEvent } from './runtimeEvents.ts';
import type { StreamTask } from './streamTask.ts';
import { buildTasksAndChannels } from './taskWiring.ts';

export { adoptMaxParallelism };

export class JobRuntime
  implements EventDispatcher, ChannelEndpoints, FlushScheduler, CoordinatorHost, SubtaskNames
{
  readonly kernel: Kernel;
  readonly graph: ExecutionGraph;
  readonly tasks: StreamTask[] = [];
  readonly channels: Channel[] = [];
  readonly inputTopics = new Map<string, InputTopic>();
  readonly outputTopics = new Map<string, OutputTopic>();
  readonly sinkOperators: { id: string; topic: string; delivery: string }[] = [];
  readonly transport: CreditBasedTransport;
  readonly coordinator: CheckpointCoordinator;
  readonly scheduler: Scheduler;
  readonly cluster: Cluster;
  readonly faults: FaultInjector;
  readonly checkpointMode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  /** Where snapshots are uploaded (reference 3.1): JobManagerCheckpointStorage or durable (IndexedDB) storage. */
  readonly storage: CheckpointStorage;
  /** Event counters for "step to the next event of a kind" (the UI's transport). */
  readonly counters = { barrier: 0, checkpointCompleted: 0, failure: 0, restore: 0 };
  readonly random: CoordinatorHost['random'];
  private readonly watermarkInterval: number;
  /**
   * execution.checkpointing.checkpoints-after-tasks-finish with checkpointing on (FLIP-147): tasks past their end of
   * input wait for a final checkpoint, and finished tasks are left out of checkpoint plans.
   */
  readonly waitsForFinalCheckpoint: boolean;
  private readonly alignedTimeout: number;
  private readonly frames: FrameBuilder;
  private readonly log = new LogBuffer();
  private lastStory: RuntimeEvent['kind'] | null = null;

  constructor(
    readonly scenario: Scenario,
    /** A savepoint or retained checkpoint the job starts from (reference 2.6, 4.6). */
    readonly initialSnapshot: CompletedCheckpoint | null = null,
    startUs = 0,
    /** Keyed state backend factory (tests: an asynchronous wrapper); default: the HashMap backend. */
    private readonly keyedBackendFactory: ((opts: KeyedBackendOptions) => KeyedStateBackend) | null = null,
    storageBinding: StorageBinding | null = null,
  ) {
    this.kernel = new Kernel(scenario.seed);
    const store = createCheckpointStorage(scenario, storageBinding, this);
    this.storage = store.storage;
    this.kernel.now = startUs;
    const cfg = scenario.config;
    for (const name of EV_NAMES) this.kernel.registerKind(name);
    this.kernel.dispatcher = this;
    this.kernel.describe = null;
    this.transport = new CreditBasedTransport(
      this.kernel,
      this,
      scenario.sim.networkLatencyUs,
      scenario.sim.networkJitterUs,
      cfg.bytes('taskmanager.memory.segment-size'),
      // execution.buffer-timeout.enabled = false: partially filled buffers leave only when full (or before an event).
      cfg.bool('execution.buffer-timeout.enabled')
        ? (cfg.duration('execution.buffer-timeout.interval') ?? 100_000)
        : null,
    );
    this.watermarkInterval = cfg.duration('pipeline.auto-watermark-interval') ?? 200_000;
    this.graph = buildExecutionGraph(
      scenario,
      initialSnapshot ? adoptMaxParallelism(scenario, initialSnapshot) : new Map(),
    );
    this.frames = new FrameBuilder(this, startUs);
    // What never changes during a run is shared by every engine snapshot (time travel).
    markImmutableDeep(scenario);
    markImmutableDeep(this.graph);
    if (initialSnapshot) markImmutable(initialSnapshot);

    const sinkDelivery = new Map<string, string>();
    for (const o of scenario.operators) if (o.kind === 'sink') sinkDelivery.set(o.topic, o.delivery);
    for (const t of scenario.topics) {
      if (t.generator) {
        this.inputTopics.set(
          t.name,
          markImmutable(createInputTopic(t.name, t.partitions, t.generator, scenario.seed)),
        );
      } else {
        this.outputTopics.set(t.name, new OutputTopic(t.name, sinkDelivery.get(t.name) === 'idempotent'));
      }
    }
    for (const o of scenario.operators) {
      if (o.kind === 'sink') this.sinkOperators.push({ id: o.id, topic: o.topic, delivery: o.delivery });
    }

    // Checkpointing (reference 2.1) and recovery (reference 5).
    const interval = cfg.duration('execution.checkpointing.interval');
    this.waitsForFinalCheckpoint =
      interval !== null && cfg.bool('execution.checkpointing.checkpoints-after-tasks-finish');
    this.checkpointMode =
      cfg.str('execution.checkpointing.mode') === 'AT_LEAST_ONCE' ? 'AT_LEAST_ONCE' : 'EXACTLY_ONCE';
    this.random = this.kernel.random.stream('checkpoint');
    this.coordinator = new CheckpointCoordinator(
      {
        intervalUs: interval,
        timeoutUs: cfg.duration('execution.checkpointing.timeout') ?? 600_000_000,
        minPauseUs: cfg.duration('execution.checkpointing.min-pause') ?? 0,
        maxConcurrent: cfg.int('execution.checkpointing.max-concurrent-checkpoints'),
        tolerableFailures: cfg.int('execution.checkpointing.tolerable-failed-checkpoints'),
        numRetained: cfg.int('execution.checkpointing.num-retained'),
        unaligned: cfg.bool('execution.checkpointing.unaligned.enabled'),
        historySize: cfg.int('web.checkpoints.history'),
      },
      this,
    );
    const restartStrategy = new RestartBackoffTimeStrategy(
      restartStrategyFromConfig(
        (k) => cfg.values.get(k) ?? null,
        interval !== null,
        (k) => cfg.explicit.has(k),
      ),
      this.kernel.random.stream('restart'),
    );
    const failover = cfg.str('jobmanager.execution.failover-strategy') === 'full' ? 'full' : 'region';
    this.alignedTimeout = cfg.duration('execution.checkpointing.aligned-checkpoint-timeout') ?? 0;
    this.cluster = new Cluster(
      scenario.cluster.taskManagers,
      scenario.cluster.slotsPerTaskManager,
      this.graph.slotsNeeded,
    );
    this.faults = new FaultInjector(this, {
      timeoutUs: cfg.duration('heartbeat.timeout') ?? 50_000_000,
      intervalUs: cfg.duration('heartbeat.interval') ?? 10_000_000,
      rpcFailureThreshold: cfg.int('heartbeat.rpc-failure-threshold'),
    });

    buildTasksAndChannels(this);
    if (store.notice) this.emit({ kind: 'notice', subtask: null, category: 'job', text: store.notice });
    const regions = computeSubtaskRegions(
      this.graph.subtasks.map((x) => ({ id: x.name, vertex: x.vertex.id, index: x.subtaskIndex })),
      this.graph.channels.map((c) => ({ from: c.from.name, to: c.to.name })),
    );
    this.scheduler = new Scheduler(
      this,
      new ExecutionFailureHandler(
        restartStrategy,
        failover,
        regions,
        this.tasks.map((t) => t.name),
      ),
    );
    this.kernel.schedule(startUs, EV.Deploy, -1);
    for (const f of scenario.faults) if (f.at >= startUs) this.kernel.schedule(f.at, EV.Fault, -1, 0, f);
    // The scenario's user actions (checkpoint, savepoint, stop-with-savepoint) at their virtual times.
    for (const a of scenario.actions)
      if (a.atUs >= startUs) this.kernel.schedule(a.atUs, EV.UserAction, -1, 0, a);
  }

  // ---- construction ---------------------------------------------------------------------------------------

  /** The keyed state backend of a keyed operator (state.backend.type). */
  createKeyedBackend(opts: KeyedBackendOptions): KeyedStateBackend {
    if (this.keyedBackendFactory) return this.keyedBackendFactory(opts);
    if (this.scenario.config.str('state.backend.type') === 'indexeddb') return createLsmBackend(this, opts);
    return createKeyedStateBackend('hashmap', opts);
  }

  taskOf(index: number): StreamTask {
    return this.tasks[index] as StreamTask;
  }

  subtaskName(index: number): string {
    return this.tasks[index]?.name ?? `subtask ${index}`;
  }

  // ---- the event dispatcher ----------------------------------------------------------------------------------

  dispatch(ev: SimEvent): void {
    dispatchRuntimeEvent(this, ev);
  }

  // ---- scheduling helpers (one place per event kind) ---------------------------------------------------------

  scheduleRun(t: StreamTask, time: number): SimEvent {
    return this.kernel.schedule(time, EV.Run, t.index);
  }

  scheduleFlush(writer: RecordWriter): void {
    this.kernel.schedule(
      this.kernel.now + (this.transport.bufferTimeoutUs as number),
      EV.Flush,
      writer.taskIndex,
    );
  }

  /** pipeline.auto-watermark-interval; 0 disables periodic watermarks (only the final +∞ is emitted). */
  scheduleWatermarkTimer(t: StreamTask): void {
    if (this.watermarkInterval <= 0) return;
    this.kernel.schedule(this.kernel.now + this.watermarkInterval, EV.WatermarkTimer, t.index, t.attempt);
  }

  scheduleAsyncPart(t: StreamTask, id: number, snap: AsyncSnapshot, at: number): void {
    this.kernel.schedule(at, EV.SnapshotAsync, t.index, id, snap);
  }

  /** The acknowledgement; with real I/O behind the snapshot it waits for it (the virtual time stays the same). */
  scheduleAck(
    t: StreamTask,
    id: number,
    snapshot: SubtaskSnapshot,
    at: number,
    io: IoHandle | null = null,
  ): void {
    markImmutable(snapshot);
    const ref = { attempt: t.attempt, snapshot };
    if (io === null) this.kernel.schedule(at, EV.Ack, t.index, id, ref);
    else this.kernel.scheduleIo(at, EV.Ack, t.index, id, ref, io);
  }

  scheduleDecline(t: StreamTask, id: number, reason: CheckpointFailureReason, detail?: string): void {
    this.kernel.schedule(this.kernel.now + this.transport.latencyUs, EV.Decline, t.index, id, {
      reason,
      detail,
    });
  }

  /**
   * An unaligned barrier reaches its receiver: a priority event, handled between records even while the task is
   * busy with the buffer in hand (CheckpointedInputGate.processPriorityEvents, reference 2.7).
   */
  schedulePriorityBarrier(ch: Channel, item: ChannelItem, at: number, overtaken: number): void {
    const to = this.taskOf(ch.info.to.index);
    const p: PriorityEvent = { item, attempt: to.attempt, overtaken };
    this.kernel.schedule(at, EV.PriorityBarrier, to.index, ch.index, p);
  }

  scheduleAlignTimeout(t: StreamTask, id: number, at: number): void {
    this.kernel.schedule(at, EV.AlignTimeout, t.index, id, t.attempt);
  }

  /** The sender's aligned-checkpoint timer (SubtaskCheckpointCoordinatorImpl.registerAlignmentTimer). */
  scheduleOutputAlignTimeout(t: StreamTask, id: number, at: number): void {
    this.kernel.schedule(at, EV.OutputAlignTimeout, t.index, id, t.attempt);
  }

  /**
   * A timeoutable barrier reaches its receiver's queue: it is announced there at once, ahead of the data before it
   * (RemoteInputChannel.onBuffer: EventAnnouncement as a priority event).
   */
  scheduleAnnouncement(ch: Channel, item: ChannelItem, at: number): void {
    const to = this.taskOf(ch.info.to.index);
    const p: PriorityEvent = { item, attempt: to.attempt, overtaken: 0 };
    this.kernel.schedule(at, EV.BarrierAnnouncement, to.index, ch.index, p);
  }

  /** INITIALIZING ends after the restore's virtual time, and after its real I/O when there is some. */
  scheduleInitialized(t: StreamTask, at: number, io: IoHandle | null = null): void {
    if (io === null) this.kernel.schedule(at, EV.Initialized, t.index, t.attempt);
    else this.kernel.scheduleIo(at, EV.Initialized, t.index, t.attempt, null, io);
  }

  scheduleRestart(at: number): SimEvent {
    return this.kernel.schedule(at, EV.Restart, -1);
  }

  scheduleFault(f: FaultSpec, at: number): void {
    this.kernel.schedule(at, EV.Fault, -1, 0, f);
  }

  scheduleFaultEnd(target: number, a: number, f: FaultSpec, at: number): void {
    this.kernel.schedule(at, EV.FaultEnd, target, a, f);
  }

  scheduleFailureDetected(d: DetectedFailure, at: number): void {
    this.kernel.schedule(at, EV.FailureDetected, -1, 0, d);
  }

  scheduleTaskManagerBack(tm: number, at: number): void {
    this.kernel.schedule(at, EV.TaskManagerBack, -1, tm);
  }

  acknowledgeUnaligned(t: StreamTask, u: UnalignedCheckpoint): void {
    acknowledgeUnaligned(t, u);
  }

  // ---- ChannelEndpoints (the transport) ------------------------------------------------------------------------

  itemsSent(ch: Channel, at: number): void {
    this.taskOf(ch.info.to.index).wake(at);
  }

  barrierSent(ch: Channel, item: ChannelItem): void {
    const b = item.barrier as BarrierMeta;
    if (!isTimeoutable(b)) return;
    this.taskOf(ch.info.from.index).barriers.outputBarrierSent(ch, b.id);
    this.scheduleAnnouncement(ch, item, item.arriveAt);
  }

  creditAvailable(ch: Channel): void {
    const sender = this.taskOf(ch.info.from.index);
    if (sender.backpressured && !sender.writer.hasBlockedOutput()) sender.wake(this.kernel.now);
  }

  // ---- CoordinatorHost (the CheckpointCoordinator's view of the job) -----------------------------------------

  now(): number {
    return this.kernel.now;
  }

  scheduleTrigger(time: number): { cancelled: boolean } {
    return this.kernel.schedule(time, EV.CheckpointTimer, -1);
  }

  scheduleExpiry(time: number, id: number): { cancelled: boolean } {
    return this.kernel.schedule(time, EV.CheckpointExpiry, -1, id);
  }

  /**
   * The trigger pre-check: every task of the plan is RUNNING; with checkpoints after tasks finish, finished tasks
   * are not part of the plan (FLIP-147). The JobManager does not know about a dead TaskManager before it detects
   * the loss.
   */
  allTasksRunning(): boolean {
    return this.tasks.every(
      (t) =>
        t.status === 'RUNNING' ||
        (t.status === 'FINISHED' && t.finalSnapshot !== null && this.waitsForFinalCheckpoint),
    );
  }

  /** DefaultCheckpointPlanCalculator.calculateAfterTasksFinished: wait for running tasks; record finished ones. */
  checkpointPlan(): { waitFor: string[]; finished: SubtaskSnapshot[] } {
    const waitFor: string[] = [];
    const finished: SubtaskSnapshot[] = [];
    for (const t of this.tasks) {
      if (t.status === 'FINISHED' && t.finalSnapshot !== null) finished.push(t.finalSnapshot);
      else waitFor.push(`${t.info.vertex.id}#${t.info.subtaskIndex}`);
    }
    return { waitFor, finished };
  }

  /** Tasks the trigger RPC goes to: running sources, and running tasks whose predecessors all finished. */
  private triggered(t: StreamTask): boolean {
    if (t.status === 'FINISHED') return false;
    if (t.status !== 'RUNNING') return t.chain.source !== null; // it declines: not ready
    if (t.chain.source !== null) return true;
    const ins = t.inputs;
    return ins.length > 0 && ins.every((c) => this.taskOf(c.info.from.index).status === 'FINISHED');
  }

  plan(): { id: string; parallelism: number; maxParallelism: number; operatorIds: string[] }[] {
    return this.graph.vertices.map((v) => ({
      id: v.id,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      operatorIds: v.operators.map((o) => o.id),
    }));
  }

  /** The coordinator triggers checkpoint `id`: an RPC to every source task (reference 2.3 step 5). */
  triggerSources(id: number, type: CheckpointType, triggerUs: number): void {
    const savepoint = type === 'SAVEPOINT' || type === 'SYNC_SAVEPOINT';
    const unaligned = this.coordinator.config.unaligned;
    const barrier: BarrierMeta = {
      id,
      triggerUs,
      type,
      // Savepoints are always aligned (2.6); at-least-once mode never aligns (1.3); unaligned checkpoints start
      // unaligned, or aligned with a timeout when execution.checkpointing.aligned-checkpoint-timeout > 0 (1.6).
      alignment: savepoint
        ? 'ALIGNED'
        : this.checkpointMode === 'AT_LEAST_ONCE'
          ? 'AT_LEAST_ONCE'
          : unaligned && this.alignedTimeout === 0
            ? 'UNALIGNED'
            : 'ALIGNED',
      alignedTimeoutUs: !savepoint && unaligned && this.alignedTimeout > 0 ? this.alignedTimeout : null,
    };
    const at = this.kernel.now + this.transport.latencyUs;
    for (const t of this.tasks) {
      if (this.triggered(t)) this.kernel.schedule(at, EV.TriggerTask, t.index, t.attempt, barrier);
    }
  }

  notifyComplete(id: number): void {
    this.notifyTasks(id, true);
  }

  notifyAborted(id: number, message?: string): void {
    this.notifyTasks(id, false);
    if (this.scheduler.isStopSavepoint(id)) this.scheduler.stopFailed(id, message ?? 'the savepoint failed');
  }

  failJob(message: string): void {
    this.scheduler.failTasks(this.tasks, message, true);
  }

  /** The coordinator reports what happened (typed). */
  report(e: RuntimeEvent): void {
    this.emit(e);
  }

  /** notifyCheckpointComplete / notifyCheckpointAborted to every running task (reference 2.4). */
  private notifyTasks(id: number, complete: boolean): void {
    const at = this.kernel.now + this.transport.latencyUs;
    if (complete && this.scheduler.isStopSavepoint(id)) this.kernel.schedule(at + 1, EV.StopFinish, -1, id);
    for (const t of this.tasks) {
      if (t.status === 'RUNNING' || t.status === 'INITIALIZING') {
        this.kernel.schedule(at, EV.Notify, t.index, id, { attempt: t.attempt, complete });
      }
    }
  }

  // ---- events -----------------------------------------------------------------------------------------------

  taskManagerBack(tm: number): void {
    if (this.cluster.taskManagerAlive[tm]) return;
    this.cluster.register(tm);
    this.emit({
      kind: 'taskmanager-registered',
      taskManager: tm,
      slots: this.scenario.cluster.slotsPerTaskManager,
    });
    this.scheduler.taskManagerRegistered();
  }

  // ---- the public surface (engine facade, CLI, tests) ------------------------------------------------------

  get status(): JobStatus {
    return this.scheduler.status;
  }

  get restarts(): number {
    return this.scheduler.restarts;
  }

  get failureMessage(): string | null {
    return this.scheduler.failureMessage;
  }

  isFinished(): boolean {
    return this.scheduler.isFinished();
  }

  /** The engine's own failure (an exception in a handler): the job is FAILED with that message. */
  failWith(message: string): void {
    this.scheduler.status = 'FAILED';
    this.emit({ kind: 'notice', subtask: null, category: 'job', text: `Job failed: ${message}` });
  }

  /** Injects a fault now (UI and CLI commands); scheduled faults arrive through the same path. */
  injectFault(f: FaultSpec): void {
    this.faults.apply({ ...f, at: this.kernel.now });
  }

  /** Schedules a fault for a later virtual time (as a scenario's `faults` entry would be). */
  scheduleFaultAt(f: FaultSpec): void {
    this.faults.schedule(f);
  }

  /** Manual checkpoint (REST POST /jobs/:id/checkpoints). Returns the id, or null if it could not be triggered. */
  triggerCheckpoint(): number | null {
    return this.coordinator.trigger(
      this.coordinator.config.unaligned ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT',
      true,
    );
  }

  /** A savepoint (always aligned, canonical, not a recovery point, no commit notification: reference 2.6). */
  triggerSavepoint(): number | null {
    return this.coordinator.trigger('SAVEPOINT');
  }

  stopWithSavepoint(drain: boolean): number | null {
    return this.scheduler.stopWithSavepoint(drain);
  }

  /** Reports a runtime event: narrated into the log for the next frame. */
  emit(e: RuntimeEvent): void {
    const entry = narrate(this.kernel.now, e, this);
    // A run of failed triggers (e.g. while waiting for slots) is one story line, not one a second.
    if (
      entry.story &&
      e.kind === 'checkpoint-trigger-failed' &&
      this.lastStory === 'checkpoint-trigger-failed'
    )
      entry.story = false;
    if (entry.story) this.lastStory = e.kind;
    this.log.push(entry);
  }

  /** Log entries from absolute position `cursor` on. */
  logSince(cursor: number): LogEntry[] {
    return this.log.since(cursor);
  }

  logEnd(): number {
    return this.log.end;
  }

  /** A human description of an event (for the determinism checker). */
  describeEvent(ev: SimEvent): string {
    const name = this.kernel.kindName(ev.kind);
    const t = ev.target >= 0 ? this.tasks[ev.target] : undefined;
    return `${name}${t ? ` ${t.name}` : ''} at ${formatTime(ev.time)}`;
  }

  frame(): Frame {
    return this.frames.build();
  }
}
