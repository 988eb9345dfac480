/**
 * `export-flink <preset-id | file.json> --out <dir>`: writes the scenario as files for a real Flink 1.20 cluster
 * (engine/flink/exportFlink.ts): job.sql, config.yaml and, when SQL cannot express an operator, a DataStream
 * skeleton. Prints one line per file written; `--json` prints `{scenario, out, files: [{name, bytes, description}]}`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { exportFlinkDocument } from '../flink/exportFlink.ts';
import { parseArgs } from './args.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { loadEngineModule, loadScenario } from './load.ts';

export const EXPORT_FLINK_OPTIONS = [
  { name: 'out', value: 'dir' },
  { name: 'json' },
  { name: 'help' },
] as const;

/** Where the files go; the seam tests replace. */
export interface FileWriter {
  write(path: string, text: string): Promise<void>;
}

export const nodeWriter: FileWriter = {
  async write(path, text) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  },
};

export async function exportFlinkCommand(
  argv: readonly string[],
  io: CliIo,
  writer: FileWriter = nodeWriter,
): Promise<number> {
  const args = parseArgs('export-flink', argv, EXPORT_FLINK_OPTIONS);
  const [source, ...extra] = args.positionals;
  if (source === undefined)
    throw new CliError(
      'export-flink needs a scenario: a preset id or a scenario .json file, e.g. export-flink click-count --out flink-job',
      EXIT_USAGE,
      'export-flink',
    );
  if (extra.length > 0)
    throw new CliError(
      `export-flink takes one scenario, got: ${args.positionals.join(' ')}`,
      EXIT_USAGE,
      'export-flink',
    );
  const out = args.value('out');
  if (out === undefined || out.trim() === '')
    throw new CliError(
      'export-flink needs --out <dir>: the folder to write the files to',
      EXIT_USAGE,
      'export-flink',
    );
  const mod = await loadEngineModule();
  const { raw, label } = await loadScenario(source, [], io, mod);
  const result = exportFlinkDocument(raw);
  if (!result.ok) {
    const shown = result.errors.slice(0, 10);
    const more =
      result.errors.length > shown.length
        ? `\n... and ${result.errors.length - shown.length} more problems`
        : '';
    throw new CliError(`${label} is not a valid scenario:\n${shown.join('\n')}${more}`, EXIT_USAGE);
  }
  const written: { name: string; path: string; bytes: number; description: string }[] = [];
  for (const f of result.export.files) {
    const path = join(out, f.name);
    try {
      await writer.write(path, f.text);
    } catch (e) {
      throw new CliError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`, EXIT_RUNTIME);
    }
    written.push({
      name: f.name,
      path,
      bytes: new TextEncoder().encode(f.text).length,
      description: f.description,
    });
  }
  if (args.has('json')) {
    io.stdout(
      JSON.stringify({
        scenario: label,
        out: resolve(out),
        files: written.map(({ name, bytes, description }) => ({ name, bytes, description })),
        dataStreamOperators: result.export.dataStreamOperators,
      }) + '\n',
    );
    return 0;
  }
  const width = Math.max(...written.map((w) => w.path.length));
  io.stdout(
    `Flink 1.20 export of ${label} in ${out}:\n` +
      written.map((w) => `  ${w.path.padEnd(width)}  ${w.description}\n`).join('') +
      'Fill in every "<fill in: ...>" (Kafka brokers, checkpoint and savepoint directories), then run:\n' +
      `  ./bin/sql-client.sh -f ${join(out, 'job.sql')}   (with config.yaml merged into conf/config.yaml)\n`,
  );
  return 0;
}
