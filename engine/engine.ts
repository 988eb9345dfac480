/**
 * The engine facade: validate a scenario, build a run, advance it, and report what happened. Used by the worker
 * shell, the CLI, the tests and the benchmarks. A run is a pure function of (engine version, scenario, seed,
 * actions) (DESIGN: Determinism).
 */
import type {
  Action,
  CorrectnessView,
  FaultCommand,
  Frame,
  JobStatus,
  ScenarioIssue,
  SideBySide,
  StampedAction,
  StateDetails,
  StepKind,
  TimelineComparison,
  TimelineInfo,
  Topology,
} from './protocol.ts';
import { JobRuntime } from './runtime/jobRuntime.ts';
import { formatTime } from './sim/time.ts';
import type { SnapshotStore } from './timeline.ts';
import { sideBySide, summaryComparison } from './timelineCompare.ts';
import { BLOCKED, type Blocking, runAsync, runNow, runSync, TimelineRun, Timelines } from './timelines.ts';
import { checkpointConfigJson } from './checkpoint/restConfig.ts';
import { unsupportedConfig } from './engineSupport.ts';
import { stateDetailsOf, stateSummaryOf, topologyOf, type StateSummary } from './engineViews.ts';
import type { KeyedBackendOptions } from './state/memoryBackend.ts';
import type { KeyedStateBackend } from './state/types.ts';
import type { CompletedCheckpoint } from './checkpoint/checkpointCoordinator.ts';
import type { StorageOptions } from './checkpoint/storage/storageEnv.ts';
import { computeCorrectness, type CorrectnessIndexes, LogIndex, RowIds } from './verification/correctness.ts';
import { getPreset, PRESETS, validateScenario } from './scenario/index.ts';
import type { Row, Scenario } from './scenario/types.ts';

export const DEFAULT_PRESET = 'click-count';

export function listPresets(): { id: string; name: string; description: string }[] {
  return PRESETS.map((p) => ({ id: p.id, name: p.name, description: p.description }));
}

/** The raw JSON of a preset (a fresh copy), or null. */
export function presetScenario(id: string): unknown {
  const p = getPreset(id);
  return p ? (JSON.parse(JSON.stringify(p.scenario)) as unknown) : null;
}

export type CreateResult = { ok: true; engine: Engine } | { ok: false; errors: ScenarioIssue[] };

export function createEngine(input: unknown, opts: EngineOptions = {}): CreateResult {
  let doc = input;
  if (opts.seed !== undefined && typeof input === 'object' && input !== null && !Array.isArray(input)) {
    doc = { ...(input as Record<string, unknown>), seed: opts.seed };
  }
  const v = validateScenario(doc);
  if (!v.ok) return { ok: false, errors: v.errors };
  const unsupported = unsupportedConfig(v.scenario);
  if (unsupported.length > 0) return { ok: false, errors: unsupported };
  try {
    return { ok: true, engine: new Engine(v.scenario, doc, opts) };
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e) }] };
  }
}

/** The JSON the CLI prints for `run --json` (README: CLI). */
export interface RunResult {
  scenario: string;
  seed: number;
  virtualTimeUs: number;
  traceHash: string;
  events: number;
  job: { status: JobStatus; restarts: number; failure: string | null };
  sinks: Record<string, { committed: Row[]; all: Row[] }>;
  checkpoints: unknown;
  state: StateSummary;
}

export interface EngineOptions {
  seed?: number;
  /** Start from this savepoint or retained checkpoint (rescaling allowed, reference 4.6). */
  fromSnapshot?: CompletedCheckpoint;
  /** Virtual time the job is submitted at (a job started from a savepoint resumes the topics' timeline). */
  startAtUs?: number;
  /** Take engine snapshots for time travel (default true; the reference run and verify need none). */
  timeTravel?: boolean;
  /** Keyed state backend factory (tests: an asynchronous backend); default: state.backend.type. */
  keyedBackend?: (opts: KeyedBackendOptions) => KeyedStateBackend;
  /** Durable checkpoint storage: the worker's or CLI's env and this job's id (engine/checkpoint/storage). */
  storage?: StorageOptions;
}

/**
 * The engine of timeline `timelineId` (its actions `actions`) at `timeUs`: restored from the nearest earlier snapshot
 * of that timeline (or built from the start) and replayed to `timeUs` (DESIGN: Determinism, scrubbing back). A side
 * engine (a comparison's) does not move the timeline's end.
 */
function* engineAt(
  base: Engine,
  timelineId: number,
  actions: readonly StampedAction[],
  timeUs: number,
  side = false,
): Blocking<Engine> {
  const snap = base.snapshots.best(actions, timeUs);
  const next = new Engine(base.scenario, base.rawScenario, base.options, {
    runtime: snap ? base.snapshots.restore(snap) : null,
    timelines: base.timelines,
    timelineId,
    side,
  });
  if (snap) {
    next.actionLog.push(...actions.slice(0, snap.actionCount));
    next.failure = snap.failure;
  }
  yield* next.position.replay(actions.slice(snap ? snap.actionCount : 0), timeUs);
  return next;
}

/**
 * Where a seek to `timeUs` starts: an engine of `engine`'s timeline restored at the nearest earlier snapshot (or at
 * the start), to be advanced to `timeUs` by the caller (the worker does it in slices with progress).
 */
export function seekStart(engine: Engine, timeUs: number): Engine {
  return runNow(seekStartWork(engine, timeUs), 'seek');
}

export function seekStartAsync(engine: Engine, timeUs: number): Promise<Engine> {
  return runAsync(seekStartWork(engine, timeUs));
}

function seekStartWork(engine: Engine, timeUs: number): Blocking<Engine> {
  const all = engine.position.allActions();
  const snap = engine.snapshots.best(all, timeUs);
  return engineAt(engine, engine.timelineId, all, snap ? snap.timeUs : 0);
}

/** A new engine of `engine`'s timeline at `timeUs` (time travel); acting there forks the timeline. */
export function seekEngine(engine: Engine, timeUs: number): Engine {
  return runNow(engineAt(engine, engine.timelineId, engine.position.allActions(), timeUs), 'seek');
}

export function seekEngineAsync(engine: Engine, timeUs: number): Promise<Engine> {
  return runAsync(engineAt(engine, engine.timelineId, engine.position.allActions(), timeUs));
}

/**
 * Switches to timeline `id` of `engine`'s run: an engine at the end that timeline reached, restored from its newest
 * snapshot and replayed at most one interval (its future was never lost).
 */
export function switchTimelineAsync(engine: Engine, id: number): Promise<Engine> {
  const tl = engine.timelines.get(id);
  return runAsync(engineAt(engine, id, tl.actions, tl.endUs));
}

/** Side engines of comparisons, per run and timeline: a slider moving forward only runs them on. */
type Side = { engine: Engine; actions: StampedAction[] };
const sideEngines = new WeakMap<Timelines, Map<number, Side>>();
/** Side engines kept per run: the two sides of the last comparison. */
const SIDES = 2;

function* sideAt(base: Engine, id: number, timeUs: number): Blocking<Engine> {
  let cache = sideEngines.get(base.timelines);
  if (cache === undefined) sideEngines.set(base.timelines, (cache = new Map<number, Side>()));
  const tl = base.timelines.get(id);
  const c = cache.get(id);
  const snap = base.snapshots.best(tl.actions, timeUs);
  // Run on from the last query when it is of the same actions (not appended to since), not past `timeUs`, and no
  // snapshot is closer.
  if (
    c !== undefined &&
    c.actions === tl.actions &&
    c.engine.now() <= timeUs &&
    (snap === null || snap.processed <= c.engine.runtime.kernel.processed)
  ) {
    yield* c.engine.position.advance(timeUs);
    return c.engine;
  }
  const e = yield* engineAt(base, id, tl.actions, timeUs, true);
  cache.delete(id);
  cache.set(id, { engine: e, actions: tl.actions });
  for (const old of cache.keys()) if (cache.size > SIDES) cache.delete(old);
  return e;
}

/**
 * Timelines `aId` and `bId` side by side at `timeUs`: both frames, both outputs and the first committed record where
 * they differ. Each side is restored from its nearest snapshot (or run on from the last query), never replayed whole.
 */
export async function compareTimelinesAsync(
  engine: Engine,
  aId: number,
  bId: number,
  timeUs: number,
): Promise<SideBySide> {
  const a = await runAsync(sideAt(engine, aId, timeUs));
  const b = await runAsync(sideAt(engine, bId, timeUs));
  return sideBySide(engine.timelines, a, b);
}
/**
 * What the correctness checks of a run keep across seeks, forks and switches (issue 7 §4): the failure-free
 * reference run (it depends on neither the actions nor the playhead: one per run, with its own engine snapshots, so
 * a seek back restores it instead of running it again from 0) and the log indexes of the reference's output and of
 * each timeline's output (a timeline's output up to a moment is the same at every later moment).
 */
interface Checking {
  reference: Engine;
  referenceLogs: Map<string, LogIndex>;
  /** Row ids shared by all these indexes. */
  rows: RowIds;
  /** Per timeline id, per output topic. */
  runLogs: Map<number, Map<string, LogIndex>>;
}
const checkings = new WeakMap<Timelines, Checking>();

function checkingOf(e: Engine): Checking {
  let c = checkings.get(e.timelines);
  if (c === undefined) {
    const doc = JSON.parse(JSON.stringify(e.rawScenario)) as Record<string, unknown>;
    doc.faults = [];
    // The memory backend computes what the IndexedDB backend does (state/lsm/presets.test.ts), synchronously.
    doc.config = {
      ...(doc.config as object),
      'state.backend.type': 'hashmap',
      'execution.checkpointing.incremental': false,
    };
    const r = createEngine(doc, { ...e.options, timeTravel: true });
    if (!r.ok) throw new Error('the reference run of a valid scenario failed to load');
    c = { reference: r.engine, referenceLogs: new Map(), rows: new RowIds(), runLogs: new Map() };
    checkings.set(e.timelines, c);
  }
  return c;
}

/** The reference run at `timeUs`: run on when it is not past it (and no snapshot is closer), else restored. */
function* referenceAt(c: Checking, timeUs: number): Blocking<Engine> {
  const ref = c.reference;
  const snap = ref.snapshots.best([], timeUs);
  if (ref.now() <= timeUs && (snap === null || snap.processed <= ref.runtime.kernel.processed)) {
    yield* ref.position.advance(timeUs);
    return ref;
  }
  c.reference = yield* engineAt(ref, ref.timelineId, [], timeUs);
  return c.reference;
}

function indexesOf(c: Checking, timelineId: number): CorrectnessIndexes {
  let run = c.runLogs.get(timelineId);
  if (run === undefined) c.runLogs.set(timelineId, (run = new Map<string, LogIndex>()));
  const at = (m: Map<string, LogIndex>, topic: string): LogIndex => {
    let i = m.get(topic);
    if (i === undefined) m.set(topic, (i = new LogIndex(c.rows)));
    return i;
  };
  return { run: (t) => at(run, t), reference: (t) => at(c.referenceLogs, t) };
}

/** How an engine is built from another (time travel, comparisons): internal to the timeline machinery. */
interface EngineParts {
  runtime: JobRuntime | null;
  timelines: Timelines;
  timelineId: number;
  /** A comparison's side engine: it does not move its timeline's end. */
  side: boolean;
}

export class Engine {
  readonly runtime: JobRuntime;
  /** Every timeline of this run and the engine snapshots they share (shared by the engines a seek creates). */
  readonly timelines: Timelines;
  /** This engine's place on its timeline: actions applied and ahead, snapshots, advancing time. */
  readonly position: TimelineRun;

  constructor(
    readonly scenario: Scenario,
    /** The raw scenario JSON (seed applied), to rebuild runs: time travel, restarts, the reference run. */
    readonly rawScenario: unknown = null,
    readonly options: EngineOptions = {},
    parts: EngineParts | null = null,
  ) {
    this.runtime =
      parts?.runtime ??
      new JobRuntime(
        scenario,
        options.fromSnapshot ?? null,
        options.startAtUs ?? 0,
        options.keyedBackend ?? null,
        options.storage ? { ...options.storage, rawScenario, jobName: scenario.name } : null,
      );
    this.timelines =
      parts?.timelines ?? new Timelines(Math.max(1, scenario.sim.snapshotEvery), this.runtime.kernel.now);
    this.position = new TimelineRun(
      this.runtime,
      this.timelines,
      parts?.timelineId ?? 0,
      options.timeTravel !== false,
      parts?.side !== true,
    );
  }

  get snapshots(): SnapshotStore {
    return this.timelines.snapshots;
  }
  /** Actions applied on this timeline, and actions of a timeline being replayed that are still ahead. */
  get actionLog(): StampedAction[] {
    return this.position.actionLog;
  }
  get futureActions(): StampedAction[] {
    return this.position.futureActions;
  }
  get failure(): string | null {
    return this.position.failure;
  }
  set failure(f: string | null) {
    this.position.failure = f;
  }
  get timelineId(): number {
    return this.position.timelineId;
  }

  now(): number {
    return this.runtime.kernel.now;
  }

  traceHash(): string {
    return this.runtime.kernel.hash.hex();
  }

  isFinished(): boolean {
    return this.runtime.isFinished();
  }

  nextEventTime(): number | null {
    return this.runtime.kernel.nextEventTime();
  }

  /** Runs every event up to `timeUs`. Returns 'blocked' when an event waits on real I/O: use runUntilAsync. */
  runUntil(timeUs: number): 'reached' | 'idle' | 'blocked' {
    const r = runSync(this.position.advance(timeUs));
    return r === BLOCKED ? 'blocked' : r;
  }

  /** runUntil, awaiting real I/O (an asynchronous state backend) wherever an event needs it. */
  async runUntilAsync(timeUs: number): Promise<void> {
    await runAsync(this.position.advance(timeUs));
  }

  /** Processes exactly one event. False when there is nothing left to do (or, here, when it waits on real I/O). */
  stepEvent(): boolean {
    const r = runSync(this.position.step());
    return r === true;
  }

  stepEventAsync(): Promise<boolean> {
    return runAsync(this.position.step());
  }

  frame(): Frame {
    const f = this.runtime.frame();
    f.forkedAt = this.timelines.has(this.timelineId) ? this.timelines.get(this.timelineId).forkedAtUs : null;
    return f;
  }

  topology(): Topology {
    return topologyOf(this.scenario, this.runtime);
  }

  /** Sink output: what a read_committed consumer sees, and every record written in order. */
  sinkOutput(): Record<string, { committed: Row[]; all: Row[] }> {
    const out: Record<string, { committed: Row[]; all: Row[] }> = {};
    for (const s of this.runtime.sinkOperators) {
      const topic = this.runtime.outputTopics.get(s.topic);
      if (!topic) continue;
      out[s.id] = { committed: topic.committedRows(), all: topic.records.map((r) => r.row) };
    }
    return out;
  }

  /** Keyed and operator state per operator id: real encoded bytes and distinct keys. */
  stateSummary(): StateSummary {
    return stateSummaryOf(this.runtime);
  }

  result(): RunResult {
    return {
      scenario: this.scenario.name,
      seed: this.scenario.seed,
      virtualTimeUs: this.now(),
      traceHash: this.traceHash(),
      events: this.runtime.kernel.processed,
      job: {
        status: this.runtime.status,
        restarts: this.runtime.restarts,
        failure: this.failure ?? this.runtime.failureMessage,
      },
      sinks: this.sinkOutput(),
      checkpoints: this.runtime.coordinator.stats.toJson(),
      state: this.stateSummary(),
    };
  }

  // ---- actions and timelines (engine/timelines.ts; DESIGN: a run is a function of scenario, seed and actions) ----

  actions(): Action[] {
    return this.position.allActions().map(({ seq: _seq, ...a }) => a);
  }

  /** Replays the stamped actions of a timeline up to `timeUs` (they define this engine's timeline). */
  replay(actions: readonly StampedAction[], timeUs: number): void {
    runNow(this.replayWork(actions, timeUs), 'replay');
  }

  replayAsync(actions: readonly StampedAction[], timeUs: number): Promise<void> {
    return runAsync(this.replayWork(actions, timeUs));
  }

  private replayWork(actions: readonly StampedAction[], timeUs: number): Blocking<void> {
    const tl = this.timelines.get(this.timelineId);
    tl.actions = [...this.actionLog, ...actions];
    return this.position.replay(actions, timeUs);
  }

  /** A new user action now. Acting where the timeline already went further forks it (the original stays). */
  act(action: Action): void {
    if (this.isFinished()) return;
    this.position.act({ ...action, at: this.now(), seq: this.runtime.kernel.processed });
  }

  /** Injects a fault now, or schedules it when `fault.at` is a later virtual time. */
  injectFault(fault: FaultCommand): void {
    if (fault.at !== undefined && fault.at > this.now()) {
      this.act({ at: this.now(), kind: 'schedule-fault', fault: { ...fault, at: fault.at } });
    } else {
      this.act({ at: this.now(), kind: 'fault', fault });
    }
  }

  /** The timelines of this run (the original and its forks), this engine's marked current. */
  timelineList(): TimelineInfo[] {
    return this.timelines.info(this.timelineId);
  }

  /** The timeline this one forked from, at the current virtual time, against this one (null: not a fork). */
  compareWithOriginal(): TimelineComparison | null {
    return runNow(this.compareWork(), 'compare');
  }

  compareWithOriginalAsync(): Promise<TimelineComparison | null> {
    return runAsync(this.compareWork());
  }

  private *compareWork(): Blocking<TimelineComparison | null> {
    const tl = this.timelines.get(this.timelineId);
    if (tl.parentId === null || !this.timelines.has(tl.parentId)) return null;
    const parent = this.timelines.get(tl.parentId);
    const orig = yield* engineAt(this, parent.id, parent.actions, this.now(), true);
    return summaryComparison(orig, this, tl.forkedAtUs ?? 0);
  }

  triggerCheckpoint(): number | null {
    const id = this.runtime.coordinator.peekNextId();
    this.act({ at: this.now(), kind: 'trigger-checkpoint' });
    return this.runtime.coordinator.peekNextId() > id ? id : null;
  }

  triggerSavepoint(): number | null {
    const id = this.runtime.coordinator.peekNextId();
    this.act({ at: this.now(), kind: 'trigger-savepoint' });
    return this.runtime.coordinator.peekNextId() > id ? id : null;
  }

  stopWithSavepoint(drain: boolean): number | null {
    const id = this.runtime.coordinator.peekNextId();
    this.act({ at: this.now(), kind: 'stop-with-savepoint', drain });
    return this.runtime.coordinator.peekNextId() > id ? id : null;
  }

  /** Runs event by event until an event of the kind was processed, or virtual time passes `limitUs`. */
  stepTo(kind: StepKind, limitUs = Number.MAX_SAFE_INTEGER): boolean {
    return runSync(this.stepToWork(kind, limitUs)) === true;
  }

  stepToAsync(kind: StepKind, limitUs = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    return runAsync(this.stepToWork(kind, limitUs));
  }

  private *stepToWork(kind: StepKind, limitUs: number): Blocking<boolean> {
    if (kind === 'event') return yield* this.position.step();
    if (yield* this.position.stepTo(kind, limitUs)) return true;
    if (!this.isFinished() && limitUs < Number.MAX_SAFE_INTEGER) {
      const what: Record<Exclude<StepKind, 'event'>, string> = {
        barrier: 'barrier',
        'checkpoint-completed': 'completed checkpoint',
        failure: 'failure',
        restore: 'restore',
      };
      this.runtime.emit({
        kind: 'notice',
        subtask: null,
        category: 'job',
        text: `No ${what[kind]} up to ${formatTime(limitUs)}: stepped there and stopped`,
      });
    }
    return false;
  }

  /**
   * Starts a new job from a completed savepoint (or retained checkpoint) of this run, with new parallelism per
   * operator id: keyed state moves by key group, operator state by its redistribution mode (reference 4.3, 4.6).
   */
  restartFromSavepoint(
    savepointId: number,
    parallelism: Record<string, number>,
    taskManagers?: number,
  ): CreateResult {
    const c = this.runtime.coordinator;
    const snap =
      c.savepoints.find((x) => x.id === savepointId) ?? c.completed.find((x) => x.id === savepointId);
    if (!snap) {
      const ids = [...c.savepoints, ...c.completed].map((x) => x.id);
      return {
        ok: false,
        errors: [
          {
            path: 'savepoint',
            message: `no completed savepoint or retained checkpoint ${savepointId}; have: ${ids.join(', ') || 'none'}`,
          },
        ],
      };
    }
    const doc = JSON.parse(JSON.stringify(this.rawScenario)) as {
      job?: { operators?: Record<string, unknown>[] };
      cluster?: Record<string, unknown>;
      faults?: unknown[];
    };
    doc.faults = []; // the new job starts fresh: the old run's scheduled faults are in its past
    if (taskManagers !== undefined) doc.cluster = { ...(doc.cluster ?? {}), taskManagers };
    const rescaled = Object.entries(parallelism).some(
      ([opId, p]) => snap.vertices.find((v) => v.operatorIds.includes(opId))?.parallelism !== p,
    );
    if (rescaled && snap.subtasks.some((s) => Object.keys(s.channelState).length > 0)) {
      return {
        ok: false,
        errors: [
          {
            path: 'savepoint',
            message: `checkpoint ${savepointId} is unaligned and holds in-flight data; this simulator rescales only from aligned snapshots: take a savepoint (always aligned) and rescale from it`,
          },
        ],
      };
    }
    for (const [opId, p] of Object.entries(parallelism)) {
      const op = doc.job?.operators?.find((o) => o.id === opId);
      if (!op)
        return {
          ok: false,
          errors: [{ path: `parallelism.${opId}`, message: `no operator "${opId}" in the job` }],
        };
      op.parallelism = p;
    }
    return createEngine(doc, { ...this.options, fromSnapshot: snap, startAtUs: this.now() });
  }

  // ---- REST views (reference 6.2) ----------------------------------------------------------------------------

  /** GET /jobs/:jobid/checkpoints */
  checkpointStatsJson(): unknown {
    return this.runtime.coordinator.stats.toJson();
  }

  /** GET /jobs/:jobid/checkpoints/details/:checkpointid */
  checkpointDetailsJson(id: number): unknown {
    return this.runtime.coordinator.stats.details(id);
  }

  /** GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid */
  subtaskDetailsJson(id: number, vertexId: string): unknown {
    return this.runtime.coordinator.stats.subtaskDetails(id, vertexId);
  }

  /** GET /jobs/:jobid/checkpoints/config (CheckpointConfigInfo). */
  checkpointConfigJson(): unknown {
    return checkpointConfigJson(this.scenario);
  }

  // ---- correctness and state ---------------------------------------------------------------------------------

  /** The sink output so far against the failure-free run of the same seed (computed here, shown by the UI). */
  correctness(): CorrectnessView {
    return runNow(this.correctnessWork(), 'the correctness check');
  }

  correctnessAsync(): Promise<CorrectnessView> {
    return runAsync(this.correctnessWork());
  }

  private *correctnessWork(): Blocking<CorrectnessView> {
    const c = checkingOf(this);
    // The reference has no downtime, so at the same virtual time (plus a margin) it is at least as far.
    const ref = yield* referenceAt(c, this.now() + 5_000_000);
    return computeCorrectness(this.runtime, ref.runtime, indexesOf(c, this.timelineId));
  }

  stateDetails(subtask: number): StateDetails {
    return stateDetailsOf(this.runtime, subtask);
  }
}
