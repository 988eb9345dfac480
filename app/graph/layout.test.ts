import { describe, expect, it } from 'vitest';
import type { Topology } from '../../engine/protocol.ts';
import { layoutGraph, pointOnCurve, VERTICAL_BELOW } from './layout.ts';

/** Two sources (parallelism 2 and 1) into a keyed operator (2) into a sink (2), like the union preset. */
function topology(): Topology {
  const vertices = [
    { id: 'fast', parallelism: 2, depth: 0 },
    { id: 'slow', parallelism: 1, depth: 0 },
    { id: 'sum', parallelism: 2, depth: 1 },
    { id: 'out', parallelism: 2, depth: 2 },
  ];
  const subtasks: Topology['subtasks'] = [];
  for (const v of vertices)
    for (let i = 0; i < v.parallelism; i++)
      subtasks.push({
        index: subtasks.length,
        vertexId: v.id,
        subtaskIndex: i,
        name: `${v.id}#${i}`,
        taskManager: i,
        slot: 0,
        keyGroupRange: null,
      });
  const of = (id: string) => subtasks.filter((s) => s.vertexId === id).map((s) => s.index);
  const channels: Topology['channels'] = [];
  for (const from of [...of('fast'), ...of('slow')])
    for (const to of of('sum'))
      channels.push({ index: channels.length, from, to, partitioner: 'hash', capacity: 4 });
  of('sum').forEach((from, i) =>
    channels.push({ index: channels.length, from, to: of('out')[i]!, partitioner: 'forward', capacity: 4 }),
  );
  return {
    jobName: 'test',
    scenarioName: 'test',
    seed: 1,
    operators: vertices.map((v) => ({
      id: v.id,
      name: v.id,
      kind: 'map',
      parallelism: v.parallelism,
      maxParallelism: 128,
      keyBy: null,
      vertexId: v.id,
    })),
    vertices: vertices.map((v) => ({
      id: v.id,
      name: v.id,
      operatorIds: [v.id],
      parallelism: v.parallelism,
      maxParallelism: 128,
      depth: v.depth,
    })),
    edges: [],
    subtasks,
    channels,
    taskManagers: [
      { index: 0, name: 'tm-0', slots: 2 },
      { index: 1, name: 'tm-1', slots: 2 },
    ],
    sinks: [],
  };
}

type Box = { x: number; y: number; w: number; h: number };
const inside = (a: Box, b: Box) =>
  a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('layoutGraph', () => {
  for (const width of [1200, 800, 390, 320]) {
    it(`places every subtask inside its vertex without overlaps at ${width} px`, () => {
      const t = topology();
      const layout = layoutGraph(t, width);
      expect(layout.vertical).toBe(width < VERTICAL_BELOW);
      expect(layout.width).toBeGreaterThanOrEqual(width);
      expect(layout.subtasks).toHaveLength(t.subtasks.length);
      for (const st of t.subtasks) {
        const box = layout.subtasks[st.index]!;
        const vertex = layout.vertices.find((v) => v.id === st.vertexId)!;
        expect(inside(box, vertex)).toBe(true);
        expect(inside(box, { x: 0, y: 0, w: layout.width, h: layout.height })).toBe(true);
      }
      for (const a of layout.vertices)
        for (const b of layout.vertices) if (a !== b) expect(overlap(a, b)).toBe(false);
    });
  }

  it('orders vertices by depth: left to right when wide, top to bottom when narrow', () => {
    const wide = layoutGraph(topology(), 1200);
    const x = (id: string) => wide.vertices.find((v) => v.id === id)!.x;
    expect(x('fast')).toBeLessThan(x('sum'));
    expect(x('sum')).toBeLessThan(x('out'));
    const narrow = layoutGraph(topology(), 390);
    const y = (id: string) => narrow.vertices.find((v) => v.id === id)!.y;
    expect(y('fast')).toBeLessThan(y('sum'));
    expect(y('sum')).toBeLessThan(y('out'));
  });

  it('draws every channel from its sender towards its receiver', () => {
    const t = topology();
    for (const width of [1200, 390]) {
      const layout = layoutGraph(t, width);
      for (const ch of t.channels) {
        const c = layout.channels[ch.index]!;
        const start = pointOnCurve(c, 0);
        const end = pointOnCurve(c, 1);
        expect(start).toEqual(c.p0);
        expect(end.x).toBeCloseTo(c.p1.x);
        expect(end.y).toBeCloseTo(c.p1.y);
        const from = layout.subtasks[ch.from]!;
        const to = layout.subtasks[ch.to]!;
        if (layout.vertical) {
          expect(c.p0.y).toBeGreaterThanOrEqual(from.y + from.h);
          expect(c.p1.y).toBeLessThanOrEqual(to.y);
          expect(c.p0.x).toBeGreaterThanOrEqual(from.x);
          expect(c.p0.x).toBeLessThanOrEqual(from.x + from.w);
        } else {
          expect(c.p0.x).toBe(from.x + from.w);
          expect(c.p1.x).toBe(to.x);
        }
      }
    }
  });
});
