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

// ---- Presets named for what they teach (issue 11). Each one's lesson is checked by presetLessons.test.ts. -------

const DEMO_CLUSTER = { taskManagers: 2, slotsPerTaskManager: 1 } as const;

/**
 * Alignment you can see: a fast input (orders, read directly) and a slow one (returns, through a fraud check that
 * handles about 1,700 records/s but gets 2,000/s, so it is backpressured). Barriers travel behind the data, so the
 * slow input's barrier arrives hundreds of ms after the fast one's, and the union holds the fast channel meanwhile.
 * Small network buffers (4 kb) keep the backlog, and so the alignment, bounded (reference 1.3). No barrier delays.
 */
const alignmentFastSlow: Preset = {
  id: 'alignment-fast-slow',
  name: 'Alignment: a fast and a slow input',
  description:
    'Orders arrive fast; returns go through a slow fraud check that cannot keep up, so its input queue is always ' +
    'full. A barrier waits in that queue behind the data, so it reaches the union hundreds of ms after the ' +
    "orders' barrier. Watch the union subtasks align: the orders channel shows a gate (‖) and is held until the " +
    "returns' barrier arrives, then the checkpoint moves on.",
  scenario: {
    version: 1,
    name: 'Alignment: a fast and a slow input',
    description:
      'Two inputs unioned and summed per shop. The returns path has a slow per-record check (600 µs) and is ' +
      'backpressured; small network buffers (4 kb) keep its queue short enough that each alignment ends within a second.',
    seed: 1,
    cluster: DEMO_CLUSTER,
    topics: {
      orders: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 20,
          keyPrefix: 'shop-',
          ratePerSecond: 2000,
          valueMin: 1,
          valueMax: 100,
        },
      },
      returns: {
        partitions: 1,
        generator: {
          kind: 'keyed',
          keys: 20,
          keyPrefix: 'shop-',
          ratePerSecond: 2000,
          valueMin: 1,
          valueMax: 100,
        },
      },
    },
    job: {
      name: 'Orders and returns per shop',
      operators: [
        { id: 'orders', kind: 'source', topic: 'orders', parallelism: 2 },
        { id: 'returns', kind: 'source', topic: 'returns', parallelism: 1 },
        {
          id: 'fraudCheck',
          kind: 'map',
          name: 'Fraud check (slow)',
          input: 'returns',
          fn: { type: 'identity' },
          costPerRecord: '600 us',
          parallelism: 1,
        },
        { id: 'union', kind: 'union', input: ['orders', 'fraudCheck'], parallelism: 2 },
        {
          id: 'perShop',
          kind: 'reduce',
          input: 'union',
          keyBy: 'key',
          aggregate: 'sum',
          field: 'value',
          parallelism: 2,
        },
        { id: 'totals', kind: 'sink', input: 'perShop', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'taskmanager.memory.segment-size': '4 kb',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    sim: { networkLatency: '20 ms', networkJitter: '5 ms' },
  },
};

/** A job whose keyed operator cannot keep up: its input queues are full, so barriers wait behind the data. */
function backpressuredJob(unaligned: boolean): RawScenarioInput {
  return {
    version: 1,
    name: unaligned ? 'Unaligned checkpoints under backpressure' : 'Checkpoint timeout under backpressure',
    description:
      'Meter readings (3,000/s) summed per meter by an operator that handles about 2,500/s (800 µs per record): ' +
      'it is backpressured, and its input queues stay full. Checkpoint timeout 2 s; up to 100 failed checkpoints ' +
      'are tolerated so the job keeps running.',
    seed: 1,
    cluster: DEMO_CLUSTER,
    topics: {
      readings: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 50,
          keyPrefix: 'meter-',
          ratePerSecond: 3000,
          valueMin: 1,
          valueMax: 100,
        },
      },
    },
    job: {
      name: 'Meter totals',
      operators: [
        { id: 'readings', kind: 'source', topic: 'readings', parallelism: 2 },
        {
          id: 'totals',
          kind: 'reduce',
          name: 'Totals (slow)',
          input: 'readings',
          keyBy: 'key',
          aggregate: 'sum',
          field: 'value',
          costPerRecord: '800 us',
          parallelism: 2,
        },
        { id: 'out', kind: 'sink', input: 'totals', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'execution.checkpointing.timeout': '2 s',
      'execution.checkpointing.tolerable-failed-checkpoints': 100,
      'execution.checkpointing.unaligned.enabled': unaligned,
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    sim: { networkLatency: '20 ms' },
  };
}

const checkpointTimeout: Preset = {
  id: 'checkpoint-timeout',
  name: 'Checkpoint timeout under backpressure',
  description:
    'The Totals operator cannot keep up, so its input queues are full. An aligned barrier waits its turn behind ' +
    'all that data: each checkpoint takes longer than the one before, and from about 10 s they pass the 2 s ' +
    'timeout and fail (CHECKPOINT_EXPIRED in the Checkpoints panel). Compare with "Unaligned checkpoints under ' +
    'backpressure": the same job with one switch changed.',
  scenario: backpressuredJob(false),
};

const unalignedFix: Preset = {
  id: 'unaligned-under-backpressure',
  name: 'Unaligned checkpoints under backpressure',
  description:
    'The same backpressured job as "Checkpoint timeout under backpressure", with unaligned checkpoints on. The ' +
    'barrier overtakes the queued data, and the data it overtook is saved with the checkpoint (in-flight data). ' +
    'Every checkpoint now completes in about 80 ms; watch its size grow by that in-flight data instead.',
  scenario: backpressuredJob(true),
};

/** A rolling sum emits a result per record, so anything replayed after a failure is written twice. */
function sumsWithFailure(delivery: 'at-least-once' | 'exactly-once', name: string): RawScenarioInput {
  return {
    version: 1,
    name,
    description:
      'Running totals per account (500 records/s), checkpoint every 2 s; the sum subtask sum#0 fails at 6.5 s, ' +
      'between two checkpoints, so the job replays from the checkpoint of about 5.9 s.',
    seed: 5,
    cluster: DEMO_CLUSTER,
    topics: {
      payments: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 8,
          keyPrefix: 'account-',
          ratePerSecond: 500,
          valueMin: 1,
          valueMax: 10,
        },
      },
    },
    job: {
      name: 'Account totals',
      operators: [
        { id: 'payments', kind: 'source', topic: 'payments', parallelism: 2 },
        {
          id: 'sum',
          kind: 'reduce',
          input: 'payments',
          keyBy: 'key',
          aggregate: 'sum',
          field: 'value',
          parallelism: 2,
        },
        { id: 'totals', kind: 'sink', input: 'sum', delivery, parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    faults: [{ at: '6.5 s', kind: 'fail-task', target: 'sum#0' }],
    sim: { networkLatency: '20 ms' },
  };
}

const atLeastOnceDuplicates: Preset = {
  id: 'at-least-once-duplicates',
  name: 'At-least-once: duplicates after a failure',
  description:
    'Running totals written by an at-least-once sink. At 6.5 s a subtask fails. The job goes back to the last ' +
    'checkpoint and replays what came after it, and the sink writes those results a second time: watch the ' +
    'Output panel count duplicates. State is still exactly-once; only the output repeats.',
  scenario: sumsWithFailure('at-least-once', 'At-least-once: duplicates after a failure'),
};

const twoPhaseCommit: Preset = {
  id: 'two-phase-commit',
  name: 'Two-phase commit: read committed vs uncommitted',
  description:
    'The same running totals, written by an exactly-once sink in transactions: one per checkpoint, committed ' +
    'when the checkpoint completes. In the Output panel, rows marked "pending" are what only a read-uncommitted ' +
    'reader sees; a read-committed reader sees only committed rows. At 6.5 s a subtask fails: its open ' +
    'transaction is aborted and replayed, so a read-uncommitted reader sees duplicates, a read-committed one none.',
  scenario: sumsWithFailure('exactly-once', 'Two-phase commit: read committed vs uncommitted'),
};

/**
 * Large keyed state and slow uploads: every (full) checkpoint uploads the whole state. Waits for the IndexedDB
 * backend (incremental checkpoints); until then it runs on the hashmap backend and says so.
 */
const largeState: Preset = {
  id: 'large-state',
  name: 'Large state: full vs incremental checkpoints',
  description:
    'Waits for the IndexedDB backend: until it lands this runs on the in-memory hashmap backend, where every ' +
    'checkpoint is full. 50,000 customers each keep a running total (about 2 MB of state once all have bought), ' +
    'uploaded at 2 MB/s: watch the async phase of every checkpoint upload the whole state again, although only a ' +
    'fifth of the keys changed since the last one. With IndexedDB and incremental checkpoints, each checkpoint ' +
    'would upload only what changed.',
  scenario: {
    version: 1,
    name: 'Large state: full vs incremental checkpoints',
    description:
      'A running total per customer for 50,000 customers. hashmap backend (full checkpoints) until the IndexedDB ' +
      'backend lands; slow state upload (sim.stateBandwidth 2 mb/s) so the async phase is visible.',
    seed: 9,
    cluster: DEMO_CLUSTER,
    topics: {
      purchases: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 50_000,
          keyPrefix: 'customer-7f3c9a2e-4b1d-4e8a-9c6f-',
          ratePerSecond: 5000,
          valueMin: 1,
          valueMax: 100,
        },
      },
    },
    job: {
      name: 'Totals per customer',
      operators: [
        { id: 'purchases', kind: 'source', topic: 'purchases', parallelism: 2 },
        {
          id: 'perCustomer',
          kind: 'reduce',
          input: 'purchases',
          keyBy: 'key',
          aggregate: 'sum',
          field: 'value',
          parallelism: 2,
        },
        { id: 'totals', kind: 'sink', input: 'perCustomer', delivery: 'idempotent', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'state.backend.type': 'hashmap',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    sim: { networkLatency: '20 ms', stateBandwidth: '2 mb' },
  },
};

/** Click counting with a savepoint at 8 s: restart from it with another parallelism (rescaling, reference 4.6). */
const rescale: Preset = {
  id: 'rescale-savepoint',
  name: 'Rescale through a savepoint',
  description:
    'The click count job takes a savepoint at 8 s. Then use "Restart…" to start a new job from it with the ' +
    'counter at parallelism 3 (and 3 TaskManagers). Keyed state moves by key group: each new subtask reads ' +
    'its range of key groups from the savepoint, and every window still counts exactly 1000 clicks per page.',
  scenario: {
    version: 1,
    name: 'Rescale through a savepoint',
    description:
      'ClickEventCount with a savepoint at 8 s (actions). Restart from it with another parallelism to rescale.',
    seed: 42,
    cluster: DEMO_CLUSTER,
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
          topic: 'input',
          parallelism: 2,
          watermarks: { outOfOrderness: '200 ms', idleness: '5 s' },
        },
        {
          id: 'counter',
          kind: 'windowCount',
          input: 'clicks',
          keyBy: 'page',
          window: 'tumbling 15s',
          parallelism: 2,
        },
        {
          id: 'output',
          kind: 'sink',
          input: 'counter',
          delivery: 'exactly-once',
          partitioner: 'rebalance',
          parallelism: 2,
        },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    actions: [{ at: '8 s', kind: 'savepoint' }],
    sim: { networkLatency: '20 ms' },
  },
};

const givesUp: Preset = {
  id: 'restart-gives-up',
  name: 'A restart strategy that gives up',
  description:
    'fixed-delay restart strategy: at most 2 restarts, 2 s apart. A subtask fails at 4 s, 8 s and 12 s. The ' +
    'first two failures restart the job from its last checkpoint; the third is one too many: the strategy ' +
    'suppresses recovery and the job ends FAILED, with the reason in the log.',
  scenario: {
    version: 1,
    name: 'A restart strategy that gives up',
    description: 'Rolling sums with restart-strategy fixed-delay (2 attempts, 2 s delay) and three failures.',
    seed: 5,
    cluster: DEMO_CLUSTER,
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
        { id: 'sums', kind: 'sink', input: 'sum', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '1 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 2,
      'restart-strategy.fixed-delay.delay': '2 s',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    faults: [
      { at: '4 s', kind: 'fail-task', target: 'sum#0' },
      { at: '8 s', kind: 'fail-task', target: 'sum#1' },
      { at: '12 s', kind: 'fail-task', target: 'sum#0' },
    ],
    sim: { networkLatency: '20 ms' },
  },
};

const storageLimit: Preset = {
  id: 'jobmanager-storage-limit',
  name: 'A checkpoint over the JobManager storage limit',
  description:
    'A job that finds repeated page views remembers every URL it has seen (with its tracking parameters), so ' +
    "its state only grows. Checkpoints go to the JobManager's memory (JobManagerCheckpointStorage), which takes " +
    'at most 5 MiB per state. Watch the state of seen#0 pass 5 MiB at about 9 s: from then on every checkpoint ' +
    'fails with "Size of the state is larger than the maximum permitted memory-backed state". The fix in Flink ' +
    'is durable checkpoint storage.',
  scenario: {
    version: 1,
    name: 'A checkpoint over the JobManager storage limit',
    description:
      'A count per URL for 45,000 URLs, all in one subtask; checkpoint storage jobmanager (5 MiB limit); ' +
      'failed checkpoints are tolerated so the job keeps running and the failures can be read.',
    seed: 2,
    cluster: DEMO_CLUSTER,
    topics: {
      views: {
        partitions: 2,
        generator: {
          kind: 'keyed',
          keys: 45_000,
          keyPrefix:
            'https://shop.example.com/products/garden/tools?utm_source=newsletter&utm_medium=email' +
            '&utm_campaign=spring-sale&session=',
          ratePerSecond: 4500,
          valueMin: 1,
          valueMax: 1,
        },
      },
    },
    job: {
      name: 'Repeated page views',
      operators: [
        { id: 'views', kind: 'source', topic: 'views', parallelism: 2 },
        {
          id: 'seen',
          kind: 'reduce',
          name: 'Seen URLs',
          input: 'views',
          keyBy: 'key',
          aggregate: 'count',
          parallelism: 1,
        },
        {
          id: 'repeats',
          kind: 'filter',
          input: 'seen',
          where: { field: 'count', op: 'eq', value: 2 },
          parallelism: 1,
        },
        { id: 'repeated', kind: 'sink', input: 'repeats', parallelism: 1 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '2 s',
      'execution.checkpointing.storage': 'jobmanager',
      'execution.checkpointing.tolerable-failed-checkpoints': 100,
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    sim: { networkLatency: '20 ms' },
  },
};

const regionFailover: Preset = {
  id: 'region-failover',
  name: 'Region failover without keyBy',
  description:
    'Two parallel pipelines that never exchange data (no keyBy, no rebalance: forward edges only), so each is ' +
    'its own failover region. When clean#0 fails at 6 s, only the four subtasks of pipeline 0 restart from the ' +
    'checkpoint; pipeline 1 keeps running and never stops writing.',
  scenario: {
    version: 1,
    name: 'Region failover without keyBy',
    description:
      'Log lines cleaned and filtered in two independent pipelines; jobmanager.execution.failover-strategy: ' +
      'region (the default).',
    seed: 11,
    cluster: DEMO_CLUSTER,
    topics: {
      logs: {
        partitions: 2,
        generator: {
          kind: 'text',
          words: ['GET', 'POST', '/cart', '/login', '200', '404', '500', 'ok'],
          wordsPerLine: 4,
          ratePerSecond: 400,
        },
      },
    },
    job: {
      name: 'Log cleaning',
      operators: [
        { id: 'logs', kind: 'source', topic: 'logs', parallelism: 2 },
        { id: 'clean', kind: 'map', input: 'logs', fn: { type: 'lower', field: 'line' }, parallelism: 2 },
        {
          id: 'errors',
          kind: 'filter',
          input: 'clean',
          where: { field: 'line', op: 'ne', value: '' },
          parallelism: 2,
        },
        { id: 'archive', kind: 'sink', input: 'errors', parallelism: 2 },
      ],
    },
    config: {
      'execution.checkpointing.interval': '1 s',
      'jobmanager.execution.failover-strategy': 'region',
      'pipeline.operator-chaining.enabled': false,
      ...DEMO_HEARTBEATS,
    },
    faults: [{ at: '6 s', kind: 'fail-task', target: 'clean#0' }],
    sim: { networkLatency: '20 ms' },
  },
};

export const PRESETS: readonly Preset[] = [
  clickCount,
  unionTwoSpeeds,
  userSessions,
  wordFilter,
  rollingSum,
  alignmentFastSlow,
  checkpointTimeout,
  unalignedFix,
  atLeastOnceDuplicates,
  twoPhaseCommit,
  largeState,
  rescale,
  givesUp,
  storageLimit,
  regionFailover,
];

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
