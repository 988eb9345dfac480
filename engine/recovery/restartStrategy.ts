/**
 * Restart strategies (reference 5.1): whether and when the job restarts after a failure. A pure state machine
 * the scheduler drives like Flink's `RestartBackoffTimeStrategy`: on every failure `notifyFailure`, then
 * `canRestart`, then `getBackoffTimeUs` (Flink's ExecutionFailureHandler.handleFailure does exactly this, and
 * counts `numRestarts` only when notifyFailure reports a new attempt).
 *
 * Sources (apache/flink, flink-runtime/.../executiongraph/failover/, 1.19+ / 2.x):
 * - NoRestartBackoffTimeStrategy, FixedDelayRestartBackoffTimeStrategy, FailureRateRestartBackoffTimeStrategy,
 *   ExponentialDelayRestartBackoffTimeStrategy (toString texts, checkArgument messages, decision rules);
 * - ExecutionFailureHandler: "Recovery is suppressed by " + strategy.toString();
 * - RestartBackoffTimeStrategyFactoryLoader: the default strategy when `restart-strategy.type` is unset.
 *
 * Determinism (DESIGN): virtual time in integer µs; no Math.pow on a decision path (the exponential base is
 * advanced by one IEEE multiplication per attempt, rounded to whole µs); jitter drawn from a seeded stream.
 */

/** A seeded source of integers; `int(min, max)` is uniform and inclusive. engine/sim/random.ts RandomStream fits. */
export interface RandomSource {
  int(min: number, max: number): number;
}

export type RestartStrategyType = 'none' | 'fixed-delay' | 'failure-rate' | 'exponential-delay';

export type RestartStrategyConfig =
  | { type: 'none' }
  | { type: 'fixed-delay'; attempts: number; delayUs: number }
  | { type: 'failure-rate'; maxFailuresPerInterval: number; failureRateIntervalUs: number; delayUs: number }
  | {
      type: 'exponential-delay';
      initialBackoffUs: number;
      maxBackoffUs: number;
      backoffMultiplier: number;
      resetBackoffThresholdUs: number;
      jitterFactor: number;
      attemptsBeforeResetBackoff: number;
    };

/** java.lang.Integer.MAX_VALUE: the default of attempts options ("infinite"). */
export const INTEGER_MAX_VALUE = 2147483647;

/** Flink's configuration keys of the restart strategies (RestartStrategyOptions). */
export const RESTART_STRATEGY_KEYS = {
  type: 'restart-strategy.type',
  fixedDelayAttempts: 'restart-strategy.fixed-delay.attempts',
  fixedDelayDelay: 'restart-strategy.fixed-delay.delay',
  failureRateMaxFailures: 'restart-strategy.failure-rate.max-failures-per-interval',
  failureRateInterval: 'restart-strategy.failure-rate.failure-rate-interval',
  failureRateDelay: 'restart-strategy.failure-rate.delay',
  expInitialBackoff: 'restart-strategy.exponential-delay.initial-backoff',
  expMaxBackoff: 'restart-strategy.exponential-delay.max-backoff',
  expBackoffMultiplier: 'restart-strategy.exponential-delay.backoff-multiplier',
  expResetBackoffThreshold: 'restart-strategy.exponential-delay.reset-backoff-threshold',
  expJitterFactor: 'restart-strategy.exponential-delay.jitter-factor',
  expAttempts: 'restart-strategy.exponential-delay.attempts-before-reset-backoff',
} as const;

const SECOND_US = 1_000_000;

/** Defaults of the fixed-delay options (RestartStrategyOptions). */
export const FIXED_DELAY_DEFAULTS = { attempts: 1, delayUs: SECOND_US } as const;

/** Defaults of the failure-rate options (RestartStrategyOptions). */
export const FAILURE_RATE_DEFAULTS = {
  maxFailuresPerInterval: 1,
  failureRateIntervalUs: 60 * SECOND_US,
  delayUs: SECOND_US,
} as const;

/** Defaults of the exponential-delay options since Flink 1.19 (FLINK-33735; reference 5.1). */
export const EXPONENTIAL_DELAY_DEFAULTS = {
  initialBackoffUs: SECOND_US,
  maxBackoffUs: 60 * SECOND_US,
  backoffMultiplier: 1.5,
  resetBackoffThresholdUs: 3600 * SECOND_US,
  jitterFactor: 0.1,
  attemptsBeforeResetBackoff: INTEGER_MAX_VALUE,
} as const;

/** Accepted spellings of `restart-strategy.type` (RestartStrategyOptions.RestartStrategyType). */
const TYPE_SPELLINGS: Readonly<Record<string, RestartStrategyType>> = {
  none: 'none',
  off: 'none',
  disable: 'none',
  'fixed-delay': 'fixed-delay',
  fixeddelay: 'fixed-delay',
  'failure-rate': 'failure-rate',
  failurerate: 'failure-rate',
  'exponential-delay': 'exponential-delay',
  exponentialdelay: 'exponential-delay',
};

/** Canonical type for a `restart-strategy.type` value (case-insensitive, Flink's aliases); throws like Flink. */
export function parseRestartStrategyType(value: string): RestartStrategyType {
  const type = TYPE_SPELLINGS[value.toLowerCase()];
  // RestartBackoffTimeStrategyFactoryLoader: "Unknown restart strategy " + name + "."
  if (type === undefined) throw new Error(`Unknown restart strategy ${value}.`);
  return type;
}

/** The strategy Flink uses when `restart-strategy.type` is not set (RestartBackoffTimeStrategyFactoryLoader). */
export function defaultRestartStrategy(checkpointingEnabled: boolean): RestartStrategyConfig {
  return checkpointingEnabled
    ? { type: 'exponential-delay', ...EXPONENTIAL_DELAY_DEFAULTS }
    : { type: 'none' };
}

/**
 * The restart strategy a job runs with, from Flink's keys.
 *
 * `get(key)` returns normalized values (durations as integer µs, numbers, type strings) or null/undefined when
 * unset without default (a missing option falls back to Flink's default here). `explicitlySet(key)` says whether
 * the user set the key (as opposed to the config layer filling in a default or a derived value).
 *
 * When `restart-strategy.type` is not set explicitly, Flink's RestartBackoffTimeStrategyFactoryLoader picks
 * exponential-delay with the options' DEFAULT values if checkpointing is enabled (1.19+), else none. Note that
 * it really uses `defaultValue()` of every exponential-delay option: `restart-strategy.exponential-delay.*` keys
 * only take effect together with `restart-strategy.type: exponential-delay` (see ineffectiveRestartStrategyKeys).
 */
export function restartStrategyFromConfig(
  get: (key: string) => unknown,
  checkpointingEnabled: boolean,
  explicitlySet: (key: string) => boolean,
): RestartStrategyConfig {
  const K = RESTART_STRATEGY_KEYS;
  const raw = explicitlySet(K.type) ? get(K.type) : null;
  if (raw === null || raw === undefined) return defaultRestartStrategy(checkpointingEnabled);
  if (typeof raw !== 'string') throw new TypeError(`${K.type}: expected a string, got ${typeof raw}`);
  const type = parseRestartStrategyType(raw);
  let config: RestartStrategyConfig;
  switch (type) {
    case 'none':
      config = { type };
      break;
    case 'fixed-delay':
      config = {
        type,
        attempts: readNumber(get, K.fixedDelayAttempts, FIXED_DELAY_DEFAULTS.attempts, true),
        delayUs: readNumber(get, K.fixedDelayDelay, FIXED_DELAY_DEFAULTS.delayUs, true),
      };
      break;
    case 'failure-rate':
      config = {
        type,
        maxFailuresPerInterval: readNumber(
          get,
          K.failureRateMaxFailures,
          FAILURE_RATE_DEFAULTS.maxFailuresPerInterval,
          true,
        ),
        failureRateIntervalUs: readNumber(
          get,
          K.failureRateInterval,
          FAILURE_RATE_DEFAULTS.failureRateIntervalUs,
          true,
        ),
        delayUs: readNumber(get, K.failureRateDelay, FAILURE_RATE_DEFAULTS.delayUs, true),
      };
      break;
    case 'exponential-delay': {
      const D = EXPONENTIAL_DELAY_DEFAULTS;
      config = {
        type,
        initialBackoffUs: readNumber(get, K.expInitialBackoff, D.initialBackoffUs, true),
        maxBackoffUs: readNumber(get, K.expMaxBackoff, D.maxBackoffUs, true),
        backoffMultiplier: readNumber(get, K.expBackoffMultiplier, D.backoffMultiplier, false),
        resetBackoffThresholdUs: readNumber(get, K.expResetBackoffThreshold, D.resetBackoffThresholdUs, true),
        jitterFactor: readNumber(get, K.expJitterFactor, D.jitterFactor, false),
        attemptsBeforeResetBackoff: readNumber(get, K.expAttempts, D.attemptsBeforeResetBackoff, true),
      };
      break;
    }
  }
  validateRestartStrategyConfig(config);
  return config;
}

function readNumber(get: (key: string) => unknown, key: string, dflt: number, integer: boolean): number {
  const v = get(key);
  if (v === null || v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new TypeError(`${key}: expected a number, got ${typeof v === 'number' ? v : typeof v}`);
  if (integer && !Number.isSafeInteger(v)) throw new RangeError(`${key}: expected an integer, got ${v}`);
  return v;
}

/** Which strategy's options a key belongs to (null for the type key itself). */
function keyOwner(key: string): RestartStrategyType | null {
  if (key.startsWith('restart-strategy.fixed-delay.')) return 'fixed-delay';
  if (key.startsWith('restart-strategy.failure-rate.')) return 'failure-rate';
  if (key.startsWith('restart-strategy.exponential-delay.')) return 'exponential-delay';
  return null;
}

/**
 * Restart-strategy option keys the user set that the effective strategy ignores (options of another strategy,
 * or exponential-delay options while `restart-strategy.type` is unset, which Flink's loader ignores too), in
 * RESTART_STRATEGY_KEYS order. For a warning in the UI; Flink itself ignores them silently.
 */
export function ineffectiveRestartStrategyKeys(
  effective: RestartStrategyConfig,
  explicitlySet: (key: string) => boolean,
): string[] {
  const typeExplicit = explicitlySet(RESTART_STRATEGY_KEYS.type);
  const out: string[] = [];
  for (const key of Object.values(RESTART_STRATEGY_KEYS)) {
    const owner = keyOwner(key);
    if (owner === null || !explicitlySet(key)) continue;
    if (!typeExplicit || owner !== effective.type) out.push(key);
  }
  return out;
}

/** Validates a configuration with the checks (and messages) of Flink's strategy constructors; throws RangeError. */
export function validateRestartStrategyConfig(config: RestartStrategyConfig): void {
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new RangeError(message);
  };
  const int = (v: number): boolean => Number.isSafeInteger(v);
  switch (config.type) {
    case 'none':
      return;
    case 'fixed-delay':
      check(
        int(config.attempts) && config.attempts >= 0 && config.attempts <= INTEGER_MAX_VALUE,
        'Maximum number of restart attempts must be at least 0.',
      );
      check(
        int(config.delayUs) && config.delayUs >= 0,
        'Backoff time between restart attempts must be at least 0 ms.',
      );
      return;
    case 'failure-rate':
      check(
        int(config.maxFailuresPerInterval) &&
          config.maxFailuresPerInterval > 0 &&
          config.maxFailuresPerInterval <= INTEGER_MAX_VALUE,
        'Maximum number of restart attempts per time unit must be greater than 0.',
      );
      // Flink compares milliseconds (Duration.toMillis truncates): the interval must be at least 1 ms.
      check(
        int(config.failureRateIntervalUs) && config.failureRateIntervalUs >= 1000,
        'Failures interval must be greater than 0 ms.',
      );
      check(int(config.delayUs) && config.delayUs >= 0, 'Backoff time must be at least 0 ms.');
      return;
    case 'exponential-delay':
      check(
        int(config.initialBackoffUs) && config.initialBackoffUs >= 1000,
        'Initial backoff must be at least 1.',
      );
      check(int(config.maxBackoffUs) && config.maxBackoffUs >= 1000, 'Maximum backoff must be at least 1.');
      check(
        config.initialBackoffUs <= config.maxBackoffUs,
        'Initial backoff cannot be higher than maximum backoff.',
      );
      check(
        Number.isFinite(config.backoffMultiplier) && config.backoffMultiplier > 1,
        'Backoff multiplier must be greater than 1.',
      );
      check(
        int(config.resetBackoffThresholdUs) && config.resetBackoffThresholdUs >= 1000,
        'Threshold duration for exponential backoff reset must be at least 1.',
      );
      check(0 <= config.jitterFactor && config.jitterFactor <= 1, 'Jitter factor must be >= 0 and <= 1.');
      check(
        int(config.attemptsBeforeResetBackoff) &&
          config.attemptsBeforeResetBackoff >= 1 &&
          config.attemptsBeforeResetBackoff <= INTEGER_MAX_VALUE,
        'The attemptsBeforeResetBackoff must be at least 1.',
      );
      return;
  }
}

/**
 * Upper bound of the un-capped exponential base backoff (2^50 µs, about 35.7 years). Flink keeps the base
 * uncapped (`(long) (initial * Math.pow(multiplier, attempt))`) because jitter is computed from it before the cap
 * to max-backoff; saturating at 2^50 keeps base, jitter offset and base + jitter exact safe integers (and the
 * RandomStream span within 2^53) while changing nothing for any real configuration.
 */
export const EXPONENTIAL_BASE_SATURATION_US = 2 ** 50;

/**
 * One step of the exponential base: `round(baseUs * multiplier)`, saturated. A single IEEE-754 multiplication
 * (exactly specified, identical in every engine) and Math.round, instead of Flink's Math.pow (whose last bit may
 * differ between engines). Rounding to whole µs at each step differs from Flink's single truncation of the
 * millisecond product by less than a millisecond per attempt (e.g. 1 s * 1.5^7 = 17 085 937.5 µs -> 17 085 938 µs
 * here, 17 085 ms in Flink).
 */
export function nextExponentialBaseUs(baseUs: number, multiplier: number): number {
  return Math.min(EXPONENTIAL_BASE_SATURATION_US, Math.round(baseUs * multiplier));
}

/** The exponential base backoff of attempt `attempt` (0-based): initial * multiplier^attempt, stepped as above. */
export function exponentialBaseBackoffUs(initialUs: number, multiplier: number, attempt: number): number {
  let base = initialUs;
  for (let i = 0; i < attempt; i++) {
    const next = nextExponentialBaseUs(base, multiplier);
    if (next === base) break; // saturated (or a multiplier too close to 1 to move a whole µs): a fixed point
    base = next;
  }
  return base;
}

/** Java's Double.toString for the doubles in Flink's toString texts (1.5 -> "1.5", 2 -> "2.0", 1e-4 -> "1.0E-4"). */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** µs -> ms as Flink's Duration.toMillis (truncating; our times are never negative). */
function ms(us: number): number {
  return Math.floor(us / 1000);
}

/** ExponentialDelayRestartBackoffTimeStrategy.DEFAULT_NEXT_RESTART_TIMESTAMP (Integer.MIN_VALUE), as printed. */
const DEFAULT_NEXT_RESTART_TIMESTAMP_TEXT = '-2147483648';

/** The strategy's mutable state as plain JSON, for engine snapshots (time travel). */
export interface RestartStrategySnapshot {
  readonly type: RestartStrategyType;
  /** fixed-delay / exponential-delay: Flink's currentRestartAttempt; none: failures seen; failure-rate: 0. */
  readonly restartAttempt: number;
  /** failure-rate: the remembered failure times, oldest first (at most maxFailuresPerInterval + 1). */
  readonly failureTimestampsUs: readonly number[];
  /** exponential-delay: the un-capped base backoff of attempt `restartAttempt` (initial * multiplier^attempt). */
  readonly baseBackoffUs: number;
  /** exponential-delay: when the pending restart happens; null before the first failure. */
  readonly nextRestartTimestampUs: number | null;
  /** Virtual time of the last notifyFailure; null before the first failure. */
  readonly lastFailureUs: number | null;
}

/**
 * Flink's RestartBackoffTimeStrategy for one job, driven in virtual time. The failure time is passed to
 * `notifyFailure`; `canRestart()` and `getBackoffTimeUs()` evaluate at that time unless given another `nowUs`
 * (Flink reads its clock in all three, and the failure handler calls them back to back).
 *
 * Exact rules (Flink 1.19+ / 2.x sources, see the file header):
 * - none: never restarts.
 * - fixed-delay(attempts): each failure increments currentRestartAttempt; restart while
 *   currentRestartAttempt <= attempts, so attempts = 3 allows 3 restarts and the 4th failure fails the job.
 * - failure-rate(N, interval): remembers the last N + 1 failure times; after recording a failure, restart unless
 *   N + 1 are remembered and (now - oldest) <= interval. So N restarts are allowed within one interval and the
 *   (N+1)-th failure within it fails the job (N = 1: the second failure within the interval). This is Flink since
 *   1.13 (FLINK-20752, "FailureRateRestartBackoffTimeStrategy allows one less restart than configured", queue
 *   full at size > N); before 1.13 the N-th failure failed the job, as reference 5.1 still describes.
 * - exponential-delay: a failure at t <= nextRestartTimestamp is merged into the pending restart (no new
 *   attempt; the backoff is the remaining time). Otherwise, if t - nextRestartTimestamp >= reset threshold the
 *   attempt counter resets to 0; base = initial * multiplier^attempt; jitter uniform in
 *   [-floor(base * jitterFactor), +floor(base * jitterFactor)] (drawn only when jitterFactor != 0, one draw per
 *   new attempt); backoff = max(initial, min(base + jitter, max)); nextRestartTimestamp = t + backoff;
 *   attempt++; restart while attempt <= attemptsBeforeResetBackoff. Jitter is computed from the un-capped base
 *   and added before the cap to max, exactly as ExponentialDelayRestartBackoffTimeStrategy.calculateActualBackoffTime.
 */
export class RestartBackoffTimeStrategy {
  readonly config: RestartStrategyConfig;
  private readonly random: RandomSource | null;

  private restartAttempt = 0;
  private failureTimestampsUs: number[] = [];
  private baseBackoffUs = 0;
  private nextRestartTimestampUs: number | null = null;
  private lastFailureUs: number | null = null;

  /** `random` is required for exponential-delay with jitterFactor > 0 (pass the run's 'jitter' stream). */
  constructor(config: RestartStrategyConfig, random?: RandomSource) {
    validateRestartStrategyConfig(config);
    this.config = config;
    this.random = random ?? null;
    if (config.type === 'exponential-delay') {
      if (config.jitterFactor !== 0 && this.random === null)
        throw new Error('exponential-delay with jitterFactor > 0 needs a seeded RandomSource');
      this.baseBackoffUs = config.initialBackoffUs;
    }
  }

  /**
   * Records a failure at virtual time `nowUs`. Returns true when it starts a new restart attempt (Flink 1.19+
   * returns isNewAttempt; only exponential-delay merges failures, the others always return true). The failure
   * handler counts numRestarts only for new attempts that may restart.
   */
  notifyFailure(nowUs: number, _cause: string): boolean {
    if (!Number.isSafeInteger(nowUs) || nowUs < 0) throw new RangeError(`notifyFailure: bad time ${nowUs}`);
    if (this.lastFailureUs !== null && nowUs < this.lastFailureUs)
      throw new RangeError(`notifyFailure: time went backwards (${nowUs} < ${this.lastFailureUs})`);
    this.lastFailureUs = nowUs;
    const c = this.config;
    switch (c.type) {
      case 'none':
        this.restartAttempt++;
        return true;
      case 'fixed-delay':
        this.restartAttempt++;
        return true;
      case 'failure-rate':
        if (this.failureTimestampsUs.length > c.maxFailuresPerInterval) this.failureTimestampsUs.shift();
        this.failureTimestampsUs.push(nowUs);
        return true;
      case 'exponential-delay': {
        // Merge failures into the pending restart (tasks will be restarted later anyway).
        if (this.nextRestartTimestampUs !== null && nowUs <= this.nextRestartTimestampUs) return false;
        // Before the first failure Flink's nextRestartTimestamp is Integer.MIN_VALUE, so this resets too.
        if (
          this.nextRestartTimestampUs === null ||
          nowUs - this.nextRestartTimestampUs >= c.resetBackoffThresholdUs
        ) {
          this.restartAttempt = 0;
          this.baseBackoffUs = c.initialBackoffUs;
        }
        this.nextRestartTimestampUs = nowUs + this.actualBackoffUs(c);
        this.restartAttempt++;
        this.baseBackoffUs = nextExponentialBaseUs(this.baseBackoffUs, c.backoffMultiplier);
        return true;
      }
    }
  }

  /** calculateActualBackoffTime: max(initial, min(base + jitter(base), max)). */
  private actualBackoffUs(c: Extract<RestartStrategyConfig, { type: 'exponential-delay' }>): number {
    const base = this.baseBackoffUs;
    let jitter = 0;
    if (c.jitterFactor !== 0) {
      const offset = Math.floor(base * c.jitterFactor);
      jitter = (this.random as RandomSource).int(-offset, offset);
    }
    return Math.max(c.initialBackoffUs, Math.min(base + jitter, c.maxBackoffUs));
  }

  /** Whether the job may restart after the failures notified so far (evaluated at the last failure by default). */
  canRestart(nowUs?: number): boolean {
    const c = this.config;
    switch (c.type) {
      case 'none':
        return false;
      case 'fixed-delay':
        return this.restartAttempt <= c.attempts;
      case 'failure-rate': {
        if (this.failureTimestampsUs.length <= c.maxFailuresPerInterval) return true;
        const now = nowUs ?? this.lastFailureUs ?? 0;
        const earliest = this.failureTimestampsUs[0] as number;
        return now - earliest > c.failureRateIntervalUs;
      }
      case 'exponential-delay':
        return this.restartAttempt <= c.attemptsBeforeResetBackoff;
    }
  }

  /**
   * How long to wait before restarting, in µs. exponential-delay: the time left until the pending restart,
   * max(0, nextRestartTimestamp - now) with now = the last failure unless given; throws before any failure
   * ("Please call notifyFailure first.", as Flink's checkState).
   */
  getBackoffTimeUs(nowUs?: number): number {
    const c = this.config;
    switch (c.type) {
      case 'none':
        return 0;
      case 'fixed-delay':
      case 'failure-rate':
        return c.delayUs;
      case 'exponential-delay': {
        if (this.nextRestartTimestampUs === null) throw new Error('Please call notifyFailure first.');
        const now = nowUs ?? this.lastFailureUs ?? 0;
        return Math.max(0, this.nextRestartTimestampUs - now);
      }
    }
  }

  /**
   * The attempt counter that decides canRestart: fixed-delay and exponential-delay: Flink's currentRestartAttempt
   * (exponential-delay resets it after the threshold); failure-rate: failures within the interval ending at the
   * last failure (among the remembered N + 1); none: failures notified.
   */
  attempts(): number {
    const c = this.config;
    if (c.type !== 'failure-rate') return this.restartAttempt;
    const last = this.lastFailureUs;
    if (last === null) return 0;
    let n = 0;
    for (const t of this.failureTimestampsUs) if (last - t <= c.failureRateIntervalUs) n++;
    return n;
  }

  /** Flink's toString of the strategy (times in ms, as Flink prints them). */
  describe(): string {
    const c = this.config;
    switch (c.type) {
      case 'none':
        return 'NoRestartBackoffTimeStrategy';
      case 'fixed-delay':
        return `FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=${c.attempts}, backoffTimeMS=${ms(c.delayUs)})`;
      case 'failure-rate':
        // Flink's text really opens two parentheses and closes one (generateStrategyString).
        return (
          'FailureRateRestartBackoffTimeStrategy(FailureRateRestartBackoffTimeStrategy(' +
          `failuresIntervalMS=${ms(c.failureRateIntervalUs)},backoffTimeMS=${ms(c.delayUs)},` +
          `maxFailuresPerInterval=${c.maxFailuresPerInterval})`
        );
      case 'exponential-delay': {
        const next =
          this.nextRestartTimestampUs === null
            ? DEFAULT_NEXT_RESTART_TIMESTAMP_TEXT
            : String(ms(this.nextRestartTimestampUs));
        return (
          `ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=${ms(c.initialBackoffUs)}, ` +
          `maxBackoffMS=${ms(c.maxBackoffUs)}, backoffMultiplier=${javaDoubleToString(c.backoffMultiplier)}, ` +
          `resetBackoffThresholdMS=${ms(c.resetBackoffThresholdUs)}, ` +
          `jitterFactor=${javaDoubleToString(c.jitterFactor)}, ` +
          `attemptsBeforeResetBackoff=${c.attemptsBeforeResetBackoff}, ` +
          `currentRestartAttempt=${this.restartAttempt}, nextRestartTimestamp=${next})`
        );
      }
    }
  }

  /** The JobException message when the job cannot restart (ExecutionFailureHandler). */
  failureMessage(): string {
    return `Recovery is suppressed by ${this.describe()}`;
  }

  snapshot(): RestartStrategySnapshot {
    return {
      type: this.config.type,
      restartAttempt: this.restartAttempt,
      failureTimestampsUs: [...this.failureTimestampsUs],
      baseBackoffUs: this.baseBackoffUs,
      nextRestartTimestampUs: this.nextRestartTimestampUs,
      lastFailureUs: this.lastFailureUs,
    };
  }

  /** Restores a snapshot taken from a strategy with the same configuration. The RandomSource is not part of it. */
  restore(s: RestartStrategySnapshot): void {
    if (s.type !== this.config.type)
      throw new Error(`restore: snapshot of a ${s.type} strategy, this one is ${this.config.type}`);
    const time = (v: number | null): boolean => v === null || (Number.isSafeInteger(v) && v >= 0);
    const ok =
      Number.isSafeInteger(s.restartAttempt) &&
      s.restartAttempt >= 0 &&
      Number.isSafeInteger(s.baseBackoffUs) &&
      s.baseBackoffUs >= 0 &&
      time(s.nextRestartTimestampUs) &&
      time(s.lastFailureUs) &&
      s.failureTimestampsUs.every((t) => time(t)) &&
      (this.config.type !== 'failure-rate' ||
        s.failureTimestampsUs.length <= this.config.maxFailuresPerInterval + 1);
    if (!ok) throw new Error('restore: malformed restart strategy snapshot');
    this.restartAttempt = s.restartAttempt;
    this.failureTimestampsUs = [...s.failureTimestampsUs];
    this.baseBackoffUs = s.baseBackoffUs;
    this.nextRestartTimestampUs = s.nextRestartTimestampUs;
    this.lastFailureUs = s.lastFailureUs;
  }
}
