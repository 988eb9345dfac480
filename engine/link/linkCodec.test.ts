import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { presetScenario } from '../engine.ts';
import { ENGINE_VERSION } from '../protocol.ts';
import { toBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import { decodeLink, encodeLink, linkPayloadOf, linkUrl, looksLikeLink } from './linkCodec.ts';
import { LINK_FORMAT_VERSION, MAX_DECODED_BYTES, MAX_LINK_CHARS, type SharedRun } from './linkTypes.ts';
import { sessionRun } from './testRuns.ts';

const base = (): SharedRun => ({
  scenario: presetScenario('click-count') as Record<string, unknown>,
  seed: 7,
  segments: [{ actions: [] }],
  playhead: { timeUs: 20_000_000 },
});

/** A payload with any header and JSON body (to test what the encoder would never write). */
function rawPayload(
  json: string,
  version = LINK_FORMAT_VERSION,
  engine = ENGINE_VERSION,
  sum?: number,
): string {
  const body = new TextEncoder().encode(json);
  const s = sum ?? crc32(body);
  const head = [version, engine, (s >>> 24) & 255, (s >>> 16) & 255, (s >>> 8) & 255, s & 255];
  const z = deflateSync(body);
  const bytes = new Uint8Array(head.length + z.length);
  bytes.set(head);
  bytes.set(z, head.length);
  return toBase64url(bytes);
}

function expectError(input: string, code: string, words: RegExp): void {
  const r = decodeLink(input);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error).toBe(code);
    expect(r.message).toMatch(words);
  }
}

describe('link codec', () => {
  it('round-trips a run with a fault, a savepoint, a rescale, the playhead, the panel and a lesson step', () => {
    const { run } = sessionRun({ timeTravel: false });
    const full = { ...run, lesson: { id: 'barriers', step: 3 } };
    const payload = encodeLink(full);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    const r = decodeLink(linkUrl('http://localhost:5173/', payload));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.run).toEqual(full);
    expect(r.engineVersion).toBe(ENGINE_VERSION);
    expect(r.linkVersion).toBe(LINK_FORMAT_VERSION);
    expect(r.versionNotice).toBeNull();
  });

  it('is deterministic: the same run gives the same link (the CLI prints what the app copies)', () => {
    expect(encodeLink(base())).toBe(encodeLink(base()));
  });

  it('reads a full URL, the fragment, "l=" and the bare payload', () => {
    const p = encodeLink(base());
    for (const text of [`http://x.test/lab/?a=1#l=${p}`, `#l=${p}`, `l=${p}`, p, `  ${p}\n`]) {
      expect(decodeLink(text).ok).toBe(true);
    }
    expect(linkPayloadOf('click-count')).toBeNull();
    expect(looksLikeLink('my-scenario.json')).toBe(false);
    expect(looksLikeLink(`#l=${p}`)).toBe(true);
    expect(linkUrl('http://a/b#old', 'xyz')).toBe('http://a/b#l=xyz');
  });

  it('names each kind of bad link', () => {
    const p = encodeLink(base());
    expectError('#l=', 'empty', /empty/);
    expectError(`#l=${'A'.repeat(MAX_LINK_CHARS + 1)}`, 'too-long', /32,768/);
    expectError(`#l=${p.slice(0, 20)}*${p.slice(21)}`, 'malformed', /character 21 .* "\*"/);
    expectError(p.slice(0, p.length - 40), 'truncated', /cut off/);
    expectError(p.slice(0, 5), 'truncated', /cut off/);
    expectError(rawPayload('{}', 2), 'newer-format', /newer version .*format 2/);
    expectError(rawPayload('{}', 0), 'unknown-format', /not a Checkpoint Lab link/);
    expectError(rawPayload(JSON.stringify(base()), 1, ENGINE_VERSION, 12345), 'corrupt', /checksum/);
    expectError(rawPayload('not json'), 'corrupt', /not JSON/);
    expectError(rawPayload(JSON.stringify({ ...base(), seed: 'x' })), 'invalid-run', /seed/);
    expectError(
      rawPayload(
        JSON.stringify({ ...base(), segments: [{ actions: [{ at: 1, seq: 1, kind: 'explode' }] }] }),
      ),
      'invalid-run',
      /segments\.0\.actions\.0/,
    );
    const badScenario = { ...base(), scenario: { ...base().scenario, cluster: { taskManagers: -1 } } };
    expectError(rawPayload(JSON.stringify(badScenario)), 'invalid-scenario', /cluster\.taskManagers/);
  });

  it('refuses a link that unpacks past the size limit', () => {
    const huge = JSON.stringify({ ...base(), panel: undefined, pad: ' '.repeat(MAX_DECODED_BYTES) });
    const p = rawPayload(huge);
    expect(p.length).toBeLessThan(MAX_LINK_CHARS);
    expectError(p, 'too-large', /1,048,576 bytes/);
  });

  it('an older engine version opens with the "may replay differently" notice; a newer one too', () => {
    const old = decodeLink(encodeLink(base(), ENGINE_VERSION - 1));
    expect(old.ok && old.versionNotice).toMatch(/older engine .* may replay differently/);
    const newer = decodeLink(encodeLink(base(), ENGINE_VERSION + 1));
    expect(newer.ok && newer.versionNotice).toMatch(/newer engine .* may replay differently/);
  });

  it('never throws on non-string input', () => {
    expect(decodeLink(42 as unknown as string).ok).toBe(false);
  });
});
