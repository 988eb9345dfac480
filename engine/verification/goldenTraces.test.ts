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
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const p of listPresets())
    for (const seed of [1, 42])
      for (const faults of [false, true])
        out.push({ name: `${p.id} seed ${seed}${faults ? ' with faults' : ''}`, preset: p.id, seed, faults });
  return out;
}

function traceOf(c: Case): string {
  const doc = presetScenario(c.preset) as { faults?: unknown[]; job: { operators: { id: string }[] } };
  if (c.faults) {
    const first = doc.job.operators[doc.job.operators.length - 1] as { id: string };
    doc.faults = [
      { at: '7s', kind: 'fail-task', target: `${first.id}#0` },
      { at: '15s', kind: 'kill-taskmanager', target: 'tm-0', duration: '3s' },
    ];
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
