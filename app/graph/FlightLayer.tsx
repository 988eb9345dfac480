/**
 * The animation layer: a canvas over the job graph that draws, from the live frame stream (no React render and
 * no DOM node per buffer): what is in flight on each channel, interpolated between frames by item id; barriers
 * with their checkpoint id; blocked input channels as a gate with the number of buffers held behind it; stalled
 * channels dashed.
 */
import { useEffect, useRef } from 'react';
import type { Frame, InFlightItem, Topology } from '../../engine/protocol.ts';
import { liveFrames } from '../store/liveFrames.ts';
import { pointOnCurve, restPoint, type ChannelCurve, type GraphLayout, type Point } from './layout.ts';
import { heldBuffers } from './subtaskView.ts';

interface Palette {
  data: string;
  watermark: string;
  barrier: string;
  end: string;
  halo: string;
  text: string;
  blocked: string;
  stalled: string;
  pill: string;
  pillText: string;
}

function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    data: v('--flight-data', '#2f6fde'),
    watermark: v('--flight-watermark', '#d98a00'),
    barrier: v('--flight-barrier', '#c2185b'),
    end: v('--flight-end', '#777'),
    halo: v('--surface', '#fff'),
    text: v('--text', '#111'),
    blocked: v('--blocked', '#c2185b'),
    stalled: v('--warn', '#b26a00'),
    pill: v('--pill-bg', '#17202c'),
    pillText: v('--pill-text', '#fff'),
  };
}

/** Radius of a data buffer: grows with the number of records, stays small. */
export function bufferRadius(records: number): number {
  return Math.min(7.5, 2.5 + Math.sqrt(Math.max(0, records)) * 0.45);
}

/** Half the extent of an item along its channel, for queueing items without overlap. */
function itemRadius(item: InFlightItem): number {
  if (item.kind === 'data') return bufferRadius(item.records);
  if (item.kind === 'barrier') return 4;
  return 5;
}

/** How long (real ms) an item that arrived between two frames stays visible at its receiver, fading out. */
const AFTERGLOW_MS = 280;

interface Ghost {
  item: InFlightItem;
  since: number;
}

function barrierTag(item: InFlightItem): string {
  return String(item.checkpointId ?? item.label.replace(/^\D+/, ''));
}

/** Boxes of barrier tags drawn in this picture: a tag that would overlap another is left out (crowded edges). */
type Tags = { x: number; y: number; w: number }[];

function drawItem(
  ctx: CanvasRenderingContext2D,
  item: InFlightItem,
  p: Point,
  palette: Palette,
  tags?: Tags,
): void {
  ctx.beginPath();
  if (item.kind === 'data') {
    ctx.fillStyle = palette.data;
    ctx.arc(p.x, p.y, bufferRadius(item.records), 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  } else if (item.kind === 'watermark') {
    ctx.fillStyle = palette.watermark;
    ctx.moveTo(p.x, p.y - 6);
    ctx.lineTo(p.x + 5, p.y);
    ctx.lineTo(p.x, p.y + 6);
    ctx.lineTo(p.x - 5, p.y);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  } else if (item.kind === 'barrier') {
    ctx.fillStyle = palette.barrier;
    ctx.rect(p.x - 2.5, p.y - 10, 5, 20);
    ctx.fill();
    ctx.stroke();
    // The checkpoint id in a small tag above the bar (unless another tag already sits there).
    const tag = barrierTag(item);
    ctx.font = '700 10px system-ui, sans-serif';
    const w = ctx.measureText(tag).width + 6;
    if (tags !== undefined) {
      if (tags.some((o) => Math.abs(o.x - p.x) < (o.w + w) / 2 + 1 && Math.abs(o.y - p.y) < 13)) return;
      tags.push({ x: p.x, y: p.y, w });
    }
    ctx.beginPath();
    ctx.fillStyle = palette.barrier;
    ctx.roundRect(p.x - w / 2, p.y - 23, w, 12, 3);
    ctx.fill();
    ctx.fillStyle = palette.pillText;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(tag, p.x, p.y - 16.5);
  } else {
    ctx.fillStyle = palette.end;
    ctx.rect(p.x - 4, p.y - 4, 8, 8);
    ctx.fill();
    ctx.stroke();
  }
}

function pill(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  bg: string,
  fg: string,
): void {
  ctx.font = '700 10px system-ui, sans-serif';
  const w = ctx.measureText(text).width + 8;
  ctx.beginPath();
  ctx.fillStyle = bg;
  ctx.roundRect(x - w / 2, y - 7, w, 14, 7);
  ctx.fill();
  ctx.fillStyle = fg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y + 0.5);
}

/** Unit direction of the curve at its receiving end. */
function endDirection(c: ChannelCurve): Point {
  const dx = c.p1.x - c.c2.x;
  const dy = c.p1.y - c.c2.y;
  const len = Math.hypot(dx, dy) || 1;
  return { x: dx / len, y: dy / len };
}

/** Gates of blocked channels and marks of stalled ones (drawn under the moving items). */
function drawChannelStates(
  ctx: CanvasRenderingContext2D,
  frame: Frame,
  layout: GraphLayout,
  topology: Topology,
  paths: Path2D[],
  palette: Palette,
): { x: number; y: number; text: string; bg: string }[] {
  const labels: { x: number; y: number; text: string; bg: string }[] = [];
  let held: number[] | null = null;
  const perReceiver = new Map<number, number[]>();
  for (let c = 0; c < frame.channelBlocked.length; c++) {
    const curve = layout.channels[c];
    const path = paths[c];
    if (curve === undefined || path === undefined) continue;
    if (frame.channelStalled[c] === true) {
      ctx.save();
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = palette.stalled;
      ctx.stroke(path);
      ctx.restore();
      const mid = pointOnCurve(curve, 0.5);
      labels.push({ x: mid.x, y: mid.y - 10, text: '≈ stalled', bg: palette.stalled });
    }
    if (frame.channelBlocked[c] !== true) continue;
    held ??= heldBuffers(frame);
    ctx.save();
    ctx.globalAlpha = 0.55;
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = palette.blocked;
    ctx.stroke(path);
    ctx.restore();
    // The gate: two bars across the channel just before the receiver.
    const d = endDirection(curve);
    const n = { x: -d.y, y: d.x };
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = palette.blocked;
    const clear = layout.vertical ? curve.endClear : 0;
    for (const back of [clear + 3, clear + 7]) {
      const cx = curve.p1.x - d.x * back;
      const cy = curve.p1.y - d.y * back;
      ctx.beginPath();
      ctx.moveTo(cx - n.x * 6, cy - n.y * 6);
      ctx.lineTo(cx + n.x * 6, cy + n.y * 6);
      ctx.stroke();
    }
    const to = topology.channels[c]?.to ?? -1;
    const list = perReceiver.get(to);
    if (list === undefined) perReceiver.set(to, [c]);
    else list.push(c);
  }
  // Held-buffer counts: per channel when a receiver has few inputs, else one sum per receiver.
  for (const [to, list] of perReceiver) {
    const inputs = topology.channels.filter((ch) => ch.to === to).length;
    if (inputs <= 3) {
      for (const c of list) {
        const curve = layout.channels[c] as ChannelCurve;
        const d = endDirection(curve);
        const back = layout.vertical ? curve.endClear + 20 : 24;
        labels.push({
          x: curve.p1.x - d.x * back + (layout.vertical ? 16 : 0),
          y: curve.p1.y - d.y * back - (layout.vertical ? 0 : 9),
          text: `‖ ${held?.[c] ?? 0}`,
          bg: palette.blocked,
        });
      }
    } else {
      const box = layout.subtasks[to];
      if (box === undefined) continue;
      const sum = list.reduce((s, c) => s + (held?.[c] ?? 0), 0);
      labels.push({
        x: layout.vertical ? box.x + box.w / 2 : box.x - 30,
        y: layout.vertical ? box.y - (layout.channels[list[0] ?? -1]?.endClear ?? 0) - 14 : box.y - 8,
        text: `‖ ${list.length}/${inputs} · ${sum}`,
        bg: palette.blocked,
      });
    }
  }
  return labels;
}

/** Draws one picture; returns true while something is still moving or fading (keep animating). */
function draw(
  ctx: CanvasRenderingContext2D,
  layout: GraphLayout,
  topology: Topology,
  paths: Path2D[],
  palette: Palette,
  ghosts: Map<number, Ghost>,
  now: number,
): boolean {
  const { latest, previousItems, receivedAt, interval } = liveFrames.getState();
  ctx.clearRect(0, 0, layout.width, layout.height);
  if (latest === null) return false;
  const labels = drawChannelStates(ctx, latest, layout, topology, paths, palette);
  const alpha = Math.min(1, Math.max(0, (now - receivedAt) / interval));
  // Interpolated progress per item; items of one channel queue up behind each other (the engine lists them in
  // channel order, the first is ahead) instead of being drawn on top of one another.
  const positions = new Map<number, Point>();
  let channel = -1;
  let aheadT = 0;
  let aheadR = 0;
  let length = 1;
  for (const item of latest.inFlight) {
    const curve = layout.channels[item.channel];
    if (curve === undefined) continue;
    const prev = previousItems.get(item.id);
    const from = prev !== undefined && prev.channel === item.channel ? prev.progress : item.progress;
    let t = Math.min(1, Math.max(0, from + (item.progress - from) * alpha));
    const r = itemRadius(item);
    if (item.channel === channel) {
      const minGap = (aheadR + r + 1) / length;
      if (aheadT - t < minGap) t = Math.max(0, aheadT - minGap);
    } else {
      channel = item.channel;
      length = Math.max(1, Math.hypot(curve.p1.x - curve.p0.x, curve.p1.y - curve.p0.y) * 1.05);
      // Keep clear of the receiver (its border; on a phone the heading above it), and of the gate when blocked.
      t = Math.min(t, curve.restT - (latest.channelBlocked[item.channel] === true ? 12 / length : 0));
    }
    aheadT = t;
    aheadR = r;
    positions.set(item.id, pointOnCurve(curve, t));
  }

  ctx.lineWidth = 1.5;
  ctx.strokeStyle = palette.halo;
  // Items that arrived and were consumed between two frames: a short fade at the receiver's end of the channel.
  for (const [id, g] of ghosts) {
    const age = now - g.since;
    const curve = layout.channels[g.item.channel];
    if (age >= AFTERGLOW_MS || curve === undefined) {
      ghosts.delete(id);
      continue;
    }
    ctx.globalAlpha = 0.7 * (1 - age / AFTERGLOW_MS);
    drawItem(ctx, g.item, restPoint(curve), palette);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = palette.halo;
  }
  ctx.globalAlpha = 1;
  // Data first, markers on top: barriers and watermarks must stay visible in a busy channel.
  for (const item of latest.inFlight) {
    if (item.kind !== 'data') continue;
    const p = positions.get(item.id);
    if (p !== undefined) drawItem(ctx, item, p, palette);
  }
  // Barrier tags never cover a gate's or stall's pill (a tag that would is left out; its bar stays).
  const tags: Tags = labels.map((l) => ({ x: l.x, y: l.y + 17, w: l.text.length * 6 + 8 }));
  for (const item of latest.inFlight) {
    if (item.kind === 'data') continue;
    const p = positions.get(item.id);
    if (p === undefined) continue;
    drawItem(ctx, item, p, palette, tags);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = palette.halo;
  }
  for (const l of labels) pill(ctx, l.text, l.x, l.y, l.bg, palette.pillText);
  return alpha < 1 || ghosts.size > 0;
}

export function FlightLayer({ layout, topology }: { layout: GraphLayout; topology: Topology }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(layout.width * dpr);
    canvas.height = Math.round(layout.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const paths = layout.channels.map((c) => new Path2D(c.d));

    let palette = readPalette(canvas);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    let dirty = true;
    const onScheme = () => {
      palette = readPalette(canvas);
      dirty = true;
    };
    scheme.addEventListener('change', onScheme);
    const unsubscribe = liveFrames.subscribe(() => {
      dirty = true;
    });

    const ghosts = new Map<number, Ghost>();
    let seenFrame = liveFrames.getState().latest;
    let raf = 0;
    let animating = false;
    const loop = (now: number) => {
      const { latest, previousItems } = liveFrames.getState();
      if (latest !== seenFrame) {
        seenFrame = latest;
        if (previousItems.size > 0 && latest !== null) {
          const present = new Set(latest.inFlight.map((i) => i.id));
          for (const [id, item] of previousItems) if (!present.has(id)) ghosts.set(id, { item, since: now });
        } else {
          ghosts.clear(); // a jump (load, step, seek): nothing to fade from
        }
      }
      if (dirty || animating) {
        dirty = false;
        animating = draw(ctx, layout, topology, paths, palette, ghosts, now);
      }
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => {
      cancelAnimationFrame(raf);
      unsubscribe();
      scheme.removeEventListener('change', onScheme);
    };
  }, [layout, topology]);

  return (
    <canvas
      ref={canvasRef}
      className="flight-layer"
      data-testid="flight-layer"
      aria-hidden="true"
      style={{ width: layout.width, height: layout.height }}
    />
  );
}
