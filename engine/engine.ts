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
  StateDetails,
  StepKind,
  TimelineComparison,
  TimelineSummary,
  Topology,
} from './protocol.ts';
import { canonicalRow } from './verification/canonicalRow.ts';
import { JobRuntime } from './runtime/jobRuntime.ts';
import { formatTime } from './sim/time.ts';
import { SnapshotStore, type StampedAction } from './timeline.ts';
import { checkpointConfigJson } from './checkpoint/restConfig.ts';
import type { KeyedBackendOptions } from './state/memoryBackend.ts';
import type { KeyedStateBackend } from './state/types.ts';
import type { CompletedCheckpoint } from './checkpoint/checkpointCoordinator.ts';
import { computeCorrectness } from './verification/correctness.ts';
import { isLsmBackend } from './state/lsm/index.ts';
import { getPreset, PRESETS, validateScenario } from './scenario/index.ts';
import type { FaultSpec, Row, Scenario } from './scenario/types.ts';

export const DEFAULT_PRESET = 'click-count';

export function listPresets(): { id: string; name: string; description: string }[] {
  return PRESETS.map((p) => ({ id: p.id, name: p.name, description: p.description }));
}

/** The raw JSON of a preset (a fresh copy), or null. */
export function presetScenario(id: string): unknown {
  const p = getPreset(id);
  return p ? (JSON.parse(JSON.stringify(p.scenario)) as unknown) : null;
}

/**
 * Flink keys the validator knows but this engine cannot honour yet: refused with the reason, never ignored.
 * (The IndexedDB state backend and durable checkpoint storage are a later issue.)
 */
function unsupportedConfig(s: Scenario): ScenarioIssue[] {
  const c = s.config;
  const out: ScenarioIssue[] = [];
  if (c.str('execution.checkpointing.storage') !== 'jobmanager') {
    out.push({
      path: 'config["execution.checkpointing.storage"]',
      message:
        'only "jobmanager" checkpoint storage (JobManagerCheckpointStorage) is available in this version; remove execution.checkpointing.dir / .storage',
    });
  }
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
  state: Record<
    string,
    { bytes: number; keys: number; subtasks: { index: number; bytes: number; keys: number }[] }
  >;
}

/** A UI/CLI fault command as the runtime's fault spec, applying at `at`. */
function faultSpec(f: FaultCommand, at: number): FaultSpec {
  return {
    at,
    kind: f.kind,
    target: f.target,
    durationUs: f.durationUs ?? null,
    factor: f.factor ?? null,
    count: f.count ?? null,
  };
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
}

/**
 * The engine of timeline `actions` at `timeUs`: restored from the nearest earlier snapshot of that timeline (or
 * built from the start) and replayed to `timeUs` (DESIGN: Determinism, scrubbing back).
 */
function engineAt(base: Engine, actions: readonly StampedAction[], timeUs: number): Engine {
  const snap = base.snapshots.best(actions, timeUs);
  const next = new Engine(
    base.scenario,
    base.rawScenario,
    base.options,
    snap ? base.snapshots.restore(snap) : null,
    base.snapshots,
  );
  if (snap) {
    next.actionLog.push(...actions.slice(0, snap.actionCount));
    next.failure = snap.failure;
  }
  next.replay(actions.slice(snap ? snap.actionCount : 0), timeUs);
  return next;
}

/**
 * Where a seek to `timeUs` starts: an engine of `engine`'s timeline restored at the nearest earlier snapshot (or at
 * the start), to be advanced to `timeUs` by the caller (the worker does it in slices with progress).
 */
export function seekStart(engine: Engine, timeUs: number): Engine {
  const all = [...engine.actionLog, ...engine.futureActions];
  const snap = engine.snapshots.best(all, timeUs);
  return seekEngine(engine, snap ? snap.timeUs : 0);
}

/** A new engine of `engine`'s timeline at `timeUs` (time travel); acting there forks the timeline. */
export function seekEngine(engine: Engine, timeUs: number): Engine {
  const all = [...engine.actionLog, ...engine.futureActions];
  const next = engineAt(engine, all, timeUs);
  next.origin = all;
  next.original = engine.original;
  return next;
}

export class Engine {
  readonly runtime: JobRuntime;
  failure: string | null = null;
  /** Actions applied on this timeline, and actions of a timeline being replayed that are still ahead. */
  readonly actionLog: StampedAction[] = [];
  futureActions: StampedAction[] = [];
  private reference: Engine | null = null;
  /** The full timeline this engine was rebuilt from by a seek; an action here forks from it. */
  origin: StampedAction[] | null = null;
  /** After a fork: the timeline forked from, and when. */
  original: { actions: StampedAction[]; forkedAt: number } | null = null;

  /** Engine snapshots of this run's timelines (shared by the engines a seek creates). */
  readonly snapshots: SnapshotStore;
  private nextSnapshotUs: number;

  constructor(
    readonly scenario: Scenario,
    /** The raw scenario JSON (seed applied), to rebuild runs: time travel, restarts, the reference run. */
    readonly rawScenario: unknown = null,
    readonly options: EngineOptions = {},
    runtime: JobRuntime | null = null,
    snapshots: SnapshotStore | null = null,
  ) {
    this.runtime =
      runtime ??
      new JobRuntime(
        scenario,
        options.fromSnapshot ?? null,
        options.startAtUs ?? 0,
        options.keyedBackend ?? null,
      );
    this.snapshots = snapshots ?? new SnapshotStore(Math.max(1, scenario.sim.snapshotEvery));
    this.nextSnapshotUs = this.snapshotAfter(this.runtime.kernel.now);
  }

  private snapshotAfter(timeUs: number): number {
    if (this.options.timeTravel === false) return Number.MAX_SAFE_INTEGER;
    const every = this.snapshots.everyUs;
    return (Math.floor(timeUs / every) + 1) * every;
  }

  /** Snapshot at an interval boundary or after an action (never while real I/O is pending). */
  private takeSnapshot(atAction: boolean): void {
    if (this.options.timeTravel === false || this.isFinished()) return;
    this.snapshots.take(this.runtime, this.actionLog, this.failure, atAction);
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
    if (this.isFinished()) return 'idle';
    const target = Math.floor(timeUs);
    const kernel = this.runtime.kernel;
    try {
      // In steps of the snapshot interval: a snapshot at every boundary (time travel).
      for (;;) {
        const stop = Math.min(target, this.nextSnapshotUs);
        this.applyFutureActions(stop);
        const r = kernel.runUntil(stop);
        if (r.kind === 'blocked') return 'blocked';
        if (kernel.now >= this.nextSnapshotUs) {
          this.takeSnapshot(false);
          this.nextSnapshotUs = this.snapshotAfter(kernel.now);
        }
        if (stop >= target || this.isFinished()) return r.kind;
      }
    } catch (e) {
      this.fail(e);
      return 'idle';
    }
  }

  async runUntilAsync(timeUs: number): Promise<void> {
    if (this.isFinished()) return;
    try {
      this.applyFutureActions(Math.floor(timeUs));
      await this.runtime.kernel.runUntilAsync(Math.floor(timeUs));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Processes exactly one event. False when there is nothing left to do. */
  stepEvent(): boolean {
    if (this.isFinished()) return false;
    try {
      const next = this.futureActions[0];
      if (next !== undefined && next.seq <= this.runtime.kernel.processed) {
        this.futureActions.shift();
        this.apply(next);
        return true;
      }
      const r = this.runtime.kernel.step();
      return r !== null;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  private fail(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.failure = msg;
    this.runtime.failWith(msg);
  }

  frame(): Frame {
    const f = this.runtime.frame();
    f.forkedAt = this.original?.forkedAt ?? null;
    return f;
  }

  topology(): Topology {
    const rt = this.runtime;
    const g = rt.graph;
    return {
      jobName: this.scenario.name,
      scenarioName: this.scenario.name,
      seed: this.scenario.seed,
      operators: this.scenario.operators.map((o) => {
        const v = g.vertices.find((x) => x.operators.includes(o));
        return {
          id: o.id,
          name: o.name,
          kind: o.kind,
          parallelism: o.parallelism,
          maxParallelism: v?.maxParallelism ?? o.parallelism,
          keyBy: o.keyBy,
          vertexId: v?.id ?? o.id,
        };
      }),
      vertices: g.vertices.map((v) => ({
        id: v.id,
        name: v.name,
        operatorIds: v.operators.map((o) => o.id),
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        depth: v.depth,
      })),
      edges: g.edges.map((e) => ({ from: e.from.id, to: e.to.id, partitioner: e.partitioner })),
      subtasks: g.subtasks.map((s) => ({
        index: s.index,
        vertexId: s.vertex.id,
        subtaskIndex: s.subtaskIndex,
        name: s.name,
        taskManager: s.taskManager,
        slot: s.slot,
        keyGroupRange: s.keyGroupRange ? { start: s.keyGroupRange.start, end: s.keyGroupRange.end } : null,
      })),
      channels: rt.channels.map((c) => ({
        index: c.index,
        from: c.info.from.index,
        to: c.info.to.index,
        partitioner: c.info.edge.partitioner,
        capacity: c.capacity,
      })),
      taskManagers: Array.from({ length: this.scenario.cluster.taskManagers }, (_, i) => ({
        index: i,
        name: `tm-${i}`,
        slots: this.scenario.cluster.slotsPerTaskManager,
      })),
      sinks: rt.sinkOperators.map((s) => ({ ...s })),
    };
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
  stateSummary(): RunResult['state'] {
    const out: RunResult['state'] = {};
    for (const t of this.runtime.tasks) {
      t.info.vertex.operators.forEach((spec, i) => {
        const entry = (out[spec.id] ??= { bytes: 0, keys: 0, subtasks: [] });
        let bytes = t.chain.operatorStates[i]?.stateSize() ?? 0;
        let keys = 0;
        if (i === 0) {
          for (const b of t.chain.keyedBackends) {
            const s = b.stats();
            bytes += s.bytes;
            keys += s.keys;
          }
        }
        entry.bytes += bytes;
        entry.keys += keys;
        entry.subtasks.push({ index: t.info.subtaskIndex, bytes, keys });
      });
    }
    return out;
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

  // ---- actions and time travel (DESIGN: a run is a function of scenario, seed and stamped actions) ----------

  actions(): Action[] {
    return [...this.actionLog, ...this.futureActions].map(({ seq: _seq, ...a }) => a);
  }

  /** Applies the actions of a timeline up to `timeUs` exactly where they happened, keeping later ones pending. */
  replay(actions: readonly StampedAction[], timeUs: number): void {
    this.futureActions = [...actions];
    this.runUntil(timeUs);
  }

  /** Re-applies pending actions stamped at or before `timeUs`, each after exactly the events that preceded it. */
  private applyFutureActions(timeUs: number): void {
    const k = this.runtime.kernel;
    for (;;) {
      const a = this.futureActions[0];
      if (a === undefined || a.at > timeUs) return;
      while (k.processed < a.seq && !k.halted) {
        const r = k.step();
        if (r === null || r instanceof Promise) break;
      }
      if (k.now < a.at) k.runUntil(a.at);
      this.futureActions.shift();
      this.apply(a);
    }
  }

  private apply(a: StampedAction): void {
    this.actionLog.push(a);
    const rt = this.runtime;
    switch (a.kind) {
      case 'schedule-fault':
        rt.scheduleFaultAt(faultSpec(a.fault, a.fault.at));
        return;
      case 'fault':
        rt.injectFault(faultSpec(a.fault, rt.kernel.now));
        return;
      case 'trigger-checkpoint':
        rt.triggerCheckpoint();
        return;
      case 'trigger-savepoint':
        rt.triggerSavepoint();
        return;
      case 'stop-with-savepoint':
        rt.stopWithSavepoint(a.drain);
        return;
    }
  }

  /** A new user action now. Acting while replayed actions are still ahead forks the timeline (they are dropped). */
  act(action: Action): void {
    if (this.isFinished()) return;
    if (this.origin !== null) {
      // Acting after a seek back: this timeline forks from the one it was rebuilt from.
      this.original ??= { actions: this.origin, forkedAt: this.now() };
      this.origin = null;
    }
    this.futureActions = [];
    this.apply({ ...action, at: this.now(), seq: this.runtime.kernel.processed });
    this.takeSnapshot(true);
  }

  /** Injects a fault now, or schedules it when `fault.at` is a later virtual time. */
  injectFault(fault: FaultCommand): void {
    if (fault.at !== undefined && fault.at > this.now()) {
      this.act({ at: this.now(), kind: 'schedule-fault', fault: { ...fault, at: fault.at } });
    } else {
      this.act({ at: this.now(), kind: 'fault', fault });
    }
  }

  /** The timeline this one forked from, replayed to the current virtual time and compared with this one. */
  compareWithOriginal(): TimelineComparison | null {
    if (this.original === null) return null;
    const orig = engineAt(this, this.original.actions, this.now());
    const summary = (e: Engine, actions: number): TimelineSummary => ({
      traceHash: e.traceHash(),
      status: e.runtime.status,
      restarts: e.runtime.restarts,
      checkpointsCompleted: e.runtime.coordinator.completedCount,
      committed: Object.fromEntries(
        Object.entries(e.sinkOutput()).map(([id, o]) => [id, o.committed.length]),
      ),
      actions,
    });
    const mine = this.sinkOutput();
    const theirs = orig.sinkOutput();
    const sinks = Object.keys(mine).map((id) => {
      const count = (rows: readonly Row[]): Map<string, number> => {
        const m = new Map<string, number>();
        for (const r of rows) {
          const k = canonicalRow(r);
          m.set(k, (m.get(k) ?? 0) + 1);
        }
        return m;
      };
      const a = count(theirs[id]?.committed ?? []);
      const b = count(mine[id]?.committed ?? []);
      let onlyInOriginal = 0;
      let onlyInFork = 0;
      let firstDifference: string | null = null;
      for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
        const x = a.get(k) ?? 0;
        const y = b.get(k) ?? 0;
        if (x > y) {
          onlyInOriginal += x - y;
          firstDifference ??= `only in the original: ${k}`;
        } else if (y > x) {
          onlyInFork += y - x;
          firstDifference ??= `only in this fork: ${k}`;
        }
      }
      return { id, onlyInOriginal, onlyInFork, firstDifference };
    });
    return {
      timeUs: this.now(),
      forkedAtUs: this.original.forkedAt,
      original: summary(orig, this.original.actions.length),
      fork: summary(this, this.actionLog.length),
      sinks,
    };
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
    if (kind === 'event') return this.stepEvent();
    const rt = this.runtime;
    const counter = (): number =>
      kind === 'barrier'
        ? rt.counters.barrier
        : kind === 'checkpoint-completed'
          ? rt.coordinator.completedCount
          : kind === 'failure'
            ? rt.counters.failure
            : rt.counters.restore;
    const start = counter();
    const what: Record<Exclude<StepKind, 'event'>, string> = {
      barrier: 'barrier',
      'checkpoint-completed': 'completed checkpoint',
      failure: 'failure',
      restore: 'restore',
    };
    while (!this.isFinished()) {
      const next = this.nextEventTime();
      if (next === null || next > limitUs) break;
      if (!this.stepEvent()) break;
      if (counter() !== start) return true;
    }
    if (!this.isFinished() && limitUs < Number.MAX_SAFE_INTEGER) {
      this.runUntil(limitUs);
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

  /** The failure-free run of the same scenario and seed (no scheduled faults, no actions), advanced on demand. */
  private referenceRun(): Engine {
    if (this.reference === null) {
      const doc = JSON.parse(JSON.stringify(this.rawScenario)) as Record<string, unknown>;
      doc.faults = [];
      // The memory backend computes what the IndexedDB backend does (state/lsm/presets.test.ts), synchronously.
      doc.config = {
        ...(doc.config as object),
        'state.backend.type': 'hashmap',
        'execution.checkpointing.incremental': false,
      };
      const r = createEngine(doc, { ...this.options, timeTravel: false });
      if (!r.ok) throw new Error('the reference run of a valid scenario failed to load');
      this.reference = r.engine;
    }
    return this.reference;
  }

  /** The sink output so far against the failure-free run of the same seed (computed here, shown by the UI). */
  correctness(): CorrectnessView {
    const ref = this.referenceRun();
    // The reference has no downtime, so at the same virtual time (plus a margin) it is at least as far.
    ref.runUntil(this.now() + 5_000_000);
    return computeCorrectness(this.runtime, ref.runtime);
  }

  stateDetails(subtask: number): StateDetails {
    const t = this.runtime.tasks[subtask];
    if (!t) throw new RangeError(`no subtask ${subtask}`);
    const keyed = t.chain.keyed.findIndex((b) => b !== null);
    const b = keyed >= 0 ? t.chain.keyed[keyed] : null;
    const s = b ? b.stats() : null;
    return {
      subtask,
      operatorId: keyed >= 0 ? (t.info.vertex.operators[keyed]?.id ?? null) : null,
      keyGroupRange: t.info.keyGroupRange ? { ...t.info.keyGroupRange } : null,
      bytes: s?.bytes ?? 0,
      keys: s?.keys ?? 0,
      timers: s?.timers ?? 0,
      perKeyGroup: s
        ? s.perKeyGroup.map((k) => ({ keyGroup: k.keyGroup, bytes: k.bytes, keys: k.keys }))
        : [],
      lsm: isLsmBackend(b) ? b.lsmDetails() : null,
    };
  }
}
