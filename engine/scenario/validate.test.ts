import { describe, expect, it } from 'vitest';
import { formatErrors, validateScenario, type ScenarioError } from './validate.ts';
import type { Scenario } from './types.ts';

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

/** A small valid scenario; `ops` replaces the operators, `extra` adds or replaces top-level fields. */
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

function ok(json: unknown): Scenario {
  const result = validateScenario(json);
  if (!result.ok) throw new Error(`expected a valid scenario:\n${formatErrors(result.errors)}`);
  return result.scenario;
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

describe('normalization', () => {
  it('fills every default', () => {
    const s = ok({
      version: 1,
      name: 'minimal',
      topics: { input: { generator: { kind: 'keyed' } } },
      job: {
        operators: [
          { id: 'src', kind: 'source', topic: 'input' },
          { id: 'out', kind: 'sink', input: 'src' },
        ],
      },
    });
    expect(s.seed).toBe(1);
    expect(s.description).toBe('');
    expect(s.jobName).toBe('minimal');
    expect(s.cluster).toEqual({ taskManagers: 1, slotsPerTaskManager: 1 });
    expect(s.sim).toEqual({
      networkLatencyUs: 1000,
      networkJitterUs: 0,
      recordCostUs: 2,
      stateBytesPerUs: 100,
      snapshotEvery: 5_000_000,
    });
    expect(s.faults).toEqual([]);
    expect(s.topics).toEqual([
      {
        name: 'input',
        partitions: 1,
        generator: {
          kind: 'keyed',
          keys: 100,
          keyType: 'string',
          keyPrefix: 'key-',
          distribution: 'round-robin',
          ratePerSecond: 1000,
          eventTimeStepUs: 1000,
          maxOutOfOrdernessUs: 0,
          valueMin: 1,
          valueMax: 100,
          count: null,
        },
      },
      { name: 'out', partitions: 1, generator: null },
    ]);
    expect(s.operators).toEqual([
      {
        id: 'src',
        name: 'src',
        kind: 'source',
        parallelism: 1,
        maxParallelism: null,
        inputs: [],
        partitioner: 'forward',
        keyBy: null,
        keyType: 'string',
        costPerRecordUs: 2,
        chaining: 'default',
        topic: 'input',
        timestampField: 'ts',
        outOfOrdernessUs: 0,
        idlenessUs: null,
        maxBatch: 256,
        startingOffsets: 'earliest',
      },
      {
        id: 'out',
        name: 'out',
        kind: 'sink',
        parallelism: 1,
        maxParallelism: null,
        inputs: ['src'],
        partitioner: 'forward',
        keyBy: null,
        keyType: 'string',
        costPerRecordUs: 2,
        chaining: 'default',
        delivery: 'at-least-once',
        topic: 'out',
      },
    ]);
    expect(s.config.duration('execution.checkpointing.interval')).toBeNull();
  });

  it('fills generator defaults of clicks and text (reference 7.3)', () => {
    const s = ok({
      ...doc([source, { id: 'out', kind: 'sink', input: 'clicks', parallelism: 2 }]),
      topics: { input: { generator: { kind: 'clicks' } }, words: { generator: { kind: 'text' } } },
    });
    expect(s.topics[0]?.generator).toEqual({
      kind: 'clicks',
      pages: ['/help', '/index', '/shop', '/jobs', '/about', '/news'],
      eventsPerWindow: 1000,
      windowSizeMs: 15_000,
      ratePerSecond: 1000,
      users: 0,
      count: null,
    });
    expect(s.topics[1]?.generator).toMatchObject({
      kind: 'text',
      wordsPerLine: 5,
      ratePerSecond: 200,
      count: null,
    });
  });

  it('parses durations, windows, sizes and the sim block', () => {
    const s = ok(
      doc(
        [
          { ...source, watermarks: { outOfOrderness: '200 ms', idleness: '5 s' }, costPerRecord: '3 us' },
          {
            id: 'sums',
            kind: 'window',
            input: 'clicks',
            keyBy: 'page',
            window: 'sliding 30 s every 10 s',
            aggregate: 'sum',
            field: 'value',
            allowedLateness: '1 s',
            parallelism: 2,
          },
          {
            id: 'out',
            kind: 'sink',
            input: 'sums',
            delivery: 'exactly-once',
            topic: 'results',
            parallelism: 2,
          },
        ],
        {
          sim: {
            networkLatency: '2ms',
            networkJitter: '100 us',
            recordCost: 5,
            stateBandwidth: '100 mb/s',
            snapshotEvery: '10 s',
          },
          seed: 42,
          description: 'd',
        },
      ),
    );
    expect(s.seed).toBe(42);
    const [src, win, out] = s.operators;
    expect(src).toMatchObject({ outOfOrdernessUs: 200_000, idlenessUs: 5_000_000, costPerRecordUs: 3 });
    expect(win).toMatchObject({
      kind: 'window',
      window: { type: 'sliding', sizeMs: 30_000, slideMs: 10_000, offsetMs: 0 },
      aggregate: 'sum',
      field: 'value',
      allowedLatenessUs: 1_000_000,
      partitioner: 'hash',
      keyBy: 'page',
    });
    expect(out).toMatchObject({ kind: 'sink', delivery: 'exactly-once', topic: 'results' });
    expect(s.topics.map((t) => t.name)).toEqual(['input', 'results']);
    expect(s.sim).toEqual({
      networkLatencyUs: 2000,
      networkJitterUs: 100,
      recordCostUs: 5000,
      stateBytesPerUs: 104.8576,
      snapshotEvery: 10_000_000,
    });
  });

  it('normalizes windowCount to a count window', () => {
    const s = ok(doc());
    expect(s.operators[1]).toMatchObject({
      id: 'counter',
      kind: 'window',
      aggregate: 'count',
      field: null,
      window: { type: 'tumbling', sizeMs: 15_000, offsetMs: 0 },
      allowedLatenessUs: 0,
    });
  });

  it('takes parallelism and max parallelism defaults from the config', () => {
    const s = ok(
      doc(
        [
          { id: 'clicks', kind: 'source', topic: 'input' },
          { ...counter, parallelism: undefined, maxParallelism: 256 },
          { id: 'output', kind: 'sink', input: 'counter' },
        ],
        { config: { 'parallelism.default': 3, 'pipeline.max-parallelism': '64' } },
      ),
    );
    expect(s.operators.map((o) => o.parallelism)).toEqual([3, 3, 3]);
    expect(s.operators.map((o) => o.maxParallelism)).toEqual([64, 256, 64]);
  });

  it('takes slots from cluster or from taskmanager.numberOfTaskSlots', () => {
    expect(ok(doc()).config.int('taskmanager.numberOfTaskSlots')).toBe(2);
    const s = ok(
      doc(undefined, { cluster: { taskManagers: 3 }, config: { 'taskmanager.numberOfTaskSlots': 4 } }),
    );
    expect(s.cluster).toEqual({ taskManagers: 3, slotsPerTaskManager: 4 });
    expect(
      errorAt(
        doc(undefined, { config: { 'taskmanager.numberOfTaskSlots': 4 } }),
        'cluster.slotsPerTaskManager',
      ),
    ).toContain('differs from config "taskmanager.numberOfTaskSlots" (4)');
  });

  it('sorts faults by time, keeping the given order on ties', () => {
    const s = ok(
      doc(undefined, {
        faults: [
          { at: '20s', kind: 'kill-taskmanager', target: 'tm-1', duration: '10 s' },
          { at: '5s', kind: 'fail-task', target: 'counter#1' },
          { at: '5s', kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 2 },
          { at: 1000, kind: 'slow-task', target: 'output#0', factor: 4, duration: '2 s' },
          { at: '1 s', kind: 'stall-channel', target: 'clicks#0 -> counter#1', duration: '500 ms' },
        ],
      }),
    );
    expect(s.faults).toEqual([
      { at: 1_000_000, kind: 'slow-task', target: 'output#0', durationUs: 2_000_000, factor: 4, count: null },
      {
        at: 1_000_000,
        kind: 'stall-channel',
        target: 'clicks#0->counter#1',
        durationUs: 500_000,
        factor: null,
        count: null,
      },
      { at: 5_000_000, kind: 'fail-task', target: 'counter#1', durationUs: null, factor: null, count: null },
      {
        at: 5_000_000,
        kind: 'fail-checkpoint-storage',
        target: 'checkpoint-storage',
        durationUs: null,
        factor: null,
        count: 2,
      },
      {
        at: 20_000_000,
        kind: 'kill-taskmanager',
        target: 'tm-1',
        durationUs: 10_000_000,
        factor: null,
        count: null,
      },
    ]);
  });

  it('accepts JSON text', () => {
    expect(validateScenario(JSON.stringify(doc())).ok).toBe(true);
    expect(errors('{ "version": 1,')[0]?.message).toMatch(/^invalid JSON/);
  });
});

describe('topological order', () => {
  it('sorts operators given in any order, stably', () => {
    const s = ok(
      doc([
        { id: 'out', kind: 'sink', input: 'm2', parallelism: 2 },
        { id: 'm2', kind: 'map', input: 'u', fn: { type: 'identity' }, parallelism: 2 },
        { id: 'u', kind: 'union', input: ['b', 'a'], parallelism: 2 },
        {
          id: 'b',
          kind: 'filter',
          input: 'src',
          where: { field: 'page', op: 'ne', value: '/help' },
          parallelism: 2,
        },
        { id: 'src', kind: 'source', topic: 'input', parallelism: 2 },
        { id: 'a', kind: 'map', input: 'src', fn: { type: 'upper', field: 'page' }, parallelism: 2 },
      ]),
    );
    expect(s.operators.map((o) => o.id)).toEqual(['src', 'b', 'a', 'u', 'm2', 'out']);
    expect(s.operators.find((o) => o.id === 'u')?.inputs).toEqual(['b', 'a']);
  });

  it('keeps an already sorted graph unchanged', () => {
    expect(ok(doc()).operators.map((o) => o.id)).toEqual(['clicks', 'counter', 'output']);
  });
});

describe('default partitioner', () => {
  const pipeline = (ops: Obj[]) =>
    ok(doc([{ id: 'src', kind: 'source', topic: 'input', parallelism: 2 }, ...ops]));
  const partitioner = (s: Scenario, id: string) => s.operators.find((o) => o.id === id)?.partitioner;

  it('is hash when keyed', () => {
    const s = pipeline([
      { id: 'r', kind: 'reduce', input: 'src', keyBy: 'page', aggregate: 'count', parallelism: 2 },
    ]);
    expect(partitioner(s, 'r')).toBe('hash');
    expect(partitioner(s, 'src')).toBe('forward');
  });

  it('is the explicit one when given', () => {
    const s = pipeline([
      {
        id: 'm',
        kind: 'map',
        input: 'src',
        fn: { type: 'identity' },
        partitioner: 'broadcast',
        parallelism: 3,
      },
      {
        id: 'n',
        kind: 'map',
        input: 'src',
        fn: { type: 'identity' },
        partitioner: 'rebalance',
        parallelism: 2,
      },
    ]);
    expect(partitioner(s, 'm')).toBe('broadcast');
    expect(partitioner(s, 'n')).toBe('rebalance');
  });

  it('is forward when every input has the same parallelism, else rebalance', () => {
    const s = pipeline([
      { id: 'same', kind: 'map', input: 'src', fn: { type: 'identity' }, parallelism: 2 },
      { id: 'wider', kind: 'map', input: 'src', fn: { type: 'identity' }, parallelism: 4 },
      { id: 'u', kind: 'union', input: ['same', 'wider'], parallelism: 2 },
      { id: 'out', kind: 'sink', input: 'u', parallelism: 2 },
    ]);
    expect(partitioner(s, 'same')).toBe('forward');
    expect(partitioner(s, 'wider')).toBe('rebalance');
    expect(partitioner(s, 'u')).toBe('rebalance');
    expect(partitioner(s, 'out')).toBe('forward');
  });
});

describe('errors', () => {
  it('rejects an unknown top-level key with a suggestion', () => {
    expect(errorAt({ ...doc(), topic: {} }, 'topic')).toBe('unknown key "topic"; did you mean "topics"?');
    expect(errorAt({ ...doc(), whatever: 1 }, 'whatever')).toMatch(
      /^unknown key "whatever"; valid keys: version, name/,
    );
  });

  it('rejects an unknown operator key with a suggestion', () => {
    const message = errorAt(
      doc([source, { ...counter, paralelism: 3 }, sink]),
      'job.operators[1].paralelism',
    );
    expect(message).toBe('unknown key "paralelism"; did you mean "parallelism"?');
  });

  it('rejects an unknown operator kind', () => {
    expect(errorAt(doc([source, { ...counter, kind: 'windw' }, sink]), 'job.operators[1].kind')).toBe(
      'unknown kind "windw"; did you mean "window"?',
    );
    expect(errorAt(doc([source, { id: 'x', input: 'clicks' }]), 'job.operators[1].kind')).toMatch(
      /^missing required field "kind"; expected one of "source", "map"/,
    );
  });

  it('requires version 1, a name, topics and operators', () => {
    const found = errors({ version: 2 });
    expect(found).toContainEqual({
      path: 'version',
      message: 'unsupported scenario version 2; this build reads version 1',
    });
    expect(found.map((e) => e.path)).toEqual(expect.arrayContaining(['name', 'topics', 'job']));
    expect(errorAt(doc([]), 'job.operators')).toBe('must have at least 1 element(s), got []');
    expect(errors(null)[0]?.message).toMatch(/expected a scenario object/);
  });

  it('names wrong field types and values', () => {
    expect(
      errorAt(doc([{ ...source, parallelism: 'two' }, counter, sink]), 'job.operators[0].parallelism'),
    ).toBe('expected an integer, got "two"');
    expect(errorAt(doc([{ ...source, parallelism: 0 }, counter, sink]), 'job.operators[0].parallelism')).toBe(
      'must be at least 1, got 0',
    );
    expect(
      errorAt(doc([source, counter, { ...sink, delivery: 'exactly_once' }]), 'job.operators[2].delivery'),
    ).toBe(
      'expected one of "at-least-once", "idempotent" or "exactly-once", got "exactly_once"; did you mean "exactly-once"?',
    );
    expect(errorAt(doc([{ ...source, id: '1st' }, counter, sink]), 'job.operators[0].id')).toContain(
      'operator ids start with a letter',
    );
    expect(errorAt(doc([{ ...source, topic: undefined }, counter, sink]), 'job.operators[0].topic')).toBe(
      'missing required field "topic" (the input topic the source reads); expected a string',
    );
  });

  it('explains bad durations', () => {
    expect(
      errorAt(
        doc([{ ...source, watermarks: { outOfOrderness: 'fast' } }, counter, sink]),
        'job.operators[0].watermarks.outOfOrderness',
      ),
    ).toMatch(/^expected a duration like "1s", "500 ms" or "1 min" .*, got "fast"$/);
    expect(errorAt(doc(undefined, { sim: { snapshotEvery: '0 s' } }), 'sim.snapshotEvery')).toBe(
      'must be greater than 0, got "0 s"',
    );
  });

  it('rejects a bad window string', () => {
    expect(
      errorAt(doc([source, { ...counter, window: 'tumbling fast' }, sink]), 'job.operators[1].window'),
    ).toMatch(/^expected a window like "tumbling 15s", .* got "tumbling fast"/);
    expect(
      errorAt(doc([source, { ...counter, window: 'sliding 5s 10s' }, sink]), 'job.operators[1].window'),
    ).toContain('must not be larger than the size');
  });

  it('reports config errors at config["key"]', () => {
    const json = doc(undefined, {
      config: { 'execution.checkpointing.interval': '5 ms', 'state.backend.type': 'forst', paralelism: 2 },
    });
    expect(errorAt(json, 'config["execution.checkpointing.interval"]')).toBe(
      'Checkpoint interval must be larger than or equal to 10 ms; got "5 ms"',
    );
    expect(errorAt(json, 'config["state.backend.type"]')).toContain('use "indexeddb"');
    expect(errorAt(json, 'config.paralelism')).toContain('unknown configuration key "paralelism"');
  });

  it('reports schema and config errors together', () => {
    const found = errors({ ...doc(undefined, { config: { 'heartbeat.timeout': 'x' } }), extra: true });
    expect(found.map((e) => e.path)).toEqual(['extra', 'config["heartbeat.timeout"]']);
  });

  it('rejects duplicate operator ids', () => {
    expect(errorAt(doc([source, counter, sink, { ...sink, topic: 'other' }]), 'job.operators[3].id')).toBe(
      'duplicate operator id "output" (also used by job.operators[2])',
    );
  });

  it('rejects a missing or unknown input', () => {
    expect(errorAt(doc([source, { ...counter, input: undefined }, sink]), 'job.operators[1].input')).toMatch(
      /^missing required field "input".*known ids: "clicks", "counter" and "output"$/,
    );
    expect(errorAt(doc([source, counter, { ...sink, input: 'countr' }]), 'job.operators[2].input')).toBe(
      'unknown operator "countr"; did you mean "counter"?',
    );
    expect(
      errorAt(doc([source, counter, { ...sink, input: ['counter', 'nope'] }]), 'job.operators[2].input[1]'),
    ).toBe('unknown operator "nope"; known ids: "clicks", "counter" and "output"');
    expect(errorAt(doc([source, counter, { ...sink, input: [] }]), 'job.operators[2].input')).toContain(
      'expected an operator id or a non-empty list of ids',
    );
  });

  it('rejects inputs on sources and outputs of sinks', () => {
    expect(errorAt(doc([{ ...source, input: 'output' }, counter, sink]), 'job.operators[0].input')).toContain(
      'a source reads its topic and has no input',
    );
    expect(
      errorAt(
        doc([source, counter, sink, { id: 'm', kind: 'map', input: 'output', fn: { type: 'identity' } }]),
        'job.operators[3].input',
      ),
    ).toContain('"output" is a sink and has no output');
  });

  it('rejects a cycle', () => {
    const message = errorAt(
      doc([
        source,
        { id: 'a', kind: 'map', input: ['clicks', 'c'], fn: { type: 'identity' }, parallelism: 2 },
        { id: 'b', kind: 'map', input: 'a', fn: { type: 'identity' }, parallelism: 2 },
        { id: 'c', kind: 'map', input: 'b', fn: { type: 'identity' }, parallelism: 2 },
      ]),
      'job.operators[1].input',
    );
    expect(message).toMatch(/^the job graph has a cycle: a -> b -> c -> a; /);
    expect(
      errorAt(
        doc([source, { id: 'self', kind: 'map', input: 'self', fn: { type: 'identity' } }]),
        'job.operators[1].input',
      ),
    ).toContain('cannot read its own output');
  });

  it("rejects forward partitioning across a parallelism change with Flink's text", () => {
    expect(
      errorAt(
        doc([source, counter, { ...sink, partitioner: 'forward', parallelism: 3 }]),
        'job.operators[2].partitioner',
      ),
    ).toBe(
      'Forward partitioning does not allow change of parallelism. Upstream operation: counter parallelism: 2, ' +
        'downstream operation: output parallelism: 3. You must use another partitioning strategy, such as ' +
        'broadcast, rebalance, shuffle or global.',
    );
  });

  it('rejects partitioner with keyBy, keyType without keyBy, and a missing keyBy', () => {
    expect(
      errorAt(doc([source, { ...counter, partitioner: 'rebalance' }, sink]), 'job.operators[1].partitioner'),
    ).toContain('cannot be combined with "keyBy"');
    expect(
      errorAt(doc([source, counter, { ...sink, keyType: 'int' }]), 'job.operators[2].keyType'),
    ).toContain('add "keyBy"');
    expect(errorAt(doc([source, { ...counter, keyBy: undefined }, sink]), 'job.operators[1].keyBy')).toMatch(
      /^missing required field "keyBy"/,
    );
  });

  it('checks parallelism against max parallelism', () => {
    expect(
      errorAt(doc([source, { ...counter, maxParallelism: 1 }, sink]), 'job.operators[1].maxParallelism'),
    ).toMatch(/^Maximum parallelism must not be smaller than parallelism\./);
    expect(
      errorAt(doc([source, { ...counter, parallelism: 40000 }, sink]), 'job.operators[1].parallelism'),
    ).toBe('must be at most 32768, got 40000');
  });

  it('requires a field for aggregates other than count', () => {
    expect(
      errorAt(
        doc([source, { ...counter, kind: 'window', aggregate: 'sum' }, sink]),
        'job.operators[1].field',
      ),
    ).toMatch(/^missing required field "field": aggregate "sum" needs the numeric field/);
    expect(
      errorAt(
        doc([
          source,
          { id: 'counter', kind: 'reduce', input: 'clicks', keyBy: 'page', aggregate: 'count', field: 'x' },
          sink,
        ]),
        'job.operators[1].field',
      ),
    ).toContain('no effect with aggregate "count"');
  });

  it('checks topics', () => {
    expect(errorAt(doc([{ ...source, topic: 'inptu' }, counter, sink]), 'job.operators[0].topic')).toBe(
      'unknown topic "inptu"; did you mean "input"?',
    );
    expect(errorAt(doc([{ ...source, topic: 'output' }, counter, sink]), 'job.operators[0].topic')).toContain(
      'is the output of sink "output"',
    );
    expect(errorAt(doc([source, counter, { ...sink, topic: 'input' }]), 'job.operators[2].topic')).toContain(
      'declared as an input topic',
    );
    expect(errorAt(doc([source, counter, { ...sink, id: 'input' }]), 'job.operators[2].id')).toContain(
      'unless "topic" is set',
    );
    expect(
      errorAt(
        doc([source, counter, sink, { id: 'copy', kind: 'sink', input: 'counter', topic: 'output' }]),
        'job.operators[3].topic',
      ),
    ).toContain('already written by sink "output"');
    expect(
      errorAt(
        { ...doc(), topics: { 'bad topic': { generator: { kind: 'clicks' } } } },
        'topics["bad topic"]',
      ),
    ).toContain('topic names use letters');
  });

  it('checks predicates', () => {
    const filter = (where: Obj) =>
      doc([source, { id: 'f', kind: 'filter', input: 'clicks', where, parallelism: 2 }]);
    expect(
      errorAt(filter({ field: 'page', op: 'in', value: '/help' }), 'job.operators[1].where.value'),
    ).toContain('list of values');
    expect(
      errorAt(filter({ field: 'n', op: 'mod', value: [2, 5] }), 'job.operators[1].where.value'),
    ).toContain('[divisor, remainder]');
    expect(
      errorAt(filter({ field: 'page', op: 'eq', value: ['a'] }), 'job.operators[1].where.value'),
    ).toContain('compares with one value');
    expect(errorAt(filter({ field: 'page', op: 'like', value: 'a' }), 'job.operators[1].where.op')).toMatch(
      /^expected one of "eq", "ne"/,
    );
  });

  it('checks fault targets', () => {
    const fault = (f: Obj) => doc(undefined, { faults: [{ at: '1 s', ...f }] });
    expect(errorAt(fault({ kind: 'fail-task', target: 'counter#2' }), 'faults[0].target')).toBe(
      'subtask index 2 out of range: "counter" has parallelism 2 (indexes 0..1)',
    );
    expect(errorAt(fault({ kind: 'fail-task', target: 'countr#0' }), 'faults[0].target')).toBe(
      'unknown operator "countr" in target "countr#0"; did you mean "counter"?',
    );
    expect(errorAt(fault({ kind: 'fail-task', target: 'counter' }), 'faults[0].target')).toContain(
      'name one subtask: "counter#0" .. "counter#1"',
    );
    expect(errorAt(fault({ kind: 'kill-taskmanager', target: 'tm-2' }), 'faults[0].target')).toContain(
      'TaskManager index 2 out of range: the cluster has 2 TaskManager(s)',
    );
    expect(errorAt(fault({ kind: 'kill-taskmanager', target: 'counter#0' }), 'faults[0].target')).toBe(
      '"kill-taskmanager" targets a TaskManager "tm-<index>", got "counter#0"',
    );
    expect(errorAt(fault({ kind: 'fail-task', target: 'the moon' }), 'faults[0].target')).toMatch(
      /^expected "<operatorId>#<subtask>".*got "the moon"$/,
    );
    expect(
      errorAt(fault({ kind: 'stall-channel', target: 'clicks#0->output#0' }), 'faults[0].target'),
    ).toContain('no edge from "clicks" to "output"');
    expect(
      errorAt(fault({ kind: 'stall-channel', target: 'counter#0->output#1' }), 'faults[0].target'),
    ).toContain('is forward');
    expect(
      errorAt(fault({ kind: 'fail-task', target: 'counter#0', factor: 2 }), 'faults[0].factor'),
    ).toContain('does not apply to "fail-task"');
    expect(errorAt(fault({ kind: 'explode', target: 'tm-0' }), 'faults[0].kind')).toMatch(
      /^expected one of "fail-task"/,
    );
  });
});

describe('formatErrors', () => {
  it('prints one error per line', () => {
    expect(
      formatErrors([
        { path: 'job.operators[1].window', message: 'bad' },
        { path: '', message: 'invalid JSON' },
      ]),
    ).toBe('job.operators[1].window: bad\ninvalid JSON');
  });
});

describe('actions', () => {
  it('parses checkpoint, savepoint and stop-with-savepoint at Flink durations, sorted by time (stable)', () => {
    const s = ok(
      doc(undefined, {
        actions: [
          { at: '30s', kind: 'stop-with-savepoint', drain: true },
          { at: '12s', kind: 'savepoint' },
          { at: 12_000, kind: 'checkpoint' },
          { at: '500 ms', kind: 'checkpoint' },
        ],
      }),
    );
    expect(s.actions).toEqual([
      { atUs: 500_000, kind: 'checkpoint' },
      { atUs: 12_000_000, kind: 'savepoint' },
      { atUs: 12_000_000, kind: 'checkpoint' },
      { atUs: 30_000_000, kind: 'stop-with-savepoint', drain: true },
    ]);
    expect(ok(doc()).actions).toEqual([]);
    expect(ok(doc(undefined, { actions: [{ at: '1s', kind: 'stop-with-savepoint' }] })).actions).toEqual([
      { atUs: 1_000_000, kind: 'stop-with-savepoint', drain: false },
    ]);
  });

  it('is strict and names the path', () => {
    expect(errorAt(doc(undefined, { actions: [{ at: '1s', kind: 'savepiont' }] }), 'actions[0].kind')).toBe(
      'expected one of "checkpoint", "savepoint" or "stop-with-savepoint", got "savepiont"; did you mean "savepoint"?',
    );
    expect(errorAt(doc(undefined, { actions: [{ kind: 'savepoint' }] }), 'actions[0].at')).toMatch(
      /^missing required duration/,
    );
    expect(
      errorAt(doc(undefined, { actions: [{ at: '-1s', kind: 'savepoint' }] }), 'actions[0].at'),
    ).toContain('a duration cannot be negative');
    expect(
      errorAt(
        doc(undefined, { actions: [{ at: '1s', kind: 'savepoint', target: 'x' }] }),
        'actions[0].target',
      ),
    ).toBe('unknown key "target"; valid keys: at, kind, drain');
    expect(
      errorAt(
        doc(undefined, { actions: [{ at: '1s', kind: 'checkpoint', drain: true }] }),
        'actions[0].drain',
      ),
    ).toBe(
      '"drain" applies only to "stop-with-savepoint" (it sends MAX_WATERMARK before the final savepoint); remove it from this "checkpoint"',
    );
    expect(
      errorAt(
        doc(undefined, { actions: [{ at: '1s', kind: 'stop-with-savepoint', drain: 'yes' }] }),
        'actions[0].drain',
      ),
    ).toBe('expected true or false, got "yes"');
    expect(errorAt(doc(undefined, { actions: { at: '1s' } }), 'actions')).toMatch(/^expected a list/);
  });

  it('refuses actions after a stop-with-savepoint', () => {
    const found = errors(
      doc(undefined, {
        actions: [
          { at: '40s', kind: 'savepoint' },
          { at: '30s', kind: 'stop-with-savepoint' },
          { at: '10s', kind: 'checkpoint' },
        ],
      }),
    );
    expect(found).toEqual([
      {
        path: 'actions[0]',
        message:
          'comes after the stop-with-savepoint at 30 s (actions[1]), when the job has already stopped; remove it or move it before the stop',
      },
    ]);
  });
});
