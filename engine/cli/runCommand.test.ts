import { describe, expect, it } from 'vitest';
import { listPresets, presetScenario } from '../engine.ts';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';
import type { RunResult } from '../engine.ts';
import { parseRunArgs, reportRun } from './runCommand.ts';

async function cli(
  argv: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(files);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const RESULT_KEYS = [
  'checkpoints',
  'events',
  'job',
  'scenario',
  'seed',
  'sinks',
  'state',
  'traceHash',
  'virtualTimeUs',
];

interface Result {
  scenario: string;
  seed: number;
  virtualTimeUs: number;
  traceHash: string;
  events: number;
  job: { status: string; restarts: number; failure: string | null };
  sinks: Record<string, { committed: Record<string, unknown>[]; all: Record<string, unknown>[] }>;
  state: Record<string, { bytes: number; keys: number; subtasks: unknown[] }>;
}

describe('run arguments', () => {
  it('parses seed, until (default 60s) and the edits in order', () => {
    const r = parseRunArgs([
      'click-count',
      '--set',
      'a=1',
      '--until',
      '2 min',
      '--unset',
      'b',
      '--seed',
      '9',
    ]);
    expect(r).toMatchObject({ scenario: 'click-count', seed: 9, untilUs: 120_000_000, json: false });
    expect(r.edits.map((e) => e.kind)).toEqual(['set', 'unset']);
    expect(parseRunArgs(['x']).untilUs).toBe(60_000_000);
    expect(parseRunArgs(['x', '--until', '500']).untilUs).toBe(500_000); // a bare number is ms, as in Flink
  });

  it.each([
    [[], 'run needs a scenario'],
    [['a', 'b'], 'run takes one scenario, got 2'],
    [['x', '--until', '10 parsecs'], '--until: expected a duration like "1s"'],
    [['x', '--until'], '--until needs a value'],
    [['x', '--seed', 'abc'], '--seed expects an integer, got "abc"'],
    [['x', '--set', 'novalue'], '--set expects <flink-config-key>=<value>'],
    [['x', '--op', 'counter=3'], '--op expects <operatorId>.<field>=<value>'],
    [['x', '--fault', '20s'], '--fault expects <at>:<kind>:<target>'],
    [['x', '--frobnicate'], 'unknown option --frobnicate for "run"'],
  ])('rejects %j with exit 2', async (argv, message) => {
    const { code, out, err } = await cli(['run', ...argv]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
  });
});

describe('run loading and validation', () => {
  it('lists the preset ids for an unknown preset', async () => {
    const { code, err } = await cli(['run', 'click-cout']);
    expect(code).toBe(2);
    expect(err).toContain('unknown preset "click-cout"; presets: ');
    for (const p of listPresets()) expect(err).toContain(p.id);
  });

  it('reports a missing file and a JSON syntax error with its position', async () => {
    expect((await cli(['run', 'missing/scenario.json'])).err).toContain(
      'file not found: missing/scenario.json',
    );
    const bad = await cli(['run', 'bad.json'], { 'bad.json': '{\n  "version": 1,\n  "name": "x",\n}' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("bad.json:4:1: invalid JSON: trailing comma before '}'");
  });

  it('prints each validation error as path: message and exits 2', async () => {
    const { code, out, err } = await cli([
      'run',
      'click-count',
      '--op',
      'counter.parallelism=0',
      '--fault',
      '20s:explode:tm-0',
      '--json',
    ]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('preset click-count: invalid scenario');
    expect(err).toMatch(/^ {2}job\.operators\[1\]\.parallelism: /m);
    expect(err).toMatch(/^ {2}faults\[0\]\.kind: .*"explode"/m);
  });

  it('lists the operator ids for an unknown --op target', async () => {
    const { code, err } = await cli(['run', 'click-count', '--op', 'countr.parallelism=3']);
    expect(code).toBe(2);
    expect(err).toContain('--op: no operator "countr"; operators: clicks, counter, output');
  });
});

describe('run click-count', () => {
  it('prints engine.result() as one JSON object, with the same trace hash every time', async () => {
    const first = await cli(['run', 'click-count', '--until', '20s', '--json']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(first.out) as Result;
    expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
    expect(result.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(result.virtualTimeUs).toBe(20_000_000);
    expect(result.scenario).toBe('Click event count');
    expect(result.job).toEqual({ status: 'RUNNING', restarts: 0, failure: null });
    expect(result.events).toBeGreaterThan(0);
    // The playground invariant (reference 7.3): every committed (page, window) count is 1000.
    const committed = result.sinks['output']?.committed ?? [];
    expect(committed.length).toBeGreaterThan(0);
    for (const row of committed) expect(row['count']).toBe(1000);
    expect(result.state['counter']?.keys).toBe(6);

    const second = await cli(['run', 'click-count', '--until', '20s', '--json']);
    expect(second.out).toBe(first.out);
  });

  it('applies --seed and edits before validation', async () => {
    const base = JSON.parse((await cli(['run', 'click-count', '--until', '5s', '--json'])).out) as Result;
    const seeded = JSON.parse(
      (await cli(['run', 'click-count', '--until', '5s', '--json', '--seed', '7'])).out,
    ) as Result;
    expect(seeded.seed).toBe(7);
    expect(seeded.traceHash).not.toBe(base.traceHash);
    const rescaled = JSON.parse(
      (await cli(['run', 'click-count', '--until', '5s', '--json', '--op', 'counter.parallelism=3'])).out,
    ) as Result;
    expect(rescaled.state['counter']?.subtasks).toHaveLength(3);
  });

  it('runs a scenario file and stops when a bounded job finishes', async () => {
    const raw = presetScenario('word-filter') as {
      topics: Record<string, { generator: Record<string, unknown> }>;
    };
    const lines = raw.topics['lines'];
    if (lines === undefined) throw new Error('word-filter has no "lines" topic');
    lines.generator['count'] = 20;
    const { code, out } = await cli(['run', 'bounded.json', '--until', '60s', '--json'], {
      'bounded.json': JSON.stringify(raw),
    });
    expect(code).toBe(0);
    const result = JSON.parse(out) as Result;
    expect(result.job.status).toBe('FINISHED');
    expect(result.virtualTimeUs).toBeLessThan(60_000_000);
    const words = result.sinks['words']?.all ?? [];
    expect(words.length).toBeGreaterThan(0);
  });

  it('prints a human summary without --json', async () => {
    const { code, out } = await cli(['run', 'click-count', '--until', '20s']);
    expect(code).toBe(0);
    expect(out).toContain('Click event count (preset click-count)');
    expect(out).toMatch(/^Trace hash {3}[0-9a-f]{16}$/m);
    expect(out).toMatch(/^Virtual time 20 s$/m);
    expect(out).toContain('Job          RUNNING, 0 restarts');
    expect(out).toMatch(/^ {2}output: \d+ committed, \d+ written$/m);
    expect(out).toContain('"count":1000');
    expect(out).toMatch(/^ {2}counter +\d+ +6 +#0 /m);
  });
});

describe('run exit code', () => {
  const failed: RunResult = {
    scenario: 'x',
    seed: 1,
    virtualTimeUs: 12_500_000,
    traceHash: '0123456789abcdef',
    events: 10,
    job: { status: 'FAILED', restarts: 2, failure: 'Recovery is suppressed by NoRestartBackoffTimeStrategy' },
    sinks: {},
    checkpoints: null,
    state: {},
  };

  it('is 1 when the job ended FAILED, with the reason on stderr and the result still on stdout', () => {
    const io = memoryIo();
    expect(reportRun(failed, { json: true }, 'x.json', io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual(failed);
    expect(io.err()).toBe(
      'error: the job FAILED at 12.5 s of virtual time: Recovery is suppressed by NoRestartBackoffTimeStrategy\n',
    );
    const human = memoryIo();
    expect(reportRun(failed, { json: false }, 'x.json', human)).toBe(1);
    expect(human.out()).toContain('Virtual time 12.5 s (job FAILED)');
    expect(human.out()).toContain('FAILED, 2 restarts, failure: Recovery is suppressed');
  });

  it('is 0 for a running or finished job', () => {
    for (const status of ['RUNNING', 'FINISHED'] as const) {
      const io = memoryIo();
      expect(
        reportRun({ ...failed, job: { status, restarts: 0, failure: null } }, { json: true }, 'x', io),
      ).toBe(0);
      expect(io.err()).toBe('');
    }
  });
});

describe('presets', () => {
  it('prints one line per preset: <id>  <name> — <description>', async () => {
    const { code, out } = await cli(['presets']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(listPresets().length);
    for (const [i, p] of listPresets().entries()) {
      expect(lines[i]).toMatch(new RegExp(`^${p.id} +${p.name.replace(/[()]/g, '\\$&')} — `));
    }
    expect(lines[0]).toMatch(/^click-count {2,}/);
  });
});
