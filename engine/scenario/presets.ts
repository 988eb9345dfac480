/**
 * Built-in scenarios (raw JSON, as a user would write them). Each is validated by presets.test.ts.
 * Rates and key spaces are small so that a few virtual seconds hold thousands of records and run quickly.
 */
import type { RawScenarioInput } from './schema.ts';

/**
 * Demo-friendly heartbeats, as in the Flink Operations Playground's configuration: Flink's defaults (interval 10 s,
 * timeout 50 s) would leave a killed TaskManager unnoticed for 50 virtual seconds. The timeout must be at least the
 * interval (Flink's rule), so both are set.
 */
/**
 * Heartbeats as in Flink's operations playground (interval 1 s, timeout 5 s) instead of Flink's defaults (10 s,
 * 50 s): a lost TaskManager is noticed within seconds, which keeps a demo of a failure short.
 */
const DEMO_HEARTBEATS = { 'heartbeat.interval': '1 s', 'heartbeat.timeout': '5 s' } as const;

export interface Preset {
  id: string;
  name: string;
  description: string;
  scenario: RawScenarioInput;
}

/**
 * The Flink Operations Playground's ClickEventCount job (reference 7): six pages, 1000 events per page per 15 s
 * event-time window, bounded out-of-orderness 200 ms with 5 s idleness, keyBy page -> tumbling 15 s count ->
 * at-least-once sink, checkpoint every 1 s, heap state, a lost TaskManager noticed within ~5 s (heartbeat.timeout
 * 5000 ms), chaining disabled so the UI shows three vertices (reference 7.2).
 */
const clickCount: Preset = {
  id: 'click-count',
  name: 'Click event count',
  description:
    'The Flink Operations Playground job: click events keyed by page, counted per 15 s event-time window; ' +
    "Flink's state is exactly-once, so every window counts exactly 1000 clicks per page, also after a failure and " +
    'recovery. The sink is at-least-once, as in the playground: a failure between a window firing and the next ' +
    "checkpoint makes the replay write that window's result again (a duplicate). Switch the sink to exactly-once " +
    'to rule that out.',
  scenario: {
    version: 1,
    name: 'Click event count',
    description:
      'ClickEventCount from the Flink Operations Playground: source -> keyBy(page) -> tumbling 15 s count -> sink. ' +
      'Heartbeats as in the playground (interval 1 s, timeout 5 s): a lost TaskManager is noticed within 5 s.',
    seed: 42,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    topics: {
      input: {
        partitions: 2,
        generator: {
          kind: 'clicks',
          pages: ['/help', '/index', '/shop', '/jobs', '/about', '/news'],
          eventsPerWindow: 1000,
          windowSize: '15 s',
          ratePerSecond: 1000,
        },
      },
    },
    job: {
      name: 'Click Event Count',
      operators: [
        {
          id: 'clicks',
          kind: 'source',
          name: 'ClickEvent Source',
          topic: 'input',
          parallelism: 2,
          watermarks: { outOfOrderness: '200 ms', idleness: '5 s' },
        },
        {
          id: 'counter',
          kind: 'windowCount',
          name: 'ClickEvent Counter',
          input: 'clicks',
          keyBy: 'page',
          window: 'tumbling 15s',
          parallelism: 2,
        },
        {
          id: 'output',
          kind: 'sink',
          name: 'ClickEventStatistics Sink',
          input: 'counter',
          delivery: 'at-least-once',
          parallelism: 2,
        },
      ],
    },
    config: {
      'execution.checkpointing.interval': '1s',
      'state.backend.type': 'hashmap',
      ...DEMO_HEARTBEATS,
      'pipeline.operator-chaining.enabled': false,
    },
    // A slower network than a data centre's, so that buffers and barriers are visible in flight.
    sim: { networkLatency: '20 ms' },
  },
};

/** Two inputs of different speeds unioned: the union's watermark is the minimum of its inputs. */
const unionTwoSpeeds: Preset = {
  id: 'union-two-speeds',
  name: 'Union of a fast and a slow stream',
  description:
    'Two sensor streams (2000 and 200 records/s) unioned, keyed by sensor and summed in sliding 10 s windows. ' +
    'The slow input, with 1 s of out-of-orderness, holds the watermark back: windows fire only when both inputs ' +
    'have passed their end.',
  scenario: {
    version: 1,
    name: 'Union of a fast and a slow stream',
    seed: 7,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    topics: {
      fast: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 8,
          keyPrefix: 'sensor-',
          ratePerSecond: 2000,
          valueMin: 1,
          valueMax: 10,
        },
      },
      slow: {
        partitions: 1,
        generator: {
          kind: 'keyed',
          keys: 8,
          keyPrefix: 'sensor-',
          ratePerSecond: 200,
          maxOutOfOrderness: '1 s',
          valueMin: 1,
          valueMax: 10,
        },
      },
    },
    job: {
      name: 'Sensor sums',
      operators: [
        { id: 'fastSource', kind: 'source', topic: 'fast', parallelism: 2 },
        {
          id: 'slowSource',
          kind: 'source',
          topic: 'slow',
          parallelism: 1,
          watermarks: { outOfOrderness: '1 s' },
        },
        { id: 'union', kind: 'union', input: ['fastSource', 'slowSource'], parallelism: 2 },
        {
          id: 'sums',
          kind: 'window',
          input: 'union',
          keyBy: 'key',
          window: 'sliding 10s 5s',
          aggregate: 'sum',
          field: 'value',
          parallelism: 2,
        },
        { id: 'sensorSums', kind: 'sink', input: 'sums', parallelism: 2 },
      ],
    },
    config: { 'execution.checkpointing.interval': '2 s', ...DEMO_HEARTBEATS },
  },
};

/** Per-user activity with every keyed state kind and event-time timers. */
const userSessions: Preset = {
  id: 'user-sessions',
  name: 'User sessions',
  description:
    'Clicks of 50 users keyed by user: a KeyedProcessFunction keeps per-user counters, the last pages and a ' +
    'MapState of pages, and closes a session after 5 s of event-time inactivity (HashMapStateBackend).',
  scenario: {
    version: 1,
    name: 'User sessions',
    seed: 3,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    topics: {
      clicks: {
        partitions: 2,
        generator: { kind: 'clicks', users: 50, ratePerSecond: 500 },
      },
    },
    job: {
      name: 'User activity',
      operators: [
        {
          id: 'clicks',
          kind: 'source',
          topic: 'clicks',
          parallelism: 2,
          watermarks: { outOfOrderness: '200 ms' },
        },
        {
          id: 'activity',
          kind: 'keyedProcess',
          input: 'clicks',
          keyBy: 'user',
          fn: 'userActivity',
          field: 'page',
          emitEvery: 10,
          keepLast: 5,
          sessionGap: '5 s',
          parallelism: 2,
        },
        { id: 'sessions', kind: 'sink', input: 'activity', parallelism: 1 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '1 s',
      'state.backend.type': 'hashmap',
      ...DEMO_HEARTBEATS,
    },
  },
};

/** A stateless pipeline without keyBy: operator chaining is visible. */
const wordFilter: Preset = {
  id: 'word-filter',
  name: 'Word filter (chaining)',
  description:
    'Lines of text split into words, rebalanced from one source subtask to two, filtered and upper-cased. ' +
    'No keyBy: flatMap, filter, map and sink are chained into one task.',
  scenario: {
    version: 1,
    name: 'Word filter',
    seed: 11,
    cluster: { taskManagers: 1, slotsPerTaskManager: 2 },
    topics: {
      lines: {
        partitions: 1,
        generator: {
          kind: 'text',
          words: ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog'],
          wordsPerLine: 5,
          ratePerSecond: 200,
        },
      },
    },
    job: {
      name: 'Word filter',
      operators: [
        { id: 'lines', kind: 'source', topic: 'lines', parallelism: 1 },
        {
          id: 'split',
          kind: 'flatMap',
          input: 'lines',
          fn: { type: 'split', field: 'line', separator: ' ', into: 'word' },
          partitioner: 'rebalance',
          parallelism: 2,
        },
        {
          id: 'dropThe',
          kind: 'filter',
          input: 'split',
          where: { field: 'word', op: 'ne', value: 'the' },
          parallelism: 2,
        },
        { id: 'upper', kind: 'map', input: 'dropThe', fn: { type: 'upper', field: 'word' }, parallelism: 2 },
        { id: 'words', kind: 'sink', input: 'upper', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '1 s',
      'pipeline.operator-chaining.enabled': true,
      ...DEMO_HEARTBEATS,
    },
  },
};

/** A keyed rolling sum (ReducingState) with int keys and a transactional sink. */
const rollingSum: Preset = {
  id: 'rolling-sum',
  name: 'Rolling sum',
  description:
    'Integer keys with values 1..10, keyed and summed with a reduce (ReducingState per key); the sink is ' +
    'exactly-once, so its output becomes visible when each checkpoint completes.',
  scenario: {
    version: 1,
    name: 'Rolling sum',
    seed: 5,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    topics: {
      numbers: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 10,
          keyType: 'int',
          ratePerSecond: 1000,
          valueMin: 1,
          valueMax: 10,
        },
      },
    },
    job: {
      name: 'Rolling sum',
      operators: [
        { id: 'numbers', kind: 'source', topic: 'numbers', parallelism: 2 },
        {
          id: 'sum',
          kind: 'reduce',
          input: 'numbers',
          keyBy: 'key',
          keyType: 'int',
          aggregate: 'sum',
          field: 'value',
          parallelism: 2,
        },
        { id: 'sums', kind: 'sink', input: 'sum', delivery: 'exactly-once', parallelism: 2 },
      ],
    },
    config: { 'execution.checkpointing.interval': '1 s', ...DEMO_HEARTBEATS },
  },
};

export const PRESETS: readonly Preset[] = [clickCount, unionTwoSpeeds, userSessions, wordFilter, rollingSum];

/** The preset with this id, or undefined. */
export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
// Presets are shared: freeze them so that no caller can edit one by accident (copy before editing).
deepFreeze(PRESETS);
