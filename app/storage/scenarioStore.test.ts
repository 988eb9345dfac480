import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPreset } from '../../engine/scenario/presets.ts';
import { useDatabase } from './db.ts';
import {
  MAX_IMPORT_BYTES,
  checkImport,
  deleteScenario,
  exportFileName,
  exportText,
  importScenario,
  listScenarios,
  renameScenario,
  saveScenario,
} from './scenarioStore.ts';

const doc = () => JSON.parse(JSON.stringify(getPreset('click-count')!.scenario)) as Record<string, unknown>;
let n = 0;

beforeEach(() => {
  n += 1;
  useDatabase(`test-scenarios-${n}`);
});

describe('saved scenarios', () => {
  it('saves, lists newest first, renames and deletes', async () => {
    const a = await saveScenario('  My   first ', doc());
    expect(a.name).toBe('My first');
    await new Promise((r) => setTimeout(r, 5));
    const b = await saveScenario('Second', { ...doc(), seed: 9 });
    expect((await listScenarios()).map((s) => s.name)).toEqual(['Second', 'My first']);
    await new Promise((r) => setTimeout(r, 5));
    await renameScenario(a.id, 'Renamed');
    expect((await listScenarios()).map((s) => s.name)).toEqual(['Renamed', 'Second']);
    await deleteScenario(b.id);
    const left = await listScenarios();
    expect(left.map((s) => s.name)).toEqual(['Renamed']);
    expect(left[0]!.doc).toEqual(doc());
  });

  it('refuses an empty or overlong name, and renaming a deleted scenario', async () => {
    await expect(saveScenario('   ', doc())).rejects.toThrow('Give the scenario a name');
    await expect(saveScenario('x'.repeat(101), doc())).rejects.toThrow('keep it to 100');
    const a = await saveScenario('A', doc());
    await deleteScenario(a.id);
    await expect(renameScenario(a.id, 'B')).rejects.toThrow('no longer saved');
  });

  it('exports the document itself (the CLI runs it) under a file name made from the name', () => {
    expect(exportFileName('Click count: rescale!')).toBe('click-count-rescale.json');
    expect(exportFileName('???')).toBe('scenario.json');
    expect(JSON.parse(exportText(doc()))).toEqual(doc());
  });

  it('imports a good file and names the problem of a bad one, writing nothing', async () => {
    const good = exportText(doc());
    const ok = await importScenario('mine.json', good, good.length);
    expect(ok.ok && ok.value.name).toBe('Click event count');
    const bad: [string, string, number, RegExp][] = [
      ['big.json', good, MAX_IMPORT_BYTES + 1, /over the limit of 1,048,576/],
      ['empty.json', '  ', 2, /is empty/],
      ['broken.json', '{\n  "version": 1,\n  oops\n}', 30, /not valid JSON.*line 3/],
      ['list.json', '[1, 2]', 6, /not a scenario: it must be one object/],
      [
        'typo.json',
        good.replace('"parallelism": 2', '"paralelism": 2'),
        good.length,
        /not a valid scenario \(1 problem\): job\.operators\[0\]\.paralelism: unknown key "paralelism"; did you mean "parallelism"\? Nothing/,
      ],
    ];
    for (const [name, text, bytes, words] of bad) {
      const r = checkImport(name, text, bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(words);
        expect(r.message).toContain(`"${name}"`);
        expect(r.message).toContain('Nothing was imported');
      }
      expect((await importScenario(name, text, bytes)).ok).toBe(false);
    }
    expect((await listScenarios()).length).toBe(1);
  });
});
