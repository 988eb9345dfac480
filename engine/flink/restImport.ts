/**
 * Reads a real Flink `GET /jobs/:jobid/checkpoints` response (reference 6.2) so the Checkpoints panels and the
 * CLI's `inspect` can show statistics from a real cluster. Both shapes Flink has served are accepted:
 *
 * - 1.14 and earlier: each checkpoint's type discriminator is `@class`, the summary has min/max/avg only and there
 *   is no `checkpointed_size`;
 * - 1.15+: the discriminator is `className` (CheckpointStatistics' `@JsonTypeInfo(property = "className")` since
 *   FLINK-24407), the summary adds p50/p90/p95/p99/p999 (serialized "NaN" when nothing completed) and every
 *   checkpoint carries `checkpointed_size` beside `state_size`.
 *
 * The result is normalized to the 1.15+ shape the simulator itself produces (engine/checkpoint/checkpointStats.ts):
 * `className`, and `checkpointed_size` = `state_size` where a 1.14 file has none (a full checkpoint's checkpointed
 * size is its state size; `hasCheckpointedSize` says when it was filled in). Unknown extra fields are kept out,
 * never an error: newer Flink versions add fields. A bad file gives one message naming the field (a JSON path such
 * as `history[2].status`) and what was expected. No DOM, no Node: the app and the CLI both use it.
 */
import { z } from 'zod';
import { locateJsonError } from '../cli/jsonText.ts';
import { formatPath, show } from '../scenario/suggest.ts';

/** Flink's StatsSummaryDto; quantiles may be the string "NaN" (Jackson's double NaN) or absent (1.14). */
export interface ImportedSummary {
  min: number;
  max: number;
  avg: number;
  p50: number | 'NaN';
  p90: number | 'NaN';
  p95: number | 'NaN';
  p99: number | 'NaN';
  p999: number | 'NaN';
}

export type ImportedStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface ImportedCheckpoint {
  className: 'completed' | 'failed' | 'in_progress';
  id: number;
  status: ImportedStatus;
  is_savepoint: boolean;
  trigger_timestamp: number;
  latest_ack_timestamp: number;
  checkpointed_size: number;
  state_size: number;
  end_to_end_duration: number;
  alignment_buffered: number;
  processed_data: number;
  persisted_data: number;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
  checkpoint_type: string;
  /** Per-vertex statistics when the file has them (Flink's list endpoint sends `{}`). */
  tasks: Record<string, unknown>;
  external_path?: string;
  discarded?: boolean;
  failure_timestamp?: number;
  failure_message?: string;
}

export interface ImportedStatistics {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  summary: Record<string, ImportedSummary>;
  latest: {
    completed: ImportedCheckpoint | null;
    savepoint: ImportedCheckpoint | null;
    failed: ImportedCheckpoint | null;
    restored: { id: number; restore_timestamp: number; is_savepoint: boolean; external_path: string } | null;
  };
  history: ImportedCheckpoint[];
}

export interface ImportedFile {
  /** Which serialization the file uses. */
  shape: '1.14' | '1.15+';
  /** True when the file itself carries `checkpointed_size` (1.15+); false when it was filled in from `state_size`. */
  hasCheckpointedSize: boolean;
  /** True when the summary carries percentiles (1.15+). */
  hasPercentiles: boolean;
  stats: ImportedStatistics;
}

export type ImportResult = { ok: true; file: ImportedFile } | { ok: false; error: string };

/** Files larger than this are refused before parsing (a real response with 10 history entries is ~10 kB). */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

const num = z.number({ error: (i) => `expected a number, got ${describe(i.input)}` });
const int = z
  .number({ error: (i) => `expected an integer, got ${describe(i.input)}` })
  .int({ error: (i) => `expected an integer, got ${describe(i.input)}` });
const bool = z.boolean({ error: (i) => `expected true or false, got ${describe(i.input)}` });
const str = z.string({ error: (i) => `expected a string, got ${describe(i.input)}` });
const quantile = z.union([z.number(), z.literal('NaN')], {
  error: (i) => `expected a number or "NaN", got ${describe(i.input)}`,
});

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  return show(v);
}

function obj<T extends z.ZodRawShape>(shape: T) {
  return z.looseObject(shape, { error: (i) => `expected an object, got ${describe(i.input)}` });
}

const summarySchema = obj({
  min: num,
  max: num,
  avg: num,
  p50: quantile.optional(),
  p90: quantile.optional(),
  p95: quantile.optional(),
  p99: quantile.optional(),
  p999: quantile.optional(),
});

const CLASS_NAMES = ['completed', 'failed', 'in_progress'] as const;
const STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
const classOf = z.enum(CLASS_NAMES, {
  error: (i) => `expected one of "completed", "failed", "in_progress", got ${describe(i.input)}`,
});

const checkpointSchema = obj({
  className: classOf.optional(),
  '@class': classOf.optional(),
  id: int,
  status: z.enum(STATUSES, {
    error: (i) => `expected one of "IN_PROGRESS", "COMPLETED", "FAILED", got ${describe(i.input)}`,
  }),
  is_savepoint: bool,
  trigger_timestamp: num,
  latest_ack_timestamp: num,
  checkpointed_size: num.optional(),
  state_size: num,
  end_to_end_duration: num,
  alignment_buffered: num.optional(),
  processed_data: num.optional(),
  persisted_data: num.optional(),
  num_subtasks: int,
  num_acknowledged_subtasks: int,
  checkpoint_type: str.optional(),
  tasks: z
    .record(z.string(), z.unknown(), { error: (i) => `expected an object, got ${describe(i.input)}` })
    .optional(),
  external_path: z.string().nullish(),
  discarded: z.boolean().nullish(),
  failure_timestamp: z.number().nullish(),
  failure_message: z.string().nullish(),
});

const countsSchema = obj({
  restored: int,
  total: int,
  in_progress: int,
  completed: int,
  failed: int,
});

const restoredSchema = obj({
  id: int,
  restore_timestamp: num,
  is_savepoint: bool,
  external_path: z.string().nullish(),
});

const statisticsSchema = obj({
  counts: countsSchema,
  summary: z.record(z.string(), summarySchema, {
    error: (i) => `expected an object, got ${describe(i.input)}`,
  }),
  latest: obj({
    completed: checkpointSchema.nullable().optional(),
    savepoint: checkpointSchema.nullable().optional(),
    failed: checkpointSchema.nullable().optional(),
    restored: restoredSchema.nullable().optional(),
  }),
  history: z.array(checkpointSchema, { error: (i) => `expected a list, got ${describe(i.input)}` }),
});

type RawCheckpoint = z.infer<typeof checkpointSchema>;

/** Fields Flink always writes in this response; a file missing them is probably another endpoint. */
const TOP_LEVEL = ['counts', 'summary', 'latest', 'history'] as const;

/** Other Flink endpoints people save by mistake, recognized by their fields, with what they are. */
function recognizeOtherEndpoint(v: Record<string, unknown>): string | null {
  if ('mode' in v && 'interval' in v && 'timeout' in v)
    return 'this looks like GET /jobs/:jobid/checkpoints/config (it has "mode", "interval", "timeout")';
  if ('subtasks' in v && 'summary' in v && !('history' in v))
    return 'this looks like GET /jobs/:jobid/checkpoints/details/:id/subtasks/:vertexid';
  if ('className' in v || '@class' in v)
    return 'this looks like GET /jobs/:jobid/checkpoints/details/:id (one checkpoint)';
  if ('jid' in v && 'vertices' in v) return 'this looks like GET /jobs/:jobid (the job overview)';
  if ('jobs' in v) return 'this looks like GET /jobs/overview';
  return null;
}

function expectedEndpoint(): string {
  return 'expected the JSON of GET /jobs/:jobid/checkpoints: { "counts": …, "summary": …, "latest": …, "history": [ … ] }';
}

function classField(raw: RawCheckpoint, path: string): { value: RawCheckpoint['className']; key: string } {
  if (raw.className !== undefined) return { value: raw.className, key: 'className' };
  if (raw['@class'] !== undefined) return { value: raw['@class'], key: '@class' };
  throw new ImportError(
    `${path}: missing the type field "className" (Flink 1.15+) or "@class" (Flink 1.14); expected "completed", "failed" or "in_progress"`,
  );
}

class ImportError extends Error {}

const STATUS_OF: Record<(typeof CLASS_NAMES)[number], ImportedStatus> = {
  completed: 'COMPLETED',
  failed: 'FAILED',
  in_progress: 'IN_PROGRESS',
};

function normalizeCheckpoint(raw: RawCheckpoint, path: string, keys: Set<string>): ImportedCheckpoint {
  const cls = classField(raw, path);
  keys.add(cls.key);
  const className = cls.value ?? 'completed';
  if (STATUS_OF[className] !== raw.status)
    throw new ImportError(
      `${path}.status: "${raw.status}" does not match ${cls.key} "${className}" (expected "${STATUS_OF[className]}")`,
    );
  const out: ImportedCheckpoint = {
    className,
    id: raw.id,
    status: raw.status,
    is_savepoint: raw.is_savepoint,
    trigger_timestamp: raw.trigger_timestamp,
    latest_ack_timestamp: raw.latest_ack_timestamp,
    checkpointed_size: raw.checkpointed_size ?? raw.state_size,
    state_size: raw.state_size,
    end_to_end_duration: raw.end_to_end_duration,
    alignment_buffered: raw.alignment_buffered ?? 0,
    processed_data: raw.processed_data ?? 0,
    persisted_data: raw.persisted_data ?? 0,
    num_subtasks: raw.num_subtasks,
    num_acknowledged_subtasks: raw.num_acknowledged_subtasks,
    checkpoint_type: raw.checkpoint_type ?? (raw.is_savepoint ? 'SAVEPOINT' : 'CHECKPOINT'),
    tasks: raw.tasks ?? {},
  };
  if (raw.external_path !== null && raw.external_path !== undefined) out.external_path = raw.external_path;
  if (raw.discarded !== null && raw.discarded !== undefined) out.discarded = raw.discarded;
  if (raw.failure_timestamp !== null && raw.failure_timestamp !== undefined)
    out.failure_timestamp = raw.failure_timestamp;
  if (raw.failure_message !== null && raw.failure_message !== undefined)
    out.failure_message = raw.failure_message;
  return out;
}

function normalizeSummary(raw: z.infer<typeof summarySchema>): ImportedSummary {
  return {
    min: raw.min,
    max: raw.max,
    avg: raw.avg,
    p50: raw.p50 ?? 'NaN',
    p90: raw.p90 ?? 'NaN',
    p95: raw.p95 ?? 'NaN',
    p99: raw.p99 ?? 'NaN',
    p999: raw.p999 ?? 'NaN',
  };
}

/** The first zod issue as "path: message". */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid file';
  const path = formatPath(issue.path);
  return `${path === '' ? '(top level)' : path}: ${issue.message}`;
}

/** Validates an already parsed JSON value. */
export function importCheckpointStats(value: unknown): ImportResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `(top level): ${expectedEndpoint()}; got ${describe(value)}` };
  const record = value as Record<string, unknown>;
  const missing = TOP_LEVEL.filter((k) => !(k in record));
  if (missing.length > 0) {
    const other = recognizeOtherEndpoint(record);
    const why = other === null ? '' : ` — ${other}`;
    return {
      ok: false,
      error: `${missing[0]}: missing${why}; ${expectedEndpoint()}`,
    };
  }
  const parsed = statisticsSchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
  const raw = parsed.data;
  try {
    const keys = new Set<string>();
    let hasCheckpointedSize = false;
    const norm = (c: RawCheckpoint | null | undefined, path: string): ImportedCheckpoint | null => {
      if (c === null || c === undefined) return null;
      if (c.checkpointed_size !== undefined) hasCheckpointedSize = true;
      return normalizeCheckpoint(c, path, keys);
    };
    const history = raw.history.map((c, i) => norm(c, `history[${i}]`) as ImportedCheckpoint);
    const latest = {
      completed: norm(raw.latest.completed, 'latest.completed'),
      savepoint: norm(raw.latest.savepoint, 'latest.savepoint'),
      failed: norm(raw.latest.failed, 'latest.failed'),
      restored:
        raw.latest.restored === null || raw.latest.restored === undefined
          ? null
          : {
              id: raw.latest.restored.id,
              restore_timestamp: raw.latest.restored.restore_timestamp,
              is_savepoint: raw.latest.restored.is_savepoint,
              external_path: raw.latest.restored.external_path ?? '',
            },
    };
    if (keys.has('className') && keys.has('@class'))
      throw new ImportError(
        'history: mixes "className" (Flink 1.15+) and "@class" (Flink 1.14) type fields; a real response uses one',
      );
    const c = raw.counts;
    if (c.total !== c.in_progress + c.completed + c.failed)
      throw new ImportError(
        `counts.total: ${c.total} is not in_progress + completed + failed (${c.in_progress} + ${c.completed} + ${c.failed} = ${c.in_progress + c.completed + c.failed})`,
      );
    const summary: Record<string, ImportedSummary> = {};
    let hasPercentiles = false;
    for (const [k, s] of Object.entries(raw.summary)) {
      if (s.p50 !== undefined) hasPercentiles = true;
      summary[k] = normalizeSummary(s);
    }
    const shape: ImportedFile['shape'] = keys.has('@class')
      ? '1.14'
      : keys.has('className') || hasPercentiles || hasCheckpointedSize
        ? '1.15+'
        : '1.14';
    if (summary.checkpointed_size === undefined && summary.state_size !== undefined)
      summary.checkpointed_size = summary.state_size;
    return {
      ok: true,
      file: {
        shape,
        hasCheckpointedSize,
        hasPercentiles,
        stats: { counts: { ...c }, summary, latest, history },
      },
    };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Parses and validates the text of a saved response. `name` (a file name) prefixes JSON syntax errors. */
export function parseCheckpointStats(text: string, name = 'file'): ImportResult {
  if (text.length > MAX_IMPORT_BYTES)
    return {
      ok: false,
      error: `${name}: ${text.length} characters is over the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit for an imported checkpoints response`,
    };
  if (text.trim() === '') return { ok: false, error: `${name}: the file is empty; ${expectedEndpoint()}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = locateJsonError(text);
    const detail = at === null ? (e instanceof Error ? e.message : String(e)) : at.problem;
    const where = at === null ? '' : `:${at.line}:${at.column}`;
    return { ok: false, error: `${name}${where}: not valid JSON: ${detail}` };
  }
  return importCheckpointStats(value);
}

/** What `inspect` prints: counts, the latest completed checkpoint and the summary. */
export interface InspectReport {
  shape: ImportedFile['shape'];
  counts: ImportedStatistics['counts'];
  latestCompleted: ImportedCheckpoint | null;
  latestSavepoint: ImportedCheckpoint | null;
  latestFailed: ImportedCheckpoint | null;
  restored: ImportedStatistics['latest']['restored'];
  summary: Record<string, ImportedSummary>;
  /** History entries by status (the file's history, at most `web.checkpoints.history` of them). */
  history: { entries: number; completed: number; failed: number; in_progress: number; savepoints: number };
}

export function inspectReport(file: ImportedFile): InspectReport {
  const h = file.stats.history;
  return {
    shape: file.shape,
    counts: file.stats.counts,
    latestCompleted: file.stats.latest.completed,
    latestSavepoint: file.stats.latest.savepoint,
    latestFailed: file.stats.latest.failed,
    restored: file.stats.latest.restored,
    summary: file.stats.summary,
    history: {
      entries: h.length,
      completed: h.filter((c) => c.status === 'COMPLETED').length,
      failed: h.filter((c) => c.status === 'FAILED').length,
      in_progress: h.filter((c) => c.status === 'IN_PROGRESS').length,
      savepoints: h.filter((c) => c.is_savepoint).length,
    },
  };
}
