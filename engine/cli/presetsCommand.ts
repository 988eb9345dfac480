/** `presets`: one line per built-in scenario, `<id>  <name> — <description>`. */
import { parseArgs } from './args.ts';
import { CliError, type CliIo } from './errors.ts';
import { loadEngineModule, type EngineModule } from './load.ts';

export function formatPresets(presets: ReturnType<EngineModule['listPresets']>): string {
  const width = Math.max(0, ...presets.map((p) => p.id.length));
  return presets.map((p) => `${p.id.padEnd(width)}  ${p.name} — ${p.description}\n`).join('');
}

export async function presetsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('presets', argv, [{ name: 'help' }]);
  if (args.positionals.length > 0) {
    throw new CliError(
      `presets takes no arguments (got ${args.positionals.join(' ')}); to run one: run <id>`,
      2,
      'presets',
    );
  }
  const mod = await loadEngineModule();
  io.stdout(formatPresets(mod.listPresets()));
  return 0;
}
