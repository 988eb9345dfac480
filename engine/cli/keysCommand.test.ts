import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';
import { parseKey, placeKeys } from './keysCommand.ts';

const PAGES = ['/help', '/index', '/shop', '/jobs', '/about', '/news'];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('keys', () => {
  it('places the six playground pages at p=2 as in reference 7.5', async () => {
    const { code, out, err } = await cli('keys', '--parallelism', '2', ...PAGES);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('maxParallelism 128');
    const rows = out
      .split('\n')
      .filter((l) => l.startsWith('/'))
      .map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['/help', 'string', '46604272', '111', '1'],
      ['/index', 'string', '1445916163', '16', '0'],
      ['/shop', 'string', '46934949', '73', '1'],
      ['/jobs', 'string', '46673157', '15', '0'],
      ['/about', 'string', '1438181566', '61', '0'],
      ['/news', 'string', '46783362', '38', '0'],
    ]);
    expect(out).toContain('0: [0, 63]  1: [64, 127]');
  });

  it('prints exactly one JSON object with --json', async () => {
    const { code, out } = await cli('keys', '--json', '--parallelism', '2', ...PAGES);
    expect(code).toBe(0);
    const report = JSON.parse(out) as unknown;
    expect(report).toEqual({
      maxParallelism: 128,
      parallelism: 2,
      keys: [
        { key: '/help', type: 'string', hashCode: 46604272, keyGroup: 111, subtask: 1 },
        { key: '/index', type: 'string', hashCode: 1445916163, keyGroup: 16, subtask: 0 },
        { key: '/shop', type: 'string', hashCode: 46934949, keyGroup: 73, subtask: 1 },
        { key: '/jobs', type: 'string', hashCode: 46673157, keyGroup: 15, subtask: 0 },
        { key: '/about', type: 'string', hashCode: 1438181566, keyGroup: 61, subtask: 0 },
        { key: '/news', type: 'string', hashCode: 46783362, keyGroup: 38, subtask: 0 },
      ],
    });
  });

  it('follows the rescale to p=3 (reference 7.5) and the default max parallelism formula', () => {
    expect(placeKeys(PAGES, 'string', 3).keys.map((k) => k.subtask)).toEqual([2, 0, 1, 0, 1, 0]);
    expect(placeKeys(['x'], 'string', 86).maxParallelism).toBe(256);
    expect(placeKeys(['x'], 'string', 2, 4096).maxParallelism).toBe(4096);
  });

  it('handles int and long keys, including negative ones (reference 4.5 vectors)', async () => {
    const { code, out } = await cli('keys', '--parallelism', '7', '--type', 'int', '--json', '-1', '0', '2');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { keys: { key: number; keyGroup: number; subtask: number }[] };
    expect(report.keys[1]).toEqual({ key: 0, type: 'int', hashCode: 0, keyGroup: 94, subtask: 5 });
    expect(report.keys[2]).toEqual({ key: 2, type: 'int', hashCode: 2, keyGroup: 127, subtask: 6 });
    expect(report.keys[0]?.key).toBe(-1);
    // Long.hashCode(2^32) = 1 ^ 0 = 1, so it lands where int 1 does.
    expect(placeKeys(['4294967296'], 'long', 2).keys[0]).toMatchObject({ hashCode: 1, keyGroup: 86 });
    // `--` ends the options too.
    expect((await cli('keys', '--parallelism', '1', '--type', 'int', '--', '-5')).code).toBe(0);
  });

  it('rejects keys that do not fit their type', () => {
    expect(() => parseKey('2147483648', 'int')).toThrow(/not a 32-bit integer/);
    expect(() => parseKey('1.5', 'int')).toThrow(/not a 32-bit integer/);
    expect(() => parseKey('9007199254740992', 'long')).toThrow(/not a safe integer/);
    expect(() => parseKey('abc', 'long')).toThrow(/not a safe integer/);
    expect(parseKey('-2147483648', 'int')).toBe(-2147483648);
    expect(parseKey('-9007199254740991', 'long')).toBe(-9007199254740991);
  });

  it.each([
    [['--parallelism', '0', 'k'], '--parallelism: Operator parallelism not within bounds: 0'],
    [['--parallelism', '32769', 'k'], '--parallelism: Operator parallelism not within bounds: 32769'],
    [
      ['--parallelism', '4', '--max-parallelism', '2', 'k'],
      'Maximum parallelism must not be smaller than parallelism.',
    ],
    [
      ['--parallelism', '4', '--max-parallelism', '40000', 'k'],
      'Operator parallelism not within bounds: 40000',
    ],
    [['--parallelism', 'two', 'k'], '--parallelism expects an integer, got "two"'],
    [['k'], 'keys needs --parallelism'],
    [['--parallelism', '2'], 'keys needs at least one key'],
    [['--parallelism', '2', '--type', 'uuid', 'k'], '--type must be string, int or long, got "uuid"'],
    [['--parallelism', '2', '--type', 'int', 'x'], 'key "x" is not a 32-bit integer'],
    [['--parallelism'], '--parallelism needs a value'],
    [['--paralelism', '2', 'k'], 'unknown option --paralelism for "keys"; did you mean "--parallelism"?'],
  ])('argument error %j', async (argv, message) => {
    const { code, out, err } = await cli('keys', ...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('help keys');
  });
});
