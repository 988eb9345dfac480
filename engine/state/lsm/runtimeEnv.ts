/**
 * The LSM backend's view of the runtime (lsmBackend.ts LsmEnv): the virtual clock, the highest watermark the
 * backend's task may reach in the turn being prefetched (so the keys of timers that may fire are loaded too), and
 * failing the task when a state write failed (a fault event at the current virtual time).
 */
import { ItemKind } from '../../network/channel.ts';
import type { JobRuntime } from '../../runtime/jobRuntime.ts';
import type { StreamTask } from '../../runtime/streamTask.ts';
import type { LsmEnv, LsmKeyedStateBackend } from './lsmBackend.ts';

export class RuntimeLsmEnv implements LsmEnv {
  constructor(private readonly rt: JobRuntime) {}

  now(): number {
    return this.rt.kernel.now;
  }

  private taskOf(b: LsmKeyedStateBackend): StreamTask | undefined {
    return this.rt.tasks.find((t) => t.chain.keyed.includes(b));
  }

  timerHorizon(b: LsmKeyedStateBackend): number {
    const t = this.taskOf(b);
    if (t === undefined) return Number.NEGATIVE_INFINITY;
    const now = this.rt.kernel.now;
    let h = Number.NEGATIVE_INFINITY;
    for (const ch of t.gate.channels) {
      if (ch.blocked || ch.stalledUntil > now) continue;
      for (const item of ch.flight) {
        if (item.arriveAt > now) break;
        // A watermark may advance the task's; an idle status or the end of input may release the highest seen.
        if (item.kind === ItemKind.Watermark) h = Math.max(h, item.value);
        else if (item.kind === ItemKind.Status || item.kind === ItemKind.End) return Number.MAX_SAFE_INTEGER;
      }
    }
    return h;
  }

  stateWriteFailed(b: LsmKeyedStateBackend, _message: string): void {
    const t = this.taskOf(b);
    const op = t?.info.vertex.operators[0];
    if (t === undefined || op === undefined) return;
    const now = this.rt.kernel.now;
    // count 0: the write already failed; the fault injector fails the task (faultInjector.ts).
    this.rt.scheduleFault(
      {
        at: now,
        kind: 'fail-state-backend',
        target: `${op.id}#${t.info.subtaskIndex}`,
        durationUs: null,
        factor: null,
        count: 0,
      },
      now,
    );
  }
}
