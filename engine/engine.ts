/**
 * The engine facade: validate a scenario, build a run, advance it, and report what happened. Used by the worker
 * shell, the CLI, the tests and the benchmarks. A run is a pure function of (engine version, scenario, seed,
 * actions) (DESIGN: Determinism).
 */
import type { Frame, JobStatus, ScenarioIssue, Topology } from './protocol.ts';
import { JobRuntime } from './runtime/jobRuntime.ts';
import { getPreset, PRESETS, validateScenario } from './scenario/index.ts';
import type { Row, Scenario } from './scenario/types.ts';

export const DEFAULT_PRESET = 'click-count';

export function listPresets(): { id: string; name: string; description: string }[] {
  return PRESETS.map((p) => ({ id: p.id, name: p.name, description: p.description }));
}

/** The raw JSON of a preset (a fresh copy), or null. */
export function presetScenario(id: string): unknown {
  const p = getPreset(id);
  return p ? (JSON.parse(JSON.stringify(p.scenario)) as unknown) : null;
}

export type CreateResult = { ok: true; engine: Engine } | { ok: false; errors: ScenarioIssue[] };

export function createEngine(input: unknown, opts: { seed?: number } = {}): CreateResult {
  let doc = input;
  if (opts.seed !== undefined && typeof input === 'object' && input !== null && !Array.isArray(input)) {
    doc = { ...(input as Record<string, unknown>), seed: opts.seed };
  }
  const v = validateScenario(doc);
  if (!v.ok) return { ok: false, errors: v.errors };
  if (v.scenario.config.str('state.backend.type') !== 'hashmap') {
    return {
      ok: false,
      errors: [
        {
          path: 'config["state.backend.type"]',
          message: `the "${v.scenario.config.str('state.backend.type')}" state backend is not available in this version; use "hashmap"`,
        },
      ],
    };
  }
  try {
    return { ok: true, engine: new Engine(v.scenario) };
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e) }] };
  }
}

/** The JSON the CLI prints for `run --json` (README: CLI). */
export interface RunResult {
  scenario: string;
  seed: number;
  virtualTimeUs: number;
  traceHash: string;
  events: number;
  job: { status: JobStatus; restarts: number; failure: string | null };
  sinks: Record<string, { committed: Row[]; all: Row[] }>;
  checkpoints: unknown;
  state: Record<
    string,
    { bytes: number; keys: number; subtasks: { index: number; bytes: number; keys: number }[] }
  >;
}

export class Engine {
  readonly runtime: JobRuntime;
  failure: string | null = null;

  constructor(readonly scenario: Scenario) {
    this.runtime = new JobRuntime(scenario);
  }

  now(): number {
    return this.runtime.kernel.now;
  }

  traceHash(): string {
    return this.runtime.kernel.hash.hex();
  }

  isFinished(): boolean {
    return this.runtime.isFinished();
  }

  nextEventTime(): number | null {
    return this.runtime.kernel.nextEventTime();
  }

  /** Runs every event up to `timeUs`. Returns 'blocked' when an event waits on real I/O: use runUntilAsync. */
  runUntil(timeUs: number): 'reached' | 'idle' | 'blocked' {
    if (this.isFinished()) return 'idle';
    try {
      return this.runtime.kernel.runUntil(Math.floor(timeUs)).kind;
    } catch (e) {
      this.fail(e);
      return 'idle';
    }
  }

  async runUntilAsync(timeUs: number): Promise<void> {
    if (this.isFinished()) return;
    try {
      await this.runtime.kernel.runUntilAsync(Math.floor(timeUs));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Processes exactly one event. False when there is nothing left to do. */
  stepEvent(): boolean {
    if (this.isFinished()) return false;
    try {
      const r = this.runtime.kernel.step();
      return r !== null;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  private fail(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.failure = msg;
    this.runtime.status = 'FAILED';
    this.runtime.narrate(null, 'job', `Job failed: ${msg}`);
  }

  frame(): Frame {
    return this.runtime.frame();
  }

  topology(): Topology {
    const rt = this.runtime;
    const g = rt.graph;
    return {
      jobName: this.scenario.name,
      scenarioName: this.scenario.name,
      seed: this.scenario.seed,
      operators: this.scenario.operators.map((o) => {
        const v = g.vertices.find((x) => x.operators.includes(o));
        return {
          id: o.id,
          name: o.name,
          kind: o.kind,
          parallelism: o.parallelism,
          maxParallelism: v?.maxParallelism ?? o.parallelism,
          keyBy: o.keyBy,
          vertexId: v?.id ?? o.id,
        };
      }),
      vertices: g.vertices.map((v) => ({
        id: v.id,
        name: v.name,
        operatorIds: v.operators.map((o) => o.id),
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        depth: v.depth,
      })),
      edges: g.edges.map((e) => ({ from: e.from.id, to: e.to.id, partitioner: e.partitioner })),
      subtasks: g.subtasks.map((s) => ({
        index: s.index,
        vertexId: s.vertex.id,
        subtaskIndex: s.subtaskIndex,
        name: s.name,
        taskManager: s.taskManager,
        slot: s.slot,
        keyGroupRange: s.keyGroupRange ? { start: s.keyGroupRange.start, end: s.keyGroupRange.end } : null,
      })),
      channels: rt.channels.map((c) => ({
        index: c.index,
        from: c.info.from.index,
        to: c.info.to.index,
        partitioner: c.info.edge.partitioner,
        capacity: c.capacity,
      })),
      taskManagers: Array.from({ length: this.scenario.cluster.taskManagers }, (_, i) => ({
        index: i,
        name: `tm-${i}`,
        slots: this.scenario.cluster.slotsPerTaskManager,
      })),
      sinks: rt.sinkOperators.map((s) => ({ ...s })),
    };
  }

  /** Sink output: what a read_committed consumer sees, and every record written in order. */
  sinkOutput(): Record<string, { committed: Row[]; all: Row[] }> {
    const out: Record<string, { committed: Row[]; all: Row[] }> = {};
    for (const s of this.runtime.sinkOperators) {
      const topic = this.runtime.outputTopics.get(s.topic);
      if (!topic) continue;
      out[s.id] = { committed: topic.committedRows(), all: topic.records.map((r) => r.row) };
    }
    return out;
  }

  /** Keyed and operator state per operator id: real encoded bytes and distinct keys. */
  stateSummary(): RunResult['state'] {
    const out: RunResult['state'] = {};
    for (const t of this.runtime.tasks) {
      t.info.vertex.operators.forEach((spec, i) => {
        const entry = (out[spec.id] ??= { bytes: 0, keys: 0, subtasks: [] });
        let bytes = t.operatorStates[i]?.stateSize() ?? 0;
        let keys = 0;
        if (i === 0) {
          for (const b of t.keyedBackends) {
            const s = b.stats();
            bytes += s.bytes;
            keys += s.keys;
          }
        }
        entry.bytes += bytes;
        entry.keys += keys;
        entry.subtasks.push({ index: t.info.subtaskIndex, bytes, keys });
      });
    }
    return out;
  }

  result(): RunResult {
    return {
      scenario: this.scenario.name,
      seed: this.scenario.seed,
      virtualTimeUs: this.now(),
      traceHash: this.traceHash(),
      events: this.runtime.kernel.processed,
      job: {
        status: this.runtime.status,
        restarts: this.runtime.restarts,
        failure: this.failure ?? this.runtime.failureMessage,
      },
      sinks: this.sinkOutput(),
      checkpoints: this.runtime.coordinator.stats.toJson(),
      state: this.stateSummary(),
    };
  }
}
