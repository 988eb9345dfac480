/**
 * The Flink configuration keys the simulator understands, with Flink's current names, deprecated aliases, types
 * and defaults (reference 2.1, 1.6, 3.1-3.2, 5.1-5.3, 7; the project follows Flink 1.19+ / 2.x), and the
 * resolution of a scenario's `config` object into a ResolvedConfig (values normalized: durations in µs, memory
 * sizes in bytes, enums in their canonical spelling).
 *
 * `ResolvedConfig.values` holds EFFECTIVE values: Flink's default when the key is unset, except for the few keys
 * whose effective value Flink derives from other keys (see `deriveEffective`).
 */
import type { ConfigValue, ResolvedConfig } from './types.ts';
import {
  DURATION_FORMS,
  DurationError,
  MEMORY_FORMS,
  MemorySizeError,
  formatDuration,
  formatMemorySize,
  parseDuration,
  parseMemorySize,
} from './duration.ts';
import { LIMITS } from './limits.ts';
import { closest, quoteList, show } from './suggest.ts';

import {
  type ConfigKeySpec,
  type ConfigType,
  INT_MAX,
  INT_MIN,
  MINIMAL_CHECKPOINT_TIME_US,
  SPECS,
  type Spec,
  UPPER_BOUND_MAX_PARALLELISM,
} from './configKeys.ts';

export type { ConfigKeySpec, ConfigType };
export { MINIMAL_CHECKPOINT_TIME_US, UPPER_BOUND_MAX_PARALLELISM };

function normalizeDefault(spec: Spec): ConfigValue | null {
  const d = spec.dflt;
  if (d === null) return null;
  if (spec.type === 'duration') return parseDuration(d as string | number);
  if (spec.type === 'memory') return parseMemorySize(d as string | number);
  return d;
}

/** Every configuration key the simulator understands. */
export const CONFIG_KEYS: readonly ConfigKeySpec[] = SPECS.map((spec) => {
  const { dflt: _dflt, aliases, ...rest } = spec;
  return { ...rest, aliases: aliases ?? [], default: normalizeDefault(spec) };
});

const BY_KEY = new Map<string, ConfigKeySpec>();
const BY_ALIAS = new Map<string, ConfigKeySpec>();
for (const spec of CONFIG_KEYS) {
  BY_KEY.set(spec.key, spec);
  for (const alias of spec.aliases) BY_ALIAS.set(alias, spec);
}

/** The spec of a current key or of a deprecated alias; undefined if unknown. */
export function configKeySpec(keyOrAlias: string): ConfigKeySpec | undefined {
  return BY_KEY.get(keyOrAlias) ?? BY_ALIAS.get(keyOrAlias);
}

/** A normalized value in Flink's textual form ("1 s", "32 kb", "EXACTLY_ONCE"); "(none)" for null. */
export function formatConfigValue(key: string, value: ConfigValue | null): string {
  if (value === null) return '(none)';
  const spec = configKeySpec(key);
  if (spec?.type === 'duration' && typeof value === 'number') return formatDuration(value);
  if (spec?.type === 'memory' && typeof value === 'number') return formatMemorySize(value);
  return String(value);
}

/** One problem with one key, as the user wrote the key. */
export interface ConfigIssue {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

type Parsed = { value: ConfigValue } | { error: string };

function describeRange(spec: ConfigKeySpec): string {
  const fmt = (n: number): string =>
    spec.type === 'duration' ? formatDuration(n) : spec.type === 'memory' ? formatMemorySize(n) : String(n);
  if (spec.min !== undefined && spec.max !== undefined)
    return `between ${fmt(spec.min)} and ${fmt(spec.max)}`;
  if (spec.min !== undefined) return `at least ${fmt(spec.min)}`;
  if (spec.max !== undefined) return `at most ${fmt(spec.max)}`;
  return '';
}

function checkBounds(spec: ConfigKeySpec, raw: unknown, n: number): string | null {
  if (spec.type === 'duration' && spec.max === undefined && n > LIMITS.maxDurationUs)
    return `must be at most ${formatDuration(LIMITS.maxDurationUs)} (the longest duration the simulator accepts), got ${show(raw)}`;
  const display =
    spec.type === 'duration' ? formatDuration(n) : spec.type === 'memory' ? formatMemorySize(n) : String(n);
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : display;
  const given = text !== display ? `${show(raw)} (= ${display})` : show(raw);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
    return `must be ${describeRange(spec)}, got ${given}`;
  const custom = spec.check?.(n) ?? null;
  return custom === null ? null : `${custom}; got ${given}`;
}

function parseValue(spec: ConfigKeySpec, raw: unknown): Parsed {
  switch (spec.type) {
    case 'duration': {
      if (typeof raw !== 'string' && typeof raw !== 'number')
        return { error: `expected ${DURATION_FORMS}, got ${show(raw)}` };
      try {
        const us = parseDuration(raw);
        const bad = checkBounds(spec, raw, us);
        return bad === null ? { value: us } : { error: bad };
      } catch (e) {
        return { error: e instanceof DurationError ? e.message : String(e) };
      }
    }
    case 'memory': {
      if (typeof raw !== 'string' && typeof raw !== 'number')
        return { error: `expected ${MEMORY_FORMS}, got ${show(raw)}` };
      try {
        const bytes = parseMemorySize(raw);
        const bad = checkBounds(spec, raw, bytes);
        return bad === null ? { value: bytes } : { error: bad };
      } catch (e) {
        return { error: e instanceof MemorySizeError ? e.message : String(e) };
      }
    }
    case 'int':
    case 'double': {
      const isInt = spec.type === 'int';
      let n: number | null = null;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'string') {
        const t = raw.trim();
        if (isInt ? /^[+-]?\d+$/.test(t) : /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) n = Number(t);
      }
      const what = isInt ? 'an integer like 4 or "4"' : 'a number like 1.5 or "1.5"';
      if (n === null || !Number.isFinite(n) || (isInt && !Number.isInteger(n)))
        return { error: `expected ${what}, got ${show(raw)}` };
      if (isInt && (n > INT_MAX || n < INT_MIN))
        return { error: `expected a 32-bit integer (at most ${INT_MAX}), got ${show(raw)}` };
      const bad = checkBounds(spec, raw, n);
      return bad === null ? { value: n } : { error: bad };
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string') {
        const t = raw.trim().toLowerCase();
        if (t === 'true') return { value: true };
        if (t === 'false') return { value: false };
      }
      return { error: `expected true or false, got ${show(raw)}` };
    }
    case 'enum': {
      const values = spec.values ?? [];
      const valid = `expected one of ${quoteList(values)} (case-insensitive)`;
      if (typeof raw !== 'string') return { error: `${valid}, got ${show(raw)}` };
      const t = raw.trim().toLowerCase();
      const rejected = spec.rejectedValues?.[t];
      if (rejected !== undefined) return { error: `${show(raw)} is not available: ${rejected}` };
      const canonical = values.find((v) => v.toLowerCase() === t) ?? spec.valueAliases?.[t];
      if (canonical !== undefined) return { value: canonical };
      const near = closest(raw.trim(), [...values, ...Object.keys(spec.valueAliases ?? {})]);
      const hint = near === null ? '' : `; did you mean "${spec.valueAliases?.[near] ?? near}"?`;
      return { error: `${valid}, got ${show(raw)}${hint}` };
    }
    case 'string': {
      if (typeof raw === 'string' && raw.trim() !== '') return { value: raw.trim() };
      return { error: `expected a non-empty string, got ${show(raw)}` };
    }
  }
}

const KEY_PREFIXES = [...new Set(CONFIG_KEYS.map((s) => s.key.split('.').slice(0, 2).join('.')))];

function unknownKeyMessage(key: string): string {
  const all = [...BY_KEY.keys(), ...BY_ALIAS.keys()];
  const near = closest(key, all);
  if (near !== null) {
    const current = configKeySpec(near)?.key ?? near;
    return `unknown configuration key ${show(key)}; did you mean "${current}"?`;
  }
  return (
    `unknown configuration key ${show(key)}; the simulator understands Flink keys under ` +
    `${quoteList(KEY_PREFIXES.slice(0, 8), 'and')}, ... (see CONFIG_KEYS)`
  );
}

/**
 * Effective values Flink derives from other keys when the key itself is unset (or overridden):
 * - restart-strategy.type: exponential-delay when checkpointing is enabled (1.19+), else none (reference 5.1);
 * - execution.checkpointing.storage: durable storage (indexeddb) when a checkpoint dir is set, else jobmanager
 *   (reference 3.1);
 * - execution.checkpointing.unaligned.enabled: Flink turns unaligned checkpoints off in AT_LEAST_ONCE mode
 *   (they only exist for exactly-once, reference 1.3 / 1.6).
 */
function deriveEffective(values: Map<string, ConfigValue | null>, explicit: ReadonlySet<string>): void {
  const checkpointing = values.get('execution.checkpointing.interval') !== null;
  if (!explicit.has('restart-strategy.type'))
    values.set('restart-strategy.type', checkpointing ? 'exponential-delay' : 'none');
  if (!explicit.has('execution.checkpointing.storage'))
    values.set(
      'execution.checkpointing.storage',
      values.get('execution.checkpointing.dir') !== null ? 'indexeddb' : 'jobmanager',
    );
  if (values.get('execution.checkpointing.mode') === 'AT_LEAST_ONCE')
    values.set('execution.checkpointing.unaligned.enabled', false);
}

/** Checks across keys, with Flink's messages where Flink has one. */
function crossChecks(
  values: ReadonlyMap<string, ConfigValue | null>,
  given: Map<string, string>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const num = (k: string): number => {
    const v = values.get(k);
    return typeof v === 'number' ? v : 0;
  };
  const blame = (...keys: string[]): string => {
    for (const k of keys) {
      const g = given.get(k);
      if (g !== undefined) return g;
    }
    return keys[0] ?? '';
  };
  if (num('heartbeat.timeout') < num('heartbeat.interval'))
    issues.push({
      key: blame('heartbeat.timeout', 'heartbeat.interval'),
      message:
        `The heartbeat timeout should be larger or equal than the heartbeat interval ` +
        `(timeout ${formatDuration(num('heartbeat.timeout'))}, interval ${formatDuration(num('heartbeat.interval'))})`,
    });
  const initial = num('restart-strategy.exponential-delay.initial-backoff');
  const max = num('restart-strategy.exponential-delay.max-backoff');
  if (initial > max)
    issues.push({
      key: blame(
        'restart-strategy.exponential-delay.initial-backoff',
        'restart-strategy.exponential-delay.max-backoff',
      ),
      message: `initial-backoff (${formatDuration(initial)}) must not be larger than max-backoff (${formatDuration(max)})`,
    });
  const buffers =
    num('taskmanager.network.memory.buffers-per-channel') +
    num('taskmanager.network.memory.floating-buffers-per-gate');
  if (buffers < 1)
    issues.push({
      key: blame(
        'taskmanager.network.memory.buffers-per-channel',
        'taskmanager.network.memory.floating-buffers-per-gate',
      ),
      message:
        'a channel needs at least one network buffer: buffers-per-channel + floating-buffers-per-gate >= 1',
    });
  return issues;
}

class Resolved implements ResolvedConfig {
  readonly values: ReadonlyMap<string, ConfigValue | null>;
  readonly explicit: ReadonlySet<string>;

  constructor(values: ReadonlyMap<string, ConfigValue | null>, explicit: ReadonlySet<string>) {
    this.values = values;
    this.explicit = explicit;
  }

  private get(key: string, types: readonly ConfigType[]): { spec: ConfigKeySpec; value: ConfigValue | null } {
    const spec = configKeySpec(key);
    if (spec === undefined) throw new Error(`unknown configuration key "${key}"`);
    if (!types.includes(spec.type))
      throw new Error(`configuration key "${spec.key}" is of type ${spec.type}, not ${types.join(' or ')}`);
    return { spec, value: this.values.get(spec.key) ?? null };
  }

  private required(key: string, types: readonly ConfigType[]): ConfigValue {
    const { spec, value } = this.get(key, types);
    if (value === null)
      throw new Error(`configuration key "${spec.key}" has no value and no default; check isSet() first`);
    return value;
  }

  duration(key: string): number | null {
    const { value } = this.get(key, ['duration']);
    return typeof value === 'number' ? value : null;
  }
  int(key: string): number {
    return this.required(key, ['int']) as number;
  }
  number(key: string): number {
    return this.required(key, ['int', 'double']) as number;
  }
  bool(key: string): boolean {
    return this.required(key, ['bool']) as boolean;
  }
  str(key: string): string {
    return this.required(key, ['string', 'enum']) as string;
  }
  bytes(key: string): number {
    return this.required(key, ['memory']) as number;
  }
  isSet(key: string): boolean {
    const spec = configKeySpec(key);
    return spec !== undefined && this.explicit.has(spec.key);
  }
}

export type ConfigResult = { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Resolves a scenario's `config` object without throwing. `derived` supplies normalized values that come from
 * elsewhere in the scenario (e.g. cluster.slotsPerTaskManager) and apply when the key is not set explicitly.
 */
export function tryResolveConfig(
  input: Record<string, unknown>,
  derived: Readonly<Record<string, ConfigValue>> = {},
): ConfigResult {
  const issues: ConfigIssue[] = [];
  const values = new Map<string, ConfigValue | null>();
  for (const spec of CONFIG_KEYS) values.set(spec.key, spec.default);
  const explicit = new Set<string>();
  /** current key -> the key as the user wrote it */
  const given = new Map<string, string>();

  for (const [key, raw] of Object.entries(input)) {
    const spec = configKeySpec(key);
    if (spec === undefined) {
      // Suggestions cost an edit distance against every key: only for the errors that will be listed.
      const listed = issues.length < LIMITS.reportedErrors;
      issues.push({
        key,
        message: listed ? unknownKeyMessage(key) : `unknown configuration key ${show(key)}`,
      });
      continue;
    }
    const earlier = given.get(spec.key);
    if (earlier !== undefined) {
      const which = (k: string): string =>
        k === spec.key ? `"${k}"` : `"${k}" (a deprecated alias of "${spec.key}")`;
      issues.push({
        key,
        message: `${which(key)} sets the same option as ${which(earlier)}; set only "${spec.key}"`,
      });
      continue;
    }
    given.set(spec.key, key);
    const parsed = parseValue(spec, raw);
    if ('error' in parsed) {
      issues.push({ key, message: parsed.error });
      continue;
    }
    values.set(spec.key, parsed.value);
    explicit.add(spec.key);
  }
  for (const [key, value] of Object.entries(derived)) {
    const spec = configKeySpec(key);
    if (spec === undefined) throw new Error(`derived value for unknown configuration key "${key}"`);
    if (!explicit.has(spec.key)) values.set(spec.key, value);
  }
  if (issues.length === 0) issues.push(...crossChecks(values, given));
  if (issues.length > 0) return { ok: false, issues };
  deriveEffective(values, explicit);
  return { ok: true, config: new Resolved(values, explicit) };
}

/** Resolves a scenario's `config` object; throws ConfigError listing every problem. */
export function resolveConfig(
  input: Record<string, unknown>,
  derived: Readonly<Record<string, ConfigValue>> = {},
): ResolvedConfig {
  const result = tryResolveConfig(input, derived);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

/** The restart strategy in effect (reference 5.1): the configured one, else by whether checkpointing is on. */
export function effectiveRestartStrategy(
  config: ResolvedConfig,
): 'none' | 'fixed-delay' | 'failure-rate' | 'exponential-delay' {
  return config.str('restart-strategy.type') as 'none' | 'fixed-delay' | 'failure-rate' | 'exponential-delay';
}
