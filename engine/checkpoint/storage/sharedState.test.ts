import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createEngine, presetScenario } from '../../engine.ts';
import type { CompletedCheckpoint, SubtaskSnapshot } from '../checkpointCoordinator.ts';
import { IndexedDbCheckpointStorage } from './indexedDbCheckpointStorage.ts';
import { InProcessLocks } from './locks.ts';
import { loadSnapshot } from './retained.ts';
import { createStorageEnv } from './storageEnv.ts';

/** A keyed handle shaped like the LSM backend's (engine/state/lsm/handles.ts): shared runs and a private part. */
function lsmHandle(id: number, runs: { key: string; uploaded: boolean; fill: number }[]): unknown {
  return {
    kind: 'keyed',
    backend: 'indexeddb',
    maxParallelism: 128,
    keyGroupRange: { start: 0, end: 127 },
    keyType: 'string',
    offsets: [],
    bytes: new Uint8Array([id]),
    stateSize: 1 + runs.length * 100,
    checkpointedSize: 1 + runs.filter((r) => r.uploaded).length * 100,
    checkpointId: id,
    incremental: runs.some((r) => !r.uploaded),
    handles: [
      ...runs.map((r) => ({
        kind: 'shared-run',
        key: r.key,
        uploaded: r.uploaded,
        uploadedBy: 1,
        bytes: new Uint8Array(100).fill(r.fill),
        size: 100,
        level: 0,
        keyGroupRange: { start: 0, end: 127 },
      })),
      { kind: 'private', name: 'manifest', bytes: new Uint8Array([id, id]) },
    ],
  };
}

describe('shared runs in durable storage (incremental checkpoints)', () => {
  it('stores an uploaded run once, references it later, restores the bytes and deletes it when unused', async () => {
    const s = presetScenario('click-count') as { config: Record<string, unknown> };
    s.config = { ...s.config, 'execution.checkpointing.dir': 'indexeddb://shared-test' };
    const created = createEngine(s);
    if (!created.ok) throw new Error('load');
    const env = createStorageEnv(null, new InProcessLocks());
    const owner = {};
    env.live = owner;
    const storage = new IndexedDbCheckpointStorage(
      created.engine.scenario,
      { db: 'shared-test', base: '' },
      { db: 'shared-test', base: '' },
      { env, jobId: 'j'.repeat(32), rawScenario: s, jobName: 'x' },
      owner,
    );
    const dir = env.directory('shared-test');
    const checkpoint = (id: number, runs: { key: string; uploaded: boolean; fill: number }[]) => {
      const operators = {
        counter: { keyed: lsmHandle(id, runs), operator: { kind: 'operator', states: [], stateSize: 0 } },
      } as SubtaskSnapshot['operators'];
      const up = storage.upload(id, 'counter#0', [1 + runs.filter((r) => r.uploaded).length * 100], {
        type: 'CHECKPOINT',
        vertexId: 'counter',
        subtaskIndex: 0,
        operators,
      });
      if (!up.ok) throw new Error('upload');
      const cp: CompletedCheckpoint = {
        id,
        type: 'CHECKPOINT',
        triggerUs: id,
        completedUs: id,
        isSavepoint: false,
        externalPath: storage.externalPath(id, false),
        vertices: [{ id: 'counter', parallelism: 1, maxParallelism: 128, operatorIds: ['counter'] }],
        subtasks: [
          {
            vertexId: 'counter',
            subtaskIndex: 0,
            operators,
            channelState: {},
            stats: { stateSize: 1, checkpointedSize: 1 } as SubtaskSnapshot['stats'],
          },
        ],
        stateSize: 1,
      };
      storage.finalize(cp);
      return cp;
    };
    const cp1 = checkpoint(1, [{ key: 'r1', uploaded: true, fill: 1 }]);
    const cp2 = checkpoint(2, [
      { key: 'r2', uploaded: true, fill: 2 },
      { key: 'r1', uploaded: false, fill: 1 },
    ]);
    await dir.flush();
    const shared = (await dir.filePaths()).filter((f) => f.includes('/shared/'));
    expect(shared).toEqual([
      `indexeddb://shared-test/${'j'.repeat(32)}/shared/r1`,
      `indexeddb://shared-test/${'j'.repeat(32)}/shared/r2`,
    ]);
    const loaded = await loadSnapshot(env, cp2.externalPath);
    if (!loaded.ok) throw new Error(loaded.message);
    const h = loaded.checkpoint.subtasks[0]!.operators['counter']!.keyed as unknown as {
      handles: { bytes: Uint8Array }[];
    };
    expect(h.handles.map((x) => x.bytes[0])).toEqual([2, 1, 2]);
    expect(loaded.record.sharedFiles).toHaveLength(2);
    // CP1 subsumed: r1 is still referenced by CP2 and stays.
    storage.discardSubsumed(cp1, [cp2]);
    await dir.flush();
    expect((await dir.filePaths()).filter((f) => f.includes('/shared/'))).toHaveLength(2);
    // CP3 after a compaction references only a new run: CP2 subsumed, r1 and r2 go.
    const cp3 = checkpoint(3, [{ key: 'r3', uploaded: true, fill: 3 }]);
    storage.discardSubsumed(cp2, [cp3]);
    await dir.flush();
    expect((await dir.filePaths()).filter((f) => f.includes('/shared/')).map((f) => f.slice(-2))).toEqual([
      'r3',
    ]);
  });
});
