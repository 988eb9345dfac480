import { describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  ConfigError,
  configKeySpec,
  effectiveRestartStrategy,
  formatConfigValue,
  resolveConfig,
  tryResolveConfig,
} from './config.ts';

function issues(input: Record<string, unknown>): { key: string; message: string }[] {
  const result = tryResolveConfig(input);
  if (result.ok) throw new Error('expected config errors');
  return result.issues;
}

describe('CONFIG_KEYS', () => {
  it('covers every key of reference table 2.1 with its aliases', () => {
    const table: [string, string[]][] = [
      ['execution.checkpointing.interval', []],
      ['execution.checkpointing.interval-during-backlog', []],
      ['execution.checkpointing.mode', []],
      ['execution.checkpointing.timeout', []],
      ['execution.checkpointing.min-pause', []],
      ['execution.checkpointing.max-concurrent-checkpoints', []],
      ['execution.checkpointing.tolerable-failed-checkpoints', []],
      ['execution.checkpointing.externalized-checkpoint-retention', []],
      ['execution.checkpointing.num-retained', ['state.checkpoints.num-retained']],
      ['execution.checkpointing.dir', ['state.checkpoints.dir', 'state.backend.fs.checkpointdir']],
      ['execution.checkpointing.savepoint-dir', ['state.savepoints.dir', 'savepoints.state.backend.fs.dir']],
      ['execution.checkpointing.storage', ['state.checkpoint-storage']],
      ['execution.checkpointing.incremental', ['state.backend.incremental']],
      ['execution.checkpointing.create-subdir', ['state.checkpoints.create-subdir']],
      [
        'execution.checkpointing.data-inline-threshold',
        ['state.storage.fs.memory-threshold', 'state.backend.fs.memory-threshold'],
      ],
      [
        'execution.checkpointing.write-buffer-size',
        ['state.storage.fs.write-buffer-size', 'state.backend.fs.write-buffer-size'],
      ],
      [
        'execution.checkpointing.checkpoints-after-tasks-finish',
        ['execution.checkpointing.checkpoints-after-tasks-finish.enabled'],
      ],
      ['execution.checkpointing.cleaner.parallel-mode', ['state.checkpoint.cleaner.parallel-mode']],
      ['execution.checkpointing.file-merging.enabled', []],
      ['web.checkpoints.history', []],
    ];
    for (const [key, aliases] of table) {
      const spec = configKeySpec(key);
      expect(spec, key).toBeDefined();
      expect(spec?.aliases).toEqual(aliases);
      for (const alias of aliases) expect(configKeySpec(alias)?.key).toBe(key);
    }
  });

  it('documents every key', () => {
    const keys = new Set<string>();
    for (const spec of CONFIG_KEYS) {
      expect(keys.has(spec.key)).toBe(false);
      keys.add(spec.key);
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.section).not.toBe('');
      if (spec.type === 'enum') expect(spec.values?.length).toBeGreaterThan(1);
    }
  });
});

describe('resolveConfig defaults', () => {
  const config = resolveConfig({});

  it("fills Flink's current defaults", () => {
    expect(config.duration('execution.checkpointing.interval')).toBeNull();
    expect(config.str('execution.checkpointing.mode')).toBe('EXACTLY_ONCE');
    expect(config.duration('execution.checkpointing.timeout')).toBe(600_000_000);
    expect(config.duration('execution.checkpointing.min-pause')).toBe(0);
    expect(config.int('execution.checkpointing.max-concurrent-checkpoints')).toBe(1);
    expect(config.int('execution.checkpointing.tolerable-failed-checkpoints')).toBe(0);
    expect(config.int('execution.checkpointing.num-retained')).toBe(1);
    expect(config.bool('execution.checkpointing.unaligned.enabled')).toBe(false);
    expect(config.bool('execution.checkpointing.unaligned.forced')).toBe(false);
    expect(config.duration('execution.checkpointing.aligned-checkpoint-timeout')).toBe(0);
    expect(config.bool('execution.checkpointing.incremental')).toBe(false);
    expect(config.bytes('execution.checkpointing.data-inline-threshold')).toBe(20 * 1024);
    expect(config.int('web.checkpoints.history')).toBe(10);
    expect(config.str('state.backend.type')).toBe('hashmap');
    expect(config.str('jobmanager.execution.failover-strategy')).toBe('region');
    expect(config.duration('heartbeat.interval')).toBe(10_000_000);
    expect(config.duration('heartbeat.timeout')).toBe(50_000_000);
    expect(config.int('parallelism.default')).toBe(1);
    expect(config.int('pipeline.max-parallelism')).toBe(-1);
    expect(config.bool('pipeline.operator-chaining.enabled')).toBe(true);
    expect(config.duration('pipeline.auto-watermark-interval')).toBe(200_000);
    expect(config.duration('execution.buffer-timeout.interval')).toBe(100_000);
    expect(config.bytes('taskmanager.memory.segment-size')).toBe(32 * 1024);
    expect(config.int('taskmanager.network.memory.buffers-per-channel')).toBe(2);
    expect(config.int('taskmanager.network.memory.floating-buffers-per-gate')).toBe(8);
    expect(config.int('taskmanager.numberOfTaskSlots')).toBe(1);
    expect(config.values.get('execution.state-recovery.path')).toBeNull();
    expect(config.str('execution.state-recovery.claim-mode')).toBe('NO_CLAIM');
    expect(config.explicit.size).toBe(0);
    expect(config.isSet('execution.checkpointing.interval')).toBe(false);
  });

  it('uses the 1.19+ restart-strategy defaults (reference 5.1)', () => {
    expect(config.int('restart-strategy.fixed-delay.attempts')).toBe(1);
    expect(config.duration('restart-strategy.fixed-delay.delay')).toBe(1_000_000);
    expect(config.int('restart-strategy.failure-rate.max-failures-per-interval')).toBe(1);
    expect(config.duration('restart-strategy.failure-rate.failure-rate-interval')).toBe(60_000_000);
    expect(config.duration('restart-strategy.failure-rate.delay')).toBe(1_000_000);
    expect(config.duration('restart-strategy.exponential-delay.initial-backoff')).toBe(1_000_000);
    expect(config.duration('restart-strategy.exponential-delay.max-backoff')).toBe(60_000_000);
    expect(config.number('restart-strategy.exponential-delay.backoff-multiplier')).toBe(1.5);
    expect(config.duration('restart-strategy.exponential-delay.reset-backoff-threshold')).toBe(3_600_000_000);
    expect(config.number('restart-strategy.exponential-delay.jitter-factor')).toBe(0.1);
    expect(config.int('restart-strategy.exponential-delay.attempts-before-reset-backoff')).toBe(2147483647);
  });

  it('derives the effective restart strategy from checkpointing (reference 5.1)', () => {
    expect(effectiveRestartStrategy(config)).toBe('none');
    const withCheckpoints = resolveConfig({ 'execution.checkpointing.interval': '1 s' });
    expect(effectiveRestartStrategy(withCheckpoints)).toBe('exponential-delay');
    expect(withCheckpoints.isSet('restart-strategy.type')).toBe(false);
    const fixed = resolveConfig({
      'execution.checkpointing.interval': '1 s',
      'restart-strategy': 'fixeddelay',
    });
    expect(fixed.str('restart-strategy.type')).toBe('fixed-delay');
  });

  it('derives the checkpoint storage from the checkpoint directory (reference 3.1)', () => {
    expect(config.str('execution.checkpointing.storage')).toBe('jobmanager');
    const withDir = resolveConfig({ 'state.checkpoints.dir': 'file:///checkpoints' });
    expect(withDir.str('execution.checkpointing.storage')).toBe('indexeddb');
    expect(withDir.str('execution.checkpointing.dir')).toBe('file:///checkpoints');
  });

  it('turns unaligned checkpoints off in AT_LEAST_ONCE mode', () => {
    const c = resolveConfig({
      'execution.checkpointing.mode': 'at_least_once',
      'execution.checkpointing.unaligned': true,
    });
    expect(c.bool('execution.checkpointing.unaligned.enabled')).toBe(false);
    expect(c.isSet('execution.checkpointing.unaligned.enabled')).toBe(true);
  });

  it('applies derived values only when the key is not set', () => {
    expect(tryResolveConfig({}, { 'taskmanager.numberOfTaskSlots': 2 })).toMatchObject({ ok: true });
    const c = resolveConfig({}, { 'taskmanager.numberOfTaskSlots': 2 });
    expect(c.int('taskmanager.numberOfTaskSlots')).toBe(2);
  });

  it('refuses misuse of the accessors', () => {
    expect(() => config.int('execution.checkpointing.mode')).toThrow(/type enum/);
    expect(() => config.int('no.such.key')).toThrow(/unknown configuration key/);
    expect(() => config.str('execution.checkpointing.dir')).toThrow(/no value/);
  });
});

describe('resolveConfig values', () => {
  it('accepts strings, JSON numbers and booleans', () => {
    const c = resolveConfig({
      'execution.checkpointing.interval': 1000,
      'execution.checkpointing.max-concurrent-checkpoints': '2',
      'execution.checkpointing.tolerable-failed-checkpoints': 3,
      'pipeline.operator-chaining.enabled': 'FALSE',
      'execution.checkpointing.incremental': true,
      'taskmanager.memory.segment-size': '64kb',
      'restart-strategy.exponential-delay.backoff-multiplier': '2.0',
      'heartbeat.interval': '1000',
      'heartbeat.timeout': 5000,
    });
    expect(c.duration('execution.checkpointing.interval')).toBe(1_000_000);
    expect(c.int('execution.checkpointing.max-concurrent-checkpoints')).toBe(2);
    expect(c.int('execution.checkpointing.tolerable-failed-checkpoints')).toBe(3);
    expect(c.bool('pipeline.operator-chaining.enabled')).toBe(false);
    expect(c.bool('execution.checkpointing.incremental')).toBe(true);
    expect(c.bytes('taskmanager.memory.segment-size')).toBe(65536);
    expect(c.number('restart-strategy.exponential-delay.backoff-multiplier')).toBe(2);
    expect(c.duration('heartbeat.interval')).toBe(1_000_000);
    expect(c.duration('heartbeat.timeout')).toBe(5_000_000);
    expect([...c.explicit].length).toBe(9);
  });

  it('normalizes enums case-insensitively to their canonical spelling', () => {
    const c = resolveConfig({
      'execution.checkpointing.mode': 'at_least_once',
      'execution.checkpointing.externalized-checkpoint-retention': 'retain_on_cancellation',
      'jobmanager.execution.failover-strategy': 'FULL',
      'state.backend.type': 'IndexedDB',
      'execution.state-recovery.claim-mode': 'claim',
    });
    expect(c.str('execution.checkpointing.mode')).toBe('AT_LEAST_ONCE');
    expect(c.str('execution.checkpointing.externalized-checkpoint-retention')).toBe('RETAIN_ON_CANCELLATION');
    expect(c.str('jobmanager.execution.failover-strategy')).toBe('full');
    expect(c.str('state.backend.type')).toBe('indexeddb');
    expect(c.str('execution.state-recovery.claim-mode')).toBe('CLAIM');
  });

  it.each([
    ['none', 'none'],
    ['off', 'none'],
    ['disable', 'none'],
    ['fixed-delay', 'fixed-delay'],
    ['fixeddelay', 'fixed-delay'],
    ['failure-rate', 'failure-rate'],
    ['failurerate', 'failure-rate'],
    ['exponential-delay', 'exponential-delay'],
    ['ExponentialDelay', 'exponential-delay'],
  ])('normalizes restart-strategy.type %j to %j', (input, canonical) => {
    expect(resolveConfig({ 'restart-strategy.type': input }).str('restart-strategy.type')).toBe(canonical);
  });

  it('maps the legacy state backends to hashmap (reference 3.2)', () => {
    expect(resolveConfig({ 'state.backend': 'filesystem' }).str('state.backend.type')).toBe('hashmap');
    expect(resolveConfig({ 'state.backend.type': 'jobmanager' }).str('state.backend.type')).toBe('hashmap');
  });

  it('accepts deprecated aliases and records the current name', () => {
    const c = resolveConfig({
      'execution.checkpointing.unaligned': 'true',
      'execution.checkpointing.alignment-timeout': '30 s',
      'state.checkpoint-storage': 'jobmanager',
      'state.backend.incremental': true,
      'pipeline.operator-chaining': false,
      'execution.buffer-timeout': '10 ms',
      'restart-strategy': 'none',
      'execution.savepoint-restore-mode': 'CLAIM',
    });
    expect(c.bool('execution.checkpointing.unaligned.enabled')).toBe(true);
    expect(c.duration('execution.checkpointing.aligned-checkpoint-timeout')).toBe(30_000_000);
    expect(c.str('execution.checkpointing.storage')).toBe('jobmanager');
    expect(c.bool('execution.checkpointing.incremental')).toBe(true);
    expect(c.bool('pipeline.operator-chaining.enabled')).toBe(false);
    expect(c.duration('execution.buffer-timeout.interval')).toBe(10_000);
    expect(c.isSet('execution.checkpointing.unaligned.enabled')).toBe(true);
    expect(c.isSet('execution.checkpointing.unaligned')).toBe(true);
    expect(c.explicit.has('execution.checkpointing.unaligned')).toBe(false);
    expect(c.str('execution.state-recovery.claim-mode')).toBe('CLAIM');
  });
});

describe('resolveConfig errors', () => {
  it('names an unknown key and suggests the closest known one', () => {
    expect(issues({ 'execution.checkpointing.intervall': '1 s' })).toEqual([
      {
        key: 'execution.checkpointing.intervall',
        message:
          'unknown configuration key "execution.checkpointing.intervall"; did you mean "execution.checkpointing.interval"?',
      },
    ]);
    expect(issues({ 'state.backend.typ': 'hashmap' })[0]?.message).toContain(
      'did you mean "state.backend.type"?',
    );
    // A deprecated alias is suggested by its current name.
    expect(issues({ 'state.checkpoints.numretained': 2 })[0]?.message).toContain(
      'did you mean "execution.checkpointing.num-retained"?',
    );
    expect(issues({ 'checkpointing.interval': 2 })[0]?.message).toContain(
      'did you mean "execution.checkpointing.interval"?',
    );
    expect(issues({ 'foo.bar.baz.qux': 1 })[0]?.message).toMatch(
      /unknown configuration key "foo.bar.baz.qux"; .*CONFIG_KEYS/,
    );
  });

  it('rejects a key given twice through an alias and its current name', () => {
    const found = issues({ 'state.backend.type': 'hashmap', 'state.backend': 'hashmap' });
    expect(found).toHaveLength(1);
    expect(found[0]?.key).toBe('state.backend');
    expect(found[0]?.message).toContain('deprecated alias of "state.backend.type"');
    expect(found[0]?.message).toContain('set only "state.backend.type"');
    expect(issues({ 'state.checkpoints.dir': 'a', 'state.backend.fs.checkpointdir': 'b' })).toHaveLength(1);
  });

  it('rejects a checkpoint interval below 10 ms (MINIMAL_CHECKPOINT_TIME, reference 2.1)', () => {
    const [issue] = issues({ 'execution.checkpointing.interval': '5 ms' });
    expect(issue?.key).toBe('execution.checkpointing.interval');
    expect(issue?.message).toBe('Checkpoint interval must be larger than or equal to 10 ms; got "5 ms"');
    expect(issues({ 'execution.checkpointing.interval': 9 })[0]?.message).toContain('got 9 (= 9 ms)');
    expect(tryResolveConfig({ 'execution.checkpointing.interval': '10 ms' }).ok).toBe(true);
  });

  it('takes rocksdb as the indexeddb backend and says to use indexeddb for forst', () => {
    const r = tryResolveConfig({ 'state.backend.type': 'rocksdb' });
    expect(r.ok && r.config.str('state.backend.type')).toBe('indexeddb');
    expect(tryResolveConfig({ 'state.backend': 'RocksDB' }).ok).toBe(true);
    expect(issues({ 'state.backend.type': 'forst' })[0]?.message).toContain('use "indexeddb"');
  });

  it('accepts Flink\'s "filesystem" checkpoint storage as the durable (IndexedDB) storage', () => {
    expect(
      resolveConfig({ 'execution.checkpointing.storage': 'filesystem' }).str(
        'execution.checkpointing.storage',
      ),
    ).toBe('indexeddb');
  });

  it('names the value and what is valid for wrong types, enums and ranges', () => {
    const found = issues({
      'execution.checkpointing.timeout': 'fast',
      'execution.checkpointing.mode': 'exactly-once',
      'execution.checkpointing.max-concurrent-checkpoints': 0,
      'execution.checkpointing.num-retained': '1.5',
      'pipeline.operator-chaining.enabled': 'yes',
      'parallelism.default': 40000,
      'pipeline.max-parallelism': 0,
      'restart-strategy.exponential-delay.jitter-factor': 2,
      'taskmanager.memory.segment-size': '5000',
      'execution.checkpointing.dir': 5,
      'jobmanager.execution.failover-strategy': 'regional',
    });
    const byKey = new Map(found.map((i) => [i.key, i.message]));
    expect(byKey.get('execution.checkpointing.timeout')).toMatch(
      /expected a duration like "1s", "500 ms" .* got "fast"/,
    );
    expect(byKey.get('execution.checkpointing.mode')).toBe(
      'expected one of "EXACTLY_ONCE" or "AT_LEAST_ONCE" (case-insensitive), got "exactly-once"; did you mean "EXACTLY_ONCE"?',
    );
    expect(byKey.get('execution.checkpointing.max-concurrent-checkpoints')).toBe('must be at least 1, got 0');
    expect(byKey.get('execution.checkpointing.num-retained')).toBe(
      'expected an integer like 4 or "4", got "1.5"',
    );
    expect(byKey.get('pipeline.operator-chaining.enabled')).toBe('expected true or false, got "yes"');
    expect(byKey.get('parallelism.default')).toBe('must be between 1 and 32768, got 40000');
    expect(byKey.get('pipeline.max-parallelism')).toContain('maxParallelism is out of bounds');
    expect(byKey.get('restart-strategy.exponential-delay.jitter-factor')).toBe(
      'must be between 0 and 1, got 2',
    );
    expect(byKey.get('taskmanager.memory.segment-size')).toContain('must be a power of two');
    expect(byKey.get('execution.checkpointing.dir')).toBe('expected a non-empty string, got 5');
    expect(byKey.get('jobmanager.execution.failover-strategy')).toContain('did you mean "region"?');
  });

  it('checks heartbeat timeout against interval', () => {
    const [issue] = issues({ 'heartbeat.interval': '10 s', 'heartbeat.timeout': '5 s' });
    expect(issue?.message).toContain(
      'The heartbeat timeout should be larger or equal than the heartbeat interval',
    );
  });

  it('throws a ConfigError that names each key', () => {
    expect(() => resolveConfig({ 'execution.checkpointing.interval': 'soon' })).toThrow(ConfigError);
    expect(() => resolveConfig({ 'execution.checkpointing.interval': 'soon' })).toThrow(
      /^execution\.checkpointing\.interval: expected a duration/,
    );
  });
});

describe('formatConfigValue', () => {
  it("renders normalized values in Flink's textual form", () => {
    expect(formatConfigValue('execution.checkpointing.timeout', 600_000_000)).toBe('10 min');
    expect(formatConfigValue('taskmanager.memory.segment-size', 32768)).toBe('32 kb');
    expect(formatConfigValue('execution.checkpointing.interval', null)).toBe('(none)');
    expect(formatConfigValue('execution.checkpointing.mode', 'EXACTLY_ONCE')).toBe('EXACTLY_ONCE');
  });
});

function problems(input: Record<string, unknown>): { key: string; message: string }[] {
  const result = tryResolveConfig(input);
  return result.ok ? [] : result.issues;
}

describe('checks from the Flink 1.20 audit (reference 2.7)', () => {
  it('accepts the deprecated state.backend.fs.* aliases of the checkpoint storage keys', () => {
    expect(problems({ 'state.backend.fs.memory-threshold': '10 kb' })).toEqual([]);
    expect(problems({ 'state.backend.fs.write-buffer-size': 8192 })).toEqual([]);
  });

  it('interval-during-backlog below 10 ms is accepted: it means no checkpoints during backlog', () => {
    expect(problems({ 'execution.checkpointing.interval-during-backlog': '5 ms' })).toEqual([]);
    expect(problems({ 'execution.checkpointing.interval-during-backlog': 0 })).toEqual([]);
  });

  it('knows heartbeat.rpc-failure-threshold (default 2, -1 disables)', () => {
    expect(problems({ 'heartbeat.rpc-failure-threshold': -1 })).toEqual([]);
    expect(problems({ 'heartbeat.rpc-failure-threshold': -2 }).length).toBe(1);
  });
});
