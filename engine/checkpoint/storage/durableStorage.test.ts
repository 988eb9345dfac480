import 'fake-indexeddb/auto';
import { IDBFactory as FakeIDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, presetScenario } from '../../engine.ts';
import { InProcessLocks } from './locks.ts';
import { listRetained, loadSnapshot, removeOrphans } from './retained.ts';
import { startFromSnapshot } from './startFromSnapshot.ts';
import { bindLive, createStorageEnv, type StorageEnv } from './storageEnv.ts';
import { IndexedDbCheckpointStorage } from './indexedDbCheckpointStorage.ts';
import { JobManagerCheckpointStorage } from '../checkpointStorage.ts';

/** A fresh, empty IndexedDB (fake-indexeddb keeps databases across the tests of one file). */
function freshIndexedDb(): void {
  (globalThis as unknown as { indexedDB: unknown }).indexedDB = new (
    FakeIDBFactory as unknown as new () => object
  )();
}

let n = 0;
let db = '';
beforeEach(() => {
  freshIndexedDb();
  db = `test-${++n}`;
});

/** The click-count preset writing its checkpoints to indexeddb://<db>; state files even for small state. */
function scenario(config: Record<string, unknown> = {}): Record<string, unknown> {
  const s = presetScenario('click-count') as { config: Record<string, unknown> };
  s.config = {
    ...s.config,
    'execution.checkpointing.dir': `indexeddb://${db}`,
    'execution.checkpointing.data-inline-threshold': '0 b',
    ...config,
  };
  return s;
}

async function liveEngine(env: StorageEnv, doc: unknown, jobId = 'a'.repeat(32)): Promise<Engine> {
  const r = createEngine(doc, { storage: { env, jobId }, timeTravel: false });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await bindLive(env, r.engine.runtime, r.engine.runtime.storage);
  return r.engine;
}

function completedIds(e: Engine): number[] {
  return e.runtime.coordinator.completed.map((c) => c.id);
}

describe('durable checkpoint storage (IndexedDB)', () => {
  it('is selected by a checkpoint directory, or by execution.checkpointing.storage', () => {
    const withDir = createEngine(scenario());
    expect(withDir.ok && withDir.engine.runtime.storage).toBeInstanceOf(IndexedDbCheckpointStorage);
    const byKey = createEngine({
      ...presetScenario('click-count')!,
      config: { 'execution.checkpointing.interval': '1s', 'execution.checkpointing.storage': 'filesystem' },
    });
    expect(byKey.ok && byKey.engine.runtime.storage.name).toBe('FileSystemCheckpointStorage');
    const dflt = createEngine(presetScenario('click-count'));
    expect(dflt.ok && dflt.engine.runtime.storage).toBeInstanceOf(JobManagerCheckpointStorage);
  });

  it('refuses a directory that is not indexeddb://, naming the fix', () => {
    const r = createEngine(scenario({ 'execution.checkpointing.dir': 'hdfs:///flink/checkpoints' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]?.message).toContain('use a directory like "indexeddb://checkpoint-lab"');
  });

  it('the trace does not depend on whether the bytes are really written', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const live = await liveEngine(env, scenario());
    await live.runUntilAsync(6_000_000);
    const shadow = createEngine(scenario(), { timeTravel: false });
    if (!shadow.ok) throw new Error('load');
    shadow.engine.runUntil(6_000_000);
    expect(live.traceHash()).toBe(shadow.engine.traceHash());
    expect(completedIds(live).length).toBeGreaterThan(0);
  });

  it('stores each completed checkpoint with its _metadata; subsumed ones are deleted (num-retained)', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario({ 'execution.checkpointing.num-retained': 2 }));
    await e.runUntilAsync(6_000_000);
    await env.directory(db).flush();
    const list = await listRetained(env);
    const mine = list.snapshots.filter((s) => s.kind === 'checkpoint').map((s) => s.checkpointId);
    expect(mine).toEqual([...completedIds(e)].reverse());
    expect(mine).toHaveLength(2);
    const first = list.snapshots[0]!;
    expect(first.path).toBe(`indexeddb://${db}/${'a'.repeat(32)}/chk-${first.checkpointId}`);
    expect(first.jobName).toBe('Click event count');
    expect(first.parallelism).toEqual({ clicks: 2, counter: 2, output: 2 });
    expect(first.storedBytes).toBeGreaterThan(0);
    // The REST external path is the stored path.
    const stats = e.checkpointStatsJson() as { latest: { completed: { external_path: string } } };
    expect(stats.latest.completed.external_path).toBe(first.path);
    // Only the files of retained checkpoints are left.
    const files = await env.directory(db).filePaths();
    expect(new Set(files.map((f) => f.replace(/\/[^/]+$/, '')))).toEqual(
      new Set(list.snapshots.map((s) => s.path)),
    );
  });

  it('a run killed mid-checkpoint leaves the previous checkpoint intact; its orphan files go on the next start', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario());
    await e.runUntilAsync(4_000_000);
    const before = completedIds(e);
    // Step until a checkpoint's state files are stored but it has not completed: the worker dies there.
    const dir = env.directory(db);
    let orphan: string | null = null;
    for (let i = 0; i < 200_000 && orphan === null; i++) {
      if (!e.stepEvent()) await e.runUntilAsync(e.now());
      await dir.flush();
      const pending = [...e.runtime.coordinator.pending.keys()];
      if (pending.length === 0) continue;
      const files = await dir.filePaths();
      const id = pending[0]!;
      if (files.some((f) => f.includes(`/chk-${id}/`))) orphan = `chk-${id}`;
    }
    expect(orphan).not.toBeNull();
    env.held?.release(); // the tab is gone: its lock with it
    env.held = null;

    // A new worker on the same database.
    const env2 = createStorageEnv(null, new InProcessLocks());
    const listed = await listRetained(env2);
    expect(listed.snapshots.map((s) => s.checkpointId)).toEqual([before.at(-1)]);
    expect(await removeOrphans(env2)).toBe(1);
    expect((await env2.directory(db).filePaths()).some((f) => f.includes(`/${orphan}/`))).toBe(false);
    const loaded = await loadSnapshot(env2, `${listed.snapshots[0]!.path}/_metadata`);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const started = startFromSnapshot(loaded, {}, { env: env2, jobId: 'b'.repeat(32) });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const r = started.engine;
    await bindLive(env2, r.runtime, r.runtime.storage);
    await r.runUntilAsync(loaded.checkpoint.completedUs + 3_000_000);
    expect(r.runtime.status).toBe('RUNNING');
    const stats = r.checkpointStatsJson() as { latest: { restored: { id: number; external_path: string } } };
    expect(stats.latest.restored.id).toBe(before.at(-1));
    // Ids continue after the restored one; the new job writes below its own job directory.
    expect(completedIds(r)[0]).toBeGreaterThan(before.at(-1)!);
    await env2.directory(db).flush();
    const after = await listRetained(env2);
    expect(after.snapshots.some((s) => s.jobId === 'b'.repeat(32) && s.ownJob)).toBe(true);
    // NO_CLAIM: the restored checkpoint stays, though the new job's store subsumed it.
    expect(after.snapshots.some((s) => s.path === listed.snapshots[0]!.path)).toBe(true);
  });

  it('a restore equals the original run from that checkpoint on, also rescaled', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario());
    await e.runUntilAsync(5_000_000);
    await env.directory(db).flush();
    const [snap] = (await listRetained(env)).snapshots;
    const loaded = await loadSnapshot(env, snap!.path);
    if (!loaded.ok) throw new Error(loaded.message);
    const inMemory = e.runtime.coordinator.latestCompleted()!;
    expect(loaded.checkpoint.subtasks).toEqual(inMemory.subtasks);
    const rescaled = startFromSnapshot(
      loaded,
      { parallelism: { counter: 3 } },
      { env, jobId: 'c'.repeat(32) },
    );
    expect(rescaled.ok).toBe(true);
    if (!rescaled.ok) return;
    rescaled.engine.runUntil(loaded.checkpoint.completedUs + 2_000_000);
    expect(rescaled.engine.topology().vertices.find((v) => v.id.includes('counter'))?.parallelism).toBe(3);
    const keys = (x: Engine): number => x.stateSummary()['counter']!.keys;
    expect(rescaled.engine.runtime.status).toBe('RUNNING');
    expect(keys(rescaled.engine)).toBeGreaterThan(0);
    const bad = startFromSnapshot(loaded, { parallelism: { nope: 2 } }, { env, jobId: 'd'.repeat(32) });
    expect(!bad.ok && bad.errors[0]?.message).toContain('no operator "nope"');
  });

  it('NO_CLAIM forces the first checkpoint after a restore to be full; CLAIM does not', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario());
    await e.runUntilAsync(3_000_000);
    await env.directory(db).flush();
    const loaded = await loadSnapshot(env, (await listRetained(env)).snapshots[0]!.path);
    if (!loaded.ok) throw new Error(loaded.message);
    for (const mode of ['NO_CLAIM', 'CLAIM'] as const) {
      const r = startFromSnapshot(loaded, { claimMode: mode }, { env, jobId: 'e'.repeat(32) });
      if (!r.ok) throw new Error('start');
      const c = r.engine.runtime.coordinator;
      r.engine.runUntil(loaded.checkpoint.completedUs + 1);
      expect(c.forceFullSnapshot).toBe(mode === 'NO_CLAIM');
      const first = c.peekNextId();
      while (!c.pending.has(first)) r.engine.stepEvent();
      // The backend asks the coordinator whether this checkpoint must be a full one.
      expect(c.isFullSnapshot(first)).toBe(mode === 'NO_CLAIM');
      r.engine.stepTo('checkpoint-completed');
      expect(c.latestCompleted()?.id).toBe(first);
      expect(c.forceFullSnapshot).toBe(false);
      expect(c.isFullSnapshot(c.peekNextId())).toBe(false);
    }
  });

  it('retention on a terminal status follows CheckpointProperties', async () => {
    const cases = [
      ['NO_EXTERNALIZED_CHECKPOINTS', 'CANCELED', 0],
      ['DELETE_ON_CANCELLATION', 'CANCELED', 0],
      ['RETAIN_ON_CANCELLATION', 'CANCELED', 1],
      ['DELETE_ON_CANCELLATION', 'FAILED', 1],
      ['NO_EXTERNALIZED_CHECKPOINTS', 'FAILED', 0],
      ['RETAIN_ON_CANCELLATION', 'FINISHED', 0],
    ] as const;
    for (const [policy, status, kept] of cases) {
      freshIndexedDb();
      const env = createStorageEnv(null, new InProcessLocks());
      const e = await liveEngine(
        env,
        scenario({ 'execution.checkpointing.externalized-checkpoint-retention': policy }),
      );
      await e.runUntilAsync(3_000_000);
      const storage = e.runtime.storage as IndexedDbCheckpointStorage;
      storage.jobTerminated(status, e.runtime.coordinator.completed);
      await env.directory(db).flush();
      const left = (await listRetained(env)).snapshots.filter((s) => s.kind === 'checkpoint');
      expect([policy, status, left.length]).toEqual([policy, status, kept]);
    }
  });

  it('savepoints are stored too and survive the job’s termination', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario());
    await e.runUntilAsync(2_000_000);
    const id = e.triggerSavepoint();
    await e.runUntilAsync(4_000_000);
    (e.runtime.storage as IndexedDbCheckpointStorage).jobTerminated(
      'CANCELED',
      e.runtime.coordinator.completed,
    );
    await env.directory(db).flush();
    const list = (await listRetained(env)).snapshots;
    expect(list.map((s) => [s.kind, s.checkpointId])).toEqual([['savepoint', id]]);
    expect(list[0]!.path).toBe(`indexeddb://${db}/savepoint-aaaaaa-${String(id).padStart(12, '0')}`);
  });

  it('a failed write (quota exceeded) fails that checkpoint with CHECKPOINT_ASYNC_EXCEPTION', async () => {
    const env = createStorageEnv(null, new InProcessLocks());
    const e = await liveEngine(env, scenario({ 'execution.checkpointing.tolerable-failed-checkpoints': 5 }));
    await e.runUntilAsync(2_000_000);
    const quota = new Error('The quota has been exceeded.');
    quota.name = 'QuotaExceededError';
    env.directory(db).failNextWrites(quota, 1);
    await e.runUntilAsync(4_000_000);
    const stats = e.checkpointStatsJson() as {
      counts: { failed: number };
      latest: { failed: { failure_message: string } };
    };
    expect(stats.counts.failed).toBe(1);
    expect(stats.latest.failed.failure_message).toContain('Asynchronous task checkpoint failed.');
    expect(stats.latest.failed.failure_message).toContain('QuotaExceededError');
    expect(e.runtime.status).toBe('RUNNING');
  });

  it('IndexedDB unavailable: JobManager storage with a clear notice, the scenario unchanged', () => {
    const env = createStorageEnv('IndexedDB is not available in this browser context', new InProcessLocks());
    const r = createEngine(scenario(), { storage: { env, jobId: 'f'.repeat(32) } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.engine.runtime.storage).toBeInstanceOf(JobManagerCheckpointStorage);
    const notice = r.engine.frame().log.find((l) => l.text.includes('Durable checkpoint storage is off'));
    expect(notice?.text).toContain('IndexedDB is not available');
    expect(r.engine.scenario.config.str('execution.checkpointing.dir')).toBe(`indexeddb://${db}`);
  });

  it('orphans of a job alive in another tab (its lock held) are left alone', async () => {
    const locks = new InProcessLocks();
    const envA = createStorageEnv(null, locks);
    const a = await liveEngine(envA, scenario());
    await a.runUntilAsync(1_500_000);
    const dir = envA.directory(db);
    await dir.writeFile({
      path: `indexeddb://${db}/${'a'.repeat(32)}/chk-99/x-0`,
      jobPath: `indexeddb://${db}/${'a'.repeat(32)}`,
      bytes: 1,
      data: null,
    });
    const envB = createStorageEnv(null, locks); // another tab, same origin
    expect(await removeOrphans(envB)).toBe(0);
    envA.held?.release();
    expect(await removeOrphans(envB)).toBe(1);
  });
});
