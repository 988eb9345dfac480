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
import type { Frame, InFlightItem, JobStatus, LogEntry, SinkView } from '../protocol.ts';
import type { OperatorSpec, Scenario } from '../scenario/types.ts';
import type { SimEvent } from '../sim/eventQueue.ts';
import { Kernel } from '../sim/kernel.ts';
import { formatTime } from '../sim/time.ts';
import { createKeyedStateBackend } from '../state/index.ts';
import { DefaultOperatorStateBackend } from '../state/operatorState.ts';
import { Channel, type ChannelItem, ItemKind } from './channel.ts';
import { type OutputEdge, Task } from './task.ts';

const MAX_LOG = 500;

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
  private readonly bufferTimeout: number;
  private readonly watermarkInterval: number;
  private itemIds = 0;
  private logBuffer: LogEntry[] = [];
  private frameSeq = 0;
  private lastFrameTime = 0;
  private finishedTasks = 0;

  private readonly evRun: number;
  private readonly evFlush: number;
  private readonly evWatermarkTimer: number;
  private readonly evDeploy: number;

  constructor(readonly scenario: Scenario) {
    this.kernel = new Kernel(scenario.seed);
    const cfg = scenario.config;
    this.segmentSize = cfg.bytes('taskmanager.memory.segment-size');
    this.bufferTimeout = cfg.duration('execution.buffer-timeout.interval') ?? 100_000;
    this.watermarkInterval = cfg.duration('pipeline.auto-watermark-interval') ?? 200_000;
    this.graph = buildExecutionGraph(scenario);

    // Event kinds: registration order is part of the trace hash, keep it fixed.
    this.evDeploy = this.kernel.register('deploy', () => this.deploy());
    this.evRun = this.kernel.register('task-run', (ev) => this.runTask(ev));
    this.evFlush = this.kernel.register('flush', (ev) => (this.tasks[ev.target] as Task).flush());
    this.evWatermarkTimer = this.kernel.register('watermark-timer', (ev) => this.watermarkTimer(ev));
    this.kernel.describe = (ev) => this.describeEvent(ev);

    for (const t of scenario.topics) {
      if (t.generator)
        this.inputTopics.set(t.name, createInputTopic(t.name, t.partitions, t.generator, scenario.seed));
      else this.outputTopics.set(t.name, new OutputTopic(t.name));
    }
    this.buildTasks();
    this.kernel.schedule(0, this.evDeploy, -1);
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
      this.createOperators(t);
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
        this.sinkOperators.push({ id: spec.id, topic: spec.topic, delivery: spec.delivery });
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
    const g = this.graph;
    if (g.slotsNeeded > g.totalSlots) {
      for (const t of this.tasks) t.status = 'SCHEDULED';
      this.status = 'RUNNING';
      this.narrate(
        null,
        'job',
        `NoResourceAvailableException: the job needs ${g.slotsNeeded} slots but the cluster has ${g.totalSlots} ` +
          `(${this.scenario.cluster.taskManagers} TaskManagers x ${this.scenario.cluster.slotsPerTaskManager} slots); tasks stay SCHEDULED`,
      );
      return;
    }
    this.status = 'RUNNING';
    this.narrate(
      null,
      'job',
      `Job "${this.scenario.name}" switched to RUNNING: ${this.tasks.length} subtasks deployed`,
    );
    for (const t of this.tasks) {
      t.status = 'RUNNING';
      for (const op of t.operators) op.open();
    }
    for (const t of this.tasks) {
      if (t.source) {
        this.wake(t, this.kernel.now);
        this.kernel.schedule(this.kernel.now + this.watermarkInterval, this.evWatermarkTimer, t.index);
      }
    }
  }

  private watermarkTimer(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    if (t.status !== 'RUNNING' || !t.source) return;
    t.source.onPeriodicEmit(this.kernel.now);
    this.kernel.schedule(this.kernel.now + this.watermarkInterval, this.evWatermarkTimer, t.index);
  }

  private runTask(ev: SimEvent): void {
    const t = this.tasks[ev.target] as Task;
    t.pendingRun = null;
    if (t.status !== 'RUNNING') return;
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
          break;
        case ItemKind.End:
          ch.finished = true;
          t.finishedInputs++;
          if (t.finishedInputs === t.inputs.length) return this.finishTask(t);
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
    const w = Math.max(1, Math.round(t.work));
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
    this.finishedTasks++;
    this.narrate(t, 'task', `${t.name} switched to FINISHED: all of its input is consumed`);
    if (this.finishedTasks === this.tasks.length) {
      this.status = 'FINISHED';
      this.narrate(null, 'job', `Job "${this.scenario.name}" switched to FINISHED`);
    }
  }

  scheduleFlush(t: Task): void {
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

  // ---- narration and frames -----------------------------------------------------------------------------

  narrate(t: Task | null, kind: string, text: string): void {
    if (this.logBuffer.length >= MAX_LOG) this.logBuffer.shift();
    this.logBuffer.push({ time: this.kernel.now, kind, subtask: t ? t.index : null, text });
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
