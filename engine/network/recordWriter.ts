/**
 * RecordWriter with its partitioners (DESIGN: network/): the chain's last output. It serializes records into the
 * open buffer of the target channel (forward, rebalance, broadcast, or hash = KeyGroupStreamPartitioner), sends a
 * buffer when it is full, and flushes partially filled buffers after the buffer timeout. Events (watermarks,
 * watermark status, barriers, end of partition) go on every channel after the records before them (FIFO).
 */
import type { JobEdge } from '../graph/executionGraph.ts';
import type { Row } from '../scenario/types.ts';
import type { RandomStream } from '../sim/random.ts';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../state/keyGroups.ts';
import {
  type BarrierMeta,
  type Channel,
  type ChannelItem,
  forcedAligned,
  ItemKind,
  rowBytes,
} from './channel.ts';
import type { CreditBasedTransport } from './creditBasedTransport.ts';

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

/** Schedules the output flusher (execution.buffer-timeout.interval) of this writer's task. */
export interface FlushScheduler {
  scheduleFlush(writer: RecordWriter): void;
}

export class RecordWriter {
  readonly outputs: OutputEdge[] = [];
  readonly channels: Channel[] = [];
  recordsOut = 0;
  /** A flush is scheduled (the output flusher runs once per buffer timeout). */
  flushPending = false;
  /** The last watermark sent downstream (a watermark never goes backwards). */
  lastSentWatermark = Number.MIN_SAFE_INTEGER;

  constructor(
    /** The task (global subtask index) that owns this writer. */
    readonly taskIndex: number,
    private readonly transport: CreditBasedTransport,
    private readonly flusher: FlushScheduler,
    private readonly rebalanceRandom: RandomStream,
  ) {}

  addOutput(o: OutputEdge): void {
    this.outputs.push(o);
    this.channels.push(...o.channels);
  }

  /** RebalancePartitioner: a random first channel per attempt, then round robin. */
  initRebalance(): void {
    for (const o of this.outputs) {
      o.next = o.channels.length > 1 ? this.rebalanceRandom.int(0, o.channels.length - 1) : 0;
    }
  }

  /** A new execution attempt: nothing of the previous one is pending. */
  reset(): void {
    this.flushPending = false;
    this.lastSentWatermark = Number.MIN_SAFE_INTEGER;
    this.initRebalance();
  }

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
      b = this.transport.buffers.dataBuffer(kg >= 0);
      ch.open = b;
      if (!this.flushPending && this.transport.bufferTimeoutUs !== null) {
        this.flushPending = true;
        this.flusher.scheduleFlush(this);
      }
    }
    b.rows.push(row);
    b.ts.push(ts);
    if (b.kgs !== null) b.kgs.push(kg);
    b.bytes += rowBytes(row);
    if (b.bytes >= this.transport.segmentSize) {
      ch.open = null;
      ch.waiting.push(b);
      this.transport.transmit(ch);
    }
  }

  /** Output flusher (execution.buffer-timeout.interval): sends partially filled buffers. */
  flush(): void {
    this.flushPending = false;
    for (const ch of this.channels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
        this.transport.transmit(ch);
      }
    }
  }

  /** Sends an event on every output channel, after the records before it (FIFO). */
  broadcastEvent(kind: ItemKind, value: number, barrier: BarrierMeta | null = null): void {
    for (const ch of this.channels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
      }
      ch.waiting.push(this.transport.buffers.event(kind, value, barrier));
      this.transport.transmit(ch);
    }
  }

  /**
   * Broadcasts an aligned checkpoint barrier in order (RecordWriterOutput.broadcastEvent): channels that do not
   * support unaligned checkpoints get it forced aligned (never timeoutable).
   */
  broadcastBarrier(barrier: BarrierMeta): void {
    const forced = forcedAligned(barrier);
    for (const ch of this.channels) {
      if (ch.open !== null) {
        ch.waiting.push(ch.open);
        ch.open = null;
      }
      ch.waiting.push(
        this.transport.buffers.event(ItemKind.Barrier, barrier.id, ch.unalignedSupported ? barrier : forced),
      );
      this.transport.transmit(ch);
    }
  }

  /**
   * PipelinedSubpartition.alignedBarrierTimeout: the aligned barrier of checkpoint `id` still waits in the output
   * queue of `ch` (behind data without credit). It becomes an unaligned priority event: it leaves the queue now and
   * overtakes every buffer before it; `overtaken` receives the data buffers of the output queue, which the sender
   * persists as output channel state (findInflightBuffersAndMakeBarrierToPriority; what is already on the wire is
   * the receiver's to persist). Returns the barrier, now at the head of the channel and due at the receiver after the
   * network latency, or null when it already left.
   */
  prioritizeQueuedBarrier(
    ch: Channel,
    id: number,
    now: number,
    overtaken: (item: ChannelItem) => void,
  ): ChannelItem | null {
    const at = ch.waiting.findIndex((it) => it.kind === ItemKind.Barrier && it.value === id);
    if (at < 0) return null;
    const item = ch.waiting[at] as ChannelItem;
    for (let i = 0; i < at; i++) {
      const it = ch.waiting[i] as ChannelItem;
      if (it.kind === ItemKind.Data) overtaken(it);
    }
    ch.waiting.splice(at, 1);
    item.barrier = { ...(item.barrier as BarrierMeta), alignment: 'UNALIGNED' };
    item.sentAt = now;
    item.arriveAt = now + this.transport.latencyUs;
    ch.flight.unshift(item);
    return item;
  }

  emitWatermark(wm: number): void {
    if (wm <= this.lastSentWatermark) return;
    this.lastSentWatermark = wm;
    this.broadcastEvent(ItemKind.Watermark, wm);
  }

  emitStatus(idle: boolean): void {
    this.broadcastEvent(ItemKind.Status, idle ? 1 : 0);
  }

  /** Some output channel has buffers waiting for credit: the task is backpressured. */
  hasBlockedOutput(): boolean {
    const outs = this.channels;
    for (let i = 0; i < outs.length; i++) if ((outs[i] as Channel).waiting.length > 0) return true;
    return false;
  }
}
