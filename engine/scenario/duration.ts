/**
 * Durations and memory sizes in Flink's textual forms (reference 2.1 / 7.1 config values).
 *
 * Durations follow Flink's `TimeUtils.parseDuration`: a number, optional whitespace, an optional unit label
 * (case-insensitive); no unit means milliseconds. Virtual time is integer microseconds (DESIGN: Determinism), so
 * the result must be a whole number of µs. As a convenience (Flink itself accepts only digits) a decimal
 * number such as "1.5 s" is accepted when it gives a whole number of µs.
 *
 * Memory sizes follow Flink's `MemorySize.parse`: a number and an optional unit, 1024-based; no unit means bytes.
 * All arithmetic is exact (BigInt), never floating point.
 */

export class DurationError extends Error {
  readonly input: unknown;
  constructor(input: unknown, message: string) {
    super(message);
    this.name = 'DurationError';
    this.input = input;
  }
}

export class MemorySizeError extends Error {
  readonly input: unknown;
  constructor(input: unknown, message: string) {
    super(message);
    this.name = 'MemorySizeError';
    this.input = input;
  }
}

/**
 * Flink's time unit labels (TimeUtils.TimeUnit) plus "us", "μs" (Greek mu), "secs" and "mins";
 * value = nanoseconds per unit.
 */
const TIME_UNITS: readonly { labels: readonly string[]; ns: bigint }[] = [
  { labels: ['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'], ns: 1n },
  { labels: ['µs', 'μs', 'us', 'micro', 'micros', 'microsecond', 'microseconds'], ns: 1_000n },
  { labels: ['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], ns: 1_000_000n },
  { labels: ['s', 'sec', 'secs', 'second', 'seconds'], ns: 1_000_000_000n },
  { labels: ['m', 'min', 'mins', 'minute', 'minutes'], ns: 60_000_000_000n },
  { labels: ['h', 'hour', 'hours'], ns: 3_600_000_000_000n },
  { labels: ['d', 'day', 'days'], ns: 86_400_000_000_000n },
];
const TIME_UNIT_BY_LABEL = new Map<string, bigint>();
for (const unit of TIME_UNITS) for (const label of unit.labels) TIME_UNIT_BY_LABEL.set(label, unit.ns);

/** Every accepted unit label, for building parsers (longest first, so "ms" wins over "m"). */
export const DURATION_UNIT_LABELS: readonly string[] = [...TIME_UNIT_BY_LABEL.keys()].sort(
  (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
);

export const DURATION_FORMS =
  'a duration like "1s", "500 ms" or "1 min" (units ns, µs, ms, s, min, h, d; a bare number means milliseconds)';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NUMBER_AND_UNIT = /^([0-9]+)(?:\.([0-9]+))?\s*(.*)$/su;

function describe(input: unknown): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

function durationError(input: unknown, detail?: string): DurationError {
  const suffix = detail === undefined ? '' : ` (${detail})`;
  return new DurationError(input, `expected ${DURATION_FORMS}, got ${describe(input)}${suffix}`);
}

/** Splits "12.5 kb" into an exact rational (numerator, 10^decimals) and the lower-cased unit label. */
function splitNumber(text: string): { num: bigint; scale: bigint; unit: string } | null {
  const match = NUMBER_AND_UNIT.exec(text.trim());
  if (match === null) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  return {
    num: BigInt(whole + fraction),
    scale: 10n ** BigInt(fraction.length),
    unit: (match[3] ?? '').trim().toLowerCase(),
  };
}

/** A JSON number of milliseconds (Flink's default unit) as exact µs, or null if it is not a whole number of µs. */
function millisNumberToMicros(ms: number): number | null {
  const us = Math.round(ms * 1000);
  return Math.abs(us - ms * 1000) < 1e-6 && Number.isSafeInteger(us) ? us : null;
}

/**
 * Parses a Flink duration ("1s", "500 ms", "1 min", "2ms", "1h", "1000", or a JSON number of milliseconds)
 * into integer microseconds. Throws DurationError naming the input and the accepted forms.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw durationError(text, 'a duration cannot be negative');
    const us = millisNumberToMicros(text);
    if (us === null) throw durationError(text, 'must be a whole number of microseconds');
    return us;
  }
  if (typeof text !== 'string') throw durationError(text);
  const parts = splitNumber(text);
  if (parts === null) {
    const negative = /^\s*-/.test(text) ? 'a duration cannot be negative' : undefined;
    throw durationError(text, negative);
  }
  const unitNs = parts.unit === '' ? 1_000_000n : TIME_UNIT_BY_LABEL.get(parts.unit);
  if (unitNs === undefined) throw durationError(text, `unknown time unit "${parts.unit}"`);
  const ns = parts.num * unitNs;
  const denominator = parts.scale * 1000n;
  if (ns % denominator !== 0n) throw durationError(text, 'must be a whole number of microseconds');
  const us = ns / denominator;
  if (us > MAX_SAFE) throw durationError(text, 'too large');
  return Number(us);
}

/** Flink's `TimeUtils.formatWithHighestUnit` style: the largest unit that divides exactly ("1 s", "10 min", "200 ms"). */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  if (us < 0) return `-${formatDuration(-us)}`;
  const value = Math.round(us);
  if (value === 0) return '0 ms';
  const units: readonly [number, string][] = [
    [86_400_000_000, 'd'],
    [3_600_000_000, 'h'],
    [60_000_000, 'min'],
    [1_000_000, 's'],
    [1_000, 'ms'],
  ];
  for (const [size, label] of units) if (value % size === 0) return `${value / size} ${label}`;
  return `${value} µs`;
}

/** Flink's MemorySize units (1024-based). */
const MEMORY_UNITS: readonly { labels: readonly string[]; bytes: bigint }[] = [
  { labels: ['b', 'bytes'], bytes: 1n },
  { labels: ['k', 'kb', 'kibibytes'], bytes: 1024n },
  { labels: ['m', 'mb', 'mebibytes'], bytes: 1024n ** 2n },
  { labels: ['g', 'gb', 'gibibytes'], bytes: 1024n ** 3n },
  { labels: ['t', 'tb', 'tebibytes'], bytes: 1024n ** 4n },
];
const MEMORY_UNIT_BY_LABEL = new Map<string, bigint>();
for (const unit of MEMORY_UNITS) for (const label of unit.labels) MEMORY_UNIT_BY_LABEL.set(label, unit.bytes);

export const MEMORY_FORMS =
  'a memory size like "32 kb", "5 mb" or "4096" (units b, kb, mb, gb, tb, 1024-based; a bare number means bytes)';

function memoryError(input: unknown, detail?: string): MemorySizeError {
  const suffix = detail === undefined ? '' : ` (${detail})`;
  return new MemorySizeError(input, `expected ${MEMORY_FORMS}, got ${describe(input)}${suffix}`);
}

/** Parses a Flink memory size ("32kb", "5 mb", "4096", or a JSON number of bytes) into integer bytes. */
export function parseMemorySize(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isSafeInteger(text) || text < 0)
      throw memoryError(text, 'must be a whole, non-negative number');
    return text;
  }
  if (typeof text !== 'string') throw memoryError(text);
  const parts = splitNumber(text);
  if (parts === null) throw memoryError(text);
  const unitBytes = parts.unit === '' ? 1n : MEMORY_UNIT_BY_LABEL.get(parts.unit);
  if (unitBytes === undefined) throw memoryError(text, `unknown memory unit "${parts.unit}"`);
  const scaled = parts.num * unitBytes;
  if (scaled % parts.scale !== 0n) throw memoryError(text, 'must be a whole number of bytes');
  const bytes = scaled / parts.scale;
  if (bytes > MAX_SAFE) throw memoryError(text, 'too large');
  return Number(bytes);
}

/** Flink's MemorySize.toString style: the largest unit that divides exactly ("32 kb", "5 mb", "100 bytes"). */
export function formatMemorySize(bytes: number): string {
  const units: readonly [number, string][] = [
    [1024 ** 4, 'tb'],
    [1024 ** 3, 'gb'],
    [1024 ** 2, 'mb'],
    [1024, 'kb'],
  ];
  for (const [size, label] of units) if (bytes !== 0 && bytes % size === 0) return `${bytes / size} ${label}`;
  return `${bytes} bytes`;
}
