/**
 * The one typed contract between the worker-side engine and the UI (DESIGN: How data flows).
 * Commands go in through Comlink (EngineApi); frames come out, at most one per UI tick.
 * Everything the UI shows is read from here: the UI never decides a semantic question itself.
 */

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
}

export interface LogEntry {
  time: number; // µs
  kind: string; // e.g. 'job', 'task', 'watermark', 'window', 'sink', 'fault', 'checkpoint'
  subtask: number | null;
  text: string; // plain-language narration, rendered as text
}

export interface SinkView {
  id: string;
  /** Number of records visible to a read-committed reader / written in total. */
  committed: number;
  written: number;
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
}

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
}
