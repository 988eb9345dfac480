/**
 * A channel between two subtasks (DESIGN: How data flows, step 2). Buffers of records and events (watermarks,
 * watermark status, barriers, end of partition) travel FIFO. Data buffers need a credit: at most `capacity`
 * data buffers may be in flight or queued at the receiver (credit-based flow control); the rest wait at the
 * sender, which is then backpressured.
 */
import type { Row } from '../scenario/types.ts';
import type { ChannelInfo } from '../graph/executionGraph.ts';

export const enum ItemKind {
  Data = 0,
  Watermark = 1,
  Status = 2,
  Barrier = 3,
  End = 4,
}

export interface ChannelItem {
  kind: ItemKind;
  id: number;
  sentAt: number;
  arriveAt: number;
  rows: Row[];
  ts: number[];
  /** Key groups computed by the hash partitioner for the receiving operator, or null. */
  kgs: number[] | null;
  bytes: number;
  /** Watermark value; status: 1 idle / 0 active; barrier: checkpoint id. */
  value: number;
  /** Barriers: what the CheckpointBarrier carries (reference 1.7). */
  barrier: BarrierMeta | null;
}

/** CheckpointBarrier(id, timestamp, CheckpointOptions): the options that matter to a task. */
export interface BarrierMeta {
  id: number;
  triggerUs: number;
  type: 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';
  /**
   * Alignment type (reference 1.7): ALIGNED, UNALIGNED, AT_LEAST_ONCE, FORCED_ALIGNED (unaligned or timeoutable,
   * but sent on a channel that does not support unaligned checkpoints: aligned there, never timed out).
   */
  alignment: 'ALIGNED' | 'UNALIGNED' | 'AT_LEAST_ONCE' | 'FORCED_ALIGNED';
  /** execution.checkpointing.aligned-checkpoint-timeout when unaligned checkpoints start aligned (1.6), else null. */
  alignedTimeoutUs: number | null;
}

/**
 * CheckpointOptions.isTimeoutable: an aligned barrier of an unaligned-enabled checkpoint with an aligned-checkpoint
 * timeout. It may still switch to unaligned: at the sender while it waits in the output queue
 * (PipelinedSubpartition.alignedBarrierTimeout), and at the receiver, which learns of it from an announcement
 * (EventAnnouncement) as soon as it is queued there.
 */
export function isTimeoutable(b: BarrierMeta): boolean {
  return b.alignment === 'ALIGNED' && b.alignedTimeoutUs !== null;
}

/**
 * CheckpointOptions.withUnalignedUnsupported (RecordWriterOutput.broadcastEvent): on a channel that does not support
 * unaligned checkpoints an unaligned or timeoutable barrier is FORCED_ALIGNED (aligned, never timed out); the
 * timeout is kept so that the receiver can restore the options for its own outputs.
 */
export function forcedAligned(b: BarrierMeta): BarrierMeta {
  if (b.alignment !== 'UNALIGNED' && !isTimeoutable(b)) return b;
  return { ...b, alignment: 'FORCED_ALIGNED' };
}

/**
 * CheckpointOptions.withUnalignedSupported (SubtaskCheckpointCoordinatorImpl.checkpointState): a task that aligned
 * on forced-aligned barriers sends the original kind on: aligned with the timeout, or unaligned.
 */
export function withUnalignedSupported(b: BarrierMeta): BarrierMeta {
  if (b.alignment !== 'FORCED_ALIGNED') return b;
  return { ...b, alignment: b.alignedTimeoutUs !== null ? 'ALIGNED' : 'UNALIGNED' };
}

export const EMPTY_ROWS: Row[] = [];
export const EMPTY_NUMS: number[] = [];

export class Channel {
  /** Buffer being filled by the sender's record writer. */
  open: ChannelItem | null = null;
  /** Finished items waiting for credit at the sender. */
  waiting: ChannelItem[] = [];
  /** Sent items: in flight, or arrived and queued at the receiver (FIFO). */
  flight: ChannelItem[] = [];
  dataInFlight = 0;
  lastArrive = 0;
  // Receiver-side state (StatusWatermarkValve per input channel, alignment).
  watermark = Number.MIN_SAFE_INTEGER;
  idle = false;
  aligned = true;
  finished = false;
  /** Blocked by barrier alignment (aligned exactly-once checkpoints, reference 1.2 step 3). */
  blocked = false;
  /** Blocked by an injected stall-channel fault until this virtual time. */
  stalledUntil = 0;
  /**
   * Whether barriers on this channel may be unaligned (StreamEdge.supportsUnalignedCheckpoints): false when any input
   * of the receiving task is pointwise (forward) or broadcast (StreamGraphGenerator.shouldDisableUnalignedCheckpointing);
   * such channels carry forced-aligned barriers that never time out. Fixed when the job is built.
   */
  unalignedSupported = true;

  constructor(
    readonly info: ChannelInfo,
    readonly capacity: number,
  ) {}

  get index(): number {
    return this.info.index;
  }

  reset(): void {
    this.open = null;
    this.waiting = [];
    this.flight = [];
    this.dataInFlight = 0;
    this.watermark = Number.MIN_SAFE_INTEGER;
    this.idle = false;
    this.aligned = true;
    this.finished = false;
    this.blocked = false;
    this.stalledUntil = 0;
  }
}

/** Serialized size of a record in bytes (field names are not written; 8 bytes of timestamp). */
export function rowBytes(row: Row): number {
  let n = 8;
  for (const f in row) {
    const v = row[f];
    n += typeof v === 'number' ? 8 : 2 + (v as string).length;
  }
  return n;
}
