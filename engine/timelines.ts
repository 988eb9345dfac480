/**
 * Timelines (DESIGN: Determinism; issue: the runtime in Flink's shape, sections 4 and 5). A run is (scenario, seed,
 * stamped actions); acting in the past forks a new timeline and the one acted on stays as it was, with its actions
 * and its engine snapshots, so the user can switch back and compare without losing either future.
 *
 * - `Timelines`: every timeline of a run (the original and its forks) and the snapshot store they share.
 * - `TimelineRun`: one engine's position on a timeline: the actions applied, those still ahead (replayed where
 *   they happened), snapshots at every interval boundary and after every action, and advancing virtual time.
 *
 * Everything that advances time is written once as `Blocking<T>` work: a generator that yields the promise of real
 * I/O when an event waits on an asynchronous state backend, and is resumed after it. `runSync` drives it without
 * waiting (stopping where I/O is needed: the run stays valid there), `runAsync` awaits the I/O, so every entry
 * point (step, step to a kind, run to, seek, replay, compare, the reference run) has an exact asynchronous variant.
 */
import type { FaultCommand, StampedAction, StepKind, TimelineInfo } from './protocol.ts';
import type { JobRuntime } from './runtime/jobRuntime.ts';
import type { FaultSpec } from './scenario/types.ts';
import type { Kernel } from './sim/kernel.ts';
import { formatTime } from './sim/time.ts';
import { SnapshotStore } from './timeline.ts';

/** Work that may wait on real I/O: it yields the promise to await; resuming it retries where it stopped. */
export type Blocking<T> = Generator<Promise<void>, T, void>;

/** `runSync`'s answer when the work must wait on real I/O (use the asynchronous variant). */
export const BLOCKED: unique symbol = Symbol('blocked');

/** Drives `work` without waiting: its result, or BLOCKED where it needs real I/O (state is valid there). */
export function runSync<T>(work: Blocking<T>): T | typeof BLOCKED {
  const r = work.next();
  if (r.done) return r.value;
  void r.value.catch(() => undefined);
  work.return(undefined as never);
  return BLOCKED;
}

/** Drives `work` to the end, awaiting real I/O wherever an event needs it. */
export async function runAsync<T>(work: Blocking<T>): Promise<T> {
  for (let r = work.next(); ; r = work.next()) {
    if (r.done) return r.value;
    await r.value;
  }
}

/** Like runSync, for callers that cannot wait: a clear error instead of a half-done answer. */
export function runNow<T>(work: Blocking<T>, what: string): T {
  const r = runSync(work);
  if (r === BLOCKED)
    throw new Error(`${what} waits on asynchronous state I/O: use the asynchronous variant (…Async)`);
  return r;
}

/** One kernel event, awaiting I/O when it needs it; null when nothing is due up to `limit`. */
function* stepKernel(k: Kernel, limit?: number): Blocking<boolean> {
  for (;;) {
    const r = k.step(limit);
    if (r instanceof Promise) yield r;
    else return r !== null;
  }
}

/** Every event up to `limit`, awaiting I/O where an event needs it. */
function* runKernel(k: Kernel, limit: number): Blocking<'reached' | 'idle'> {
  for (;;) {
    const r = k.runUntil(limit);
    if (r.kind === 'blocked') yield r.io;
    else return r.kind;
  }
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

/** Applies one user action to the runtime, now. */
export function applyAction(rt: JobRuntime, a: StampedAction): void {
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

/** One timeline: its actions (all of them, also those ahead of any engine on it) and how far it was run. */
export interface TimelineRecord {
  id: number;
  /** The timeline it forked from (null: the original) and the virtual time of the fork. */
  parentId: number | null;
  forkedAtUs: number | null;
  actions: StampedAction[];
  /** The furthest point reached on it: virtual time and events processed. */
  endUs: number;
  endProcessed: number;
}

/** At most this many timelines are kept (the oldest forks beyond it are forgotten; the original never is). */
const MAX_TIMELINES = 24;

/** Every timeline of one run, and the engine snapshots they share (a snapshot serves every timeline with its prefix). */
export class Timelines {
  readonly snapshots: SnapshotStore;
  private readonly records: TimelineRecord[] = [];
  private nextId = 1;

  constructor(everyUs: number, startUs: number) {
    this.snapshots = new SnapshotStore(everyUs);
    this.records.push({
      id: 0,
      parentId: null,
      forkedAtUs: null,
      actions: [],
      endUs: startUs,
      endProcessed: 0,
    });
  }

  get(id: number): TimelineRecord {
    const r = this.records.find((x) => x.id === id);
    if (r === undefined)
      throw new RangeError(`no timeline ${id}; have ${this.records.map((x) => x.id).join(', ')}`);
    return r;
  }

  has(id: number): boolean {
    return this.records.some((x) => x.id === id);
  }

  all(): readonly TimelineRecord[] {
    return this.records;
  }

  /** An engine on timeline `id` got this far. */
  reached(id: number, nowUs: number, processed: number): void {
    const r = this.records.find((x) => x.id === id);
    if (r === undefined || processed < r.endProcessed) return;
    r.endProcessed = processed;
    r.endUs = Math.max(r.endUs, nowUs);
  }

  /** A new timeline forked from `parentId` at `atUs`, starting with `actions`. */
  fork(parentId: number, actions: StampedAction[], atUs: number, processed: number): TimelineRecord {
    const r: TimelineRecord = {
      id: this.nextId++,
      parentId,
      forkedAtUs: atUs,
      actions,
      endUs: atUs,
      endProcessed: processed,
    };
    this.records.push(r);
    if (this.records.length > MAX_TIMELINES) {
      const drop = this.records.findIndex((x) => x.id !== 0 && x.id !== parentId);
      if (drop >= 0) this.records.splice(drop, 1);
    }
    return r;
  }

  /** Shown in the timeline list: "Original", "Fork at 12.400 s" (numbered when two forks share a time). */
  label(id: number): string {
    const r = this.get(id);
    if (r.forkedAtUs === null) return 'Original';
    const base = `Fork at ${formatTime(r.forkedAtUs)}`;
    const same = this.records.filter((x) => x.forkedAtUs === r.forkedAtUs);
    return same.length > 1 ? `${base} (${same.indexOf(r) + 1})` : base;
  }

  info(currentId: number): TimelineInfo[] {
    return this.records.map((r) => ({
      id: r.id,
      label: this.label(r.id),
      parentId: r.parentId,
      forkedAtUs: r.forkedAtUs,
      actionCount: r.actions.length,
      endUs: r.endUs,
      current: r.id === currentId,
    }));
  }
}

/**
 * One engine's place on a timeline: actions applied so far and those still ahead, the snapshot schedule, and the
 * work that advances the runtime (written once; driven synchronously or awaiting real I/O).
 */
export class TimelineRun {
  /** Actions applied on this timeline, and actions of the timeline being replayed that are still ahead. */
  readonly actionLog: StampedAction[] = [];
  futureActions: StampedAction[] = [];
  failure: string | null = null;
  private nextSnapshotUs: number;

  constructor(
    readonly runtime: JobRuntime,
    readonly timelines: Timelines,
    public timelineId: number,
    /** Takes engine snapshots (false: the reference run and verify need none). */
    private readonly timeTravel: boolean,
    /** Records how far the timeline got (false for the side engines of a comparison). */
    readonly tracksReach = true,
  ) {
    this.nextSnapshotUs = this.snapshotAfter(runtime.kernel.now);
  }

  get kernel(): Kernel {
    return this.runtime.kernel;
  }

  isFinished(): boolean {
    return this.runtime.isFinished();
  }

  private snapshotAfter(timeUs: number): number {
    if (!this.timeTravel) return Number.MAX_SAFE_INTEGER;
    const every = this.timelines.snapshots.everyUs;
    return (Math.floor(timeUs / every) + 1) * every;
  }

  /** Snapshot at an interval boundary or after an action; skipped while real I/O is pending (seeks go further back). */
  private takeSnapshot(atAction: boolean): void {
    if (!this.timeTravel || this.isFinished()) return;
    try {
      this.timelines.snapshots.take(this.runtime, this.actionLog, this.failure, atAction, this.timelineId);
    } catch {
      // An I/O handle still referenced by the run cannot be copied: no snapshot here, a later one will do.
    }
  }

  private noteReach(): void {
    if (this.tracksReach) this.timelines.reached(this.timelineId, this.kernel.now, this.kernel.processed);
  }

  fail(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.failure = msg;
    this.runtime.failWith(msg);
  }

  /** Runs every event up to `timeUs`, in steps of the snapshot interval (a snapshot at every boundary). */
  *advance(timeUs: number): Blocking<'reached' | 'idle'> {
    if (this.isFinished()) return 'idle';
    const target = Math.floor(timeUs);
    const k = this.kernel;
    try {
      for (;;) {
        const stop = Math.min(target, this.nextSnapshotUs);
        yield* this.applyFutureActions(stop);
        const r = yield* runKernel(k, stop);
        this.noteReach();
        if (k.now >= this.nextSnapshotUs) {
          this.takeSnapshot(false);
          this.nextSnapshotUs = this.snapshotAfter(k.now);
        }
        if (stop >= target || this.isFinished()) return r;
      }
    } catch (e) {
      this.fail(e);
      return 'idle';
    }
  }

  /** Processes exactly one event (or applies the replayed action due now). False when there is nothing left. */
  *step(): Blocking<boolean> {
    if (this.isFinished()) return false;
    try {
      const next = this.futureActions[0];
      if (next !== undefined && next.seq <= this.kernel.processed) {
        this.futureActions.shift();
        this.apply(next);
        return true;
      }
      const stepped = yield* stepKernel(this.kernel);
      this.noteReach();
      return stepped;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /** Event by event until an event of the kind was processed, or virtual time would pass `limitUs`. */
  *stepTo(kind: Exclude<StepKind, 'event'>, limitUs: number): Blocking<boolean> {
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
    while (!this.isFinished()) {
      const next = this.kernel.nextEventTime();
      if (next === null || next > limitUs) break;
      if (!(yield* this.step())) break;
      if (counter() !== start) return true;
    }
    if (!this.isFinished() && limitUs < Number.MAX_SAFE_INTEGER) yield* this.advance(limitUs);
    return false;
  }

  /** Applies the actions of a timeline up to `timeUs` exactly where they happened, keeping later ones pending. */
  *replay(actions: readonly StampedAction[], timeUs: number): Blocking<void> {
    this.futureActions = [...actions];
    yield* this.advance(timeUs);
  }

  /** Re-applies pending actions stamped at or before `timeUs`, each after exactly the events that preceded it. */
  private *applyFutureActions(timeUs: number): Blocking<void> {
    const k = this.kernel;
    for (;;) {
      const a = this.futureActions[0];
      if (a === undefined || a.at > timeUs) return;
      while (k.processed < a.seq && !k.halted) {
        if (!(yield* stepKernel(k))) break;
      }
      if (k.now < a.at) yield* runKernel(k, a.at);
      this.futureActions.shift();
      this.apply(a);
    }
  }

  private apply(a: StampedAction): void {
    this.actionLog.push(a);
    applyAction(this.runtime, a);
  }

  /**
   * A new user action now. When the timeline already went further (actions ahead, or events past this point), the
   * action forks a new timeline: the one acted on keeps its actions and its snapshots.
   */
  act(action: StampedAction): void {
    const tl = this.timelines.get(this.timelineId);
    const ahead = this.futureActions.length > 0 || tl.endProcessed > this.kernel.processed;
    this.futureActions = [];
    this.apply(action);
    if (ahead) {
      this.timelineId = this.timelines.fork(
        this.timelineId,
        [...this.actionLog],
        this.kernel.now,
        this.kernel.processed,
      ).id;
    } else {
      tl.actions = [...this.actionLog];
    }
    this.noteReach();
    this.takeSnapshot(true);
  }

  /** Every action of this timeline: applied and still ahead. */
  allActions(): StampedAction[] {
    return [...this.actionLog, ...this.futureActions];
  }
}
