/**
 * A subtask at run time: its operator chain, input channels (with the watermark valve), output record writer
 * (partitioners), and its scheduling state (busy, idle, backpressured). The JobRuntime owns the event loop;
 * a Task only reacts to its events.
 */
import type { SubtaskStatus } from '../protocol.ts';
import type { JobEdge, SubtaskInfo } from '../graph/executionGraph.ts';
import type { Row } from '../scenario/types.ts';
import type { SimEvent } from '../sim/eventQueue.ts';
import type { RandomStream } from '../sim/random.ts';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../state/keyGroups.ts';
import type { KeyedStateBackend, OperatorStateBackend } from '../state/types.ts';
import { MAX_WATERMARK, type Output, type StreamOperator } from '../operators/operator.ts';
import type { SourceOperator } from '../operators/source.ts';
import {
  type BarrierMeta,
  type Channel,
  type ChannelItem,
  EMPTY_NUMS,
  EMPTY_ROWS,
  ItemKind,
  rowBytes,
} from './channel.ts';
import type { JobRuntime } from './jobRuntime.ts';

export type SnapshotPhase = 'aligning' | 'sync' | 'async' | 'acknowledged' | 'declined';

export interface Alignment {
  id: number;
  barrier: BarrierMeta;
  firstBarrierUs: number;
  seen: Set<Channel>;
  /** Bytes processed between the first and the last barrier (processed_data, reference 1.6). */
  processedBytes: number;
}

/** An unaligned checkpoint in progress at a task (reference 1.6): snapshot taken, in-flight data still recorded. */
export interface UnalignedCheckpoint {
  id: number;
  /** Input channels whose barrier has not arrived yet: what the task reads from them is persisted. */
  pending: Set<Channel>;
  /** Channel state by key: "in:<channel>" (recorded here) and "out:<channel>" (overtaken by the barrier). */
  channelState: Record<string, [Row, number, number][]>;
  persistedBytes: number;
  /** The acknowledgement, once the asynchronous part is done (sent when `pending` empties). */
  ack: { snapshot: unknown; asyncDoneAt: number } | null;
}

export interface OutputEdge {
  edge: JobEdge;
  /** Channels of this edge by target (for forward edges: the single channel). */
  channels: Channel[];
  /** Next channel for rebalance (RebalancePartitioner: random start, then round robin). */
  next: number;
  keyField: string | null;
  keyType: 'string' | 'int' | 'long';
  maxParallelism: number;
  parallelism: number;
}

/** Passes records from one operator of a chain to the next, charging the next operator's cost. */
class ChainingOutput implements Output {
  constructor(
    private readonly task: Task,
    private readonly next: StreamOperator,
  ) {}
  collect(row: Row, ts: number): void {
    this.task.work += this.next.cost;
    this.next.processElement(row, ts, -1);
  }
  emitWatermark(wm: number): void {
    this.next.processWatermark(wm);
  }
}

/** The chain's last output: partitions records onto the output channels (RecordWriter + partitioners). */
class RecordWriterOutput implements Output {
  constructor(private readonly task: Task) {}
  collect(row: Row, ts: number): void {
    this.task.emitRecord(row, ts);
  }
  emitWatermark(wm: number): void {
    this.task.emitWatermark(wm);
  }
}

export class Task {
  status: SubtaskStatus = 'CREATED';
  inputs: Channel[] = [];
  outputs: OutputEdge[] = [];
  outputChannels: Channel[] = [];
  operators: StreamOperator[] = [];
  head!: StreamOperator;
  source: SourceOperator | null = null;
  keyedBackends: KeyedStateBackend[] = [];
  /** Keyed state backend of each chained operator (null for non-keyed ones). */
  opKeyed: (KeyedStateBackend | null)[] = [];
  operatorStates: OperatorStateBackend[] = [];

  pendingRun: SimEvent | null = null;
  busyUntil = 0;
  backpressured = false;
  bpSince = 0;
  /** Virtual cost (µs) accumulated by the batch being processed. */
  work = 0;
  // Metrics
  recordsIn = 0;
  recordsOut = 0;
  busyAcc = 0;
  bpAcc = 0;
  // Watermark valve output state (StatusWatermarkValve).
  lastOutputWatermark = Number.MIN_SAFE_INTEGER;
  lastSentWatermark = Number.MIN_SAFE_INTEGER;
  outputIdle = false;
  finishedInputs = 0;
  flushPending = false;
  // Checkpointing (SubtaskCheckpointCoordinator + barrier handler state).
  /** Execution attempt: bumped on every restart so stale events of the previous attempt are ignored. */
  attempt = 0;
  /** The alignment in progress (first barrier seen, not all barriers yet). */
  alignment: Alignment | null = null;
  /** The unaligned checkpoint whose in-flight data is still being recorded. */
  unaligned: UnalignedCheckpoint | null = null;
  /** Highest checkpoint id this task snapshotted, declined or saw aborted: older barriers are ignored. */
  lastCheckpointId = 0;
  /** Snapshot phase per checkpoint id, for the UI. */
  readonly phases = new Map<number, SnapshotPhase>();
  /** The TaskManager this attempt runs on (-1 when not deployed), and whether that TaskManager died. */
  taskManager = -1;
  lost = false;
  /** slow-task fault: processing costs are multiplied by this factor until slowUntil. */
  slowFactor = 1;
  slowUntil = 0;
  /** A source that emitted the barrier of a synchronous savepoint (stop-with-savepoint) reads nothing more. */
  stoppedAfterSavepoint = false;

  constructor(
    readonly info: SubtaskInfo,
    readonly rt: JobRuntime,
    private readonly rebalanceRandom: RandomStream,
  ) {}

  get index(): number {
    return this.info.index;
  }

  get name(): string {
    return this.info.name;
  }

  /** Forgets everything of the previous execution attempt (channels are reset by the runtime). */
  resetForRestart(): void {
    this.status = 'CREATED';
    if (this.pendingRun) this.pendingRun.cancelled = true;
    this.pendingRun = null;
    this.busyUntil = 0;
    this.backpressured = false;
    this.work = 0;
    this.lastOutputWatermark = Number.MIN_SAFE_INTEGER;
    this.lastSentWatermark = Number.MIN_SAFE_INTEGER;
    this.outputIdle = false;
    this.finishedInputs = 0;
    this.flushPending = false;
    this.alignment = null;
    this.unaligned = null;
    this.phases.clear();
    this.lost = false;
    this.slowFactor = 1;
    this.slowUntil = 0;
    this.stoppedAfterSavepoint = false;
    this.keyedBackends = [];
    this.operatorStates = [];
    this.opKeyed = [];
    this.source = null;
    this.initRebalance();
  }

  /** Wires the chain: operator i emits into operator i + 1, the last one into the record writer. */
  wireChain(operators: StreamOperator[]): Output[] {
    this.operators = operators;
    this.head = operators[0] as StreamOperator;
    const outs: Output[] = [];
    for (let i = 0; i < operators.length; i++) {
      const next = operators[i + 1];
      outs.push(next ? new ChainingOutput(this, next) : new RecordWriterOutput(this));
    }
    return outs;
  }

  initRebalance(): void {
    for (const o of this.outputs) {
      o.next = o.channels.length > 1 ? this.rebalanceRandom.int(0, o.channels.length - 1) : 0;
    }
  }

  // ---- output side ---------------------------------------------------------------------------------------

  emitRecord(row: Row, ts: number): void {
    this.recordsOut++;
    const outs = this.outputs;
    for (let e = 0; e < outs.length; e++) {
      const o = outs[e] as OutputEdge;
      switch (o.edge.partitioner) {
        case 'forward':
          this.append(o.channels[0] as Channel, row, ts, -1);
          break;
        case 'rebalance': {
          const ch = o.channels[o.next] as Channel;
          o.next = o.next + 1 === o.channels.length ? 0 : o.next + 1;
          this.append(ch, row, ts, -1);
          break;
        }
        case 'broadcast':
          for (let i = 0; i < o.channels.length; i++) this.append(o.channels[i] as Channel, row, ts, -1);
          break;
        case 'hash': {
          // KeyGroupStreamPartitioner: key -> key group -> operator index (reference 4.5).
          let key = row[o.keyField as string];
          if (key === undefined) {
            throw new Error(`record has no field "${o.keyField}" to key by (into ${o.edge.to.id})`);
          }
          if (o.keyType === 'string' && typeof key !== 'string') key = String(key);
          const kg = assignToKeyGroup(key, o.keyType, o.maxParallelism);
          const target = computeOperatorIndexForKeyGroup(o.maxParallelism, o.parallelism, kg);
          this.append(o.channels[target] as Channel, row, ts, kg);
          break;
        }
      }
    }
  }

  private append(ch: Channel, row: Row, ts: number, kg: number): void {
    let b = ch.open;
    if (b === null) {
      b = {
        kind: ItemKind.Data,
        id: this.rt.nextItemId(),
        sentAt: 0,
        arriveAt: 0,
        rows: [],
        ts: [],
        kgs: kg >= 0 ? [] : null,
        bytes: 0,
        value: 0,
        barrier: null,
      };
      ch.open = b;
      if (!this.flushPending) this.rt.scheduleFlush(this);
    }
    b.rows.push(row);
    b.ts.push(ts);
    if (b.kgs !== null) b.kgs.push(kg);
    b.bytes += rowBytes(row);
    if (b.bytes >= this.rt.segmentSize) {
      ch.open = null;
      ch.waiting.push(b);
      this.rt.transmit(ch);
    }
  }

  /** Output flusher (execution.buffer-timeout.interval): sends partially filled buffers. */
  flush(): void {
    this.flushPending = false;
    for (const ch of this.outputChannels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
        this.rt.transmit(ch);
      }
    }
  }

  /** Sends an event on every output channel, after the records before it (FIFO). */
  broadcastEvent(kind: ItemKind, value: number, barrier: BarrierMeta | null = null): void {
    for (const ch of this.outputChannels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
      }
      ch.waiting.push({
        kind,
        id: this.rt.nextItemId(),
        sentAt: 0,
        arriveAt: 0,
        rows: EMPTY_ROWS,
        ts: EMPTY_NUMS,
        kgs: null,
        bytes: 0,
        value,
        barrier,
      });
      this.rt.transmit(ch);
    }
  }

  emitWatermark(wm: number): void {
    if (wm <= this.lastSentWatermark) return;
    this.lastSentWatermark = wm;
    this.broadcastEvent(ItemKind.Watermark, wm);
  }

  emitStatus(idle: boolean): void {
    this.broadcastEvent(ItemKind.Status, idle ? 1 : 0);
  }

  hasBlockedOutput(): boolean {
    const outs = this.outputChannels;
    for (let i = 0; i < outs.length; i++) if ((outs[i] as Channel).waiting.length > 0) return true;
    return false;
  }

  // ---- input side ----------------------------------------------------------------------------------------

  /** The input channel to read next: the earliest arrived head item among unblocked channels (FIFO of availability). */
  pickInput(now: number): Channel | null {
    let best: Channel | null = null;
    let bestAt = Infinity;
    const ins = this.inputs;
    for (let i = 0; i < ins.length; i++) {
      const ch = ins[i] as Channel;
      if (ch.blocked || ch.stalledUntil > now) continue;
      const head = ch.flight[0];
      if (head !== undefined && head.arriveAt <= now && head.arriveAt < bestAt) {
        best = ch;
        bestAt = head.arriveAt;
      }
    }
    return best;
  }

  /** Earliest future arrival on an unblocked channel (to wake up an idle task). */
  nextArrival(): number | null {
    let t: number | null = null;
    for (const ch of this.inputs) {
      if (ch.blocked) continue;
      const head = ch.flight[0];
      if (head === undefined) continue;
      const at = Math.max(head.arriveAt, ch.stalledUntil);
      if (t === null || at < t) t = at;
    }
    return t;
  }

  processData(item: ChannelItem): void {
    const rows = item.rows;
    const tss = item.ts;
    const kgs = item.kgs;
    const head = this.head;
    const n = rows.length;
    this.recordsIn += n;
    this.work += n * head.cost;
    if (this.alignment !== null) this.alignment.processedBytes += item.bytes;
    if (kgs !== null) {
      for (let i = 0; i < n; i++) head.processElement(rows[i] as Row, tss[i] as number, kgs[i] as number);
    } else {
      for (let i = 0; i < n; i++) head.processElement(rows[i] as Row, tss[i] as number, -1);
    }
  }

  // StatusWatermarkValve (flink-streaming-java), per input channel.
  onWatermark(ch: Channel, wm: number): void {
    if (ch.idle) return;
    if (wm > ch.watermark) {
      ch.watermark = wm;
      if (!ch.aligned && wm >= this.lastOutputWatermark) ch.aligned = true;
      this.outputMinWatermark();
    }
  }

  onStatus(ch: Channel, idle: boolean): void {
    if (idle && !ch.idle) {
      ch.idle = true;
      ch.aligned = false;
      if (this.inputs.every((c) => c.idle)) {
        let max = Number.MIN_SAFE_INTEGER;
        for (const c of this.inputs) if (c.watermark > max) max = c.watermark;
        if (max > this.lastOutputWatermark) this.advanceWatermark(max);
        if (!this.outputIdle) {
          this.outputIdle = true;
          this.emitStatus(true);
        }
      } else {
        this.outputMinWatermark();
      }
    } else if (!idle && ch.idle) {
      ch.idle = false;
      if (ch.watermark >= this.lastOutputWatermark) ch.aligned = true;
      if (this.outputIdle) {
        this.outputIdle = false;
        this.emitStatus(false);
      }
    }
  }

  private outputMinWatermark(): void {
    let min = Infinity;
    let any = false;
    for (const c of this.inputs) {
      if (c.aligned && !c.idle) {
        any = true;
        if (c.watermark < min) min = c.watermark;
      }
    }
    if (any && min > this.lastOutputWatermark) this.advanceWatermark(min);
  }

  private advanceWatermark(wm: number): void {
    this.lastOutputWatermark = wm;
    this.head.processWatermark(wm);
    if (wm === MAX_WATERMARK)
      this.rt.narrate(this, 'watermark', `${this.name}: watermark reached +∞ (all input finished)`);
  }
}
