import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';
import { parseSeedRange } from './verifyCommand.ts';

describe('verify command', () => {
  it('checks seeds and ends with "N passed, M failed"', async () => {
    const io = memoryIo();
    const code = await runCli(['verify', 'click-count', '--seeds', '1-3'], io);
    expect(code).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines[lines.length - 1]).toBe('3 passed, 0 failed');
    expect(lines.filter((l) => /^seed \d+: ok/.test(l))).toHaveLength(3);
  });

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
    expect(io.err().trim()).toBe('1 passed, 0 failed');
  });

  it('rejects a malformed seed range', () => {
    expect(parseSeedRange('5-7')).toEqual([5, 6, 7]);
    expect(() => parseSeedRange('7-5')).toThrow(/upwards/);
    expect(() => parseSeedRange('abc')).toThrow(/range like 1-200/);
  });
});
