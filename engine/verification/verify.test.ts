import { describe, expect, it } from 'vitest';
import { createEngine, presetScenario } from '../engine.ts';
import { boundedDoc, compareSink, skewFactor, verify, Verifier } from './verify.ts';

type Doc = Record<string, unknown>;
const preset = (id: string): Doc => presetScenario(id) as Doc;
const seeds = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
/** These tests run dozens of whole jobs: on a machine shared by many processes they may need minutes. */
const SLOW = 600_000;

describe('verify: exactly-once under random faults (245 seeds)', () => {
  const cases: [string, string, number][] = [
    ['click-count', 'EXACTLY_ONCE', 35],
    ['union-two-speeds', 'EXACTLY_ONCE', 35],
    ['user-sessions', 'EXACTLY_ONCE', 35],
    ['word-filter', 'EXACTLY_ONCE', 35],
    ['rolling-sum', 'EXACTLY_ONCE', 35],
    // A pipeline whose tasks each have one input never aligns, so at-least-once mode loses nothing there (1.2).
    ['word-filter', 'AT_LEAST_ONCE', 30],
    ['click-count', 'UNALIGNED', 15],
    ['rolling-sum', 'UNALIGNED', 15],
    ['union-two-speeds', 'ALIGNED_TIMEOUT', 10],
  ];
  const configs: Record<string, Record<string, string>> = {
    EXACTLY_ONCE: { 'execution.checkpointing.mode': 'EXACTLY_ONCE' },
    AT_LEAST_ONCE: { 'execution.checkpointing.mode': 'AT_LEAST_ONCE' },
    UNALIGNED: { 'execution.checkpointing.unaligned.enabled': 'true' },
    ALIGNED_TIMEOUT: {
      'execution.checkpointing.unaligned.enabled': 'true',
      'execution.checkpointing.aligned-checkpoint-timeout': '30 ms',
    },
  };
  for (const [id, mode, n] of cases) {
    it(
      `${id} in ${mode} mode: every seed matches its failure-free run`,
      () => {
        const report = verify(preset(id), { seeds: seeds(1000, n), faults: 'random', config: configs[mode] });
        const failures = report.seeds
          .filter((s) => !s.ok)
          .map((s) => `seed ${s.seed}: ${s.error ?? s.sinks.find((x) => !x.ok)?.firstDifference}`);
        expect(failures).toEqual([]);
        expect(report.passed).toBe(n);
        // The faults really hit: most seeds restart at least once.
        const restarted = report.seeds.filter((s) => s.restarts > 0).length;
        expect(restarted).toBeGreaterThan(n / 2);
      },
      SLOW,
    );
  }

  it(
    'an exactly-once sink never shows duplicates; an at-least-once sink does, and they are counted',
    () => {
      const alo = verify(preset('click-count'), { seeds: seeds(1, 20), faults: 'random' });
      expect(alo.failed).toBe(0);
      expect(alo.seeds.reduce((s, v) => s + (v.sinks[0]?.duplicates ?? 0), 0)).toBeGreaterThan(0);
      const doc = preset('click-count');
      const ops = (doc.job as { operators: Record<string, unknown>[] }).operators;
      ops[2]!.delivery = 'exactly-once';
      const eo = verify(doc, { seeds: seeds(1, 20), faults: 'random' });
      expect(eo.failed).toBe(0);
      expect(eo.seeds.every((v) => v.sinks[0]!.duplicates === 0)).toBe(true);
    },
    SLOW,
  );
});

describe('verify: what breaks the guarantee', () => {
  it(
    'without checkpointing and with sources starting at the latest offsets, results are lost',
    () => {
      const doc = preset('rolling-sum');
      const cfg = doc.config as Record<string, unknown>;
      delete cfg['execution.checkpointing.interval'];
      cfg['restart-strategy.type'] = 'fixed-delay';
      cfg['restart-strategy.fixed-delay.attempts'] = '100';
      const ops = (doc.job as { operators: Record<string, unknown>[] }).operators;
      ops[0]!.startingOffsets = 'latest';
      const r = verify(doc, { seeds: seeds(1, 5), faults: 'random' });
      const restarted = r.seeds.filter((s) => s.restarts > 0);
      expect(restarted.length).toBeGreaterThan(0);
      for (const s of restarted) {
        expect(s.ok).toBe(false);
        expect(s.sinks[0]!.firstDifference).toMatch(/^missing/);
      }
    },
    SLOW,
  );

  it('without checkpointing the default restart strategy is none: the first failure fails the job', () => {
    const doc = preset('rolling-sum');
    delete (doc.config as Record<string, unknown>)['execution.checkpointing.interval'];
    doc.faults = [{ at: '2 s', kind: 'fail-task', target: 'sum#0' }];
    const r = createEngine(doc);
    if (!r.ok) throw new Error('invalid');
    r.engine.runUntil(10_000_000);
    expect(r.engine.runtime.status).toBe('FAILED');
    expect(r.engine.result().job.failure).toBe('Recovery is suppressed by NoRestartBackoffTimeStrategy');
  });

  it('AT_LEAST_ONCE checkpoints can count a record twice in state after a restore (reference 1.3)', () => {
    // The channel from one source subtask stalls, so its barrier reaches counter#0 3 s after the other one's; in
    // at-least-once mode the counter keeps processing the other input meanwhile and snapshots those records too.
    // Restored from that checkpoint, the source rewinds to before them and they are counted again.
    const run = (mode: string): number[] => {
      const doc = preset('click-count');
      doc.config = { ...(doc.config as Doc), 'execution.checkpointing.mode': mode };
      doc.faults = [
        { at: '3 s', kind: 'stall-channel', target: 'clicks#1->counter#0', duration: '3 s' },
        { at: '6090 ms', kind: 'fail-task', target: 'counter#0' }, // after checkpoint 4 completes, before 5 does
      ];
      const r = createEngine(doc);
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join());
      r.engine.runUntil(60_000_000);
      return (r.engine.sinkOutput().output?.committed ?? []).map((x) => x.count as number);
    };
    const exactly = run('EXACTLY_ONCE');
    expect(exactly.length).toBeGreaterThan(0);
    expect(exactly.every((c) => c === 1000)).toBe(true);
    const atLeast = run('AT_LEAST_ONCE');
    expect(atLeast.some((c) => c > 1000)).toBe(true);
    expect(atLeast.every((c) => c >= 1000)).toBe(true);
  });
});

describe('compareSink', () => {
  const a = { k: 'a', n: 1 };
  const b = { k: 'b', n: 2 };
  it('exactly-once: multiset equality, naming the first difference', () => {
    expect(compareSink('s', 'exactly-once', [a, b], [b, a]).ok).toBe(true);
    const dup = compareSink('s', 'exactly-once', [a, b], [a, b, b]);
    expect(dup.ok).toBe(false);
    expect(dup.duplicates).toBe(1);
    expect(dup.firstDifference).toMatch(/^duplicate/);
    const miss = compareSink('s', 'exactly-once', [a, b], [a]);
    expect(miss.missing).toBe(1);
  });
  it('at-least-once: every reference record present, duplicates allowed and counted', () => {
    const v = compareSink('s', 'at-least-once', [a, b], [a, a, b, b, b]);
    expect(v.ok).toBe(true);
    expect(v.duplicates).toBe(3);
    expect(compareSink('s', 'at-least-once', [a, b], [a, a]).ok).toBe(false);
    expect(compareSink('s', 'at-least-once', [a], [a, { k: 'c', n: 3 }]).ok).toBe(false);
  });
});

describe('what verify does once instead of per seed', () => {
  it(
    'seeds reading the same input share one failure-free run and get the verdicts of per-seed runs',
    () => {
      const opts = { faults: 'random' as const, inputSeconds: 8 };
      const shared = new Verifier(preset('click-count'), { ...opts, reference: 'shared' });
      const own = new Verifier(preset('click-count'), { ...opts, reference: 'per-seed' });
      const a = seeds(1, 6).map((s) => shared.verifySeed(s));
      const b = seeds(1, 6).map((s) => own.verifySeed(s));
      expect(a).toEqual(b);
      expect(a.every((v) => v.ok)).toBe(true);
      expect(shared.referenceRuns).toBe(1);
      expect(own.referenceRuns).toBe(6);
    },
    SLOW,
  );

  it('seeds whose generated records depend on the seed each get their own failure-free run', () => {
    const v = new Verifier(preset('rolling-sum'), { faults: 'random', inputSeconds: 4 });
    const bounded = boundedDoc(preset('rolling-sum'), 4);
    expect(v.inputKey(bounded, 1)).toBeNull();
    const click = new Verifier(preset('click-count'), { faults: 'random' });
    const cb = boundedDoc(preset('click-count'), 4);
    expect(click.inputKey(cb, 1)).not.toBeNull();
    expect(click.inputKey(cb, 2)).toBe(click.inputKey(cb, 1));
  });
});

describe('--input-skew: bounded inputs that end at different times', () => {
  it('shortens each topic by a seeded multiple of 10 % up to the skew', () => {
    const factors = new Set<number>();
    for (let seed = 1; seed <= 200; seed++) {
      for (const topic of ['fast', 'slow']) factors.add(skewFactor(seed, topic, 0.5));
    }
    expect([...factors].sort()).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(skewFactor(3, 'fast', 0)).toBe(1);
    const differ = seeds(1, 50).filter((s) => skewFactor(s, 'fast', 0.5) !== skewFactor(s, 'slow', 0.5));
    expect(differ.length).toBeGreaterThan(25);
  });

  it(
    'gives the topics of a seed different bounded lengths, and the job still matches its reference',
    () => {
      const doc = preset('union-two-speeds');
      const topics = Object.keys(doc.topics as Doc);
      expect(topics.length).toBe(2);
      const seed = seeds(1, 50).find(
        (s) => skewFactor(s, topics[0]!, 0.5) !== skewFactor(s, topics[1]!, 0.5),
      )!;
      const b = boundedDoc(doc, 10, {}, (t) => skewFactor(seed, t, 0.5));
      const counts = Object.values(
        b.topics as Record<string, { generator: { count: number; ratePerSecond: number } }>,
      ).map((t) => t.generator.count / t.generator.ratePerSecond);
      expect(counts[0]).not.toBe(counts[1]);
      const r = verify(doc, { seeds: [seed], faults: 'random', inputSeconds: 10, inputSkew: 0.5 });
      expect(r.seeds[0]!.error).toBeNull();
    },
    SLOW,
  );
});
