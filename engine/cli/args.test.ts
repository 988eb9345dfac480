import { describe, expect, it } from 'vitest';
import { parseArgs, type OptionSpec } from './args.ts';

const SPECS: OptionSpec[] = [
  { name: 'seed', value: 'N' },
  { name: 'set', value: 'key=value', repeat: true },
  { name: 'json' },
  { name: 'help' },
];

describe('parseArgs', () => {
  it('reads values, inline values, flags, repeats in order, and positionals anywhere', () => {
    const a = parseArgs('run', ['--set', 'a=1', 'click-count', '--seed=7', '--json', '--set', 'b=2'], SPECS);
    expect(a.positionals).toEqual(['click-count']);
    expect(a.value('seed')).toBe('7');
    expect(a.has('json')).toBe(true);
    expect(a.values('set')).toEqual(['a=1', 'b=2']);
    expect(a.options.map((o) => o.name)).toEqual(['set', 'seed', 'json', 'set']);
  });

  it('treats negative numbers and everything after -- as positionals', () => {
    const a = parseArgs('keys', ['-5', '--', '--json', '-x'], SPECS);
    expect(a.positionals).toEqual(['-5', '--json', '-x']);
    expect(a.has('json')).toBe(false);
  });

  it('maps -h to help', () => {
    expect(parseArgs('run', ['-h'], SPECS).has('help')).toBe(true);
  });

  it.each([
    [
      ['--sed', '1'],
      'unknown option --sed for "run"; did you mean "--seed"?; options: --seed, --set, --json',
    ],
    [['-x'], 'unknown option -x for "run"'],
    [['--seed'], '--seed needs a value: --seed <N>'],
    [['--seed', '--json'], '--seed needs a value'],
    [['--seed', '1', '--seed', '2'], '--seed is given more than once'],
    [['--json=yes'], '--json takes no value (got "yes")'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs('run', argv, SPECS)).toThrow(message);
  });
});
