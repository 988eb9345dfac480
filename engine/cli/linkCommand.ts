/**
 * Links on the command line (issue 11, "Shareable links"):
 * - `link <preset-id | file.json> [--seed N] [--action ...] [--fault ...] [--set/--unset/--op ...] [--at <time>]
 *   [--base <url>]` prints the link of that run at that moment (the scenario document with the edits applied);
 * - `run '<link>'` (a full URL, `#l=...` or the bare payload in place of a scenario) rebuilds the run the link
 *   carries, to its playhead, and prints the summary with the same trace hash the browser shows.
 */
import { decodeLink, encodeLink, linkUrl, looksLikeLink } from '../link/linkCodec.ts';
import { DEFAULT_BASE_URL, MAX_LINK_CHARS, MAX_LINK_TIME_US, type SharedRun } from '../link/linkTypes.ts';
import { replayRun } from '../link/replayRun.ts';
import { DurationError, parseDuration } from '../scenario/index.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { editsFromOptions } from './edits.ts';
import { CliError, EXIT_USAGE, type CliIo } from './errors.ts';
import { loadEngineModule, loadScenario } from './load.ts';
import { RUN_OPTIONS, reportRun, runToTime, type RunRequest } from './runCommand.ts';
import { formatSeconds } from './summary.ts';

export const LINK_OPTIONS: readonly OptionSpec[] = [
  { name: 'seed', value: 'N' },
  { name: 'at', value: 'duration' },
  { name: 'base', value: 'url' },
  { name: 'set', value: 'key=value', repeat: true },
  { name: 'unset', value: 'key', repeat: true },
  { name: 'op', value: 'operatorId.field=value', repeat: true },
  { name: 'fault', value: 'at:kind:target', repeat: true },
  { name: 'action', value: 'at:kind', repeat: true },
  { name: 'help' },
];

/** Where the link opens by default: the moment a newcomer would look at (20 s, a few checkpoints in). */
export const DEFAULT_LINK_AT = '20s';

/** True when `run`'s scenario argument is a link: a URL, `#l=...`, `l=...` or a bare payload. */
export function isLinkArgument(arg: string): boolean {
  return looksLikeLink(arg) || /^[A-Za-z0-9_-]{32,}$/.test(arg.trim());
}

function usage(message: string, command = 'link'): CliError {
  return new CliError(message, EXIT_USAGE, command);
}

export async function linkCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('link', argv, LINK_OPTIONS);
  if (args.positionals.length !== 1)
    throw usage(
      args.positionals.length === 0
        ? 'link needs a scenario: a preset id (see "presets") or a path to a scenario .json file'
        : `link takes one scenario, got ${args.positionals.length}: ${args.positionals.join(' ')}`,
    );
  const seedText = args.value('seed');
  let seed: number | undefined;
  if (seedText !== undefined) {
    seed = /^[+-]?[0-9]+$/.test(seedText.trim()) ? Number(seedText.trim()) : NaN;
    if (!Number.isSafeInteger(seed)) throw usage(`--seed expects an integer, got "${seedText}"`);
  }
  let atUs: number;
  try {
    atUs = parseDuration(args.value('at') ?? DEFAULT_LINK_AT);
  } catch (e) {
    if (e instanceof DurationError) throw usage(`--at: ${e.message}`);
    throw e;
  }
  if (atUs > MAX_LINK_TIME_US) throw usage(`--at: a link's moment is at most 24 h of virtual time`);
  const base = args.value('base') ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/\S+$/i.test(base))
    throw usage(`--base expects an http(s) URL such as ${DEFAULT_BASE_URL}, got "${base}"`);
  const mod = await loadEngineModule();
  const { raw, label } = await loadScenario(
    args.positionals[0] ?? '',
    editsFromOptions(args.options, true),
    io,
    mod,
  );
  const doc = { ...(raw as Record<string, unknown>), ...(seed === undefined ? {} : { seed }) };
  const created = mod.createEngine(doc, { timeTravel: false });
  if (!created.ok) {
    const n = created.errors.length;
    io.stderr(`${label}: invalid scenario (${n} problem${n === 1 ? '' : 's'}):\n`);
    for (const issue of created.errors)
      io.stderr(`  ${issue.path === '' ? '(scenario)' : issue.path}: ${issue.message}\n`);
    return EXIT_USAGE;
  }
  const run: SharedRun = {
    scenario: doc,
    seed: created.engine.scenario.seed,
    segments: [{ actions: [] }],
    playhead: { timeUs: atUs },
  };
  const payload = encodeLink(run);
  if (payload.length > MAX_LINK_CHARS)
    throw usage(
      `the link would be ${payload.length} characters, over the limit of ${MAX_LINK_CHARS}: share the scenario file instead`,
    );
  io.stdout(linkUrl(base, payload) + '\n');
  return 0;
}

/** `run <link>`: the run the link carries, to its playhead (or --until), with the usual summary or --json. */
export async function runLinkCommand(
  request: RunRequest,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  const given = parseArgs('run', argv, RUN_OPTIONS);
  const refused = ['seed', 'set', 'unset', 'op', 'fault', 'action'].filter((n) => given.has(n));
  if (refused.length > 0)
    throw usage(
      `a link carries the whole run (scenario, seed and actions): --${refused[0]} cannot change it. Make a new link with "npm run sim -- link <scenario> --${refused[0]} ...", or run the scenario file`,
      'run',
    );
  const decoded = decodeLink(request.scenario);
  if (!decoded.ok) throw usage(`bad link (${decoded.error}): ${decoded.message}`, 'run');
  if (decoded.versionNotice !== null) io.stderr(`note: ${decoded.versionNotice}\n`);
  const run = decoded.run;
  const playhead = given.has('until') ? { timeUs: request.untilUs } : run.playhead;
  const result = await replayRun(
    { ...run, playhead },
    async (e, t) => {
      await runToTime(e, t);
      return true;
    },
    { timeTravel: false },
  );
  if (!result.ok) {
    io.stderr(`link: the run cannot be rebuilt (${result.errors.length} problem(s)):\n`);
    for (const issue of result.errors)
      io.stderr(`  ${issue.path === '' ? '(scenario)' : issue.path}: ${issue.message}\n`);
    return EXIT_USAGE;
  }
  const jobs = run.segments.length;
  const label = `link: seed ${run.seed}, ${jobs === 1 ? '1 job' : `${jobs} jobs (restarted from savepoints)`}, at ${formatSeconds(playhead.timeUs)}`;
  return reportRun(result.engine.result(), request, label, io);
}
