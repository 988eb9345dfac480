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
import { type CheckpointStorage, JobManagerCheckpointStorage } from '../checkpoint/checkpointStorage.ts';
import { acknowledgeUnaligned, runAsyncPart } from '../checkpoint/task/asyncCheckpointRunnable.ts';
import type { UnalignedCheckpoint } from '../checkpoint/task/channelStateWriter.ts';
import type { AsyncSnapshot } from '../checkpoint/task/subtaskCheckpointCoordinator.ts';
import { Cluster } from '../cluster/cluster.ts';
import { createInputTopic, type InputTopic, OutputTopic } from '../connectors/topic.ts';
import { buildExecutionGraph, type ExecutionGraph } from '../graph/executionGraph.ts';
import { type BarrierMeta, Channel, type ChannelItem } from '../network/channel.ts';
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
import type { FaultSpec, OperatorSpec, Scenario, ScenarioAction } from '../scenario/types.ts';
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
import { StreamTask } from './streamTask.ts';

export { adoptMaxParallelism };

/**
 * Event kinds, in registration order: the order is part of the trace hash (each event mixes its kind number),
 * keep it fixed.
 */
const EV = {
  Deploy: 0,
  Run: 1,
  Flush: 2,
  WatermarkTimer: 3,
  CheckpointTimer: 4,
  CheckpointExpiry: 5,
  TriggerTask: 6,
  SnapshotAsync: 7,
  Ack: 8,
  Decline: 9,
  Notify: 10,
  Fault: 11,
  FailureDetected: 12,
  Restart: 13,
  Initialized: 14,
  TaskManagerBack: 15,
  FaultEnd: 16,
  StopFinish: 17,
  AlignTimeout: 18,
  UserAction: 19,
  PriorityBarrier: 20,
} as const;
const EV_NAMES = [
  'deploy',
  'task-run',
  'flush',
  'watermark-timer',
  'checkpoint-timer',
  'checkpoint-expiry',
  'checkpoint-trigger-task',
  'snapshot-async',
  'checkpoint-ack',
  'checkpoint-decline',
  'checkpoint-notify',
  'fault',
  'failure-detected',
  'restart',
  'task-initialized',
  'taskmanager-back',
  'fault-end',
  'stop-finish',
  'aligned-checkpoint-timeout',
  'user-action',
  'priority-barrier',
] as const;

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
  /** Where snapshots are uploaded (reference 3.1): JobManagerCheckpointStorage. */
  readonly storage: CheckpointStorage = new JobManagerCheckpointStorage();
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
  ) {
    this.kernel = new Kernel(scenario.seed);
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

    this.buildTasks();
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

  /** Tasks and channels; every channel is created once and attached to its two ends (linear in channels). */
  private buildTasks(): void {
    const g = this.graph;
    const buffersPerChannel = this.scenario.config.int('taskmanager.network.memory.buffers-per-channel');
    const floating = this.scenario.config.int('taskmanager.network.memory.floating-buffers-per-gate');
    for (const s of g.subtasks) {
      this.tasks.push(new StreamTask(s, this, this.kernel.random.stream(`rebalance/${s.name}`)));
    }
    const inputsPer = new Map<number, number>();
    for (const c of g.channels) inputsPer.set(c.to.index, (inputsPer.get(c.to.index) ?? 0) + 1);
    // Output channels per (sender task, edge), in output-index order.
    const outs = new Map<string, Channel[]>();
    for (const c of g.channels) {
      // Exclusive buffers per channel plus an even share of the gate's floating buffers (at least one).
      const n = inputsPer.get(c.to.index) ?? 1;
      const capacity = buffersPerChannel + Math.max(1, Math.floor(floating / n));
      const ch = new Channel(c, capacity);
      this.channels.push(ch);
      this.taskOf(c.to.index).gate.add(ch);
      const key = `${c.from.index}/${c.edge.from.id}->${c.edge.to.id}`;
      const list = outs.get(key);
      if (list) list.push(ch);
      else outs.set(key, [ch]);
    }
    for (const t of this.tasks) {
      t.gate.seal();
      for (const e of t.info.vertex.outputs) {
        const chans = (outs.get(`${t.index}/${e.from.id}->${e.to.id}`) ?? []).sort(
          (a, b) => a.info.outputIndex - b.info.outputIndex,
        );
        t.writer.addOutput({
          edge: e,
          channels: chans,
          next: 0,
          keyField: e.keyBy,
          keyType: (e.to.operators[0] as OperatorSpec).keyType,
          maxParallelism: e.to.maxParallelism,
          parallelism: e.to.parallelism,
        });
      }
      t.writer.initRebalance();
    }
  }

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
    switch (ev.kind) {
      case EV.Deploy:
        this.scheduler.deploy(this.initialSnapshot);
        return;
      case EV.Run:
        this.taskOf(ev.target).run();
        return;
      case EV.Flush:
        this.taskOf(ev.target).writer.flush();
        return;
      case EV.WatermarkTimer:
        this.watermarkTimer(this.taskOf(ev.target), ev.a);
        return;
      case EV.CheckpointTimer:
        this.coordinator.onPeriodicTimer();
        return;
      case EV.CheckpointExpiry:
        this.coordinator.onExpiry(ev.a);
        return;
      case EV.TriggerTask: {
        const t = this.taskOf(ev.target);
        if (t.attempt === ev.a && !t.lost) t.checkpointing.triggerOnSource(ev.ref as BarrierMeta);
        return;
      }
      case EV.SnapshotAsync:
        runAsyncPart(this.taskOf(ev.target), ev.a, ev.ref as AsyncSnapshot);
        return;
      case EV.Ack: {
        const t = this.taskOf(ev.target);
        const { attempt, snapshot } = ev.ref as { attempt: number; snapshot: SubtaskSnapshot };
        if (attempt !== t.attempt) return; // an ack of a cancelled attempt is discarded
        if (ev.io?.error) {
          // The asynchronous part's I/O failed: AsyncCheckpointRunnable declines (reference 2.5).
          t.checkpointing.decline(ev.a, 'CHECKPOINT_ASYNC_EXCEPTION', ioMessage(ev.io.error));
          return;
        }
        if (this.coordinator.acknowledge(ev.a, snapshot) === 'SUCCESS') {
          t.checkpointing.phases.set(ev.a, 'acknowledged');
        }
        return;
      }
      case EV.Decline: {
        const { reason, detail } = ev.ref as { reason: CheckpointFailureReason; detail?: string };
        this.coordinator.abort(ev.a, reason, detail);
        return;
      }
      case EV.Notify: {
        const t = this.taskOf(ev.target);
        const { attempt, complete } = ev.ref as { attempt: number; complete: boolean };
        if (attempt === t.attempt && !t.lost) t.checkpointing.onNotify(ev.a, complete);
        return;
      }
      case EV.Fault:
        this.faults.apply(ev.ref as FaultSpec);
        return;
      case EV.FailureDetected:
        this.faults.onFailureDetected(ev.ref as DetectedFailure);
        return;
      case EV.Restart:
        this.scheduler.onRestart();
        return;
      case EV.Initialized: {
        const t = this.taskOf(ev.target);
        if (ev.io?.error && t.attempt === ev.a && t.status === 'INITIALIZING') {
          // Restoring its state failed: the task fails, and the failover takes over.
          const cause = `org.apache.flink.util.FlinkException: Could not restore keyed state backend: ${ioMessage(ev.io.error)}`;
          this.emit({ kind: 'task-status', subtask: t.index, from: t.status, to: 'FAILED', cause });
          t.failed();
          this.scheduler.failTasks([t], cause, false);
          return;
        }
        this.scheduler.onInitialized(t, ev.a);
        return;
      }
      case EV.TaskManagerBack:
        this.taskManagerBack(ev.a);
        return;
      case EV.FaultEnd:
        this.faults.onFaultEnd(this.taskOf(ev.target), ev.ref as FaultSpec);
        return;
      case EV.StopFinish:
        this.scheduler.onStopFinish(ev.a);
        return;
      case EV.PriorityBarrier:
        this.taskOf(ev.target).barriers.onPriorityBarrier(
          this.channels[ev.a] as Channel,
          ev.ref as { item: ChannelItem; attempt: number },
        );
        return;
      case EV.UserAction:
        this.applyAction(ev.ref as ScenarioAction);
        return;
      case EV.AlignTimeout: {
        const t = this.taskOf(ev.target);
        if (t.attempt === ev.ref) t.barriers.onAlignTimeout(ev.a);
        return;
      }
    }
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
  schedulePriorityBarrier(ch: Channel, item: ChannelItem, at: number): void {
    const to = this.taskOf(ch.info.to.index);
    this.kernel.schedule(at, EV.PriorityBarrier, to.index, ch.index, { item, attempt: to.attempt });
  }

  scheduleAlignTimeout(t: StreamTask, id: number, at: number): void {
    this.kernel.schedule(at, EV.AlignTimeout, t.index, id, t.attempt);
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

  private watermarkTimer(t: StreamTask, attempt: number): void {
    const src = t.chain.source;
    if (t.status !== 'RUNNING' || src === null || t.attempt !== attempt || t.lost) return;
    src.onPeriodicEmit(this.kernel.now);
    this.scheduleWatermarkTimer(t);
  }

  /** A scenario action at its virtual time: the same calls the UI and the CLI make. */
  private applyAction(a: ScenarioAction): void {
    if (this.isFinished()) return;
    switch (a.kind) {
      case 'checkpoint':
        this.triggerCheckpoint();
        return;
      case 'savepoint':
        this.triggerSavepoint();
        return;
      case 'stop-with-savepoint':
        this.stopWithSavepoint(a.drain);
        return;
    }
  }

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

function ioMessage(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : 'I/O failed';
}
