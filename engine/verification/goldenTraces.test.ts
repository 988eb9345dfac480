/**
 * Golden traces (DESIGN: Determinism): the trace hash of every preset, for a few seeds, with and without faults,
 * is pinned in goldenTraces.json. A change that alters event order fails here; when it is intended, regenerate the
 * pins with `UPDATE_GOLDEN=1 npx vitest run engine/verification/goldenTraces.test.ts` in the same commit and say
 * why (shared links replay differently across such a change: bump ENGINE_VERSION).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, listPresets, presetScenario } from '../engine.ts';

const FILE = fileURLToPath(new URL('./goldenTraces.json', import.meta.url));
const UNTIL_US = 30_000_000;

interface Case {
  name: string;
  preset: string;
  seed: number;
  faults: boolean;
  /** Configuration on top of the preset's (unaligned checkpoints, with and without the aligned-checkpoint timeout). */
  config?: Record<string, string>;
  /** The operator slowed down (backpressure) in the cases with a config. */
  slow?: string;
}

const UNALIGNED = { 'execution.checkpointing.unaligned.enabled': 'true' };
const UNALIGNED_TIMEOUT = { ...UNALIGNED, 'execution.checkpointing.aligned-checkpoint-timeout': '50 ms' };

function cases(): Case[] {
  const out: Case[] = [];
  for (const p of listPresets())
    for (const seed of [1, 42])
      for (const faults of [false, true])
        out.push({ name: `${p.id} seed ${seed}${faults ? ' with faults' : ''}`, preset: p.id, seed, faults });
  // Unaligned checkpoints under backpressure (a slow task), started unaligned or aligned with a timeout.
  for (const [preset, slow] of [
    ['click-count', 'counter'],
    ['union-two-speeds', 'sums'],
    ['rolling-sum', 'sum'],
  ] as const)
    for (const [label, config] of [
      ['unaligned', UNALIGNED],
      ['unaligned with aligned-checkpoint-timeout', UNALIGNED_TIMEOUT],
    ] as const)
      out.push({
        name: `${preset} seed 1 with faults, ${label}`,
        preset,
        seed: 1,
        faults: true,
        config,
        slow,
      });
  return out;
}

function traceOf(c: Case): string {
  const doc = presetScenario(c.preset) as {
    faults?: unknown[];
    config?: Record<string, unknown>;
    job: { operators: { id: string }[] };
  };
  if (c.config) doc.config = { ...doc.config, ...c.config };
  if (c.faults) {
    const first = doc.job.operators[doc.job.operators.length - 1] as { id: string };
    doc.faults = [
      { at: '7s', kind: 'fail-task', target: `${first.id}#0` },
      { at: '15s', kind: 'kill-taskmanager', target: 'tm-0', duration: '3s' },
    ];
    // Backpressure: a keyed operator runs 50x slower for a while.
    if (c.slow)
      doc.faults.push({ at: '3s', kind: 'slow-task', target: `${c.slow}#0`, factor: 50, duration: '10s' });
  }
  const r = createEngine(doc, { seed: c.seed });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  r.engine.runUntil(UNTIL_US);
  return `${r.engine.traceHash()} ${r.engine.runtime.kernel.processed}`;
}

describe('golden traces', () => {
  const all = cases();
  if (process.env.UPDATE_GOLDEN) {
    it('regenerates the pins', () => {
      const pins: Record<string, string> = {};
      for (const c of all) pins[c.name] = traceOf(c);
      writeFileSync(FILE, `${JSON.stringify(pins, null, 2)}\n`);
    });
    return;
  }
  const pins = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>;
  for (const c of all) {
    it(c.name, () => {
      expect(traceOf(c)).toBe(pins[c.name]);
    });
  }
});
