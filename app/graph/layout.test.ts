import { describe, expect, it } from 'vitest';
import type { Topology } from '../../engine/protocol.ts';
import { barrierBox, layoutGraph, pointOnCurve, restPoint, VERTICAL_BELOW, wrapName } from './layout.ts';

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
        // Flink's default slot sharing: subtask i of every vertex in shared slot i; one slot per TaskManager here.
        taskManager: i,
        slot: i,
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
      { index: 0, name: 'tm-0', slots: 1 },
      { index: 1, name: 'tm-1', slots: 1 },
      { index: 2, name: 'tm-2', slots: 1 },
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
    it(`places every subtask in its operator column and its TaskManager band without overlaps at ${width} px`, () => {
      const t = topology();
      const layout = layoutGraph(t, width);
      expect(layout.vertical).toBe(width < VERTICAL_BELOW);
      expect(layout.width).toBeGreaterThanOrEqual(width);
      expect(layout.subtasks).toHaveLength(t.subtasks.length);
      const all = { x: 0, y: 0, w: layout.width, h: layout.height };
      for (const st of t.subtasks) {
        const box = layout.subtasks[st.index]!;
        const column = layout.columns.find((c) => c.vertexIds.includes(st.vertexId))!;
        const band = layout.taskManagers.find((b) => b.tm === st.taskManager)!;
        expect(inside(box, column)).toBe(true);
        expect(inside(box, band)).toBe(true);
        expect(inside(box, all)).toBe(true);
      }
      for (const a of layout.subtasks)
        for (const b of layout.subtasks) if (a !== b) expect(overlap(a, b)).toBe(false);
      for (const a of layout.taskManagers)
        for (const b of layout.taskManagers) if (a !== b) expect(overlap(a, b)).toBe(false);
      // The spare TaskManager (no subtask placed there) is still drawn, with its free slot.
      expect(layout.taskManagers.map((b) => b.slots.some((s) => s.used))).toEqual([true, true, false]);
    });
  }

  it('orders vertices by depth: left to right when wide, top to bottom when narrow', () => {
    const wide = layoutGraph(topology(), 1200);
    const x = (id: string) => wide.columns.find((c) => c.vertexIds.includes(id))!.x;
    expect(x('fast')).toBeLessThan(x('sum'));
    expect(x('sum')).toBeLessThan(x('out'));
    expect(x('fast')).toBe(x('slow'));
    const narrow = layoutGraph(topology(), 390);
    const y = (id: string) => narrow.columns.find((c) => c.vertexIds.includes(id))!.y;
    expect(y('fast')).toBeLessThan(y('sum'));
    expect(y('sum')).toBeLessThan(y('out'));
  });

  it('collapses a vertex into one box that stands for all of its subtasks', () => {
    const t = topology();
    const layout = layoutGraph(t, 1200, { sum: true });
    const boxes = t.subtasks.filter((s) => s.vertexId === 'sum').map((s) => layout.subtasks[s.index]!);
    expect(boxes.every((b) => b.aggregate)).toBe(true);
    expect(new Set(boxes.map((b) => `${b.x},${b.y},${b.w},${b.h}`)).size).toBe(1);
    expect(layout.vertices.find((v) => v.id === 'sum')!.collapsed).toBe(true);
    // Vertices that share their depth with another one stay expanded.
    expect(layoutGraph(t, 1200, { fast: true }).vertices.find((v) => v.id === 'fast')!.collapsed).toBe(false);
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
          expect(c.p0.y).toBe(from.y + from.h);
          expect(c.p1.y).toBe(to.y);
          expect(c.p0.x).toBeGreaterThanOrEqual(from.x);
          expect(c.p0.x).toBeLessThanOrEqual(from.x + from.w);
        } else {
          expect(c.p0.x).toBe(from.x + from.w);
          expect(c.p1.x).toBe(to.x);
        }
      }
    }
  });

  it('bundles the channels of a crowded all-to-all edge (8 x 8)', () => {
    const n = 8;
    const subtasks: Topology['subtasks'] = [];
    for (const v of ['a', 'b'])
      for (let i = 0; i < n; i++)
        subtasks.push({
          index: subtasks.length,
          vertexId: v,
          subtaskIndex: i,
          name: `${v}#${i}`,
          taskManager: Math.floor(i / 2),
          slot: i,
          keyGroupRange: null,
        });
    const channels: Topology['channels'] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        channels.push({ index: channels.length, from: i, to: n + j, partitioner: 'hash', capacity: 2 });
    const base = topology();
    const t: Topology = {
      ...base,
      vertices: [
        { id: 'a', name: 'a', operatorIds: ['a'], parallelism: n, maxParallelism: 128, depth: 0 },
        { id: 'b', name: 'b', operatorIds: ['b'], parallelism: n, maxParallelism: 128, depth: 1 },
      ],
      operators: [],
      subtasks,
      channels,
      taskManagers: [0, 1, 2, 3].map((i) => ({ index: i, name: `tm-${i}`, slots: 2 })),
    };
    const layout = layoutGraph(t, 1200);
    expect(layout.channels.every((c) => c.bundled)).toBe(true);
    for (const a of layout.subtasks)
      for (const b of layout.subtasks) if (a !== b) expect(overlap(a, b)).toBe(false);
  });
});

describe('room for what is drawn during alignment', () => {
  /** Long Flink-style names, as in the Click event count preset. */
  function named(): Topology {
    const t = topology();
    const names: Record<string, string> = {
      fast: 'Source: ClickEvent Source',
      slow: 'Source: Slow Source',
      sum: 'ClickEvent Counter',
      out: 'ClickEventStatistics Sink',
    };
    return { ...t, vertices: t.vertices.map((v) => ({ ...v, name: names[v.id] ?? v.id })) };
  }

  // 820 px is the graph card at a 1280 px window; 350 px on a 390 px phone.
  for (const width of [820, 350]) {
    it(`barriers waiting at a receiver cover neither its box nor an operator heading at ${width} px`, () => {
      const layout = layoutGraph(named(), width);
      for (const c of layout.channels) {
        const b = barrierBox(restPoint(c));
        for (const s of layout.subtasks)
          if (s) expect(overlap(b, s), `channel ${c.index} on ${s.name}`).toBe(false);
        for (const v of layout.vertices) {
          // The heading's text line(s): the top 20 px per line of the header box.
          const text = { x: v.x, y: v.y, w: v.w, h: Math.min(v.h, 6 + 16 * v.nameLines.length) };
          expect(overlap(b, text), `channel ${c.index} on the heading of ${v.id}`).toBe(false);
        }
      }
    });
  }

  it('operator names are not cut at 1280 px: they wrap onto a second line', () => {
    const layout = layoutGraph(named(), 820);
    for (const v of layout.vertices) {
      expect(v.nameLines.join('').replace(/\s/g, ''), v.id).toBe(v.name.replace(/\s/g, ''));
      expect(v.nameLines.length).toBeLessThanOrEqual(2);
    }
  });

  it('wrapName breaks after spaces and colons, else between words of a CamelCase name', () => {
    expect(wrapName('Source: ClickEvent Source', 18)).toEqual(['Source: ClickEvent', 'Source']);
    expect(wrapName('ClickEventStatistics Sink', 18)).toEqual(['ClickEvent', 'Statistics Sink']);
    expect(wrapName('Short', 18)).toEqual(['Short']);
    expect(wrapName('A very long operator name that does not fit twice', 12)).toEqual([
      'A very long',
      'operator na…',
    ]);
  });
});
