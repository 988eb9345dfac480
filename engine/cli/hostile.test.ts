/**
 * The hostile-input suite (engine/scenario/testdata/hostile/): every file is run through the CLI entry in process
 * (`runCli(['run', file])`) with a 10 s budget. Each must end with exit code 2 and a message that names the field
 * (the expectations in expectations.json), without a stack trace and without a raw control character on the
 * terminal. The few configurations Flink accepts (`accept` in expectations.json) must validate and run: 20 virtual
 * seconds within the same budget, the job RUNNING with checkpoints completing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../scenario/validate.ts';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';

const DIR = fileURLToPath(new URL('../scenario/testdata/hostile/', import.meta.url));
const MANIFEST = 'expectations.json';
const BUDGET_MS = 10_000;

interface Expectation {
  /** Substrings stderr must contain (the field's path and what is wrong with it). */
  contains?: string[];
  /** A configuration Flink accepts: it must validate and run (exit 0, RUNNING, checkpoints completing). */
  accept?: boolean;
  note?: string;
}

const expectations = JSON.parse(readFileSync(DIR + MANIFEST, 'utf8')) as Record<string, Expectation>;
const files = readdirSync(DIR)
  .filter((f) => f !== MANIFEST)
  .sort();

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('hostile scenarios', () => {
  it('has at least 100 files, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(files.filter((f) => expectations[f] === undefined)).toEqual([]);
    expect(Object.keys(expectations).filter((f) => !files.includes(f))).toEqual([]);
  });

  const rejected = files.filter((f) => expectations[f]?.accept !== true);
  const accepted = files.filter((f) => expectations[f]?.accept === true);

  it.each(rejected)(
    '%s: exit 2 with a message naming the field',
    async (file) => {
      const text = readFileSync(DIR + file, 'utf8');
      const path = `hostile/${file}`;
      const io = memoryIo({ [path]: text });
      const started = performance.now();
      const code = await runCli(['run', path, '--until', '1s'], io);
      const elapsed = performance.now() - started;
      const err = io.err();
      expect(code, err).toBe(2);
      expect(io.out()).toBe('');
      for (const part of expectations[file]?.contains ?? []) expect(err).toContain(part);
      expect(err).not.toContain('unexpected failure');
      expect(err).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      expect(RAW_CONTROL.test(err)).toBe(false);
      expect(elapsed).toBeLessThan(BUDGET_MS);
    },
    BUDGET_MS + 5_000,
  );

  it.each(accepted)(
    '%s: validation accepts it, and it runs (20 virtual s, checkpoints completing) within the budget',
    async (file) => {
      const text = readFileSync(DIR + file, 'utf8');
      const result = validateScenario(text);
      expect(result.ok ? [] : result.errors).toEqual([]);
      const path = `hostile/${file}`;
      const io = memoryIo({ [path]: text });
      const started = performance.now();
      const code = await runCli(['run', path, '--until', '20s', '--json'], io);
      expect(performance.now() - started).toBeLessThan(BUDGET_MS);
      expect(code, io.err()).toBe(0);
      const run = JSON.parse(io.out()) as {
        virtualTimeUs: number;
        job: { status: string; failure: string | null };
        checkpoints: { counts: { completed: number } };
      };
      expect(run.job).toMatchObject({ status: 'RUNNING', failure: null });
      expect(run.virtualTimeUs).toBe(20_000_000);
      expect(run.checkpoints.counts.completed).toBeGreaterThan(0);
    },
    BUDGET_MS + 5_000,
  );
});
