/**
 * Job-graph layout: JobVertices in columns by `depth` (left to right), each expanded to its subtasks;
 * channels as horizontal cubic curves between subtasks. Pure geometry: the same numbers feed the SVG layer
 * (static structure) and the canvas layer (in-flight items positioned along the curves).
 */
import { scaleBand, scaleOrdinal, schemeTableau10 } from 'd3';
import type { Topology } from '../../engine/protocol.ts';

export interface Point {
  x: number;
  y: number;
}

export interface VertexBox {
  id: string;
  name: string;
  /** One line per chained operator. */
  operators: { name: string; kind: string }[];
  parallelism: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SubtaskBox {
  index: number;
  label: string;
  name: string;
  placement: string;
  taskManager: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ChannelCurve {
  index: number;
  p0: Point;
  c1: Point;
  c2: Point;
  p1: Point;
  d: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Subtask boxes too narrow for the full numbers. */
  compact: boolean;
  /** Depth runs top to bottom (narrow screens) instead of left to right. */
  vertical: boolean;
  vertices: VertexBox[];
  /** Indexed by TopologySubtask.index. */
  subtasks: SubtaskBox[];
  /** Indexed by TopologyChannel.index. */
  channels: ChannelCurve[];
  /** Colour per TaskManager index. */
  tmColor: (tm: number) => string;
}

const PAD = 12;
const HEADER = 24;
const OP_LINE = 15;

/** Point on a cubic Bézier curve at t in [0, 1]. */
export function pointOnCurve(c: ChannelCurve, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const cc = 3 * u * t * t;
  const d = t * t * t;
  return {
    x: a * c.p0.x + b * c.c1.x + cc * c.c2.x + d * c.p1.x,
    y: a * c.p0.y + b * c.c1.y + cc * c.c2.y + d * c.p1.y,
  };
}

/**
 * Subtask label as shown to users: vertex id and the subtask index, counted from 0 like the engine's own subtask
 * names ("counter#0"), which its narration and fault targets use.
 */
export function subtaskLabel(topology: Topology, index: number): string {
  const st = topology.subtasks[index];
  if (st === undefined) return `#${index}`;
  return `${st.vertexId} #${st.subtaskIndex}`;
}

/** Narrower than this, the graph flows top to bottom (a phone held upright) instead of left to right. */
export const VERTICAL_BELOW = 560;

export function layoutGraph(topology: Topology, availableWidth: number): GraphLayout {
  const vertical = availableWidth < VERTICAL_BELOW;
  const depths = [...new Set(topology.vertices.map((v) => v.depth))].sort((a, b) => a - b);
  const layers = depths.map((depth) => topology.vertices.filter((v) => v.depth === depth));
  const opsById = new Map(topology.operators.map((o) => [o.id, o]));
  const operatorsOf = (v: Topology['vertices'][number]) =>
    v.operatorIds.map((id) => {
      const op = opsById.get(id);
      return { name: op?.name ?? id, kind: op?.kind ?? '' };
    });
  const subtasksOf = (vertexId: string) => topology.subtasks.filter((s) => s.vertexId === vertexId);
  const tmScale = scaleOrdinal<number, string>(schemeTableau10);
  const vertices: VertexBox[] = [];
  const subtasks: SubtaskBox[] = [];
  const place = (st: Topology['subtasks'][number], x: number, y: number, w: number, h: number) => {
    const tm = topology.taskManagers[st.taskManager];
    subtasks[st.index] = {
      index: st.index,
      label: subtaskLabel(topology, st.index),
      name: st.name,
      placement: `${tm?.name ?? `TM ${st.taskManager}`} · slot ${st.slot}`,
      taskManager: st.taskManager,
      x,
      y,
      w,
      h,
    };
  };
  const subH = 50;
  const subGap = 8;
  const vertexGap = 16;
  let width: number;
  let height: number;
  let compact: boolean;

  if (!vertical) {
    // Columns by depth, subtasks stacked inside each vertex; columns centred vertically against the tallest.
    const gap = 64;
    const n = Math.max(1, layers.length);
    const colW = Math.max(150, Math.min(230, (availableWidth - 2 * PAD - gap * (n - 1)) / n));
    const contentW = n * colW + (n - 1) * gap;
    width = Math.max(availableWidth, contentW + 2 * PAD);
    compact = colW - 16 < 150;
    const left = (width - contentW) / 2;
    const x = scaleBand<number>()
      .domain(depths)
      .range([left, left + contentW])
      .paddingInner(n > 1 ? gap / (colW + gap) : 0);
    const vertexHeight = (v: Topology['vertices'][number]) =>
      HEADER + v.operatorIds.length * OP_LINE + 6 + v.parallelism * (subH + subGap);
    const columnHeights = layers.map((vs) =>
      vs.reduce((h, v, i) => h + vertexHeight(v) + (i > 0 ? vertexGap : 0), 0),
    );
    height = Math.max(120, ...columnHeights) + 2 * PAD;
    layers.forEach((vs, ci) => {
      const cx = x(depths[ci] ?? 0) ?? left;
      let y = PAD + (height - 2 * PAD - (columnHeights[ci] ?? 0)) / 2;
      for (const v of vs) {
        const operators = operatorsOf(v);
        const h = vertexHeight(v);
        vertices.push({
          id: v.id,
          name: v.name,
          operators,
          parallelism: v.parallelism,
          x: cx,
          y,
          w: colW,
          h,
        });
        let sy = y + HEADER + operators.length * OP_LINE + 6;
        for (const st of subtasksOf(v.id)) {
          place(st, cx + 8, sy, colW - 16, subH);
          sy += subH + subGap;
        }
        y += h + vertexGap;
      }
    });
  } else {
    // Rows by depth, subtasks side by side inside each vertex; rows centred horizontally against the widest.
    const rowGap = 48;
    const chrome = (vs: Topology['vertices']) =>
      vs.reduce((w, v, i) => w + 16 + (v.parallelism - 1) * subGap + (i > 0 ? vertexGap : 0), 0);
    const slots = (vs: Topology['vertices']) => vs.reduce((k, v) => k + v.parallelism, 0);
    const subW = Math.max(
      84,
      Math.min(170, ...layers.map((vs) => (availableWidth - 2 * PAD - chrome(vs)) / Math.max(1, slots(vs)))),
    );
    compact = subW < 150;
    const rowWidths = layers.map((vs) => chrome(vs) + slots(vs) * subW);
    width = Math.max(availableWidth, Math.max(0, ...rowWidths) + 2 * PAD);
    const headerH = HEADER + OP_LINE + 6; // operators on one line
    let y = PAD;
    layers.forEach((vs, ri) => {
      let x = (width - (rowWidths[ri] ?? 0)) / 2;
      for (const v of vs) {
        const w = 16 + v.parallelism * subW + (v.parallelism - 1) * subGap;
        const h = headerH + subH + 8;
        vertices.push({
          id: v.id,
          name: v.name,
          operators: operatorsOf(v),
          parallelism: v.parallelism,
          x,
          y,
          w,
          h,
        });
        let sx = x + 8;
        for (const st of subtasksOf(v.id)) {
          place(st, sx, y + headerH, subW, subH);
          sx += subW + subGap;
        }
        x += w + vertexGap;
      }
      y += headerH + subH + 8 + rowGap;
    });
    height = y - rowGap + PAD;
  }

  // Fan the channels out over each box's side so they do not all meet in one point.
  const outs = new Map<number, number[]>();
  const ins = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, key: number, channel: number) => {
    const list = m.get(key);
    if (list === undefined) m.set(key, [channel]);
    else list.push(channel);
  };
  for (const ch of topology.channels) {
    add(outs, ch.from, ch.index);
    add(ins, ch.to, ch.index);
  }
  /** Offset in [-0.5, 0.5] of the channel among all channels on that side of the box. */
  const spread = (list: number[] | undefined, channel: number) => {
    const k = list?.length ?? 1;
    return k <= 1 ? 0 : (list?.indexOf(channel) ?? 0) / (k - 1) - 0.5;
  };
  const vertexById = new Map(vertices.map((v) => [v.id, v]));
  const vertexOf = new Map(topology.subtasks.map((st) => [st.index, vertexById.get(st.vertexId)]));
  const channels: ChannelCurve[] = [];
  for (const ch of topology.channels) {
    const from = subtasks[ch.from];
    const to = subtasks[ch.to];
    if (from === undefined || to === undefined) continue;
    const so = spread(outs.get(ch.from), ch.index);
    const si = spread(ins.get(ch.to), ch.index);
    let p0: Point, p1: Point, c1: Point, c2: Point;
    if (!vertical) {
      p0 = { x: from.x + from.w, y: from.y + from.h / 2 + so * from.h * 0.5 };
      p1 = { x: to.x, y: to.y + to.h / 2 + si * to.h * 0.5 };
      const mx = (p0.x + p1.x) / 2;
      c1 = { x: mx, y: p0.y };
      c2 = { x: mx, y: p1.y };
    } else {
      // End at the vertex boxes' edges: in-flight items must not cross the vertex header text.
      const fromV = vertexOf.get(ch.from);
      const toV = vertexOf.get(ch.to);
      p0 = { x: from.x + from.w / 2 + so * from.w * 0.6, y: fromV ? fromV.y + fromV.h : from.y + from.h };
      p1 = { x: to.x + to.w / 2 + si * to.w * 0.6, y: toV ? toV.y : to.y };
      const my = (p0.y + p1.y) / 2;
      c1 = { x: p0.x, y: my };
      c2 = { x: p1.x, y: my };
    }
    const d = `M${p0.x},${p0.y}C${c1.x},${c1.y} ${c2.x},${c2.y} ${p1.x},${p1.y}`;
    channels[ch.index] = { index: ch.index, p0, c1, c2, p1, d };
  }

  return { width, height, compact, vertical, vertices, subtasks, channels, tmColor: (tm) => tmScale(tm) };
}
