/**
 * Window strings of the scenario format: "tumbling 15s", "tumbling 1 min offset 5s", "sliding 30s 10s",
 * "sliding 30 s every 10 s" (durations in Flink's forms, see ./duration.ts). Event-time windows are measured in
 * whole milliseconds, as Flink's TumblingEventTimeWindows / SlidingEventTimeWindows are (reference 7.2).
 */
import { DURATION_UNIT_LABELS, DurationError, formatDuration, parseDuration } from './duration.ts';
import type { WindowSpec } from './types.ts';

export class WindowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WindowError';
  }
}

export const WINDOW_FORMS =
  'a window like "tumbling 15s", "tumbling 1 min offset 5s", "sliding 30s 10s" or "sliding 30 s every 10 s"';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A number, optional whitespace, an optional unit label not followed by another letter. */
const DURATION_TOKEN = new RegExp(
  `(\\d+(?:\\.\\d+)?)(?:\\s*(${DURATION_UNIT_LABELS.map(escape).join('|')}))?(?![\\p{L}\\d])`,
  'uy',
);
const KEYWORD = /(every|offset)(?![\p{L}\d])/uy;

type Token = { kind: 'duration'; text: string } | { kind: 'keyword'; text: 'every' | 'offset' };

function tokenize(rest: string, full: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < rest.length) {
    if (/\s/u.test(rest[pos] ?? '')) {
      pos++;
      continue;
    }
    KEYWORD.lastIndex = pos;
    const keyword = KEYWORD.exec(rest);
    if (keyword !== null) {
      tokens.push({ kind: 'keyword', text: keyword[1] as 'every' | 'offset' });
      pos = KEYWORD.lastIndex;
      continue;
    }
    DURATION_TOKEN.lastIndex = pos;
    const duration = DURATION_TOKEN.exec(rest);
    if (duration !== null) {
      tokens.push({ kind: 'duration', text: duration[0] });
      pos = DURATION_TOKEN.lastIndex;
      continue;
    }
    const word = /\S+/uy;
    word.lastIndex = pos;
    const bad = word.exec(rest)?.[0] ?? rest.slice(pos);
    throw new WindowError(`expected ${WINDOW_FORMS}, got ${JSON.stringify(full)} (cannot read "${bad}")`);
  }
  return tokens;
}

function durationMs(text: string, role: string, full: string): number {
  let us: number;
  try {
    us = parseDuration(text);
  } catch (e) {
    throw new WindowError(
      `window ${role} in ${JSON.stringify(full)}: ${e instanceof DurationError ? e.message : String(e)}`,
    );
  }
  if (us % 1000 !== 0)
    throw new WindowError(
      `window ${role} must be a whole number of milliseconds (event-time windows are in ms), got "${text}"`,
    );
  return us / 1000;
}

/** Parses a window string into a WindowSpec (sizes in ms). Throws WindowError saying what is valid. */
export function parseWindow(text: string): WindowSpec {
  const full = text;
  const match = /^\s*(\p{L}+)\s*(.*)$/su.exec(text);
  const type = match?.[1]?.toLowerCase();
  if (match === null || (type !== 'tumbling' && type !== 'sliding')) {
    const given = match?.[1] === undefined ? '' : ` (unknown window type "${match[1]}")`;
    throw new WindowError(`expected ${WINDOW_FORMS}, got ${JSON.stringify(full)}${given}`);
  }
  const tokens = tokenize((match[2] ?? '').toLowerCase(), full);
  const shapeError = (hint: string): WindowError =>
    new WindowError(`expected ${WINDOW_FORMS}, got ${JSON.stringify(full)} (${hint})`);

  // Split off "offset <duration>" at the end.
  let offsetMs = 0;
  const offsetAt = tokens.findIndex((t) => t.kind === 'keyword' && t.text === 'offset');
  let body = tokens;
  if (offsetAt >= 0) {
    const after = tokens.slice(offsetAt + 1);
    const offsetToken = after[0];
    if (after.length !== 1 || offsetToken?.kind !== 'duration')
      throw shapeError('"offset" must be followed by exactly one duration at the end');
    offsetMs = durationMs(offsetToken.text, 'offset', full);
    body = tokens.slice(0, offsetAt);
  }

  if (type === 'tumbling') {
    const size = body[0];
    if (body.length !== 1 || size?.kind !== 'duration') throw shapeError('a tumbling window takes one size');
    const sizeMs = durationMs(size.text, 'size', full);
    if (sizeMs <= 0) throw new WindowError(`window size must be greater than 0, got "${size.text}"`);
    if (offsetMs >= sizeMs)
      throw new WindowError(
        `TumblingEventTimeWindows parameters must satisfy abs(offset) < size (offset ${offsetMs} ms, size ${sizeMs} ms)`,
      );
    return { type: 'tumbling', sizeMs, offsetMs };
  }

  const durations = body.filter((t) => t.kind === 'duration');
  const everyCount = body.filter((t) => t.kind === 'keyword' && t.text === 'every').length;
  const wellFormed =
    durations.length === 2 &&
    (everyCount === 0
      ? body.length === 2
      : everyCount === 1 && body.length === 3 && body[1]?.kind === 'keyword' && body[1].text === 'every');
  if (!wellFormed) throw shapeError('a sliding window takes a size and a slide, e.g. "sliding 30s 10s"');
  const sizeText = durations[0]?.text ?? '';
  const slideText = durations[1]?.text ?? '';
  const sizeMs = durationMs(sizeText, 'size', full);
  const slideMs = durationMs(slideText, 'slide', full);
  if (sizeMs <= 0) throw new WindowError(`window size must be greater than 0, got "${sizeText}"`);
  if (slideMs <= 0) throw new WindowError(`window slide must be greater than 0, got "${slideText}"`);
  if (slideMs > sizeMs)
    throw new WindowError(
      `window slide (${slideText}) must not be larger than the size (${sizeText}); use a smaller slide, or a ` +
        `tumbling window when slide = size`,
    );
  if (offsetMs >= slideMs)
    throw new WindowError(
      `SlidingEventTimeWindows parameters must satisfy abs(offset) < slide and size > 0 (offset ${offsetMs} ms, slide ${slideMs} ms)`,
    );
  return { type: 'sliding', sizeMs, slideMs, offsetMs };
}

/** The canonical text of a window ("tumbling 15 s", "sliding 30 s every 10 s offset 5 s"). */
export function formatWindow(spec: WindowSpec): string {
  const ms = (n: number): string => formatDuration(n * 1000);
  const offset = spec.offsetMs === 0 ? '' : ` offset ${ms(spec.offsetMs)}`;
  return spec.type === 'tumbling'
    ? `tumbling ${ms(spec.sizeMs)}${offset}`
    : `sliding ${ms(spec.sizeMs)} every ${ms(spec.slideMs)}${offset}`;
}
