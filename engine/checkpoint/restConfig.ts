/**
 * GET /jobs/:jobid/checkpoints/config (CheckpointConfigInfo, Flink 1.19 schema, reference 6.2) as a pure function of
 * the scenario, and the JSON text printer for the REST shapes whose Java types a JS number cannot show.
 *
 * How the Java types are honoured:
 * - `interval` is a Java long; disabled periodic checkpointing is Long.MAX_VALUE. As a JS number it is the double
 *   2^63 (9223372036854775808): objects carry that number (>= 2^63 - 1 means "disabled"), and `restJsonText`
 *   prints it as 9223372036854775807 exactly, as Flink does.
 * - StatsSummaryDto quantiles (`p50` ... `p999`) are Java doubles: objects carry JS numbers (non-integers exact,
 *   e.g. 2.5), and the string "NaN" when there is no value yet (Jackson writes NaN as a string); `restJsonText`
 *   prints them as Jackson prints a double (Double.toString: 36 -> 36.0, 1.2e7 -> 1.2E7), as in the history-server
 *   archive sample (`"p50": 0.0`). Every other number is printed as JSON.stringify prints it.
 */
import type { Scenario } from '../scenario/types.ts';

/** Long.MAX_VALUE as the nearest double (2^63); see the module comment. */
export const LONG_MAX_VALUE = 2 ** 63 - 1;

/** `web.checkpoints.history`-independent defaults Flink reports for the changelog state backend (not simulated). */
const CHANGELOG_MATERIALIZATION_INTERVAL_MS = 600_000;

function ms(us: number): number {
  return Math.floor(us / 1000);
}

/** The body of GET /jobs/:jobid/checkpoints/config for this scenario. */
export function checkpointConfigJson(scenario: Scenario): unknown {
  const cfg = scenario.config;
  const intervalUs = cfg.duration('execution.checkpointing.interval');
  const retention = cfg.str('execution.checkpointing.externalized-checkpoint-retention');
  // StreamGraph#getCheckpointingMode: with checkpointing disabled the job only guarantees at-least-once.
  const mode =
    intervalUs === null || cfg.str('execution.checkpointing.mode') === 'AT_LEAST_ONCE'
      ? 'at_least_once'
      : 'exactly_once';
  return {
    mode,
    interval: intervalUs === null ? LONG_MAX_VALUE : ms(intervalUs),
    timeout: ms(cfg.duration('execution.checkpointing.timeout') ?? 600_000_000),
    min_pause: ms(cfg.duration('execution.checkpointing.min-pause') ?? 0),
    max_concurrent: cfg.int('execution.checkpointing.max-concurrent-checkpoints'),
    externalization: {
      enabled: retention !== 'NO_EXTERNALIZED_CHECKPOINTS',
      delete_on_cancellation: retention !== 'RETAIN_ON_CANCELLATION',
    },
    state_backend:
      cfg.str('state.backend.type') === 'indexeddb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend',
    checkpoint_storage:
      cfg.str('execution.checkpointing.storage') === 'indexeddb'
        ? 'FileSystemCheckpointStorage'
        : 'JobManagerCheckpointStorage',
    unaligned_checkpoints: cfg.bool('execution.checkpointing.unaligned.enabled'),
    tolerable_failed_checkpoints: cfg.int('execution.checkpointing.tolerable-failed-checkpoints'),
    aligned_checkpoint_timeout: ms(cfg.duration('execution.checkpointing.aligned-checkpoint-timeout') ?? 0),
    checkpoints_after_tasks_finish: cfg.bool('execution.checkpointing.checkpoints-after-tasks-finish'),
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: CHANGELOG_MATERIALIZATION_INTERVAL_MS,
    changelog_storage: 'memory',
  };
}

const QUANTILES = new Set(['p50', 'p90', 'p95', 'p99', 'p999']);

/** Java's Double.toString for a finite double (what Jackson writes). */
export function javaDouble(d: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    // JS prints this range without an exponent, with the same shortest digits as Java.
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Computerized scientific notation: one digit before the point, at least one after, "E" and the exponent.
  const [mantissa, exp] = d.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exp)}`;
}

/**
 * JSON text of a REST response built by this engine, printing Java types exactly (see the module comment).
 * `indent` as for JSON.stringify.
 */
export function restJsonText(value: unknown, indent?: number): string {
  const LONG_MAX_TEXT = '9223372036854775807';
  const marks = new Map<string, string>();
  let n = 0;
  const mark = (text: string): string => {
    const key = `\uE000rest-number-${n++}\uE000`;
    marks.set(key, text);
    return key;
  };
  const json = JSON.stringify(
    value,
    function (this: unknown, key: string, v: unknown): unknown {
      if (typeof v !== 'number' || !Number.isFinite(v)) return v;
      if (v >= LONG_MAX_VALUE) return mark(LONG_MAX_TEXT);
      if (QUANTILES.has(key)) return mark(javaDouble(v));
      return v;
    },
    indent,
  );
  if (json === undefined) return 'null';
  return marks.size === 0
    ? json
    : json.replace(/"\uE000rest-number-\d+\uE000"/g, (m) => marks.get(m.slice(1, -1)) ?? m);
}
