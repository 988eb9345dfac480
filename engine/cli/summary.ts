/** The human summary `run` prints without --json: a few lines read off engine.result(). */
import type { RunResult } from '../engine.ts';
import { formatTable, type Cell } from './table.ts';

/** Records shown per sink. */
export const SAMPLE_RECORDS = 3;
/** Per-subtask state is listed up to this parallelism. */
const MAX_SUBTASKS_LISTED = 8;

/** Virtual µs as seconds without trailing zeros: 20000000 -> "20 s", 12345600 -> "12.3456 s". */
export function formatSeconds(us: number): string {
  const s = (us / 1e6).toFixed(6).replace(/\.?0+$/, '');
  return `${s} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "12 completed, 1 failed" when `checkpoints` has the REST shape `{counts: {...}}`, else null. */
export function checkpointCounts(checkpoints: unknown): string | null {
  if (typeof checkpoints !== 'object' || checkpoints === null) return null;
  const counts = (checkpoints as { counts?: unknown }).counts;
  if (typeof counts !== 'object' || counts === null) return null;
  const c = counts as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, label] of [
    ['completed', 'completed'],
    ['failed', 'failed'],
    ['in_progress', 'in progress'],
    ['restored', 'restored'],
  ] as const) {
    const v = c[key];
    if (typeof v === 'number') parts.push(`${v} ${label}`);
  }
  return parts.length === 0 ? null : parts.join(', ');
}

export function formatRunSummary(result: RunResult, info: { source: string }): string {
  const lines: string[] = [];
  const field = (name: string, value: string): void => {
    lines.push(`${name.padEnd(13)}${value}`);
  };
  const ended =
    result.job.status === 'FINISHED' || result.job.status === 'FAILED' || result.job.status === 'CANCELED';
  field('Scenario', `${result.scenario} (${info.source})`);
  field('Seed', String(result.seed));
  field(
    'Virtual time',
    ended
      ? `${formatSeconds(result.virtualTimeUs)} (job ${result.job.status})`
      : `${formatSeconds(result.virtualTimeUs)}`,
  );
  field('Events', String(result.events));
  field('Trace hash', result.traceHash);
  const job = [result.job.status, plural(result.job.restarts, 'restart')];
  if (result.job.failure !== null) job.push(`failure: ${result.job.failure}`);
  field('Job', job.join(', '));
  const cps = checkpointCounts(result.checkpoints);
  if (cps !== null) field('Checkpoints', cps);

  const sinks = Object.entries(result.sinks);
  lines.push('', sinks.length === 0 ? 'Sinks: none' : 'Sinks');
  for (const [id, out] of sinks) {
    lines.push(`  ${id}: ${out.committed.length} committed, ${out.all.length} written`);
    const sample = out.committed.length > 0 ? out.committed : out.all;
    const which = out.committed.length > 0 ? 'committed' : 'written';
    for (const row of sample.slice(0, SAMPLE_RECORDS)) lines.push(`    ${JSON.stringify(row)}`);
    if (sample.length > SAMPLE_RECORDS) lines.push(`    ... ${sample.length - SAMPLE_RECORDS} more ${which}`);
  }

  const state = Object.entries(result.state);
  lines.push('', state.length === 0 ? 'State: none' : 'State');
  if (state.length > 0) {
    const rows: Cell[][] = state.map(([id, s]) => {
      const perSubtask =
        s.subtasks.length <= MAX_SUBTASKS_LISTED
          ? s.subtasks.map((t) => `#${t.index} ${t.bytes} B/${plural(t.keys, 'key')}`).join(', ')
          : `${s.subtasks.length} subtasks`;
      return [id, s.bytes, s.keys, perSubtask];
    });
    lines.push(formatTable(['operator', 'bytes', 'keys', 'per subtask'], rows, '  '));
  }
  return lines.join('\n') + '\n';
}
