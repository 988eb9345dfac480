/**
 * The source operator: reads the splits (topic partitions) assigned to its subtask, keeps their offsets as
 * operator state (ListState, even-split redistribution, like KafkaSource's split state), extracts event
 * timestamps and generates watermarks with bounded out-of-orderness and idleness (reference 7.2:
 * WatermarkStrategy.forBoundedOutOfOrderness(...).withIdleness(...)).
 */
import type { InputTopic } from '../connectors/topic.ts';
import { javaStringHashCode } from '../state/keyGroups.ts';
import type { ListState } from '../state/types.ts';
import type { Row, SourceOp } from '../scenario/types.ts';
import { NO_TIMESTAMP, StreamOperator } from './operator.ts';

export interface Split {
  partition: number;
  offset: number;
}

/** KafkaSourceEnumerator.getSplitOwner: the reader that owns a partition. */
export function splitOwner(topic: string, partition: number, numReaders: number): number {
  const startIndex = (Math.imul(javaStringHashCode(topic), 31) & 0x7fffffff) % numReaders;
  return (startIndex + partition) % numReaders;
}

export interface PollResult {
  emitted: number;
  /** Virtual time (µs) of the next record not yet available, or null when none will come. */
  nextAppend: number | null;
  exhausted: boolean;
}

export class SourceOperator extends StreamOperator {
  splits: Split[] = [];
  private splitState!: ListState<readonly [number, number]>;
  private rr = 0;
  /** BoundedOutOfOrdernessWatermarks state. */
  maxTimestamp = Number.MIN_SAFE_INTEGER;
  lastEmittedWatermark = Number.MIN_SAFE_INTEGER;
  idle = false;
  /** Virtual time of the last record read (for idleness). */
  lastRecordAt = 0;

  constructor(
    readonly spec: SourceOp,
    readonly topic: InputTopic,
  ) {
    super();
  }

  override open(): void {
    this.splitState = this.ctx.operatorState.getListState<readonly [number, number]>('splits');
    const restored = this.splitState.get();
    if (restored.length > 0) {
      this.splits = restored.map(([partition, offset]) => ({ partition, offset }));
    } else {
      this.splits = [];
      for (let p = 0; p < this.topic.partitions; p++) {
        if (splitOwner(this.topic.name, p, this.ctx.parallelism) === this.ctx.subtaskIndex) {
          const offset = this.spec.startingOffsets === 'latest' ? this.topic.endOffset(p, this.ctx.now()) : 0;
          this.splits.push({ partition: p, offset });
        }
      }
    }
    this.lastRecordAt = this.ctx.now();
  }

  /** Writes the current offsets into operator state (the synchronous part of a checkpoint). */
  override snapshotState(): void {
    this.splitState.update(this.splits.map((s) => [s.partition, s.offset] as const));
  }

  processElement(row: Row, ts: number): void {
    this.out.collect(row, ts);
  }

  /** Reads up to `maxBatch` records available at `now`, rotating over the splits. */
  poll(now: number, maxBatch: number): PollResult {
    let emitted = 0;
    const n = this.splits.length;
    const tsField = this.spec.timestampField;
    for (let k = 0; k < n && emitted < maxBatch; k++) {
      const split = this.splits[(this.rr + k) % n] as Split;
      const end = this.topic.endOffset(split.partition, now);
      while (split.offset < end && emitted < maxBatch) {
        const row = this.topic.row(split.partition, split.offset);
        split.offset++;
        const raw = row[tsField];
        const ts = typeof raw === 'number' ? raw : NO_TIMESTAMP;
        if (ts !== NO_TIMESTAMP && ts > this.maxTimestamp) this.maxTimestamp = ts;
        if (this.idle) this.markActive();
        emitted++;
        this.out.collect(row, ts);
      }
    }
    if (n > 0) this.rr = (this.rr + 1) % n;
    if (emitted > 0) this.lastRecordAt = now;
    let next: number | null = null;
    // A reader without splits finishes only on a bounded topic (no more splits will come); on an unbounded one it
    // waits forever and holds the watermark back unless idleness is configured (reference 7.2).
    let exhausted = n > 0 || this.topic.partitionSize(0) !== Infinity;
    for (const s of this.splits) {
      const size = this.topic.partitionSize(s.partition);
      if (s.offset < size) {
        exhausted = false;
        const t = this.topic.appendTime(s.partition, s.offset);
        if (next === null || t < next) next = t;
      }
    }
    return { emitted, nextAppend: next, exhausted };
  }

  /** The periodic watermark emission (pipeline.auto-watermark-interval): maxTimestamp - outOfOrderness - 1. */
  onPeriodicEmit(now: number): void {
    const idleness = this.spec.idlenessUs;
    if (idleness !== null && !this.idle && now - this.lastRecordAt >= idleness) {
      this.idle = true;
      this.emitStatus(true);
      return;
    }
    if (this.idle || this.maxTimestamp === Number.MIN_SAFE_INTEGER) return;
    const wm = this.maxTimestamp - Math.floor(this.spec.outOfOrdernessUs / 1000) - 1;
    if (wm > this.lastEmittedWatermark) {
      this.lastEmittedWatermark = wm;
      this.out.emitWatermark(wm);
    }
  }

  private markActive(): void {
    this.idle = false;
    this.emitStatus(false);
  }

  /** Forwards a WatermarkStatus change downstream (the task's record writer). */
  statusOutput: { emitStatus(idle: boolean): void } | null = null;

  private emitStatus(idle: boolean): void {
    this.statusOutput?.emitStatus(idle);
  }
}
