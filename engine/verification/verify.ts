/**
 * The exactly-once proof (issue: "Proof that it is exactly-once"): for each seed, run the scenario failure-free
 * and again with a seeded random fault schedule, both on bounded inputs so that both runs finish, and compare
 * every sink's committed output. Exactly-once and idempotent sinks must match the reference exactly (as a multiset:
 * the interleaving of parallel sink subtasks may differ); at-least-once sinks must contain every reference record
 * (duplicates allowed, and counted).
 */
import { createEngine, type Engine } from '../engine.ts';
import { RandomStream } from '../sim/random.ts';
import type { FaultKind, Row } from '../scenario/types.ts';
import { canonicalRow } from './canonicalRow.ts';

export { canonicalRow };

export interface VerifyOptions {
  seeds: readonly number[];
  faults: 'random' | 'none';
  /** Seconds of input per topic (generators are bounded to ratePerSecond x this). */
  inputSeconds?: number;
  /** Overrides of Flink config keys applied to every run. */
  config?: Record<string, string>;
}

export interface RawFault {
  at: string;
  kind: FaultKind;
  target: string;
  duration?: string;
  factor?: number;
  count?: number;
}

export interface SinkVerdict {
  id: string;
  delivery: string;
  reference: number;
  committed: number;
  duplicates: number;
  missing: number;
  unexpected: number;
  ok: boolean;
  firstDifference: string | null;
}

export interface SeedVerdict {
  seed: number;
  ok: boolean;
  faults: RawFault[];
  restarts: number;
  referenceStatus: string;
  status: string;
  sinks: SinkVerdict[];
  error: string | null;
}

export interface VerifyReport {
  passed: number;
  failed: number;
  seeds: SeedVerdict[];
}

type Doc = Record<string, unknown>;

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** Makes every generated topic bounded so that both runs finish (a bounded source ends with watermark +inf). */
export function boundedDoc(doc: Doc, inputSeconds: number, config: Record<string, string> = {}): Doc {
  const d = clone(doc);
  const topics = (d.topics ?? {}) as Record<string, { generator?: Record<string, unknown> }>;
  for (const t of Object.values(topics)) {
    const g = t.generator;
    if (!g) continue;
    const defaults: Record<string, number> = { clicks: 1000, keyed: 1000, text: 200 };
    const rate = typeof g.ratePerSecond === 'number' ? g.ratePerSecond : (defaults[String(g.kind)] ?? 1000);
    if (g.count === undefined || g.count === null) g.count = Math.max(1, Math.round(rate * inputSeconds));
  }
  d.config = { ...((d.config ?? {}) as Record<string, unknown>), ...config };
  d.faults = [];
  return d;
}

const RUN_LIMIT_US = 3_600_000_000; // one virtual hour: a run that has not finished by then failed to recover

function runToEnd(doc: Doc, seed: number): Engine {
  const r = createEngine(doc, { seed });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  r.engine.runUntil(RUN_LIMIT_US);
  return r.engine;
}

/** A seeded random fault schedule over the first 80 % of the reference run. */
export function randomFaults(engine: Engine, seed: number, endUs: number): RawFault[] {
  const rnd = new RandomStream(seed, 'verify-faults');
  const topo = engine.topology();
  const subtasks = topo.subtasks.map((s) => s.name);
  const n = rnd.int(1, 3);
  const out: RawFault[] = [];
  const latest = Math.max(600_000, Math.floor(endUs * 0.8));
  for (let i = 0; i < n; i++) {
    const at = rnd.int(500_000, latest);
    const roll = rnd.int(0, 99);
    const ms = (us: number): string => `${Math.floor(us / 1000)} ms`;
    if (roll < 40) {
      out.push({ at: ms(at), kind: 'fail-task', target: rnd.pick(subtasks) });
    } else if (roll < 65) {
      const tm = rnd.int(0, topo.taskManagers.length - 1);
      out.push({
        at: ms(at),
        kind: 'kill-taskmanager',
        target: `tm-${tm}`,
        duration: ms(rnd.int(500_000, 8_000_000)),
      });
    } else if (roll < 80) {
      out.push({
        at: ms(at),
        kind: 'fail-checkpoint-storage',
        target: 'checkpoint-storage',
        count: rnd.int(1, 2),
      });
    } else if (roll < 90) {
      out.push({
        at: ms(at),
        kind: 'slow-task',
        target: rnd.pick(subtasks),
        factor: rnd.int(2, 20),
        duration: ms(rnd.int(500_000, 5_000_000)),
      });
    } else {
      const ch = rnd.pick(topo.channels);
      const from = topo.subtasks[ch.from]?.name ?? '';
      const to = topo.subtasks[ch.to]?.name ?? '';
      out.push({
        at: ms(at),
        kind: 'stall-channel',
        target: `${from}->${to}`,
        duration: ms(rnd.int(200_000, 3_000_000)),
      });
    }
  }
  return out.sort((a, b) => parseInt(a.at) - parseInt(b.at));
}

function countRows(rows: readonly Row[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = canonicalRow(r);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export function compareSink(
  id: string,
  delivery: string,
  reference: readonly Row[],
  actual: readonly Row[],
): SinkVerdict {
  const ref = countRows(reference);
  const got = countRows(actual);
  let duplicates = 0;
  let missing = 0;
  let unexpected = 0;
  let firstDifference: string | null = null;
  const keys = [...new Set([...ref.keys(), ...got.keys()])].sort();
  for (const k of keys) {
    const a = ref.get(k) ?? 0;
    const b = got.get(k) ?? 0;
    if (b < a) {
      missing += a - b;
      firstDifference ??= `missing ${k} (reference has ${a}, got ${b})`;
    } else if (b > a) {
      if (a === 0) {
        unexpected += b;
        firstDifference ??= `unexpected ${k} (x${b}, not in the reference)`;
      } else {
        duplicates += b - a;
        if (delivery !== 'at-least-once') firstDifference ??= `duplicate ${k} (reference has ${a}, got ${b})`;
      }
    }
  }
  const ok =
    delivery === 'at-least-once'
      ? missing === 0 && unexpected === 0
      : missing + duplicates + unexpected === 0;
  return {
    id,
    delivery,
    reference: reference.length,
    committed: actual.length,
    duplicates,
    missing,
    unexpected,
    ok,
    firstDifference: ok ? null : firstDifference,
  };
}

export function verifySeed(doc: Doc, seed: number, opts: VerifyOptions): SeedVerdict {
  const bounded = boundedDoc(doc, opts.inputSeconds ?? 20, opts.config);
  let faults: RawFault[] = [];
  try {
    const reference = runToEnd(bounded, seed);
    if (!reference.isFinished() || reference.runtime.status !== 'FINISHED') {
      throw new Error(`the failure-free run did not finish (status ${reference.runtime.status})`);
    }
    faults = opts.faults === 'random' ? randomFaults(reference, seed, reference.now()) : [];
    const faulty = runToEnd({ ...bounded, faults }, seed);
    const refOut = reference.sinkOutput();
    const gotOut = faulty.sinkOutput();
    const sinks = reference.runtime.sinkOperators.map((s) =>
      compareSink(s.id, s.delivery, refOut[s.id]?.committed ?? [], gotOut[s.id]?.committed ?? []),
    );
    const finished = faulty.runtime.status === 'FINISHED';
    return {
      seed,
      ok: finished && sinks.every((s) => s.ok),
      faults,
      restarts: faulty.runtime.restarts,
      referenceStatus: reference.runtime.status,
      status: faulty.runtime.status,
      sinks,
      error: finished
        ? null
        : `the run with faults ended ${faulty.runtime.status}: ${faulty.runtime.failureMessage ?? faulty.failure ?? 'did not finish'}`,
    };
  } catch (e) {
    return {
      seed,
      ok: false,
      faults,
      restarts: 0,
      referenceStatus: '?',
      status: '?',
      sinks: [],
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

export function verify(doc: Doc, opts: VerifyOptions, onSeed?: (v: SeedVerdict) => void): VerifyReport {
  const seeds: SeedVerdict[] = [];
  for (const seed of opts.seeds) {
    const v = verifySeed(doc, seed, opts);
    seeds.push(v);
    onSeed?.(v);
  }
  const passed = seeds.filter((s) => s.ok).length;
  return { passed, failed: seeds.length - passed, seeds };
}
