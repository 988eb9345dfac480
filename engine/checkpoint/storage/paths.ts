/**
 * Checkpoint paths (reference 2.6 "Checkpoint directory layout"): `<dir>/<job-id>/chk-<n>` with its `_metadata`,
 * `<dir>/<job-id>/shared/` for state several checkpoints reference (incremental), and savepoints as
 * `<savepoint-dir>/savepoint-<job-id prefix>-<id>` (Flink: savepoint-<6 hex of the job id>-<12 random hex>; the id
 * here keeps the name deterministic). The scheme is `indexeddb://<database>`: each checkpoint directory is one
 * IndexedDB database in the worker (FileSystemCheckpointStorage's counterpart).
 */

export const SCHEME = 'indexeddb://';
/** IndexedDB database names of checkpoint directories start with this (listing finds them after a reload). */
export const DB_PREFIX = 'flink-checkpoints:';

export interface DirUri {
  /** The database (the "bucket" of the URI). */
  readonly db: string;
  /** Sub-path inside it, without leading or trailing slashes ('' for the root). */
  readonly base: string;
}

/** Parses `indexeddb://name[/sub/path]`; returns an error message naming the fix otherwise. */
export function parseDirUri(uri: string): DirUri | string {
  const trimmed = uri.trim();
  if (!trimmed.startsWith(SCHEME)) {
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(trimmed)?.[1];
    return (
      `checkpoints are stored in the browser's IndexedDB here, not on ${scheme ? `"${scheme}://"` : 'a local path'}: ` +
      `use a directory like "indexeddb://checkpoint-lab"`
    );
  }
  const rest = trimmed.slice(SCHEME.length).replace(/\/+$/, '');
  const [db, ...sub] = rest.split('/');
  if (db === undefined || db === '' || !/^[A-Za-z0-9._-]+$/.test(db))
    return `the directory name after indexeddb:// must be letters, digits, ".", "_" or "-" (got "${rest}"): e.g. "indexeddb://checkpoint-lab"`;
  return { db, base: sub.filter((s) => s !== '').join('/') };
}

export function dirString(d: DirUri): string {
  return `${SCHEME}${d.db}${d.base === '' ? '' : `/${d.base}`}`;
}

/** `<dir>/<job-id>` (execution.checkpointing.create-subdir true) or `<dir>`. */
export function jobDir(d: DirUri, jobId: string, createSubdir: boolean): string {
  return createSubdir ? `${dirString(d)}/${jobId}` : dirString(d);
}

export function checkpointPath(jobPath: string, id: number): string {
  return `${jobPath}/chk-${id}`;
}

export function savepointPath(d: DirUri, jobId: string, id: number): string {
  return `${dirString(d)}/savepoint-${jobId.slice(0, 6)}-${String(id).padStart(12, '0')}`;
}

/** The file of one subtask's state inside a checkpoint or savepoint directory. */
export function stateFilePath(snapshotPath: string, vertexId: string, subtaskIndex: number): string {
  return `${snapshotPath}/${vertexId}-${subtaskIndex}`;
}

export function sharedFilePath(jobPath: string, key: string): string {
  return `${jobPath}/shared/${key}`;
}

/** The database a path lives in, or null when it is not an indexeddb:// path. */
export function dbOfPath(path: string): string | null {
  const d = parseDirUri(path);
  return typeof d === 'string' ? null : d.db;
}

/**
 * The snapshot directory a file belongs to (`.../chk-7/op-0` -> `.../chk-7`; a savepoint's files likewise), or
 * null for files outside one (shared state).
 */
export function snapshotOfFile(path: string): string | null {
  const m = /^(.*\/(?:chk-\d+|savepoint-[^/]+))\/[^/]+$/.exec(path);
  return m ? (m[1] as string) : null;
}

/** Accepts a snapshot directory or its `_metadata` file (`flink run -s` takes either). */
export function normalizeSnapshotPath(path: string): string {
  return path
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/_metadata$/, '');
}
