/**
 * The Flink `config.yaml` (Flink 1.19+ standard YAML; flat dotted keys are valid there) matching a scenario:
 * checkpointing, state backend, checkpoint storage, restart strategy, failover, parallelism and slots. Every key is
 * a current Flink 1.20 key (./flinkKeys.ts); values are in Flink's textual forms ("1 s", "EXACTLY_ONCE").
 * Where the simulator stands in for something real (its IndexedDB backend and storage for RocksDB and a file
 * system), the real choice is written with a comment.
 */
import { formatConfigValue } from '../scenario/config.ts';
import { formatDuration } from '../scenario/duration.ts';
import type { Scenario } from '../scenario/types.ts';
import { FLINK_120_KEYS } from './flinkKeys.ts';

export const FILL_IN_CHECKPOINT_DIR = 's3://<fill in: bucket>/flink-checkpoints';
export const FILL_IN_SAVEPOINT_DIR = 's3://<fill in: bucket>/flink-savepoints';

export interface ConfigEntry {
  key: string;
  value: string;
  comment?: string;
}

function yamlValue(v: string): string {
  // Plain scalars are fine for Flink's values; quote anything YAML could read as something else.
  return /^[A-Za-z0-9_./ -]+$/.test(v) && !/^(null|yes|no|on|off|~)$/i.test(v) && !/^[-.]/.test(v)
    ? v
    : JSON.stringify(v);
}

/** The entries, in the order written. */
export function configEntries(scenario: Scenario): ConfigEntry[] {
  const c = scenario.config;
  const out: ConfigEntry[] = [];
  const put = (key: string, value: string, comment?: string) =>
    out.push(comment === undefined ? { key, value } : { key, value, comment });
  const show = (key: string) => formatConfigValue(key, c.values.get(key) ?? null);
  const copy = (key: string, comment?: string) => put(key, show(key), comment);

  const maxP = Math.max(1, ...scenario.operators.map((o) => o.parallelism));
  put('pipeline.name', scenario.jobName);
  put(
    'parallelism.default',
    String(maxP),
    scenario.operators.every((o) => o.parallelism === maxP)
      ? undefined
      : `the highest operator parallelism; per operator: ${scenario.operators.map((o) => `${o.id} ${o.parallelism}`).join(', ')}`,
  );
  put(
    'taskmanager.numberOfTaskSlots',
    String(scenario.cluster.slotsPerTaskManager),
    `the simulator ran ${scenario.cluster.taskManagers} TaskManager(s)`,
  );
  if (c.isSet('pipeline.max-parallelism')) copy('pipeline.max-parallelism');
  if (c.isSet('pipeline.operator-chaining.enabled')) copy('pipeline.operator-chaining.enabled');
  if (c.isSet('pipeline.auto-watermark-interval')) copy('pipeline.auto-watermark-interval');

  const intervalUs = c.duration('execution.checkpointing.interval');
  if (intervalUs === null) {
    out.push({
      key: '',
      value: '',
      comment: 'checkpointing is disabled in this scenario (no execution.checkpointing.interval)',
    });
  } else {
    copy('execution.checkpointing.interval');
    copy('execution.checkpointing.mode');
    copy('execution.checkpointing.timeout');
    copy('execution.checkpointing.min-pause');
    copy('execution.checkpointing.max-concurrent-checkpoints');
    copy('execution.checkpointing.tolerable-failed-checkpoints');
    copy('execution.checkpointing.unaligned.enabled');
    if (c.bool('execution.checkpointing.unaligned.enabled'))
      copy('execution.checkpointing.aligned-checkpoint-timeout');
    copy('execution.checkpointing.num-retained');
    copy('execution.checkpointing.externalized-checkpoint-retention');
    if (c.isSet('execution.checkpointing.checkpoints-after-tasks-finish'))
      copy('execution.checkpointing.checkpoints-after-tasks-finish');
  }

  const backend = c.str('state.backend.type');
  if (backend === 'indexeddb') {
    put('state.backend.type', 'rocksdb', "the simulator's IndexedDB backend stands in for RocksDB");
    if (c.isSet('execution.checkpointing.incremental')) copy('execution.checkpointing.incremental');
  } else put('state.backend.type', 'hashmap', 'HashMapStateBackend: state as objects on the heap');

  const storage = c.str('execution.checkpointing.storage');
  if (storage === 'jobmanager') {
    put(
      'execution.checkpointing.storage',
      'jobmanager',
      'as in the simulator: snapshots in the JobManager heap (5 MB per state). For production use filesystem with a durable execution.checkpointing.dir',
    );
  } else {
    put(
      'execution.checkpointing.storage',
      'filesystem',
      "the simulator's IndexedDB storage stands in for a file system",
    );
    put(
      'execution.checkpointing.dir',
      FILL_IN_CHECKPOINT_DIR,
      'fill in a durable URI (s3://, hdfs://, file:// on shared storage)',
    );
  }
  put(
    'execution.checkpointing.savepoint-dir',
    FILL_IN_SAVEPOINT_DIR,
    'fill in: where savepoints go by default',
  );

  const strategy = c.str('restart-strategy.type');
  put(
    'restart-strategy.type',
    strategy,
    c.isSet('restart-strategy.type')
      ? undefined
      : 'not set in the scenario: Flink 1.19+ picks this by whether checkpointing is on',
  );
  const group: Record<string, string[]> = {
    'fixed-delay': ['restart-strategy.fixed-delay.attempts', 'restart-strategy.fixed-delay.delay'],
    'failure-rate': [
      'restart-strategy.failure-rate.max-failures-per-interval',
      'restart-strategy.failure-rate.failure-rate-interval',
      'restart-strategy.failure-rate.delay',
    ],
    'exponential-delay': [
      'restart-strategy.exponential-delay.initial-backoff',
      'restart-strategy.exponential-delay.max-backoff',
      'restart-strategy.exponential-delay.backoff-multiplier',
      'restart-strategy.exponential-delay.reset-backoff-threshold',
      'restart-strategy.exponential-delay.jitter-factor',
      'restart-strategy.exponential-delay.attempts-before-reset-backoff',
    ],
  };
  for (const key of group[strategy] ?? []) copy(key);
  copy('jobmanager.execution.failover-strategy');

  for (const key of ['heartbeat.interval', 'heartbeat.timeout'] as const)
    if (c.isSet(key))
      copy(key, 'a demo value from the scenario (Flink defaults: interval 10 s, timeout 50 s)');
  if (c.isSet('heartbeat.rpc-failure-threshold')) copy('heartbeat.rpc-failure-threshold');
  if (c.isSet('execution.buffer-timeout.interval')) copy('execution.buffer-timeout.interval');

  const idle = scenario.operators.flatMap((o) =>
    o.kind === 'source' && o.idlenessUs !== null ? [o.idlenessUs] : [],
  );
  if (idle.length > 0)
    put(
      'table.exec.source.idle-timeout',
      formatDuration(Math.min(...idle)),
      "the sources' withIdleness: a source partition without records for this long stops holding back the watermark",
    );

  for (const e of out)
    if (e.key !== '' && FLINK_120_KEYS[e.key] === undefined)
      throw new Error(`internal: ${e.key} is not a known Flink 1.20 key`);
  return out;
}

export function configYaml(scenario: Scenario): string {
  const lines = [
    `# Flink 1.20 configuration for "${scenario.name}", exported by Checkpoint Lab.`,
    '# Merge it into conf/config.yaml (or pass each line as -D<key>=<value>). Fill in every <fill in: ...>.',
    '',
  ];
  for (const e of configEntries(scenario)) {
    if (e.key === '') {
      lines.push(`# ${e.comment ?? ''}`);
      continue;
    }
    if (e.comment !== undefined) lines.push(`# ${e.comment}`);
    lines.push(`${e.key}: ${yamlValue(e.value)}`);
  }
  return lines.join('\n') + '\n';
}
