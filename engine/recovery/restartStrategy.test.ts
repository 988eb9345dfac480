import { describe, expect, it } from 'vitest';
import { RandomStream } from '../sim/random.ts';
import {
  EXPONENTIAL_DELAY_DEFAULTS,
  INTEGER_MAX_VALUE,
  RESTART_STRATEGY_KEYS as K,
  RestartBackoffTimeStrategy,
  type RestartStrategyConfig,
  exponentialBaseBackoffUs,
  ineffectiveRestartStrategyKeys,
  javaDoubleToString,
  restartStrategyFromConfig,
  validateRestartStrategyConfig,
} from './restartStrategy.ts';

const S = 1_000_000;
const MS = 1_000;
const MIN = 60 * S;

type Exp = Extract<RestartStrategyConfig, { type: 'exponential-delay' }>;
const exp = (over: Partial<Exp> = {}): Exp => ({
  type: 'exponential-delay',
  ...EXPONENTIAL_DELAY_DEFAULTS,
  ...over,
});

/** Notifies a failure and returns [isNewAttempt, canRestart, backoff] like Flink's ExecutionFailureHandler. */
function fail(s: RestartBackoffTimeStrategy, at: number): [boolean, boolean, number] {
  const isNew = s.notifyFailure(at, 'boom');
  const can = s.canRestart();
  return [isNew, can, can ? s.getBackoffTimeUs() : -1];
}

describe('none', () => {
  it('fails the job at the first failure with NoRestartBackoffTimeStrategy', () => {
    const s = new RestartBackoffTimeStrategy({ type: 'none' });
    expect(fail(s, 5 * S)).toEqual([true, false, -1]);
    expect(s.failureMessage()).toBe('Recovery is suppressed by NoRestartBackoffTimeStrategy');
    expect(s.getBackoffTimeUs()).toBe(0);
  });
});

describe('fixed-delay', () => {
  it('attempts = 3: three restarts after the delay, the 4th failure fails the job', () => {
    const s = new RestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 3, delayUs: 10 * S });
    expect(fail(s, 1 * S)).toEqual([true, true, 10 * S]);
    expect(fail(s, 20 * S)).toEqual([true, true, 10 * S]);
    expect(fail(s, 40 * S)).toEqual([true, true, 10 * S]);
    expect(s.attempts()).toBe(3);
    expect(fail(s, 60 * S)).toEqual([true, false, -1]);
    expect(s.attempts()).toBe(4);
    expect(s.failureMessage()).toBe(
      'Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=3, backoffTimeMS=10000)',
    );
  });

  it('attempts = 0 fails at once; failures far apart still count (no reset)', () => {
    expect(fail(new RestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 0, delayUs: S }), 0)[1]).toBe(
      false,
    );
    const s = new RestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 1, delayUs: S });
    expect(fail(s, 0)[1]).toBe(true);
    expect(fail(s, 1000 * 3600 * S)[1]).toBe(false);
  });
});

describe('failure-rate (Flink 1.13+: N restarts per interval, FLINK-20752)', () => {
  const rate = (n: number): RestartBackoffTimeStrategy =>
    new RestartBackoffTimeStrategy({
      type: 'failure-rate',
      maxFailuresPerInterval: n,
      failureRateIntervalUs: MIN,
      delayUs: 2 * S,
    });

  it('N = 3, 1 min: 3 failures within a minute restart, the 4th within the minute fails the job', () => {
    const s = rate(3);
    expect(fail(s, 0)).toEqual([true, true, 2 * S]);
    expect(fail(s, 10 * S)).toEqual([true, true, 2 * S]);
    expect(fail(s, 20 * S)).toEqual([true, true, 2 * S]);
    expect(s.attempts()).toBe(3);
    expect(fail(s, 30 * S)).toEqual([true, false, -1]);
    expect(s.attempts()).toBe(4);
    expect(s.failureMessage()).toBe(
      'Recovery is suppressed by FailureRateRestartBackoffTimeStrategy(FailureRateRestartBackoffTimeStrategy(' +
        'failuresIntervalMS=60000,backoffTimeMS=2000,maxFailuresPerInterval=3)',
    );
  });

  it('N = 3: failures spaced so that no 4 fall within one minute never fail the job', () => {
    const s = rate(3);
    for (let i = 0; i < 50; i++) expect(fail(s, i * 21 * S)[1]).toBe(true);
  });

  it('the interval is inclusive: 4 failures spanning exactly one minute fail, one µs more do not', () => {
    const a = rate(3);
    for (const t of [0, 20 * S, 40 * S]) fail(a, t);
    expect(fail(a, 60 * S)[1]).toBe(false);
    const b = rate(3);
    for (const t of [0, 20 * S, 40 * S]) fail(b, t);
    expect(fail(b, 60 * S + 1)[1]).toBe(true);
  });

  it('N = 1: the first failure restarts, a second one within the interval fails the job', () => {
    const s = rate(1);
    expect(fail(s, 0)[1]).toBe(true);
    expect(fail(s, MIN)[1]).toBe(false);
    const spaced = rate(1);
    for (let i = 0; i < 10; i++) expect(fail(spaced, i * (MIN + 1))[1]).toBe(true);
  });
});

describe('exponential-delay', () => {
  it('backoff 1 s, 1.5 s, 2.25 s ... capped at 1 min (jitter 0), one attempt per failure', () => {
    const s = new RestartBackoffTimeStrategy(exp({ jitterFactor: 0 }));
    const seen: number[] = [];
    let t = 10 * S;
    for (let i = 0; i < 14; i++) {
      const [isNew, can, backoff] = fail(s, t);
      expect([isNew, can]).toEqual([true, true]);
      seen.push(backoff);
      t += backoff + 1; // fail again right after the restart: no merge, no reset
    }
    expect(seen).toEqual([
      1_000_000, 1_500_000, 2_250_000, 3_375_000, 5_062_500, 7_593_750, 11_390_625,
      // from here one µs rounding per step (1 s * 1.5^7 = 17 085 937.5 µs)
      17_085_938, 25_628_907, 38_443_361, 57_665_042, 60_000_000, 60_000_000, 60_000_000,
    ]);
    expect(s.attempts()).toBe(14);
    // The pure helper gives the same bases.
    for (let k = 0; k < 11; k++) expect(exponentialBaseBackoffUs(S, 1.5, k)).toBe(seen[k]);
    expect(exponentialBaseBackoffUs(S, 1.5, 1_000_000)).toBe(2 ** 50);
  });

  it('merges failures up to the pending restart into one attempt, with the remaining time as backoff', () => {
    // Port of Flink's testMergeMultipleExceptionsIntoOneAttempt (ms -> µs): initial 2, x2, max 6, 3 attempts.
    const s = new RestartBackoffTimeStrategy(
      exp({
        initialBackoffUs: 2 * MS,
        maxBackoffUs: 6 * MS,
        backoffMultiplier: 2,
        resetBackoffThresholdUs: 80 * MS,
        jitterFactor: 0,
        attemptsBeforeResetBackoff: 3,
      }),
    );
    let t = 0;
    for (const expected of [2 * MS, 4 * MS, 6 * MS]) {
      for (let dt = 0; dt < expected; dt += MS) {
        for (let i = 0; i < 3; i++) {
          expect(s.notifyFailure(t, 'x')).toBe(dt === 0 && i === 0);
          expect(s.canRestart()).toBe(true);
          expect(s.getBackoffTimeUs()).toBe(expected - dt);
        }
        t += MS;
      }
      expect(s.notifyFailure(t, 'x')).toBe(false); // t == nextRestartTimestamp: still merged
      t += MS;
    }
    expect(s.attempts()).toBe(3);
    expect(s.notifyFailure(t, 'x')).toBe(true);
    expect(s.canRestart()).toBe(false);
    expect(s.failureMessage()).toBe(
      'Recovery is suppressed by ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=2, maxBackoffMS=6, ' +
        'backoffMultiplier=2.0, resetBackoffThresholdMS=80, jitterFactor=0.0, attemptsBeforeResetBackoff=3, ' +
        `currentRestartAttempt=4, nextRestartTimestamp=${t / MS + 6})`,
    );
  });

  it('resets the attempt counter when a failure comes reset-threshold after the pending restart', () => {
    const s = new RestartBackoffTimeStrategy(exp({ jitterFactor: 0, resetBackoffThresholdUs: 10 * MIN }));
    fail(s, 0); // restart at 1 s
    fail(s, 2 * S); // restart at 3.5 s
    expect(fail(s, 4 * S)).toEqual([true, true, 2_250_000]); // restart at 6.25 s
    // threshold - 1 µs after the pending restart: no reset
    expect(fail(s, 6_250_000 + 10 * MIN - 1)).toEqual([true, true, 3_375_000]);
    expect(s.attempts()).toBe(4);
    const next = 6_250_000 + 10 * MIN - 1 + 3_375_000;
    // exactly threshold after: reset to the initial backoff, attempt 1
    expect(fail(s, next + 10 * MIN)).toEqual([true, true, S]);
    expect(s.attempts()).toBe(1);
    expect(fail(s, next + 10 * MIN + 2 * S)).toEqual([true, true, 1_500_000]);
  });

  it('attempts-before-reset-backoff: that many restarts, then the job fails; a reset gives them back', () => {
    const s = new RestartBackoffTimeStrategy(exp({ jitterFactor: 0, attemptsBeforeResetBackoff: 2 }));
    expect(fail(s, 0)[1]).toBe(true);
    expect(fail(s, 10 * S)[1]).toBe(true);
    expect(fail(s, 20 * S)[1]).toBe(false);
    const r = new RestartBackoffTimeStrategy(exp({ jitterFactor: 0, attemptsBeforeResetBackoff: 2 }));
    fail(r, 0);
    fail(r, 10 * S);
    expect(fail(r, 20 * S + 3600 * S)).toEqual([true, true, S]);
  });

  it('jitter stays within +-floor(base * factor) around the un-capped base, then the caps apply', () => {
    const rnd = new RandomStream(7, 'jitter');
    // Port of Flink's testJitter (ms -> µs): initial 2, max 7, x2, jitter 0.25.
    const after = (failures: number): number => {
      const s = new RestartBackoffTimeStrategy(
        exp({ initialBackoffUs: 2 * MS, maxBackoffUs: 7 * MS, backoffMultiplier: 2, jitterFactor: 0.25 }),
        rnd,
      );
      for (let i = 0; i < failures; i++) s.notifyFailure(i * 100 * MS, 'x');
      return s.getBackoffTimeUs();
    };
    const second = Array.from({ length: 300 }, () => after(2)); // base 4 ms, jitter +-1 ms
    expect(Math.min(...second)).toBeGreaterThanOrEqual(3 * MS);
    expect(Math.max(...second)).toBeLessThanOrEqual(5 * MS);
    expect(new Set(second).size).toBeGreaterThan(100);
    const third = Array.from({ length: 300 }, () => after(3)); // base 8 ms +-2 ms, capped at 7 ms
    expect(Math.min(...third)).toBeGreaterThanOrEqual(6 * MS);
    expect(Math.max(...third)).toBe(7 * MS);
    expect(new Set(Array.from({ length: 50 }, () => after(4)))).toEqual(new Set([7 * MS]));

    // jitter 1 (Flink's testJitterNoHigherThanMax): base 4 ms +-4 ms is clamped to [initial, max].
    const wide = Array.from({ length: 300 }, () => {
      const s = new RestartBackoffTimeStrategy(
        exp({ initialBackoffUs: MS, maxBackoffUs: 7 * MS, backoffMultiplier: 2, jitterFactor: 1 }),
        rnd,
      );
      for (let i = 0; i < 3; i++) s.notifyFailure(i * 100 * MS, 'x');
      return s.getBackoffTimeUs();
    });
    expect(Math.min(...wide)).toBe(MS);
    expect(Math.max(...wide)).toBe(7 * MS);
  });

  it('default jitter 0.1: every backoff within bounds, the same seed gives the same sequence', () => {
    const run = (seed: number): number[] => {
      const s = new RestartBackoffTimeStrategy(exp(), new RandomStream(seed, 'jitter'));
      const out: number[] = [];
      let t = 0;
      for (let k = 0; k < 15; k++) {
        const [, can, backoff] = fail(s, t);
        expect(can).toBe(true);
        const base = exponentialBaseBackoffUs(S, 1.5, k);
        const off = Math.floor(base * 0.1);
        expect(backoff).toBeGreaterThanOrEqual(Math.max(S, Math.min(base - off, MIN)));
        expect(backoff).toBeLessThanOrEqual(Math.min(base + off, MIN));
        out.push(backoff);
        t += backoff + 1;
      }
      return out;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    expect(a.slice(0, 11).some((b, k) => b !== exponentialBaseBackoffUs(S, 1.5, k))).toBe(true);
  });

  it('merged failures draw no jitter; jitterFactor 0 never touches the random source', () => {
    let draws = 0;
    const counting = {
      int: (min: number): number => {
        draws++;
        return min;
      },
    };
    const s = new RestartBackoffTimeStrategy(exp(), counting);
    s.notifyFailure(0, 'x');
    s.notifyFailure(10, 'x');
    s.notifyFailure(S, 'x');
    expect(draws).toBe(1);
    const z = new RestartBackoffTimeStrategy(exp({ jitterFactor: 0 }), counting);
    z.notifyFailure(0, 'x');
    expect(draws).toBe(1);
    expect(() => new RestartBackoffTimeStrategy(exp())).toThrow(/RandomSource/);
  });

  it('describe() before any failure prints Flink defaults and nextRestartTimestamp=Integer.MIN_VALUE', () => {
    const s = new RestartBackoffTimeStrategy(exp(), new RandomStream(1, 'jitter'));
    expect(s.describe()).toBe(
      'ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=1000, maxBackoffMS=60000, ' +
        'backoffMultiplier=1.5, resetBackoffThresholdMS=3600000, jitterFactor=0.1, ' +
        'attemptsBeforeResetBackoff=2147483647, currentRestartAttempt=0, nextRestartTimestamp=-2147483648)',
    );
    expect(() => s.getBackoffTimeUs()).toThrow('Please call notifyFailure first.');
  });
});

describe('snapshot / restore', () => {
  it('a restored strategy continues exactly like the original (with the random stream in the same state)', () => {
    const reference = new RestartBackoffTimeStrategy(exp(), new RandomStream(9, 'jitter'));
    const stream = new RandomStream(9, 'jitter');
    const forked = new RestartBackoffTimeStrategy(exp(), stream);
    const times = [0, 5 * S, 6 * S, 20 * S, 40 * S, 41 * S, 90 * S, 200 * S, 4000 * S, 4001 * S];
    const expected = times.map((t) => fail(reference, t));
    const got = times.slice(0, 5).map((t) => fail(forked, t));
    const snap = JSON.parse(JSON.stringify(forked.snapshot())) as ReturnType<typeof forked.snapshot>;
    // The engine snapshots its random streams itself; hand the same stream to the restored strategy.
    const restored = new RestartBackoffTimeStrategy(exp(), stream);
    restored.restore(snap);
    got.push(...times.slice(5).map((t) => fail(restored, t)));
    expect(got).toEqual(expected);
    expect(restored.describe()).toBe(reference.describe());
  });

  it('failure-rate and fixed-delay state round-trips; mismatched snapshots are refused', () => {
    const cfg: RestartStrategyConfig = {
      type: 'failure-rate',
      maxFailuresPerInterval: 2,
      failureRateIntervalUs: MIN,
      delayUs: S,
    };
    const a = new RestartBackoffTimeStrategy(cfg);
    fail(a, 0);
    fail(a, 10 * S);
    const b = new RestartBackoffTimeStrategy(cfg);
    b.restore(a.snapshot());
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(fail(b, 20 * S)[1]).toBe(false);
    expect(fail(a, 20 * S)[1]).toBe(false);
    const f = new RestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 1, delayUs: 0 });
    expect(() => f.restore(a.snapshot())).toThrow(/failure-rate/);
    expect(() => b.restore({ ...a.snapshot(), failureTimestampsUs: [1, 2, 3, 4] })).toThrow(/malformed/);
  });

  it('refuses time going backwards', () => {
    const s = new RestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 5, delayUs: 0 });
    s.notifyFailure(10, 'x');
    expect(() => s.notifyFailure(9, 'x')).toThrow(/backwards/);
  });
});

describe('restartStrategyFromConfig', () => {
  const cfg = (values: Record<string, unknown>) => ({
    get: (k: string): unknown => values[k] ?? null,
    set: (k: string): boolean => k in values,
  });

  it('type unset: none without checkpointing, exponential-delay with its 1.19+ defaults with checkpointing', () => {
    const c = cfg({});
    expect(restartStrategyFromConfig(c.get, false, c.set)).toEqual({ type: 'none' });
    expect(restartStrategyFromConfig(c.get, true, c.set)).toEqual({
      type: 'exponential-delay',
      initialBackoffUs: S,
      maxBackoffUs: MIN,
      backoffMultiplier: 1.5,
      resetBackoffThresholdUs: 3600 * S,
      jitterFactor: 0.1,
      attemptsBeforeResetBackoff: INTEGER_MAX_VALUE,
    });
  });

  it('a derived (not explicit) type value is ignored; the explicit type wins over checkpointing', () => {
    const derived = { get: (k: string): unknown => (k === K.type ? 'fixed-delay' : null), set: () => false };
    expect(restartStrategyFromConfig(derived.get, false, derived.set)).toEqual({ type: 'none' });
    const c = cfg({ [K.type]: 'none' });
    expect(restartStrategyFromConfig(c.get, true, c.set)).toEqual({ type: 'none' });
  });

  it('reads each strategy from its keys, accepting Flink spellings; missing options take Flink defaults', () => {
    const fixed = cfg({ [K.type]: 'FixedDelay', [K.fixedDelayAttempts]: 3, [K.fixedDelayDelay]: 10 * S });
    expect(restartStrategyFromConfig(fixed.get, true, fixed.set)).toEqual({
      type: 'fixed-delay',
      attempts: 3,
      delayUs: 10 * S,
    });
    const rate = cfg({ [K.type]: 'failure-rate', [K.failureRateMaxFailures]: 3 });
    expect(restartStrategyFromConfig(rate.get, false, rate.set)).toEqual({
      type: 'failure-rate',
      maxFailuresPerInterval: 3,
      failureRateIntervalUs: MIN,
      delayUs: S,
    });
    const e = cfg({
      [K.type]: 'exponential-delay',
      [K.expInitialBackoff]: 2 * S,
      [K.expMaxBackoff]: 30 * S,
      [K.expBackoffMultiplier]: 2,
      [K.expResetBackoffThreshold]: 10 * MIN,
      [K.expJitterFactor]: 0,
      [K.expAttempts]: 5,
    });
    expect(restartStrategyFromConfig(e.get, false, e.set)).toEqual({
      type: 'exponential-delay',
      initialBackoffUs: 2 * S,
      maxBackoffUs: 30 * S,
      backoffMultiplier: 2,
      resetBackoffThresholdUs: 10 * MIN,
      jitterFactor: 0,
      attemptsBeforeResetBackoff: 5,
    });
    const off = cfg({ [K.type]: 'off' });
    expect(restartStrategyFromConfig(off.get, true, off.set)).toEqual({ type: 'none' });
  });

  it('exponential-delay options without the type are ignored (as Flink) and reported as ineffective', () => {
    const c = cfg({ [K.expMaxBackoff]: 5 * MIN, [K.fixedDelayAttempts]: 4 });
    const eff = restartStrategyFromConfig(c.get, true, c.set);
    expect(eff).toEqual(exp());
    expect(ineffectiveRestartStrategyKeys(eff, c.set)).toEqual([K.fixedDelayAttempts, K.expMaxBackoff]);
    const d = cfg({ [K.type]: 'fixed-delay', [K.fixedDelayAttempts]: 4, [K.failureRateDelay]: S });
    expect(ineffectiveRestartStrategyKeys(restartStrategyFromConfig(d.get, true, d.set), d.set)).toEqual([
      K.failureRateDelay,
    ]);
  });

  it("throws Flink's messages for unknown types and invalid options", () => {
    const bad = cfg({ [K.type]: 'sometimes' });
    expect(() => restartStrategyFromConfig(bad.get, true, bad.set)).toThrow(
      'Unknown restart strategy sometimes.',
    );
    const mult = cfg({ [K.type]: 'exponential-delay', [K.expBackoffMultiplier]: 1 });
    expect(() => restartStrategyFromConfig(mult.get, true, mult.set)).toThrow(
      'Backoff multiplier must be greater than 1.',
    );
    expect(() => validateRestartStrategyConfig(exp({ initialBackoffUs: 2 * MIN }))).toThrow(
      'Initial backoff cannot be higher than maximum backoff.',
    );
    expect(() => validateRestartStrategyConfig({ type: 'fixed-delay', attempts: -1, delayUs: 0 })).toThrow(
      'Maximum number of restart attempts must be at least 0.',
    );
    expect(() =>
      validateRestartStrategyConfig({
        type: 'failure-rate',
        maxFailuresPerInterval: 0,
        failureRateIntervalUs: MIN,
        delayUs: 0,
      }),
    ).toThrow('Maximum number of restart attempts per time unit must be greater than 0.');
    const frac = cfg({ [K.type]: 'fixed-delay', [K.fixedDelayAttempts]: 1.5 });
    expect(() => restartStrategyFromConfig(frac.get, true, frac.set)).toThrow(/integer/);
  });
});

describe('javaDoubleToString', () => {
  it("prints doubles as Java's Double.toString", () => {
    expect([1.5, 2, 0, 0.1, 1, 1e-4, 1e7, 12345.678].map(javaDoubleToString)).toEqual([
      '1.5',
      '2.0',
      '0.0',
      '0.1',
      '1.0',
      '1.0E-4',
      '1.0E7',
      '12345.678',
    ]);
  });
});
