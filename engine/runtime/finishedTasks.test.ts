/**
 * Checkpoints after tasks finish (FLIP-147, DefaultCheckpointPlanCalculator) and exactly-once when faults land
 * after some tasks FINISHED (issue: hardening, section 1). Each case failed before the runtime left finished tasks
 * out of the plan, restored them as finished, and committed two-phase-commit sinks on a final checkpoint.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../engine.ts';
import { verifySeed } from '../verification/verify.ts';

type Doc = Record<string, unknown>;
const preset = (id: string): Doc => presetScenario(id) as Doc;

function engineOf(doc: unknown): Engine {
  const r = createEngine(doc);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.engine;
}

describe('exactly-once after tasks finished (verify --input 2s seeds that failed before)', () => {
  const cases: [string, number][] = [
    ['rolling-sum', 104],
    ['click-count', 107],
  ];
  for (const [id, seed] of cases) {
    it(`${id} seed ${seed}`, () => {
      const v = verifySeed(preset(id), seed, { seeds: [seed], faults: 'random', inputSeconds: 2 });
      expect(v.error).toBeNull();
      expect(v.sinks.filter((s) => !s.ok).map((s) => s.firstDifference)).toEqual([]);
      expect(v.ok).toBe(true);
    });
  }
});

describe('checkpoints after tasks finish (FLIP-147)', () => {
  /** union-two-speeds with a short bounded slow input: its source finishes while the fast one runs on. */
  function slowInputFinishesEarly(): Doc {
    const doc = preset('union-two-speeds');
    const topics = doc.topics as Record<string, { generator: Record<string, unknown> }>;
    const slow =
      Object.values(topics).find((t) => t.generator.ratePerSecond === 200) ?? Object.values(topics)[1];
    slow!.generator.count = 400;
    return doc;
  }

  it('finished tasks are left out of the plan and checkpoints keep completing', () => {
    const e = engineOf(slowInputFinishesEarly());
    e.runUntil(30_000_000);
    const rt = e.runtime;
    const finished = rt.tasks.filter((t) => t.status === 'FINISHED');
    expect(finished.length).toBeGreaterThan(0);
    const before = rt.coordinator.completedCount;
    e.runUntil(40_000_000);
    expect(rt.coordinator.completedCount).toBeGreaterThanOrEqual(before + 4); // every 2 s
    const latest = rt.coordinator.latestCompleted()!;
    // The finished subtasks are recorded as finished in the checkpoint, with their final state.
    expect(latest.subtasks.filter((s) => s.finished).length).toBe(finished.length);
    const failedTriggers = e.result().checkpoints as { counts: { failed: number } };
    expect(failedTriggers.counts.failed).toBe(0);
  });

  it('a task restored as finished does not replay its input after a failover', () => {
    const doc = slowInputFinishesEarly();
    doc.faults = [{ at: '30s', kind: 'fail-task', target: 'union#0' }];
    const e = engineOf(doc);
    e.runUntil(29_000_000);
    const slowTasks = e.runtime.tasks.filter((t) =>
      t.info.vertex.operators.some((o) => o.id === 'slowSource'),
    );
    expect(slowTasks.every((t) => t.status === 'FINISHED')).toBe(true);
    const readBefore = slowTasks.reduce((n, t) => n + t.recordsIn, 0);
    e.runUntil(40_000_000);
    expect(e.runtime.restarts).toBe(1);
    expect(slowTasks.every((t) => t.status === 'FINISHED')).toBe(true);
    // Restored as FINISHED_ON_RESTORE: no record read again.
    expect(slowTasks.reduce((n, t) => n + t.recordsIn, 0)).toBe(readBefore);
  });

  it('a bounded exactly-once job commits its last transaction on a final checkpoint, not at end of input', () => {
    const doc = preset('rolling-sum');
    const topics = doc.topics as Record<string, { generator: Record<string, unknown> }>;
    for (const t of Object.values(topics)) t.generator.count = 3000;
    const e = engineOf(doc);
    e.runUntil(120_000_000);
    expect(e.runtime.status).toBe('FINISHED');
    const sink = e.runtime.outputTopics.get('sums')!;
    expect(sink.committedCount).toBe(sink.records.length);
    // Every sink subtask finished through a checkpoint taken after its end of input.
    const log = e.frame().log;
    const finalCommits = log.filter(
      (l) =>
        l.event.kind === 'task-status' &&
        l.event.to === 'FINISHED' &&
        l.event.cause?.includes('final checkpoint'),
    );
    expect(finalCommits.length).toBe(e.runtime.tasks.length);
  });

  it('without checkpointing a two-phase-commit sink commits at the end of input', () => {
    const doc = preset('rolling-sum');
    const topics = doc.topics as Record<string, { generator: Record<string, unknown> }>;
    for (const t of Object.values(topics)) t.generator.count = 3000;
    const config = (doc.config ?? {}) as Record<string, unknown>;
    delete config['execution.checkpointing.interval'];
    doc.config = config;
    const e = engineOf(doc);
    e.runUntil(120_000_000);
    expect(e.runtime.status).toBe('FINISHED');
    const sink = e.runtime.outputTopics.get('sums')!;
    expect(sink.records.length).toBeGreaterThan(0);
    expect(sink.committedCount).toBe(sink.records.length);
  });
});
