/**
 * The running job: builds tasks, channels and operators from the execution graph and drives them with kernel
 * events. Every state change happens inside an event handler, in (time, seq) order.
 */
import { createInputTopic, type InputTopic, OutputTopic } from '../connectors/topic.ts';
import { buildExecutionGraph, type ExecutionGraph } from '../graph/executionGraph.ts';
import { MAX_WATERMARK, type OperatorContext, type StreamOperator } from '../operators/operator.ts';
import { KeyedProcessOperator, ReduceOperator, WindowOperator } from '../operators/keyed.ts';
import { SinkOperator } from '../operators/sink.ts';
import { SourceOperator } from '../operators/source.ts';
import { FilterOperator, FlatMapOperator, MapOperator, UnionOperator } from '../operators/stateless.ts';
import type {
  CheckpointSummaryView,
  Frame,
  InFlightItem,
  JobStatus,
  LogEntry,
  SinkView,
} from '../protocol.ts';
import type { OperatorSpec, Scenario } from '../scenario/types.ts';
import type { SimEvent } from '../sim/eventQueue.ts';
import { Kernel } from '../sim/kernel.ts';
import { formatTime } from '../sim/time.ts';
import { createKeyedStateBackend } from '../state/index.ts';
import { DefaultOperatorStateBackend } from '../state/operatorState.ts';
import {
  Channel,
  type BarrierMeta,
  type ChannelItem,
  EMPTY_NUMS,
  EMPTY_ROWS,
  ItemKind,
  rowBytes,
} from './channel.ts';
import { type OutputEdge, Task } from './task.ts';
import {
  CheckpointCoordinator,
  type CheckpointFailureReason,
  type CompletedCheckpoint,
  type SubtaskSnapshot,
} from '../checkpoint/checkpointCoordinator.ts';
import type { CheckpointType } from '../checkpoint/checkpointStats.ts';
import { type CheckpointStorage, JobManagerCheckpointStorage } from '../checkpoint/checkpointStorage.ts';
import { RestartBackoffTimeStrategy, restartStrategyFromConfig } from '../recovery/restartStrategy.ts';
import { computeSubtaskRegions, tasksToRestart } from '../recovery/failoverRegions.ts';
import { repartitionOperatorState } from '../state/operatorStateRepartitioner.ts';
import type { FaultSpec, Row } from '../scenario/types.ts';
import type { KeyedSnapshotRunner, KeyedStateHandle, OperatorStateHandle } from '../state/types.ts';

const MAX_LOG = 500;
/** Synchronous part of a heap snapshot: the copy-on-write freeze (reference 1.4 step 5). */
const SYNC_PHASE_US = 100;

interface AsyncSnapshot {
  attempt: number;
  barrier: BarrierMeta;
  runners: (KeyedSnapshotRunner | null)[];
  operatorHandles: OperatorStateHandle[];
  alignmentUs: number;
  startDelayUs: number;
  processedBytes: number;
}

export class JobRuntime {
  readonly kernel: Kernel;
  readonly graph: ExecutionGraph;
  readonly tasks: Task[] = [];
  readonly channels: Channel[] = [];
  readonly inputTopics = new Map<string, InputTopic>();
  readonly outputTopics = new Map<string, OutputTopic>();
  readonly sinkOperators: { id: string; topic: string; delivery: string }[] = [];
  status: JobStatus = 'CREATED';
  restarts = 0;
  readonly segmentSize: number;
  private readonly bufferTimeout: number | null;
  private readonly watermarkInterval: number;
  private itemIds = 0;
  private logBuffer: LogEntry[] = [];
  private frameSeq = 0;
  private lastFrameTime = 0;

  readonly coordinator: CheckpointCoordinator;
  readonly restartStrategy: RestartBackoffTimeStrategy;
  private readonly failoverStrategy: 'region' | 'full';
  private readonly regions: string[][];
  readonly checkpointMode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  private readonly heartbeatTimeout: number;
  private readonly alignedTimeout: number;
  /** TaskManager liveness, and the physical slot (tm * slotsPerTaskManager + s) of each shared slot. */
  readonly taskManagerAlive: boolean[];
  private readonly sharedSlots: (number | null)[];
  /** Where snapshots are uploaded (reference 3.1): JobManagerCheckpointStorage. */
  readonly storage: CheckpointStorage = new JobManagerCheckpointStorage();
  private pendingRestart: { tasks: Set<Task>; event: SimEvent } | null = null;
  private readonly waitingForSlots = new Set<Task>();
  failureMessage: string | null = null;
  /** Event counters for "step to the next event of a kind" (the UI's transport). */
  readonly counters = { barrier: 0, checkpointCompleted: 0, failure: 0, restore: 0 };
  /** A stop-with-savepoint in progress: its checkpoint id, and whether the sources drain first. */
  private stopping: { id: number; drain: boolean } | null = null;

  private readonly evRun: number;
  private readonly evFlush: number;
  private readonly evWatermarkTimer: number;
  private readonly evDeploy: number;
  private readonly evCheckpointTimer: number;
  private readonly evCheckpointExpiry: number;
  private readonly evTriggerTask: number;
  private readonly evSnapshotAsync: number;
  private readonly evAck: number;
  private readonly evDecline: number;
  private readonly evNotify: number;
  private readonly evFault: number;
  private readonly evFailureDetected: number;
  private readonly evRestart: number;
  private readonly evInitialized: number;
  private readonly evTaskManagerBack: number;
  private readonly evFaultEnd: number;
  private readonly evStopFinish: number;
  private readonly evAlignTimeout: number;

  constructor(
    readonly scenario: Scenario,
    /** A savepoint or retained checkpoint the job starts from (reference 2.6, 4.6). */
    readonly initialSnapshot: CompletedCheckpoint | null = null,
    startUs = 0,
  ) {
    this.kernel = new Kernel(scenario.seed);
    this.kernel.now = startUs;
    this.lastFrameTime = startUs;
    const cfg = scenario.config;
    this.segmentSize = cfg.bytes('taskmanager.memory.segment-size');
    // execution.buffer-timeout.enabled = false: partially filled buffers leave only when full (or before an event).
    this.bufferTimeout = cfg.bool('execution.buffer-timeout.enabled')
      ? (cfg.duration('execution.buffer-timeout.interval') ?? 100_000)
      : null;
    this.watermarkInterval = cfg.duration('pipeline.auto-watermark-interval') ?? 200_000;
    this.graph = buildExecutionGraph(
      scenario,
      initialSnapshot ? adoptMaxParallelism(scenario, initialSnapshot) : new Map(),
    );

    // Event kinds: registration order is part of the trace hash, keep it fixed.
    this.evDeploy = this.kernel.register('deploy', () => this.deploy());
    this.evRun = this.kernel.register('task-run', (ev) => this.runTask(ev));
    this.evFlush = this.kernel.register('flush', (ev) => (this.tasks[ev.target] as Task).flush());
    this.evWatermarkTimer = this.kernel.register('watermark-timer', (ev) => this.watermarkTimer(ev));
    this.evCheckpointTimer = this.kernel.register('checkpoint-timer', () =>
      this.coordinator.onPeriodicTimer(),
    );
    this.evCheckpointExpiry = this.kernel.register('checkpoint-expiry', (ev) =>
      this.coordinator.onExpiry(ev.a),
    );
    this.evTriggerTask = this.kernel.register('checkpoint-trigger-task', (ev) => this.triggerTask(ev));
    this.evSnapshotAsync = this.kernel.register('snapshot-async', (ev) => this.snapshotAsync(ev));
    this.evAck = this.kernel.register('checkpoint-ack', (ev) => this.onAck(ev));
    this.evDecline = this.kernel.register('checkpoint-decline', (ev) => this.onDecline(ev));
    this.evNotify = this.kernel.register('checkpoint-notify', (ev) => this.onNotify(ev));
    this.evFault = this.kernel.register('fault', (ev) => this.applyFault(ev.ref as FaultSpec));
    this.evFailureDetected = this.kernel.register('failure-detected', (ev) => this.onFailureDetected(ev));
    this.evRestart = this.kernel.register('restart', () => this.onRestart());
    this.evInitialized = this.kernel.register('task-initialized', (ev) => this.onInitialized(ev));
    this.evTaskManagerBack = this.kernel.register('taskmanager-back', (ev) => this.taskManagerBack(ev.a));
    this.evFaultEnd = this.kernel.register('fault-end', (ev) => this.onFaultEnd(ev));
    this.evStopFinish = this.kernel.register('stop-finish', (ev) => this.onStopFinish(ev.a));
    this.evAlignTimeout = this.kernel.register('aligned-checkpoint-timeout', (ev) => this.onAlignTimeout(ev));
    this.kernel.describe = (ev) => this.describeEvent(ev);

    const sinkDelivery = new Map<string, string>();
    for (const o of scenario.operators) if (o.kind === 'sink') sinkDelivery.set(o.topic, o.delivery);
    for (const t of scenario.topics) {
      if (t.generator) {
        this.inputTopics.set(t.name, createInputTopic(t.name, t.partitions, t.generator, scenario.seed));
      } else {
        this.outputTopics.set(t.name, new OutputTopic(t.name, sinkDelivery.get(t.name) === 'idempotent'));
      }
    }
    for (const o of scenario.operators) {
      if (o.kind === 'sink') this.sinkOperators.push({ id: o.id, topic: o.topic, delivery: o.delivery });
    }

    // Checkpointing (reference 2.1) and recovery (reference 5).
    const interval = cfg.duration('execution.checkpointing.interval');
    this.checkpointMode =
      cfg.str('execution.checkpointing.mode') === 'AT_LEAST_ONCE' ? 'AT_LEAST_ONCE' : 'EXACTLY_ONCE';
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
      {
        now: () => this.kernel.now,
        random: this.kernel.random.stream('checkpoint'),
        scheduleTrigger: (time) => this.kernel.schedule(time, this.evCheckpointTimer, -1),
        scheduleExpiry: (time, id) => this.kernel.schedule(time, this.evCheckpointExpiry, -1, id),
        // The JobManager does not know about a dead TaskManager before the heartbeat timeout.
        allTasksRunning: () => this.tasks.every((t) => t.status === 'RUNNING'),
        plan: () =>
          this.graph.vertices.map((v) => ({
            id: v.id,
            parallelism: v.parallelism,
            maxParallelism: v.maxParallelism,
            operatorIds: v.operators.map((o) => o.id),
          })),
        triggerSources: (id, type, triggerUs) => this.triggerSources(id, type, triggerUs),
        notifyComplete: (id) => this.notifyTasks(id, true),
        notifyAborted: (id) => this.notifyTasks(id, false),
        failJob: (message) => this.failTasks(this.tasks, message, true),
        log: (text) => this.narrate(null, 'checkpoint', text),
      },
    );
    this.restartStrategy = new RestartBackoffTimeStrategy(
      restartStrategyFromConfig(
        (k) => cfg.values.get(k) ?? null,
        interval !== null,
        (k) => cfg.explicit.has(k),
      ),
      this.kernel.random.stream('restart'),
    );
    this.failoverStrategy = cfg.str('jobmanager.execution.failover-strategy') === 'full' ? 'full' : 'region';
    this.heartbeatTimeout = cfg.duration('heartbeat.timeout') ?? 50_000_000;
    this.alignedTimeout = cfg.duration('execution.checkpointing.aligned-checkpoint-timeout') ?? 0;
    this.taskManagerAlive = Array.from({ length: scenario.cluster.taskManagers }, () => true);
    this.sharedSlots = Array.from({ length: this.graph.slotsNeeded }, (_, i) =>
      i < this.graph.totalSlots ? i : null,
    );

    this.buildTasks();
    this.regions = computeSubtaskRegions(
      this.graph.subtasks.map((x) => ({ id: x.name, vertex: x.vertex.id, index: x.subtaskIndex })),
      this.graph.channels.map((c) => ({ from: c.from.name, to: c.to.name })),
    );
    this.kernel.schedule(startUs, this.evDeploy, -1);
    for (const f of scenario.faults) if (f.at >= startUs) this.kernel.schedule(f.at, this.evFault, -1, 0, f);
  }

  // ---- construction ---------------------------------------------------------------------------------------

  private buildTasks(): void {
    const g = this.graph;
    const buffersPerChannel = this.scenario.config.int('taskmanager.network.memory.buffers-per-channel');
    const floating = this.scenario.config.int('taskmanager.network.memory.floating-buffers-per-gate');
    for (const s of g.subtasks) {
      this.tasks.push(new Task(s, this, this.kernel.random.stream(`rebalance/${s.name}`)));
    }
    const inputsPer = new Map<number, number>();
    for (const c of g.channels) inputsPer.set(c.to.index, (inputsPer.get(c.to.index) ?? 0) + 1);
    for (const c of g.channels) {
      // Exclusive buffers per channel plus an even share of the gate's floating buffers (at least one).
      const n = inputsPer.get(c.to.index) ?? 1;
      const capacity = buffersPerChannel + Math.max(1, Math.floor(floating / n));
      const ch = new Channel(c, capacity);
      this.channels.push(ch);
      (this.tasks[c.to.index] as Task).inputs.push(ch);
    }
    for (const t of this.tasks) {
      t.inputs.sort((a, b) => a.info.inputIndex - b.info.inputIndex);
      for (const e of t.info.vertex.outputs) {
        const chans = this.channels
          .filter((c) => c.info.from.index === t.index && c.info.edge === e)
          .sort((a, b) => a.info.outputIndex - b.info.outputIndex);
        const o: OutputEdge = {
          edge: e,
          channels: chans,
          next: 0,
          keyField: e.keyBy,
          keyType: (e.to.operators[0] as OperatorSpec).keyType,
          maxParallelism: e.to.maxParallelism,
          parallelism: e.to.parallelism,
        };
        t.outputs.push(o);
        t.outputChannels.push(...chans);
      }
      t.initRebalance();
    }
  }

  private createOperators(t: Task): void {
    const ops: StreamOperator[] = [];
    const specs = t.info.vertex.operators;
    for (const spec of specs) ops.push(this.createOperator(spec));
    const outs = t.wireChain(ops);
    for (let i = 0; i < ops.length; i++) {
      const spec = specs[i] as OperatorSpec;
      const op = ops[i] as StreamOperator;
      const keyed =
        spec.keyBy !== null && i === 0 && t.info.keyGroupRange
          ? createKeyedStateBackend('hashmap', {
              keyGroupRange: t.info.keyGroupRange,
              maxParallelism: t.info.vertex.maxParallelism,
              keyType: spec.keyType,
            })
          : null;
      if (keyed) t.keyedBackends.push(keyed);
      t.opKeyed.push(keyed);
      const opState = new DefaultOperatorStateBackend();
      t.operatorStates.push(opState);
      op.setup(
        this.operatorContext(t, spec, keyed, opState),
        outs[i] as (typeof outs)[number],
        spec.costPerRecordUs,
      );
      if (op instanceof SourceOperator) {
        t.source = op;
        op.emitStatus = (idle) => t.emitStatus(idle);
      }
    }
  }

  private createOperator(spec: OperatorSpec): StreamOperator {
    switch (spec.kind) {
      case 'source': {
        const topic = this.inputTopics.get(spec.topic);
        if (!topic) throw new Error(`source ${spec.id}: topic "${spec.topic}" has no generator`);
        return new SourceOperator(spec, topic);
      }
      case 'map':
        return new MapOperator(spec);
      case 'filter':
        return new FilterOperator(spec);
      case 'flatMap':
        return new FlatMapOperator(spec);
      case 'union':
        return new UnionOperator();
      case 'reduce':
        return new ReduceOperator(spec);
      case 'window':
        return new WindowOperator(spec);
      case 'keyedProcess':
        return new KeyedProcessOperator(spec);
      case 'sink': {
        const topic = this.outputTopics.get(spec.topic);
        if (!topic) throw new Error(`sink ${spec.id}: no output topic "${spec.topic}"`);
        return new SinkOperator(spec, topic);
      }
    }
  }

  private operatorContext(
    t: Task,
    spec: OperatorSpec,
    keyed: OperatorContext['keyedState'],
    opState: OperatorContext['operatorState'],
  ): OperatorContext {
    const kernel = this.kernel;
    return {
      operatorId: spec.id,
      subtaskIndex: t.info.subtaskIndex,
      parallelism: t.info.vertex.parallelism,
      taskName: t.name,
      keyedState: keyed,
      operatorState: opState,
      now: () => kernel.now,
      log: (kind, text) => this.narrate(t, kind, text),
      traceString: (s) => kernel.hash.mixString(s),
      traceNumber: (n) => kernel.hash.mix(n),
    };
  }

  // ---- events -----------------------------------------------------------------------------------------------

  private deploy(): void {
    this.status = 'RUNNING';
    this.narrate(
      null,
      'job',
      `Job "${this.scenario.jobName}" switched to RUNNING: deploying ${this.tasks.length} subtasks`,
    );
    if (this.initialSnapshot) this.coordinator.restoredFrom(this.initialSnapshot.id);
    this.deployTasks(this.tasks, this.initialSnapshot, true);
  }

  /** Physical slots of live TaskManagers that no shared slot uses, in (TaskManager, slot) order. */
  private freeSlots(): number[] {
    const spt = this.scenario.cluster.slotsPerTaskManager;
    const used = new Set(this.sharedSlots.filter((x): x is number => x !== null));
    const free: number[] = [];
    for (let tm = 0; tm < this.taskManagerAlive.length; tm++) {
      if (!this.taskManagerAlive[tm]) continue;
      for (let s = 0; s < spt; s++) if (!used.has(tm * spt + s)) free.push(tm * spt + s);
    }
    return free;
  }

  /**
   * Allocates a shared slot for every subtask index the tasks need (slot sharing: subtask i of every vertex shares
   * slot i). Returns false, allocating nothing, when the live TaskManagers have too few free slots.
   */
  private allocateSlots(tasks: readonly Task[]): boolean {
    const needed = new Set<number>();
    for (const t of tasks)
      if (this.sharedSlots[t.info.subtaskIndex] === null) needed.add(t.info.subtaskIndex);
    const free = this.freeSlots();
    if (free.length < needed.size) return false;
    [...needed].sort((a, b) => a - b).forEach((i, k) => (this.sharedSlots[i] = free[k] as number));
    return true;
  }

  /**
   * Deploys tasks: slots, fresh operators, state from the snapshot (reference 5.3 step 4: keyed state by key-group
   * range, operator state by the repartitioner of 4.3), then INITIALIZING for the virtual time the restore takes.
   */
  private deployTasks(tasks: Iterable<Task>, snapshot: CompletedCheckpoint | null, initial: boolean): void {
    const list = [...tasks];
    const spt = this.scenario.cluster.slotsPerTaskManager;
    if (!this.allocateSlots(list)) {
      for (const t of list) {
        t.status = 'SCHEDULED';
        this.waitingForSlots.add(t);
      }
      const alive = this.taskManagerAlive.filter(Boolean).length;
      this.narrate(
        null,
        'job',
        `NoResourceAvailableException: ${list.length} subtasks wait in SCHEDULED: the job needs ` +
          `${this.graph.slotsNeeded} slots, ${alive} live TaskManager(s) offer ${alive * spt}`,
      );
      return;
    }
    const bw = this.scenario.sim.stateBytesPerUs;
    for (const t of list) {
      this.waitingForSlots.delete(t);
      t.status = 'DEPLOYING';
      t.taskManager = Math.floor((this.sharedSlots[t.info.subtaskIndex] as number) / spt);
      this.createOperators(t);
      let bytes = 0;
      if (snapshot) bytes = this.restoreTask(t, snapshot);
      t.status = 'INITIALIZING';
      const initUs = bytes > 0 ? Math.max(1, Math.ceil(bytes / bw)) : 0;
      this.kernel.schedule(this.kernel.now + initUs, this.evInitialized, t.index, t.attempt);
    }
    if (snapshot) {
      this.restoreChannelState(list, snapshot);
      this.counters.restore++;
      this.coordinator.stats.reportRestored({
        id: snapshot.id,
        restore_timestamp: Math.floor(this.kernel.now / 1000),
        is_savepoint: snapshot.isSavepoint,
        external_path: snapshot.externalPath,
      });
      this.narrate(
        null,
        'recovery',
        `Restoring ${list.length} subtasks from ${snapshot.isSavepoint ? 'savepoint' : 'checkpoint'} ${snapshot.id} ` +
          `(${snapshot.stateSize} bytes): keyed state by key-group range; sources rewind to the checkpointed offsets`,
      );
    } else if (!initial) {
      this.narrate(
        null,
        'recovery',
        `No completed checkpoint: ${list.length} subtasks start from empty state and the sources from their starting offsets`,
      );
    }
  }

  /** Restores one task's chain from a completed snapshot; returns the bytes it read. */
  private restoreTask(t: Task, cp: CompletedCheckpoint): number {
    let bytes = 0;
    t.info.vertex.operators.forEach((spec, i) => {
      const parts = cp.subtasks.filter((s) => s.operators[spec.id] !== undefined);
      const keyed = t.opKeyed[i];
      if (keyed) {
        const handles = parts
          .map((s) => s.operators[spec.id]?.keyed ?? null)
          .filter((h): h is KeyedStateHandle => h !== null);
        keyed.restore(handles);
        bytes += keyed.stats().bytes;
      }
      const oldP = cp.vertices.find((v) => v.operatorIds.includes(spec.id))?.parallelism ?? 0;
      const old: (OperatorStateHandle | null)[] = Array.from({ length: oldP }, () => null);
      for (const s of parts) old[s.subtaskIndex] = s.operators[spec.id]?.operator ?? null;
      const assigned = repartitionOperatorState(old, t.info.vertex.parallelism)[t.info.subtaskIndex] ?? [];
      const opState = t.operatorStates[i];
      if (opState) {
        opState.restore(assigned);
        bytes += opState.stateSize();
      }
    });
    return bytes;
  }

  private onInitialized(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    if (t.attempt !== ev.a || t.status !== 'INITIALIZING') return;
    t.status = 'RUNNING';
    for (const op of t.operators) op.open();
    if (t.source) {
      this.wake(t, this.kernel.now);
      this.kernel.schedule(
        this.kernel.now + this.watermarkInterval,
        this.evWatermarkTimer,
        t.index,
        t.attempt,
      );
    } else {
      const next = t.nextArrival();
      if (next !== null) this.wake(t, next);
    }
    if (this.tasks.every((x) => x.status === 'RUNNING' || x.status === 'FINISHED')) {
      this.status = 'RUNNING';
      if (this.restarts > 0)
        this.narrate(null, 'recovery', `All subtasks are RUNNING again (restart #${this.restarts})`);
      if (!this.coordinator.schedulerRunning) this.coordinator.startScheduler();
    }
  }

  private watermarkTimer(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    if (t.status !== 'RUNNING' || !t.source || t.attempt !== ev.a || t.lost) return;
    t.source.onPeriodicEmit(this.kernel.now);
    this.kernel.schedule(this.kernel.now + this.watermarkInterval, this.evWatermarkTimer, t.index, t.attempt);
  }

  private runTask(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    t.pendingRun = null;
    if (t.status !== 'RUNNING' || t.lost) return;
    const now = this.kernel.now;
    if (t.hasBlockedOutput()) {
      if (!t.backpressured) {
        t.backpressured = true;
        t.bpSince = now;
      }
      return;
    }
    if (t.backpressured) {
      t.backpressured = false;
      t.bpAcc += now - t.bpSince;
    }
    t.work = 0;
    if (t.source) {
      const src = t.source;
      if (t.stoppedAfterSavepoint) return;
      const res = src.poll(now, src.spec.maxBatch);
      t.recordsIn += res.emitted;
      t.work += res.emitted * src.cost;
      if (res.emitted > 0) this.kernel.hash.mix32(res.emitted);
      if (res.emitted === 0) {
        if (res.exhausted) return this.finishTask(t);
        if (res.nextAppend !== null) this.wake(t, Math.max(res.nextAppend, now));
        return;
      }
      this.busy(t, now);
      return;
    }
    // Handle items until one costs time (a data buffer) or nothing is available.
    for (;;) {
      const ch = t.pickInput(now);
      if (ch === null) break;
      const item = ch.flight.shift() as ChannelItem;
      this.kernel.hash.mix32(item.kind);
      switch (item.kind) {
        case ItemKind.Data:
          ch.dataInFlight--;
          if (t.unaligned !== null && t.unaligned.pending.has(ch))
            this.recordInFlight(t.unaligned, `in:${ch.index}`, item);
          this.kernel.hash.mix32(item.rows.length);
          t.processData(item);
          this.transmit(ch); // the consumed buffer's credit goes back to the sender
          break;
        case ItemKind.Watermark:
          this.kernel.hash.mix(item.value);
          t.onWatermark(ch, item.value);
          break;
        case ItemKind.Status:
          t.onStatus(ch, item.value === 1);
          break;
        case ItemKind.Barrier:
          this.onBarrier(t, ch, item.barrier as BarrierMeta);
          break;
        case ItemKind.End:
          ch.finished = true;
          t.finishedInputs++;
          if (t.finishedInputs === t.inputs.length) return this.finishTask(t);
          if (t.alignment !== null) this.maybeCompleteAlignment(t);
          break;
      }
      if (t.work > 0) break;
    }
    if (t.work > 0) {
      this.busy(t, now);
      return;
    }
    const next = t.nextArrival();
    if (next !== null) this.wake(t, Math.max(next, now));
  }

  private busy(t: Task, now: number): void {
    const factor = t.slowUntil > now ? t.slowFactor : 1;
    const w = Math.max(1, Math.round(t.work * factor));
    t.busyAcc += w;
    t.busyUntil = now + w;
    // The task is busy until then: any earlier wake-up (e.g. from returning a credit to itself) is void.
    if (t.pendingRun !== null) t.pendingRun.cancelled = true;
    t.pendingRun = this.kernel.schedule(now + w, this.evRun, t.index);
  }

  private scheduleRunAt(t: Task, time: number): void {
    if (t.pendingRun !== null) {
      if (t.pendingRun.time <= time) return;
      t.pendingRun.cancelled = true;
    }
    t.pendingRun = this.kernel.schedule(time, this.evRun, t.index);
  }

  /** Makes sure the task runs at `time` (never before it is done with its current batch). */
  wake(t: Task, time: number): void {
    if (t.status !== 'RUNNING') return;
    this.scheduleRunAt(t, Math.max(time, t.busyUntil, this.kernel.now));
  }

  private finishTask(t: Task): void {
    if (t.source) {
      // End of a bounded input: Watermark.MAX_WATERMARK, then end of partition.
      t.source.out.emitWatermark(MAX_WATERMARK);
    }
    for (const op of t.operators) op.endInput();
    t.broadcastEvent(ItemKind.End, 0);
    t.status = 'FINISHED';
    this.narrate(t, 'task', `${t.name} switched to FINISHED: all of its input is consumed`);
    if (this.tasks.every((x) => x.status === 'FINISHED')) {
      this.status = 'FINISHED';
      this.coordinator.stopScheduler('CHECKPOINT_COORDINATOR_SUSPEND');
      this.narrate(null, 'job', `Job "${this.scenario.jobName}" switched to FINISHED`);
      this.kernel.halted = true;
    }
  }

  scheduleFlush(t: Task): void {
    if (this.bufferTimeout === null) return;
    t.flushPending = true;
    this.kernel.schedule(this.kernel.now + this.bufferTimeout, this.evFlush, t.index);
  }

  nextItemId(): number {
    return ++this.itemIds;
  }

  /** Moves items from the sender's queue into flight while the receiver has credit for data buffers. */
  transmit(ch: Channel): void {
    const now = this.kernel.now;
    const latency = this.scenario.sim.networkLatencyUs;
    const jitterMax = this.scenario.sim.networkJitterUs;
    let sent = false;
    while (ch.waiting.length > 0) {
      const item = ch.waiting[0] as ChannelItem;
      if (item.kind === ItemKind.Data && ch.dataInFlight >= ch.capacity) break;
      ch.waiting.shift();
      const jitter = jitterMax > 0 ? this.kernel.random.stream('jitter').int(0, jitterMax) : 0;
      item.sentAt = now;
      item.arriveAt = Math.max(now + latency + jitter, ch.lastArrive);
      ch.lastArrive = item.arriveAt;
      ch.flight.push(item);
      if (item.kind === ItemKind.Data) ch.dataInFlight++;
      sent = true;
    }
    if (!sent) return;
    this.wake(this.tasks[ch.info.to.index] as Task, (ch.flight[0] as ChannelItem).arriveAt);
    const sender = this.tasks[ch.info.from.index] as Task;
    if (sender.backpressured && !sender.hasBlockedOutput()) this.wake(sender, now);
  }

  // ---- checkpoints: the task side (SubtaskCheckpointCoordinator, barrier handlers) -------------------------

  /** The coordinator triggers checkpoint `id`: an RPC to every source task (reference 2.3 step 5). */
  private triggerSources(id: number, type: CheckpointType, triggerUs: number): void {
    const savepoint = type === 'SAVEPOINT' || type === 'SYNC_SAVEPOINT';
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
          : this.coordinator.config.unaligned && this.alignedTimeout === 0
            ? 'UNALIGNED'
            : 'ALIGNED',
      alignedTimeoutUs:
        !savepoint && this.coordinator.config.unaligned && this.alignedTimeout > 0
          ? this.alignedTimeout
          : null,
    };
    const at = this.kernel.now + this.scenario.sim.networkLatencyUs;
    for (const t of this.tasks) {
      if (t.source) this.kernel.schedule(at, this.evTriggerTask, t.index, t.attempt, barrier);
    }
  }

  private triggerTask(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    const barrier = ev.ref as BarrierMeta;
    if (t.attempt !== ev.a || t.lost) return;
    if (t.status !== 'RUNNING') {
      this.decline(t, barrier.id, 'CHECKPOINT_DECLINED_TASK_NOT_READY');
      return;
    }
    if (barrier.type === 'SYNC_SAVEPOINT' && this.stopping?.drain) {
      // stop-with-savepoint --drain: the watermark goes to MAX first, firing all event-time timers (2.6).
      (t.source as SourceOperator).out.emitWatermark(MAX_WATERMARK);
      this.narrate(t, 'watermark', `${t.name} drains: watermark +∞ before the final savepoint`);
    }
    this.counters.barrier++;
    this.narrate(t, 'checkpoint', `${t.name} records its offsets and emits barrier ${barrier.id}`);
    this.performCheckpoint(t, barrier, 0, this.kernel.now - barrier.triggerUs, 0);
    // A synchronous savepoint: the source reads nothing after its barrier.
    if (barrier.type === 'SYNC_SAVEPOINT') t.stoppedAfterSavepoint = true;
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

  /**
   * Stop-with-savepoint (`flink stop`): a synchronous savepoint; with `drain` the watermark goes to MAX first.
   * When it completes, sinks commit (it notifies like a checkpoint) and the job FINISHES.
   */
  stopWithSavepoint(drain: boolean): number | null {
    if (this.stopping) return null;
    const id = this.coordinator.peekNextId();
    this.stopping = { id, drain };
    const got = this.coordinator.trigger('SYNC_SAVEPOINT');
    if (got === null) this.stopping = null;
    else
      this.narrate(
        null,
        'checkpoint',
        `Stop with savepoint ${got}${drain ? ' (draining)' : ''}: the sources stop after its barrier`,
      );
    return got;
  }

  /** A barrier arrived on an input channel (reference 1.2 steps 2-4 aligned, 1.3 at-least-once). */
  private onBarrier(t: Task, ch: Channel, barrier: BarrierMeta): void {
    this.counters.barrier++;
    const u = t.unaligned;
    if (u !== null && barrier.id === u.id) {
      // The barrier of an unaligned checkpoint this task already snapshotted: stop persisting this channel.
      u.pending.delete(ch);
      if (u.pending.size === 0) this.finishUnaligned(t);
      return;
    }
    if (barrier.id <= t.lastCheckpointId) return; // a barrier of a checkpoint this task already handled or saw aborted
    if (u !== null && barrier.id > u.id) {
      this.decline(t, u.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      t.unaligned = null;
    }
    // Unaligned only where every input is an all-to-all exchange: pointwise and broadcast inputs stay aligned (1.6).
    if (
      barrier.alignment === 'UNALIGNED' &&
      t.inputs.every((c) => c.info.edge.partitioner === 'hash' || c.info.edge.partitioner === 'rebalance')
    ) {
      if (t.alignment !== null) {
        this.decline(t, t.alignment.id, 'CHECKPOINT_DECLINED_SUBSUMED');
        for (const c of t.inputs) c.blocked = false;
        t.alignment = null;
      }
      this.startUnaligned(t, new Set([ch]), barrier, this.kernel.now - barrier.triggerUs, 0, 0);
      return;
    }
    let a = t.alignment;
    if (a !== null && barrier.id > a.id) {
      // A newer barrier while aligning aborts the older checkpoint (reference 1.4).
      this.decline(t, a.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      for (const c of t.inputs) c.blocked = false;
      t.alignment = a = null;
    }
    const from = this.tasks[ch.info.from.index] as Task;
    if (a === null) {
      a = { id: barrier.id, barrier, firstBarrierUs: this.kernel.now, seen: new Set(), processedBytes: 0 };
      t.alignment = a;
      t.phases.set(barrier.id, 'aligning');
      const timeout = barrier.alignedTimeoutUs;
      if (timeout !== null) {
        const at = barrier.triggerUs + timeout;
        if (at > this.kernel.now)
          this.kernel.schedule(at, this.evAlignTimeout, t.index, barrier.id, t.attempt);
        else {
          a.seen.add(ch);
          this.switchToUnaligned(t);
          return;
        }
      }
    }
    a.seen.add(ch);
    const active = t.inputs.filter((c) => !c.finished);
    const missing = active.filter((c) => !a.seen.has(c));
    if (missing.length > 0) {
      if (barrier.alignment !== 'AT_LEAST_ONCE') {
        ch.blocked = true;
        const waitingFor = missing.map((c) => (this.tasks[c.info.from.index] as Task).name).join(', ');
        this.narrate(
          t,
          'barrier',
          `Barrier ${barrier.id} reached ${t.name} from ${from.name} — that input is blocked until the barrier from ${waitingFor} arrives`,
        );
      } else {
        this.narrate(
          t,
          'barrier',
          `Barrier ${barrier.id} reached ${t.name} from ${from.name} (at-least-once: no blocking)`,
        );
      }
      return;
    }
    this.maybeCompleteAlignment(t);
  }

  /** All live inputs delivered the barrier: unblock, snapshot, forward (reference 1.2 step 4). */
  private maybeCompleteAlignment(t: Task): void {
    const a = t.alignment;
    if (a === null) return;
    if (t.inputs.some((c) => !c.finished && !a.seen.has(c))) return;
    t.alignment = null;
    for (const c of t.inputs) c.blocked = false;
    const now = this.kernel.now;
    if (t.inputs.length > 1) {
      this.narrate(
        t,
        'barrier',
        `${t.name} has barrier ${a.id} from all ${t.inputs.length} inputs after ${formatTime(now - a.firstBarrierUs)} of alignment: snapshot, forward, unblock`,
      );
    }
    this.performCheckpoint(
      t,
      a.barrier,
      now - a.firstBarrierUs,
      a.firstBarrierUs - a.barrier.triggerUs,
      a.processedBytes,
    );
    this.wake(t, now);
  }

  /**
   * SubtaskCheckpointCoordinatorImpl.checkpointState (reference 1.4): broadcast the barrier, run the synchronous
   * part of the snapshot (source offsets, sink pre-commit, copy-on-write freeze of keyed state), then the
   * asynchronous part in the background.
   */
  private performCheckpoint(
    t: Task,
    barrier: BarrierMeta,
    alignmentUs: number,
    startDelayUs: number,
    processedBytes: number,
  ): void {
    const id = barrier.id;
    t.lastCheckpointId = id;
    t.phases.set(id, 'sync');
    if (barrier.alignment === 'UNALIGNED') this.emitUnalignedBarrier(t, barrier);
    else t.broadcastEvent(ItemKind.Barrier, id, barrier);
    for (const op of t.operators) {
      if (op instanceof SourceOperator) op.snapshotOffsets();
      else if (op instanceof SinkOperator) op.preCommit(id);
    }
    const snap: AsyncSnapshot = {
      attempt: t.attempt,
      barrier,
      runners: t.opKeyed.map((b) => (b ? b.snapshot(id) : null)),
      operatorHandles: t.operatorStates.map((o) => o.snapshot()),
      alignmentUs,
      startDelayUs: Math.max(0, startDelayUs),
      processedBytes,
    };
    this.occupy(t, SYNC_PHASE_US);
    this.kernel.schedule(this.kernel.now + SYNC_PHASE_US, this.evSnapshotAsync, t.index, id, snap);
  }

  // ---- unaligned checkpoints (reference 1.6) ---------------------------------------------------------------

  /**
   * First barrier of an unaligned checkpoint at a task: snapshot at once, forward the barrier ahead of the
   * output data, and persist what arrives on the other inputs until their barriers come.
   */
  private startUnaligned(
    t: Task,
    seen: Set<Channel>,
    barrier: BarrierMeta,
    startDelayUs: number,
    alignmentUs: number,
    processedBytes: number,
  ): void {
    const pending = new Set(t.inputs.filter((c) => !c.finished && !seen.has(c)));
    t.unaligned = { id: barrier.id, pending, channelState: {}, persistedBytes: 0, ack: null };
    for (const c of t.inputs) c.blocked = false;
    this.narrate(
      t,
      'barrier',
      `Unaligned barrier ${barrier.id} reached ${t.name}: snapshot now, barrier forwarded ahead of the buffered data` +
        (pending.size > 0
          ? `; records from ${pending.size} other input(s) are persisted until their barriers arrive`
          : ''),
    );
    this.performCheckpoint(
      t,
      { ...barrier, alignment: 'UNALIGNED' },
      alignmentUs,
      startDelayUs,
      processedBytes,
    );
    this.wake(t, this.kernel.now);
  }

  /** execution.checkpointing.aligned-checkpoint-timeout passed while aligning: switch to unaligned (1.6). */
  private onAlignTimeout(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    if (t.attempt !== ev.ref || t.alignment === null || t.alignment.id !== ev.a) return;
    this.switchToUnaligned(t);
  }

  private switchToUnaligned(t: Task): void {
    const a = t.alignment as NonNullable<Task['alignment']>;
    t.alignment = null;
    this.narrate(
      t,
      'barrier',
      `${t.name}: aligned checkpoint timeout for checkpoint ${a.id} — switching to an unaligned checkpoint`,
    );
    const now = this.kernel.now;
    this.startUnaligned(
      t,
      a.seen,
      a.barrier,
      a.firstBarrierUs - a.barrier.triggerUs,
      now - a.firstBarrierUs,
      a.processedBytes,
    );
  }

  /** Persists a data buffer as channel state of an unaligned checkpoint. */
  private recordInFlight(u: NonNullable<Task['unaligned']>, key: string, item: ChannelItem): void {
    const list = (u.channelState[key] ??= []);
    for (let i = 0; i < item.rows.length; i++) {
      list.push([item.rows[i] as Row, item.ts[i] as number, item.kgs ? (item.kgs[i] as number) : -1]);
    }
    u.persistedBytes += item.bytes;
  }

  /**
   * Sends an unaligned barrier: on all-to-all channels it overtakes every buffer not consumed yet (they become the
   * sender's output channel state); pointwise and broadcast channels keep it in order (forced aligned, 1.6).
   */
  private emitUnalignedBarrier(t: Task, barrier: BarrierMeta): void {
    const now = this.kernel.now;
    const u = t.unaligned ?? {
      id: barrier.id,
      pending: new Set<Channel>(),
      channelState: {},
      persistedBytes: 0,
      ack: null,
    };
    for (const ch of t.outputChannels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
      }
      const item: ChannelItem = {
        kind: ItemKind.Barrier,
        id: this.nextItemId(),
        sentAt: now,
        arriveAt: now + this.scenario.sim.networkLatencyUs,
        rows: EMPTY_ROWS,
        ts: EMPTY_NUMS,
        kgs: null,
        bytes: 0,
        value: barrier.id,
        barrier,
      };
      const p = ch.info.edge.partitioner;
      if (p !== 'hash' && p !== 'rebalance') {
        ch.waiting.push({ ...item, sentAt: 0, arriveAt: 0, barrier: { ...barrier, alignment: 'ALIGNED' } });
        this.transmit(ch);
        continue;
      }
      for (const it of [...ch.flight, ...ch.waiting])
        if (it.kind === ItemKind.Data) this.recordInFlight(u, `out:${ch.index}`, it);
      ch.flight.unshift(item);
      this.wake(this.tasks[ch.info.to.index] as Task, item.arriveAt);
      this.transmit(ch); // the flushed open buffer goes out behind the barrier as credit allows
    }
    if (t.unaligned === null && u.persistedBytes > 0) {
      // A source (no inputs): keep the output channel state until its asynchronous part acknowledges.
      t.unaligned = u;
    }
  }

  /** All barriers of the unaligned checkpoint arrived: once the asynchronous part is done too, acknowledge. */
  private finishUnaligned(t: Task): void {
    const u = t.unaligned;
    if (u === null || u.pending.size > 0 || u.ack === null) return;
    t.unaligned = null;
    const snapshot = u.ack.snapshot as SubtaskSnapshot;
    snapshot.channelState = u.channelState;
    snapshot.stats.persistedData += u.persistedBytes;
    snapshot.stats.stateSize += u.persistedBytes;
    snapshot.stats.checkpointedSize += u.persistedBytes;
    const done = Math.max(this.kernel.now, u.ack.asyncDoneAt);
    snapshot.stats.asyncDurationUs =
      done - (snapshot.stats.ackTimeUs - this.scenario.sim.networkLatencyUs - snapshot.stats.asyncDurationUs);
    const ackAt = done + this.scenario.sim.networkLatencyUs;
    snapshot.stats.ackTimeUs = ackAt;
    this.kernel.schedule(ackAt, this.evAck, t.index, u.id, { attempt: t.attempt, snapshot });
  }

  /** Restore of an unaligned checkpoint: its channel state goes into the channels before any new input (1.6). */
  private restoreChannelState(tasks: readonly Task[], cp: CompletedCheckpoint): void {
    const bySubtask = new Map(cp.subtasks.map((s) => [`${s.vertexId}#${s.subtaskIndex}`, s]));
    const set = new Set(tasks);
    let records = 0;
    for (const ch of this.channels) {
      const to = this.tasks[ch.info.to.index] as Task;
      if (!set.has(to)) continue;
      const from = this.tasks[ch.info.from.index] as Task;
      const inState = bySubtask.get(to.name)?.channelState[`in:${ch.index}`] ?? [];
      const outState = bySubtask.get(from.name)?.channelState[`out:${ch.index}`] ?? [];
      const all = [...inState, ...outState] as [Row, number, number][];
      if (all.length === 0) continue;
      records += all.length;
      const now = this.kernel.now;
      const item: ChannelItem = {
        kind: ItemKind.Data,
        id: this.nextItemId(),
        sentAt: now,
        arriveAt: now,
        rows: all.map((x) => x[0]),
        ts: all.map((x) => x[1]),
        kgs: all[0] && all[0][2] >= 0 ? all.map((x) => x[2]) : null,
        bytes: all.reduce((n, x) => n + rowBytes(x[0]), 0),
        value: 0,
        barrier: null,
      };
      ch.flight.push(item);
      ch.dataInFlight++;
    }
    if (records > 0) {
      this.narrate(
        null,
        'recovery',
        `Restored ${records} in-flight records (channel state of unaligned checkpoint ${cp.id}) ahead of new input`,
      );
    }
  }

  /** The task does nothing else for `us` (the synchronous phase blocks record processing). */
  private occupy(t: Task, us: number): void {
    const until = this.kernel.now + us;
    if (until <= t.busyUntil) return;
    t.busyUntil = until;
    t.busyAcc += us;
    if (t.pendingRun !== null && t.pendingRun.time < until) {
      t.pendingRun.cancelled = true;
      t.pendingRun = this.kernel.schedule(until, this.evRun, t.index);
    }
  }

  /** The asynchronous phase: serialize (copy-on-write view), upload to checkpoint storage, acknowledge. */
  private snapshotAsync(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    const snap = ev.ref as AsyncSnapshot;
    const id = ev.a;
    if (t.attempt !== snap.attempt || t.lost) {
      for (const r of snap.runners) r?.discard();
      return;
    }
    const keyed = snap.runners.map((r) => (r ? r.write() : null));
    const sizes: number[] = [];
    for (const h of keyed) if (h) sizes.push(h.stateSize);
    for (const h of snap.operatorHandles) sizes.push(h.stateSize);
    const upload = this.storage.upload(id, t.name, sizes);
    if (!upload.ok) {
      this.decline(t, id, upload.reason, upload.message);
      return;
    }
    const total = upload.bytes;
    const asyncUs = Math.max(1, Math.ceil(total / this.scenario.sim.stateBytesPerUs));
    t.phases.set(id, 'async');
    const ackAt = this.kernel.now + asyncUs + this.scenario.sim.networkLatencyUs;
    const operators: SubtaskSnapshot['operators'] = {};
    t.info.vertex.operators.forEach((spec, i) => {
      operators[spec.id] = {
        keyed: keyed[i] ?? null,
        operator: snap.operatorHandles[i] as OperatorStateHandle,
      };
    });
    const snapshot: SubtaskSnapshot = {
      vertexId: t.info.vertex.id,
      subtaskIndex: t.info.subtaskIndex,
      operators,
      channelState: {},
      stats: {
        ackTimeUs: ackAt,
        stateSize: total,
        checkpointedSize: total,
        syncDurationUs: SYNC_PHASE_US,
        asyncDurationUs: asyncUs,
        alignmentDurationUs: snap.alignmentUs,
        processedData: snap.processedBytes,
        persistedData: 0,
        startDelayUs: snap.startDelayUs,
        unaligned: snap.barrier.alignment === 'UNALIGNED',
      },
    };
    const u = t.unaligned;
    if (u !== null && u.id === id) {
      // The acknowledgement also waits for the last barrier: until then in-flight data is persisted (1.6).
      u.ack = { snapshot, asyncDoneAt: this.kernel.now + asyncUs };
      if (u.pending.size === 0) this.finishUnaligned(t);
      return;
    }
    this.kernel.schedule(ackAt, this.evAck, t.index, id, { attempt: t.attempt, snapshot });
  }

  private onAck(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    const { attempt, snapshot } = ev.ref as { attempt: number; snapshot: SubtaskSnapshot };
    if (attempt !== t.attempt) return; // an ack of a cancelled attempt is discarded
    if (this.coordinator.acknowledge(ev.a, snapshot) === 'SUCCESS') t.phases.set(ev.a, 'acknowledged');
  }

  /** A task declines checkpoint `id`; the decline reaches the coordinator after the RPC latency. */
  private decline(t: Task, id: number, reason: CheckpointFailureReason, detail?: string): void {
    t.phases.set(id, 'declined');
    if (id > t.lastCheckpointId) t.lastCheckpointId = id;
    this.narrate(
      t,
      'checkpoint',
      `${t.name} declines checkpoint ${id}: ${reason}${detail ? ` (${detail})` : ''}`,
    );
    this.kernel.schedule(this.kernel.now + this.scenario.sim.networkLatencyUs, this.evDecline, t.index, id, {
      reason,
      detail,
    });
  }

  private onDecline(ev: SimEvent): void {
    const { reason, detail } = ev.ref as { reason: CheckpointFailureReason; detail?: string };
    this.coordinator.abort(ev.a, reason, detail);
  }

  /** notifyCheckpointComplete / notifyCheckpointAborted to every running task (reference 2.4). */
  private notifyTasks(id: number, complete: boolean): void {
    const at = this.kernel.now + this.scenario.sim.networkLatencyUs;
    if (complete && this.stopping?.id === id) this.kernel.schedule(at + 1, this.evStopFinish, -1, id);
    for (const t of this.tasks) {
      if (t.status === 'RUNNING' || t.status === 'INITIALIZING') {
        this.kernel.schedule(at, this.evNotify, t.index, id, { attempt: t.attempt, complete });
      }
    }
  }

  private onNotify(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    const { attempt, complete } = ev.ref as { attempt: number; complete: boolean };
    if (attempt !== t.attempt || t.lost) return;
    const id = ev.a;
    if (complete) {
      for (const op of t.operators) if (op instanceof SinkOperator) op.commitUpTo(id);
      for (const k of [...t.phases.keys()]) if (k < id) t.phases.delete(k);
      return;
    }
    t.phases.delete(id);
    if (id > t.lastCheckpointId) t.lastCheckpointId = id;
    if (t.unaligned !== null && t.unaligned.id <= id) t.unaligned = null;
    if (t.alignment !== null && t.alignment.id <= id) {
      t.alignment = null;
      for (const c of t.inputs) c.blocked = false;
      this.wake(t, this.kernel.now);
    }
  }

  // ---- faults and recovery (reference 5) -------------------------------------------------------------------

  /** Injects a fault now (UI and CLI commands); scheduled faults arrive through the same path. */
  injectFault(f: FaultSpec): void {
    this.applyFault({ ...f, at: this.kernel.now });
  }

  /** Schedules a fault for a later virtual time (as a scenario's `faults` entry would be). */
  scheduleFault(f: FaultSpec): void {
    this.kernel.schedule(Math.max(f.at, this.kernel.now), this.evFault, -1, 0, f);
    this.narrate(null, 'fault', `Fault scheduled: ${f.kind} on ${f.target} at ${formatTime(f.at)}`);
  }

  private taskByName(name: string): Task | undefined {
    const m = /^(.+)#(\d+)$/.exec(name);
    if (!m) return undefined;
    const opId = m[1] as string;
    const index = Number(m[2]);
    return this.tasks.find(
      (t) => t.info.subtaskIndex === index && t.info.vertex.operators.some((o) => o.id === opId),
    );
  }

  private applyFault(f: FaultSpec): void {
    const now = this.kernel.now;
    if (this.isFinished()) return;
    this.narrate(null, 'fault', `Fault injected: ${f.kind} on ${f.target}`);
    switch (f.kind) {
      case 'fail-task': {
        const t = this.taskByName(f.target);
        if (!t) return;
        if (t.status !== 'RUNNING' && t.status !== 'INITIALIZING' && t.status !== 'DEPLOYING') {
          this.narrate(t, 'fault', `${t.name} has no running attempt (${t.status}); nothing fails`);
          return;
        }
        this.narrate(t, 'task', `${t.name} switched from ${t.status} to FAILED: injected failure`);
        t.status = 'FAILED';
        this.failTasks([t], `java.lang.RuntimeException: Injected failure of ${t.name}`, false);
        return;
      }
      case 'kill-taskmanager':
      case 'restart-taskmanager': {
        const tm = Number(/^tm-(\d+)$/.exec(f.target)?.[1] ?? -1);
        if (!(tm >= 0 && tm < this.taskManagerAlive.length)) return;
        if (f.kind === 'restart-taskmanager' && !this.taskManagerAlive[tm]) {
          this.taskManagerBack(tm);
          return;
        }
        if (!this.taskManagerAlive[tm]) return;
        this.taskManagerAlive[tm] = false;
        const spt = this.scenario.cluster.slotsPerTaskManager;
        for (let i = 0; i < this.sharedSlots.length; i++) {
          const slot = this.sharedSlots[i];
          if (slot !== null && slot !== undefined && Math.floor(slot / spt) === tm)
            this.sharedSlots[i] = null;
        }
        const lost = this.tasks.filter(
          (t) =>
            t.taskManager === tm &&
            (t.status === 'RUNNING' || t.status === 'INITIALIZING' || t.status === 'DEPLOYING'),
        );
        for (const t of lost) {
          t.lost = true;
          if (t.pendingRun) t.pendingRun.cancelled = true;
          t.pendingRun = null;
        }
        const restarting = f.kind === 'restart-taskmanager';
        this.narrate(
          null,
          'fault',
          restarting
            ? `TaskManager tm-${tm} restarts: its ${lost.length} subtasks are gone`
            : `TaskManager tm-${tm} died with ${lost.length} subtasks; the JobManager notices after heartbeat.timeout (${formatTime(this.heartbeatTimeout)})`,
        );
        const detectAt = restarting ? now : now + this.heartbeatTimeout;
        const cause = restarting
          ? `TaskManager tm-${tm} was restarted; its tasks are lost.`
          : `java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id tm-${tm} timed out.`;
        this.kernel.schedule(detectAt, this.evFailureDetected, -1, 0, {
          tasks: lost,
          attempts: lost.map((t) => t.attempt),
          cause,
        });
        if (restarting) this.kernel.schedule(now, this.evTaskManagerBack, -1, tm);
        else if (f.durationUs !== null)
          this.kernel.schedule(now + f.durationUs, this.evTaskManagerBack, -1, tm);
        return;
      }
      case 'fail-checkpoint-storage':
        this.storage.failNextUploads(f.count ?? 1);
        return;
      case 'slow-task': {
        const t = this.taskByName(f.target);
        if (!t) return;
        t.slowFactor = f.factor ?? 10;
        t.slowUntil = now + (f.durationUs ?? 5_000_000);
        this.kernel.schedule(t.slowUntil, this.evFaultEnd, t.index, 0, f);
        return;
      }
      case 'stall-channel': {
        const [fromName, toName] = f.target.split('->');
        const from = fromName ? this.taskByName(fromName.trim()) : undefined;
        const to = toName ? this.taskByName(toName.trim()) : undefined;
        const ch = this.channels.find(
          (c) => c.info.from.index === from?.index && c.info.to.index === to?.index,
        );
        if (!ch) return;
        ch.stalledUntil = now + (f.durationUs ?? 5_000_000);
        this.kernel.schedule(ch.stalledUntil, this.evFaultEnd, ch.info.to.index, 1, f);
        return;
      }
    }
  }

  private onFaultEnd(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    if (ev.a === 0) this.narrate(t, 'fault', `${t.name} is back to normal speed`);
    this.wake(t, this.kernel.now);
  }

  private onFailureDetected(ev: SimEvent): void {
    const { tasks, attempts, cause } = ev.ref as { tasks: Task[]; attempts: number[]; cause: string };
    const still = tasks.filter((t, i) => t.attempt === attempts[i] && t.lost);
    if (still.length === 0) return;
    for (const t of still) {
      this.narrate(t, 'task', `${t.name} switched from ${t.status} to FAILED: ${cause}`);
      t.status = 'FAILED';
    }
    this.failTasks(still, cause, false);
  }

  /**
   * Failover (reference 5.3): the restart strategy decides whether and when, the failover strategy which tasks;
   * pending checkpoints are aborted, the affected tasks cancelled, and a restart scheduled after the backoff.
   */
  failTasks(failed: readonly Task[], cause: string, global: boolean): void {
    if (this.isFinished()) return;
    this.counters.failure++;
    if (this.stopping) {
      this.stopping = null; // a failure aborts a stop-with-savepoint; the job keeps running
      for (const t of this.tasks) t.stoppedAfterSavepoint = false;
    }
    const now = this.kernel.now;
    const newAttempt = this.restartStrategy.notifyFailure(now, cause);
    if (!this.restartStrategy.canRestart(now)) {
      this.failureMessage = this.restartStrategy.failureMessage();
      this.coordinator.stopScheduler('TASK_FAILURE');
      for (const t of this.tasks) this.cancelTask(t);
      if (this.pendingRestart) this.pendingRestart.event.cancelled = true;
      this.pendingRestart = null;
      this.status = 'FAILED';
      this.narrate(null, 'job', `Job switched to FAILED: ${this.failureMessage} (cause: ${cause})`);
      this.kernel.halted = true;
      return;
    }
    const restart = new Set<Task>();
    if (global || this.failoverStrategy === 'full') {
      for (const t of this.tasks) restart.add(t);
    } else {
      for (const f of failed) {
        for (const name of tasksToRestart(f.name, 'region', this.regions)) {
          const t = this.tasks.find((x) => x.name === name);
          if (t) restart.add(t);
        }
      }
    }
    const all = restart.size === this.tasks.length;
    this.coordinator.stopScheduler(all ? 'TASK_FAILURE' : 'JOB_FAILOVER_REGION');
    for (const t of restart) this.cancelTask(t);
    for (const ch of this.channels) {
      if (
        restart.has(this.tasks[ch.info.from.index] as Task) ||
        restart.has(this.tasks[ch.info.to.index] as Task)
      ) {
        ch.reset();
      }
    }
    if (all) this.status = 'RESTARTING';
    const backoff = this.restartStrategy.getBackoffTimeUs(now);
    if (newAttempt) this.restarts++;
    this.narrate(
      null,
      'recovery',
      `${all ? 'Job switched to RESTARTING' : `Restarting failover region of ${restart.size} subtasks`}` +
        ` (${this.restartStrategy.describe()}): restart in ${formatTime(backoff)} — cause: ${cause}`,
    );
    if (this.pendingRestart) {
      for (const t of restart) this.pendingRestart.tasks.add(t);
      if (this.pendingRestart.event.time < now + backoff) {
        this.pendingRestart.event.cancelled = true;
        this.pendingRestart.event = this.kernel.schedule(now + backoff, this.evRestart, -1);
      }
    } else {
      this.pendingRestart = {
        tasks: restart,
        event: this.kernel.schedule(now + backoff, this.evRestart, -1),
      };
    }
    for (const t of restart) this.waitingForSlots.delete(t);
  }

  /** CANCELING -> CANCELED: the attempt ends; its events become stale, its sink transaction is aborted. */
  private cancelTask(t: Task): void {
    if (t.status === 'CANCELED' && t.attempt > 0 && t.operators.length === 0) return;
    for (const op of t.operators) if (op instanceof SinkOperator) op.cancel();
    for (const b of t.keyedBackends) b.clear();
    if (t.pendingRun) t.pendingRun.cancelled = true;
    t.pendingRun = null;
    if (t.status !== 'FAILED' && t.status !== 'FINISHED') t.status = 'CANCELED';
    t.attempt++;
    t.alignment = null;
    t.unaligned = null;
    t.lost = false;
  }

  private onRestart(): void {
    const pending = this.pendingRestart;
    this.pendingRestart = null;
    if (!pending || this.isFinished()) return;
    const list = this.tasks.filter((t) => pending.tasks.has(t));
    for (const t of list) {
      if (t.status === 'FINISHED') continue;
      t.resetForRestart();
      // Free the shared slots of the restarted tasks whose TaskManager is gone (they are reallocated).
    }
    if (this.status === 'RESTARTING') this.status = 'RUNNING';
    this.deployTasks(list, this.coordinator.latestCompleted(), false);
  }

  /** The synchronous savepoint of a stop completed and was committed: every task finishes (reference 2.6). */
  private onStopFinish(id: number): void {
    if (this.stopping?.id !== id || this.isFinished()) return;
    this.stopping = null;
    for (const t of this.tasks) {
      if (t.pendingRun) t.pendingRun.cancelled = true;
      t.pendingRun = null;
      if (t.status === 'RUNNING') t.status = 'FINISHED';
    }
    this.status = 'FINISHED';
    this.coordinator.stopScheduler('CHECKPOINT_COORDINATOR_SUSPEND');
    this.narrate(null, 'job', `Job "${this.scenario.jobName}" switched to FINISHED with savepoint ${id}`);
    this.kernel.halted = true;
  }

  private taskManagerBack(tm: number): void {
    if (this.taskManagerAlive[tm]) return;
    this.taskManagerAlive[tm] = true;
    this.narrate(
      null,
      'job',
      `TaskManager tm-${tm} registered with ${this.scenario.cluster.slotsPerTaskManager} free slots`,
    );
    if (this.waitingForSlots.size > 0 && !this.pendingRestart) {
      this.deployTasks([...this.waitingForSlots], this.coordinator.latestCompleted(), false);
    }
  }

  // ---- narration and frames -----------------------------------------------------------------------------

  narrate(t: Task | null, kind: string, text: string): void {
    if (this.logBuffer.length >= MAX_LOG) this.logBuffer.shift();
    const subtask = t ? t.index : null;
    this.logBuffer.push({
      time: this.kernel.now,
      kind,
      subtask,
      text,
      event: { kind: 'notice', subtask, category: kind },
      story: kind === 'job' || kind === 'fault' || kind === 'recovery',
      detail: null,
    });
  }

  private describeEvent(ev: SimEvent): string {
    const name = this.kernel.kindName(ev.kind);
    const t = ev.target >= 0 ? this.tasks[ev.target] : undefined;
    return `${name}${t ? ` ${t.name}` : ''} at ${formatTime(ev.time)}`;
  }

  frame(): Frame {
    const now = this.kernel.now;
    const span = Math.max(1, now - this.lastFrameTime);
    const n = this.tasks.length;
    const subtaskStatus = new Array<Frame['subtaskStatus'][number]>(n);
    const recordsIn = new Array<number>(n);
    const recordsOut = new Array<number>(n);
    const busy = new Array<number>(n);
    const backpressured = new Array<number>(n);
    const watermark = new Array<number | null>(n);
    const stateBytes = new Array<number>(n);
    const stateKeys = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const t = this.tasks[i] as Task;
      subtaskStatus[i] = t.status;
      recordsIn[i] = t.recordsIn;
      recordsOut[i] = t.recordsOut;
      let bp = t.bpAcc;
      if (t.backpressured) bp += now - Math.max(t.bpSince, this.lastFrameTime);
      busy[i] = Math.min(1, t.busyAcc / span);
      backpressured[i] = Math.min(1, bp / span);
      t.busyAcc = 0;
      t.bpAcc = 0;
      if (t.backpressured) t.bpSince = now;
      const wm = t.source ? t.source.lastEmittedWatermark : t.lastOutputWatermark;
      watermark[i] = wm === Number.MIN_SAFE_INTEGER ? null : wm;
      let bytes = 0;
      let keys = 0;
      for (const b of t.keyedBackends) {
        const s = b.stats();
        bytes += s.bytes;
        keys += s.keys;
      }
      for (const o of t.operatorStates) bytes += o.stateSize();
      stateBytes[i] = bytes;
      stateKeys[i] = keys;
    }
    const channelBacklog: number[] = [];
    const channelQueued: number[] = [];
    const inFlight: InFlightItem[] = [];
    for (const ch of this.channels) {
      channelBacklog.push(ch.waiting.length + (ch.open !== null ? 1 : 0));
      channelQueued.push(ch.flight.length);
      for (const it of ch.flight) {
        const dur = it.arriveAt - it.sentAt;
        const progress = it.arriveAt <= now || dur <= 0 ? 1 : (now - it.sentAt) / dur;
        inFlight.push({
          channel: ch.index,
          kind:
            it.kind === ItemKind.Data
              ? 'data'
              : it.kind === ItemKind.Barrier
                ? 'barrier'
                : it.kind === ItemKind.End
                  ? 'end'
                  : 'watermark',
          progress,
          records: it.rows.length,
          id: it.id,
          label: itemLabel(it),
          ...(it.kind === ItemKind.Barrier ? { checkpointId: it.value } : {}),
        });
      }
    }
    const sinks: SinkView[] = this.sinkOperators.map((s) => {
      const topic = this.outputTopics.get(s.topic) as OutputTopic;
      const recs = topic.records;
      const recent = recs
        .slice(Math.max(0, recs.length - 50))
        .map((r) => ({ committed: r.committed, row: { ...r.row } }));
      return { id: s.id, committed: topic.committedCount, written: recs.length, recent };
    });
    const log = this.logBuffer;
    this.logBuffer = [];
    this.lastFrameTime = now;
    const subtaskPhase: Frame['subtaskPhase'] = this.tasks.map((t) => {
      let best: { checkpointId: number; phase: NonNullable<Frame['subtaskPhase'][number]>['phase'] } | null =
        null;
      for (const [id, phase] of t.phases)
        if (best === null || id > best.checkpointId) best = { checkpointId: id, phase };
      return best;
    });
    const stats = this.coordinator.stats.toJson() as { counts: CheckpointSummaryView['counts'] };
    const latest = this.coordinator.latestCompleted();
    const checkpoints: CheckpointSummaryView = {
      enabled: this.coordinator.enabled,
      intervalUs: this.coordinator.config.intervalUs,
      mode: this.checkpointMode,
      unaligned: this.coordinator.config.unaligned,
      pending: [...this.coordinator.pending.values()].map((p) => ({
        id: p.id,
        type: p.type,
        triggerTime: p.triggerUs,
        acknowledged: p.acks.length,
        total: p.acks.length + p.notYetAcknowledged.size,
      })),
      latestCompleted: latest
        ? { id: latest.id, time: latest.completedUs, stateSize: latest.stateSize }
        : null,
      counts: stats.counts,
      savepoints: this.coordinator.savepoints.map((sp) => ({
        id: sp.id,
        time: sp.completedUs,
        stateSize: sp.stateSize,
        parallelism: Object.fromEntries(
          sp.vertices.flatMap((v) => v.operatorIds.map((o) => [o, v.parallelism])),
        ),
      })),
    };
    return {
      seq: ++this.frameSeq,
      time: now,
      status: this.status,
      traceHash: this.kernel.hash.hex(),
      processedEvents: this.kernel.processed,
      finished: this.isFinished(),
      subtaskStatus,
      recordsIn,
      recordsOut,
      busy,
      backpressured,
      watermark,
      stateBytes,
      stateKeys,
      channelBacklog,
      channelQueued,
      inFlight,
      sinks,
      log,
      subtaskPhase,
      subtaskTaskManager: this.tasks.map((t) =>
        t.status === 'RUNNING' || t.status === 'INITIALIZING' || t.status === 'DEPLOYING'
          ? t.taskManager
          : -1,
      ),
      subtaskAttempt: this.tasks.map((t) => t.attempt),
      channelBlocked: this.channels.map((c) => c.blocked),
      channelStalled: this.channels.map((c) => c.stalledUntil > now),
      taskManagerAlive: [...this.taskManagerAlive],
      taskManagerDetectAtUs: this.taskManagerAlive.map(() => null),
      subtaskLost: this.tasks.map((t) => t.lost),
      waitingForSlots: null,
      restarts: this.restarts,
      failure: this.failureMessage,
      checkpoints,
      forkedAt: null,
    };
  }

  isFinished(): boolean {
    return this.status === 'FINISHED' || this.status === 'FAILED' || this.status === 'CANCELED';
  }
}

function itemLabel(it: ChannelItem): string {
  switch (it.kind) {
    case ItemKind.Data:
      return `${it.rows.length} record${it.rows.length === 1 ? '' : 's'}`;
    case ItemKind.Watermark:
      return it.value === MAX_WATERMARK ? 'W +∞' : `W ${it.value}`;
    case ItemKind.Status:
      return it.value === 1 ? 'IDLE' : 'ACTIVE';
    case ItemKind.Barrier:
      return `barrier ${it.value}`;
    case ItemKind.End:
      return 'end of partition';
  }
}

/**
 * Max parallelism when a job starts from a snapshot (reference 4.6, StateAssignmentOperation): a configured value
 * must equal the snapshot's; a defaulted one adopts it.
 */
export function adoptMaxParallelism(scenario: Scenario, snapshot: CompletedCheckpoint): Map<string, number> {
  const out = new Map<string, number>();
  const configured = scenario.config.int('pipeline.max-parallelism');
  for (const op of scenario.operators) {
    const v = snapshot.vertices.find((x) => x.operatorIds.includes(op.id));
    if (!v) continue;
    const explicit = op.maxParallelism ?? (configured > 0 ? configured : null);
    if (explicit !== null && explicit !== v.maxParallelism) {
      throw new Error(
        `The maximum parallelism (${v.maxParallelism}) with which the latest checkpoint of the execution job vertex ` +
          `${op.name} has been taken and the current maximum parallelism (${explicit}) changed. This is currently not supported.`,
      );
    }
    if (op.parallelism > v.maxParallelism) {
      throw new Error(
        `Operator ${op.name}: parallelism ${op.parallelism} is larger than the max parallelism ${v.maxParallelism} of the snapshot it restores: Maximum parallelism must not be smaller than parallelism.`,
      );
    }
    out.set(op.id, v.maxParallelism);
  }
  return out;
}
