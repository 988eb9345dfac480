/**
 * `run --action`: the CLI plumbing from the command line to Scenario.actions (the engine applying them at their
 * virtual times is tested with the runtime).
 */
import { describe, expect, it } from 'vitest';
import { listPresets, presetScenario } from '../engine.ts';
import { validateScenario, type ScenarioAction } from '../scenario/index.ts';
import { loadScenario } from './load.ts';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';
import { parseRunArgs } from './runCommand.ts';
import { usageText } from './usage.ts';

const mod = { presetScenario, listPresets };

async function actionsOf(argv: string[], files: Record<string, string> = {}): Promise<ScenarioAction[]> {
  const request = parseRunArgs(argv);
  const { raw } = await loadScenario(request.scenario, request.edits, memoryIo(files), mod);
  const result = validateScenario(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario.actions;
}

describe('run --action', () => {
  it('appends to the document actions; the scenario holds them sorted by time in µs', async () => {
    const actions = await actionsOf([
      'click-count',
      '--action',
      '30s:stop-with-savepoint,drain=true',
      '--action',
      '12s:checkpoint',
      '--action=12s:savepoint',
    ]);
    expect(actions).toEqual([
      { atUs: 12_000_000, kind: 'checkpoint' },
      { atUs: 12_000_000, kind: 'savepoint' },
      { atUs: 30_000_000, kind: 'stop-with-savepoint', drain: true },
    ]);
  });

  it('adds to the actions of a file, after its own', async () => {
    const doc = { ...(presetScenario('click-count') as object), actions: [{ at: '20s', kind: 'savepoint' }] };
    const actions = await actionsOf(['my.json', '--action', '5 s:checkpoint'], {
      'my.json': JSON.stringify(doc),
    });
    expect(actions).toEqual([
      { atUs: 5_000_000, kind: 'checkpoint' },
      { atUs: 20_000_000, kind: 'savepoint' },
    ]);
  });

  it('reports a wrong action with its path and exit code 2', async () => {
    const io = memoryIo();
    const code = await runCli(['run', 'click-count', '--action', '12s:chekpoint'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'actions[0].kind: expected one of "checkpoint", "savepoint" or "stop-with-savepoint", got "chekpoint"; did you mean "checkpoint"?',
    );
    const drain = memoryIo();
    expect(await runCli(['run', 'click-count', '--action', '12s:savepoint,drain=true'], drain)).toBe(2);
    expect(drain.err()).toContain('actions[0].drain: "drain" applies only to "stop-with-savepoint"');
    const bad = memoryIo();
    expect(await runCli(['run', 'click-count', '--action', '12s'], bad)).toBe(2);
    expect(bad.err()).toContain('--action expects <at>:<kind>[,drain=true]');
    const time = memoryIo();
    expect(await runCli(['run', 'click-count', '--action', 'soon:checkpoint'], time)).toBe(2);
    expect(time.err()).toMatch(/actions\[0\]\.at: expected a duration like "1s"/);
  });

  it('is in the usage of run', () => {
    expect(usageText('run')).toContain('--action <at>:<kind>[,drain=true]');
    expect(usageText('run')).toContain('30s:stop-with-savepoint,drain=true');
  });
});
