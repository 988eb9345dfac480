/**
 * Test helper (used by the link tests and the CLI's link tests): a run made the way the app makes one — a fault,
 * a savepoint, a restart from it with new parallelism (rescaling), a manual checkpoint, then single steps — and
 * the SharedRun that describes it.
 */
import { createEngine, presetScenario, type Engine } from '../engine.ts';
import type { SharedRun } from './linkTypes.ts';

export function sessionRun(options: { timeTravel?: boolean } = {}): { run: SharedRun; engine: Engine } {
  const scenario = presetScenario('click-count') as Record<string, unknown>;
  const created = createEngine(scenario, { timeTravel: options.timeTravel ?? true });
  if (!created.ok) throw new Error('click-count does not load');
  const e0 = created.engine;
  e0.runUntil(3_000_000);
  e0.injectFault({ kind: 'fail-task', target: 'counter#0' });
  e0.runUntil(9_000_000);
  const savepointId = e0.triggerSavepoint();
  if (savepointId === null) throw new Error('no savepoint was triggered');
  e0.runUntil(12_500_000);
  for (let i = 0; i < 3; i++) e0.stepEvent();
  const atUs = e0.now();
  const parallelism = { clicks: 2, counter: 3, output: 2 };
  const next = e0.restartFromSavepoint(savepointId, parallelism, 3);
  if (!next.ok) throw new Error(next.errors.map((x) => x.message).join('; '));
  const e1 = next.engine;
  e1.runUntil(16_000_000);
  e1.triggerCheckpoint();
  e1.injectFault({ kind: 'kill-taskmanager', target: 'tm-2', durationUs: 4_000_000, at: 19_000_000 });
  e1.runUntil(21_000_000);
  for (let i = 0; i < 7; i++) e1.stepEvent();
  const run: SharedRun = {
    scenario,
    seed: 42,
    segments: [
      { actions: [...e0.actionLog] },
      { restart: { savepointId, parallelism, taskManagers: 3, atUs }, actions: [...e1.actionLog] },
    ],
    playhead: { timeUs: e1.now(), events: e1.runtime.kernel.processed },
    panel: 'checkpoints/history',
  };
  return { run, engine: e1 };
}
