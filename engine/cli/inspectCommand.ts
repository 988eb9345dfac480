/**
 * `inspect <file.json>`: reads a saved Flink `GET /jobs/:jobid/checkpoints` response (1.14 `@class` or 1.15+
 * `className` shape, engine/flink/restImport.ts) and prints its counts, the latest completed checkpoint and the
 * summary; `--json` prints the same as one object. A bad file exits 2 with a message naming the field.
 */
import {
  inspectReport,
  parseCheckpointStats,
  type ImportedSummary,
  type InspectReport,
} from '../flink/restImport.ts';
import { parseArgs } from './args.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { formatTable } from './table.ts';

export const INSPECT_OPTIONS = [{ name: 'json' }, { name: 'help' }] as const;

function usage(message: string): CliError {
  return new CliError(message, EXIT_USAGE, 'inspect');
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/** Milliseconds since the epoch as an ISO time (UTC); small values (the simulator's virtual ms) as seconds. */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'n/a';
  // Before 2001-09-09 (1e12 ms) it is not a wall-clock time: the simulator counts virtual ms from the run's start.
  if (ms < 1e12) return `${(ms / 1000).toFixed(3)} s (virtual)`;
  return new Date(ms).toISOString();
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const SUMMARY_ROWS: readonly [string, string, 'ms' | 'bytes'][] = [
  ['end_to_end_duration', 'end to end (ms)', 'ms'],
  ['checkpointed_size', 'checkpointed size', 'bytes'],
  ['state_size', 'full size', 'bytes'],
  ['processed_data', 'processed data', 'bytes'],
  ['persisted_data', 'persisted data', 'bytes'],
  ['alignment_buffered', 'alignment buffered', 'bytes'],
];

function q(v: number | 'NaN', unit: 'ms' | 'bytes'): string {
  if (v === 'NaN') return 'n/a';
  return unit === 'ms' ? String(Math.round(v * 10) / 10) : bytes(Math.round(v));
}

export function formatInspectReport(report: InspectReport, name: string): string {
  const c = report.counts;
  const shape = report.shape === '1.14' ? 'Flink 1.14 shape ("@class")' : 'Flink 1.15+ shape ("className")';
  const lines = [
    `${name}: GET /jobs/:jobid/checkpoints, ${shape}`,
    '',
    `counts: ${c.total} triggered, ${c.completed} completed, ${c.failed} failed, ${c.in_progress} in progress, ${c.restored} restored`,
    `history: ${report.history.entries} entries (${report.history.completed} completed, ${report.history.failed} failed, ${report.history.in_progress} in progress; ${report.history.savepoints} savepoints)`,
    '',
  ];
  const l = report.latestCompleted;
  if (l === null) lines.push('latest completed checkpoint: none');
  else {
    lines.push(
      `latest completed checkpoint: ${l.id}${l.is_savepoint ? ' (savepoint)' : ''} (${l.checkpoint_type})`,
    );
    lines.push(`  triggered      ${formatTimestamp(l.trigger_timestamp)}`);
    lines.push(`  completed      ${formatTimestamp(l.latest_ack_timestamp)}`);
    lines.push(`  end to end     ${l.end_to_end_duration} ms`);
    lines.push(`  checkpointed   ${bytes(l.checkpointed_size)} (full ${bytes(l.state_size)})`);
    lines.push(`  subtasks       ${l.num_acknowledged_subtasks}/${l.num_subtasks} acknowledged`);
    if (l.external_path !== undefined) lines.push(`  path           ${l.external_path}`);
  }
  if (report.latestSavepoint !== null)
    lines.push(
      `latest savepoint: ${report.latestSavepoint.id} ${report.latestSavepoint.external_path ?? ''}`.trimEnd(),
    );
  if (report.latestFailed !== null)
    lines.push(
      `latest failed checkpoint: ${report.latestFailed.id}: ${report.latestFailed.failure_message ?? '(no message)'}`,
    );
  if (report.restored !== null)
    lines.push(
      `latest restore: ${report.restored.is_savepoint ? 'savepoint' : 'checkpoint'} ${report.restored.id} at ${formatTimestamp(report.restored.restore_timestamp)}`,
    );
  lines.push('', 'summary:');
  const rows = SUMMARY_ROWS.flatMap(([key, label, unit]) => {
    const s: ImportedSummary | undefined = report.summary[key];
    if (s === undefined) return [];
    return [[label, q(s.min, unit), q(s.avg, unit), q(s.max, unit), q(s.p50, unit), q(s.p99, unit)]];
  });
  lines.push(formatTable(['', 'min', 'avg', 'max', 'p50', 'p99'], rows, '  '));
  if (report.shape === '1.14')
    lines.push(
      '  (Flink 1.14 reports no percentiles and no checkpointed size: shown as n/a / the full size)',
    );
  return lines.join('\n') + '\n';
}

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs('inspect', argv, INSPECT_OPTIONS);
  const [path, ...extra] = args.positionals;
  if (path === undefined)
    throw usage(
      'inspect needs a file: the saved JSON of GET /jobs/:jobid/checkpoints, e.g. inspect checkpoints.json',
    );
  if (extra.length > 0)
    throw usage(`inspect takes one file, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT') throw usage(`file not found: ${path}`);
    if (code === 'EISDIR') throw usage(`${path} is a directory, not a .json file`);
    throw new CliError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, EXIT_RUNTIME);
  }
  const result = parseCheckpointStats(text, path);
  if (!result.ok) {
    const msg = result.error.startsWith(path) ? result.error : `${path}: ${result.error}`;
    throw new CliError(msg, EXIT_USAGE, null);
  }
  const report = inspectReport(result.file);
  io.stdout(args.has('json') ? JSON.stringify(report) + '\n' : formatInspectReport(report, path));
  return 0;
}
