/**
 * Helpers for readable scenario errors: "did you mean" suggestions (edit distance) and JSON paths.
 * Pure and deterministic; shared by config.ts, schema.ts and validate.ts.
 */

/** Levenshtein distance between two strings (case-sensitive). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `input`, or null when none is close enough to be a plausible typo.
 * Case-insensitive; a candidate that ends with "." + input (e.g. "interval" for
 * "execution.checkpointing.interval") counts as close. Ties keep the earlier candidate.
 */
export function closest(input: string, candidates: Iterable<string>): string | null {
  const needle = input.toLowerCase();
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    let score = editDistance(needle, lower);
    if (needle.length >= 3 && (lower.endsWith('.' + needle) || lower.endsWith('-' + needle))) score = 1;
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === null) return null;
  const limit = Math.max(1, Math.floor(needle.length / 3));
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

/** Short rendering of a JSON value for messages: strings quoted, long values cut. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
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
