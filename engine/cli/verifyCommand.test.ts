import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';
import { parseSeedRange, parseVerifyArgs } from './verifyCommand.ts';

describe('verify command', () => {
  it('checks seeds and ends with "N passed, M failed"', async () => {
    const io = memoryIo();
    const code = await runCli(['verify', 'click-count', '--seeds', '1-3'], io);
    expect(code).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines[lines.length - 1]).toBe('3 passed, 0 failed');
    expect(lines[lines.length - 2]).toMatch(/^3 seed\(s\) in \d+\.\d\d s: [\d.]+ seeds\/s \(/);
    expect(lines.filter((l) => /^seed \d+: ok/.test(l))).toHaveLength(3);
  });

  it('prints the same lines, in seed order, with worker threads as in one thread', async () => {
    const args = ['verify', 'click-count', '--seeds', '11-18', '--input', '8s'];
    const one = memoryIo();
    expect(await runCli([...args, '--workers', '0'], one)).toBe(0);
    const two = memoryIo();
    expect(await runCli([...args, '--workers', '2'], two)).toBe(0);
    const seedLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('seed '));
    expect(seedLines(two.out())).toEqual(seedLines(one.out()));
    expect(seedLines(two.out()).map((l) => Number(/^seed (\d+)/.exec(l)?.[1]))).toEqual([
      11, 12, 13, 14, 15, 16, 17, 18,
    ]);
    expect(one.out()).toMatch(/seeds\/s \(in one thread\)/);
    // The workers start while this thread checks the first seeds; they take the rest.
    expect(two.out()).toMatch(/seeds\/s \((in one thread|[12] worker thread\(s\))\)/);
  }, 300_000);

  it('exits 1 and names the seed and the first differing record when the guarantee breaks', async () => {
    const io = memoryIo();
    const code = await runCli(
      [
        'verify',
        'rolling-sum',
        '--seeds',
        '1-2',
        '--unset',
        'execution.checkpointing.interval',
        '--op',
        'numbers.startingOffsets=latest',
        '--set',
        'restart-strategy.type=fixed-delay',
        '--set',
        'restart-strategy.fixed-delay.attempts=10',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.out()).toMatch(/seed 1: FAILED/);
    expect(io.out()).toMatch(/first difference: missing/);
    expect(io.out().trim().split('\n').pop()).toBe('0 passed, 2 failed');
  });

  it('--json prints one report object', async () => {
    const io = memoryIo();
    expect(await runCli(['verify', 'word-filter', '--seeds', '4', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { passed: number; failed: number; seeds: { seed: number }[] };
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(report.seeds[0]!.seed).toBe(4);
    expect(Object.keys(report)).toEqual([
      'scenario',
      'passed',
      'failed',
      'seeds',
      'seedsPerSecond',
      'workers',
    ]);
    expect((report as unknown as { seedsPerSecond: number }).seedsPerSecond).toBeGreaterThan(0);
    expect(io.err().trim()).toBe('1 passed, 0 failed');
  });

  it('rejects a malformed seed range', () => {
    expect(parseSeedRange('5-7')).toEqual([5, 6, 7]);
    expect(() => parseSeedRange('7-5')).toThrow(/upwards/);
    expect(() => parseSeedRange('abc')).toThrow(/range like 1-200/);
  });

  it('parses --workers, --input-skew and --reference, rejecting bad values', () => {
    const r = parseVerifyArgs([
      'click-count',
      '--workers',
      '3',
      '--input-skew',
      '0.5',
      '--reference',
      'per-seed',
    ]);
    expect(r).toMatchObject({ workers: 3, inputSkew: 0.5, reference: 'per-seed' });
    expect(parseVerifyArgs(['click-count'])).toMatchObject({ inputSkew: 0, reference: 'shared' });
    expect(() => parseVerifyArgs(['click-count', '--workers', 'two'])).toThrow(/--workers expects/);
    expect(() => parseVerifyArgs(['click-count', '--input-skew', '1.5'])).toThrow(/--input-skew expects/);
    expect(() => parseVerifyArgs(['click-count', '--reference', 'mine'])).toThrow(/--reference expects/);
  });
});
