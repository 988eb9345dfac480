/**
 * Shared state in durable storage (incremental checkpoints, reference 3.4). The LSM backend's keyed handle
 * (engine/state/lsm/handles.ts) lists immutable sorted runs by a stable key: a run this checkpoint uploaded
 * (`uploaded: true`) is stored once as `<job>/shared/<key>`; a run it only references (`uploaded: false`, Flink's
 * PlaceholderStreamStateHandle) points to the file an earlier checkpoint stored. State files and `_metadata` keep a
 * reference (`file`) instead of the run's bytes; a restore puts the bytes back. Other handles pass through as they
 * are. Detected by shape, so storage does not depend on the backend's code.
 */
import type { SubtaskSnapshot } from '../checkpointCoordinator.ts';
import { sharedFilePath } from './paths.ts';

interface SharedRunLike {
  readonly kind: 'shared-run';
  readonly key: string;
  readonly uploaded: boolean;
  readonly bytes?: Uint8Array;
  readonly size: number;
  /** Set in stored form: the file holding the run's bytes. */
  readonly file?: string;
}

type Operators = SubtaskSnapshot['operators'];

function runsOf(h: unknown): readonly unknown[] | null {
  const handles = (h as { handles?: unknown } | null)?.handles;
  return Array.isArray(handles) ? handles : null;
}

function isRun(x: unknown): x is SharedRunLike {
  return (x as { kind?: unknown } | null)?.kind === 'shared-run';
}

export interface Externalized {
  /** The operators as stored: shared runs without bytes, with `file`. */
  readonly data: Operators;
  /** Shared runs this checkpoint uploaded: path and bytes, to store once. */
  readonly uploads: { path: string; bytes: Uint8Array; size: number }[];
  /** Every shared file the operators reference. */
  readonly refs: string[];
}

/**
 * Replaces shared runs' bytes by file references. `known` maps run keys to the files they are stored in (runs
 * uploaded earlier, or by the snapshot this job was restored from); a referenced run whose file is unknown is
 * uploaded again under this job (never lost).
 */
export function externalizeShared(ops: Operators, jobPath: string, known: Map<string, string>): Externalized {
  const uploads: Externalized['uploads'] = [];
  const refs: string[] = [];
  let changed = false;
  const data: Record<string, Operators[string]> = {};
  for (const [id, o] of Object.entries(ops)) {
    const handles = runsOf(o.keyed);
    if (handles === null || o.keyed === null) {
      data[id] = o;
      continue;
    }
    changed = true;
    const stored = handles.map((x) => {
      if (!isRun(x)) return x;
      let file = known.get(x.key);
      if (file === undefined || x.uploaded) {
        file = sharedFilePath(jobPath, encodeURIComponent(x.key));
        known.set(x.key, file);
        if (x.bytes !== undefined) uploads.push({ path: file, bytes: x.bytes, size: x.size });
      }
      refs.push(file);
      const { bytes: _bytes, ...rest } = x;
      return { ...rest, file };
    });
    data[id] = { ...o, keyed: { ...o.keyed, handles: stored } as typeof o.keyed };
  }
  return { data: changed ? data : ops, uploads, refs };
}

/** The shared files stored operators reference. */
export function sharedRefs(ops: Operators): string[] {
  const out: string[] = [];
  for (const o of Object.values(ops))
    for (const x of runsOf(o.keyed) ?? []) if (isRun(x) && x.file !== undefined) out.push(x.file);
  return out;
}

/** Puts the runs' bytes back (`files`: shared file path -> bytes). */
export function internalizeShared(ops: Operators, files: ReadonlyMap<string, unknown>): Operators {
  const data: Record<string, Operators[string]> = {};
  for (const [id, o] of Object.entries(ops)) {
    const handles = runsOf(o.keyed);
    if (handles === null || o.keyed === null) {
      data[id] = o;
      continue;
    }
    const runs = handles.map((x) => {
      if (!isRun(x) || x.file === undefined) return x;
      const { file: _file, ...rest } = x;
      return { ...rest, bytes: files.get(x.file) as Uint8Array };
    });
    data[id] = { ...o, keyed: { ...o.keyed, handles: runs } as typeof o.keyed };
  }
  return data;
}
