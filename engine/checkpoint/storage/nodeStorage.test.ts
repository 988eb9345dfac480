import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { memoryIo } from '../../cli/memoryIo.ts';

async function runJson(...argv: string[]): Promise<Record<string, unknown>> {
  const io = memoryIo({});
  const code = await runCli(['run', 'click-count', '--until', '4s', '--json', ...argv], io);
  expect([code, io.err()]).toEqual([0, '']);
  return JSON.parse(io.out()) as Record<string, unknown>;
}

describe('the CLI with durable checkpoint storage (Node: an IndexedDB in memory)', () => {
  it('run --set execution.checkpointing.dir=indexeddb://x stores checkpoints; the JSON keeps its shape', async () => {
    const plain = await runJson();
    const durable = await runJson(
      '--set',
      'execution.checkpointing.dir=indexeddb://cli-test',
      '--set',
      'execution.checkpointing.data-inline-threshold=0b',
    );
    expect(Object.keys(durable).sort()).toEqual(Object.keys(plain).sort());
    const cps = durable['checkpoints'] as {
      counts: { completed: number; failed: number };
      latest: { completed: { id: number; external_path: string } };
    };
    expect(cps.counts.failed).toBe(0);
    expect(cps.counts.completed).toBeGreaterThan(0);
    // Flink's application-mode JobID (all zeros): the same paths every run.
    expect(cps.latest.completed.external_path).toBe(
      `indexeddb://cli-test/${'0'.repeat(32)}/chk-${cps.latest.completed.id}`,
    );
    // Inlined small state (the default threshold, 20 kb): the same virtual times as the JobManager storage.
    const inline = await runJson('--set', 'execution.checkpointing.dir=indexeddb://cli-test-2');
    expect(inline['traceHash']).toBe(plain['traceHash']);
  });
});
