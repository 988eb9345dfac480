import { describe, expect, it } from 'vitest';
import { createEngine, listPresets, presetScenario } from '../engine.ts';
import { committedBySink, faultSpecs, PreparedScenario } from './preparedRun.ts';
import { boundedDoc, randomFaults } from './verify.ts';

type Doc = Record<string, unknown>;

describe('PreparedScenario: a scenario validated once builds the engines createEngine builds', () => {
  it('same trace hash, events and committed output, seed after seed, with random fault schedules, on every preset', () => {
    for (const { id } of listPresets()) {
      const doc = boundedDoc(presetScenario(id) as Doc, 3);
      const prepared = new PreparedScenario(doc);
      const probe = createEngine(doc, { timeTravel: false });
      if (!probe.ok) throw new Error(id);
      const topo = probe.engine.topology();
      // Several seeds in a row through one PreparedScenario: a run that changed the shared scenario would show.
      for (let seed = 1; seed <= 4; seed++) {
        const faults = randomFaults(topo, seed, 3_000_000);
        const a = createEngine({ ...doc, faults }, { seed, timeTravel: false });
        if (!a.ok) throw new Error(a.errors.map((e) => e.message).join('; '));
        const b = prepared.engine(seed, faults);
        a.engine.runUntil(60_000_000);
        b.runUntil(60_000_000);
        expect(b.traceHash(), `${id} seed ${seed}`).toBe(a.engine.traceHash());
        expect(b.runtime.kernel.processed).toBe(a.engine.runtime.kernel.processed);
        expect(b.rawScenario).toEqual(a.engine.rawScenario);
        const rows = committedBySink(b);
        for (const [sink, out] of Object.entries(a.engine.sinkOutput()))
          expect(rows.get(sink), `${id} ${sink}`).toEqual(out.committed);
      }
    }
  }, 300_000);

  it("fault specs are the validator's: times and durations in µs, sorted stably by time; other forms are left to it", () => {
    expect(
      faultSpecs([
        { at: '900 ms', kind: 'fail-task', target: 'a#0' },
        { at: '500 ms', kind: 'slow-task', target: 'a#1', factor: 3, duration: '1200 ms' },
        { at: '500 ms', kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 2 },
      ]),
    ).toEqual([
      { at: 500_000, kind: 'slow-task', target: 'a#1', durationUs: 1_200_000, factor: 3, count: null },
      {
        at: 500_000,
        kind: 'fail-checkpoint-storage',
        target: 'checkpoint-storage',
        durationUs: null,
        factor: null,
        count: 2,
      },
      { at: 900_000, kind: 'fail-task', target: 'a#0', durationUs: null, factor: null, count: null },
    ]);
    expect(faultSpecs([{ at: '1.5 s', kind: 'fail-task', target: 'a#0' }])).toBeNull();
  });

  it('an invalid document reports its problems as createEngine does', () => {
    const doc = boundedDoc(presetScenario('click-count') as Doc, 2);
    const prepared = new PreparedScenario(doc);
    expect(() => prepared.engine(1, [{ at: '600 ms', kind: 'fail-task', target: 'nope#0' }])).toThrow(
      /faults\[0\]\.target/,
    );
  });
});
