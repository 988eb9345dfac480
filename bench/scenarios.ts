/** Scenarios used by the benchmarks (raw scenario JSON, validated by the engine like any other). */

export const RECORDS = 5_000_000;
export const KEYS = 100_000;
export const PARALLELISM = 4;
/** 2.5 s windows: with 100k keys at 1 record per µs of event time, each key sees ~25 records per window. */
export const WINDOW_MS = 2500;

/** Large keyed window job: 5M records, 100k string keys, parallelism 4, 2.5 s tumbling event-time count windows. */
export function throughputScenario(records = RECORDS, extraConfig: Record<string, string> = {}): unknown {
  return {
    version: 1,
    name: 'bench: keyed window count',
    seed: 7,
    cluster: { taskManagers: 2, slotsPerTaskManager: 2 },
    topics: {
      events: {
        partitions: PARALLELISM,
        generator: {
          kind: 'keyed',
          keys: KEYS,
          keyType: 'string',
          distribution: 'uniform',
          // 250k records/s per partition (one every 4 µs) against a source cost of 5 µs per record: the sources
          // run behind the topic (a backlog, as after a restore), so every poll reads a full batch.
          ratePerSecond: 1_000_000,
          eventTimeStep: '1 us',
          count: records,
        },
      },
    },
    job: {
      operators: [
        {
          id: 'source',
          kind: 'source',
          topic: 'events',
          parallelism: PARALLELISM,
          maxBatch: 1024,
          costPerRecord: '5 us',
        },
        {
          id: 'counter',
          kind: 'windowCount',
          input: 'source',
          keyBy: 'key',
          window: `tumbling ${WINDOW_MS} ms`,
          parallelism: PARALLELISM,
          costPerRecord: '1 us',
        },
        { id: 'sink', kind: 'sink', input: 'counter', parallelism: PARALLELISM, costPerRecord: '1 us' },
      ],
    },
    config: { 'pipeline.operator-chaining.enabled': 'false', ...extraConfig },
  };
}
