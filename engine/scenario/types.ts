/**
 * The validated, normalized scenario the engine runs (output of validateScenario in ./validate.ts).
 * Durations are integer microseconds of virtual time; every default is filled in; config keys are resolved to
 * their current Flink names (deprecated aliases accepted on input). The raw JSON format is documented in the
 * README ("Scenario format") and enforced by the zod schema in ./schema.ts.
 */
import type { VirtualTime } from '../sim/time.ts';

export type KeyType = 'string' | 'int' | 'long';
export type Delivery = 'at-least-once' | 'idempotent' | 'exactly-once';
export type PartitionerKind = 'forward' | 'rebalance' | 'broadcast' | 'hash';

/** A record's fields. Records are flat rows of strings and numbers. */
export type FieldValue = string | number;
export type Row = { [field: string]: FieldValue };

export type ClicksGenerator = {
  kind: 'clicks';
  pages: string[]; // default: /help /index /shop /jobs /about /news (reference 7.3)
  eventsPerWindow: number; // default 1000
  windowSizeMs: number; // default 15000
  ratePerSecond: number; // records appended per virtual second over the whole topic; default 1000
  users: number; // number of distinct users (field `user`, "user-<n>"); default 0 = no user field
  count: number | null; // total records (bounded topic) or null (unbounded)
};
export type KeyedGenerator = {
  kind: 'keyed';
  keys: number; // distinct keys; default 100
  keyType: KeyType; // default string
  keyPrefix: string; // for string keys; default "key-"
  distribution: 'round-robin' | 'uniform'; // default round-robin
  ratePerSecond: number; // default 1000
  eventTimeStepUs: number; // event time advance per record of the topic; default 1e6 / ratePerSecond
  maxOutOfOrdernessUs: number; // each record's timestamp is lowered by a seeded draw in [0, this]; default 0
  valueMin: number; // field `value` drawn in [valueMin, valueMax]; default 1..100
  valueMax: number;
  count: number | null;
};
export type TextGenerator = {
  kind: 'text';
  words: string[]; // vocabulary; default a small fixed list
  wordsPerLine: number; // default 5
  ratePerSecond: number; // default 200
  count: number | null;
};
export type Generator = ClicksGenerator | KeyedGenerator | TextGenerator;

export type Topic = { name: string; partitions: number; generator: Generator | null }; // null: output topic

export type Predicate = {
  field: string;
  op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'notIn' | 'startsWith' | 'mod';
  value: FieldValue | FieldValue[]; // array for in/notIn; for mod: [divisor, remainder]
};
export type MapFn =
  | { type: 'identity' }
  | { type: 'project'; fields: string[] }
  | { type: 'set'; field: string; value: FieldValue }
  | { type: 'upper' | 'lower'; field: string }
  | { type: 'length'; field: string; into: string }
  | { type: 'modulo'; field: string; by: number; into: string };
export type FlatMapFn =
  { type: 'split'; field: string; separator: string; into: string } | { type: 'repeat'; times: number };

export type WindowSpec =
  | { type: 'tumbling'; sizeMs: number; offsetMs: number }
  | { type: 'sliding'; sizeMs: number; slideMs: number; offsetMs: number };
export type Aggregate = 'count' | 'sum' | 'min' | 'max' | 'avg';

type OperatorCommon = {
  id: string;
  name: string; // defaults to id
  parallelism: number; // defaults to parallelism.default
  maxParallelism: number | null; // explicit per-operator max parallelism, else pipeline.max-parallelism, else null (Flink default formula)
  inputs: string[]; // ids of upstream operators ([] for sources)
  partitioner: PartitionerKind; // of the edges into this operator: hash when keyBy, else as given, else forward if parallelism equal, else rebalance
  keyBy: string | null; // field name
  keyType: KeyType; // default string
  costPerRecordUs: number; // virtual processing cost per record; default from sim.recordCost
  chaining: 'default' | 'never' | 'start-new-chain';
};
export type SourceOp = OperatorCommon & {
  kind: 'source';
  topic: string;
  timestampField: string; // default "ts"
  outOfOrdernessUs: number; // bounded out-of-orderness, default 0
  idlenessUs: number | null; // withIdleness, default null
  maxBatch: number; // max records read per poll; default 256
  /** Where a reader starts when there are no restored offsets (KafkaSource OffsetsInitializer); default earliest. */
  startingOffsets: 'earliest' | 'latest';
};
export type MapOp = OperatorCommon & { kind: 'map'; fn: MapFn };
export type FilterOp = OperatorCommon & { kind: 'filter'; where: Predicate };
export type FlatMapOp = OperatorCommon & { kind: 'flatMap'; fn: FlatMapFn };
export type UnionOp = OperatorCommon & { kind: 'union' };
export type ReduceOp = OperatorCommon & {
  kind: 'reduce';
  aggregate: Exclude<Aggregate, 'avg'>;
  field: string | null;
};
export type WindowOp = OperatorCommon & {
  kind: 'window';
  window: WindowSpec;
  aggregate: Aggregate;
  field: string | null; // required except for count
  allowedLatenessUs: number;
};
export type KeyedProcessOp = OperatorCommon & {
  kind: 'keyedProcess';
  fn: 'userActivity';
  field: string; // the field tracked per key (e.g. page)
  emitEvery: number; // emit a summary every N records of a key; default 10
  keepLast: number; // ListState keeps the last N values; default 5
  sessionGapUs: number | null; // event-time timer: emit and clear after this gap; default null
};
export type SinkOp = OperatorCommon & { kind: 'sink'; delivery: Delivery; topic: string };
export type OperatorSpec =
  SourceOp | MapOp | FilterOp | FlatMapOp | UnionOp | ReduceOp | WindowOp | KeyedProcessOp | SinkOp;

export type FaultKind =
  | 'fail-task'
  | 'kill-taskmanager'
  | 'restart-taskmanager'
  | 'fail-checkpoint-storage'
  | 'slow-task'
  | 'stall-channel'
  | 'fail-state-backend';
export type FaultSpec = {
  at: VirtualTime;
  kind: FaultKind;
  target: string; // "<operatorId>#<index>", "tm-<index>", "checkpoint-storage", or "<from>#<i>-><to>#<j>" for channels
  durationUs: number | null; // slow-task / stall-channel / kill-taskmanager (comes back after) ; null = default
  factor: number | null; // slow-task: N times slower
  count: number | null; // fail-checkpoint-storage: next N uploads fail
};

export type ConfigValue = string | number | boolean;

export type SimSettings = {
  networkLatencyUs: number; // default 1000 (1 ms)
  networkJitterUs: number; // default 0; seeded stream "jitter"
  recordCostUs: number; // default per-record processing cost, default 2
  stateBytesPerUs: number; // serialization/upload bandwidth for the async phase, bytes per µs; default 100 (100 MB/s)
  snapshotEvery: VirtualTime; // reserved: engine snapshot interval for scrubbing (seek replays from the start today); default 5 s
};

/**
 * A user action stamped with the virtual time it applies at (issue: a run is scenario + seed + actions). The
 * scenario document's `actions: [...]` and the CLI's `--action <at>:<kind>[,drain=true]` produce these; the engine
 * applies each at its time, as it applies `faults`. Faults stay in `faults`.
 */
export type ScenarioAction =
  | { atUs: VirtualTime; kind: 'checkpoint' }
  | { atUs: VirtualTime; kind: 'savepoint' }
  | { atUs: VirtualTime; kind: 'stop-with-savepoint'; drain: boolean };

export type Scenario = {
  version: 1;
  name: string;
  description: string;
  jobName: string; // job.name; default: the scenario name
  seed: number;
  cluster: { taskManagers: number; slotsPerTaskManager: number };
  topics: Topic[]; // declared topics, plus one output topic per sink (generator null)
  operators: OperatorSpec[]; // in a topological order
  /** Every known Flink key with its effective value (defaults filled); see ./config.ts. */
  config: ResolvedConfig;
  faults: FaultSpec[];
  /** User actions at virtual times (document field `actions`), in time order. */
  actions: ScenarioAction[];
  sim: SimSettings;
};

/** Typed view of the effective Flink configuration (current key names). Durations in µs, sizes in bytes. */
export interface ResolvedConfig {
  /** All effective values by current key name, as normalized values (durations µs, memory bytes). */
  readonly values: ReadonlyMap<string, ConfigValue | null>;
  /** Keys the user set explicitly (current names). */
  readonly explicit: ReadonlySet<string>;
  duration(key: string): number | null; // µs; null when unset and no default (e.g. checkpoint interval)
  int(key: string): number;
  number(key: string): number; // int or double keys (e.g. restart-strategy.exponential-delay.backoff-multiplier)
  bool(key: string): boolean;
  str(key: string): string;
  bytes(key: string): number;
  isSet(key: string): boolean;
}
