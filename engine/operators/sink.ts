/** The sink operator: appends every record to its output topic (reference 5.4 for delivery guarantees). */
import type { OutputTopic } from '../connectors/topic.ts';
import type { Row, SinkOp } from '../scenario/types.ts';
import { StreamOperator } from './operator.ts';

export class SinkOperator extends StreamOperator {
  written = 0;

  constructor(
    readonly spec: SinkOp,
    readonly topic: OutputTopic,
  ) {
    super();
  }

  processElement(row: Row): void {
    this.written++;
    // at-least-once: the write is visible at once (KafkaSink AT_LEAST_ONCE, reference 5.4).
    this.topic.append({
      row,
      committed: true,
      aborted: false,
      subtask: this.ctx.subtaskIndex,
      time: this.ctx.now(),
      txn: -1,
    });
    for (const f in row) {
      this.ctx.traceString(f);
      const v = row[f];
      if (typeof v === 'number') this.ctx.traceNumber(v);
      else this.ctx.traceString(v as string);
    }
  }
}
