/** Hostile and absurd scenarios: size limits, prototype names, ranges, huge error lists (README: Limits). */
import { describe, expect, it } from 'vitest';
import { LIMITS, RESERVED_NAMES, formatCount } from './limits.ts';
import { formatErrors, validateScenario, type ScenarioError } from './validate.ts';

type Obj = Record<string, unknown>;

const source = { id: 'clicks', kind: 'source', topic: 'input', parallelism: 2 };
const counter = {
  id: 'counter',
  kind: 'windowCount',
  input: 'clicks',
  keyBy: 'page',
  window: 'tumbling 15s',
  parallelism: 2,
};
const sink = { id: 'output', kind: 'sink', input: 'counter', parallelism: 2 };

function doc(ops: Obj[] = [source, counter, sink], extra: Obj = {}): Obj {
  return {
    version: 1,
    name: 'test',
    cluster: { taskManagers: 2, slotsPerTaskManager: 2 },
    topics: { input: { partitions: 2, generator: { kind: 'clicks' } } },
    job: { operators: ops },
    ...extra,
  };
}

function errors(json: unknown): ScenarioError[] {
  const result = validateScenario(json);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

function errorAt(json: unknown, path: string): string {
  const found = errors(json);
  const match = found.find((e) => e.path === path);
  if (match === undefined) throw new Error(`no error at ${path}; got:\n${formatErrors(found)}`);
  return match.message;
}

function accepts(json: unknown): void {
  const result = validateScenario(json);
  expect(result.ok ? [] : result.errors).toEqual([]);
}

describe('size limits', () => {
  it('refuses a parallelism above the simulator limit, naming the value and the limit', () => {
    expect(
      errorAt(doc([source, { ...counter, parallelism: 10_000 }, sink]), 'job.operators[1].parallelism'),
    ).toBe(
      'parallelism 10,000 is too large: the simulator runs at most 128 subtasks per operator (Flink allows up to ' +
        '32768; the simulator runs and draws every subtask in the browser)',
    );
    accepts(doc([source, { ...counter, parallelism: 128 }, { ...sink, parallelism: 128 }]));
  });

  it('blames parallelism.default for operators without their own', () => {
    const ops = [
      { ...source, parallelism: undefined },
      { ...counter, parallelism: undefined },
    ];
    expect(
      errorAt(
        doc([...ops, { ...sink, parallelism: undefined }], { config: { 'parallelism.default': 1000 } }),
        'config["parallelism.default"]',
      ),
    ).toMatch(
      /^1,000 is too large for operators without their own parallelism \(job\.operators\[0\] "clicks"\)/,
    );
  });

  it('limits the subtasks and channels of the whole job', () => {
    const wide = (id: string, input: string): Obj => ({
      id,
      kind: 'map',
      input,
      fn: { type: 'identity' },
      parallelism: 128,
      partitioner: 'rebalance',
    });
    // 128 x 128 all-to-all edges: 16,384 channels each; a second one exceeds the limit.
    const ops = [{ ...source, parallelism: 128 }, wide('a', 'clicks'), wide('b', 'a')];
    expect(errorAt(doc(ops), 'job.operators')).toMatch(
      /^the job has 32,768 channels on its keyBy, rebalance and broadcast edges .*at most 16,384/,
    );
    accepts(doc(ops.slice(0, 2)));
    const many = Array.from({ length: 9 }, (_, i) => ({
      id: `m${i}`,
      kind: 'map',
      input: i === 0 ? 'clicks' : `m${i - 1}`,
      fn: { type: 'identity' },
      parallelism: 128,
    }));
    expect(errorAt(doc([{ ...source, parallelism: 128 }, ...many]), 'job.operators')).toMatch(
      /^the job has 1,280 subtasks .*at most 1,024/,
    );
  });

  it('limits records per second over the job, counting flatMap and broadcast', () => {
    const fast = { input: { partitions: 2, generator: { kind: 'clicks', ratePerSecond: 1_000_000 } } };
    const repeat = {
      id: 'rep',
      kind: 'flatMap',
      input: 'clicks',
      fn: { type: 'repeat', times: 10 },
      parallelism: 2,
    };
    const out = { id: 'out', kind: 'sink', input: 'rep', parallelism: 2 };
    expect(errorAt(doc([source, repeat, out], { topics: fast }), 'job.operators')).toMatch(
      /^the job would process about 12,000,000 records per virtual second .*"out" alone receives 10,000,000.*at most 4,000,000/,
    );
    accepts(doc([source, { ...repeat, fn: { type: 'repeat', times: 2 } }, out], { topics: fast }));
  });

  it('limits generator keys and rates with messages naming the limit', () => {
    const gen = (g: Obj): Obj => doc(undefined, { topics: { input: { partitions: 2, generator: g } } });
    expect(errorAt(gen({ kind: 'keyed', keys: 50_000_000 }), 'topics.input.generator.keys')).toBe(
      "must be at most 1,000,000 (the simulator's limit on distinct keys of a generator), got 50000000",
    );
    expect(errorAt(gen({ kind: 'clicks', users: 2_000_000 }), 'topics.input.generator.users')).toMatch(
      /^must be at most 1,000,000/,
    );
    for (const rate of [1e-300, 0, -1, 2e6])
      expect(
        errorAt(gen({ kind: 'clicks', ratePerSecond: rate }), 'topics.input.generator.ratePerSecond'),
      ).toMatch(/^must be between 0\.01 and 1,000,000 records per second .*, got /);
    accepts(gen({ kind: 'keyed', ratePerSecond: 0.5 }));
  });

  it('limits windows per record (sliding size / slide)', () => {
    expect(
      errorAt(doc([source, { ...counter, window: 'sliding 1h 1ms' }, sink]), 'job.operators[1].window'),
    ).toBe(
      'a sliding window of size 1 h and slide 1 ms puts every record into 3,600,000 windows; the simulator allows ' +
        'at most 100 windows per record (size / slide <= 100): use a larger slide or a smaller size',
    );
    accepts(doc([source, { ...counter, window: 'sliding 100s 1s' }, sink]));
  });

  it('limits durations, record costs and latencies', () => {
    expect(
      errorAt(
        doc(undefined, { faults: [{ at: '100000 d', kind: 'fail-task', target: 'counter#0' }] }),
        'faults[0].at',
      ),
    ).toBe('must be at most 30 d (the longest duration the simulator accepts), got "100000 d"');
    expect(
      errorAt(doc([source, { ...counter, costPerRecord: '1 h' }, sink]), 'job.operators[1].costPerRecord'),
    ).toMatch(/^must be at most 1 s \(the simulator's limit on the cost of one record\)/);
    expect(errorAt(doc(undefined, { sim: { networkLatency: '2 h' } }), 'sim.networkLatency')).toMatch(
      /^must be at most 1 min/,
    );
    expect(
      errorAt(
        doc(undefined, { config: { 'execution.checkpointing.interval': '9007199254 s' } }),
        'config["execution.checkpointing.interval"]',
      ),
    ).toMatch(/^must be at most 30 d/);
    expect(errorAt(doc(undefined, { sim: { stateBandwidth: '1 b' } }), 'sim.stateBandwidth')).toMatch(
      /^must be at least 1 kb per second/,
    );
  });

  it('accepts what Flink accepts: auto-watermark-interval 0 and min-pause above the interval', () => {
    accepts(doc(undefined, { config: { 'pipeline.auto-watermark-interval': 0 } }));
    accepts(
      doc(undefined, {
        config: { 'execution.checkpointing.interval': '1 s', 'execution.checkpointing.min-pause': '10 s' },
      }),
    );
  });

  it('refuses oversized lists and deep nesting before reading them, quickly', () => {
    const deep: Obj = {};
    let at = deep;
    for (let i = 0; i < 100_000; i++) {
      const next: Obj = {};
      at['x'] = next;
      at = next;
    }
    const started = performance.now();
    expect(errors(doc(undefined, { description: deep }))[0]?.message).toMatch(
      /^nested deeper than 32 levels/,
    );
    const pages = Array.from({ length: 20_000 }, (_, i) => `/p${i}`);
    expect(
      errorAt(
        doc(undefined, { topics: { input: { generator: { kind: 'clicks', pages } } } }),
        'topics.input.generator.pages',
      ),
    ).toBe('has 20,000 elements; the simulator accepts at most 10,000');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('huge error lists', () => {
  it('100,000 operators: one error naming the count and the limit, in well under 2 s', () => {
    const ops = Array.from({ length: 100_000 }, (_, i) => ({ id: `m${i}`, kind: 'map', bogus: 1 }));
    const started = performance.now();
    const found = errors(doc(ops));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toEqual([
      { path: 'job.operators', message: 'has 100,000 operators; the simulator accepts at most 256' },
    ]);
  });

  it('100,000 unknown config keys: one error, quickly', () => {
    const config = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`bogus.key.${i}`, '1']));
    const started = performance.now();
    expect(errors(doc(undefined, { config }))).toEqual([
      { path: 'config', message: 'has 100,000 entries; the simulator accepts at most 1,000' },
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('1,000 unknown config keys: the first 10 with suggestions, then "... and 990 more problems"', () => {
    const config = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`execution.checkpointing.bogus-${i}`, '1']),
    );
    const started = performance.now();
    const found = errors(doc(undefined, { config }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toHaveLength(LIMITS.reportedErrors + 1);
    expect(found[0]?.message).toContain('did you mean');
    expect(found[LIMITS.reportedErrors]).toEqual({ path: '', message: '... and 990 more problems' });
  });

  it('200 operators with 100 unknown keys each: capped, quickly', () => {
    const extra = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`bogus${i}`, i]));
    const ops = Array.from({ length: 200 }, (_, i) => ({ ...source, id: `s${i}`, ...extra }));
    const started = performance.now();
    const found = errors(doc(ops));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found.at(-1)).toEqual({ path: '', message: `... and ${formatCount(20_000 - 10)} more problems` });
  });
});

describe('prototype names', () => {
  const reserved = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(reserved)('"%s" is refused as a field name wherever records are read', (name) => {
    const message = `"${name}" cannot be used as a field name`;
    expect(errorAt(doc([source, { ...counter, keyBy: name }, sink]), 'job.operators[1].keyBy')).toContain(
      message,
    );
    expect(
      errorAt(doc([{ ...source, timestampField: name }, counter, sink]), 'job.operators[0].timestampField'),
    ).toContain(message);
    const map = (fn: Obj): Obj =>
      doc([source, { id: 'm', kind: 'map', input: 'clicks', fn, parallelism: 2 }]);
    expect(errorAt(map({ type: 'upper', field: name }), 'job.operators[1].fn.field')).toContain(message);
    expect(errorAt(map({ type: 'length', field: 'page', into: name }), 'job.operators[1].fn.into')).toContain(
      message,
    );
    expect(
      errorAt(map({ type: 'project', fields: ['page', name] }), 'job.operators[1].fn.fields[1]'),
    ).toContain(message);
    const filter = doc([
      source,
      {
        id: 'f',
        kind: 'filter',
        input: 'clicks',
        where: { field: name, op: 'eq', value: 1 },
        parallelism: 2,
      },
    ]);
    expect(errorAt(filter, 'job.operators[1].where.field')).toContain(message);
    const split = doc([
      source,
      {
        id: 's',
        kind: 'flatMap',
        input: 'clicks',
        fn: { type: 'split', field: 'page', into: name },
        parallelism: 2,
      },
    ]);
    expect(errorAt(split, 'job.operators[1].fn.into')).toContain(message);
  });

  it.each(reserved)('"%s" is refused as an operator id and as a topic name', (name) => {
    if (name !== '__proto__') {
      // "__proto__" already fails the id pattern (it starts with "_").
      expect(
        errorAt(doc([source, { ...counter, id: name }, { ...sink, input: name }]), 'job.operators[1].id'),
      ).toContain(`"${name}" cannot be used as an operator id`);
    }
    const topics = JSON.parse(`{"${name}": {"generator": {"kind": "clicks"}}}`) as Obj;
    expect(errorAt(doc([{ ...source, topic: name }, counter, sink], { topics }), `topics.${name}`)).toContain(
      `"${name}" cannot be used as a topic name`,
    );
    expect(errorAt(doc([source, counter, { ...sink, topic: name }]), 'job.operators[2].topic')).toContain(
      `"${name}" cannot be used as a topic name`,
    );
  });

  it('config keys named like prototype properties are unknown keys, also "__proto__" from JSON', () => {
    const config = JSON.parse('{"__proto__": {"parallelism.default": 3}, "constructor": 1}') as Obj;
    const found = errors(doc(undefined, { config }));
    expect(found.map((e) => e.path)).toEqual(['config.__proto__', 'config.constructor']);
    expect(found[0]?.message).toMatch(/^unknown configuration key "__proto__"/);
  });

  it('data values may use the names (pages, words, key prefixes)', () => {
    accepts(
      doc(undefined, { topics: { input: { generator: { kind: 'clicks', pages: [...RESERVED_NAMES] } } } }),
    );
  });
});

describe('messages', () => {
  it('a version given as a string says it must be the number', () => {
    expect(errorAt(doc(undefined, { version: '1' }), 'version')).toBe(
      'must be the number 1, not the string "1"; write "version": 1',
    );
    expect(errorAt(doc(undefined, { version: 2 }), 'version')).toBe(
      'unsupported scenario version 2; this build reads version 1',
    );
  });

  it('an array where an object belongs says "got an array"', () => {
    expect(errorAt(doc([source, [[1, 2]] as unknown as Obj]), 'job.operators[1]')).toBe(
      'expected an object, got an array: [[1,2]]',
    );
    expect(errorAt(doc(undefined, { cluster: [] }), 'cluster')).toBe('expected an object, got an array: []');
  });
});
