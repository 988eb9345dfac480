import { describe, expect, it } from 'vitest';
import { createEngine, presetScenario } from '../engine.ts';

type Doc = Record<string, unknown>;

/** The set of failed checkpoint ids counted toward tolerable-failed-checkpoints (private to the coordinator). */
function countedIds(e: { runtime: { coordinator: unknown } }): Set<number> {
  return (e.runtime.coordinator as { countedIds: Set<number> }).countedIds;
}

describe('CheckpointCoordinator: counted failures stay bounded over a long run', () => {
  it('a completed checkpoint clears the ids of the failures counted before it (CheckpointFailureManager.clearCount)', () => {
    const doc = presetScenario('click-count') as Doc;
    doc.config = { ...(doc.config as Doc), 'execution.checkpointing.tolerable-failed-checkpoints': '3' };
    // Every 5 s, the checkpoint storage fails the next two uploads: a counted failure, then successes.
    doc.faults = Array.from({ length: 40 }, (_, i) => ({
      at: `${5 + i * 5} s`,
      kind: 'fail-checkpoint-storage',
      target: 'checkpoint-storage',
      count: 2,
    }));
    const r = createEngine(doc, { timeTravel: false });
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    let peak = 0;
    for (let t = 1; t <= 210; t++) {
      r.engine.runUntil(t * 1_000_000);
      peak = Math.max(peak, countedIds(r.engine).size);
    }
    const stats = r.engine.checkpointStatsJson() as { counts: { failed: number; completed: number } };
    expect(r.engine.runtime.status).toBe('RUNNING');
    expect(stats.counts.failed).toBeGreaterThanOrEqual(35);
    expect(stats.counts.completed).toBeGreaterThan(100);
    // At most the failures since the last success are remembered (here 1), not every failure of the run.
    expect(peak).toBeLessThanOrEqual(3);
  });
});
