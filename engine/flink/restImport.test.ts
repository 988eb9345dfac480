import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCheckpointStats, inspectReport, parseCheckpointStats } from './restImport.ts';
import { createEngine } from '../engine.ts';
import { PRESETS } from '../scenario/presets.ts';

const DIR = join(import.meta.dirname, '..', 'checkpoint', 'testdata');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const json = (name: string) => JSON.parse(read(name)) as Record<string, unknown>;

function ok(text: string) {
  const r = parseCheckpointStats(text, 'sample.json');
  if (!r.ok) throw new Error(r.error);
  return r.file;
}

function error(value: unknown): string {
  const r = importCheckpointStats(value);
  if (r.ok) throw new Error('expected the import to fail');
  return r.error;
}

describe('import of real Flink GET /jobs/:jobid/checkpoints responses', () => {
  it('reads the 1.14 sample (@class, min/max/avg summary, no checkpointed_size)', () => {
    const f = ok(read('flink-1.14-checkpoints.json'));
    expect(f.shape).toBe('1.14');
    expect(f.hasCheckpointedSize).toBe(false);
    expect(f.hasPercentiles).toBe(false);
    expect(f.stats.counts).toEqual({ restored: 0, total: 2, in_progress: 0, completed: 2, failed: 0 });
    expect(f.stats.history.map((c) => c.id)).toEqual([2, 1]);
    expect(f.stats.history[0]?.className).toBe('completed');
    expect(f.stats.latest.savepoint?.checkpoint_type).toBe('SYNC_SAVEPOINT');
    // Filled in from state_size (a full checkpoint's checkpointed size is its state size).
    expect(f.stats.latest.completed?.checkpointed_size).toBe(8646);
    expect(f.stats.summary.checkpointed_size?.max).toBe(25626);
    expect(f.stats.summary.end_to_end_duration).toMatchObject({ min: 95, max: 420, avg: 257, p50: 'NaN' });
  });

  it('reads the 1.15 sample (className, percentiles, failed count without history entries)', () => {
    const f = ok(read('flink-1.15-checkpoints.json'));
    expect(f.shape).toBe('1.15+');
    expect(f.hasCheckpointedSize).toBe(true);
    expect(f.hasPercentiles).toBe(true);
    expect(f.stats.counts.failed).toBe(9);
    expect(f.stats.history).toHaveLength(3);
    expect(f.stats.latest.completed?.id).toBe(3);
    expect(f.stats.summary.end_to_end_duration?.p50).toBe(36);
    const report = inspectReport(f);
    expect(report.history).toEqual({ entries: 3, completed: 3, failed: 0, in_progress: 0, savepoints: 0 });
  });

  it('reads the empty history-server archive (all counts 0, "NaN" percentiles)', () => {
    const f = ok(read('flink-1.15plus-history-archive-checkpoints-empty.json'));
    expect(f.shape).toBe('1.15+');
    expect(f.stats.counts.total).toBe(0);
    expect(f.stats.latest.completed).toBeNull();
    expect(f.stats.summary.state_size?.p99).toBe('NaN');
    expect(f.stats.summary.alignment_buffered?.p50).toBe(0);
  });

  it('names the endpoint when given /checkpoints/config instead', () => {
    const r = parseCheckpointStats(read('flink-1.15plus-history-archive-checkpoints-config.json'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^counts: missing/);
      expect(r.error).toContain('GET /jobs/:jobid/checkpoints/config');
    }
  });

  it("reads the simulator's own statistics for every preset", () => {
    for (const preset of PRESETS) {
      const created = createEngine(preset.scenario);
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      const engine = created.engine;
      engine.runUntil(8_000_000);
      const f = ok(JSON.stringify(engine.checkpointStatsJson()));
      expect(f.shape, preset.id).toBe('1.15+');
      expect(f.stats.counts.total, preset.id).toBe(
        f.stats.counts.completed + f.stats.counts.failed + f.stats.counts.in_progress,
      );
    }
  });
});

describe('bad files name the field', () => {
  const base = json('flink-1.15-checkpoints.json');
  const mutate = (edit: (v: Record<string, unknown>) => void) => {
    const v = structuredClone(base);
    edit(v);
    return v;
  };
  const history = (v: Record<string, unknown>) => v.history as Record<string, unknown>[];

  it('JSON syntax errors give the line and column', () => {
    const r = parseCheckpointStats('{\n  "counts": {,\n}', 'broken.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^broken\.json:2:\d+: not valid JSON/);
  });

  it('an empty file, an array, a string', () => {
    const r = parseCheckpointStats('  ', 'empty.json');
    expect(!r.ok && r.error).toMatch(/^empty\.json: the file is empty/);
    expect(error([])).toMatch(/^\(top level\): expected the JSON of GET \/jobs\/:jobid\/checkpoints/);
    expect(error('x')).toContain('(top level)');
  });

  it('a wrong status, a missing id, a string count', () => {
    expect(error(mutate((v) => (history(v)[1]!.status = 'DONE')))).toMatch(
      /^history\[1\]\.status: expected one of/,
    );
    expect(error(mutate((v) => delete history(v)[0]!.id))).toBe(
      'history[0].id: expected an integer, got nothing (the field is missing)',
    );
    expect(error(mutate((v) => ((v.counts as Record<string, unknown>).completed = '3')))).toMatch(
      /^counts\.completed: expected an integer, got "3"/,
    );
    expect(error(mutate((v) => (v.history = {})))).toMatch(/^history: expected a list/);
  });

  it('a missing or unknown type discriminator, or a status that contradicts it', () => {
    expect(error(mutate((v) => delete history(v)[2]!.className))).toMatch(
      /^history\[2\]: missing the type field "className" \(Flink 1\.15\+\) or "@class"/,
    );
    expect(error(mutate((v) => (history(v)[0]!.className = 'done')))).toMatch(/^history\[0\]\.className:/);
    expect(error(mutate((v) => (history(v)[0]!.className = 'failed')))).toMatch(
      /^history\[0\]\.status: "COMPLETED" does not match className "failed"/,
    );
  });

  it('counts that do not add up', () => {
    expect(error(mutate((v) => ((v.counts as Record<string, unknown>).total = 5)))).toMatch(
      /^counts\.total: 5 is not in_progress \+ completed \+ failed/,
    );
  });

  it('a summary quantile that is neither a number nor "NaN"', () => {
    const e = error(
      mutate((v) => ((v.summary as Record<string, Record<string, unknown>>).state_size!.p90 = 'high')),
    );
    expect(e).toBe('summary.state_size.p90: expected a number or "NaN", got "high"');
  });

  it('extra fields from newer Flink versions are accepted', () => {
    const r = importCheckpointStats(mutate((v) => (history(v)[0]!.some_new_field = 1)));
    expect(r.ok).toBe(true);
  });
});
