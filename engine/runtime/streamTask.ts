/**
 * StreamTask (flink-streaming-java StreamTask): one subtask at run time. It owns its operator chain, input gate
 * with the watermark valve, record writer, barrier handler and subtask checkpoint coordinator, and runs the
 * mailbox loop: read the next item from the gate, process it, and account busy and backpressured time.
 * The runtime only delivers events to it and asks it to change lifecycle state through its methods.
 */
import type { SubtaskInfo } from '../graph/executionGraph.ts';
import { type Channel, type ChannelItem, ItemKind } from '../network/channel.ts';
import { InputGate } from '../network/inputGate.ts';
import { RecordWriter } from '../network/recordWriter.ts';
import { StatusWatermarkValve, type ValveOutput } from '../network/statusWatermarkValve.ts';
import { MAX_WATERMARK } from '../operators/operator.ts';
import type { SubtaskStatus } from '../protocol.ts';
import type { Row } from '../scenario/types.ts';
import type { IoHandle, SimEvent } from '../sim/eventQueue.ts';
import type { RandomStream } from '../sim/random.ts';
import { CheckpointBarrierHandler } from '../checkpoint/task/barrierHandler.ts';
import { SubtaskCheckpointCoordinator } from '../checkpoint/task/subtaskCheckpointCoordinator.ts';
import type { SubtaskSnapshot } from '../checkpoint/checkpointCoordinator.ts';
import { OperatorChain } from './operatorChain.ts';
import type { JobRuntime } from './jobRuntime.ts';

export class StreamTask implements ValveOutput {
  status: SubtaskStatus = 'CREATED';
  /** Execution attempt: bumped on every cancellation so stale events of the previous attempt are ignored. */
  attempt = 0;
  /** The TaskManager this attempt runs on (-1 when not deployed), and whether that TaskManager died. */
  taskManager = -1;
  lost = false;
  readonly gate = new InputGate();
  readonly valve: StatusWatermarkValve;
  readonly writer: RecordWriter;
  chain: OperatorChain = OperatorChain.EMPTY;
  readonly checkpointing: SubtaskCheckpointCoordinator;
  readonly barriers: CheckpointBarrierHandler;

  // The mailbox loop.
  pendingRun: SimEvent | null = null;
  busyUntil = 0;
  /** Virtual cost (µs) accumulated by the batch being processed. */
  work = 0;
  backpressured = false;
  bpSince = 0;
  /** slow-task fault: processing costs are multiplied by this factor until slowUntil. */
  slowFactor = 1;
  slowUntil = 0;
  /** A source that emitted the barrier of a synchronous savepoint (stop-with-savepoint) reads nothing more. */
  stoppedAfterSavepoint = false;
  /**
   * End of input reached (EndOfData sent downstream). With checkpoints after tasks finish (FLIP-147) the task
   * stays RUNNING until a checkpoint it took after this point completes, then FINISHES.
   */
  endOfData = false;
  /** The state a FINISHED task contributes to later checkpoints (recorded as finished). */
  finalSnapshot: SubtaskSnapshot | null = null;

  // Metrics: cumulative, never reset (the frame builder computes rates from differences).
  recordsIn = 0;
  busyTotal = 0;
  bpTotal = 0;

  constructor(
    readonly info: SubtaskInfo,
    readonly rt: JobRuntime,
    rebalanceRandom: RandomStream,
  ) {
    this.valve = new StatusWatermarkValve(this.gate.channels, this);
    this.writer = new RecordWriter(info.index, rt.transport, rt, rebalanceRandom);
    this.checkpointing = new SubtaskCheckpointCoordinator(this);
    this.barriers = new CheckpointBarrierHandler(this);
  }

  get index(): number {
    return this.info.index;
  }

  get name(): string {
    return this.info.name;
  }

  get recordsOut(): number {
    return this.writer.recordsOut;
  }

  /** Is this attempt deployed (it has a slot and runs or is about to)? */
  get deployed(): boolean {
    return this.status === 'RUNNING' || this.status === 'INITIALIZING' || this.status === 'DEPLOYING';
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------------

  /** Forgets everything of the previous execution attempt (channels are reset by the runtime). */
  resetForRestart(): void {
    this.status = 'CREATED';
    this.stopRunning();
    this.busyUntil = 0;
    this.backpressured = false;
    this.work = 0;
    this.valve.reset();
    this.writer.reset();
    this.gate.reset();
    this.barriers.reset();
    this.checkpointing.reset();
    this.lost = false;
    this.slowFactor = 1;
    this.slowUntil = 0;
    this.stoppedAfterSavepoint = false;
    this.endOfData = false;
    this.finalSnapshot = null;
    this.chain = OperatorChain.EMPTY;
  }

  /** DEPLOYING on TaskManager `tm` with a fresh operator chain. */
  deploy(tm: number): void {
    this.status = 'DEPLOYING';
    this.taskManager = tm;
    this.chain = OperatorChain.create(this, this.rt);
  }

  initializing(): void {
    this.status = 'INITIALIZING';
  }

  /** Waits in SCHEDULED for a slot. */
  scheduled(): void {
    this.status = 'SCHEDULED';
  }

  /** INITIALIZING -> RUNNING: operators open; sources start reading. */
  start(): void {
    this.status = 'RUNNING';
    this.chain.open();
  }

  /** The TaskManager of this attempt died: nothing runs any more until the JobManager notices. */
  markLost(): void {
    this.lost = true;
    this.stopRunning();
  }

  failed(): void {
    this.status = 'FAILED';
  }

  /** CANCELING -> CANCELED: the attempt ends; its events become stale, its sink transaction is aborted. */
  cancel(): void {
    if (this.status === 'CANCELED' && this.attempt > 0 && this.chain.isEmpty) return;
    this.chain.cancel();
    this.stopRunning();
    if (this.status !== 'FAILED' && this.status !== 'FINISHED') this.status = 'CANCELED';
    this.attempt++;
    this.barriers.reset();
    this.lost = false;
  }

  /** Stop-with-savepoint completed: the task ends without further processing. */
  finishedBySavepoint(): void {
    this.stopRunning();
    if (this.status === 'RUNNING') this.status = 'FINISHED';
  }

  slowDown(factor: number, until: number): void {
    this.slowFactor = factor;
    this.slowUntil = until;
  }

  private stopRunning(): void {
    if (this.pendingRun) this.pendingRun.cancelled = true;
    this.pendingRun = null;
  }

  // ---- the mailbox loop -----------------------------------------------------------------------------------------

  /** One turn of the loop: read and process items until one costs time, or nothing is available. */
  run(): void {
    if (this.status === 'RUNNING' && !this.lost && this.chain.asyncState) {
      // Asynchronous state: everything this turn may read is loaded first; until then the event waits, unchanged.
      const io = this.prefetchTurn();
      if (io !== null && !io.settled) {
        this.rt.kernel.defer(io);
        return;
      }
    }
    this.pendingRun = null;
    if (this.status !== 'RUNNING' || this.lost) return;
    const kernel = this.rt.kernel;
    const now = kernel.now;
    if (this.writer.hasBlockedOutput()) {
      if (!this.backpressured) {
        this.backpressured = true;
        this.bpSince = now;
      }
      return;
    }
    if (this.backpressured) {
      this.backpressured = false;
      this.bpTotal += now - this.bpSince;
    }
    this.work = 0;
    // Block loads of the prefetch cost the turn virtual time (the IndexedDB backend's cost model).
    for (const b of this.chain.keyed) if (b?.takeReadWaitUs) this.work += b.takeReadWaitUs();
    const src = this.chain.source;
    if (src !== null) {
      if (this.stoppedAfterSavepoint || this.endOfData) return;
      const res = src.poll(now, src.spec.maxBatch);
      this.recordsIn += res.emitted;
      this.work += res.emitted * src.cost;
      if (res.emitted > 0) kernel.hash.mix32(res.emitted);
      if (res.emitted === 0) {
        if (res.exhausted) return this.endOfInput();
        if (res.nextAppend !== null) this.wake(Math.max(res.nextAppend, now));
        return;
      }
      this.busy(now);
      return;
    }
    for (;;) {
      const ch = this.gate.pickInput(now);
      if (ch === null) break;
      const item = ch.flight.shift() as ChannelItem;
      kernel.hash.mix32(item.kind);
      switch (item.kind) {
        case ItemKind.Data:
          this.rt.transport.consumed(ch);
          this.barriers.onData(ch, item);
          kernel.hash.mix32(item.rows.length);
          this.processData(item);
          this.rt.transport.transmit(ch); // the consumed buffer's credit goes back to the sender
          break;
        case ItemKind.Watermark:
          kernel.hash.mix(item.value);
          this.valve.inputWatermark(ch, item.value);
          break;
        case ItemKind.Status:
          this.valve.inputStatus(ch, item.value === 1);
          break;
        case ItemKind.Barrier:
          this.barriers.onBarrier(ch, item.barrier as NonNullable<ChannelItem['barrier']>);
          break;
        case ItemKind.End:
          ch.finished = true;
          this.gate.finished++;
          this.barriers.onEndOfPartition();
          if (this.gate.allFinished && !this.endOfData) {
            this.endOfInput();
            if (this.status !== 'RUNNING') return;
          }
          break;
      }
      if (this.work > 0) break;
    }
    if (this.work > 0) {
      this.busy(now);
      return;
    }
    const next = this.gate.nextArrival();
    if (next !== null) this.wake(Math.max(next, now));
  }

  /**
   * The keys (and timers) of every item that has arrived on an unblocked input: a superset of what this turn
   * processes, asked of the head operator's backend in one prefetch.
   */
  private prefetchTurn(): IoHandle | null {
    const now = this.rt.kernel.now;
    const rows: Row[] = [];
    const kgs: number[] = [];
    let keyed = true;
    let timers = false;
    for (const ch of this.gate.channels) {
      if (ch.blocked || ch.stalledUntil > now) continue;
      for (const item of ch.flight) {
        if (item.arriveAt > now) break;
        if (item.kind === ItemKind.Watermark) timers = true;
        if (item.kind !== ItemKind.Data) continue;
        for (let i = 0; i < item.rows.length; i++) {
          rows.push(item.rows[i] as Row);
          if (item.kgs) kgs.push(item.kgs[i] as number);
          else keyed = false;
        }
      }
    }
    if (rows.length === 0 && !timers) return null;
    return this.chain.head.prefetch(rows, keyed ? kgs : null, timers);
  }

  private processData(item: ChannelItem): void {
    const rows = item.rows;
    const tss = item.ts;
    const kgs = item.kgs;
    const head = this.chain.head;
    const n = rows.length;
    this.recordsIn += n;
    this.work += n * head.cost;
    if (kgs !== null) {
      for (let i = 0; i < n; i++) head.processElement(rows[i] as Row, tss[i] as number, kgs[i] as number);
    } else {
      for (let i = 0; i < n; i++) head.processElement(rows[i] as Row, tss[i] as number, -1);
    }
  }

  private busy(now: number): void {
    const factor = this.slowUntil > now ? this.slowFactor : 1;
    const w = Math.max(1, Math.round(this.work * factor));
    this.busyTotal += w;
    this.busyUntil = now + w;
    // The task is busy until then: any earlier wake-up (e.g. from returning a credit to itself) is void.
    if (this.pendingRun !== null) this.pendingRun.cancelled = true;
    this.pendingRun = this.rt.scheduleRun(this, now + w);
  }

  private scheduleRunAt(time: number): void {
    if (this.pendingRun !== null) {
      if (this.pendingRun.time <= time) return;
      this.pendingRun.cancelled = true;
    }
    this.pendingRun = this.rt.scheduleRun(this, time);
  }

  /** Makes sure the task runs at `time` (never before it is done with its current batch). */
  wake(time: number): void {
    if (this.status !== 'RUNNING') return;
    this.scheduleRunAt(Math.max(time, this.busyUntil, this.rt.kernel.now));
  }

  /** Wakes the task when its input has something (after a restore, an unblocked channel). */
  wakeForInput(): void {
    const next = this.gate.nextArrival();
    if (next !== null) this.wake(next);
  }

  /** The task does nothing else for `us` (the synchronous phase of a snapshot blocks record processing). */
  occupy(us: number): void {
    const now = this.rt.kernel.now;
    const until = now + us;
    if (until <= this.busyUntil) return;
    this.busyUntil = until;
    this.busyTotal += us;
    if (this.pendingRun !== null && this.pendingRun.time < until) {
      this.pendingRun.cancelled = true;
      this.pendingRun = this.rt.scheduleRun(this, until);
    }
  }

  /**
   * All input consumed: MAX watermark (sources), finish() on every operator, end of data downstream. Without
   * checkpoints after tasks finish the task FINISHES now; with them (FLIP-147, the default) it waits for a
   * checkpoint taken after this point, so two-phase-commit sinks commit their last transaction there.
   */
  private endOfInput(): void {
    const src = this.chain.source;
    if (src !== null) src.out.emitWatermark(MAX_WATERMARK);
    this.chain.endInput();
    this.writer.broadcastEvent(ItemKind.End, 0);
    this.endOfData = true;
    if (!this.rt.waitsForFinalCheckpoint) {
      this.finishTask('all of its input is consumed');
      return;
    }
    this.rt.emit({
      kind: 'notice',
      subtask: this.index,
      category: 'task',
      text: 'all of its input is consumed: it waits for a final checkpoint before it FINISHES',
    });
  }

  /** A checkpoint taken after the end of input completed: the task FINISHES with that snapshot as its final state. */
  finalCheckpointCompleted(snapshot: SubtaskSnapshot): void {
    if (!this.endOfData || this.status !== 'RUNNING') return;
    this.finalSnapshot = { ...snapshot, finished: true };
    this.finishTask('its final checkpoint completed');
  }

  /**
   * Restored as finished (FINISHED_ON_RESTORE, FLIP-147): the task does not replay its input; it sends the end of
   * its data (watermark +∞, end of partition) and FINISHES at once.
   */
  finishOnRestore(snapshot: SubtaskSnapshot): void {
    this.writer.emitWatermark(MAX_WATERMARK);
    this.writer.broadcastEvent(ItemKind.End, 0);
    this.endOfData = true;
    this.finalSnapshot = snapshot;
    this.finishTask('it had finished before the checkpoint it restores from');
  }

  private finishTask(cause: string): void {
    this.stopRunning();
    const from = this.status;
    this.status = 'FINISHED';
    this.rt.emit({ kind: 'task-status', subtask: this.index, from, to: 'FINISHED', cause });
    this.rt.scheduler.taskFinished(this);
  }

  // ---- ValveOutput ---------------------------------------------------------------------------------------------

  valveWatermark(wm: number): void {
    this.chain.head.processWatermark(wm);
    if (wm === MAX_WATERMARK) this.rt.emit({ kind: 'watermark-max', subtask: this.index });
  }

  valveStatus(idle: boolean): void {
    this.writer.emitStatus(idle);
  }

  /** Inputs of this task (the gate's channels). */
  get inputs(): readonly Channel[] {
    return this.gate.channels;
  }
}
