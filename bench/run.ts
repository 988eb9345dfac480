/**
 * `npm run bench [-- --json] [-- --records N]`: throughput of the engine on a large keyed-window scenario and
 * its ratio to a bare loop in the same process that does the same per-record arithmetic (generate the record,
 * hash the key, find its key group, update a Map, assign the window) without any simulation machinery.
 * Both are measured in this one run, so the ratio is meaningful on any machine.
 */
import { performance } from 'node:perf_hooks';
import { KeyedTopic } from '../engine/connectors/topic.ts';
import { createEngine } from '../engine/engine.ts';
import { windowStart } from '../engine/operators/keyed.ts';
import type { KeyedGenerator } from '../engine/scenario/types.ts';
import { assignToKeyGroup, computeDefaultMaxParallelism } from '../engine/state/keyGroups.ts';
import { KEYS, PARALLELISM, RECORDS, throughputScenario, WINDOW_MS } from './scenarios.ts';

interface Args {
  json: boolean;
  records: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, records: RECORDS };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--json') a.json = true;
    else if (v === '--records') a.records = Number(argv[++i]);
    else throw new Error(`unknown option ${v}; use --json and/or --records N`);
  }
  if (!Number.isSafeInteger(a.records) || a.records <= 0)
    throw new Error('--records needs a positive integer');
  return a;
}

/** The same per-record arithmetic as the engine's hot path, with no channels, events, buffers or operators. */
function bareLoop(records: number): { seconds: number; checksum: number } {
  const gen: KeyedGenerator = {
    kind: 'keyed',
    keys: KEYS,
    keyType: 'string',
    keyPrefix: 'key-',
    distribution: 'uniform',
    ratePerSecond: 1_000_000,
    eventTimeStepUs: 1,
    maxOutOfOrdernessUs: 0,
    valueMin: 1,
    valueMax: 100,
    count: records,
  };
  const topic = new KeyedTopic('events', PARALLELISM, gen, 7);
  const maxP = computeDefaultMaxParallelism(PARALLELISM);
  const tables: Map<number, Map<string, number>>[] = Array.from(
    { length: maxP },
    () => new Map<number, Map<string, number>>(),
  );
  const t0 = performance.now();
  const perPartition = Math.ceil(records / PARALLELISM);
  for (let off = 0; off < perPartition; off++) {
    for (let p = 0; p < PARALLELISM; p++) {
      if (off * PARALLELISM + p >= records) break;
      const row = topic.row(p, off);
      const key = row.key as string;
      const kg = assignToKeyGroup(key, 'string', maxP);
      const end = windowStart(row.ts as number, 0, WINDOW_MS) + WINDOW_MS;
      const byNs = tables[kg] as Map<number, Map<string, number>>;
      let m = byNs.get(end);
      if (m === undefined) {
        m = new Map();
        byNs.set(end, m);
      }
      m.set(key, (m.get(key) ?? 0) + 1);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  let checksum = 0;
  for (const byNs of tables) for (const m of byNs.values()) for (const c of m.values()) checksum += c;
  return { seconds, checksum };
}

function engineRun(records: number): {
  seconds: number;
  outputCount: number;
  virtualSeconds: number;
  events: number;
} {
  const created = createEngine(throughputScenario(records));
  if (!created.ok) throw new Error(created.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const engine = created.engine;
  const t0 = performance.now();
  engine.runUntil(Number.MAX_SAFE_INTEGER);
  const seconds = (performance.now() - t0) / 1000;
  if (engine.failure) throw new Error(`engine failed: ${engine.failure}`);
  if (!engine.isFinished()) throw new Error('engine did not finish the bounded input');
  const out = engine.sinkOutput()['sink'];
  let outputCount = 0;
  for (const r of out?.all ?? []) outputCount += r.count as number;
  return {
    seconds,
    outputCount,
    virtualSeconds: engine.now() / 1e6,
    events: engine.runtime.kernel.processed,
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Warm up both paths (JIT) on a small input, then measure.
  bareLoop(200_000);
  engineRun(200_000);
  const bare = bareLoop(args.records);
  const eng = engineRun(args.records);
  if (bare.checksum !== args.records) throw new Error(`bare loop counted ${bare.checksum} records`);
  if (eng.outputCount !== args.records) throw new Error(`engine windows counted ${eng.outputCount} records`);
  const engineRecordsPerSecond = Math.round(args.records / eng.seconds);
  const bareLoopRecordsPerSecond = Math.round(args.records / bare.seconds);
  const result = {
    records: args.records,
    keys: KEYS,
    parallelism: PARALLELISM,
    engineSeconds: Number(eng.seconds.toFixed(3)),
    bareLoopSeconds: Number(bare.seconds.toFixed(3)),
    engineRecordsPerSecond,
    bareLoopRecordsPerSecond,
    ratio: Number((engineRecordsPerSecond / bareLoopRecordsPerSecond).toFixed(3)),
    engineEvents: eng.events,
    virtualSeconds: eng.virtualSeconds,
  };
  if (args.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const fmt = (n: number): string => n.toLocaleString('en-US');
  console.log(
    `Engine throughput (${fmt(args.records)} records, ${fmt(KEYS)} keys, parallelism ${PARALLELISM})`,
  );
  console.log(
    `  engine     ${fmt(engineRecordsPerSecond)} records/s  (${result.engineSeconds} s, ${fmt(eng.events)} events)`,
  );
  console.log(`  bare loop  ${fmt(bareLoopRecordsPerSecond)} records/s  (${result.bareLoopSeconds} s)`);
  console.log(`  ratio      ${result.ratio}  (goal >= 0.25)`);
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
