/**
 * The exactly-once proof (issue: "Proof that it is exactly-once"): for each seed, run the scenario failure-free
 * and again with a seeded random fault schedule, both on bounded inputs so that both runs finish, and compare
 * every sink's committed output. Exactly-once and idempotent sinks must match the reference exactly (as a multiset:
 * the interleaving of parallel sink subtasks may differ); at-least-once sinks must contain every reference record
 * (duplicates allowed, and counted).
 */
import { createInputTopic } from '../connectors/topic.ts';
import { createEngine, type Engine } from '../engine.ts';
import type { Topology } from '../protocol.ts';
import { validateScenario } from '../scenario/index.ts';
import type { FaultKind, Generator, Row, Scenario } from '../scenario/types.ts';
import { RandomStream } from '../sim/random.ts';
import { canonicalRow } from './canonicalRow.ts';

export { canonicalRow };

export interface VerifyOptions {
  seeds: readonly number[];
  faults: 'random' | 'none';
  /** Seconds of input per topic (generators are bounded to ratePerSecond x this). */
  inputSeconds?: number;
  /** Overrides of Flink config keys applied to every run. */
  config?: Record<string, string>;
  /**
   * Bounded inputs that end at different times: 0 (default) gives every topic `inputSeconds` of input; s in
   * (0, 0.9] shortens each topic by a seeded multiple of 10 % up to s (per seed and topic), so with several
   * topics one input finishes while the others still run (FLIP-147 finished tasks).
   */
  inputSkew?: number;
  /**
   * 'shared' (default): seeds whose bounded inputs are record for record identical share one failure-free run;
   * a seed that fails against a shared run is checked again against its own before it is reported.
   * 'per-seed': one failure-free run per seed.
   */
  reference?: 'shared' | 'per-seed';
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

/**
 * Makes every generated topic bounded so that both runs finish (a bounded source ends with watermark +inf).
 * `lengthFactor(topic)` scales a topic's input (the --input-skew variant); 1 for every topic by default.
 */
export function boundedDoc(
  doc: Doc,
  inputSeconds: number,
  config: Record<string, string> = {},
  lengthFactor: (topic: string) => number = () => 1,
): Doc {
  const d = clone(doc);
  const topics = (d.topics ?? {}) as Record<string, { generator?: Record<string, unknown> }>;
  for (const [name, t] of Object.entries(topics)) {
    const g = t.generator;
    if (!g) continue;
    const defaults: Record<string, number> = { clicks: 1000, keyed: 1000, text: 200 };
    const rate = typeof g.ratePerSecond === 'number' ? g.ratePerSecond : (defaults[String(g.kind)] ?? 1000);
    if (g.count === undefined || g.count === null) {
      g.count = Math.max(1, Math.round(rate * inputSeconds * lengthFactor(name)));
    }
  }
  d.config = { ...((d.config ?? {}) as Record<string, unknown>), ...config };
  d.faults = [];
  return d;
}

const RUN_LIMIT_US = 3_600_000_000; // one virtual hour: a run that has not finished by then failed to recover

function runToEnd(doc: Doc, seed: number): Engine {
  const r = createEngine(doc, { seed, timeTravel: false });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  r.engine.runUntil(RUN_LIMIT_US);
  return r.engine;
}

/** runToEnd awaiting real I/O (the IndexedDB state backend). */
async function runToEndAsync(doc: Doc, seed: number): Promise<Engine> {
  const r = createEngine(doc, { seed, timeTravel: false });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  await r.engine.runUntilAsync(RUN_LIMIT_US);
  return r.engine;
}

/** The seeded fraction of its input a topic keeps under --input-skew `skew` (1, 0.9, ... down to 1 - skew). */
export function skewFactor(seed: number, topic: string, skew: number): number {
  const steps = Math.round(Math.min(0.9, Math.max(0, skew)) * 10);
  if (steps === 0) return 1;
  return (10 - new RandomStream(seed, `verify-skew/${topic}`).int(0, steps)) / 10;
}

/** A seeded random fault schedule over the first 80 % of the reference run. */
export function randomFaults(
  engine: Pick<Engine, 'topology'> | Topology,
  seed: number,
  endUs: number,
): RawFault[] {
  const rnd = new RandomStream(seed, 'verify-faults');
  const topo = 'topology' in engine ? engine.topology() : engine;
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
  return compareCounts(id, delivery, countRows(reference), reference.length, actual);
}

/** compareSink with the reference already counted (a shared reference is counted once). */
function compareCounts(
  id: string,
  delivery: string,
  ref: ReadonlyMap<string, number>,
  referenceLength: number,
  actual: readonly Row[],
): SinkVerdict {
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
    reference: referenceLength,
    committed: actual.length,
    duplicates,
    missing,
    unexpected,
    ok,
    firstDifference: ok ? null : firstDifference,
  };
}

/** What a seed's check needs from a failure-free run (kept instead of the run itself, so it can be shared). */
interface Reference {
  seed: number;
  endUs: number;
  status: string;
  topology: Topology;
  sinks: { id: string; delivery: string; length: number; counts: Map<string, number> }[];
}

/** At most this many failure-free runs are kept for sharing (distinct inputs, e.g. under --input-skew). */
const REFERENCE_CACHE = 64;

/**
 * Whether the records of a generated topic may depend on the seed. The generated topics derive all seeded
 * variation (uniform keys, values, users, out-of-orderness) from one salt field; this generates every record of
 * the bounded topic once and watches that field. Without such a field, the answer is "may" (never shared).
 */
function readsSeed(name: string, partitions: number, generator: Generator, seed: number): boolean {
  const topic = createInputTopic(name, partitions, generator, seed);
  const watched = topic as unknown as { salt?: unknown };
  if (typeof watched.salt !== 'number') return true;
  const salt = watched.salt;
  let read = false;
  Object.defineProperty(topic, 'salt', {
    get: () => {
      read = true;
      return salt;
    },
  });
  for (let p = 0; p < topic.partitions && !read; p++) {
    const size = topic.partitionSize(p);
    if (!Number.isFinite(size)) return true;
    for (let o = 0; o < size && !read; o++) {
      topic.row(p, o);
      topic.timestamp(p, o);
      topic.appendTime(p, o);
    }
  }
  return read;
}

/**
 * Runs the check seed by seed. Everything that does not depend on the seed is done once: the bounded scenario,
 * its validation, and (reference 'shared') the failure-free run of every distinct input.
 */
export class Verifier {
  private readonly base: Doc | null;
  private readonly references = new Map<string, Reference>();
  private baseScenario: Scenario | null = null;
  /** Whether a topic's records depend on the seed, by topic name, partitions and generator. */
  private readonly seededTopics = new Map<string, boolean>();
  /** Failure-free runs actually executed (the rest were shared). */
  referenceRuns = 0;

  constructor(
    private readonly doc: Doc,
    private readonly opts: Omit<VerifyOptions, 'seeds'>,
  ) {
    this.base = (opts.inputSkew ?? 0) > 0 ? null : this.bounded(0);
  }

  private bounded(seed: number): Doc {
    const skew = this.opts.inputSkew ?? 0;
    return boundedDoc(this.doc, this.opts.inputSeconds ?? 20, this.opts.config, (topic) =>
      skewFactor(seed, topic, skew),
    );
  }

  /**
   * Identity of a seed's input: the bounded topics' generators, when no generated record depends on the seed
   * (then every seed reads the same input, record for record). Null when the input differs per seed or the
   * scenario does not validate: such seeds get their own failure-free run.
   */
  inputKey(bounded: Doc, seed: number): string | null {
    let scenario = bounded === this.base ? this.baseScenario : null;
    if (scenario === null) {
      const v = validateScenario({ ...bounded, seed });
      if (!v.ok) return null;
      scenario = v.scenario;
      if (bounded === this.base) this.baseScenario = scenario;
    }
    const parts: string[] = [];
    for (const t of scenario.topics) {
      if (!t.generator) continue;
      const signature = JSON.stringify([t.name, t.partitions, t.generator]);
      let seeded = this.seededTopics.get(signature);
      if (seeded === undefined) {
        seeded = readsSeed(t.name, t.partitions, t.generator, seed);
        this.seededTopics.set(signature, seeded);
      }
      if (seeded) return null;
      parts.push(signature);
    }
    return parts.join('|');
  }

  private runReference(bounded: Doc, seed: number): Reference {
    return this.reference(runToEnd(bounded, seed), seed);
  }

  private reference(reference: Engine, seed: number): Reference {
    this.referenceRuns++;
    if (!reference.isFinished() || reference.runtime.status !== 'FINISHED') {
      throw new Error(`the failure-free run did not finish (status ${reference.runtime.status})`);
    }
    const out = reference.sinkOutput();
    return {
      seed,
      endUs: reference.now(),
      status: reference.runtime.status,
      topology: reference.topology(),
      sinks: reference.runtime.sinkOperators.map((s) => {
        const rows = out[s.id]?.committed ?? [];
        return { id: s.id, delivery: s.delivery, length: rows.length, counts: countRows(rows) };
      }),
    };
  }

  private check(bounded: Doc, seed: number, ref: Reference, faults: RawFault[]): SeedVerdict {
    return this.verdict(runToEnd({ ...bounded, faults }, seed), seed, ref, faults);
  }

  private verdict(faulty: Engine, seed: number, ref: Reference, faults: RawFault[]): SeedVerdict {
    const gotOut = faulty.sinkOutput();
    const sinks = ref.sinks.map((s) =>
      compareCounts(s.id, s.delivery, s.counts, s.length, gotOut[s.id]?.committed ?? []),
    );
    const finished = faulty.runtime.status === 'FINISHED';
    return {
      seed,
      ok: finished && sinks.every((s) => s.ok),
      faults,
      restarts: faulty.runtime.restarts,
      referenceStatus: ref.status,
      status: faulty.runtime.status,
      sinks,
      error: finished
        ? null
        : `the run with faults ended ${faulty.runtime.status}: ${faulty.runtime.failureMessage ?? faulty.failure ?? 'did not finish'}`,
    };
  }

  /**
   * The window faults are drawn from: the bounded input's length plus the final checkpoint's wait (FLIP-147, at
   * most one checkpoint interval), capped by the failure-free run's end. It depends on the input only, so seeds that
   * share a failure-free run get the same schedule as with their own.
   */
  private schedule(ref: Reference, seed: number, bounded: Doc): RawFault[] {
    if (this.opts.faults !== 'random') return [];
    let inputUs = 0;
    const topics = (bounded.topics ?? {}) as Record<string, { generator?: Record<string, unknown> }>;
    for (const t of Object.values(topics)) {
      const g = t.generator;
      if (!g || typeof g.count !== 'number') continue;
      const defaults: Record<string, number> = { clicks: 1000, keyed: 1000, text: 200 };
      const rate = typeof g.ratePerSecond === 'number' ? g.ratePerSecond : (defaults[String(g.kind)] ?? 1000);
      inputUs = Math.max(inputUs, Math.ceil((g.count / rate) * 1_000_000));
    }
    const endUs = inputUs > 0 ? inputUs + 1_000_000 : ref.endUs;
    return randomFaults(ref.topology, seed, endUs);
  }

  verifySeed(seed: number): SeedVerdict {
    let faults: RawFault[] = [];
    try {
      const bounded = this.base ?? this.bounded(seed);
      const key = this.opts.reference === 'per-seed' ? null : this.inputKey(bounded, seed);
      let ref = key === null ? undefined : this.references.get(key);
      const shared = ref !== undefined;
      if (ref === undefined) {
        ref = this.runReference(bounded, seed);
        if (key !== null) {
          if (this.references.size >= REFERENCE_CACHE) {
            const oldest = this.references.keys().next();
            if (!oldest.done) this.references.delete(oldest.value);
          }
          this.references.set(key, ref);
        }
      }
      faults = this.schedule(ref, seed, bounded);
      const verdict = this.check(bounded, seed, ref, faults);
      if (verdict.ok || !shared) return verdict;
      // A failure is only reported against the seed's own failure-free run (and its fault schedule).
      const own = this.runReference(bounded, seed);
      faults = this.schedule(own, seed, bounded);
      return this.check(bounded, seed, own, faults);
    } catch (e) {
      return errorVerdict(seed, faults, e);
    }
  }

  /**
   * verifySeed awaiting real I/O (the IndexedDB state backend). The failure-free reference runs on the memory
   * backend, which computes the same output (state/lsm/presets.test.ts).
   */
  async verifySeedAsync(seed: number): Promise<SeedVerdict> {
    let faults: RawFault[] = [];
    try {
      const bounded = this.base ?? this.bounded(seed);
      const key = this.opts.reference === 'per-seed' ? null : this.inputKey(bounded, seed);
      let ref = key === null ? undefined : this.references.get(key);
      const shared = ref !== undefined;
      const referenceOf = (): Reference => this.reference(runToEnd(onMemoryBackend(bounded), seed), seed);
      if (ref === undefined) {
        ref = referenceOf();
        if (key !== null) {
          if (this.references.size >= REFERENCE_CACHE) {
            const oldest = this.references.keys().next();
            if (!oldest.done) this.references.delete(oldest.value);
          }
          this.references.set(key, ref);
        }
      }
      faults = this.schedule(ref, seed, bounded);
      const verdict = this.verdict(await runToEndAsync({ ...bounded, faults }, seed), seed, ref, faults);
      if (verdict.ok || !shared) return verdict;
      const own = referenceOf();
      faults = this.schedule(own, seed, bounded);
      return this.verdict(await runToEndAsync({ ...bounded, faults }, seed), seed, own, faults);
    } catch (e) {
      return errorVerdict(seed, faults, e);
    }
  }
}

function errorVerdict(seed: number, faults: RawFault[], e: unknown): SeedVerdict {
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

/** The scenario on the memory backend (same output as on IndexedDB, computed synchronously). */
function onMemoryBackend(doc: Doc): Doc {
  const config = { ...((doc.config ?? {}) as Record<string, unknown>) };
  for (const k of Object.keys(config)) {
    if (k === 'state.backend.type' || k === 'state.backend' || k.endsWith('incremental')) delete config[k];
  }
  return { ...doc, config };
}

export function verifySeed(doc: Doc, seed: number, opts: Omit<VerifyOptions, 'seeds'>): SeedVerdict {
  return new Verifier(doc, { ...opts, reference: 'per-seed' }).verifySeed(seed);
}

/** The report of `verdicts` (in the order given). */
export function summarize(verdicts: SeedVerdict[]): VerifyReport {
  const passed = verdicts.filter((s) => s.ok).length;
  return { passed, failed: verdicts.length - passed, seeds: verdicts };
}

export function verify(doc: Doc, opts: VerifyOptions, onSeed?: (v: SeedVerdict) => void): VerifyReport {
  const verifier = new Verifier(doc, opts);
  const seeds: SeedVerdict[] = [];
  for (const seed of opts.seeds) {
    const v = verifier.verifySeed(seed);
    seeds.push(v);
    onSeed?.(v);
  }
  return summarize(seeds);
}
