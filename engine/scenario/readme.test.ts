/** The README's scenario examples are real: the default-scenario block and the actions example validate. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getPreset } from './presets.ts';
import { validateScenario } from './validate.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The first ```json block after `marker`. */
function jsonBlockAfter(marker: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README has no "${marker}"`);
  const start = README.indexOf('```json\n', at);
  const end = README.indexOf('\n```', start + 1);
  if (start < 0 || end < 0) throw new Error(`no json block after "${marker}"`);
  return README.slice(start + '```json\n'.length, end);
}

describe('README', () => {
  it('the default-scenario JSON validates and matches the click-count preset where it overlaps', () => {
    const text = jsonBlockAfter('The default scenario (preset `click-count`');
    const result = validateScenario(text);
    expect(result.ok ? [] : result.errors).toEqual([]);
    const doc = JSON.parse(text) as { config: Record<string, unknown>; seed: number };
    const preset = getPreset('click-count')?.scenario;
    expect(doc.config).toEqual(preset?.config);
    expect(doc.seed).toBe(preset?.seed);
  });

  it('the actions example validates inside the default scenario', () => {
    const base = JSON.parse(jsonBlockAfter('The default scenario (preset `click-count`')) as object;
    const actions = JSON.parse(`{${jsonBlockAfter('**Actions**')}}`) as { actions: unknown };
    const result = validateScenario({ ...base, ...actions });
    expect(result.ok ? result.scenario.actions.map((a) => a.kind) : result.errors).toEqual([
      'checkpoint',
      'savepoint',
      'stop-with-savepoint',
    ]);
  });
});
