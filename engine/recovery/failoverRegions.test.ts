import { describe, expect, it } from 'vitest';
import {
  type RegionLink,
  type SubtaskRef,
  computePipelinedRegions,
  computeSubtaskRegions,
  tasksToRestart,
  verticesToRestart,
} from './failoverRegions.ts';

/** Expands a logical pipeline into subtasks and channels: forward = i -> i, anything else = all-to-all. */
function expand(
  vertices: { id: string; p: number }[],
  edges: { from: string; to: string; kind: 'forward' | 'hash' | 'rebalance' | 'broadcast' }[],
): { subtasks: SubtaskRef[]; channels: RegionLink[] } {
  const subtasks = vertices.flatMap((v) =>
    Array.from({ length: v.p }, (_, i) => ({ id: `${v.id}#${i}`, vertex: v.id, index: i })),
  );
  const p = new Map(vertices.map((v) => [v.id, v.p]));
  const channels: RegionLink[] = [];
  for (const e of edges) {
    const pf = p.get(e.from) ?? 0;
    const pt = p.get(e.to) ?? 0;
    for (let i = 0; i < pf; i++) {
      if (e.kind === 'forward') channels.push({ from: `${e.from}#${i}`, to: `${e.to}#${i}` });
      else for (let j = 0; j < pt; j++) channels.push({ from: `${e.from}#${i}`, to: `${e.to}#${j}` });
    }
  }
  return { subtasks, channels };
}

describe('subtask-level regions', () => {
  it('a connected keyed job (playground shape, p = 2) is one region: any failure restarts every task', () => {
    const { subtasks, channels } = expand(
      [
        { id: 'clicks', p: 2 },
        { id: 'counter', p: 2 },
        { id: 'sink', p: 2 },
      ],
      [
        { from: 'clicks', to: 'counter', kind: 'hash' },
        { from: 'counter', to: 'sink', kind: 'forward' },
      ],
    );
    const regions = computeSubtaskRegions(subtasks, channels);
    expect(regions).toEqual([['clicks#0', 'clicks#1', 'counter#0', 'counter#1', 'sink#0', 'sink#1']]);
    expect(tasksToRestart('sink#1', 'region', regions)).toEqual(regions[0]);
  });

  it('a forward-only pipeline with p = 2 has 2 regions, one per parallel instance', () => {
    const { subtasks, channels } = expand(
      [
        { id: 'source', p: 2 },
        { id: 'map', p: 2 },
        { id: 'sink', p: 2 },
      ],
      [
        { from: 'source', to: 'map', kind: 'forward' },
        { from: 'map', to: 'sink', kind: 'forward' },
      ],
    );
    const regions = computeSubtaskRegions(subtasks, channels);
    expect(regions).toEqual([
      ['source#0', 'map#0', 'sink#0'],
      ['source#1', 'map#1', 'sink#1'],
    ]);
    expect(tasksToRestart('map#1', 'region', regions, channels)).toEqual(['source#1', 'map#1', 'sink#1']);
    expect(tasksToRestart('source#0', 'region', regions)).toEqual(['source#0', 'map#0', 'sink#0']);
    expect(tasksToRestart('map#1', 'full', regions)).toEqual([
      'source#0',
      'map#0',
      'sink#0',
      'source#1',
      'map#1',
      'sink#1',
    ]);
  });

  it('one all-to-all edge (rebalance or broadcast) anywhere joins every instance into one region', () => {
    for (const kind of ['rebalance', 'broadcast'] as const) {
      const { subtasks, channels } = expand(
        [
          { id: 'source', p: 2 },
          { id: 'map', p: 2 },
          { id: 'sink', p: 2 },
        ],
        [
          { from: 'source', to: 'map', kind: 'forward' },
          { from: 'map', to: 'sink', kind },
        ],
      );
      expect(computeSubtaskRegions(subtasks, channels)).toHaveLength(1);
    }
  });

  it('a subtask without channels is a region of its own; unknown and duplicate ids are errors', () => {
    const subtasks = [
      { id: 'a#0', vertex: 'a', index: 0 },
      { id: 'b#0', vertex: 'b', index: 0 },
    ];
    expect(computeSubtaskRegions(subtasks, [])).toEqual([['a#0'], ['b#0']]);
    expect(() => computeSubtaskRegions(subtasks, [{ from: 'a#0', to: 'c#0' }])).toThrow(
      /unknown subtask "c#0"/,
    );
    expect(() => computeSubtaskRegions([...subtasks, subtasks[0] as SubtaskRef], [])).toThrow(/duplicate/);
    expect(() => tasksToRestart('z#9', 'region', [['a#0']])).toThrow(/unknown failed subtask/);
  });
});

describe('vertex-level regions', () => {
  const jobs = {
    vertices: ['a.source', 'b.source', 'a.map', 'b.sink', 'a.sink'],
    edges: [
      { from: 'a.map', to: 'a.sink' },
      { from: 'b.source', to: 'b.sink' },
      { from: 'a.source', to: 'a.map' },
    ],
  };

  it('two disconnected pipelines are two regions, each in input order, ordered by first vertex', () => {
    expect(computePipelinedRegions(jobs.vertices, jobs.edges)).toEqual([
      ['a.source', 'a.map', 'a.sink'],
      ['b.source', 'b.sink'],
    ]);
  });

  it('region failover restarts only the failed pipeline; full restarts everything', () => {
    expect(verticesToRestart('a.map', 'region', jobs.vertices, jobs.edges)).toEqual([
      'a.source',
      'a.map',
      'a.sink',
    ]);
    expect(verticesToRestart('b.sink', 'region', jobs.vertices, jobs.edges)).toEqual(['b.source', 'b.sink']);
    expect(verticesToRestart('b.sink', 'full', jobs.vertices, jobs.edges)).toEqual(jobs.vertices);
  });

  it('a pipelined edge joins both ends whatever its direction relative to the vertex order', () => {
    expect(computePipelinedRegions(['x', 'y', 'z'], [{ from: 'z', to: 'x' }])).toEqual([['x', 'z'], ['y']]);
  });

  it('blocking edges are boundaries: consumer regions restart with their producer, not the reverse', () => {
    const vertices = ['src', 'agg', 'out'];
    const edges = [
      { from: 'src', to: 'agg', blocking: true },
      { from: 'agg', to: 'out' },
    ];
    expect(computePipelinedRegions(vertices, edges)).toEqual([['src'], ['agg', 'out']]);
    expect(verticesToRestart('src', 'region', vertices, edges)).toEqual(['src', 'agg', 'out']);
    expect(verticesToRestart('out', 'region', vertices, edges)).toEqual(['agg', 'out']);
    // the producer region joins only when the result it wrote is gone
    expect(verticesToRestart('out', 'region', vertices, edges, () => false)).toEqual(['src', 'agg', 'out']);
  });

  it('regions in a cycle over blocking edges are merged (FLINK-17330)', () => {
    const edges = [
      { from: 'p', to: 'q', blocking: true },
      { from: 'q', to: 'p', blocking: true },
      { from: 'q', to: 'r', blocking: true },
    ];
    expect(computePipelinedRegions(['p', 'q', 'r'], edges)).toEqual([['p', 'q'], ['r']]);
    expect(verticesToRestart('r', 'region', ['p', 'q', 'r'], edges)).toEqual(['r']);
  });

  it('consumer chains over blocking subtask channels are followed transitively', () => {
    const subtasks = ['a', 'b', 'c', 'd'].map((id) => ({ id, vertex: id, index: 0 }));
    const channels = [
      { from: 'a', to: 'b', blocking: true },
      { from: 'b', to: 'c', blocking: true },
      { from: 'd', to: 'c' },
    ];
    const regions = computeSubtaskRegions(subtasks, channels);
    expect(regions).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(tasksToRestart('a', 'region', regions, channels)).toEqual(['a', 'b', 'c', 'd']);
    expect(tasksToRestart('b', 'region', regions, channels)).toEqual(['b', 'c', 'd']);
    expect(tasksToRestart('b', 'region', regions)).toEqual(['b']);
  });
});
