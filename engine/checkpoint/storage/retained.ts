/**
 * What survives a reload: the completed checkpoints and savepoints in every checkpoint directory (their `_metadata`
 * records), how to load one back into a CompletedCheckpoint a job can start from, and the removal of orphaned
 * files (snapshots that never got their `_metadata`: a worker killed mid-checkpoint, a closed tab).
 */
import type { RetainedList, RetainedSnapshot } from '../../protocol.ts';
import type { CompletedCheckpoint, SubtaskSnapshot } from '../checkpointCoordinator.ts';
import { type MetadataRecord, listDirectories } from './checkpointDirectory.ts';
import { lockName } from './locks.ts';
import { dbOfPath, normalizeSnapshotPath } from './paths.ts';
import { internalizeShared, sharedRefs } from './sharedState.ts';
import type { StorageEnv } from './storageEnv.ts';

function summary(m: MetadataRecord, env: StorageEnv): RetainedSnapshot {
  const parallelism: Record<string, number> = {};
  for (const v of m.vertices) for (const op of v.operatorIds) parallelism[op] = v.parallelism;
  return {
    path: m.path,
    jobId: m.jobId,
    jobName: m.jobName,
    checkpointId: m.checkpointId,
    kind: m.kind,
    type: m.type,
    timeUs: m.completedUs,
    stateSize: m.stateSize,
    storedBytes: m.storedBytes,
    parallelism,
    ownJob: env.held?.name === lockName(m.jobPath),
  };
}

/** Every retained snapshot of every checkpoint directory, newest first. */
export async function listRetained(env: StorageEnv, orphansRemoved = 0): Promise<RetainedList> {
  const base = { locking: env.locks.kind, orphansRemoved };
  if (env.unavailable !== null)
    return { ...base, available: false, reason: env.unavailable, directories: [], snapshots: [] };
  const dbs = await listDirectories();
  const snapshots: RetainedSnapshot[] = [];
  for (const db of dbs) {
    for (const m of await env.directory(db).listMetadata()) snapshots.push(summary(m, env));
  }
  snapshots.sort(
    (a, b) => b.timeUs - a.timeUs || b.checkpointId - a.checkpointId || (a.path < b.path ? -1 : 1),
  );
  return {
    ...base,
    available: true,
    reason: null,
    directories: dbs.map((d) => `indexeddb://${d}`),
    snapshots,
  };
}

export type LoadedSnapshot =
  { ok: true; checkpoint: CompletedCheckpoint; record: MetadataRecord } | { ok: false; message: string };

/** Reads a completed snapshot back (`flink run -s <path>`): its `_metadata`, then the files it references. */
export async function loadSnapshot(env: StorageEnv, rawPath: string): Promise<LoadedSnapshot> {
  if (env.unavailable !== null) return { ok: false, message: env.unavailable };
  const path = normalizeSnapshotPath(rawPath);
  const db = dbOfPath(path);
  if (db === null)
    return {
      ok: false,
      message: `"${rawPath}" is not a snapshot path: use one like indexeddb://checkpoint-lab/<job-id>/chk-7`,
    };
  const dir = env.directory(db);
  const record = await dir.getMetadata(path);
  if (record === undefined)
    return {
      ok: false,
      message: `no completed checkpoint or savepoint at ${path} (a snapshot is complete only once its _metadata is stored); list them with retainedCheckpoints()`,
    };
  const wanted = record.subtasks.map((s) => s.file).filter((f): f is string => f !== null);
  const files = await dir.getFiles(wanted);
  const missing = wanted.filter((f) => !files.has(f));
  if (missing.length > 0)
    return {
      ok: false,
      message: `${path} is damaged: its _metadata references missing state files (${missing.join(', ')})`,
    };
  const stored = record.subtasks.map(({ file, operators, ...rest }) => ({
    ...rest,
    operators: (file === null ? operators : files.get(file)?.data) as SubtaskSnapshot['operators'],
  }));
  // Shared runs (incremental checkpoints): their bytes from the job's shared files.
  const sharedPaths = [...new Set(stored.flatMap((s) => sharedRefs(s.operators)))];
  const shared = await dir.getFiles(sharedPaths);
  const lost = sharedPaths.filter((f) => !shared.has(f));
  if (lost.length > 0)
    return { ok: false, message: `${path} is damaged: shared state files are missing (${lost.join(', ')})` };
  const bytes = new Map([...shared].map(([k, v]) => [k, v.data]));
  const subtasks: SubtaskSnapshot[] = stored.map((s) => ({
    ...s,
    operators: internalizeShared(s.operators, bytes),
  }));
  const checkpoint: CompletedCheckpoint = {
    id: record.checkpointId,
    type: record.type,
    triggerUs: record.triggerUs,
    completedUs: record.completedUs,
    isSavepoint: record.kind === 'savepoint',
    externalPath: record.path,
    vertices: record.vertices,
    subtasks,
    stateSize: record.stateSize,
  };
  return { ok: true, checkpoint, record };
}

/**
 * Removes incomplete snapshots (files without `_metadata`) of jobs no tab is running: a job alive in another tab
 * holds its lock, so its checkpoint in progress is left alone. Returns how many snapshots were removed.
 */
export async function removeOrphans(env: StorageEnv): Promise<number> {
  if (env.unavailable !== null) return 0;
  let removed = 0;
  const dbs = await listDirectories();
  for (const db of dbs) {
    const dir = env.directory(db);
    const orphans = await dir.orphanSnapshots();
    const byJob = new Map<string, string[]>();
    for (const o of orphans) byJob.set(o.jobPath, [...(byJob.get(o.jobPath) ?? []), o.snapshot]);
    for (const [jobPath, snaps] of byJob) {
      if (env.held?.name === lockName(jobPath)) continue; // this tab's own job: in progress
      await env.locks.tryWith(lockName(jobPath), async () => {
        for (const s of snaps) await dir.deleteSnapshot(s);
        removed += snaps.length;
      });
    }
  }
  return removed;
}
