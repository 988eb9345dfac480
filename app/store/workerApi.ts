/**
 * The worker shell's own API (engine/worker.ts: pacing, moments, progress, watchdog), mirrored here because app/
 * may import only engine/protocol.ts from the engine. The worker's file declares the same types; keep them in step
 * (a mismatch fails the type check where engineClient wraps the worker only if the shapes differ in use).
 */
import type { Action, EngineApi, Frame, LoadResult } from '../../engine/protocol.ts';

/** What the worker sends with each frame besides the frame itself. */
export interface PushExtras {
  /** Teaching time: the current slow-motion share (0 = normal speed, 1 = fully slowed) and why. */
  pace: { teaching: boolean; slow: number; rate: number; checkpointId: number | null };
  /**
   * Results of the watched queries computed at exactly this frame (one moment): present on frames the UI should
   * publish to its panels; absent on frames meant only for the animation.
   */
  moment: { seq: number; time: number; data: Record<string, unknown> } | null;
}

/** A question a panel keeps asking: answered with each published frame, at the same moment. */
export type WatchSpec =
  | { key: string; kind: 'checkpointStats' }
  | { key: string; kind: 'checkpointConfig' }
  | { key: string; kind: 'checkpointDetail'; id: number }
  | { key: string; kind: 'correctness' }
  | { key: string; kind: 'stateDetails'; subtask: number };

/** Progress of a long command (runTo, seek) in virtual time. */
export interface CommandProgress {
  label: 'runTo' | 'seek' | 'restore';
  from: number;
  to: number;
  at: number;
}

/** An action with the number of events processed before it: replaying it lands exactly where it happened. */
export type StampedAction = Action & { seq: number };

/** The worker's API: the engine contract plus the shell's own controls (pacing, moments, progress, watchdog). */
export interface WorkerApi extends EngineApi {
  subscribe(listener: (frame: Frame, extras?: PushExtras) => void): Promise<void>;
  setTeaching(on: boolean): Promise<void>;
  watch(specs: WatchSpec[]): Promise<void>;
  /** The current frame with the watched queries answered at the same moment. */
  moment(): Promise<{ frame: Frame; extras: PushExtras }>;
  /** Answers at once, even while a long command runs (it yields between chunks): the watchdog's heartbeat. */
  ping(): Promise<number>;
  subscribeProgress(listener: (p: CommandProgress) => void): Promise<void>;
  /** Stops a running long command where it is (the run stays valid at the time it reached). */
  cancel(): Promise<void>;
  /** The actions of the current timeline with their event counts, so a new worker can rebuild this run. */
  timeline(): Promise<{ actions: StampedAction[]; restartedFromSavepoint: boolean }>;
  /** A new engine from the scenario, replaying the stamped actions up to `timeUs` (watchdog recovery). */
  restore(
    source: { preset: string } | { json: unknown },
    actions: StampedAction[],
    timeUs: number,
  ): Promise<LoadResult>;
  /** Test only: spins forever, as a worker stuck in an infinite loop would. */
  hang(): Promise<void>;
}
