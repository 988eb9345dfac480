import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { presetScenario } from '../engine.ts';
import { validateScenario } from '../scenario/index.ts';
import type { Scenario } from '../scenario/types.ts';
import { checkpointConfigJson, javaDouble, LONG_MAX_VALUE, restJsonText } from './restConfig.ts';

type Json = Record<string, unknown>;

const sampleText = readFileSync(
  new URL('./testdata/flink-1.15plus-history-archive-checkpoints-config.json', import.meta.url),
  'utf8',
);
const sample = JSON.parse(sampleText) as Json;
const emptyArchiveText = readFileSync(
  new URL('./testdata/flink-1.15plus-history-archive-checkpoints-empty.json', import.meta.url),
  'utf8',
);

function scenario(config: Record<string, string>, drop: string[] = []): Scenario {
  const doc = presetScenario('click-count') as Json;
  const cfg = { ...(doc.config as Record<string, string>), ...config };
  for (const k of drop) delete cfg[k];
  const v = validateScenario({ ...doc, config: cfg });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return v.scenario;
}

/** Key sets and JSON types, recursively (null matches only null). */
function shape(x: unknown): unknown {
  if (x === null) return null;
  if (Array.isArray(x)) return x.map(shape);
  if (typeof x === 'object') {
    return Object.fromEntries(Object.entries(x as Json).map(([k, v]) => [k, shape(v)]));
  }
  return typeof x;
}

/** Fields of the 1.19 schema that the 1.15+ archive sample predates (the changelog backend, 1.16+). */
const NEWER = ['state_changelog_enabled', 'changelog_periodic_materialization_interval', 'changelog_storage'];

describe('GET /checkpoints/config', () => {
  it('has the sample’s keys, in its order, with its types (plus the 1.16+ changelog fields)', () => {
    const j = checkpointConfigJson(scenario({})) as Json;
    expect(Object.keys(j)).toEqual([...Object.keys(sample), ...NEWER]);
    const mine = shape(j) as Json;
    for (const k of NEWER) delete mine[k];
    expect(mine).toEqual(shape(sample));
    expect(j).toMatchObject({
      mode: 'exactly_once',
      timeout: 600000,
      min_pause: 0,
      max_concurrent: 1,
      state_backend: 'HashMapStateBackend',
      checkpoint_storage: 'JobManagerCheckpointStorage',
      checkpoints_after_tasks_finish: true,
      externalization: { enabled: false, delete_on_cancellation: true },
    });
  });

  it('with checkpointing off reproduces the history-server sample: Long.MAX_VALUE interval, at_least_once', () => {
    const off = checkpointConfigJson(scenario({}, ['execution.checkpointing.interval']));
    // Every field of the sample, value for value, and the same JSON text for them.
    const mine = { ...(off as Json) };
    for (const k of NEWER) delete mine[k];
    expect(mine).toEqual({ ...sample, interval: LONG_MAX_VALUE });
    expect(restJsonText(mine, 2)).toBe(sampleText.trim());
    expect(restJsonText(off)).toContain('"interval":9223372036854775807,');
  });

  it('follows the configuration', () => {
    const j = checkpointConfigJson(
      scenario({
        'execution.checkpointing.interval': '2500 ms',
        'execution.checkpointing.mode': 'AT_LEAST_ONCE',
        'execution.checkpointing.timeout': '1 min',
        'execution.checkpointing.min-pause': '300 ms',
        'execution.checkpointing.tolerable-failed-checkpoints': '3',
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
      }),
    );
    expect(j).toMatchObject({
      mode: 'at_least_once',
      interval: 2500,
      timeout: 60000,
      min_pause: 300,
      unaligned_checkpoints: false,
      tolerable_failed_checkpoints: 3,
      externalization: { enabled: true, delete_on_cancellation: false },
    });
    const unaligned = checkpointConfigJson(
      scenario({
        'execution.checkpointing.unaligned.enabled': 'true',
        'execution.checkpointing.aligned-checkpoint-timeout': '30 ms',
      }),
    );
    expect(unaligned).toMatchObject({
      mode: 'exactly_once',
      unaligned_checkpoints: true,
      aligned_checkpoint_timeout: 30,
    });
    expect(restJsonText(j)).toContain('"interval":2500,');
  });
});

describe('restJsonText: Java types in the JSON text', () => {
  it('prints quantiles as Jackson prints doubles, like the empty history-server archive', () => {
    const archive = JSON.parse(emptyArchiveText) as Json;
    expect(restJsonText(archive, 2)).toBe(emptyArchiveText.trim());
    expect(restJsonText({ p50: 36, p90: 2.5, p999: 'NaN', min: 31, avg: 61 })).toBe(
      '{"p50":36.0,"p90":2.5,"p999":"NaN","min":31,"avg":61}',
    );
  });

  it('javaDouble matches Double.toString', () => {
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(36)).toBe('36.0');
    expect(javaDouble(15207.5)).toBe('15207.5');
    expect(javaDouble(0.001)).toBe('0.001');
    expect(javaDouble(1e-4)).toBe('1.0E-4');
    expect(javaDouble(12_000_000)).toBe('1.2E7');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(-2.5)).toBe('-2.5');
  });

  it('leaves other numbers and strings alone', () => {
    const text = restJsonText({ id: 3, name: 'p50', nested: [{ x: 1.5 }], big: 2 ** 53 });
    expect(JSON.parse(text)).toEqual({ id: 3, name: 'p50', nested: [{ x: 1.5 }], big: 2 ** 53 });
  });
});
