/**
 * What the simulator accepts beyond Flink's own rules: sizes and ranges it can simulate at an interactive pace in
 * a browser tab (README: Scenario format, "Limits"), and names it refuses because every JavaScript object already
 * has them. Flink itself allows far larger jobs (parallelism up to 32768); a simulator that draws every subtask
 * and every channel does not.
 *
 * Figures measured on a 2-core machine in Node (engine only, click-count shape, checkpoint every 1 s):
 * 128 x 128 subtasks all-to-all (16,384 channels) at 10,000 records/s run 2 virtual s in ~0.4 s; 256 x 256
 * (65,536 channels) at 1,000 records/s need ~1.9 s for the same 2 s, and 1,000 x 1,000 took 51 s just to start.
 */

export const LIMITS = {
  /** Subtasks of one operator (its parallelism). Flink: 32768 (UPPER_BOUND_MAX_PARALLELISM). */
  subtasksPerOperator: 128,
  /** Subtasks of the whole job. */
  totalSubtasks: 1024,
  /**
   * Channels of the job's all-to-all edges (keyBy, rebalance, broadcast: upstream x downstream parallelism each);
   * forward channels, one per subtask, are bounded by totalSubtasks.
   */
  totalChannels: 16_384,
  /** Operators in job.operators. */
  operators: 256,
  /** Declared input topics. */
  topics: 64,
  /** Entries of `faults` and of `actions`, each. */
  scheduled: 1000,
  /** Entries of `config`. */
  configEntries: 1000,
  /** Elements of any other list (pages, words, fields, in/notIn values, inputs). */
  listLength: 10_000,
  /** Characters of any string (names, descriptions, ids, values). */
  stringLength: 10_000,
  /** Nesting depth of the document (a valid scenario nests 7 levels at most). */
  depth: 32,
  /** Distinct keys of a generator (keyed.keys, clicks.users): every key's name is built up front. */
  generatorKeys: 1_000_000,
  /** Records per virtual second of one topic. */
  maxRatePerSecond: 1_000_000,
  /** ... and at least this many (below it, a topic appends one record per 100 virtual seconds). */
  minRatePerSecond: 0.01,
  /**
   * Records per virtual second over all operators' inputs, estimated from the topics' rates: each source reads its
   * topic's rate, flatMap multiplies it (repeat: times; split: words per line), broadcast multiplies it by the
   * receiving parallelism.
   */
  recordsPerSecond: 4_000_000,
  /** Windows a record is assigned to (sliding size / slide). */
  windowsPerRecord: 100,
  /** Any duration in the scenario (times of faults and actions, latencies, windows, timeouts): 30 days. */
  maxDurationUs: 30 * 86_400_000_000,
  /** Virtual processing cost of one record (costPerRecord, sim.recordCost): 1 s. */
  maxRecordCostUs: 1_000_000,
  /** Network latency and jitter: 1 min. */
  maxLatencyUs: 60_000_000,
  /** Errors listed in full; the rest are counted ("... and 99,990 more"). */
  reportedErrors: 10,
} as const;

/**
 * Names every JavaScript object already answers to (Object.prototype's properties: "constructor", "toString",
 * "__proto__", "hasOwnProperty", ...). A record field, operator id or topic named like one of them would read the
 * built-in (a record keyed by "constructor" keys under "function Object() { [native code] }"), so validation
 * refuses them. Data values (pages, words, key prefixes) may use them. A fixed list (Object.prototype's own names in
 * ES2023), so validation gives the same answer in every browser.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name);
}

/** The message for a reserved name, naming what it is used as (e.g. "a field name", "an operator id"). */
export function reservedNameMessage(name: string, usedAs: string): string {
  return (
    `"${name}" cannot be used as ${usedAs}: every JavaScript object already has a property of that name ` +
    `(Object.prototype.${name}); choose another name`
  );
}

/** 1234567 -> "1,234,567" (deterministic, no locale). */
export function formatCount(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
