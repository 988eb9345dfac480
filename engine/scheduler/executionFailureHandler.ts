/**
 * ExecutionFailureHandler (reference 5.1-5.3): on a failure the restart strategy decides whether and when, the
 * failover strategy (region / full) which tasks. Returns a FailureHandlingResult like Flink's; the scheduler acts on it.
 */
import { type FailoverStrategyName, tasksToRestart } from '../recovery/failoverRegions.ts';
import type { RestartBackoffTimeStrategy } from '../recovery/restartStrategy.ts';

export type FailureHandlingResult =
  | { canRestart: false; message: string }
  | {
      canRestart: true;
      /** Names of the subtasks to restart. */
      toRestart: Set<string>;
      delayUs: number;
      /** This failure started a new restart attempt (numRestarts + 1); exponential-delay merges close failures. */
      newAttempt: boolean;
    };

export class ExecutionFailureHandler {
  constructor(
    private readonly restartStrategy: RestartBackoffTimeStrategy,
    private readonly failover: FailoverStrategyName,
    /** Subtask names per pipelined region (computeSubtaskRegions). */
    private readonly regions: string[][],
    private readonly allSubtasks: readonly string[],
  ) {}

  /** A task failure (failed: subtask names) or, with `global`, a job-level failure that restarts everything. */
  handle(failed: readonly string[], cause: string, global: boolean, nowUs: number): FailureHandlingResult {
    const newAttempt = this.restartStrategy.notifyFailure(nowUs, cause);
    if (!this.restartStrategy.canRestart(nowUs)) {
      return { canRestart: false, message: this.restartStrategy.failureMessage() };
    }
    const toRestart = new Set<string>();
    if (global || this.failover === 'full') {
      for (const n of this.allSubtasks) toRestart.add(n);
    } else {
      for (const f of failed) for (const n of tasksToRestart(f, 'region', this.regions)) toRestart.add(n);
    }
    return { canRestart: true, toRestart, delayUs: this.restartStrategy.getBackoffTimeUs(nowUs), newAttempt };
  }

  /** Short name of the strategy for the log ("exponential-delay"), and Flink's full toString. */
  strategyName(): string {
    return this.restartStrategy.config.type;
  }

  strategyDetail(): string {
    return this.restartStrategy.describe();
  }
}
