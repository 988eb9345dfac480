/**
 * Job-graph layout: a matrix of operators and slots. JobVertices stand in columns by `depth` (left to right);
 * TaskManager slots are the rows, grouped into one band per TaskManager, so every subtask sits where its operator
 * column crosses its slot row (Flink's default slot sharing puts subtask i of every vertex into shared slot i).
 * Narrow screens transpose it: depth top to bottom, slots left to right. Channels are cubic curves between
 * subtasks; all-to-all edges with many channels are bundled through the middle so 8 x 8 stays readable.
 * Pure geometry: the same numbers feed the SVG layer (structure) and the canvas layer (in-flight items).
 */
import type { Topology } from '../../engine/protocol.ts';

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface VertexHeader extends Box {
  id: string;
  name: string;
  /** One entry per chained operator. */
  operators: { id: string; name: string; kind: string }[];
  parallelism: number;
  collapsed: boolean;
  /** Only a vertex alone at its depth can be collapsed into one box. */
  collapsible: boolean;
  /** The name as shown: one line, or two when it does not fit (the second cut with … only if still too long). */
  nameLines: string[];
}

export interface SubtaskBox extends Box {
  index: number;
  vertexId: string;
  subtaskIndex: number;
  label: string;
  name: string;
  /** TaskManager and slot of the first deployment (the lane it is drawn in). */
  taskManager: number;
  slot: number;
  /** The vertex is collapsed: this box stands for all of its subtasks. */
  aggregate: boolean;
}

export interface SlotLane extends Box {
  /** Global shared-slot index, and the slot number within its TaskManager. */
  slot: number;
  local: number;
  used: boolean;
}

export interface TaskManagerBand extends Box {
  tm: number;
  name: string;
  slots: SlotLane[];
}

export interface ChannelCurve {
  index: number;
  p0: Point;
  c1: Point;
  c2: Point;
  p1: Point;
  d: string;
  /** Drawn faint: one of many channels of an all-to-all edge. */
  bundled: boolean;
  /**
   * Pixels before the receiving end that moving items, gates and tags keep clear of: the receiver's border, and on
   * a phone (vertical layout) the operator heading the channel crosses just above the receiver.
   */
  endClear: number;
  /** Curve parameter where items waiting at the receiving end rest: `endClear` before the end along the flow. */
  restT: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Subtask boxes too narrow for all numbers. */
  compact: boolean;
  /** Depth runs top to bottom (narrow screens) instead of left to right. */
  vertical: boolean;
  /** One background box per depth (column), holding its vertices' subtasks. */
  columns: (Box & { depth: number; vertexIds: string[] })[];
  vertices: VertexHeader[];
  /** Indexed by TopologySubtask.index (collapsed vertices: every subtask maps to the same aggregate box). */
  subtasks: SubtaskBox[];
  taskManagers: TaskManagerBand[];
  /** Indexed by TopologyChannel.index. */
  channels: ChannelCurve[];
  jobManager: Box;
  storage: Box;
  /** Colour per TaskManager index. */
  tmColor: (tm: number) => string;
}

const PAD = 12;
const TOP_H = 40;
const SUB_H = 56;
const SUB_GAP = 6;
const ROW_PAD = 6;
const FREE_ROW = 20;
const TM_GAP = 8;
const GUTTER = 62;
const VERTEX_HEADER = 40;
/** All-to-all edges with more channels than this are bundled. */
const BUNDLE_ABOVE = 12;

/**
 * TaskManager band colours: Tableau 10 without its red, orange and pink, so that no band reads as the failure
 * colour (a dead TaskManager is marked red on top of its band).
 */
export const TM_COLORS = [
  '#4e79a7',
  '#76b7b2',
  '#b07aa1',
  '#59a14f',
  '#9c755f',
  '#edc948',
  '#bab0ac',
  '#86bcb6',
];

/** Average width (px) of a character of a vertex name (bold 13 px sans). */
const NAME_CHAR_W = 7.3;

/**
 * A vertex name in at most two lines of `chars` characters: broken after a space or colon, the second line cut
 * with … only if the name is longer than two lines.
 */
export function wrapName(name: string, chars: number): string[] {
  const room = Math.max(4, chars);
  if (name.length <= room) return [name];
  let cut = -1;
  for (let i = Math.min(room, name.length - 1); i > room / 3; i--)
    if (name[i] === ' ' || name[i - 1] === ':') {
      cut = i;
      break;
    }
  // No space: break between words of a CamelCase name ("ClickEvent|Statistics").
  if (cut < 0)
    for (let i = Math.min(room, name.length - 1); i > room / 3; i--)
      if (/[a-z]/.test(name[i - 1] ?? '') && /[A-Z]/.test(name[i] ?? '')) {
        cut = i;
        break;
      }
  if (cut < 0) cut = room;
  const first = name.slice(0, cut).trimEnd();
  const rest = name.slice(cut).trimStart();
  return [first, rest.length <= room ? rest : `${rest.slice(0, room - 1)}…`];
}

/** Where an item waiting at the receiving end of a channel is drawn (clear of the receiver and its heading). */
export function restPoint(c: ChannelCurve): Point {
  return pointOnCurve(c, c.restT);
}

/** The box of a barrier's bar and its checkpoint-id tag drawn at `p` (FlightLayer draws them so). */
export function barrierBox(p: Point, tagW = 14): Box {
  return { x: p.x - tagW / 2, y: p.y - 23, w: tagW, h: 33 };
}

/** Narrower than this, the graph flows top to bottom (a phone held upright) instead of left to right. */
export const VERTICAL_BELOW = 560;

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

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function layoutGraph(
  topology: Topology,
  availableWidth: number,
  collapsed: Record<string, boolean> = {},
): GraphLayout {
  const vertical = availableWidth < VERTICAL_BELOW;
  const depths = [...new Set(topology.vertices.map((v) => v.depth))].sort((a, b) => a - b);
  const layers = depths.map((depth) => topology.vertices.filter((v) => v.depth === depth));
  const stack = Math.max(1, ...layers.map((l) => l.length));
  const opsById = new Map(topology.operators.map((o) => [o.id, o]));
  const tmScale = (tm: number) => TM_COLORS[tm % TM_COLORS.length] ?? '#4e79a7';

  // Slots: every slot of the cluster, in TaskManager order; a slot is used when some subtask is placed there.
  const slotsPerTm = Math.max(1, topology.taskManagers[0]?.slots ?? 1);
  const totalSlots = Math.max(
    topology.taskManagers.reduce((n, tm) => n + tm.slots, 0),
    ...topology.subtasks.map((s) => s.slot + 1),
  );
  const usedSlots = new Set(topology.subtasks.map((s) => s.slot));
  const tmOfSlot = (slot: number) => {
    let acc = 0;
    for (const tm of topology.taskManagers) {
      if (slot < acc + tm.slots) return { tm: tm.index, local: slot - acc };
      acc += tm.slots;
    }
    return { tm: Math.floor(slot / slotsPerTm), local: slot % slotsPerTm };
  };
  const tmCount = Math.max(topology.taskManagers.length, ...topology.subtasks.map((s) => s.taskManager + 1));

  // Are there bundled (crowded all-to-all) edges? They get a wider gap.
  const edgeCount = new Map<string, number>();
  for (const ch of topology.channels) {
    if (ch.partitioner === 'forward') continue;
    const a = topology.subtasks[ch.from]?.vertexId ?? '';
    const b = topology.subtasks[ch.to]?.vertexId ?? '';
    edgeCount.set(`${a}>${b}`, (edgeCount.get(`${a}>${b}`) ?? 0) + 1);
  }
  const crowded = [...edgeCount.values()].some((n) => n > BUNDLE_ABOVE);

  const vertices: VertexHeader[] = [];
  const subtasks: SubtaskBox[] = [];
  const columns: GraphLayout['columns'] = [];
  const bands: TaskManagerBand[] = [];
  const slotLanes: SlotLane[] = [];
  let width: number;
  let height: number;
  let compact: boolean;
  const jobManager: Box = { x: PAD, y: PAD, w: 0, h: TOP_H };
  const storage: Box = { x: 0, y: PAD, w: 0, h: TOP_H };
  const isCollapsed = (v: Topology['vertices'][number], layer: Topology['vertices']) =>
    layer.length === 1 && collapsed[v.id] === true;

  // Room for the name: the box minus the collapse toggle and the ×parallelism on the right.
  const nameChars = (w: number, collapsible: boolean) =>
    Math.floor((w - (collapsible ? 64 : 46)) / NAME_CHAR_W);
  const header = (v: Topology['vertices'][number], layer: Topology['vertices'], box: Box): VertexHeader => ({
    ...box,
    id: v.id,
    name: v.name,
    operators: v.operatorIds.map((id) => {
      const op = opsById.get(id);
      return { id, name: op?.name ?? id, kind: op?.kind ?? '' };
    }),
    parallelism: v.parallelism,
    collapsed: isCollapsed(v, layer),
    collapsible: layer.length === 1,
    nameLines: wrapName(v.name, nameChars(box.w, layer.length === 1)),
  });

  const placeSubtask = (st: Topology['subtasks'][number], box: Box, aggregate: boolean) => {
    subtasks[st.index] = {
      ...box,
      index: st.index,
      vertexId: st.vertexId,
      subtaskIndex: st.subtaskIndex,
      label: subtaskLabel(topology, st.index),
      name: st.name,
      taskManager: st.taskManager,
      slot: st.slot,
      aggregate,
    };
  };

  if (!vertical) {
    const n = Math.max(1, layers.length);
    const gap = crowded ? 104 : 64;
    const colW = clamp((availableWidth - 2 * PAD - GUTTER - gap * (n - 1)) / n, 150, 250);
    const contentW = GUTTER + n * colW + (n - 1) * gap;
    width = Math.max(availableWidth, contentW + 2 * PAD);
    compact = colW < 190;
    const left = PAD + GUTTER + (width - 2 * PAD - contentW) / 2;
    const colX = (ci: number) => left + ci * (colW + gap);
    jobManager.w = Math.min(360, (width - 2 * PAD) * 0.55);
    storage.w = Math.min(260, (width - 2 * PAD) * 0.4);
    storage.x = width - PAD - storage.w;

    const headTop = PAD + TOP_H + 12;
    // Long names wrap onto a second line: the headers grow instead of cutting the name.
    const vHead = topology.vertices.some((v) => v.name.length > nameChars(colW, true))
      ? VERTEX_HEADER + 14
      : VERTEX_HEADER;
    const headH = stack * vHead;
    // Rows: one per slot, grouped by TaskManager.
    const rowH = stack * (SUB_H + SUB_GAP) - SUB_GAP + 2 * ROW_PAD;
    let y = headTop + headH + 8;
    for (let tm = 0; tm < tmCount; tm++) {
      const lanes: SlotLane[] = [];
      const top = y;
      for (let slot = 0; slot < totalSlots; slot++) {
        const where = tmOfSlot(slot);
        if (where.tm !== tm) continue;
        const used = usedSlots.has(slot);
        const h = used ? rowH : FREE_ROW;
        const lane: SlotLane = { x: PAD, y, w: width - 2 * PAD, h, slot, local: where.local, used };
        lanes.push(lane);
        slotLanes[slot] = lane;
        y += h;
      }
      bands.push({
        tm,
        name: topology.taskManagers[tm]?.name ?? `tm-${tm}`,
        slots: lanes,
        x: PAD,
        y: top - 3,
        w: width - 2 * PAD,
        h: y - top + 6,
      });
      y += TM_GAP + 6;
    }
    height = y - TM_GAP - 6 + 3 + PAD;

    layers.forEach((layer, ci) => {
      const x = colX(ci);
      const maxSlot = Math.max(
        0,
        ...topology.subtasks.filter((s) => layer.some((v) => v.id === s.vertexId)).map((s) => s.slot),
      );
      const lastLane = slotLanes[maxSlot];
      const bottom = lastLane ? lastLane.y + lastLane.h + 2 : headTop + headH;
      columns.push({
        x,
        y: headTop,
        w: colW,
        h: bottom - headTop,
        depth: depths[ci] ?? ci,
        vertexIds: layer.map((v) => v.id),
      });
      layer.forEach((v, j) => {
        vertices.push(header(v, layer, { x, y: headTop + j * vHead, w: colW, h: vHead }));
        const sts = topology.subtasks.filter((s) => s.vertexId === v.id);
        if (isCollapsed(v, layer)) {
          const first = slotLanes[sts[0]?.slot ?? 0];
          const last = slotLanes[sts[sts.length - 1]?.slot ?? 0];
          const top = (first?.y ?? 0) + ROW_PAD;
          const box = {
            x: x + 8,
            y: top,
            w: colW - 16,
            h: (last ? last.y + last.h : top + SUB_H) - ROW_PAD - top,
          };
          for (const st of sts) placeSubtask(st, box, true);
          return;
        }
        for (const st of sts) {
          const lane = slotLanes[st.slot];
          placeSubtask(
            st,
            { x: x + 8, y: (lane?.y ?? 0) + ROW_PAD + j * (SUB_H + SUB_GAP), w: colW - 16, h: SUB_H },
            false,
          );
        }
      });
    });
  } else {
    // Transposed: depth rows from the top, slot columns from the left, one vertical band per TaskManager.
    const usedCount = Math.max(1, usedSlots.size);
    const freeCount = totalSlots - usedSlots.size;
    const chrome = 2 * PAD + tmCount * 8 + (tmCount - 1) * TM_GAP + freeCount * 22;
    const slotW = clamp((availableWidth - chrome) / usedCount, 92, 200);
    compact = slotW < 150;
    let x = PAD;
    const headH = (layer: Topology['vertices']) => layer.length * 20 + 6;
    const rowGap = crowded ? 64 : 44;
    const bandTop = PAD + TOP_H + 10;
    const firstRow = bandTop + 22;
    let y = firstRow;
    const rowTops: number[] = [];
    for (const layer of layers) {
      rowTops.push(y);
      y += headH(layer) + stack * (SUB_H + SUB_GAP) - SUB_GAP + 6 + rowGap;
    }
    const bottom = y - rowGap;
    for (let tm = 0; tm < tmCount; tm++) {
      const lanes: SlotLane[] = [];
      const left = x;
      x += 4;
      for (let slot = 0; slot < totalSlots; slot++) {
        const where = tmOfSlot(slot);
        if (where.tm !== tm) continue;
        const used = usedSlots.has(slot);
        const w = used ? slotW : 22;
        const lane: SlotLane = { x, y: firstRow, w, h: bottom - firstRow, slot, local: where.local, used };
        lanes.push(lane);
        slotLanes[slot] = lane;
        x += w;
      }
      x += 4;
      bands.push({
        tm,
        name: topology.taskManagers[tm]?.name ?? `tm-${tm}`,
        slots: lanes,
        x: left,
        y: bandTop,
        w: x - left,
        h: bottom - bandTop + 4,
      });
      x += TM_GAP;
    }
    width = Math.max(availableWidth, x - TM_GAP + PAD);
    height = bottom + 4 + PAD;
    jobManager.w = (width - 2 * PAD - 8) * 0.58;
    storage.x = PAD + jobManager.w + 8;
    storage.w = width - PAD - storage.x;

    layers.forEach((layer, ri) => {
      const top = rowTops[ri] ?? 0;
      const hh = headH(layer);
      const subTop = top + hh;
      const boxH = hh + stack * (SUB_H + SUB_GAP) - SUB_GAP + 6;
      columns.push({
        x: PAD,
        y: top - 2,
        w: width - 2 * PAD,
        h: boxH,
        depth: depths[ri] ?? ri,
        vertexIds: layer.map((v) => v.id),
      });
      layer.forEach((v, j) => {
        vertices.push(header(v, layer, { x: PAD, y: top + j * 20, w: width - 2 * PAD, h: 20 }));
        const sts = topology.subtasks.filter((s) => s.vertexId === v.id);
        if (isCollapsed(v, layer)) {
          const first = slotLanes[sts[0]?.slot ?? 0];
          const last = slotLanes[sts[sts.length - 1]?.slot ?? 0];
          const left = (first?.x ?? 0) + 4;
          const box = { x: left, y: subTop, w: (last ? last.x + last.w : left + 100) - 4 - left, h: SUB_H };
          for (const st of sts) placeSubtask(st, box, true);
          return;
        }
        for (const st of sts) {
          const lane = slotLanes[st.slot];
          placeSubtask(
            st,
            { x: (lane?.x ?? 0) + 4, y: subTop + j * (SUB_H + SUB_GAP), w: (lane?.w ?? slotW) - 8, h: SUB_H },
            false,
          );
        }
      });
    });
  }

  // Fan the channels out over each box's side so they do not all meet in one point.
  const outs = new Map<string, number[]>();
  const ins = new Map<string, number[]>();
  const boxKey = (i: number) => {
    const b = subtasks[i];
    return b === undefined ? `#${i}` : b.aggregate ? `v:${b.vertexId}` : `s:${i}`;
  };
  const add = (m: Map<string, number[]>, key: string, channel: number) => {
    const list = m.get(key);
    if (list === undefined) m.set(key, [channel]);
    else list.push(channel);
  };
  for (const ch of topology.channels) {
    add(outs, boxKey(ch.from), ch.index);
    add(ins, boxKey(ch.to), ch.index);
  }
  /** Offset in [-0.5, 0.5] of the channel among all channels on that side of the box. */
  const spread = (list: number[] | undefined, channel: number) => {
    const k = list?.length ?? 1;
    return k <= 1 ? 0 : (list?.indexOf(channel) ?? 0) / (k - 1) - 0.5;
  };
  // Centre of each crowded edge, where its channels are bundled.
  const centres = new Map<string, { sum: number; n: number }>();
  const edgeKey = (from: number, to: number) =>
    `${topology.subtasks[from]?.vertexId ?? ''}>${topology.subtasks[to]?.vertexId ?? ''}`;
  const channels: ChannelCurve[] = [];
  const ends: { ch: Topology['channels'][number]; p0: Point; p1: Point }[] = [];
  for (const ch of topology.channels) {
    const from = subtasks[ch.from];
    const to = subtasks[ch.to];
    if (from === undefined || to === undefined) continue;
    const so = spread(outs.get(boxKey(ch.from)), ch.index);
    const si = spread(ins.get(boxKey(ch.to)), ch.index);
    const p0: Point = vertical
      ? { x: from.x + from.w / 2 + so * from.w * 0.7, y: from.y + from.h }
      : { x: from.x + from.w, y: from.y + from.h / 2 + so * from.h * 0.7 };
    const p1: Point = vertical
      ? { x: to.x + to.w / 2 + si * to.w * 0.7, y: to.y }
      : { x: to.x, y: to.y + to.h / 2 + si * to.h * 0.7 };
    ends.push({ ch, p0, p1 });
    const key = edgeKey(ch.from, ch.to);
    const c = centres.get(key) ?? { sum: 0, n: 0 };
    c.sum += vertical ? p0.x + p1.x : p0.y + p1.y;
    c.n += 2;
    centres.set(key, c);
  }
  for (const { ch, p0, p1 } of ends) {
    const key = edgeKey(ch.from, ch.to);
    const bundled = ch.partitioner !== 'forward' && (edgeCount.get(key) ?? 0) > BUNDLE_ABOVE;
    const c = centres.get(key);
    const mid = c && c.n > 0 ? c.sum / c.n : 0;
    const pull = bundled ? 0.8 : 0;
    let c1: Point;
    let c2: Point;
    if (!vertical) {
      const dx = p1.x - p0.x;
      c1 = { x: p0.x + dx * 0.5, y: p0.y + (mid - p0.y) * pull };
      c2 = { x: p1.x - dx * 0.5, y: p1.y + (mid - p1.y) * pull };
    } else {
      const dy = p1.y - p0.y;
      c1 = { x: p0.x + (mid - p0.x) * pull, y: p0.y + dy * 0.5 };
      c2 = { x: p1.x + (mid - p1.x) * pull, y: p1.y - dy * 0.5 };
    }
    const d = `M${p0.x},${p0.y}C${c1.x},${c1.y} ${c2.x},${c2.y} ${p1.x},${p1.y}`;
    let endClear = 12;
    if (vertical) {
      const to = subtasks[ch.to];
      const col = columns.find((c) => c.vertexIds.includes(to?.vertexId ?? ''));
      if (to !== undefined && col !== undefined) endClear = Math.max(12, to.y - col.y + 12);
    }
    const curve: ChannelCurve = { index: ch.index, p0, c1, c2, p1, d, bundled, endClear, restT: 1 };
    // Step back along the curve until the point is endClear before the receiver in the direction of flow.
    let t = 1;
    while (t > 0.05) {
      const q = pointOnCurve(curve, t);
      if ((vertical ? p1.y - q.y : p1.x - q.x) >= endClear) break;
      t -= 0.01;
    }
    curve.restT = t;
    channels[ch.index] = curve;
  }

  return {
    width,
    height,
    compact,
    vertical,
    columns,
    vertices,
    subtasks,
    taskManagers: bands,
    channels,
    jobManager,
    storage,
    tmColor: (tm) => tmScale(tm),
  };
}
