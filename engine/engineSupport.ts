/**
 * What this engine version supports of a valid scenario: Flink configuration the validator accepts but the engine
 * cannot honour yet is refused with the reason and the fix, never silently ignored.
 */
import type { ScenarioIssue } from './protocol.ts';
import type { Scenario } from './scenario/types.ts';
import { storageConfigIssues } from './checkpoint/storage/storageEnv.ts';

/**
 * Flink keys the validator knows but this engine cannot honour yet: refused with the reason, never ignored.
 */
export function unsupportedConfig(s: Scenario): ScenarioIssue[] {
  const c = s.config;
  const out: ScenarioIssue[] = [];
  out.push(...storageConfigIssues(s));
  if (c.bool('execution.checkpointing.incremental') && c.str('state.backend.type') !== 'indexeddb') {
    out.push({
      path: 'config["execution.checkpointing.incremental"]',
      message:
        'incremental checkpoints need the LSM backend: set state.backend.type to indexeddb (or rocksdb), or set this to false',
    });
  }
  if (
    c.bool('execution.checkpointing.unaligned.enabled') &&
    c.int('execution.checkpointing.max-concurrent-checkpoints') > 1
  ) {
    // CheckpointCoordinatorConfiguration's precondition (reference 2.7).
    out.push({
      path: 'config["execution.checkpointing.max-concurrent-checkpoints"]',
      message:
        "maxConcurrentCheckpoints can't be > 1 if UnalignedCheckpoints enabled: set execution.checkpointing.max-concurrent-checkpoints to 1 or disable execution.checkpointing.unaligned.enabled",
    });
  }
  if (c.isSet('execution.state-recovery.path')) {
    out.push({
      path: 'config["execution.state-recovery.path"]',
      message:
        'there are no snapshot paths here: start a job from a savepoint with "restart from savepoint" (UI) instead',
    });
  }
  return out;
}
