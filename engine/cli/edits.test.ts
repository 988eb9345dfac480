import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  coerceValue,
  configKeySpellings,
  parseActionArgument,
  parseFaultArgument,
  parseOpArgument,
  parseSetArgument,
  parseUnsetArgument,
} from './edits.ts';

function scenario(): Record<string, unknown> {
  return {
    version: 1,
    name: 'test',
    job: {
      operators: [
        { id: 'clicks', kind: 'source', topic: 'input', parallelism: 2 },
        {
          id: 'counter',
          kind: 'window',
          input: 'clicks',
          keyBy: 'page',
          window: 'tumbling 15s',
          parallelism: 2,
        },
        { id: 'sink', kind: 'sink', input: 'counter', parallelism: 2 },
      ],
    },
    config: { 'execution.checkpointing.interval': '1s', 'state.checkpoints.num-retained': 2 },
  };
}

describe('coerceValue', () => {
  it('reads numbers, booleans, null and JSON; keeps the rest as strings', () => {
    expect(coerceValue('3')).toBe(3);
    expect(coerceValue('-1.5')).toBe(-1.5);
    expect(coerceValue('1e3')).toBe(1000);
    expect(coerceValue('true')).toBe(true);
    expect(coerceValue('false')).toBe(false);
    expect(coerceValue('null')).toBe(null);
    expect(coerceValue('[1, "a"]')).toEqual([1, 'a']);
    expect(coerceValue('{"type":"upper","field":"word"}')).toEqual({ type: 'upper', field: 'word' });
    expect(coerceValue('"3"')).toBe('3');
    expect(coerceValue('tumbling 10s')).toBe('tumbling 10s');
    expect(coerceValue('2 min')).toBe('2 min');
    expect(coerceValue('007')).toBe('007');
    expect(coerceValue('[not json')).toBe('[not json');
    expect(coerceValue('')).toBe('');
  });
});

describe('--set', () => {
  it('sets config[key] to the string value, splitting on the first "="', () => {
    expect(parseSetArgument('a.b=x=y')).toEqual({ kind: 'set', key: 'a.b', value: 'x=y' });
    const out = applyEdits(scenario(), [parseSetArgument('execution.checkpointing.interval=5s')]) as {
      config: Record<string, unknown>;
    };
    expect(out.config['execution.checkpointing.interval']).toBe('5s');
    const num = applyEdits(scenario(), [
      parseSetArgument('execution.checkpointing.max-concurrent-checkpoints=2'),
    ]);
    expect(
      (num as { config: Record<string, unknown> }).config[
        'execution.checkpointing.max-concurrent-checkpoints'
      ],
    ).toBe('2');
  });

  it('replaces other spellings of the same key (deprecated aliases)', () => {
    expect(configKeySpellings('state.checkpoints.num-retained')).toContain(
      'execution.checkpointing.num-retained',
    );
    const out = applyEdits(scenario(), [parseSetArgument('execution.checkpointing.num-retained=3')]) as {
      config: Record<string, unknown>;
    };
    expect(out.config).toEqual({
      'execution.checkpointing.interval': '1s',
      'execution.checkpointing.num-retained': '3',
    });
  });

  it('creates config when the scenario has none, and does not touch the input', () => {
    const raw = scenario();
    delete raw['config'];
    const out = applyEdits(raw, [parseSetArgument('state.backend.type=hashmap')]) as Record<string, unknown>;
    expect(out['config']).toEqual({ 'state.backend.type': 'hashmap' });
    expect(raw['config']).toBeUndefined();
  });

  it('rejects malformed arguments', () => {
    expect(() => parseSetArgument('execution.checkpointing.interval')).toThrow(
      /--set expects <flink-config-key>=<value>/,
    );
    expect(() => parseSetArgument('=1s')).toThrow(/no key/);
    expect(() => applyEdits({ ...scenario(), config: [] }, [parseSetArgument('a=b')])).toThrow(
      /"config" is not an object/,
    );
  });
});

describe('--unset', () => {
  it('deletes the key under every spelling', () => {
    const out = applyEdits(scenario(), [parseUnsetArgument('execution.checkpointing.num-retained')]) as {
      config: Record<string, unknown>;
    };
    expect(out.config).toEqual({ 'execution.checkpointing.interval': '1s' });
    const out2 = applyEdits(scenario(), [parseUnsetArgument('execution.checkpointing.interval')]) as {
      config: Record<string, unknown>;
    };
    expect(out2.config).toEqual({ 'state.checkpoints.num-retained': 2 });
  });

  it('is a no-op for a known key that is not set, and an error for an unknown one', () => {
    const out = applyEdits(scenario(), [parseUnsetArgument('state.backend.type')]);
    expect(out).toEqual(scenario());
    expect(() => applyEdits(scenario(), [parseUnsetArgument('execution.checkpointing.intervall')])).toThrow(
      /not a Flink config key the simulator knows, and not set/,
    );
    // An unknown key that the scenario does set can be removed.
    const raw = scenario();
    (raw['config'] as Record<string, unknown>)['my.key'] = 'x';
    expect((applyEdits(raw, [parseUnsetArgument('my.key')]) as { config: object }).config).toEqual(
      scenario()['config'],
    );
  });

  it('applies edits in order', () => {
    const out = applyEdits(scenario(), [
      parseUnsetArgument('execution.checkpointing.interval'),
      parseSetArgument('execution.checkpointing.interval=10s'),
    ]) as { config: Record<string, unknown> };
    expect(out.config['execution.checkpointing.interval']).toBe('10s');
    const out2 = applyEdits(scenario(), [
      parseSetArgument('execution.checkpointing.interval=10s'),
      parseUnsetArgument('execution.checkpointing.interval'),
    ]) as { config: Record<string, unknown> };
    expect(out2.config['execution.checkpointing.interval']).toBeUndefined();
  });
});

describe('--op', () => {
  it('sets a field of the operator with that id, parsing numbers and booleans', () => {
    const out = applyEdits(scenario(), [
      parseOpArgument('counter.parallelism=3'),
      parseOpArgument('counter.window=tumbling 10s'),
      parseOpArgument('sink.delivery=at-least-once'),
      parseOpArgument('clicks.maxParallelism=256'),
    ]) as { job: { operators: Record<string, unknown>[] } };
    expect(out.job.operators[1]).toMatchObject({ id: 'counter', parallelism: 3, window: 'tumbling 10s' });
    expect(out.job.operators[2]).toMatchObject({ delivery: 'at-least-once' });
    expect(out.job.operators[0]).toMatchObject({ maxParallelism: 256 });
  });

  it('sets nested fields, creating objects on the way', () => {
    const out = applyEdits(scenario(), [parseOpArgument('counter.where.value=10')]) as {
      job: { operators: Record<string, unknown>[] };
    };
    expect(out.job.operators[1]?.['where']).toEqual({ value: 10 });
    expect(() => applyEdits(scenario(), [parseOpArgument('counter.parallelism.x=1')])).toThrow(
      /counter.parallelism is not an object/,
    );
  });

  it('names the operator ids when the id is unknown', () => {
    expect(() => applyEdits(scenario(), [parseOpArgument('countr.parallelism=3')])).toThrow(
      '--op: no operator "countr"; operators: clicks, counter, sink',
    );
  });

  it('rejects malformed arguments', () => {
    expect(() => parseOpArgument('counter=3')).toThrow(/--op expects <operatorId>.<field>=<value>/);
    expect(() => parseOpArgument('counter.parallelism')).toThrow(/--op expects/);
    expect(() => parseOpArgument('.parallelism=3')).toThrow(/--op expects/);
    expect(() => parseOpArgument('counter..x=3')).toThrow(/--op expects/);
    expect(() => parseOpArgument('counter.id=x')).toThrow(/cannot change an operator's id/);
    expect(() => parseOpArgument('counter.__proto__.x=1')).toThrow(/cannot be set/);
    expect(() => applyEdits({ version: 1 }, [parseOpArgument('a.b=1')])).toThrow(/no "job.operators" list/);
  });
});

describe('--fault', () => {
  it('appends {at, kind, target}, splitting on the first two colons only', () => {
    expect(parseFaultArgument('20s:kill-taskmanager:tm-0').fault).toEqual({
      at: '20s',
      kind: 'kill-taskmanager',
      target: 'tm-0',
    });
    expect(parseFaultArgument('1 min:stall-channel:a#0->b:1').fault).toEqual({
      at: '1 min',
      kind: 'stall-channel',
      target: 'a#0->b:1',
    });
    const raw = scenario();
    const once = applyEdits(raw, [parseFaultArgument('20s:kill-taskmanager:tm-0')]) as Record<
      string,
      unknown
    >;
    expect(once['faults']).toEqual([{ at: '20s', kind: 'kill-taskmanager', target: 'tm-0' }]);
    const twice = applyEdits(once, [parseFaultArgument('30s:fail-task:counter#1')]) as Record<
      string,
      unknown
    >;
    expect(twice['faults']).toEqual([
      { at: '20s', kind: 'kill-taskmanager', target: 'tm-0' },
      { at: '30s', kind: 'fail-task', target: 'counter#1' },
    ]);
    expect(once['faults']).toHaveLength(1);
  });

  it('accepts extra fields after the target', () => {
    expect(parseFaultArgument('10s:slow-task:counter#0,factor=10,duration=5s').fault).toEqual({
      at: '10s',
      kind: 'slow-task',
      target: 'counter#0',
      factor: 10,
      duration: '5s',
    });
    expect(() => parseFaultArgument('10s:slow-task:counter#0,10')).toThrow(/expected <field>=<value>/);
  });

  it('rejects malformed arguments', () => {
    expect(() => parseFaultArgument('20s:kill-taskmanager')).toThrow(/--fault expects <at>:<kind>:<target>/);
    expect(() => parseFaultArgument('20s::tm-0')).toThrow(/--fault expects/);
    expect(() => parseFaultArgument(':kill-taskmanager:tm-0')).toThrow(/--fault expects/);
    expect(() => applyEdits({ ...scenario(), faults: {} }, [parseFaultArgument('1s:fail-task:x#0')])).toThrow(
      /"faults" is not a list/,
    );
  });
});

describe('--action', () => {
  it('appends {at, kind} and drain for stop-with-savepoint, in command-line order', () => {
    expect(parseActionArgument('12s:checkpoint').action).toEqual({ at: '12s', kind: 'checkpoint' });
    expect(parseActionArgument('1 min:savepoint').action).toEqual({ at: '1 min', kind: 'savepoint' });
    expect(parseActionArgument('30s:stop-with-savepoint,drain=true').action).toEqual({
      at: '30s',
      kind: 'stop-with-savepoint',
      drain: true,
    });
    const raw = { ...scenario(), actions: [{ at: '5s', kind: 'checkpoint' }] };
    const edited = applyEdits(raw, [
      parseActionArgument('12s:savepoint'),
      parseActionArgument('30s:stop-with-savepoint,drain=false'),
    ]) as Record<string, unknown>;
    expect(edited['actions']).toEqual([
      { at: '5s', kind: 'checkpoint' },
      { at: '12s', kind: 'savepoint' },
      { at: '30s', kind: 'stop-with-savepoint', drain: false },
    ]);
    expect(raw.actions).toHaveLength(1);
    const fresh = applyEdits(scenario(), [parseActionArgument('2s:checkpoint')]) as Record<string, unknown>;
    expect(fresh['actions']).toEqual([{ at: '2s', kind: 'checkpoint' }]);
  });

  it('rejects malformed arguments', () => {
    expect(() => parseActionArgument('12s')).toThrow(/--action expects <at>:<kind>\[,drain=true\]/);
    expect(() => parseActionArgument(':savepoint')).toThrow(/--action expects/);
    expect(() => parseActionArgument('12s:')).toThrow(/--action expects/);
    expect(() => parseActionArgument('12s:savepoint,force=true')).toThrow(
      /expected drain=true or drain=false after the kind, got "force=true"/,
    );
    expect(() => parseActionArgument('12s:savepoint,drain')).toThrow(/expected drain=true or drain=false/);
    expect(() => applyEdits({ ...scenario(), actions: 'x' }, [parseActionArgument('1s:checkpoint')])).toThrow(
      /"actions" is not a list/,
    );
  });
});

describe('prototype names on the command line', () => {
  it('are refused as config keys and fault fields instead of being dropped silently', () => {
    expect(() => parseSetArgument('__proto__=1')).toThrow(/"__proto__" is not a Flink configuration key/);
    expect(() => parseSetArgument('constructor=1')).toThrow(/not a Flink configuration key/);
    expect(() => parseFaultArgument('1s:fail-task:a#0,__proto__=1')).toThrow(
      /"__proto__" is not a fault field/,
    );
    expect(() => parseOpArgument('counter.__proto__=1')).toThrow(/cannot be set/);
  });
});
