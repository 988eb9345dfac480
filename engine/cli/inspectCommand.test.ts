import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';

const DIR = join(import.meta.dirname, '..', 'checkpoint', 'testdata');
const SAMPLES = [
  'flink-1.14-checkpoints.json',
  'flink-1.15-checkpoints.json',
  'flink-1.15plus-history-archive-checkpoints-empty.json',
];
const files: Record<string, string> = Object.fromEntries(
  [...SAMPLES, 'flink-1.15plus-history-archive-checkpoints-config.json'].map((f) => [
    f,
    readFileSync(join(DIR, f), 'utf8'),
  ]),
);

async function cli(...argv: string[]) {
  const io = memoryIo({
    ...files,
    'bad.json': '{"counts": {"total": 1}, "summary": {}, "latest": {}, "history": []}',
  });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('inspect', () => {
  it.each(SAMPLES)('prints counts, the latest completed checkpoint and the summary of %s', async (name) => {
    const { code, out, err } = await cli('inspect', name);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^counts: \d+ triggered, \d+ completed/m);
    expect(out).toMatch(/^latest completed checkpoint: /m);
    expect(out).toContain('summary:');
    expect(out).toMatch(/end to end \(ms\)/);
  });

  it('the 1.15 sample: latest completed 3, 9 failed, percentiles', async () => {
    const { out } = await cli('inspect', 'flink-1.15-checkpoints.json');
    expect(out).toContain('Flink 1.15+ shape ("className")');
    expect(out).toContain('counts: 12 triggered, 3 completed, 9 failed, 0 in progress, 0 restored');
    expect(out).toContain('latest completed checkpoint: 3 (CHECKPOINT)');
    expect(out).toContain('2022-05-12T09:49:22.111Z');
  });

  it('--json prints one object', async () => {
    const { code, out } = await cli('inspect', 'flink-1.14-checkpoints.json', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      shape: string;
      counts: { total: number };
      latestCompleted: { id: number };
    };
    expect(report.shape).toBe('1.14');
    expect(report.counts.total).toBe(2);
    expect(report.latestCompleted.id).toBe(1);
  });

  it('exits 2 naming the field for a bad file, the endpoint for a config file, and a missing file', async () => {
    const bad = await cli('inspect', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toBe(
      'error: bad.json: counts.restored: expected an integer, got nothing (the field is missing)\n',
    );
    const config = await cli('inspect', 'flink-1.15plus-history-archive-checkpoints-config.json', '--json');
    expect(config.code).toBe(2);
    expect(config.err).toContain('GET /jobs/:jobid/checkpoints/config');
    const missing = await cli('inspect', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('file not found: nope.json');
    expect((await cli('inspect')).code).toBe(2);
  });
});
