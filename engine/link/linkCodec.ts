/**
 * The link codec (issue 11, "Shareable links"): a run (./linkTypes.ts) as the fragment of a URL, `#l=<payload>`.
 *
 * Payload = base64url( [link format version: 1 byte] [ENGINE_VERSION: varint] [CRC-32 of the JSON: 4 bytes]
 * [deflate (fflate, level 9) of the run as UTF-8 JSON] ). The format version is read first, so a newer link is
 * named as such; the checksum tells a link damaged or altered on its way from the one that was copied; inflating
 * stops at MAX_DECODED_BYTES; the run is checked with a strict schema and its scenario with the engine's own
 * validator. Same code in the browser and in Node (no DOM), so the CLI prints the link the app copies.
 *
 * decodeLink never throws: every input gives { ok: true, ... } or { ok: false, error, message }, the message
 * naming what is wrong and what to do about it.
 */
import { deflateSync, Inflate } from 'fflate';
import { ENGINE_VERSION } from '../protocol.ts';
import { validateScenario } from '../scenario/validate.ts';
import { fromBase64url, toBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import {
  LINK_FORMAT_VERSION,
  MAX_DECODED_BYTES,
  MAX_LINK_CHARS,
  sharedRunSchema,
  type SharedRun,
} from './linkTypes.ts';

export type LinkErrorCode =
  | 'empty'
  | 'too-long'
  | 'malformed'
  | 'truncated'
  | 'newer-format'
  | 'unknown-format'
  | 'corrupt'
  | 'too-large'
  | 'invalid-run'
  | 'invalid-scenario'
  | 'internal';

export interface LinkError {
  ok: false;
  error: LinkErrorCode;
  message: string;
}

export interface DecodedLink {
  ok: true;
  run: SharedRun;
  linkVersion: number;
  engineVersion: number;
  /** Set when the link was made by another engine version: it may replay differently (issue 7 §6). */
  versionNotice: string | null;
}

export type DecodeResult = DecodedLink | LinkError;

const ASK_AGAIN = 'Ask the sender to copy the link again (Copy link) and paste all of it.';

function fail(error: LinkErrorCode, message: string): LinkError {
  return { ok: false, error, message };
}

function writeVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** The link payload of a run (the text after `#l=`). Throws only on a run that is not JSON (a caller's bug). */
export function encodeLink(run: SharedRun, engineVersion: number = ENGINE_VERSION): string {
  const json = new TextEncoder().encode(JSON.stringify(run));
  const head: number[] = [LINK_FORMAT_VERSION];
  writeVarint(head, engineVersion);
  const sum = crc32(json);
  head.push((sum >>> 24) & 0xff, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff);
  const body = deflateSync(json, { level: 9 });
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head, 0);
  bytes.set(body, head.length);
  return toBase64url(bytes);
}

/** A full URL for a payload: `<base>#l=<payload>` (any fragment of the base is replaced). */
export function linkUrl(base: string, payload: string): string {
  const cut = base.indexOf('#');
  return `${cut < 0 ? base : base.slice(0, cut)}#l=${payload}`;
}

/**
 * The payload in what a user pasted: a full URL with `#l=`, the fragment `#l=...`, `l=...` or the bare payload;
 * null when the text does not look like a link at all (e.g. a preset id or a file path).
 */
export function linkPayloadOf(text: string): string | null {
  const t = text.trim();
  const at = t.indexOf('#l=');
  if (at >= 0) return t.slice(at + 3);
  if (t.startsWith('l=')) return t.slice(2);
  return null;
}

/** True for text that is a link rather than a scenario name or path (used by the CLI's `run`). */
export function looksLikeLink(text: string): boolean {
  return linkPayloadOf(text) !== null || /^https?:\/\//i.test(text.trim());
}

/** Inflates at most `limit` bytes; null past the limit. Throws fflate's error on broken data. */
function inflateBounded(data: Uint8Array, limit: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) over = true;
    else parts.push(chunk);
    if (final) ended = true;
  });
  // Small pieces: one piece inflates to at most ~1 kB x 1032 (deflate's best ratio), so the check stops a bomb
  // early instead of after it went off.
  const PIECE = 1024;
  for (let i = 0; i < data.length && !over; i += PIECE) {
    const end = Math.min(data.length, i + PIECE);
    inflater.push(data.subarray(i, end), end === data.length);
  }
  if (over) return null;
  if (!ended) throw new Error('unexpected EOF');
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function issuesText(issues: readonly { path: string; message: string }[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path === '' ? '(document)' : i.path}: ${i.message}`);
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  const text = shown.join('; ') + more;
  return /[.?!]$/.test(text) ? text.slice(0, -1) : text;
}

function decodeUnsafe(input: string): DecodeResult {
  const payload = linkPayloadOf(input) ?? input.trim();
  if (payload.length === 0)
    return fail('empty', `The link is empty: it has nothing after "#l=". ${ASK_AGAIN}`);
  if (payload.length > MAX_LINK_CHARS)
    return fail(
      'too-long',
      `The link is too long: ${payload.length.toLocaleString('en-US')} characters after "#l=", over the limit of ${MAX_LINK_CHARS.toLocaleString('en-US')}. Share the scenario as a JSON file instead (My scenarios → Export).`,
    );
  const b64 = fromBase64url(payload);
  if (!b64.ok) {
    if (b64.at < 0)
      return fail(
        'truncated',
        `The link is cut off: its length (${payload.length} characters) is one no link has. ${ASK_AGAIN}`,
      );
    const ch = payload[b64.at] ?? '';
    const shown = /^[\x21-\x7e]$/.test(ch)
      ? `"${ch}"`
      : `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return fail(
      'malformed',
      `The link is malformed: character ${b64.at + 1} after "#l=" is ${shown}, but a link has only letters, digits, "-" and "_". ${ASK_AGAIN}`,
    );
  }
  const bytes = b64.bytes;
  const version = bytes[0];
  if (version === undefined) return fail('truncated', `The link is cut off: it has no content. ${ASK_AGAIN}`);
  if (version > LINK_FORMAT_VERSION)
    return fail(
      'newer-format',
      `The link was made by a newer version of Checkpoint Lab (link format ${version}; this page reads format ${LINK_FORMAT_VERSION}). Reload the page to get the newest version, then open the link again.`,
    );
  if (version < 1)
    return fail(
      'unknown-format',
      `The link is not a Checkpoint Lab link (format ${version} does not exist). ${ASK_AGAIN}`,
    );
  // ENGINE_VERSION as a varint (at most 4 bytes: versions stay far below 2^28).
  let engineVersion = 0;
  let pos = 1;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[pos];
    if (b === undefined) return fail('truncated', `The link is cut off in its header. ${ASK_AGAIN}`);
    pos += 1;
    engineVersion += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    if (shift >= 21)
      return fail('corrupt', `The link is damaged: its engine version is not a number. ${ASK_AGAIN}`);
  }
  if (bytes.length < pos + 4 + 2)
    return fail('truncated', `The link is cut off: it ends after its header. ${ASK_AGAIN}`);
  const sum =
    (((bytes[pos] ?? 0) << 24) |
      ((bytes[pos + 1] ?? 0) << 16) |
      ((bytes[pos + 2] ?? 0) << 8) |
      (bytes[pos + 3] ?? 0)) >>>
    0;
  let json: Uint8Array | null;
  try {
    json = inflateBounded(bytes.subarray(pos + 4), MAX_DECODED_BYTES);
  } catch (e) {
    const eof = e instanceof Error && /EOF/i.test(e.message);
    return eof
      ? fail('truncated', `The link is cut off: its content ends early. ${ASK_AGAIN}`)
      : fail('corrupt', `The link is damaged: its content does not decompress. ${ASK_AGAIN}`);
  }
  if (json === null)
    return fail(
      'too-large',
      `The link unpacks to more than ${MAX_DECODED_BYTES.toLocaleString('en-US')} bytes, the limit for a shared run. Share the scenario as a JSON file instead (My scenarios → Export).`,
    );
  if (crc32(json) !== sum)
    return fail(
      'corrupt',
      `The link was changed or damaged on its way: its content does not match its checksum. ${ASK_AGAIN}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as unknown;
  } catch {
    return fail('corrupt', `The link is damaged: its content is not JSON. ${ASK_AGAIN}`);
  }
  const parsed = sharedRunSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    return fail('invalid-run', `The link's run is not valid: ${issuesText(issues)}. ${ASK_AGAIN}`);
  }
  const run: SharedRun = parsed.data;
  const checked = validateScenario({ ...run.scenario, seed: run.seed });
  if (!checked.ok)
    return fail(
      'invalid-scenario',
      `The link's scenario is not valid here: ${issuesText(checked.errors)}. It may come from another version of Checkpoint Lab; ask the sender for the scenario as a JSON file.`,
    );
  const versionNotice =
    engineVersion === ENGINE_VERSION
      ? null
      : engineVersion < ENGINE_VERSION
        ? `This link was made with an older engine (version ${engineVersion}; this page runs version ${ENGINE_VERSION}). The engine has changed since, so the run may replay differently from what the sender saw.`
        : `This link was made with a newer engine (version ${engineVersion}; this page runs version ${ENGINE_VERSION}). Reload the page to get the newest version: until then the run may replay differently from what the sender saw.`;
  return { ok: true, run, linkVersion: version, engineVersion, versionNotice };
}

/** Decodes a link (a full URL, `#l=...`, `l=...` or the bare payload). Never throws. */
export function decodeLink(input: string): DecodeResult {
  try {
    if (typeof input !== 'string') return fail('malformed', 'The link is not text.');
    return decodeUnsafe(input);
  } catch (e) {
    return fail(
      'internal',
      `The link could not be read (${e instanceof Error ? e.message : String(e)}). ${ASK_AGAIN}`,
    );
  }
}
