/**
 * The one typed contract between the worker-side engine and the UI (DESIGN: How data flows).
 * Commands go in through Comlink (EngineApi); frames come out, at most one per UI tick.
 * Everything the UI shows is read from here: the UI never decides a semantic question itself.
 */

import type { SharedRun } from './link/linkTypes.ts';

export type JobStatus = 'CREATED' | 'RUNNING' | 'FAILING' | 'RESTARTING' | 'FINISHED' | 'CANCELED' | 'FAILED';

/** Flink's ExecutionState names. */
export type SubtaskStatus =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

export interface TopologyOperator {
  id: string;
  name: string;
  kind: string;
  parallelism: number;
  maxParallelism: number;
  keyBy: string | null;
  vertexId: string;
}
/** A JobVertex: a chain of operators (Flink's operator chaining). */
export interface TopologyVertex {
  id: string;
  name: string;
  operatorIds: string[];
  parallelism: number;
  maxParallelism: number;
  /** Layer for a left-to-right layout: length of the longest path from a source vertex. */
  depth: number;
}
export interface TopologySubtask {
  /** Global index into every per-subtask array of a Frame. */
  index: number;
  vertexId: string;
  subtaskIndex: number;
  /** "<vertexId>#<subtaskIndex>", as used by fault targets. */
  name: string;
  taskManager: number;
  slot: number;
  keyGroupRange: { start: number; end: number } | null;
}
export interface TopologyChannel {
  /** Global index into every per-channel array of a Frame. */
  index: number;
  from: number; // subtask index
  to: number; // subtask index
  partitioner: 'forward' | 'rebalance' | 'broadcast' | 'hash';
  capacity: number; // buffers (credits)
}
export interface TopologyEdge {
  from: string; // vertex id
  to: string;
  partitioner: 'forward' | 'rebalance' | 'broadcast' | 'hash';
}
export interface Topology {
  jobName: string;
  scenarioName: string;
  seed: number;
  operators: TopologyOperator[];
  vertices: TopologyVertex[];
  edges: TopologyEdge[];
  subtasks: TopologySubtask[];
  channels: TopologyChannel[];
  taskManagers: { index: number; name: string; slots: number }[];
  sinks: { id: string; topic: string; delivery: string }[];
}

/** Something in a channel, for the animation layer. */
export interface InFlightItem {
  channel: number;
  kind: 'data' | 'watermark' | 'barrier' | 'end';
  /** 0 = just left the sender, 1 = at the receiver's input queue; items waiting for credit are not listed. */
  progress: number;
  records: number; // data buffers only
  /** Stable id of the item, so the UI can interpolate between frames. */
  id: number;
  label: string; // e.g. "12 records", "W 14:00:01.200", "barrier 7"
  /** Barriers: the checkpoint id. */
  checkpointId?: number;
}

/** Flink's StatsSummaryDto (reference 6.2): min/max/avg and quantiles; "NaN" while nothing completed. */
export interface StatsSummaryDto {
  min: number;
  max: number;
  avg: number;
  p50: number | 'NaN';
  p90: number | 'NaN';
  p95: number | 'NaN';
  p99: number | 'NaN';
  p999: number | 'NaN';
}

/** Where a subtask is in the snapshot of one checkpoint (reference 1.4). */
export type SnapshotPhase = 'aligning' | 'sync' | 'async' | 'acknowledged' | 'declined';

export interface CheckpointProgress {
  id: number;
  type: 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';
  triggerTime: number; // µs
  acknowledged: number;
  total: number;
}

export interface CheckpointSummaryView {
  enabled: boolean;
  intervalUs: number | null;
  mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  unaligned: boolean;
  pending: CheckpointProgress[];
  latestCompleted: { id: number; time: number; stateSize: number } | null;
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  /** Completed savepoints that a job can be restarted from. */
  savepoints: { id: number; time: number; stateSize: number; parallelism: Record<string, number> }[];
}

/**
 * Bumped whenever a change alters event order on purpose (the golden traces change): a shared link made by an
 * older engine may replay differently, and the UI says so.
 */
export const ENGINE_VERSION = 3;

/** Fault kinds (the scenario's `faults`, the CLI's --fault, the UI's menus). */
export type FaultKind =
  | 'fail-task'
  | 'kill-taskmanager'
  | 'restart-taskmanager'
  | 'fail-checkpoint-storage'
  | 'slow-task'
  | 'stall-channel'
  | 'fail-state-backend';

export type CheckpointKind = 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';

/**
 * What happened in the runtime, typed per kind (the narrator turns each into one line of text). The UI reads
 * these fields, never the text. `subtask` is a global subtask index (TopologySubtask.index) or null.
 */
export type RuntimeEvent =
  | { kind: 'job-status'; from: JobStatus; to: JobStatus; cause: string | null }
  | { kind: 'task-status'; subtask: number; from: SubtaskStatus; to: SubtaskStatus; cause: string | null }
  | { kind: 'fault-injected'; fault: FaultKind; target: string }
  | { kind: 'fault-scheduled'; fault: FaultKind; target: string; atUs: number }
  | { kind: 'fault-ended'; fault: FaultKind; target: string }
  | {
      kind: 'taskmanager-lost';
      taskManager: number;
      subtasks: number[];
      detectAtUs: number;
      how: 'killed' | 'restarted';
    }
  | { kind: 'taskmanager-registered'; taskManager: number; slots: number }
  | {
      kind: 'failure-detected';
      subtasks: number[];
      cause: string;
      by: 'heartbeat-timeout' | 'rpc-failures' | 'peer-connection' | 'restart';
    }
  | {
      kind: 'restart-scheduled';
      scope: 'full' | 'region';
      subtasks: number;
      delayUs: number;
      restarts: number;
      /** Short name of the restart strategy, e.g. "exponential-delay"; the full Java toString is `strategyDetail`. */
      strategy: string;
      strategyDetail: string;
      cause: string;
    }
  | { kind: 'waiting-for-slots'; subtasks: number; needed: number; available: number }
  | { kind: 'restoring'; checkpointId: number | null; isSavepoint: boolean; subtasks: number; bytes: number }
  | { kind: 'channel-state-restored'; checkpointId: number; records: number }
  | { kind: 'running-again'; restarts: number }
  | { kind: 'job-failed'; message: string; cause: string }
  | { kind: 'checkpoint-triggered'; checkpointId: number; checkpointType: CheckpointKind }
  | { kind: 'checkpoint-trigger-failed'; reason: string; message: string; periodic: boolean }
  | { kind: 'checkpoint-queued'; pending: number }
  | { kind: 'barrier-emitted'; checkpointId: number; subtask: number; drain: boolean }
  | {
      kind: 'barrier-received';
      checkpointId: number;
      subtask: number;
      from: number;
      /** Subtasks whose barrier is still missing; the channel from `from` is blocked when aligned. */
      waitingFor: number[];
      blocking: boolean;
    }
  | { kind: 'alignment-complete'; checkpointId: number; subtask: number; inputs: number; alignmentUs: number }
  | {
      kind: 'unaligned-barrier';
      checkpointId: number;
      subtask: number;
      persistingInputs: number;
      afterTimeout: boolean;
    }
  | { kind: 'subtask-snapshot'; checkpointId: number; subtask: number; phase: SnapshotPhase; bytes: number }
  | {
      kind: 'checkpoint-declined';
      checkpointId: number;
      subtask: number;
      reason: string;
      detail: string | null;
    }
  | {
      kind: 'checkpoint-acknowledged';
      checkpointId: number;
      subtask: number;
      acknowledged: number;
      total: number;
    }
  | {
      kind: 'checkpoint-completed';
      checkpointId: number;
      checkpointType: CheckpointKind;
      subtasks: number;
      stateSize: number;
      durationUs: number;
    }
  | {
      kind: 'checkpoint-failed';
      checkpointId: number;
      checkpointType: CheckpointKind;
      reason: string;
      message: string;
      counted: boolean;
    }
  | { kind: 'stop-with-savepoint'; checkpointId: number; drain: boolean }
  | { kind: 'stop-with-savepoint-failed'; checkpointId: number; message: string }
  | { kind: 'watermark-max'; subtask: number }
  | {
      kind: 'sink-transaction';
      subtask: number;
      action: 'commit' | 'recommit' | 'abort';
      transaction: number;
    }
  | { kind: 'notice'; subtask: number | null; category: string; text: string };

export type RuntimeEventKind = RuntimeEvent['kind'];

export interface LogEntry {
  time: number; // µs
  kind: string; // category: 'job', 'task', 'watermark', 'window', 'sink', 'fault', 'checkpoint', 'barrier', 'recovery'
  subtask: number | null;
  text: string; // plain-language narration, rendered as text (one line, the docs' words)
  /** The typed event this line narrates. */
  event: RuntimeEvent;
  /** Part of the story (faults, detections, restarts, restores, checkpoint results, savepoints, job status). */
  story: boolean;
  /** Longer detail behind the line (e.g. the restart strategy's full toString), or null. */
  detail: string | null;
}

export interface SinkView {
  id: string;
  /** Number of records visible to a read-committed reader / written in total. */
  committed: number;
  written: number;
  /** Records of aborted transactions (exactly-once sinks): a read-uncommitted reader sees them, read-committed not. */
  aborted: number;
  /** The newest records (at most 50), newest last, as written. */
  recent: { committed: boolean; row: Record<string, string | number> }[];
}

export interface Frame {
  seq: number;
  time: number; // virtual µs
  status: JobStatus;
  traceHash: string;
  processedEvents: number;
  finished: boolean;
  // Per subtask (index = TopologySubtask.index)
  subtaskStatus: SubtaskStatus[];
  recordsIn: number[];
  recordsOut: number[];
  /** Share of the last frame interval spent processing (0..1), and blocked on output credit (0..1). */
  busy: number[];
  backpressured: number[];
  /** Current output watermark (event time ms), or null before the first one. */
  watermark: (number | null)[];
  stateBytes: number[];
  stateKeys: number[];
  // Per channel (index = TopologyChannel.index)
  /** Buffers queued at the sender waiting for credit, and buffers in flight or queued at the receiver. */
  channelBacklog: number[];
  channelQueued: number[];
  inFlight: InFlightItem[];
  sinks: SinkView[];
  /** Events narrated since the previous frame. */
  log: LogEntry[];
  // Checkpointing and recovery (reference 1, 2, 5).
  /** Per subtask: the newest checkpoint it takes part in and its phase there, or null. */
  subtaskPhase: ({ checkpointId: number; phase: SnapshotPhase } | null)[];
  /** Per subtask: the TaskManager of its current attempt (-1 while not deployed), and the attempt number. */
  subtaskTaskManager: number[];
  subtaskAttempt: number[];
  /** Per channel: blocked by barrier alignment; stalled by an injected fault. */
  channelBlocked: boolean[];
  channelStalled: boolean[];
  taskManagerAlive: boolean[];
  /**
   * Per TaskManager: a dead one the JobManager has not noticed yet carries the virtual time it will (the heartbeat
   * timeout, or earlier through RPC failures or a peer's broken connection); else null.
   */
  taskManagerDetectAtUs: (number | null)[];
  /** Per subtask: its TaskManager died and the JobManager has not noticed yet (lost, not yet detected). */
  subtaskLost: boolean[];
  /** Subtasks waiting in SCHEDULED because the live TaskManagers offer too few slots, or null. */
  waitingForSlots: { subtasks: number; needed: number; available: number; deadTaskManagers: number[] } | null;
  restarts: number;
  /** Why the job FAILED (Flink's text), else null. */
  failure: string | null;
  checkpoints: CheckpointSummaryView;
  /** Virtual time at which this timeline forked from an earlier one (an action after a seek back), else null. */
  forkedAt: number | null;
}

/** A fault to inject now (or, with `at`, at a virtual time): the scenario's fault kinds and targets. */
export interface FaultCommand {
  kind: FaultKind;
  /** "<operatorId>#<index>", "tm-<index>", "checkpoint-storage", or "<from>#<i>-><to>#<j>" for a channel. */
  target: string;
  durationUs?: number;
  factor?: number;
  count?: number;
  /** A virtual time (µs) later than now schedules the fault for then; absent or past: now. */
  at?: number;
}

/** One run of a timeline, summarized for comparing a fork with its original. */
export interface TimelineSummary {
  traceHash: string;
  status: JobStatus;
  restarts: number;
  checkpointsCompleted: number;
  committed: Record<string, number>;
  actions: number;
}

/** The current (forked) timeline against the one it forked from, both at the same virtual time. */
export interface TimelineComparison {
  timeUs: number;
  forkedAtUs: number;
  original: TimelineSummary;
  fork: TimelineSummary;
  sinks: { id: string; onlyInOriginal: number; onlyInFork: number; firstDifference: string | null }[];
}

/** One timeline of a run: the original, or a fork made by acting in the past (engine/timelines.ts). */
export interface TimelineInfo {
  id: number;
  /** "Original", "Fork at 12.400 s". */
  label: string;
  /** The timeline it forked from, or null for the original. */
  parentId: number | null;
  forkedAtUs: number | null;
  actionCount: number;
  /** The furthest virtual time reached on it. */
  endUs: number;
  current: boolean;
}

/**
 * The first committed record where two timelines' outputs differ (in the order they were written). Window results
 * pair by key and window; other records are compared as whole records.
 */
export interface RecordDifference {
  sink: string;
  /** Key field and value, window bounds and aggregate field of a window result; null for other records. */
  keyField: string | null;
  key: string | null;
  windowStart: number | null;
  windowEnd: number | null;
  valueField: string | null;
  /** What each timeline committed for it (several rows: duplicates; none: missing there). */
  a: Record<string, string | number>[];
  b: Record<string, string | number>[];
  /** Virtual time the earlier of the two was written. */
  atUs: number;
}

/** One side of a side-by-side comparison, at the shared virtual time. */
export interface TimelineSide {
  id: number;
  label: string;
  frame: Frame;
  summary: TimelineSummary;
  /** Per sink: committed records and the newest ones (plus those of the first difference), flagged when they differ. */
  sinks: {
    id: string;
    committed: number;
    /** `index`: position in the committed output (0 = first); `differs`: part of the first difference. */
    rows: { index: number; row: Record<string, string | number>; time: number; differs: boolean }[];
  }[];
}

/** Two timelines side by side at the same virtual time (the Compare view). */
export interface SideBySide {
  timeUs: number;
  /** Where the two timelines part (the fork's virtual time), or null when one continues the other. */
  forkedAtUs: number | null;
  /** The shared slider's range: 0 .. the furthest end of the two. */
  maxTimeUs: number;
  a: TimelineSide;
  b: TimelineSide;
  firstDifference: RecordDifference | null;
  /** Committed records only in one of them (multiset difference); null when the outputs are too long to count. */
  sinks: { id: string; onlyInA: number | null; onlyInB: number | null }[];
}

/** Step targets of the transport: the next event, or the next event of a kind. */
export type StepKind = 'event' | 'barrier' | 'checkpoint-completed' | 'failure' | 'restore';

/** The live correctness check: the sink output against the failure-free run of the same seed. */
export interface CorrectnessView {
  /** Virtual time of the run this check belongs to (panels show it, so a check never passes for a newer one). */
  timeUs: number;
  /** Virtual time the failure-free reference run has reached. */
  referenceTime: number;
  sinks: {
    id: string;
    delivery: 'at-least-once' | 'idempotent' | 'exactly-once';
    /** Some record reached the sink: there is something to check (false: "nothing to check yet"). */
    checked: boolean;
    committed: number;
    uncommitted: number;
    duplicates: number;
    /** Reference records the run has moved past without producing them. */
    lost: number;
    /** Committed records the reference never produced (e.g. a count that includes a record twice). */
    unexpected: number;
    /** Newest committed and uncommitted records with their verdict. */
    recent: {
      row: Record<string, string | number>;
      committed: boolean;
      verdict: 'ok' | 'duplicate' | 'unexpected' | 'pending';
    }[];
    /** For window results ({<key>, windowStart, windowEnd, <aggregate>}): one cell per key and window */
    windows: {
      keyField: string;
      valueField: string;
      keys: string[];
      windowStarts: number[];
      /** cells[k][w]: the committed values for key k in window w (several = duplicates), and the reference value. */
      cells: {
        values: number[];
        expected: number | null;
        verdict: 'ok' | 'duplicate' | 'lost' | 'unexpected' | 'pending';
      }[][];
    } | null;
  }[];
}

/** Per key group state of one subtask's keyed operator. */
export interface StateDetails {
  subtask: number;
  operatorId: string | null;
  keyGroupRange: { start: number; end: number } | null;
  bytes: number;
  keys: number;
  timers: number;
  perKeyGroup: { keyGroup: number; bytes: number; keys: number }[];
  /** The IndexedDB (LSM) backend's internals (state.backend.type indexeddb); absent on the memory backend. */
  lsm?: LsmDetails | null;
}

/** One subtask's LSM tree (engine/state/lsm): what the State panel shows for the IndexedDB backend. */
export interface LsmDetails {
  /** Bytes and entries in the memtable (flushed to an L0 run when it reaches writeBufferBytes). */
  memtableBytes: number;
  memtableEntries: number;
  writeBufferBytes: number;
  /** Runs and real stored bytes per level (L0 first). */
  runsPerLevel: number[];
  bytesPerLevel: number[];
  /** Block cache: lookups served from memory / loaded from IndexedDB, bytes held, capacity. */
  cacheHits: number;
  cacheMisses: number;
  cacheBytes: number;
  cacheCapacity: number;
  flushes: number;
  compactions: number;
  compactionRunning: boolean;
  compactedBytesIn: number;
  compactedBytesOut: number;
  /** Virtual time of all its IndexedDB work (reads, flushes, compactions, uploads), µs. */
  ioTimeUs: number;
  /** Real bytes written to / read from IndexedDB. */
  bytesWritten: number;
  bytesRead: number;
  incremental: boolean;
  timerService: 'HEAP' | 'ROCKSDB';
}

/** A user action, stamped with the virtual time it applied at (DESIGN: a run is a function of its actions). */
export type Action =
  | { at: number; kind: 'fault'; fault: FaultCommand }
  | { at: number; kind: 'schedule-fault'; fault: FaultCommand & { at: number } }
  | { at: number; kind: 'trigger-checkpoint' }
  | { at: number; kind: 'trigger-savepoint' }
  | { at: number; kind: 'stop-with-savepoint'; drain: boolean };

export interface ScenarioIssue {
  path: string;
  message: string;
}

export type LoadResult =
  { ok: true; topology: Topology; frame: Frame } | { ok: false; errors: ScenarioIssue[] };

/** What the worker exposes through Comlink. */
export interface EngineApi {
  /** Validates and loads a scenario into a fresh engine. On error the current engine is kept unchanged. */
  load(scenario: unknown): Promise<LoadResult>;
  listPresets(): Promise<{ id: string; name: string; description: string }[]>;
  loadPreset(id: string): Promise<LoadResult>;
  /** Starts advancing virtual time at `speed` virtual µs per real ms (1000 = real time). */
  play(speed: number): Promise<void>;
  pause(): Promise<void>;
  setSpeed(speed: number): Promise<void>;
  /** Processes exactly one event and returns the frame after it. */
  step(): Promise<Frame>;
  /** Runs (as fast as possible) until the virtual time, then returns a frame. */
  runTo(timeUs: number): Promise<Frame>;
  frame(): Promise<Frame>;
  /** Registers the frame listener (a Comlink proxy); frames are pushed while playing. */
  subscribe(listener: (frame: Frame) => void): Promise<void>;
  /** The run's trace hash at the current time (for the determinism e2e check). */
  traceHash(): Promise<string>;

  /** Runs event by event until an event of the kind has been processed (or `limitUs` of virtual time passed). */
  stepTo(kind: StepKind): Promise<Frame>;
  /**
   * Time travel: rebuilds the run from its scenario, seed and the actions stamped up to `timeUs`, and stops there.
   * Actions after `timeUs` are kept until the next action: acting in the past forks the timeline.
   */
  seek(timeUs: number): Promise<Frame>;
  /** The recorded actions of the current timeline. */
  actions(): Promise<Action[]>;
  injectFault(fault: FaultCommand): Promise<Frame>;
  triggerCheckpoint(): Promise<Frame>;
  triggerSavepoint(): Promise<Frame>;
  stopWithSavepoint(drain: boolean): Promise<Frame>;
  /**
   * Starts a new job from a completed savepoint, with new parallelism per operator id (rescaling, 4.6) and
   * optionally another number of TaskManagers (a job needs as many slots as its highest parallelism).
   */
  restartFromSavepoint(
    savepointId: number,
    parallelism: Record<string, number>,
    taskManagers?: number,
  ): Promise<LoadResult>;
  /** Flink's REST JSON: GET /jobs/:id/checkpoints, .../checkpoints/config, .../details/:id, .../details/:id/subtasks/:vertex. */
  checkpointStats(): Promise<unknown>;
  checkpointConfig(): Promise<unknown>;
  checkpointDetails(id: number): Promise<unknown>;
  subtaskDetails(id: number, vertexId: string): Promise<unknown>;
  correctness(): Promise<CorrectnessView>;
  /** The forked timeline against its original at the current virtual time, or null when there is no fork. */
  compareWithOriginal(): Promise<TimelineComparison | null>;
  stateDetails(subtask: number): Promise<StateDetails>;
}

// ---- The worker shell's own API (engine/worker.ts: pacing, moments, progress, watchdog) ----------------------

/** An action with the number of events processed before it: replaying it lands exactly where it happened. */
export type StampedAction = Action & { seq: number };

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
  /** The timelines of this run: the original and every fork (acting in the past), the current one marked. */
  timelines(): Promise<TimelineInfo[]>;
  /** Makes timeline `id` current, at the end it reached (restored from its snapshots); returns its frame. */
  switchTimeline(id: number): Promise<Frame>;
  /** Timelines `a` and `b` side by side at `timeUs`: both frames, both outputs, the first differing record. */
  compareTimelines(a: number, b: number, timeUs: number): Promise<SideBySide>;
  /**
   * Opens a shared link's run (engine/link): the scenario with its seed, each job's actions replayed where they
   * happened, its restarts from savepoints, up to the playhead (to the event). On error the current engine stays.
   */
  openRun(run: SharedRun): Promise<LoadResult>;
  /** Completed checkpoints and savepoints kept in durable checkpoint storage (IndexedDB), also after a reload. */
  retainedCheckpoints(): Promise<RetainedList>;
  /** Starts a new job from a stored checkpoint or savepoint (`flink run -s <path>`), optionally rescaled. */
  restoreFrom(path: string, options?: RestoreFromOptions): Promise<LoadResult>;
}

/** One snapshot in durable checkpoint storage (issue 9: listed after a reload). */
export interface RetainedSnapshot {
  /** External path, e.g. indexeddb://checkpoint-lab/<job-id>/chk-7 (what restoreFrom takes). */
  path: string;
  jobId: string;
  /** The scenario (job) name. */
  jobName: string;
  checkpointId: number;
  kind: 'checkpoint' | 'savepoint';
  /** REST checkpoint_type. */
  type: string;
  /** Virtual time the snapshot completed at (µs). */
  timeUs: number;
  /** Full state size (REST state_size) and the bytes stored for it. */
  stateSize: number;
  storedBytes: number;
  /** Parallelism per operator id when it was taken. */
  parallelism: Record<string, number>;
  /** Written by the run on screen in this tab (its job holds the directory's lock). */
  ownJob: boolean;
}

export interface RetainedList {
  /** False when IndexedDB cannot be used here (private mode): `reason` says why. */
  available: boolean;
  reason: string | null;
  /** Two-tab safety: "web-locks" (navigator.locks) or "in-process" (Node). */
  locking: string;
  /** Checkpoint directories found (indexeddb://<name>). */
  directories: string[];
  /** Newest first. */
  snapshots: RetainedSnapshot[];
  /** Incomplete snapshots (no _metadata) this worker removed (at its start and when listing). */
  orphansRemoved: number;
}

export interface RestoreFromOptions {
  /** New parallelism per operator id (rescaling, reference 4.6). */
  parallelism?: Record<string, number>;
  /** TaskManagers of the new job; default: enough slots for the new parallelism. */
  taskManagers?: number;
  /** execution.state-recovery.claim-mode; default: the scenario's (NO_CLAIM). */
  claimMode?: 'NO_CLAIM' | 'CLAIM';
}
