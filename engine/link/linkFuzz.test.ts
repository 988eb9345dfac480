/**
 * The codec never throws an untyped error (issue 11): 10,000+ mutated and random inputs — truncations, bit flips,
 * character swaps, random bytes, huge inputs, tampered versions — each give a typed error or a valid run.
 */
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../protocol.ts';
import { validateScenario } from '../scenario/validate.ts';
import { fromBase64url, toBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import { decodeLink, encodeLink, type LinkErrorCode } from './linkCodec.ts';
import { sharedRunSchema } from './linkTypes.ts';
import { sessionRun } from './testRuns.ts';

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES: readonly LinkErrorCode[] = [
  'empty',
  'too-long',
  'malformed',
  'truncated',
  'newer-format',
  'unknown-format',
  'corrupt',
  'too-large',
  'invalid-run',
  'invalid-scenario',
  'internal',
];

describe('link codec fuzzing', () => {
  it('10,000+ mutated and random inputs give a typed error or a valid run, fast', () => {
    const { run } = sessionRun({ timeTravel: false });
    const good = encodeLink(run);
    const goodBytes = (fromBase64url(good) as { ok: true; bytes: Uint8Array }).bytes;
    const json = new TextEncoder().encode(JSON.stringify(run));
    const rand = rng(20261130);
    const int = (n: number) => Math.floor(rand() * n);
    const inputs: string[] = [];
    const ALPH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 2000; i++) inputs.push(good.slice(0, int(good.length))); // truncations
    for (let i = 0; i < 2500; i++) {
      // bit flips (1-3) in the bytes
      const b = goodBytes.slice();
      for (let k = 0; k <= int(3); k++) {
        const at = int(b.length);
        b[at] = (b[at] ?? 0) ^ (1 << int(8));
      }
      inputs.push(toBase64url(b));
    }
    for (let i = 0; i < 1500; i++) {
      // character replacements, insertions and deletions in the text (any UTF-16 unit)
      const at = int(good.length);
      const ch = rand() < 0.7 ? (ALPH[int(64)] ?? 'A') : String.fromCharCode(int(0x10000));
      const op = int(3);
      inputs.push(
        op === 0
          ? good.slice(0, at) + ch + good.slice(at + 1)
          : op === 1
            ? good.slice(0, at) + ch + good.slice(at)
            : good.slice(0, at) + good.slice(at + 1),
      );
    }
    for (let i = 0; i < 2000; i++) {
      // random bytes, some behind a valid header
      const b = new Uint8Array(int(600));
      for (let k = 0; k < b.length; k++) b[k] = int(256);
      if (i % 2 === 0 && b.length > 6) b[0] = 1;
      inputs.push(toBase64url(b));
    }
    for (let i = 0; i < 1000; i++) {
      // tampered versions: format byte, engine version varint (incl. multi-byte), and re-checksummed bodies
      const b = goodBytes.slice();
      const which = int(3);
      if (which === 0) b[0] = int(256);
      else if (which === 1) b[1] = int(256);
      else {
        const body = json.slice();
        body[int(body.length)] = 32 + int(95);
        const s = crc32(body);
        const z = deflateSync(body);
        const out = new Uint8Array(6 + z.length);
        out.set([1, ENGINE_VERSION + int(3) - 1, s >>> 24, (s >>> 16) & 255, (s >>> 8) & 255, s & 255]);
        out.set(z, 6);
        inputs.push(toBase64url(out));
        continue;
      }
      inputs.push(toBase64url(b));
    }
    for (let i = 0; i < 1000; i++) {
      // random text, prefixes and URLs
      const n = int(200);
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(int(0x80));
      inputs.push([s, `#l=${s}`, `http://localhost:5173/#l=${s}`, `l=${s}`][int(4)] ?? s);
    }
    // huge inputs: over the length limit, and a deflate bomb under it
    inputs.push('A'.repeat(5_000_000), `#l=${good.repeat(100)}`);
    const bomb = new Uint8Array(20_000_000);
    const z = deflateSync(bomb, { level: 9 });
    const head = [1, ENGINE_VERSION, 0, 0, 0, 0];
    const bombBytes = new Uint8Array(head.length + z.length);
    bombBytes.set(head);
    bombBytes.set(z, head.length);
    inputs.push(toBase64url(bombBytes));
    expect(inputs.length).toBeGreaterThanOrEqual(10_000);

    const started = performance.now();
    const seen = new Map<string, number>();
    for (const input of inputs) {
      let r: ReturnType<typeof decodeLink>;
      try {
        r = decodeLink(input);
      } catch (e) {
        throw new Error(`decodeLink threw on ${JSON.stringify(input.slice(0, 80))}`, { cause: e });
      }
      if (r.ok) {
        expect(sharedRunSchema.safeParse(r.run).success).toBe(true);
        expect(validateScenario({ ...r.run.scenario, seed: r.run.seed }).ok).toBe(true);
        seen.set('ok', (seen.get('ok') ?? 0) + 1);
      } else {
        expect(CODES).toContain(r.error);
        expect(r.message.length).toBeGreaterThan(20);
        expect(r.error).not.toBe('internal');
        seen.set(r.error, (seen.get(r.error) ?? 0) + 1);
      }
    }
    const ms = performance.now() - started;
    // Fast: well under a millisecond per input on average on this shared machine.
    expect(ms / inputs.length).toBeLessThan(2);
    // The mutations reach the deep checks, not only the first one.
    for (const code of ['truncated', 'malformed', 'corrupt', 'newer-format', 'too-long', 'too-large'])
      expect(seen.get(code) ?? 0).toBeGreaterThan(0);
    console.log(`${inputs.length} inputs in ${ms.toFixed(0)} ms:`, Object.fromEntries(seen));
  });
});
