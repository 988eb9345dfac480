import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../engine/scenario/validate.ts';
import { jsonSpans, spanOf } from './jsonSpans.ts';
import {
  configEntry,
  documentOf,
  formatPath,
  parsePath,
  sinkDelivery,
  withConfig,
  withSinkDelivery,
} from './scenarioDocument.ts';

describe('the scenario document the editor edits', () => {
  it('comes from the preset (a fresh copy) or from the loaded JSON', () => {
    const a = documentOf({ kind: 'preset', id: 'click-count' })!;
    expect(a.name).toBe('Click event count');
    (a as { name: string }).name = 'changed';
    expect(documentOf({ kind: 'preset', id: 'click-count' })!.name).toBe('Click event count');
    expect(documentOf({ kind: 'json', json: '{"version":1}' })).toEqual({ version: 1 });
    expect(documentOf({ kind: 'json', json: 'nope' })).toBeNull();
    expect(documentOf(null)).toBeNull();
  });

  it('switches the sink delivery and keeps the document valid', () => {
    const doc = documentOf({ kind: 'preset', id: 'click-count' })!;
    expect(sinkDelivery(doc)).toBe('at-least-once');
    const eo = withSinkDelivery(doc, 'exactly-once');
    expect(sinkDelivery(eo)).toBe('exactly-once');
    expect(sinkDelivery(doc)).toBe('at-least-once');
    const r = validateScenario(eo);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.scenario.operators.find((o) => o.kind === 'sink')).toMatchObject({ delivery: 'exactly-once' });
  });

  it('sets a Flink key under its current name and drops a deprecated alias', () => {
    const doc = { version: 1, config: { 'execution.checkpointing.unaligned': true } };
    expect(configEntry(doc, 'execution.checkpointing.unaligned.enabled')).toEqual({
      key: 'execution.checkpointing.unaligned',
      value: true,
    });
    const off = withConfig(doc, 'execution.checkpointing.unaligned.enabled', false);
    expect(off.config).toEqual({ 'execution.checkpointing.unaligned.enabled': false });
    expect(withConfig(off, 'execution.checkpointing.unaligned.enabled', undefined).config).toEqual({});
  });

  it('reads the paths of the engine errors back into segments', () => {
    for (const segs of [
      ['job', 'operators', 2, 'delivery'],
      ['config', 'execution.checkpointing.interval'],
      ['topics', 'in put', 'partitions'],
      [],
    ] as (string | number)[][]) {
      expect(parsePath(formatPath(segs))).toEqual(segs);
    }
    expect(parsePath('config["a\\"b"]')).toEqual(['config', 'a"b']);
  });

  it('finds the text of the value an error names, or of its nearest ancestor', () => {
    const text =
      '{\n  "cluster": { "taskManagers": 0 },\n  "job": { "operators": [ { "id": "a" }, { "id": "b" } ] }\n}';
    const spans = jsonSpans(text);
    const tm = spans.get('cluster.taskManagers')!;
    expect(text.slice(tm.from, tm.to)).toBe('0');
    expect(text.slice(tm.keyFrom, tm.keyTo)).toBe('"taskManagers"');
    const b = spans.get('job.operators[1].id')!;
    expect(text.slice(b.from, b.to)).toBe('"b"');
    // A missing field: the object that lacks it.
    const missing = spanOf(spans, 'job.operators[1].kind', parsePath('job.operators[1].kind'))!;
    expect(text.slice(missing.from, missing.to)).toBe('{ "id": "b" }');
    // Broken JSON: what came before the error is still found.
    expect(jsonSpans('{"a": 1, "b": }').get('a')).toBeDefined();
  });
});

describe('form edits of the document', () => {
  it('sets and removes values by path, creating and pruning objects', async () => {
    const { setIn, getIn, numberOrText } = await import('./scenarioDocument.ts');
    const doc = { version: 1, job: { operators: [{ id: 'a' }, { id: 'b' }] } };
    const set = setIn(doc, ['cluster', 'taskManagers'], 3);
    expect(set.cluster).toEqual({ taskManagers: 3 });
    expect(doc).not.toHaveProperty('cluster');
    expect(setIn(set, ['cluster', 'taskManagers'], undefined)).not.toHaveProperty('cluster');
    expect(getIn(setIn(doc, ['job', 'operators', 1, 'parallelism'], 4), ['job', 'operators', 1])).toEqual({
      id: 'b',
      parallelism: 4,
    });
    expect(getIn(setIn(doc, ['job', 'operators', 0], undefined), ['job', 'operators'])).toEqual([
      { id: 'b' },
    ]);
    expect(numberOrText('12')).toBe(12);
    expect(numberOrText(' ')).toBeUndefined();
    expect(numberOrText('two')).toBe('two');
  });
});
