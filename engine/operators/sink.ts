/**
 * The sink operator: appends records to its output topic with the configured delivery guarantee
 * (reference 5.4):
 * - at-least-once: writes are visible at once; a replay after recovery writes duplicates;
 * - idempotent: upserts — a replayed identical record overwrites itself, readers see it once;
 * - exactly-once: two-phase commit — records go into a transaction that is pre-committed on the barrier
 *   (its id kept in operator state), committed on notifyCheckpointComplete, aborted on failure, and
 *   re-committed (idempotently) after a restore from the checkpoint that holds it.
 */
import type { OutputTopic } from '../connectors/topic.ts';
import type { Row, SinkOp } from '../scenario/types.ts';
import type { ListState } from '../state/types.ts';
import { StreamOperator } from './operator.ts';

export class SinkOperator extends StreamOperator {
  written = 0;
  private txn = -1;
  /** Pre-committed transactions: [transaction id, checkpoint id]. */
  private pending!: ListState<readonly [number, number]>;

  constructor(
    readonly spec: SinkOp,
    readonly topic: OutputTopic,
  ) {
    super();
  }

  get transactional(): boolean {
    return this.spec.delivery === 'exactly-once';
  }

  override open(): void {
    this.pending = this.ctx.operatorState.getListState<readonly [number, number]>('pending-transactions');
    if (!this.transactional) return;
    // Restore: commit what the checkpoint holds as pre-committed, abort every other lingering transaction.
    const restored = new Set<number>();
    for (const [txn] of this.pending.get()) {
      restored.add(txn);
      if (this.topic.commit(txn)) this.txnEvent('recommit', txn);
    }
    this.pending.clear();
    for (const txn of this.topic.lingering(this.ctx.subtaskIndex)) {
      if (!restored.has(txn) && this.topic.abort(txn)) this.txnEvent('abort', txn);
    }
    this.txn = this.topic.beginTransaction(this.ctx.subtaskIndex);
  }

  processElement(row: Row): void {
    this.written++;
    this.topic.append({
      row,
      committed: !this.transactional,
      aborted: false,
      subtask: this.ctx.subtaskIndex,
      time: this.ctx.now(),
      txn: this.transactional ? this.txn : -1,
    });
    for (const f in row) {
      this.ctx.traceString(f);
      const v = row[f];
      if (typeof v === 'number') this.ctx.traceNumber(v);
      else this.ctx.traceString(v as string);
    }
  }

  private txnEvent(action: 'commit' | 'recommit' | 'abort', transaction: number): void {
    this.ctx.event({ kind: 'sink-transaction', subtask: this.ctx.subtaskIndexGlobal, action, transaction });
  }

  /** Barrier n: pre-commit the open transaction into checkpoint n and open a new one. */
  override snapshotState(checkpointId: number): void {
    if (!this.transactional) return;
    this.topic.preCommit(this.txn);
    this.pending.add([this.txn, checkpointId]);
    this.txn = this.topic.beginTransaction(this.ctx.subtaskIndex);
  }

  /** notifyCheckpointComplete(n): commit every pre-committed transaction of checkpoints <= n. */
  override notifyCheckpointComplete(checkpointId: number): void {
    if (!this.transactional) return;
    const keep: (readonly [number, number])[] = [];
    for (const e of this.pending.get()) {
      if (e[1] <= checkpointId) this.topic.commit(e[0]);
      else keep.push(e);
    }
    this.pending.update(keep);
  }

  /**
   * End of input. With checkpointing on, the task waits for a final checkpoint (FLIP-147): the open transaction is
   * pre-committed in that checkpoint's snapshotState and committed on its notifyCheckpointComplete. Without
   * checkpointing, the committer commits everything now (CommitterOperator.endInput).
   */
  override finish(): void {
    if (!this.transactional || this.ctx.finalCheckpoint) return;
    for (const [txn] of this.pending.get()) this.topic.commit(txn);
    this.pending.clear();
    this.topic.commit(this.txn);
  }

  /** Cancellation: the open transaction is aborted; pre-committed ones wait for the restore. */
  override close(): void {
    if (this.transactional && this.txn >= 0) this.topic.abort(this.txn);
  }
}
