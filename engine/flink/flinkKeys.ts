/**
 * The Flink 1.20 configuration keys the exporter may write, each with the options class that declares it in Flink
 * 1.20 (org.apache.flink.configuration.* unless noted). Cross-checked with flink-reference.md sections 2.1, 3.1,
 * 5.1, 5.2 (keys as regrouped in 1.20: `execution.checkpointing.dir`, `.savepoint-dir`, `.storage`,
 * `.incremental`, `.num-retained` replaced the `state.checkpoints.*` / `state.savepoints.dir` /
 * `state.checkpoint-storage` / `state.backend.incremental` keys, which 1.20 still reads as deprecated keys) and
 * with the simulator's own key table (engine/scenario/config.ts), which a test compares with this list.
 * Only current (non-deprecated) names are listed: the exporter never writes a deprecated key.
 */
export const FLINK_120_KEYS: Readonly<Record<string, string>> = {
  // CheckpointingOptions (1.20)
  'execution.checkpointing.interval': 'CheckpointingOptions.CHECKPOINTING_INTERVAL',
  'execution.checkpointing.mode': 'CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE',
  'execution.checkpointing.timeout': 'CheckpointingOptions.CHECKPOINTING_TIMEOUT',
  'execution.checkpointing.min-pause': 'CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS',
  'execution.checkpointing.max-concurrent-checkpoints': 'CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS',
  'execution.checkpointing.tolerable-failed-checkpoints': 'CheckpointingOptions.TOLERABLE_FAILURE_NUMBER',
  'execution.checkpointing.externalized-checkpoint-retention':
    'CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION',
  'execution.checkpointing.unaligned.enabled': 'CheckpointingOptions.ENABLE_UNALIGNED',
  'execution.checkpointing.aligned-checkpoint-timeout': 'CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT',
  'execution.checkpointing.num-retained': 'CheckpointingOptions.MAX_RETAINED_CHECKPOINTS',
  'execution.checkpointing.storage': 'CheckpointingOptions.CHECKPOINT_STORAGE',
  'execution.checkpointing.dir': 'CheckpointingOptions.CHECKPOINTS_DIRECTORY',
  'execution.checkpointing.savepoint-dir': 'CheckpointingOptions.SAVEPOINT_DIRECTORY',
  'execution.checkpointing.incremental': 'CheckpointingOptions.INCREMENTAL_CHECKPOINTS',
  'execution.checkpointing.checkpoints-after-tasks-finish':
    'CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH',
  // StateBackendOptions
  'state.backend.type': 'StateBackendOptions.STATE_BACKEND',
  // RestartStrategyOptions
  'restart-strategy.type': 'RestartStrategyOptions.RESTART_STRATEGY',
  'restart-strategy.fixed-delay.attempts': 'RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS',
  'restart-strategy.fixed-delay.delay': 'RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY',
  'restart-strategy.failure-rate.max-failures-per-interval':
    'RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL',
  'restart-strategy.failure-rate.failure-rate-interval':
    'RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL',
  'restart-strategy.failure-rate.delay': 'RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY',
  'restart-strategy.exponential-delay.initial-backoff':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF',
  'restart-strategy.exponential-delay.max-backoff':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF',
  'restart-strategy.exponential-delay.backoff-multiplier':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER',
  'restart-strategy.exponential-delay.reset-backoff-threshold':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD',
  'restart-strategy.exponential-delay.jitter-factor':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR',
  'restart-strategy.exponential-delay.attempts-before-reset-backoff':
    'RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS',
  // JobManagerOptions, CoreOptions, PipelineOptions, TaskManagerOptions, HeartbeatManagerOptions
  'jobmanager.execution.failover-strategy': 'JobManagerOptions.EXECUTION_FAILOVER_STRATEGY',
  'parallelism.default': 'CoreOptions.DEFAULT_PARALLELISM',
  'pipeline.max-parallelism': 'PipelineOptions.MAX_PARALLELISM',
  'pipeline.name': 'PipelineOptions.NAME',
  'pipeline.operator-chaining.enabled': 'PipelineOptions.OPERATOR_CHAINING',
  'pipeline.auto-watermark-interval': 'PipelineOptions.AUTO_WATERMARK_INTERVAL',
  'taskmanager.numberOfTaskSlots': 'TaskManagerOptions.NUM_TASK_SLOTS',
  'heartbeat.interval': 'HeartbeatManagerOptions.HEARTBEAT_INTERVAL',
  'heartbeat.timeout': 'HeartbeatManagerOptions.HEARTBEAT_TIMEOUT',
  'heartbeat.rpc-failure-threshold': 'HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD',
  'execution.buffer-timeout.interval': 'ExecutionOptions.BUFFER_TIMEOUT',
  // org.apache.flink.table.api.config.ExecutionConfigOptions (flink-table-api-java)
  'table.exec.source.idle-timeout': 'ExecutionConfigOptions.TABLE_EXEC_SOURCE_IDLE_TIMEOUT',
};

/** Keys Flink 1.20 still reads but deprecates, with their current name: the exporter must never write these. */
export const DEPRECATED_IN_120: Readonly<Record<string, string>> = {
  'state.checkpoints.dir': 'execution.checkpointing.dir',
  'state.savepoints.dir': 'execution.checkpointing.savepoint-dir',
  'state.checkpoint-storage': 'execution.checkpointing.storage',
  'state.backend.incremental': 'execution.checkpointing.incremental',
  'state.checkpoints.num-retained': 'execution.checkpointing.num-retained',
  'state.backend': 'state.backend.type',
  'restart-strategy': 'restart-strategy.type',
  'pipeline.operator-chaining': 'pipeline.operator-chaining.enabled',
  'execution.buffer-timeout': 'execution.buffer-timeout.interval',
};
