/**
 * `run`: load a preset or a scenario file, apply the command-line edits to its raw JSON, validate and build
 * an engine, run it to a virtual time and print what happened. All semantics stay in the engine; this file
 * only parses, loads, runs and prints.
 */
import { restJsonText } from '../checkpoint/restConfig.ts';
import type { Engine, RunResult } from '../engine.ts';
import { DurationError, parseDuration } from '../scenario/index.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { editsFromOptions, type ScenarioEdit } from './edits.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { loadEngineModule, loadScenario } from './load.ts';
import { formatRunSummary, formatSeconds } from './summary.ts';
import { bindCliRun, nodeStorageOptions, usesDurableStorage } from '../checkpoint/storage/nodeStorage.ts';
import { ensureIndexedDb } from './verifyCommand.ts';

export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'seed', value: 'N' },
  { name: 'until', value: 'duration' },
  { name: 'set', value: 'key=value', repeat: true },
  { name: 'unset', value: 'key', repeat: true },
  { name: 'op', value: 'operatorId.field=value', repeat: true },
  { name: 'fault', value: 'at:kind:target', repeat: true },
  { name: 'action', value: 'at:kind', repeat: true },
  { name: 'json' },
  { name: 'help' },
];

export const DEFAULT_UNTIL = '60s';

export interface RunRequest {
  /** A preset id or a path to a scenario JSON file. */
  readonly scenario: string;
  readonly seed: number | undefined;
  readonly untilUs: number;
  readonly edits: readonly ScenarioEdit[];
  readonly json: boolean;
}

function usage(message: string): CliError {
  return new CliError(message, EXIT_USAGE, 'run');
}

/** Parses `run` arguments into a request (everything but loading: unknown preset ids are found later). */
export function parseRunArgs(argv: readonly string[]): RunRequest {
  const args = parseArgs('run', argv, RUN_OPTIONS);
  if (args.positionals.length === 0) {
    throw usage('run needs a scenario: a preset id (see "presets") or a path to a scenario .json file');
  }
  if (args.positionals.length > 1) {
    throw usage(`run takes one scenario, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
  }
  const seedText = args.value('seed');
  let seed: number | undefined;
  if (seedText !== undefined) {
    seed = /^[+-]?[0-9]+$/.test(seedText.trim()) ? Number(seedText.trim()) : NaN;
    if (!Number.isSafeInteger(seed)) throw usage(`--seed expects an integer, got "${seedText}"`);
  }
  const untilText = args.value('until') ?? DEFAULT_UNTIL;
  let untilUs: number;
  try {
    untilUs = parseDuration(untilText);
  } catch (e) {
    if (e instanceof DurationError) throw usage(`--until: ${e.message}`);
    throw e;
  }
  const edits = editsFromOptions(args.options, true);
  return { scenario: args.positionals[0] as string, seed, untilUs, edits, json: args.has('json') };
}

/**
 * Advances the engine to `untilUs`, one event time at a time so that it stops at the virtual time the job
 * reaches a terminal status (FINISHED, FAILED, CANCELED) instead of running on past it. Runs synchronously
 * while it can and awaits only when an event waits on real I/O.
 */
export async function runToTime(engine: Engine, untilUs: number): Promise<void> {
  for (;;) {
    if (engine.isFinished()) return;
    const next = engine.nextEventTime();
    if (next === null || next > untilUs) {
      // Nothing left before the horizon: let the clock reach it.
      await engine.runUntilAsync(untilUs);
      return;
    }
    if (engine.runUntil(next) === 'blocked') await engine.runUntilAsync(next);
  }
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const request = parseRunArgs(argv);
  const links = await import('./linkCommand.ts');
  if (links.isLinkArgument(request.scenario)) return links.runLinkCommand(request, argv, io);
  const mod = await loadEngineModule();
  const { raw, label } = await loadScenario(request.scenario, request.edits, io, mod);
  await ensureIndexedDb();
  // A headless run never seeks: no engine snapshots.
  const created = mod.createEngine(raw, {
    timeTravel: false,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  });
  if (!created.ok) {
    const n = created.errors.length;
    io.stderr(`${label}: invalid scenario (${n} problem${n === 1 ? '' : 's'}):\n`);
    for (const issue of created.errors)
      io.stderr(`  ${issue.path === '' ? '(scenario)' : issue.path}: ${issue.message}\n`);
    return EXIT_USAGE;
  }
  let engine = created.engine;
  if (usesDurableStorage(engine)) {
    // execution.checkpointing.dir indexeddb://...: the same durable storage as in the browser, in memory.
    const storage = await nodeStorageOptions();
    const durable = mod.createEngine(raw, {
      timeTravel: false,
      storage,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
    });
    if (durable.ok) {
      engine = durable.engine;
      await bindCliRun(storage, engine);
    }
  }
  await runToTime(engine, request.untilUs);
  return reportRun(engine.result(), request, label, io);
}

/**
 * Prints a finished run (one JSON object with --json, else the summary) and returns the exit code: 1 when the
 * job ended FAILED (an engine error, or a failure the restart strategy gave up on — like `flink run`), else 0.
 */
export function reportRun(
  result: RunResult,
  request: Pick<RunRequest, 'json'>,
  label: string,
  io: CliIo,
): number {
  if (request.json) io.stdout(restJsonText(result) + '\n');
  else io.stdout(formatRunSummary(result, { source: label }));
  if (result.job.status === 'FAILED') {
    const why = result.job.failure ?? 'see the job log';
    io.stderr(`error: the job FAILED at ${formatSeconds(result.virtualTimeUs)} of virtual time: ${why}\n`);
    return EXIT_RUNTIME;
  }
  return 0;
}
