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
  seekStartAsync,
  switchTimelineAsync,
  compareTimelinesAsync,
  type Engine,
} from './engine.ts';
import type {
  CommandProgress,
  FaultCommand,
  Frame,
  LoadResult,
  PushExtras,
  WatchSpec,
  WorkerApi,
} from './protocol.ts';
import { replayRun } from './link/replayRun.ts';
import { StorageShell } from './checkpoint/storage/storageShell.ts';

/** One tick of the pump, in real milliseconds: at most one frame per tick (about 60 a second). */
const TICK_MS = 16;
/** Longest real interval one tick may account for, so a stalled tab or a slow slice does not cause a jump. */
const MAX_SLICE_MS = 100;
/** How far ahead (virtual µs) "step to the next event of a kind" may run before it gives up. */
const STEP_TO_LIMIT_US = 300_000_000;
/** Latest virtual time a command may name: 24 h (a fault at 1e300 s would make every later seek throw). */
export const MAX_VIRTUAL_US = 86_400_000_000;
/** A long command (runTo, seek) yields to the message loop after about this much real time, to report progress. */
const CHUNK_MS = 40;

// ---- teaching time (issue 10 §1): pacing only, from facts the frame reports ------------------------------------
/** Virtual µs per real ms while checkpoint activity is on screen (0.05× real time), unless playing slower already. */
const TEACH_RATE = 50;
/** Teaching time applies up to this speed (1×); faster playback is fast-forward on purpose. */
const TEACH_MAX_SPEED = 1000;
/** Time constants (real ms) of the ease into slow motion (quick, so the start is not missed) and back out. */
const EASE_IN_MS = 30;
const EASE_OUT_MS = 350;
/** Sub-steps per tick while not yet slowed, so activity is caught close to where it starts. */
const PROBES_PER_TICK = 8;

let engine: Engine | null = null;
/** Durable checkpoint storage (IndexedDB): a fresh Flink JobID (32 hex digits) for every job submitted. */
const durable = new StorageShell(
  () => crypto.randomUUID().replace(/-/g, ''),
  (p, ms, fallback) =>
    Promise.race([p, new Promise<typeof fallback>((r) => setTimeout(() => r(fallback), ms))]),
);
/** The current engine descends from a savepoint restart: it cannot be rebuilt from the scenario and actions. */
let fromSavepoint = false;
let listener: ((frame: Frame, extras?: PushExtras) => void) | null = null;
let progressListener: ((p: CommandProgress) => void) | null = null;
let playing = false;
/** Virtual µs per real ms (1000 = real time). */
let speed = 1000;
let lastWall = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
/** A frame push the UI has not acknowledged yet: no new frame is built until it returns (no pile-up). */
let pushInFlight = false;
/** Serializes every operation that advances the engine (an async slice must finish before the next). */
let queue: Promise<unknown> = Promise.resolve();
let teaching = true;
/** 0..1: how far playback has eased into slow motion. */
let slow = 0;
let slowCheckpoint: number | null = null;
let watched: WatchSpec[] = [];
let cancelRequested = false;

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

const yieldToMessages = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Advances `e` to `target` in slices of about CHUNK_MS real time, reporting progress and yielding between slices so
 * pings and cancel get through. Returns false when cancelled (the engine stays at the time it reached).
 */
async function advanceChunked(
  e: Engine,
  target: number,
  label: CommandProgress['label'],
  from = e.now(),
): Promise<boolean> {
  cancelRequested = false;
  let step = 50_000;
  let lastReport = 0;
  while (e.now() < target && !e.isFinished()) {
    const started = performance.now();
    await advanceTo(e, Math.min(target, e.now() + step));
    const took = performance.now() - started;
    step = Math.max(1000, Math.min(step * 4, Math.round((step * CHUNK_MS) / Math.max(1, took))));
    if (e.now() >= target || e.isFinished()) break;
    if (progressListener !== null && performance.now() - lastReport > 100) {
      lastReport = performance.now();
      progressListener({ label, from, to: target, at: e.now() });
    }
    await yieldToMessages();
    if (cancelRequested) {
      cancelRequested = false;
      return false;
    }
  }
  return true;
}

/** Checkpoint activity in a frame: a barrier in flight, a blocked channel, or a subtask aligning or snapshotting. */
function checkpointActivity(f: Frame): { active: boolean; checkpointId: number | null } {
  for (const item of f.inFlight)
    if (item.kind === 'barrier') return { active: true, checkpointId: item.checkpointId ?? null };
  for (const p of f.subtaskPhase)
    if (p !== null && (p.phase === 'aligning' || p.phase === 'sync' || p.phase === 'async'))
      return { active: true, checkpointId: p.checkpointId };
  if (f.channelBlocked.some(Boolean))
    return { active: true, checkpointId: f.checkpoints.pending[0]?.id ?? null };
  return { active: false, checkpointId: null };
}

async function answer(e: Engine, spec: WatchSpec): Promise<unknown> {
  try {
    switch (spec.kind) {
      case 'checkpointStats':
        return e.checkpointStatsJson();
      case 'checkpointConfig':
        return e.checkpointConfigJson();
      case 'checkpointDetail': {
        const details = e.checkpointDetailsJson(spec.id) as { tasks?: Record<string, unknown> } | null;
        if (details === null) return null;
        const vertices = Object.keys(details.tasks ?? {})
          .map((v) => e.subtaskDetailsJson(spec.id, v))
          .filter((v) => v !== null);
        return { details, vertices };
      }
      case 'correctness':
        return await e.correctnessAsync();
      case 'stateDetails':
        return e.stateDetails(spec.subtask);
    }
  } catch {
    return null;
  }
}

function paceNow(): PushExtras['pace'] {
  return { teaching, slow, rate: effectiveRate(), checkpointId: slowCheckpoint };
}

async function momentOf(e: Engine, frame: Frame): Promise<PushExtras['moment']> {
  const data: Record<string, unknown> = {};
  for (const spec of watched) data[spec.key] = await answer(e, spec);
  return { seq: frame.seq, time: frame.time, data };
}

/**
 * Frames built but not sent (a probe inside a tick, or a push while the UI has not acknowledged the last one) hand
 * their narrated events and busy/backpressure time on to the next frame sent, so nothing is lost by pacing.
 */
let carry: { log: Frame['log']; busy: number[]; backpressured: number[]; span: number } | null = null;
/** Virtual time of the last frame built of the current engine (the span a frame's busy shares cover). */
let lastBuiltTime = 0;

function build(e: Engine): Frame {
  const f = e.frame();
  const span = Math.max(0, f.time - lastBuiltTime);
  lastBuiltTime = f.time;
  spans.set(f, span);
  if (carry !== null) {
    const c = carry;
    carry = null;
    const total = c.span + span;
    if (total > 0) {
      f.busy = f.busy.map((b, i) => ((c.busy[i] ?? 0) + b * span) / total);
      f.backpressured = f.backpressured.map((b, i) => ((c.backpressured[i] ?? 0) + b * span) / total);
    }
    f.log = [...c.log, ...f.log];
    spans.set(f, total);
  }
  return f;
}

const spans = new WeakMap<Frame, number>();

function stash(f: Frame): void {
  const span = spans.get(f) ?? 0;
  const c = (carry ??= {
    log: [],
    busy: f.busy.map(() => 0),
    backpressured: f.backpressured.map(() => 0),
    span: 0,
  });
  c.log.push(...f.log);
  f.busy.forEach((b, i) => (c.busy[i] = (c.busy[i] ?? 0) + b * span));
  f.backpressured.forEach((b, i) => (c.backpressured[i] = (c.backpressured[i] ?? 0) + b * span));
  c.span += span;
}

/** Frames are published to the panels (with the watched queries) at most this often while playing. */
const MOMENT_MS = 0;
let lastMoment = 0;

async function pushFrame(e: Engine, frame: Frame = build(e), forceMoment = false): Promise<void> {
  if (listener === null || pushInFlight) {
    stash(frame);
    return;
  }
  const now = performance.now();
  const due = forceMoment || watched.length === 0 || now - lastMoment >= MOMENT_MS;
  const moment = due ? await momentOf(e, frame) : null;
  if (due) lastMoment = now;
  pushInFlight = true;
  Promise.resolve(listener(frame, { pace: paceNow(), moment }))
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

/** The slowest rate teaching time eases to at the current speed. */
function slowRate(): number {
  return teaching && speed <= TEACH_MAX_SPEED ? Math.min(speed, TEACH_RATE) : speed;
}

/** Virtual µs per real ms now: eased between the chosen speed and the slow rate on a log scale (smooth to the eye). */
function effectiveRate(): number {
  const low = slowRate();
  if (low >= speed) return speed;
  return speed * Math.pow(low / speed, slow);
}

async function tick(): Promise<void> {
  if (!playing || engine === null) return;
  const e = engine;
  const started = performance.now();
  const elapsed = Math.min(started - lastWall, MAX_SLICE_MS);
  lastWall = started;
  const advance = Math.max(1, Math.round(elapsed * effectiveRate()));
  const target = e.now() + advance;
  let frame: Frame;
  let activity: ReturnType<typeof checkpointActivity>;
  if (slowRate() < speed && slow < 0.5) {
    // Not slowed yet: advance in sub-steps and stop where checkpoint activity begins, so the ease starts there.
    const probe = Math.max(1000, Math.ceil(advance / PROBES_PER_TICK));
    for (;;) {
      await advanceTo(e, Math.min(target, e.now() + probe));
      if (e !== engine) return;
      frame = build(e);
      activity = checkpointActivity(frame);
      if (activity.active || e.now() >= target || e.isFinished()) break;
      stash(frame); // not shown: its log and busy time go into the next frame
    }
  } else {
    await advanceTo(e, target);
    if (e !== engine) return; // a new scenario was loaded meanwhile
    frame = build(e);
    activity = checkpointActivity(frame);
  }
  const tau = activity.active ? EASE_IN_MS : EASE_OUT_MS;
  const want = activity.active && slowRate() < speed ? 1 : 0;
  slow += (want - slow) * (1 - Math.exp(-elapsed / tau));
  if (slow < 0.01) slow = 0;
  if (activity.active) slowCheckpoint = activity.checkpointId ?? slowCheckpoint;
  else if (slow === 0) slowCheckpoint = null;
  if (e.isFinished()) playing = false;
  await pushFrame(e, frame);
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
  durable.live(next);
  pushInFlight = false;
  carry = null;
  lastBuiltTime = next.now();
  slow = 0;
  slowCheckpoint = null;
}

function loadInto(scenario: unknown): LoadResult {
  let created: ReturnType<typeof createEngine>;
  try {
    created = createEngine(scenario, { storage: durable.jobOptions() });
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }] };
  }
  if (!created.ok) return { ok: false, errors: created.errors };
  durable.cancel(engine);
  replace(created.engine);
  fromSavepoint = false;
  return { ok: true, topology: created.engine.topology(), frame: created.engine.frame() };
}

/** Runs a command that changes the run (a user action) while paused, and returns the frame after it. */
function command(fn: (e: Engine) => void): Promise<Frame> {
  return exclusive(() => {
    const e = current();
    fn(e);
    lastWall = performance.now();
    return build(e);
  });
}

/** A virtual time a command may name: finite, 0 .. 24 h. */
function checkTime(us: unknown, what: string): void {
  if (typeof us !== 'number' || !Number.isFinite(us) || us < 0 || us > MAX_VIRTUAL_US)
    throw new Error(
      `${what} must be a virtual time between 0 and ${MAX_VIRTUAL_US / 3_600_000_000} h (got ${String(us)} µs)`,
    );
}

function checkFault(f: FaultCommand): void {
  if (f.at !== undefined) checkTime(f.at, 'The fault time');
  if (f.durationUs !== undefined) checkTime(f.durationUs, 'The fault duration');
  if (f.factor !== undefined && !(Number.isFinite(f.factor) && f.factor > 0 && f.factor <= 1000))
    throw new Error(`The slow-down factor must be between 0 and 1000 (got ${String(f.factor)})`);
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count >= 0 && f.count <= 1_000_000))
    throw new Error(`The count must be a whole number up to 1000000 (got ${String(f.count)})`);
}

const api: WorkerApi = {
  load(scenario) {
    return exclusive(async () => {
      await durable.ready;
      return loadInto(scenario);
    });
  },
  listPresets() {
    return Promise.resolve(listPresets());
  },
  loadPreset(id) {
    return exclusive(async () => {
      await durable.ready;
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
    return exclusive(async () => {
      if (!playing) return;
      stopPlaying();
      // The last frame after pausing, so the UI shows exactly where time stopped.
      if (engine !== null) await pushFrame(engine, build(engine), true);
    });
  },
  setSpeed(newSpeed) {
    speed = newSpeed;
    return Promise.resolve();
  },
  step() {
    return exclusive(async () => {
      const e = current();
      stopPlaying();
      await e.stepEventAsync();
      return build(e);
    });
  },
  stepTo(kind) {
    return exclusive(async () => {
      const e = current();
      stopPlaying();
      await e.stepToAsync(kind, e.now() + STEP_TO_LIMIT_US);
      return build(e);
    });
  },
  runTo(timeUs) {
    return exclusive(async () => {
      checkTime(timeUs, 'The time to run to');
      const e = current();
      if (timeUs > e.now()) await advanceChunked(e, Math.floor(timeUs), 'runTo');
      if (e.isFinished()) stopPlaying();
      lastWall = performance.now();
      return build(e);
    });
  },
  seek(timeUs) {
    return exclusive(async () => {
      checkTime(timeUs, 'The time to travel to');
      const e = current();
      const target = Math.floor(timeUs);
      // Restored from the nearest earlier engine snapshot of this timeline (or rebuilt from the start), then run on
      // in slices with progress; a cancel leaves the run where it got to, a valid moment of the same timeline.
      const next = await seekStartAsync(e, target);
      stopPlaying();
      await advanceChunked(next, target, 'seek', 0);
      replace(next);
      return build(next);
    });
  },
  frame() {
    return exclusive(() => build(current()));
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
    return command((e) => {
      checkFault(fault);
      e.injectFault(fault);
    });
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
      const e = current();
      const job = e.options.storage;
      e.options.storage = durable.jobOptions(); // the restarted job is a new job (its own JobID)
      try {
        result = e.restartFromSavepoint(savepointId, parallelism, taskManagers);
      } catch (err) {
        e.options.storage = job;
        return {
          ok: false,
          errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }],
        };
      }
      e.options.storage = job;
      if (!result.ok) return { ok: false, errors: result.errors };
      durable.cancel(e);
      replace(result.engine);
      fromSavepoint = true;
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
    return exclusive(() => current().correctnessAsync());
  },
  compareWithOriginal() {
    return exclusive(() => current().compareWithOriginalAsync());
  },
  stateDetails(subtask) {
    return exclusive(() => current().stateDetails(subtask));
  },
  setTeaching(on) {
    teaching = on;
    return Promise.resolve();
  },
  watch(specs) {
    watched = specs;
    return Promise.resolve();
  },
  moment() {
    return exclusive(async () => {
      const e = current();
      const frame = build(e);
      return { frame, extras: { pace: paceNow(), moment: await momentOf(e, frame) } };
    });
  },
  ping() {
    return Promise.resolve(performance.now());
  },
  subscribeProgress(fn) {
    progressListener = fn;
    return Promise.resolve();
  },
  cancel() {
    cancelRequested = true;
    return Promise.resolve();
  },
  timeline() {
    return exclusive(() => {
      const e = current();
      return { actions: [...e.actionLog, ...e.futureActions], restartedFromSavepoint: fromSavepoint };
    });
  },
  restore(source, actions, timeUs) {
    return exclusive(async (): Promise<LoadResult> => {
      checkTime(timeUs, 'The time to restore');
      const raw =
        'preset' in source
          ? presetScenario(source.preset === '' ? DEFAULT_PRESET : source.preset)
          : source.json;
      await durable.ready;
      const created = createEngine(raw, { storage: durable.jobOptions() });
      if (!created.ok) return { ok: false, errors: created.errors };
      const e = created.engine;
      await e.replayAsync(actions, 0);
      await advanceChunked(e, Math.floor(timeUs), 'restore', 0);
      replace(e);
      fromSavepoint = false;
      return { ok: true, topology: e.topology(), frame: e.frame() };
    });
  },
  openRun(run) {
    return exclusive(async (): Promise<LoadResult> => {
      stopPlaying();
      const r = await replayRun(run, (e, t) => advanceChunked(e, Math.floor(t), 'restore', e.now()));
      if (!r.ok) return { ok: false, errors: r.errors };
      replace(r.engine);
      fromSavepoint = r.restarts > 0;
      return { ok: true, topology: r.engine.topology(), frame: r.engine.frame() };
    });
  },
  hang() {
    // Test only (the UI offers it only on a page loaded with the test flag): a worker stuck for good.
    for (;;) {
      if (performance.now() < 0) break;
    }
    return Promise.resolve();
  },
  timelines() {
    return exclusive(() => current().timelineList());
  },
  switchTimeline(id) {
    return exclusive(async () => {
      const e = current();
      stopPlaying();
      // The timeline's end, restored from its newest engine snapshot and replayed at most one interval.
      const next = await switchTimelineAsync(e, id);
      replace(next);
      return build(next);
    });
  },
  compareTimelines(a, b, timeUs) {
    return exclusive(() => {
      checkTime(timeUs, 'The time to compare at');
      return compareTimelinesAsync(current(), a, b, Math.floor(timeUs));
    });
  },
  retainedCheckpoints() {
    return exclusive(() => durable.list());
  },
  restoreFrom(path, options) {
    return exclusive(async (): Promise<LoadResult> => {
      const result = await durable.restoreFrom(String(path), options ?? {});
      if (!result.ok) return { ok: false, errors: result.errors };
      durable.cancel(engine);
      replace(result.engine);
      fromSavepoint = true;
      return { ok: true, topology: result.engine.topology(), frame: result.engine.frame() };
    });
  },
};

expose(api);
