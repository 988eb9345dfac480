/**
 * Rebuilds the run a link carries (the CLI's `run <link>` and the worker's openRun): the scenario with the link's
 * seed, each job's stamped actions replayed exactly where they happened, each restart from a savepoint with its
 * new parallelism at the virtual time the sender restarted, and the last job advanced to the playhead. When the
 * playhead names the events processed (the sender stepped event by event), the last stretch goes event by event,
 * so the trace hash is the sender's to the event.
 */
import { createEngine, type Engine, type EngineOptions } from '../engine.ts';
import type { ScenarioIssue } from '../protocol.ts';
import type { SharedRun } from './linkTypes.ts';

/** Advances an engine to a virtual time; false when the user cancelled (the engine stays where it got to). */
export type Advance = (engine: Engine, timeUs: number) => Promise<boolean>;

export type ReplayResult =
  { ok: true; engine: Engine; cancelled: boolean; restarts: number } | { ok: false; errors: ScenarioIssue[] };

/** At most this many single events to reach the sender's exact event (far more than share one microsecond). */
const MAX_EXACT_STEPS = 1_000_000;

export async function replayRun(
  run: SharedRun,
  advance: Advance,
  options: EngineOptions = {},
): Promise<ReplayResult> {
  const created = createEngine({ ...run.scenario, seed: run.seed }, options);
  if (!created.ok) return { ok: false, errors: created.errors };
  let engine = created.engine;
  const last = run.segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const seg = run.segments[i];
    if (seg === undefined) break;
    if (i > 0) {
      const r = seg.restart;
      if (r === undefined)
        return {
          ok: false,
          errors: [
            { path: `segments[${i}].restart`, message: 'missing: a later job starts from a savepoint' },
          ],
        };
      if (!(await advance(engine, r.atUs))) return { ok: true, engine, cancelled: true, restarts: i - 1 };
      const next = engine.restartFromSavepoint(r.savepointId, r.parallelism, r.taskManagers);
      if (!next.ok)
        return {
          ok: false,
          errors: next.errors.map((e) => ({
            path: `segments[${i}].restart${e.path === '' ? '' : `.${e.path}`}`,
            message: `the restart from savepoint ${r.savepointId} at ${r.atUs} µs failed: ${e.message}`,
          })),
        };
      engine = next.engine;
    }
    // Pending actions of this job: applied during the advance, each after exactly the events that preceded it.
    engine.position.futureActions = [...seg.actions];
  }
  const { timeUs, events } = run.playhead;
  if (events === undefined || events <= engine.runtime.kernel.processed) {
    const done = timeUs <= engine.now() || (await advance(engine, timeUs));
    return { ok: true, engine, cancelled: !done, restarts: last };
  }
  // The sender may have stopped between two events of one instant (stepping): run to just before it, then event
  // by event up to the sender's count, applying the actions stamped on the way.
  if (timeUs - 1 > engine.now() && !(await advance(engine, timeUs - 1)))
    return { ok: true, engine, cancelled: true, restarts: last };
  const kernel = engine.runtime.kernel;
  for (let n = 0; n < MAX_EXACT_STEPS && !engine.isFinished(); n++) {
    const action = engine.futureActions[0];
    const actionDue = action !== undefined && action.at <= timeUs && action.seq <= kernel.processed;
    if (!actionDue) {
      if (kernel.processed >= events) break;
      const next = engine.nextEventTime();
      if (next === null || next > timeUs) break;
    }
    if (!engine.stepEvent()) break;
  }
  if (engine.now() < timeUs && !engine.isFinished()) await advance(engine, timeUs);
  return { ok: true, engine, cancelled: false, restarts: last };
}
