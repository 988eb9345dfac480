/**
 * Helpers for readable scenario errors: "did you mean" suggestions (edit distance) and JSON paths.
 * Pure and deterministic; shared by config.ts, schema.ts and validate.ts.
 */

/** Edit distance with adjacent transpositions (optimal string alignment), case-sensitive. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `input`, or null when none is close enough to be a plausible typo.
 * Case-insensitive; a candidate that ends with "." + input (e.g. "interval" for
 * "execution.checkpointing.interval") counts as close. Ties keep the earlier candidate.
 */
export function closest(input: string, candidates: Iterable<string>): string | null {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    let score: number;
    if (needle.length >= 3 && (lower.endsWith('.' + needle) || lower.endsWith('-' + needle))) score = 1;
    // The distance is at least the difference in length: skip the quadratic computation when that is too far.
    else if (Math.abs(lower.length - needle.length) > limit) score = Number.POSITIVE_INFINITY;
    else score = editDistance(needle, lower);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === null) return null;
  return bestScore <= limit ? best : null;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === null ? '' : `; did you mean "${match}"?`;
}

/** `"a", "b" or "c"` */
export function quoteList(values: readonly unknown[], conjunction = 'or'): string {
  const quoted = values.map((v) => show(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1] ?? ''}`;
}

/**
 * Short rendering of a JSON value for messages: strings quoted, long values cut. A value too deeply nested to
 * render (JSON.stringify overflows the stack) is named by its kind: "an array", "an object".
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** "an array: [1,2]", "a string: \"x\"", "null": a value with what kind of JSON value it is. */
export function showKind(value: unknown): string {
  if (value === null) return 'null';
  const kind = Array.isArray(value)
    ? 'an array'
    : typeof value === 'string'
      ? 'a string'
      : typeof value === 'number'
        ? 'a number'
        : typeof value === 'boolean'
          ? 'a boolean'
          : 'an object';
  const text = show(value);
  return text === kind ? kind : `${kind}: ${text}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JSON path as written in error messages: `job.operators[1].window`, `config["execution.checkpointing.interval"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
