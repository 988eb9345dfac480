/**
 * Stream operators (DESIGN: operators/). Operator logic comes from parameterised kinds in the scenario, never
 * from evaluated user code. An operator receives records one by one (row + event timestamp), watermarks, and the
 * end of its input; it emits through its Output, which is either the next operator of the chain or the task's
 * record writer.
 */
import type { RuntimeEvent } from '../protocol.ts';
import type { IoHandle } from '../sim/eventQueue.ts';
import type { Row } from '../scenario/types.ts';
import type { KeyedStateBackend, OperatorStateBackend } from '../state/types.ts';

/** Event timestamp of records that carry none. */
export const NO_TIMESTAMP = Number.MIN_SAFE_INTEGER;
/** Flink's Watermark.MAX_WATERMARK (Long.MAX_VALUE), as the largest safe integer. */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;

export interface Output {
  collect(row: Row, ts: number): void;
  emitWatermark(wm: number): void;
}

/** What an operator may ask of the task it runs in. */
export interface OperatorContext {
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly taskName: string;
  /** The task's global subtask index (TopologySubtask.index), for events. */
  readonly subtaskIndexGlobal: number;
  /**
   * After the end of input the task waits for a final checkpoint (FLIP-147, checkpointing on). When false, a
   * two-phase-commit sink commits at the end of input (CommitterOperator.endInput without checkpointing).
   */
  readonly finalCheckpoint: boolean;
  /** Keyed state of this operator, when it is keyed (keyBy before it). */
  readonly keyedState: KeyedStateBackend | null;
  readonly operatorState: OperatorStateBackend;
  /** Current virtual time in µs (for sinks and logs). */
  now(): number;
  /** Reports something that happened (typed; the narrator words it for the log). */
  event(e: RuntimeEvent): void;
  /** Mixes a value into the run's trace hash (sinks: every record written). */
  traceString(s: string): void;
  traceNumber(n: number): void;
}

export abstract class StreamOperator {
  out!: Output;
  ctx!: OperatorContext;
  /** Virtual processing cost per record in µs (cost model). */
  cost = 0;
  /** Current input watermark (event time ms). */
  currentWatermark = Number.MIN_SAFE_INTEGER;

  setup(ctx: OperatorContext, out: Output, cost: number): void {
    this.ctx = ctx;
    this.out = out;
    this.cost = cost;
  }

  open(): void {}

  /** `keyGroup` is the key group computed by the hash partitioner upstream, or -1. */
  abstract processElement(row: Row, ts: number, keyGroup: number): void;

  processWatermark(wm: number): void {
    this.currentWatermark = wm;
    this.out.emitWatermark(wm);
  }

  /**
   * Asynchronous state: load what processing these records (and timers up to a watermark) will touch. Returns the
   * real I/O to wait for before processing, or null (always null for in-memory state).
   */
  prefetch(_rows: readonly Row[], _keyGroups: readonly number[] | null, _timers: boolean): IoHandle | null {
    return null;
  }

  // Flink's operator hooks (StreamOperator, CheckpointListener): the runtime calls these, never tests the type.

  /** The synchronous part of checkpoint `checkpointId` (sources record offsets, 2PC sinks pre-commit). */
  snapshotState(_checkpointId: number): void {}

  /** notifyCheckpointComplete(n) (reference 2.4 step 4): two-phase-commit sinks commit. */
  notifyCheckpointComplete(_checkpointId: number): void {}

  notifyCheckpointAborted(_checkpointId: number): void {}

  /** All input consumed, after the final watermark (StreamOperator.finish). */
  finish(): void {}

  /** The attempt ends by cancellation or failure (StreamOperator.close): release what is open. */
  close(): void {}
}
