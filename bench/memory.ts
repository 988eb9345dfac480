/**
 * Memory stays bounded (issue 8 §3): click-count with a 100 ms checkpoint interval, run in one engine to 10 virtual
 * minutes and on to 2 virtual hours; the heap after a full GC at each point (heapUsed + arrayBuffers). The figure
 * is the ratio of the engine's retained heap (that minus the same before the engine was created) at 2 h to that
 * at 10 min, goal <= 1.2. The whole-process ratio is printed too (it includes the loaded code, so it is lower),
 * and the ratio without the sinks' output topics (which keep every record written: the runtime's to bound).
 *
 * To name what grows, the bench walks the engine's object graph (a few levels deep) at both points and lists the
 * arrays, maps and sets whose size grew the most. The resident set size (RSS) of the process is printed too: it
 * includes the code, V8's reserved pages and the allocator's, so it says less about the engine than the heap.
 *
 * It takes about 20-30 s of CPU (the 2-hour run is most of it: 17 million events). It took over 400 s while the log
 * buffer trimmed its 20,000 story lines a few at a time (quadratic); engine/report/logBuffer.ts now trims by halves.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { OutputTopic } from '../engine/connectors/topic.ts';
import { createEngine, presetScenario } from '../engine/engine.ts';

/** A full GC: global.gc when node runs with --expose-gc, else the flag set at run time. */
function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const collect = gcFunction();

/** Heap used after a full GC, plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
export function heapAfterGc(): number {
  collect();
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export interface Growth {
  path: string;
  at10min: number;
  at2h: number;
}

export interface MemoryResult {
  checkpointIntervalMs: number;
  checkpointsAt10min: number;
  checkpointsAt2h: number;
  baselineBytes: number;
  engineBytesAt10min: number;
  engineBytesAt2h: number;
  /** Engine's retained heap at 2 h / at 10 min (the goal: <= 1.2). */
  ratio: number;
  /** Whole-process heap after GC at 2 h / at 10 min. */
  processRatio: number;
  /** Heap held by the sinks' output topics (every record ever written) at 10 min and at 2 h. */
  sinkOutputBytesAt10min: number;
  sinkOutputBytesAt2h: number;
  /** `ratio` without the sinks' output topics. */
  ratioWithoutSinkOutput: number;
  /** Resident set size of the process at 10 min and 2 h (after the same full GC), and their ratio. */
  rssAt10min: number;
  rssAt2h: number;
  rssRatio: number;
  /** Collections that grew the most between 10 min and 2 h (path from the engine, sizes). */
  growing: Growth[];
  /** Wall-clock and CPU seconds the whole memory section took. */
  seconds: number;
  cpuSeconds: number;
}

/** Sizes of the arrays, maps and sets reachable from `root` within `depth` property steps, by path. */
function collectionSizes(root: unknown, depth: number): Map<string, number> {
  const out = new Map<string, number>();
  const seen = new Set<unknown>();
  const walk = (x: unknown, path: string, d: number): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) out.set(path, x.length);
    else if (x instanceof Map || x instanceof Set) out.set(path, x.size);
    if (d === 0) return;
    if (Array.isArray(x)) {
      // Elements of an array: the first few stand for the rest (per-subtask structures, channels, ...).
      for (let i = 0; i < Math.min(x.length, 4); i++) walk(x[i], `${path}[${i}]`, d - 1);
      return;
    }
    if (x instanceof Map) {
      let i = 0;
      for (const [k, v] of x) {
        if (i++ >= 4) break;
        walk(v, `${path}.get(${JSON.stringify(String(k)).slice(0, 40)})`, d - 1);
      }
      return;
    }
    if (x instanceof Set || ArrayBuffer.isView(x)) return;
    // A packed chunk of an output topic is one unit of the output (its column arrays are full by construction).
    if (x.constructor.name === 'PackedChunk') return;
    for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], `${path}.${k}`, d - 1);
  };
  walk(root, 'engine', depth);
  return out;
}

type Outputs = { runtime: { outputTopics: Map<string, OutputTopic> } };

/**
 * Heap held by the output topics (every record the sinks wrote): the heap before and after emptying each topic's
 * log in place (the sinks hold the topic objects; destroys the output, the engine is not run again).
 */
function dropSinkOutput(engine: Outputs): number {
  const withOutput = heapAfterGc();
  for (const t of engine.runtime.outputTopics.values()) {
    const log = t as unknown as { chunks: unknown[][]; packed: number };
    log.chunks = [[]];
    log.packed = 0;
  }
  return withOutput - heapAfterGc();
}

function clickCount100ms(): ReturnType<typeof createEngine> {
  const doc = presetScenario('click-count') as Record<string, unknown>;
  doc.config = { ...(doc.config as Record<string, unknown>), 'execution.checkpointing.interval': '100 ms' };
  // Engine snapshots (time travel) are measured in bench/seek.ts; this is the run itself.
  return createEngine(doc, { timeTravel: false });
}

export function memoryRun(tenMinutesUs = 600_000_000, twoHoursUs = 7_200_000_000): MemoryResult {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const baseline = heapAfterGc();
  const created = clickCount100ms();
  if (!created.ok) throw new Error(created.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const engine = created.engine;
  const completed = (): number =>
    (engine.checkpointStatsJson() as { counts: { completed: number } }).counts.completed;
  engine.runUntil(tenMinutesUs);
  if (engine.failure) throw new Error(`engine failed: ${engine.failure}`);
  const checkpointsAt10min = completed();
  const at10 = heapAfterGc();
  const rss10 = process.memoryUsage().rss;
  const sizes10 = collectionSizes(engine, 6);
  engine.runUntil(twoHoursUs);
  if (engine.failure) throw new Error(`engine failed: ${engine.failure}`);
  const checkpointsAt2h = completed();
  const at2h = heapAfterGc();
  const rss2h = process.memoryUsage().rss;
  const sizes2h = collectionSizes(engine, 6);
  const out2h = dropSinkOutput(engine);
  // The sink output's share at 10 min, from a second run to 10 min (measuring it destroys the output).
  const second = clickCount100ms();
  if (!second.ok) throw new Error('invalid scenario');
  second.engine.runUntil(tenMinutesUs);
  const out10 = dropSinkOutput(second.engine);
  const growing: Growth[] = [];
  for (const [path, n] of sizes2h) {
    const before = sizes10.get(path) ?? 0;
    if (n > before + 16 && n > before * 1.2) growing.push({ path, at10min: before, at2h: n });
  }
  growing.sort((a, b) => b.at2h - b.at10min - (a.at2h - a.at10min));
  const cpu = process.cpuUsage(cpu0);
  return {
    checkpointIntervalMs: 100,
    checkpointsAt10min,
    checkpointsAt2h,
    baselineBytes: baseline,
    engineBytesAt10min: at10 - baseline,
    engineBytesAt2h: at2h - baseline,
    ratio: Number(((at2h - baseline) / (at10 - baseline)).toFixed(3)),
    processRatio: Number((at2h / at10).toFixed(3)),
    sinkOutputBytesAt10min: out10,
    sinkOutputBytesAt2h: out2h,
    ratioWithoutSinkOutput: Number(((at2h - baseline - out2h) / (at10 - baseline - out10)).toFixed(3)),
    rssAt10min: rss10,
    rssAt2h: rss2h,
    rssRatio: Number((rss2h / rss10).toFixed(3)),
    growing: growing.slice(0, 12),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  };
}
