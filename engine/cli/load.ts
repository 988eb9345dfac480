/**
 * Loading what `run` runs: the engine module (imported lazily, so `keys` and `help` work without it) and the
 * scenario's raw JSON from a preset id or a file, with the command-line edits applied.
 */
import type * as EngineFacade from '../engine.ts';
import { applyEdits, type ScenarioEdit } from './edits.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { parseJsonText } from './jsonText.ts';
import { showKind } from '../scenario/suggest.ts';

export type EngineModule = typeof EngineFacade;

export async function loadEngineModule(): Promise<EngineModule> {
  try {
    return await import('../engine.ts');
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new CliError(`cannot load the engine (engine/engine.ts): ${detail}`, EXIT_RUNTIME);
  }
}

/** A path rather than a preset id: has a directory separator or a .json extension. */
export function looksLikePath(arg: string): boolean {
  return /[\\/]/.test(arg) || /\.json$/i.test(arg);
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = e.code;
  return typeof code === 'string' ? code : undefined;
}

function presetIds(mod: Pick<EngineModule, 'listPresets'>): string {
  return mod
    .listPresets()
    .map((p) => p.id)
    .join(', ');
}

/**
 * The raw scenario JSON for `arg` (preset id first, then a file) with `edits` applied, and a label for messages
 * ("preset click-count" or the path).
 */
export async function loadScenario(
  arg: string,
  edits: readonly ScenarioEdit[],
  io: Pick<CliIo, 'readFile'>,
  mod: Pick<EngineModule, 'presetScenario' | 'listPresets'>,
): Promise<{ raw: unknown; label: string }> {
  const preset = looksLikePath(arg) ? null : mod.presetScenario(arg);
  if (preset !== null) return { raw: applyEdits(preset, edits), label: `preset ${arg}` };
  let text: string;
  try {
    text = await io.readFile(arg);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' && !looksLikePath(arg)) {
      throw new CliError(
        `unknown preset "${arg}"; presets: ${presetIds(mod)} (or give the path of a scenario .json file)`,
        EXIT_USAGE,
        'run',
      );
    }
    if (code === 'ENOENT') throw new CliError(`file not found: ${arg}`, EXIT_USAGE, 'run');
    if (code === 'EISDIR')
      throw new CliError(`${arg} is a directory, not a scenario .json file`, EXIT_USAGE, 'run');
    const detail = e instanceof Error ? e.message : String(e);
    throw new CliError(`cannot read ${arg}: ${detail}`, EXIT_RUNTIME);
  }
  const raw = parseJsonText(text, arg);
  // JSON text that is a string: validateScenario would read a string as JSON text once more, so refuse it here.
  if (typeof raw === 'string')
    throw new CliError(
      `${arg}: expected a scenario object like { "version": 1, "name": ..., ... }, got ${showKind(raw)}`,
      EXIT_USAGE,
    );
  return { raw: applyEdits(raw, edits), label: arg };
}
