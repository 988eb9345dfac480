/**
 * The table of Flink configuration keys the simulator understands (reference 2.1, 1.6, 3.1-3.2, 5.1-5.3, 7): each
 * key's current name, deprecated aliases, type, default, bounds and one-line meaning. config.ts resolves a scenario's
 * `config` object against it.
 */
import type { ConfigValue } from './types.ts';

export type ConfigType = 'duration' | 'int' | 'double' | 'bool' | 'enum' | 'string' | 'memory';

export interface ConfigKeySpec {
  /** Current Flink key. */
  readonly key: string;
  /** Deprecated keys still accepted on input (reference 2.1: "old keys still accepted"). */
  readonly aliases: readonly string[];
  readonly type: ConfigType;
  /** Flink's default, normalized (µs, bytes, canonical enum value); null when Flink has none. */
  readonly default: ConfigValue | null;
  /** Enum: the canonical values. */
  readonly values?: readonly string[];
  /** Enum: other accepted spellings (lower case) and the canonical value each stands for. */
  readonly valueAliases?: Readonly<Record<string, string>>;
  /** Enum: values Flink knows but the simulator refuses (lower case), with the message saying what to use. */
  readonly rejectedValues?: Readonly<Record<string, string>>;
  /** Bounds Flink enforces, in normalized units (µs for durations, bytes for memory). */
  readonly min?: number;
  readonly max?: number;
  /** Further check with Flink's own message; returns an error message or null. */
  readonly check?: (value: number) => string | null;
  readonly description: string;
  /** Where the rule or default comes from (flink-reference.md section or DESIGN). */
  readonly section: string;
}

export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;
/** CheckpointCoordinatorConfiguration.MINIMAL_CHECKPOINT_TIME (reference 2.1). */
export const MINIMAL_CHECKPOINT_TIME_US = 10_000;
/** KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM (reference 4.5). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

export type Spec = Omit<ConfigKeySpec, 'default' | 'aliases'> & {
  aliases?: readonly string[];
  /** Default in Flink's textual form ("10 min", "32 kb") or as a value; null = none. */
  dflt: string | number | boolean | null;
};

export const SPECS: readonly Spec[] = [
  // ---- Checkpointing (reference 2.1) ----
  {
    key: 'execution.checkpointing.interval',
    type: 'duration',
    dflt: null,
    check: (us) =>
      us < MINIMAL_CHECKPOINT_TIME_US ? 'Checkpoint interval must be larger than or equal to 10 ms' : null,
    description: 'Base checkpoint trigger interval; checkpointing is disabled while unset. Minimum 10 ms.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.interval-during-backlog',
    type: 'duration',
    dflt: null,
    // Below MINIMAL_CHECKPOINT_TIME (10 ms) Flink treats it as disabled: no checkpoints during backlog.
    description:
      'Interval used while a source reports it is processing backlog (FLIP-309); below 10 ms (e.g. 0) no checkpoints run during backlog.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.mode',
    type: 'enum',
    values: ['EXACTLY_ONCE', 'AT_LEAST_ONCE'],
    dflt: 'EXACTLY_ONCE',
    description: 'Checkpointing mode: EXACTLY_ONCE aligns barriers, AT_LEAST_ONCE does not block inputs.',
    section: 'reference 2.1, 1.3',
  },
  {
    key: 'execution.checkpointing.timeout',
    type: 'duration',
    dflt: '10 min',
    check: (us) =>
      us < MINIMAL_CHECKPOINT_TIME_US ? 'Checkpoint timeout must be larger than or equal to 10 ms' : null,
    description: 'A pending checkpoint older than this is aborted (CHECKPOINT_EXPIRED).',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.min-pause',
    type: 'duration',
    dflt: '0 ms',
    description:
      'Minimal time between the completion of one checkpoint and the trigger of the next periodic one.',
    section: 'reference 2.1, 2.2',
  },
  {
    key: 'execution.checkpointing.max-concurrent-checkpoints',
    type: 'int',
    dflt: 1,
    min: 1,
    description: 'Maximum number of pending checkpoints at once.',
    section: 'reference 2.1, 2.2',
  },
  {
    key: 'execution.checkpointing.tolerable-failed-checkpoints',
    type: 'int',
    dflt: 0,
    min: 0,
    description: 'Consecutive counted checkpoint failures tolerated before the job fails.',
    section: 'reference 2.1, 2.5',
  },
  {
    key: 'execution.checkpointing.externalized-checkpoint-retention',
    type: 'enum',
    values: ['NO_EXTERNALIZED_CHECKPOINTS', 'RETAIN_ON_CANCELLATION', 'DELETE_ON_CANCELLATION'],
    dflt: 'NO_EXTERNALIZED_CHECKPOINTS',
    description: 'Whether completed checkpoints are kept when the job terminates.',
    section: 'reference 2.1, 2.6',
  },
  {
    key: 'execution.checkpointing.num-retained',
    aliases: ['state.checkpoints.num-retained'],
    type: 'int',
    dflt: 1,
    min: 1,
    description: 'Completed checkpoints kept in the CompletedCheckpointStore.',
    section: 'reference 2.1, 2.4',
  },
  {
    key: 'execution.checkpointing.dir',
    aliases: ['state.checkpoints.dir', 'state.backend.fs.checkpointdir'],
    type: 'string',
    dflt: null,
    description: 'Checkpoint directory; when set, checkpoints go to durable storage (indexeddb) by default.',
    section: 'reference 2.1, 3.1',
  },
  {
    key: 'execution.checkpointing.savepoint-dir',
    aliases: ['state.savepoints.dir', 'savepoints.state.backend.fs.dir'],
    type: 'string',
    dflt: null,
    description: 'Default savepoint target directory.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.storage',
    aliases: ['state.checkpoint-storage'],
    type: 'enum',
    values: ['jobmanager', 'indexeddb'],
    // Flink's value "filesystem" selects the durable storage, which is IndexedDB here.
    valueAliases: { filesystem: 'indexeddb' },
    dflt: null,
    description:
      'Checkpoint storage: jobmanager (JobManagerCheckpointStorage, in memory) or indexeddb / filesystem ' +
      '(FileSystemCheckpointStorage, in IndexedDB). Unset: indexeddb when a checkpoint dir is set, else jobmanager.',
    section: 'reference 2.1, 3.1, 3.3',
  },
  {
    key: 'execution.checkpointing.incremental',
    aliases: ['state.backend.incremental'],
    type: 'bool',
    dflt: false,
    description: 'Incremental checkpoints (only the LSM backend, indexeddb, supports them, like RocksDB).',
    section: 'reference 2.1, 3.4',
  },
  {
    key: 'execution.checkpointing.create-subdir',
    aliases: ['state.checkpoints.create-subdir'],
    type: 'bool',
    dflt: true,
    description: 'Create a per-job subdirectory under the checkpoint directory.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.data-inline-threshold',
    aliases: ['state.storage.fs.memory-threshold', 'state.backend.fs.memory-threshold'],
    type: 'memory',
    dflt: '20 kb',
    min: 0,
    max: 1024 * 1024,
    description: 'State chunks below this size are inlined into the checkpoint metadata (max 1 mb).',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.write-buffer-size',
    aliases: ['state.storage.fs.write-buffer-size', 'state.backend.fs.write-buffer-size'],
    type: 'int',
    dflt: 4096,
    min: 0,
    description: 'Write buffer size of checkpoint output streams.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.checkpoints-after-tasks-finish',
    aliases: ['execution.checkpointing.checkpoints-after-tasks-finish.enabled'],
    type: 'bool',
    dflt: true,
    description: 'Keep checkpointing after some tasks finished (FLIP-147).',
    section: 'reference 2.1, 2.6',
  },
  {
    key: 'execution.checkpointing.cleaner.parallel-mode',
    aliases: ['state.checkpoint.cleaner.parallel-mode'],
    type: 'bool',
    dflt: true,
    description: 'Discard subsumed checkpoints in parallel.',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.file-merging.enabled',
    type: 'bool',
    dflt: false,
    description: 'Merge small checkpoint files (FLIP-306, experimental).',
    section: 'reference 2.1',
  },
  {
    key: 'execution.checkpointing.unaligned.enabled',
    aliases: ['execution.checkpointing.unaligned'],
    type: 'bool',
    dflt: false,
    description: 'Unaligned checkpoints (FLIP-76): barriers overtake in-flight data, which is persisted.',
    section: 'reference 1.6, 2.1',
  },
  {
    key: 'execution.checkpointing.unaligned.forced',
    type: 'bool',
    dflt: false,
    description: 'Force unaligned checkpoints even where Flink would otherwise fall back to aligned ones.',
    section: 'reference 1.6',
  },
  {
    key: 'execution.checkpointing.aligned-checkpoint-timeout',
    aliases: ['execution.checkpointing.alignment-timeout'],
    type: 'duration',
    dflt: '0 s',
    description:
      'With unaligned checkpoints: start aligned and switch to unaligned after this timeout (0 = never).',
    section: 'reference 1.6, 2.1',
  },
  {
    key: 'web.checkpoints.history',
    type: 'int',
    dflt: 10,
    min: 0,
    description: 'Checkpoint history entries kept for the REST API and the UI.',
    section: 'reference 2.1, 6.3',
  },
  // ---- State backend (reference 3.1, 3.2) ----
  {
    key: 'state.backend.type',
    aliases: ['state.backend'],
    type: 'enum',
    values: ['hashmap', 'indexeddb'],
    valueAliases: { filesystem: 'hashmap', jobmanager: 'hashmap', rocksdb: 'indexeddb' },
    rejectedValues: {
      forst: 'the simulator has no ForSt backend; use "indexeddb", its disk-backed LSM state backend',
    },
    dflt: 'hashmap',
    description:
      'State backend: hashmap (HashMapStateBackend, objects in memory) or indexeddb (disk-backed LSM, stands ' +
      'in for rocksdb; "rocksdb" is accepted as an alias). Legacy "filesystem" / "jobmanager" mean hashmap.',
    section: 'reference 3.1, 3.2',
  },
  // ---- The IndexedDB (LSM) backend: Flink's RocksDBConfigurableOptions, sizes scaled to the browser (÷ 256) ----
  {
    key: 'state.backend.rocksdb.writebuffer.size',
    type: 'memory',
    dflt: '64 mb',
    min: 1,
    description:
      'Memtable size before a flush to a sorted run. Scaled: the indexeddb backend uses 1/256 of it (64 mb -> 256 kb).',
    section: 'reference 3.4; RocksDBConfigurableOptions.WRITE_BUFFER_SIZE',
  },
  {
    key: 'state.backend.rocksdb.block.cache-size',
    type: 'memory',
    dflt: '8 mb',
    min: 1,
    description:
      'Block cache for data blocks read from runs. Scaled: 1/256 of it (8 mb -> 32 kb) per keyed subtask.',
    section: 'RocksDBConfigurableOptions.BLOCK_CACHE_SIZE',
  },
  {
    key: 'state.backend.rocksdb.block.blocksize',
    type: 'memory',
    dflt: '4 kb',
    min: 64,
    description: 'Data packed per block (one IndexedDB record). Not scaled.',
    section: 'RocksDBConfigurableOptions.BLOCK_SIZE',
  },
  {
    key: 'state.backend.rocksdb.compaction.level.max-size-level-base',
    type: 'memory',
    dflt: '256 mb',
    min: 1,
    description: 'Target size of level 1 (each further level 10x). Scaled: 1/256 of it (256 mb -> 1 mb).',
    section: 'RocksDBConfigurableOptions.MAX_SIZE_LEVEL_BASE',
  },
  {
    key: 'state.backend.rocksdb.compaction.level0-file-num-compaction-trigger',
    type: 'int',
    dflt: 4,
    min: 1,
    description:
      "Simulator key (RocksDB's level0_file_num_compaction_trigger, which Flink sets only through a " +
      'RocksDBOptionsFactory): L0 runs that start a compaction into level 1. Not scaled.',
    section: 'RocksDB ColumnFamilyOptions',
  },
  {
    key: 'state.backend.rocksdb.timer-service.factory',
    type: 'enum',
    values: ['ROCKSDB', 'HEAP'],
    dflt: 'ROCKSDB',
    description:
      'Where timers live with the indexeddb backend: ROCKSDB (in the LSM, snapshotted incrementally) or HEAP ' +
      '(on the heap, written fully into every snapshot).',
    section: 'reference 3.4; RocksDBOptions.TIMER_SERVICE_FACTORY',
  },
  // ---- Restart strategies (reference 5.1, Flink 1.19+ defaults) ----
  {
    key: 'restart-strategy.type',
    aliases: ['restart-strategy'],
    type: 'enum',
    values: ['none', 'fixed-delay', 'failure-rate', 'exponential-delay'],
    valueAliases: {
      off: 'none',
      disable: 'none',
      fixeddelay: 'fixed-delay',
      failurerate: 'failure-rate',
      exponentialdelay: 'exponential-delay',
    },
    dflt: null,
    description:
      'Restart strategy. Unset: exponential-delay when checkpointing is enabled (1.19+), else none.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.fixed-delay.attempts',
    type: 'int',
    dflt: 1,
    min: 0,
    description: 'fixed-delay: restarts allowed before the job fails.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.fixed-delay.delay',
    type: 'duration',
    dflt: '1 s',
    description: 'fixed-delay: wait before each restart.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.failure-rate.max-failures-per-interval',
    type: 'int',
    dflt: 1,
    min: 1,
    description:
      'failure-rate: restarts allowed within one interval (Flink 1.13+, FLINK-20752: the next failure in the interval fails the job).',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.failure-rate.failure-rate-interval',
    type: 'duration',
    dflt: '1 min',
    min: 1000,
    description: 'failure-rate: the measuring interval.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.failure-rate.delay',
    type: 'duration',
    dflt: '1 s',
    description: 'failure-rate: wait before each restart.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.initial-backoff',
    type: 'duration',
    dflt: '1 s',
    min: 1000,
    description: 'exponential-delay: first backoff.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.max-backoff',
    type: 'duration',
    dflt: '1 min',
    min: 1000,
    description: 'exponential-delay: largest backoff (1 min since 1.19).',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.backoff-multiplier',
    type: 'double',
    dflt: 1.5,
    min: 1,
    description: 'exponential-delay: backoff growth factor per attempt (1.5 since 1.19).',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.reset-backoff-threshold',
    type: 'duration',
    dflt: '1 h',
    min: 1000,
    description: 'exponential-delay: a failure this long after the last restart resets the backoff.',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.jitter-factor',
    type: 'double',
    dflt: 0.1,
    min: 0,
    max: 1,
    description: 'exponential-delay: random jitter as a share of the backoff (seeded).',
    section: 'reference 5.1',
  },
  {
    key: 'restart-strategy.exponential-delay.attempts-before-reset-backoff',
    type: 'int',
    dflt: INT_MAX,
    min: 1,
    description: 'exponential-delay: restarts allowed before the job fails (Integer.MAX_VALUE = infinite).',
    section: 'reference 5.1',
  },
  // ---- Failover, heartbeats (reference 5.2, 5.3, 7.1) ----
  {
    key: 'jobmanager.execution.failover-strategy',
    type: 'enum',
    values: ['region', 'full'],
    dflt: 'region',
    description: 'Which tasks restart on a failure: the failover region of the failed task, or all.',
    section: 'reference 5.2',
  },
  {
    key: 'heartbeat.interval',
    type: 'duration',
    dflt: '10 s',
    min: 1000,
    description: 'Heartbeat interval between the JobManager and TaskManagers.',
    section: 'reference 5.3, 7.1',
  },
  {
    key: 'heartbeat.rpc-failure-threshold',
    type: 'int',
    dflt: 2,
    min: -1,
    description:
      'Consecutive failed heartbeat RPCs that mark a target unreachable (-1 disables): a dead TaskManager is noticed after about interval x threshold.',
    section: 'reference 2.7',
  },
  {
    key: 'heartbeat.timeout',
    type: 'duration',
    dflt: '50 s',
    min: 1000,
    description: 'A TaskManager silent for this long is considered lost and its tasks fail.',
    section: 'reference 5.3, 7.1',
  },
  // ---- Job graph (reference 4.5, 7.2) ----
  {
    key: 'parallelism.default',
    type: 'int',
    dflt: 1,
    min: 1,
    max: UPPER_BOUND_MAX_PARALLELISM,
    description: 'Parallelism of operators that do not set their own.',
    section: 'reference 7.1',
  },
  {
    key: 'pipeline.max-parallelism',
    type: 'int',
    dflt: -1,
    check: (n) =>
      n === -1 || (n > 0 && n <= UPPER_BOUND_MAX_PARALLELISM)
        ? null
        : `maxParallelism is out of bounds 0 < maxParallelism <= ${UPPER_BOUND_MAX_PARALLELISM} (or -1 for the default formula)`,
    description:
      'Default maximum parallelism (number of key groups); -1 = min(max(nextPow2(p + p/2), 128), 32768).',
    section: 'reference 4.5',
  },
  {
    key: 'pipeline.operator-chaining.enabled',
    aliases: ['pipeline.operator-chaining'],
    type: 'bool',
    dflt: true,
    description: 'Chain forward-connected operators of equal parallelism into one task.',
    section: 'reference 7.2',
  },
  {
    key: 'pipeline.auto-watermark-interval',
    type: 'duration',
    dflt: '200 ms',
    description: 'Interval of periodic watermark emission by sources (0 disables periodic watermarks).',
    section: 'reference 7.2',
  },
  // ---- Network stack (DESIGN: How data flows, credit-based flow control) ----
  {
    key: 'execution.buffer-timeout.enabled',
    type: 'bool',
    dflt: true,
    description: 'Flush partially filled output buffers after the buffer timeout (false: only when full).',
    section: 'DESIGN: How data flows',
  },
  {
    key: 'execution.buffer-timeout.interval',
    aliases: ['execution.buffer-timeout'],
    type: 'duration',
    dflt: '100 ms',
    description: 'Maximum time a record waits in a partially filled output buffer.',
    section: 'DESIGN: How data flows',
  },
  {
    key: 'taskmanager.memory.segment-size',
    type: 'memory',
    dflt: '32 kb',
    min: 4096,
    check: (bytes) => ((bytes & (bytes - 1)) === 0 ? null : 'must be a power of two'),
    description: 'Size of a network buffer (memory segment).',
    section: 'DESIGN: How data flows',
  },
  {
    key: 'taskmanager.network.memory.buffers-per-channel',
    type: 'int',
    dflt: 2,
    min: 0,
    description: 'Exclusive buffers (credits) per input channel.',
    section: 'DESIGN: How data flows',
  },
  {
    key: 'taskmanager.network.memory.floating-buffers-per-gate',
    type: 'int',
    dflt: 8,
    min: 0,
    description: 'Floating buffers shared by the channels of one input gate.',
    section: 'DESIGN: How data flows',
  },
  {
    key: 'taskmanager.numberOfTaskSlots',
    type: 'int',
    dflt: 1,
    min: 1,
    max: 128,
    description:
      'Slots per TaskManager (same as cluster.slotsPerTaskManager; the simulator draws at most 128).',
    section: 'reference 7.1',
  },
  // ---- Recovery from a snapshot (reference 2.6) ----
  {
    key: 'execution.state-recovery.path',
    aliases: ['execution.savepoint.path'],
    type: 'string',
    dflt: null,
    description: 'Savepoint or retained checkpoint to start from (CLI -s).',
    section: 'reference 2.6',
  },
  {
    key: 'execution.state-recovery.claim-mode',
    aliases: ['execution.savepoint-restore-mode'],
    type: 'enum',
    values: ['NO_CLAIM', 'CLAIM', 'LEGACY'],
    dflt: 'NO_CLAIM',
    description: 'Ownership of the snapshot restored from (LEGACY is deprecated since 1.19).',
    section: 'reference 2.6',
  },
  {
    key: 'execution.state-recovery.ignore-unclaimed-state',
    aliases: ['execution.savepoint.ignore-unclaimed-state'],
    type: 'bool',
    dflt: false,
    description: 'Allow a snapshot with state for operators that no longer exist (CLI -n).',
    section: 'reference 2.6',
  },
];
