/**
 * The glossary: every Flink (and Lab) term the screen uses, in one or two sentences, with the Flink 1.20 docs page
 * that explains it. Read by <Term>, the help dialog and the tour.
 */
export const DOCS = 'https://nightlies.apache.org/flink/flink-docs-release-1.20/docs';

export type TermId =
  | 'barrier'
  | 'alignment'
  | 'key-group'
  | 'two-phase-commit'
  | 'savepoint'
  | 'watermark'
  | 'reference-run'
  | 'trace-hash'
  | 'checkpoint'
  | 'subtask'
  | 'taskmanager'
  | 'jobmanager'
  | 'slot'
  | 'backpressure'
  | 'unaligned-checkpoint'
  | 'exactly-once'
  | 'at-least-once'
  | 'event-time'
  | 'virtual-time'
  | 'keyed-state'
  | 'parallelism'
  | 'restart-strategy'
  | 'failover-region'
  | 'state-backend'
  | 'incremental-checkpoint'
  | 'checkpoint-storage'
  | 'heartbeat';

export interface TermDef {
  term: string;
  text: string;
  /** Flink docs page (absolute), or null for a term of the Lab itself. */
  href: string | null;
}

export const TERMS: Record<TermId, TermDef> = {
  barrier: {
    term: 'Checkpoint barrier',
    text: 'A marker the sources inject into the stream; it flows with the records and splits them into "before this checkpoint" and "after". A task snapshots its state when the barrier passes it.',
    href: `${DOCS}/concepts/stateful-stream-processing/#barriers`,
  },
  alignment: {
    term: 'Barrier alignment',
    text: 'A task with several inputs waits until the barrier has arrived on all of them, holding back the inputs that are already ahead, so its snapshot contains exactly the records before the barrier.',
    href: `${DOCS}/ops/state/checkpointing_under_backpressure/`,
  },
  'key-group': {
    term: 'Key group',
    text: 'Keys are hashed into a fixed number of key groups (the max parallelism); each subtask owns a range of them. Key groups are the unit in which keyed state is snapshotted and redistributed on rescale.',
    href: `${DOCS}/concepts/stateful-stream-processing/#keyed-state`,
  },
  'two-phase-commit': {
    term: 'Two-phase commit',
    text: 'An exactly-once sink writes into a transaction, pre-commits it at the checkpoint barrier and commits it only when the checkpoint completes; readers with read-committed see nothing uncommitted.',
    href: `${DOCS}/connectors/datastream/kafka/#fault-tolerance`,
  },
  savepoint: {
    term: 'Savepoint',
    text: 'A checkpoint you trigger yourself and that Flink never deletes, in a portable format: restart, upgrade or rescale the job from it.',
    href: `${DOCS}/ops/state/savepoints/`,
  },
  watermark: {
    term: 'Watermark',
    text: 'A claim in event time: "no record older than this will come". Windows fire when the watermark passes their end. A task with several inputs takes the minimum of their watermarks.',
    href: `${DOCS}/concepts/time/#event-time-and-watermarks`,
  },
  'reference-run': {
    term: 'Reference run',
    text: 'The same job with the same seed but without any failure, run beside yours. The correctness check compares your sink output against it to find lost or duplicated records.',
    href: `${DOCS}/learn-flink/fault_tolerance/`,
  },
  'trace-hash': {
    term: 'Trace hash',
    text: 'A fingerprint of every event the simulation processed, in order. The same scenario, seed and actions always give the same hash: a replay or a shared link is the same run.',
    href: null,
  },
  checkpoint: {
    term: 'Checkpoint',
    text: 'A consistent snapshot of all operator state plus the source positions, taken while the job runs. After a failure Flink restores the latest completed checkpoint and replays from there.',
    href: `${DOCS}/ops/state/checkpoints/`,
  },
  subtask: {
    term: 'Subtask',
    text: 'One parallel instance of an operator (or chain of operators); an operator with parallelism 3 runs as subtasks #0, #1 and #2, each in its own slot.',
    href: `${DOCS}/concepts/flink-architecture/#tasks-and-operator-chains`,
  },
  taskmanager: {
    term: 'TaskManager',
    text: 'A worker process that runs subtasks in its slots and exchanges data with other TaskManagers. If one dies, its subtasks are lost and the job restarts them elsewhere.',
    href: `${DOCS}/concepts/flink-architecture/#taskmanagers`,
  },
  jobmanager: {
    term: 'JobManager',
    text: 'The coordinator: it schedules subtasks into slots, triggers checkpoints (CheckpointCoordinator), notices failures through heartbeats and restarts the job.',
    href: `${DOCS}/concepts/flink-architecture/#jobmanager`,
  },
  slot: {
    term: 'Task slot',
    text: 'A fixed share of a TaskManager that holds one subtask of each operator (slot sharing). A job needs as many free slots as its highest parallelism to run.',
    href: `${DOCS}/concepts/flink-architecture/#task-slots-and-resources`,
  },
  backpressure: {
    term: 'Backpressure',
    text: 'A task that cannot keep up stops granting credit to its senders, so they wait with full output buffers. Barriers queue behind the records, which slows aligned checkpoints.',
    href: `${DOCS}/ops/monitoring/back_pressure/`,
  },
  'unaligned-checkpoint': {
    term: 'Unaligned checkpoint',
    text: 'The barrier overtakes the records in the buffers; those in-flight records are stored with the checkpoint instead of being waited for. Faster under backpressure, larger snapshots.',
    href: `${DOCS}/ops/state/checkpointing_under_backpressure/#unaligned-checkpoints`,
  },
  'exactly-once': {
    term: 'Exactly-once',
    text: 'After any failure, state reflects every record exactly once. With a transactional (two-phase commit) sink, the committed output does too.',
    href: `${DOCS}/concepts/stateful-stream-processing/#exactly-once-vs-at-least-once`,
  },
  'at-least-once': {
    term: 'At-least-once',
    text: 'No record is lost, but after a restore some are processed again, so output or state can count them twice. Checkpoints skip barrier alignment.',
    href: `${DOCS}/concepts/stateful-stream-processing/#exactly-once-vs-at-least-once`,
  },
  'event-time': {
    term: 'Event time',
    text: 'The time written in the records themselves (when something happened). Watermarks and windows use event time, not the simulation clock.',
    href: `${DOCS}/concepts/time/`,
  },
  'virtual-time': {
    term: 'Virtual time',
    text: 'The simulation clock shown in the header and on the scrubber: how long the simulated cluster has been running. It is not the event time inside the records.',
    href: null,
  },
  'keyed-state': {
    term: 'Keyed state',
    text: "Data an operator remembers per key (a count per page, a total per account). After keyBy, all records of one key reach the same subtask, which holds that key's state.",
    href: `${DOCS}/dev/datastream/fault-tolerance/state/#keyed-datastream`,
  },
  parallelism: {
    term: 'Parallelism',
    text: 'How many subtasks run an operator side by side. Changing it (rescaling) needs a restart from a savepoint or checkpoint.',
    href: `${DOCS}/dev/datastream/execution/parallel/`,
  },
  'restart-strategy': {
    term: 'Restart strategy',
    text: 'Decides whether and when a failed job restarts: fixed-delay (N attempts), failure-rate, exponential-delay (the default with checkpointing) or none. When it gives up, the job FAILS.',
    href: `${DOCS}/ops/state/task_failure_recovery/#restart-strategies`,
  },
  'failover-region': {
    term: 'Failover region',
    text: 'Subtasks connected by data exchange restart together. A job without keyBy or rebalance splits into one region per parallel pipeline, so a failure restarts only its own pipeline.',
    href: `${DOCS}/ops/state/task_failure_recovery/#restart-pipelined-region-failover-strategy`,
  },
  'state-backend': {
    term: 'State backend',
    text: 'Where a running job keeps its state: in memory (HashMapStateBackend) or on disk in an LSM tree (RocksDB; here IndexedDB). It also decides how snapshots are taken.',
    href: `${DOCS}/ops/state/state_backends/`,
  },
  'incremental-checkpoint': {
    term: 'Incremental checkpoint',
    text: 'A checkpoint that uploads only the state files that changed since the previous one, instead of the whole state. RocksDB (here IndexedDB) supports it.',
    href: `${DOCS}/ops/state/large_state_tuning/#incremental-checkpoints`,
  },
  'checkpoint-storage': {
    term: 'Checkpoint storage',
    text: "Where completed snapshots are kept: the JobManager's memory (at most 5 MiB per state, for tests) or durable storage such as a file system.",
    href: `${DOCS}/ops/state/checkpoints/#checkpoint-storage`,
  },
  heartbeat: {
    term: 'Heartbeat',
    text: 'The JobManager and TaskManagers ping each other regularly. A TaskManager silent for longer than heartbeat.timeout is considered lost.',
    href: `${DOCS}/deployment/config/#advanced-fault-tolerance-options`,
  },
};
