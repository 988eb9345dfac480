/** The worker shell's API (pacing, moments, progress, watchdog): declared once, in engine/protocol.ts. */
export type {
  CommandProgress,
  PushExtras,
  StampedAction,
  WatchSpec,
  WorkerApi,
} from '../../engine/protocol.ts';
