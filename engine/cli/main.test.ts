import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('help and dispatch', () => {
  it.each([[], ['help'], ['--help'], ['-h']])(
    '%j prints the overview with every command',
    async (...argv) => {
      const { code, out, err } = await cli(...argv);
      expect(code).toBe(0);
      expect(err).toBe('');
      for (const c of ['run <preset-id | file.json>', 'keys --parallelism P', 'presets', 'help [command]']) {
        expect(out).toContain(c);
      }
      expect(out).toContain('Examples:');
    },
  );

  it('prints one command page for "help run", "run --help" and "keys -h"', async () => {
    const a = await cli('help', 'run');
    const b = await cli('run', '--help');
    expect(a.out).toBe(b.out);
    for (const o of ['--seed', '--until', '--set', '--unset', '--op', '--fault', '--action', '--json'])
      expect(a.out).toContain(o);
    expect((await cli('keys', '-h')).out).toContain('--max-parallelism');
    expect((await cli('help', 'presets')).out).toContain('<id>  <name> — <description>');
  });

  it('rejects an unknown command, naming the commands', async () => {
    const { code, out, err } = await cli('rnu', 'click-count');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(
      'unknown command "rnu"; did you mean "run"?; commands: run, verify, keys, presets, inspect, export-flink, help',
    );
    expect((await cli('--json')).err).toContain('unknown option --json before a command');
    expect((await cli('help', 'nope')).code).toBe(2);
  });

  it('rejects arguments to presets', async () => {
    const { code, err } = await cli('presets', 'extra');
    expect(code).toBe(2);
    expect(err).toContain('presets takes no arguments');
  });
});
