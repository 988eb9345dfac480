import { describe, expect, it } from 'vitest';
import { PRESETS, getPreset } from './presets.ts';
import { formatErrors, validateScenario } from './validate.ts';
import type { Scenario } from './types.ts';

function load(id: string): Scenario {
  const preset = getPreset(id);
  if (preset === undefined) throw new Error(`no preset ${id}`);
  const result = validateScenario(preset.scenario);
  if (!result.ok) throw new Error(formatErrors(result.errors));
  return result.scenario;
}

describe('presets', () => {
  it.each(PRESETS.map((p) => p.id))('%s validates', (id) => {
    const preset = getPreset(id);
    expect(preset?.name).not.toBe('');
    expect(preset?.description).not.toBe('');
    const result = validateScenario(preset?.scenario);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has the required ids, unique', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'click-count',
        'union-two-speeds',
        'user-sessions',
        'word-filter',
        'rolling-sum',
        'alignment-fast-slow',
        'checkpoint-timeout',
        'unaligned-under-backpressure',
        'at-least-once-duplicates',
        'two-phase-commit',
        'large-state',
        'rescale-savepoint',
        'restart-gives-up',
        'jobmanager-storage-limit',
        'region-failover',
      ]),
    );
    expect(ids.length).toBeGreaterThanOrEqual(10);
    // Each says what to watch, in plain sentences (shown on the page by WhatToWatch).
    for (const p of PRESETS) expect(p.description.length).toBeGreaterThan(80);
    expect(getPreset('nope')).toBeUndefined();
  });

  it('are frozen (copy before editing)', () => {
    expect(Object.isFrozen(getPreset('click-count')?.scenario)).toBe(true);
  });

  it('click-count is the playground ClickEventCount job (reference 7)', () => {
    const s = load('click-count');
    expect(s.name).toBe('Click event count');
    expect(s.seed).toBe(42);
    expect(s.cluster).toEqual({ taskManagers: 2, slotsPerTaskManager: 1 });
    expect(s.topics[0]).toEqual({
      name: 'input',
      partitions: 2,
      generator: {
        kind: 'clicks',
        pages: ['/help', '/index', '/shop', '/jobs', '/about', '/news'],
        eventsPerWindow: 1000,
        windowSizeMs: 15_000,
        ratePerSecond: 1000,
        users: 0,
        count: null,
      },
    });
    expect(s.topics[1]).toEqual({ name: 'output', partitions: 2, generator: null });
    expect(s.operators.map((o) => [o.id, o.kind, o.parallelism, o.partitioner])).toEqual([
      ['clicks', 'source', 2, 'forward'],
      ['counter', 'window', 2, 'hash'],
      ['output', 'sink', 2, 'forward'],
    ]);
    expect(s.operators[0]).toMatchObject({ outOfOrdernessUs: 200_000, idlenessUs: 5_000_000 });
    expect(s.operators[1]).toMatchObject({
      keyBy: 'page',
      aggregate: 'count',
      window: { type: 'tumbling', sizeMs: 15_000 },
    });
    expect(s.operators[2]).toMatchObject({ delivery: 'at-least-once', topic: 'output' });
    expect(s.config.duration('execution.checkpointing.interval')).toBe(1_000_000);
    expect(s.config.str('execution.checkpointing.mode')).toBe('EXACTLY_ONCE');
    expect(s.config.str('state.backend.type')).toBe('hashmap');
    expect(s.config.duration('heartbeat.timeout')).toBe(5_000_000);
    expect(s.config.duration('heartbeat.interval')).toBe(1_000_000);
    expect(s.config.bool('pipeline.operator-chaining.enabled')).toBe(false);
    expect(s.config.str('restart-strategy.type')).toBe('exponential-delay');
  });

  it('union-two-speeds unions two sources of different speeds', () => {
    const s = load('union-two-speeds');
    const union = s.operators.find((o) => o.kind === 'union');
    expect(union?.inputs).toHaveLength(2);
    const rates = s.topics.flatMap((t) => (t.generator?.kind === 'keyed' ? [t.generator.ratePerSecond] : []));
    expect(rates).toEqual([2000, 200]);
    expect(s.operators.find((o) => o.kind === 'window')).toMatchObject({
      keyBy: 'key',
      aggregate: 'sum',
      field: 'value',
      window: { type: 'sliding', sizeMs: 10_000, slideMs: 5000 },
    });
  });

  it('user-sessions runs a keyed process function with a session gap', () => {
    const s = load('user-sessions');
    expect(s.operators.find((o) => o.kind === 'keyedProcess')).toMatchObject({
      keyBy: 'user',
      field: 'page',
      sessionGapUs: 5_000_000,
    });
    expect(s.topics[0]?.generator).toMatchObject({ kind: 'clicks', users: 50 });
  });

  it('word-filter has no keyBy and chains after the rebalance', () => {
    const s = load('word-filter');
    expect(s.operators.every((o) => o.keyBy === null)).toBe(true);
    expect(s.operators.map((o) => o.partitioner)).toEqual([
      'forward',
      'rebalance',
      'forward',
      'forward',
      'forward',
    ]);
    expect(s.config.bool('pipeline.operator-chaining.enabled')).toBe(true);
  });

  it('rolling-sum reduces int keys', () => {
    const s = load('rolling-sum');
    expect(s.operators.find((o) => o.kind === 'reduce')).toMatchObject({
      keyBy: 'key',
      keyType: 'int',
      aggregate: 'sum',
      field: 'value',
    });
  });
});
