/**
 * OperatorChain (flink-streaming-java OperatorChain): the operators of one task, wired head to tail, with their
 * keyed and operator state backends, and the operator factory. The task calls Flink's hooks on the chain
 * (snapshotState, notifyCheckpointComplete / Aborted, finish, close); nothing tests an operator's type.
 */
import type { StreamOperator } from '../operators/operator.ts';
import { type OperatorContext, type Output } from '../operators/operator.ts';
import { KeyedProcessOperator, ReduceOperator, WindowOperator } from '../operators/keyed.ts';
import { SinkOperator } from '../operators/sink.ts';
import { SourceOperator } from '../operators/source.ts';
import { FilterOperator, FlatMapOperator, MapOperator, UnionOperator } from '../operators/stateless.ts';
import type { RuntimeEvent } from '../protocol.ts';
import type { OperatorSpec, Row } from '../scenario/types.ts';
import { DefaultOperatorStateBackend } from '../state/operatorState.ts';
import type { KeyedStateBackend, OperatorStateBackend } from '../state/types.ts';
import type { JobRuntime } from './jobRuntime.ts';
import type { StreamTask } from './streamTask.ts';

/** Passes records from one operator of a chain to the next, charging the next operator's cost. */
class ChainingOutput implements Output {
  constructor(
    private readonly task: StreamTask,
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

/** The chain's last output: the task's record writer. */
class RecordWriterOutput implements Output {
  constructor(private readonly task: StreamTask) {}
  collect(row: Row, ts: number): void {
    this.task.writer.emitRecord(row, ts);
  }
  emitWatermark(wm: number): void {
    this.task.writer.emitWatermark(wm);
  }
}

/** What an operator may ask of its task (no closures: an engine snapshot can copy it). */
class TaskOperatorContext implements OperatorContext {
  constructor(
    private readonly rt: JobRuntime,
    readonly operatorId: string,
    readonly subtaskIndex: number,
    readonly parallelism: number,
    readonly taskName: string,
    readonly subtaskIndexGlobal: number,
    readonly keyedState: KeyedStateBackend | null,
    readonly operatorState: OperatorStateBackend,
  ) {}
  get finalCheckpoint(): boolean {
    return this.rt.waitsForFinalCheckpoint;
  }
  now(): number {
    return this.rt.kernel.now;
  }
  event(e: RuntimeEvent): void {
    this.rt.emit(e);
  }
  traceString(s: string): void {
    this.rt.kernel.hash.mixString(s);
  }
  traceNumber(n: number): void {
    this.rt.kernel.hash.mix(n);
  }
}

export class OperatorChain {
  static readonly EMPTY = new OperatorChain([], [], []);

  readonly head: StreamOperator;
  /** The chain's source operator, when the task is a source task. */
  readonly source: SourceOperator | null;

  private constructor(
    readonly operators: readonly StreamOperator[],
    /** Keyed state backend of each chained operator (null for non-keyed ones). */
    readonly keyed: readonly (KeyedStateBackend | null)[],
    readonly operatorStates: readonly OperatorStateBackend[],
  ) {
    this.head = operators[0] as StreamOperator;
    const first = operators[0];
    this.source = first instanceof SourceOperator ? first : null;
  }

  /** The head operator's keyed state completes reads asynchronously (prefetch before each turn). */
  get asyncState(): boolean {
    const k = this.keyed[0];
    return k !== null && k !== undefined && k.asynchronous === true;
  }

  get isEmpty(): boolean {
    return this.operators.length === 0;
  }

  /** The keyed backends of the chain (the head operator's, when it is keyed). */
  get keyedBackends(): KeyedStateBackend[] {
    return this.keyed.filter((k): k is KeyedStateBackend => k !== null);
  }

  /** Builds the operators of the task's vertex, wired operator i -> i + 1 -> record writer. */
  static create(task: StreamTask, rt: JobRuntime): OperatorChain {
    const specs = task.info.vertex.operators;
    const ops = specs.map((spec) => createOperator(spec, rt));
    const keyed: (KeyedStateBackend | null)[] = [];
    const opStates: OperatorStateBackend[] = [];
    for (let i = 0; i < ops.length; i++) {
      const spec = specs[i] as OperatorSpec;
      const op = ops[i] as StreamOperator;
      const next = ops[i + 1];
      const out: Output = next ? new ChainingOutput(task, next) : new RecordWriterOutput(task);
      const backend =
        spec.keyBy !== null && i === 0 && task.info.keyGroupRange
          ? rt.createKeyedBackend({
              keyGroupRange: task.info.keyGroupRange,
              maxParallelism: task.info.vertex.maxParallelism,
              keyType: spec.keyType,
            })
          : null;
      keyed.push(backend);
      const opState = new DefaultOperatorStateBackend();
      opStates.push(opState);
      op.setup(
        new TaskOperatorContext(
          rt,
          spec.id,
          task.info.subtaskIndex,
          task.info.vertex.parallelism,
          task.name,
          task.index,
          backend,
          opState,
        ),
        out,
        spec.costPerRecordUs,
      );
      if (op instanceof SourceOperator) op.statusOutput = task.writer;
    }
    return new OperatorChain(ops, keyed, opStates);
  }

  open(): void {
    for (const op of this.operators) op.open();
  }

  /** The synchronous part of a checkpoint: every operator's snapshotState hook, in chain order. */
  snapshotState(checkpointId: number): void {
    for (const op of this.operators) op.snapshotState(checkpointId);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    for (const op of this.operators) op.notifyCheckpointComplete(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: number): void {
    for (const op of this.operators) op.notifyCheckpointAborted(checkpointId);
  }

  /** End of input: sources emit Watermark.MAX first, then every operator finishes. */
  endInput(): void {
    for (const op of this.operators) op.finish();
  }

  /** Cancellation or failure: operators close, keyed state of this attempt is dropped. */
  cancel(): void {
    for (const op of this.operators) op.close();
    for (const b of this.keyed) b?.clear();
  }

  /** State sizes of the chain: real encoded bytes and distinct keys. */
  stateStats(): { bytes: number; keys: number } {
    let bytes = 0;
    let keys = 0;
    for (const b of this.keyed) {
      if (b === null) continue;
      const s = b.stats();
      bytes += s.bytes;
      keys += s.keys;
    }
    for (const o of this.operatorStates) bytes += o.stateSize();
    return { bytes, keys };
  }
}

function createOperator(spec: OperatorSpec, rt: JobRuntime): StreamOperator {
  switch (spec.kind) {
    case 'source': {
      const topic = rt.inputTopics.get(spec.topic);
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
      const topic = rt.outputTopics.get(spec.topic);
      if (!topic) throw new Error(`sink ${spec.id}: no output topic "${spec.topic}"`);
      return new SinkOperator(spec, topic);
    }
  }
}
