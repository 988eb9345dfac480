/**
 * The worker shell (DESIGN: The house). It exposes the engine to the UI through Comlink and pumps frames
 * while playing. No semantics live here: this file only decides WHEN to advance virtual time (pacing by the
 * wall clock, the one place in engine/ allowed to read it), WHEN to send a frame, and which engine instance is
 * current (a seek or a restart from a savepoint replaces it).
 */
import { expose } from 'comlink';
import {
  DEFAULT_PRESET,
  createEngine,
  listPresets,
  presetScenario,
  seekEngine,
  type Engine,
} from './engine.ts';
import type { EngineApi, Frame, LoadResult } from './protocol.ts';

/** One tick of the pump, in real milliseconds: at most one frame per tick (about 60 a second). */
const TICK_MS = 16;
/** Longest real interval one tick may account for, so a stalled tab or a slow slice does not cause a jump. */
const MAX_SLICE_MS = 100;
/** How far ahead (virtual µs) "step to the next event of a kind" may run before it gives up. */
const STEP_TO_LIMIT_US = 300_000_000;

let engine: Engine | null = null;
let listener: ((frame: Frame) => void) | null = null;
let playing = false;
/** Virtual µs per real ms (1000 = real time). */
let speed = 1000;
let lastWall = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
/** A frame push the UI has not acknowledged yet: no new frame is built until it returns (no pile-up). */
let pushInFlight = false;
/** Serializes every operation that advances the engine (an async slice must finish before the next). */
let queue: Promise<unknown> = Promise.resolve();

function exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
  const run = queue.then(fn);
  queue = run.catch(() => undefined);
  return run;
}

function current(): Engine {
  if (engine === null) throw new Error('No scenario is loaded');
  return engine;
}

/** Rethrows outside any promise so the UI's worker.onerror sees it (unhandled rejections do not propagate). */
function crash(err: unknown): void {
  setTimeout(() => {
    throw err instanceof Error ? err : new Error(String(err));
  }, 0);
}

async function advanceTo(e: Engine, target: number): Promise<void> {
  if (e.runUntil(target) === 'blocked') await e.runUntilAsync(target);
}

function pushFrame(e: Engine): void {
  if (listener === null || pushInFlight) return;
  const frame = e.frame();
  pushInFlight = true;
  Promise.resolve(listener(frame))
    .catch(() => undefined)
    .finally(() => {
      pushInFlight = false;
    });
}

function schedule(delay: number): void {
  if (timer !== null || !playing) return;
  timer = setTimeout(() => {
    timer = null;
    void exclusive(tick).catch(crash);
  }, delay);
}

async function tick(): Promise<void> {
  if (!playing || engine === null) return;
  const e = engine;
  const started = performance.now();
  const elapsed = Math.min(started - lastWall, MAX_SLICE_MS);
  lastWall = started;
  const target = e.now() + Math.max(1, Math.round(elapsed * speed));
  await advanceTo(e, target);
  if (e !== engine) return; // a new scenario was loaded meanwhile
  if (e.isFinished()) playing = false;
  pushFrame(e);
  schedule(Math.max(0, TICK_MS - (performance.now() - started)));
}

function stopPlaying(): void {
  playing = false;
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
}

/** Makes `next` the current engine (load, seek, restart from a savepoint). */
function replace(next: Engine): void {
  stopPlaying();
  engine = next;
  pushInFlight = false;
}

function loadInto(scenario: unknown): LoadResult {
  let created: ReturnType<typeof createEngine>;
  try {
    created = createEngine(scenario);
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }] };
  }
  if (!created.ok) return { ok: false, errors: created.errors };
  replace(created.engine);
  return { ok: true, topology: created.engine.topology(), frame: created.engine.frame() };
}

/** Runs a command that changes the run (a user action) while paused, and returns the frame after it. */
function command(fn: (e: Engine) => void): Promise<Frame> {
  return exclusive(() => {
    const e = current();
    fn(e);
    lastWall = performance.now();
    return e.frame();
  });
}

const api: EngineApi = {
  load(scenario) {
    return exclusive(() => loadInto(scenario));
  },
  listPresets() {
    return Promise.resolve(listPresets());
  },
  loadPreset(id) {
    return exclusive(() => {
      const raw = presetScenario(id === '' ? DEFAULT_PRESET : id);
      if (raw === null)
        return { ok: false, errors: [{ path: 'preset', message: `Unknown preset "${id}".` }] };
      return loadInto(raw);
    });
  },
  play(newSpeed) {
    return exclusive(() => {
      speed = newSpeed;
      const e = current();
      if (playing || e.isFinished()) return;
      playing = true;
      lastWall = performance.now();
      schedule(0);
    });
  },
  pause() {
    return exclusive(() => {
      if (!playing) return;
      stopPlaying();
      // The last frame after pausing, so the UI shows exactly where time stopped.
      if (engine !== null) pushFrame(engine);
    });
  },
  setSpeed(newSpeed) {
    speed = newSpeed;
    return Promise.resolve();
  },
  step() {
    return exclusive(() => {
      const e = current();
      stopPlaying();
      e.stepEvent();
      return e.frame();
    });
  },
  stepTo(kind) {
    return exclusive(() => {
      const e = current();
      stopPlaying();
      e.stepTo(kind, e.now() + STEP_TO_LIMIT_US);
      return e.frame();
    });
  },
  runTo(timeUs) {
    return exclusive(async () => {
      const e = current();
      if (timeUs > e.now()) await advanceTo(e, Math.floor(timeUs));
      if (e.isFinished()) stopPlaying();
      lastWall = performance.now();
      return e.frame();
    });
  },
  seek(timeUs) {
    return exclusive(() => {
      const next = seekEngine(current(), Math.max(0, Math.floor(timeUs)));
      replace(next);
      return next.frame();
    });
  },
  frame() {
    return exclusive(() => current().frame());
  },
  subscribe(fn) {
    listener = fn;
    pushInFlight = false;
    return Promise.resolve();
  },
  traceHash() {
    return exclusive(() => current().traceHash());
  },
  actions() {
    return exclusive(() => current().actions());
  },
  injectFault(fault) {
    return command((e) => e.injectFault(fault));
  },
  triggerCheckpoint() {
    return command((e) => void e.triggerCheckpoint());
  },
  triggerSavepoint() {
    return command((e) => void e.triggerSavepoint());
  },
  stopWithSavepoint(drain) {
    return command((e) => void e.stopWithSavepoint(drain));
  },
  restartFromSavepoint(savepointId, parallelism, taskManagers) {
    return exclusive((): LoadResult => {
      let result: ReturnType<Engine['restartFromSavepoint']>;
      try {
        result = current().restartFromSavepoint(savepointId, parallelism, taskManagers);
      } catch (err) {
        return {
          ok: false,
          errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }],
        };
      }
      if (!result.ok) return { ok: false, errors: result.errors };
      replace(result.engine);
      return { ok: true, topology: result.engine.topology(), frame: result.engine.frame() };
    });
  },
  checkpointStats() {
    return exclusive(() => current().checkpointStatsJson());
  },
  checkpointConfig() {
    return exclusive(() => current().checkpointConfigJson());
  },
  checkpointDetails(id) {
    return exclusive(() => current().checkpointDetailsJson(id));
  },
  subtaskDetails(id, vertexId) {
    return exclusive(() => current().subtaskDetailsJson(id, vertexId));
  },
  correctness() {
    return exclusive(() => current().correctness());
  },
  compareWithOriginal() {
    return exclusive(() => current().compareWithOriginal());
  },
  stateDetails(subtask) {
    return exclusive(() => current().stateDetails(subtask));
  },
};

expose(api);
