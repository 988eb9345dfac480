import { describe, expect, it } from 'vitest';
import type { SharedRunHandle } from '../state/lsm/handles.ts';
import { SharedStateRegistry } from './sharedStateRegistry.ts';

function run(key: string, uploadedBy: number, uploaded: boolean, size = 100): SharedRunHandle {
  return {
    kind: 'shared-run',
    key,
    uploaded,
    uploadedBy,
    bytes: new Uint8Array(size),
    size,
    level: 0,
    keyGroupRange: { start: 0, end: 1 },
  };
}

describe('SharedStateRegistry (Flink SharedStateRegistryImpl rules)', () => {
  it('keeps a run while a retained checkpoint uses it, and discards it once subsumed', () => {
    const r = new SharedStateRegistry();
    const a1 = run('a', 1, true);
    expect(r.registerReference('a', a1, 1)).toBe(a1);
    r.registerReference('b', run('b', 1, true), 1);
    // checkpoint 2 references a (placeholder) and uploads c; b was compacted away
    expect(r.registerReference('a', run('a', 1, false), 2)).toBe(a1);
    r.registerReference('c', run('c', 2, true), 2);
    expect(r.entry('a')?.lastUsedCheckpointId).toBe(2);
    // num-retained 1: checkpoint 1 subsumed, the lowest retained is 2
    const gone = r.unregisterUnusedState(2);
    expect(gone.map((h) => h.key)).toEqual(['b']);
    expect(r.size).toBe(2);
    expect(r.discardedBytes).toBe(100);
    // checkpoint 3 no longer uses a or c
    r.registerReference('d', run('d', 3, true), 3);
    expect(
      r
        .unregisterUnusedState(3)
        .map((h) => h.key)
        .sort(),
    ).toEqual(['a', 'c']);
  });

  it('never discards the state of a checkpoint restored in NO_CLAIM mode', () => {
    const r = new SharedStateRegistry();
    const subtasks = [
      {
        vertexId: 'v',
        subtaskIndex: 0,
        subtask: 0,
        channelState: {},
        stats: {} as never,
        operators: {
          op: {
            operator: { kind: 'operator', states: [], stateSize: 0 } as never,
            keyed: {
              kind: 'keyed',
              backend: 'indexeddb',
              maxParallelism: 2,
              keyGroupRange: { start: 0, end: 1 },
              keyType: 'string',
              offsets: [],
              bytes: new Uint8Array(0),
              stateSize: 100,
              checkpointedSize: 100,
              checkpointId: 7,
              incremental: false,
              handles: [run('old', 7, true)],
            } as never,
          },
        },
      },
    ];
    r.registerAllAfterRestored(subtasks, 7, 'NO_CLAIM');
    r.registerReference('new', run('new', 8, true), 8);
    expect(r.unregisterUnusedState(9).map((h) => h.key)).toEqual(['new']);
    expect(r.size).toBe(0);
  });

  it('a reference to a run registered by no checkpoint of this job keeps its creator', () => {
    const r = new SharedStateRegistry();
    r.registerReference('x', run('x', 3, false), 4);
    expect(r.entry('x')?.createdByCheckpointId).toBe(3);
  });
});
