/**
 * `verify`: for each seed, run the scenario failure-free and again with a seeded random fault schedule, and
 * compare every sink's committed output (engine/verification/verify.ts holds the semantics). Prints one line per seed
 * (details for failures) and ends with `N passed, M failed`; exits 1 when any seed failed.
 */
import { DurationError, parseDuration } from '../scenario/index.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { editsFromOptions, type ScenarioEdit } from './edits.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { loadEngineModule, loadScenario } from './load.ts';

export const VERIFY_OPTIONS: readonly OptionSpec[] = [
  { name: 'seeds', value: 'from-to' },
  { name: 'faults', value: 'random|none' },
  { name: 'input', value: 'duration' },
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
  const edits = editsFromOptions(args.options, false);
  return {
    scenario: args.positionals[0] as string,
    seeds: parseSeedRange(args.value('seeds') ?? '1-20'),
    faults,
    inputSeconds,
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
  const { verify } = await import('../verification/verify.ts');
  const report = verify(
    raw as Record<string, unknown>,
    { seeds: request.seeds, faults: request.faults, inputSeconds: request.inputSeconds },
    (v) => {
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
    },
  );
  const summary = `${report.passed} passed, ${report.failed} failed`;
  if (request.json) {
    io.stdout(JSON.stringify({ scenario: label, ...report }) + '\n');
    io.stderr(summary + '\n');
  } else {
    io.stdout(summary + '\n');
  }
  return report.failed > 0 ? EXIT_RUNTIME : 0;
}
