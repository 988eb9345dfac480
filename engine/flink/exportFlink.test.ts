import { FlinkSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../scenario/config.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import type { Scenario } from '../scenario/types.ts';
import { configEntries } from './configYaml.ts';
import { exportFlink, exportFlinkDocument } from './exportFlink.ts';
import { DEPRECATED_IN_120, FLINK_120_KEYS } from './flinkKeys.ts';

const parser = new FlinkSQL();

/**
 * Syntax errors of a Flink SQL script by dt-sql-parser's FlinkSQL grammar (Flink's dialect). One known gap of that
 * grammar (4.5.1): it lexes CHAR_LENGTH as a keyword with no function rule, so `CHAR_LENGTH(x)` (a Flink built-in
 * string function) fails there; the call is handed to it as a quoted function name, which it accepts.
 */
function sqlErrors(sql: string): string[] {
  return parser
    .validate(sql.replace(/\bCHAR_LENGTH\(/g, '`CHAR_LENGTH`('))
    .map((e) => `line ${e.startLine}:${e.startColumn}: ${e.message}`);
}

function scenarioOf(doc: unknown): Scenario {
  const v = validateScenario(doc);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.scenario;
}

function file(exp: ReturnType<typeof exportFlink>, name: string): string {
  const f = exp.files.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no ${name} in ${exp.files.map((x) => x.name).join(', ')}`);
  return f.text;
}

/** The keys of a flat YAML file (comments and blank lines skipped). */
function yamlKeys(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.slice(0, l.indexOf(':')));
}

describe('the parser really checks Flink SQL', () => {
  it('refuses broken SQL (so a pass means something)', () => {
    expect(sqlErrors('SELECT FROM WHERE;')).not.toEqual([]);
    expect(sqlErrors("CREATE TABLE t (a INT) WITH ('connector' = 'kafka'")).not.toEqual([]);
    expect(sqlErrors("CREATE TABLE t (a INT) WITH ('connector' = 'kafka');")).toEqual([]);
  });
});

describe.each(PRESETS.map((p) => [p.id, p] as const))('export of preset %s', (id, preset) => {
  const scenario = scenarioOf(preset.scenario);
  const exp = exportFlink(scenario);
  const sql = file(exp, 'job.sql');
  const yaml = file(exp, 'config.yaml');

  it('job.sql parses as Flink SQL', () => {
    expect(sqlErrors(sql), sql).toEqual([]);
  });

  it('creates a Kafka table for every source topic and every sink expressible in SQL', () => {
    for (const op of scenario.operators) {
      if (op.kind === 'source') expect(sql, id).toContain(`'topic' = '${op.topic}'`);
      if (op.kind === 'sink' && !exp.dataStreamOperators.includes(op.id))
        expect(sql, id).toMatch(new RegExp(`'topic' = '${op.topic}'[\\s\\S]*INSERT INTO`));
    }
    expect(sql).toContain("'properties.bootstrap.servers' = '<fill in: kafka-broker:9092>'");
  });

  it('keeps keyBy, windows and aggregates', () => {
    for (const op of scenario.operators) {
      if (op.kind === 'window') {
        expect(sql).toContain(op.window.type === 'tumbling' ? 'TUMBLE(TABLE' : 'HOP(TABLE');
        expect(sql).toContain(`GROUP BY window_start, window_end, \`${op.keyBy}\``);
      }
      if (op.kind === 'reduce') expect(sql).toContain(`GROUP BY \`${op.keyBy}\``);
    }
  });

  it('exports the keyed process function as a DataStream skeleton', () => {
    const hasProcess = scenario.operators.some((o) => o.kind === 'keyedProcess');
    const java = exp.files.find((f) => f.name.endsWith('Job.java'));
    expect(java !== undefined).toBe(hasProcess);
    if (java !== undefined) {
      expect(java.text).toContain('extends KeyedProcessFunction<');
      expect(java.text).toContain('.keyBy(');
      expect(sql).toContain('is not in this script');
    }
  });

  it('config.yaml writes only real Flink 1.20 keys, never a deprecated one', () => {
    const keys = yamlKeys(yaml);
    expect(keys.length).toBeGreaterThan(5);
    for (const k of keys) {
      expect(FLINK_120_KEYS[k], `${id}: ${k}`).toBeDefined();
      expect(DEPRECATED_IN_120[k], `${id}: ${k}`).toBeUndefined();
    }
    expect(keys).toContain('state.backend.type');
    expect(keys).toContain('execution.checkpointing.storage');
    expect(keys).toContain('restart-strategy.type');
    expect(keys).toContain('parallelism.default');
    if (scenario.config.duration('execution.checkpointing.interval') !== null)
      expect(keys).toContain('execution.checkpointing.interval');
  });
});

describe('config.yaml values', () => {
  it('mirrors the scenario (interval, mode, restart strategy, parallelism)', () => {
    const preset = PRESETS.find((p) => p.id === 'click-count')!;
    const entries = configEntries(
      scenarioOf({
        ...preset.scenario,
        config: {
          ...(preset.scenario as { config: object }).config,
          'execution.checkpointing.interval': '5 s',
          'execution.checkpointing.mode': 'AT_LEAST_ONCE',
          'restart-strategy.type': 'fixed-delay',
          'restart-strategy.fixed-delay.attempts': 3,
        },
      }),
    );
    const get = (k: string) => entries.find((e) => e.key === k)?.value;
    expect(get('execution.checkpointing.interval')).toBe('5 s');
    expect(get('execution.checkpointing.mode')).toBe('AT_LEAST_ONCE');
    expect(get('restart-strategy.type')).toBe('fixed-delay');
    expect(get('restart-strategy.fixed-delay.attempts')).toBe('3');
    expect(get('restart-strategy.exponential-delay.initial-backoff')).toBeUndefined();
    expect(get('parallelism.default')).toBe('2');
    expect(get('state.backend.type')).toBe('hashmap');
    expect(get('execution.checkpointing.storage')).toBe('jobmanager');
  });

  it('leaves checkpointing keys out when the scenario disables checkpointing', () => {
    const preset = PRESETS.find((p) => p.id === 'click-count')!;
    const doc = structuredClone(preset.scenario) as { config: Record<string, unknown> };
    delete doc.config['execution.checkpointing.interval'];
    const entries = configEntries(scenarioOf(doc));
    expect(entries.some((e) => e.key === 'execution.checkpointing.interval')).toBe(false);
    expect(entries.find((e) => e.key === 'restart-strategy.type')?.value).toBe('none');
  });

  it("the key list agrees with the simulator's key table (current names, not aliases)", () => {
    const simulator = new Map(CONFIG_KEYS.map((s) => [s.key, s]));
    const aliases = new Set(CONFIG_KEYS.flatMap((s) => s.aliases));
    for (const key of Object.keys(FLINK_120_KEYS)) expect(aliases.has(key), key).toBe(false);
    for (const [old, current] of Object.entries(DEPRECATED_IN_120)) {
      expect(FLINK_120_KEYS[current], current).toBeDefined();
      const spec = simulator.get(current);
      if (spec !== undefined) expect(spec.aliases, current).toContain(old);
    }
  });
});

describe('SQL for every operator kind', () => {
  const doc = {
    version: 1,
    name: 'Every kind',
    topics: {
      lines: { partitions: 2, generator: { kind: 'text', ratePerSecond: 100 } },
      nums: { partitions: 2, generator: { kind: 'keyed', keys: 5, keyType: 'long', ratePerSecond: 100 } },
      more: { partitions: 1, generator: { kind: 'keyed', keys: 5, keyType: 'long', ratePerSecond: 50 } },
    },
    job: {
      operators: [
        { id: 'lines', kind: 'source', topic: 'lines', parallelism: 2, watermarks: { idleness: '5 s' } },
        {
          id: 'split',
          kind: 'flatMap',
          input: 'lines',
          fn: { type: 'split', field: 'line', separator: ' ', into: 'word' },
        },
        { id: 'twice', kind: 'flatMap', input: 'split', fn: { type: 'repeat', times: 2 } },
        { id: 'len', kind: 'map', input: 'twice', fn: { type: 'length', field: 'word', into: 'n' } },
        {
          id: 'short',
          kind: 'filter',
          input: 'len',
          where: { field: 'word', op: 'startsWith', value: "it's" },
        },
        { id: 'out1', kind: 'sink', input: 'short', delivery: 'at-least-once' },
        { id: 'nums', kind: 'source', topic: 'nums', parallelism: 2 },
        {
          id: 'more',
          kind: 'source',
          topic: 'more',
          parallelism: 2,
          watermarks: { outOfOrderness: '1500 ms' },
        },
        { id: 'both', kind: 'union', input: ['nums', 'more'], parallelism: 2 },
        {
          id: 'odd',
          kind: 'filter',
          input: 'both',
          where: { field: 'value', op: 'mod', value: [2, 1] },
          parallelism: 2,
        },
        {
          id: 'pick',
          kind: 'filter',
          input: 'odd',
          where: { field: 'key', op: 'in', value: [1, 2, 3] },
          parallelism: 2,
        },
        {
          id: 'tag',
          kind: 'map',
          input: 'pick',
          fn: { type: 'set', field: 'tag', value: 'x' },
          parallelism: 2,
        },
        {
          id: 'm',
          kind: 'map',
          input: 'tag',
          fn: { type: 'modulo', field: 'value', by: 7, into: 'bucket' },
          parallelism: 2,
        },
        {
          id: 'p',
          kind: 'map',
          input: 'm',
          fn: { type: 'project', fields: ['key', 'value'] },
          parallelism: 2,
        },
        {
          id: 'avg',
          kind: 'window',
          input: 'p',
          keyBy: 'key',
          keyType: 'long',
          window: 'sliding 30s 10s',
          aggregate: 'avg',
          field: 'value',
          parallelism: 2,
        },
        {
          id: 'mx',
          kind: 'window',
          input: 'p',
          keyBy: 'key',
          keyType: 'long',
          window: 'tumbling 1 min offset 5s',
          aggregate: 'max',
          field: 'value',
          parallelism: 2,
        },
        {
          id: 'total',
          kind: 'reduce',
          input: 'p',
          keyBy: 'key',
          keyType: 'long',
          aggregate: 'count',
          parallelism: 2,
        },
        { id: 'out2', kind: 'sink', input: 'avg', delivery: 'exactly-once', parallelism: 2 },
        { id: 'out3', kind: 'sink', input: 'mx', delivery: 'idempotent', parallelism: 2 },
        { id: 'out4', kind: 'sink', input: 'total', delivery: 'exactly-once', parallelism: 2 },
      ],
    },
    config: { 'execution.checkpointing.interval': '10 s', 'restart-strategy.type': 'failure-rate' },
  };

  it('parses, with a statement set, window TVFs, an upsert sink and the SplitWords function', () => {
    const r = exportFlinkDocument(doc);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const sql = file(r.export, 'job.sql');
    expect(sqlErrors(sql), sql).toEqual([]);
    expect(sql).toContain('EXECUTE STATEMENT SET');
    expect(sql).toContain(
      "HOP(TABLE `p`, DESCRIPTOR(`event_time`), INTERVAL '10' SECOND, INTERVAL '30' SECOND)",
    );
    expect(sql).toContain(
      "TUMBLE(TABLE `p`, DESCRIPTOR(`event_time`), INTERVAL '60' SECOND, INTERVAL '5' SECOND)",
    );
    expect(sql).toContain('AVG(CAST(`value` AS DOUBLE)) AS `avg`');
    expect(sql).toContain("WATERMARK FOR `event_time` AS `event_time` - INTERVAL '1.5' SECOND");
    expect(sql).toContain("LIKE 'it''s%'");
    expect(sql).toContain('MOD(`value`, 2) = 1');
    expect(sql).toContain("'connector' = 'upsert-kafka'");
    expect(sql).toContain('PRIMARY KEY (`key`) NOT ENFORCED');
    expect(sql).toContain("'sink.transactional-id-prefix'");
    expect(sql).toContain('UNION ALL');
    expect(sql).toContain("CREATE TEMPORARY SYSTEM FUNCTION SplitWords AS 'checkpointlab.SplitWords'");
    expect(r.export.files.map((f) => f.name)).toContain('checkpointlab/SplitWords.java');
    const yaml = file(r.export, 'config.yaml');
    expect(yaml).toContain('table.exec.source.idle-timeout: 5 s');
    expect(yaml).toContain('restart-strategy.failure-rate.max-failures-per-interval: 1');
    for (const k of yamlKeys(yaml)) expect(FLINK_120_KEYS[k], k).toBeDefined();
  });

  it('a bad scenario gives its validation errors', () => {
    const r = exportFlinkDocument({ version: 1, job: { operators: [] }, bogus: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/bogus/);
  });
});
