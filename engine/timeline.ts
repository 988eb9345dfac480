/**
 * Engine snapshots for time travel (DESIGN: Determinism): the whole runtime copied every `sim.snapshotEvery` of
 * virtual time and after every action, thinned as a run grows. A seek restores the nearest earlier snapshot of the
 * same timeline (the same actions before it) and replays at most one interval. The timelines themselves (actions,
 * forks, switching, advancing) are in ./timelines.ts; one store serves every timeline of a run.
 */
import type { StampedAction } from './protocol.ts';
import type { JobRuntime } from './runtime/jobRuntime.ts';
import { snapshotClone } from './sim/snapshot.ts';

export type { StampedAction };

/** One engine snapshot: the whole runtime at (timeUs, processed), after `actions` were applied. */
export interface EngineSnapshot {
  timeUs: number;
  processed: number;
  /** JSON of the actions applied before the snapshot (the timeline prefix it belongs to). */
  actionsKey: string;
  actionCount: number;
  runtime: JobRuntime;
  failure: string | null;
  /** Taken at an action rather than at an interval boundary. */
  atAction: boolean;
  /** The timeline whose engine took it (its newest snapshot is never thinned: switching back to it replays little). */
  timelineId: number;
}

/** Keep every snapshot of the last minute; further back one per 30 s, then one per 2 min (bounded memory). */
const DENSE_US = 60_000_000;
const MEDIUM_US = 600_000_000;
const MEDIUM_STEP_US = 30_000_000;
const SPARSE_STEP_US = 120_000_000;
const MAX_SNAPSHOTS = 400;

export function actionsKey(actions: readonly StampedAction[]): string {
  return JSON.stringify(actions);
}

export class SnapshotStore {
  private snaps: EngineSnapshot[] = [];

  constructor(readonly everyUs: number) {}

  get size(): number {
    return this.snaps.length;
  }

  list(): readonly EngineSnapshot[] {
    return this.snaps;
  }

  /** Stores a copy of the runtime as it is now (the runtime goes on; the copy never changes). */
  take(
    runtime: JobRuntime,
    actions: readonly StampedAction[],
    failure: string | null,
    atAction: boolean,
    timelineId = 0,
  ): void {
    const timeUs = runtime.kernel.now;
    const processed = runtime.kernel.processed;
    const key = actionsKey(actions);
    if (this.snaps.some((s) => s.processed === processed && s.timeUs === timeUs && s.actionsKey === key))
      return;
    this.snaps.push({
      timeUs,
      processed,
      actionsKey: key,
      actionCount: actions.length,
      runtime: snapshotClone(runtime),
      failure,
      atAction,
      timelineId,
    });
    this.thin(timeUs);
  }

  private thin(newest: number): void {
    const tips = new Map<number, EngineSnapshot>();
    for (const s of this.snaps) {
      const t = tips.get(s.timelineId);
      if (t === undefined || s.processed >= t.processed) tips.set(s.timelineId, s);
    }
    const pinned = new Set(tips.values());
    this.snaps = this.snaps.filter((s) => {
      if (pinned.has(s)) return true;
      const age = newest - s.timeUs;
      if (age <= DENSE_US) return true;
      if (s.atAction) return false;
      return age <= MEDIUM_US ? s.timeUs % MEDIUM_STEP_US === 0 : s.timeUs % SPARSE_STEP_US === 0;
    });
    if (this.snaps.length > MAX_SNAPSHOTS) {
      const excess = this.snaps.length - MAX_SNAPSHOTS;
      const drop = new Set(this.snaps.filter((s) => !pinned.has(s)).slice(0, excess));
      this.snaps = this.snaps.filter((s) => !drop.has(s));
    }
  }

  /**
   * The latest snapshot at or before `timeUs` that belongs to the timeline `actions`: it has exactly the actions
   * applied before it, and the next action of the timeline comes after it.
   */
  best(actions: readonly StampedAction[], timeUs: number): EngineSnapshot | null {
    const keys = new Map<number, string>();
    let best: EngineSnapshot | null = null;
    for (const s of this.snaps) {
      if (s.timeUs > timeUs) continue;
      if (
        best !== null &&
        (s.timeUs < best.timeUs || (s.timeUs === best.timeUs && s.processed <= best.processed))
      )
        continue;
      if (s.actionCount > actions.length) continue;
      let key = keys.get(s.actionCount);
      if (key === undefined) {
        key = actionsKey(actions.slice(0, s.actionCount));
        keys.set(s.actionCount, key);
      }
      if (key !== s.actionsKey) continue;
      const next = actions[s.actionCount];
      if (next !== undefined && (next.seq < s.processed || next.at < s.timeUs)) continue;
      best = s;
    }
    return best;
  }

  /** A fresh copy of a snapshot's runtime to run on (the snapshot stays as it is, for later seeks). */
  restore(s: EngineSnapshot): JobRuntime {
    return snapshotClone(s.runtime);
  }
}
