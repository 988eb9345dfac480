/**
 * `verify`: for each seed, run the scenario failure-free and again with a seeded random fault schedule, and
 * compare every sink's committed output (engine/verification/verify.ts holds the semantics). Prints one line per seed
 * (details for failures) and ends with `N passed, M failed`; exits 1 when any seed failed.
 *
 * Seeds run in parallel worker threads (--workers, default os.availableParallelism()); results are printed in
 * seed order. Workers load engine/verification/verify.ts bundled to plain JavaScript by esbuild (or, failing that,
 * the .ts module through tsx's loader); if workers cannot start, the seeds run in this thread.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SeedVerdict, VerifyOptions } from '../verification/verify.ts';
import { DurationError, parseDuration } from '../scenario/index.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { editsFromOptions, type ScenarioEdit } from './edits.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { loadEngineModule, loadScenario } from './load.ts';

export const VERIFY_OPTIONS: readonly OptionSpec[] = [
  { name: 'seeds', value: 'from-to' },
  { name: 'faults', value: 'random|none' },
  { name: 'input', value: 'duration' },
  { name: 'input-skew', value: 'fraction' },
  { name: 'workers', value: 'N' },
  { name: 'reference', value: 'shared|per-seed' },
  { name: 'action', value: 'at:kind', repeat: true },
  { name: 'set', value: 'key=value', repeat: true },
  { name: 'unset', value: 'key', repeat: true },
  { name: 'op', value: 'operatorId.field=value', repeat: true },
  { name: 'json' },
  { name: 'help' },
];

function usage(message: string): CliError {
  return new CliError(message, EXIT_USAGE, 'verify');
}

export interface VerifyRequest {
  scenario: string;
  seeds: number[];
  faults: 'random' | 'none';
  inputSeconds: number;
  inputSkew: number;
  /** Worker threads; 0 = run in this thread. */
  workers: number;
  reference: 'shared' | 'per-seed';
  edits: ScenarioEdit[];
  json: boolean;
}

export function parseSeedRange(text: string): number[] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(text);
  if (!m) throw usage(`--seeds expects a range like 1-200 (or one seed), got "${text}"`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
    throw usage(`--seeds: the range must go upwards, got "${text}"`);
  }
  if (to - from + 1 > 100_000) throw usage('--seeds: at most 100000 seeds per run');
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function parseVerifyArgs(argv: readonly string[]): VerifyRequest {
  const args = parseArgs('verify', argv, VERIFY_OPTIONS);
  if (args.positionals.length !== 1) {
    throw usage(
      'verify needs exactly one scenario: a preset id (see "presets") or a path to a scenario .json file',
    );
  }
  const faults = args.value('faults') ?? 'random';
  if (faults !== 'random' && faults !== 'none')
    throw usage(`--faults expects "random" or "none", got "${faults}"`);
  let inputSeconds = 20;
  const input = args.value('input');
  if (input !== undefined) {
    try {
      inputSeconds = parseDuration(input) / 1_000_000;
    } catch (e) {
      if (e instanceof DurationError) throw usage(`--input: ${e.message}`);
      throw e;
    }
    if (inputSeconds <= 0) throw usage('--input must be positive');
  }
  const skewText = args.value('input-skew') ?? '0';
  const inputSkew = Number(skewText);
  if (!/^\s*\d*\.?\d+\s*$/.test(skewText) || !(inputSkew >= 0 && inputSkew <= 0.9)) {
    throw usage(`--input-skew expects a fraction from 0 to 0.9 (e.g. 0.5), got "${skewText}"`);
  }
  const workersText = args.value('workers');
  let workers = availableParallelism();
  if (workersText !== undefined) {
    workers = Number(workersText);
    if (!/^\d+$/.test(workersText) || workers > 256) {
      throw usage(
        `--workers expects a whole number from 0 to 256 (0 = no worker threads), got "${workersText}"`,
      );
    }
  }
  const reference = args.value('reference') ?? 'shared';
  if (reference !== 'shared' && reference !== 'per-seed') {
    throw usage(`--reference expects "shared" or "per-seed", got "${reference}"`);
  }
  const edits = editsFromOptions(args.options, false);
  return {
    scenario: args.positionals[0] as string,
    seeds: parseSeedRange(args.value('seeds') ?? '1-20'),
    faults,
    inputSeconds,
    inputSkew,
    workers,
    reference,
    edits,
    json: args.has('json'),
  };
}

export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const request = parseVerifyArgs(argv);
  const mod = await loadEngineModule();
  const { raw, label } = await loadScenario(request.scenario, request.edits, io, mod);
  const probe = mod.createEngine(raw);
  if (!probe.ok) {
    io.stderr(`${label}: invalid scenario (${probe.errors.length} problem(s)):\n`);
    for (const issue of probe.errors)
      io.stderr(`  ${issue.path === '' ? '(scenario)' : issue.path}: ${issue.message}\n`);
    return EXIT_USAGE;
  }
  const opts: Omit<VerifyOptions, 'seeds'> = {
    faults: request.faults,
    inputSeconds: request.inputSeconds,
    inputSkew: request.inputSkew,
    reference: request.reference,
  };
  const onSeed = (v: SeedVerdict): void => {
    if (request.json) return;
    const dups = v.sinks.reduce((s, x) => s + x.duplicates, 0);
    const faults = v.faults.map((f) => `${f.kind}@${f.at} ${f.target}`).join(', ') || 'no faults';
    if (v.ok) {
      io.stdout(
        `seed ${v.seed}: ok (${v.restarts} restart(s), ${dups} duplicate(s) at at-least-once sinks; ${faults})\n`,
      );
      return;
    }
    io.stdout(`seed ${v.seed}: FAILED (${v.restarts} restart(s); ${faults})\n`);
    if (v.error) io.stdout(`  ${v.error}\n`);
    for (const s of v.sinks) {
      if (s.ok) continue;
      io.stdout(
        `  sink ${s.id} (${s.delivery}): ${s.missing} missing, ${s.duplicates} duplicate(s), ${s.unexpected} unexpected; first difference: ${s.firstDifference}\n`,
      );
    }
  };
  const t0 = performance.now();
  const run = await verifySeeds(raw as Record<string, unknown>, opts, request.seeds, request.workers, onSeed);
  const seconds = (performance.now() - t0) / 1000;
  const { summarize } = await import('../verification/verify.ts');
  const report = summarize(run.verdicts);
  const seedsPerSecond = Number((request.seeds.length / Math.max(seconds, 1e-9)).toFixed(1));
  const summary = `${report.passed} passed, ${report.failed} failed`;
  if (request.json) {
    io.stdout(JSON.stringify({ scenario: label, ...report, seedsPerSecond, workers: run.workers }) + '\n');
    io.stderr(summary + '\n');
  } else {
    const threads = run.workers === 0 ? 'in one thread' : `${run.workers} worker thread(s)`;
    io.stdout(
      `${request.seeds.length} seed(s) in ${seconds.toFixed(2)} s: ${seedsPerSecond} seeds/s (${threads})\n`,
    );
    io.stdout(summary + '\n');
  }
  return report.failed > 0 ? EXIT_RUNTIME : 0;
}

/** IndexedDB for the IndexedDB state backend in Node (fake-indexeddb, in memory), as in the tests. */
export async function ensureIndexedDb(): Promise<void> {
  const polyfill = 'fake-indexeddb/auto'; // sets globalThis.indexedDB (its typings are not exported)
  if (typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'undefined') await import(polyfill);
}

/** Fewer seeds than this run in this thread: starting workers would take longer than checking them. */
const MIN_SEEDS_FOR_WORKERS = 8;

/**
 * Runs `seeds`, calling `onSeed` in seed order. With `workers` > 1 (and at least MIN_SEEDS_FOR_WORKERS seeds) the
 * seeds go to that many worker threads; whatever the workers could not do (they failed to start or crashed) is
 * done in this thread. Returns the number of workers that checked seeds.
 */
export async function verifySeeds(
  doc: Record<string, unknown>,
  opts: Omit<VerifyOptions, 'seeds'>,
  seeds: readonly number[],
  workers: number,
  onSeed: (v: SeedVerdict) => void,
): Promise<{ verdicts: SeedVerdict[]; workers: number }> {
  const verdicts = new Array<SeedVerdict | undefined>(seeds.length);
  let printed = 0;
  const deliver = (i: number, v: SeedVerdict): void => {
    verdicts[i] = v;
    for (let d = verdicts[printed]; printed < seeds.length && d !== undefined; d = verdicts[printed]) {
      onSeed(d);
      printed++;
    }
  };
  let handed = 0;
  const take = (): number | null => (handed < seeds.length ? handed++ : null);
  const { Verifier } = await import('../verification/verify.ts');
  let local: InstanceType<typeof Verifier> | null = null;
  await ensureIndexedDb();
  const here = async (i: number): Promise<void> => {
    local ??= new Verifier(doc, opts);
    deliver(i, await local.verifySeedAsync(seeds[i] as number));
  };
  // A few seeds are done before workers would have started; else the workers take every seed (this thread
  // checking seeds meanwhile only competes with them for the cores while they start).
  const count = seeds.length >= MIN_SEEDS_FOR_WORKERS ? Math.min(workers, seeds.length) : 0;
  const pool = count > 1 ? startPool(count, { doc, opts }, seeds, take, deliver) : null;
  const used = pool === null ? 0 : await pool;
  for (let i = 0; i < seeds.length; i++) if (verdicts[i] === undefined) await here(i);
  return { verdicts: verdicts as SeedVerdict[], workers: used };
}

interface WorkerInit {
  doc: Record<string, unknown>;
  opts: Omit<VerifyOptions, 'seeds'>;
}
type ToWorker = { index: number; seed: number } | { stop: true };
type FromWorker = { ready: true } | { index: number; verdict: SeedVerdict };

/** What a worker runs: import the verifier module, then check the seeds it is sent (plain JS, evaluated). */
function serveCode(moduleUrl: string, tsxApi: string | null): string {
  const load =
    tsxApi === null ? '' : `.then(() => import(${JSON.stringify(tsxApi)})).then((m) => m.register())`;
  return `const { parentPort, workerData } = require('node:worker_threads');
if (typeof globalThis.indexedDB === 'undefined') require('fake-indexeddb/auto');
Promise.resolve()${load}.then(() => import(${JSON.stringify(moduleUrl)})).then(({ Verifier }) => {
  const verifier = new Verifier(workerData.doc, workerData.opts);
  let queue = Promise.resolve();
  parentPort.on('message', (m) => {
    if (m.stop) { queue = queue.then(() => parentPort.close()); return; }
    queue = queue.then(() => verifier.verifySeedAsync(m.seed)).then((verdict) => {
      parentPort.postMessage({ index: m.index, verdict });
    });
  });
  parentPort.postMessage({ ready: true });
});`;
}

/** Where bundles of the verifier are cached between runs (one per checkout). */
function bundleCacheDir(entry: string): string {
  const id = createHash('sha1').update(entry).digest('hex').slice(0, 16);
  return join(tmpdir(), 'checkpoint-lab-verify', id);
}

/** The hash of every input file of a bundle, or null when one cannot be read. */
function inputsHash(files: readonly string[]): string | null {
  const h = createHash('sha1');
  try {
    for (const f of files) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  } catch {
    return null;
  }
  return h.digest('hex');
}

/**
 * engine/verification/verify.ts and its imports bundled by esbuild into one plain-JavaScript file. The bundle is
 * cached in the temp directory with the list of its input files and their hash: reused while no input changed.
 */
async function verifierBundle(entry: string): Promise<string> {
  const dir = bundleCacheDir(entry);
  const file = join(dir, 'verify.mjs');
  const manifest = join(dir, 'inputs.json');
  try {
    const cached = JSON.parse(readFileSync(manifest, 'utf8')) as { files: string[]; hash: string };
    if (inputsHash(cached.files) === cached.hash && statSync(file).isFile()) return file;
  } catch {
    // no usable cache: build
  }
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]?.text;
  if (text === undefined) throw new Error('esbuild produced no output');
  const cwd = process.cwd();
  const files = Object.keys(out.metafile.inputs).map((f) => resolve(cwd, f));
  const hash = inputsHash(files);
  mkdirSync(dir, { recursive: true });
  // Write under unique names, then rename: concurrent runs never see half a file.
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  if (hash !== null) {
    writeFileSync(`${manifest}.${process.pid}`, JSON.stringify({ files, hash }));
    renameSync(`${manifest}.${process.pid}`, manifest);
  }
  return file;
}

/**
 * The verifier module for workers: the esbuild bundle (a worker then starts in ~0.1 s). If esbuild is unavailable,
 * the .ts module itself with tsx's loader registered in the worker (slower to start: every module is compiled per
 * worker).
 */
async function workerModule(): Promise<string> {
  const verifyUrl = new URL('../verification/verify.ts', import.meta.url);
  try {
    const file = await verifierBundle(fileURLToPath(verifyUrl));
    return serveCode(pathToFileURL(file).href, null);
  } catch {
    const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
    return serveCode(verifyUrl.href, api);
  }
}

/**
 * Starts `count` workers that take seeds from `take` (two in flight each) and report each verdict with its
 * index. Resolves, once every worker has exited, with the number of workers that returned verdicts. A worker that
 * fails stops the pool; seeds without a verdict are then left to the caller.
 */
function startPool(
  count: number,
  init: WorkerInit,
  seeds: readonly number[],
  take: () => number | null,
  deliver: (index: number, v: SeedVerdict) => void,
): Promise<number> {
  let open = count;
  let broken = false;
  const productive = new Set<number>();
  const pool: Worker[] = [];
  let resolveDone: (n: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  const exited = (): void => {
    open--;
    if (open > 0) return;
    resolveDone(productive.size);
  };
  const breakAll = (): void => {
    broken = true;
    for (const w of pool) void w.terminate();
  };
  void workerModule().then(
    (code) => {
      for (let k = 0; k < count; k++) {
        let w: Worker;
        try {
          w = new Worker(code, { eval: true, workerData: init });
        } catch {
          broken = true;
          for (let rest = k; rest < count; rest++) exited();
          breakAll();
          return;
        }
        pool.push(w);
        let stopped = false;
        const send = (): void => {
          if (stopped) return;
          const index = broken ? null : take();
          if (index === null) {
            stopped = true;
            w.postMessage({ stop: true } satisfies ToWorker);
            return;
          }
          w.postMessage({ index, seed: seeds[index] as number } satisfies ToWorker);
        };
        w.on('message', (msg: FromWorker) => {
          if ('ready' in msg) {
            send();
            send();
            return;
          }
          productive.add(k);
          deliver(msg.index, msg.verdict);
          send();
        });
        // A worker that cannot load or crashes: stop the pool; the caller checks what is missing itself.
        w.on('error', breakAll);
        w.on('exit', exited);
      }
    },
    () => {
      broken = true;
      open = 1;
      exited();
    },
  );
  return done;
}
