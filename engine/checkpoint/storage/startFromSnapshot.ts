/**
 * `flink run -s <path>` for a stored snapshot: a new job of the snapshot's own scenario (what "start from here"
 * means after a reload), optionally with new parallelism per operator (state assignment rescales it, reference
 * 4.3 / 4.6) and a claim mode (reference 2.6). Its virtual time resumes where the snapshot was taken, so the input
 * topics continue from the offsets in its state.
 */
import { type CreateResult, type EngineOptions, createEngine } from '../../engine.ts';
import type { RestoreFromOptions } from '../../protocol.ts';
import type { LoadedSnapshot } from './retained.ts';
import type { ClaimMode, StorageOptions } from './storageEnv.ts';

const CLAIM_KEY = 'execution.state-recovery.claim-mode';

export function startFromSnapshot(
  loaded: Extract<LoadedSnapshot, { ok: true }>,
  opts: RestoreFromOptions,
  storage: Omit<StorageOptions, 'restoredFrom'>,
  base: EngineOptions = {},
): CreateResult {
  const { checkpoint: snap, record } = loaded;
  const fail = (path: string, message: string): CreateResult => ({ ok: false, errors: [{ path, message }] });
  if (record.scenario === null || typeof record.scenario !== 'object')
    return fail('path', `${record.path} does not carry the scenario it was taken from`);
  const doc = JSON.parse(JSON.stringify(record.scenario)) as {
    job?: { operators?: Record<string, unknown>[] };
    config?: Record<string, unknown>;
    faults?: unknown[];
    cluster?: { taskManagers?: number; slotsPerTaskManager?: number };
  };
  doc.faults = []; // the new job starts fresh: the old run's scheduled faults are in its past
  if (opts.claimMode !== undefined) doc.config = { ...(doc.config ?? {}), [CLAIM_KEY]: opts.claimMode };
  const parallelism = opts.parallelism ?? {};
  const rescaled = Object.entries(parallelism).some(
    ([opId, p]) => snap.vertices.find((v) => v.operatorIds.includes(opId))?.parallelism !== p,
  );
  if (rescaled && snap.subtasks.some((s) => Object.keys(s.channelState).length > 0))
    return fail(
      'path',
      `checkpoint ${snap.id} is unaligned and holds in-flight data; this simulator rescales only from aligned snapshots: start it with its own parallelism, take a savepoint and rescale from that`,
    );
  for (const [opId, p] of Object.entries(parallelism)) {
    const op = doc.job?.operators?.find((o) => o.id === opId);
    if (!op) return fail(`parallelism.${opId}`, `no operator "${opId}" in the job of ${record.path}`);
    if (!Number.isInteger(p) || p < 1)
      return fail(
        `parallelism.${opId}`,
        `parallelism must be a whole number of at least 1 (got ${String(p)})`,
      );
    op.parallelism = p;
  }
  // Enough slots for the widest vertex (slot sharing: one slot per parallel instance), unless told otherwise.
  const cluster = (doc.cluster ??= {});
  const slots = Math.max(1, cluster.slotsPerTaskManager ?? 1);
  const widest = Math.max(1, ...snap.vertices.map((v) => v.parallelism), ...Object.values(parallelism));
  if (opts.taskManagers !== undefined) cluster.taskManagers = opts.taskManagers;
  else if ((cluster.taskManagers ?? 1) * slots < widest) cluster.taskManagers = Math.ceil(widest / slots);
  const claimMode = (
    (doc.config?.[CLAIM_KEY] as string | undefined) ?? 'NO_CLAIM'
  ).toUpperCase() as ClaimMode;
  return createEngine(doc, {
    ...base,
    fromSnapshot: snap,
    startAtUs: snap.completedUs,
    storage: { ...storage, restoredFrom: { path: record.path, claimMode } },
  });
}
