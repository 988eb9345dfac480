import { describe, expect, it } from 'vitest';
import { exportFlinkCommand, type FileWriter } from './exportFlinkCommand.ts';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';

function memoryWriter(): FileWriter & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return { files, write: (path, text) => Promise.resolve(void files.set(path, text)) };
}

describe('export-flink', () => {
  it('writes job.sql and config.yaml for a preset and lists them', async () => {
    const io = memoryIo();
    const w = memoryWriter();
    expect(await exportFlinkCommand(['click-count', '--out', 'out'], io, w)).toBe(0);
    expect([...w.files.keys()]).toEqual(['out/job.sql', 'out/config.yaml']);
    expect(w.files.get('out/job.sql')).toContain('TUMBLE(TABLE `input`');
    expect(w.files.get('out/config.yaml')).toContain('execution.checkpointing.interval: 1 s');
    expect(io.out()).toContain('out/job.sql');
  });

  it('adds the DataStream skeleton for a keyed process function; --json lists the files', async () => {
    const io = memoryIo();
    const w = memoryWriter();
    expect(await exportFlinkCommand(['user-sessions', '--out', 'o', '--json'], io, w)).toBe(0);
    const report = JSON.parse(io.out()) as { files: { name: string }[]; dataStreamOperators: string[] };
    expect(report.files.map((f) => f.name)).toEqual(['job.sql', 'config.yaml', 'UserActivityJob.java']);
    expect(report.dataStreamOperators).toEqual(['activity', 'sessions']);
  });

  it('refuses a missing --out, an unknown preset and a bad scenario file with exit 2', async () => {
    const run = async (...argv: string[]) => {
      const io = memoryIo({ 'bad.json': '{"version": 1, "job": {"operators": []}, "bogus": true}' });
      return { code: await runCli(argv, io), err: io.err() };
    };
    const noOut = await run('export-flink', 'click-count');
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out <dir>');
    expect((await run('export-flink', 'nope', '--out', 'x')).err).toContain('unknown preset "nope"');
    const bad = await run('export-flink', 'bad.json', '--out', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('bogus');
  });
});
