/**
 * The animation layer: a canvas over the job graph that draws what is in flight on each channel in the latest
 * frame, interpolated between frames by item id. Driven by requestAnimationFrame straight from the live frame
 * stream: no React render and no DOM node per buffer.
 */
import { useEffect, useRef } from 'react';
import type { InFlightItem } from '../../engine/protocol.ts';
import { liveFrames } from '../store/liveFrames.ts';
import { pointOnCurve, type GraphLayout, type Point } from './layout.ts';

interface Palette {
  data: string;
  watermark: string;
  barrier: string;
  end: string;
  halo: string;
  text: string;
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
  };
}

/** Radius of a data buffer: grows with the number of records, stays small. */
export function bufferRadius(records: number): number {
  return Math.min(7.5, 2.5 + Math.sqrt(Math.max(0, records)) * 0.45);
}

/** Half the extent of an item along its channel, for queueing items without overlap. */
function itemRadius(item: InFlightItem): number {
  if (item.kind === 'data') return bufferRadius(item.records);
  if (item.kind === 'barrier') return 3;
  return 5;
}

/** How long (real ms) an item that arrived between two frames stays visible at its receiver, fading out. */
const AFTERGLOW_MS = 280;

interface Ghost {
  item: InFlightItem;
  since: number;
}

function drawItem(ctx: CanvasRenderingContext2D, item: InFlightItem, p: Point, palette: Palette): void {
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
    ctx.rect(p.x - 2.5, p.y - 9, 5, 18);
    ctx.fill();
    ctx.stroke();
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.lineWidth = 3;
    ctx.strokeText(item.label, p.x, p.y - 11);
    ctx.fillText(item.label, p.x, p.y - 11);
    ctx.lineWidth = 1.5;
  } else {
    ctx.fillStyle = palette.end;
    ctx.rect(p.x - 4, p.y - 4, 8, 8);
    ctx.fill();
    ctx.stroke();
  }
}

/** Draws one picture; returns true while something is still moving or fading (keep animating). */
function draw(
  ctx: CanvasRenderingContext2D,
  layout: GraphLayout,
  palette: Palette,
  ghosts: Map<number, Ghost>,
  now: number,
): boolean {
  const { latest, previousItems, receivedAt, interval } = liveFrames.getState();
  ctx.clearRect(0, 0, layout.width, layout.height);
  if (latest === null) return false;
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
    drawItem(ctx, g.item, curve.p1, palette);
  }
  ctx.globalAlpha = 1;
  // Data first, markers on top: barriers and watermarks must stay visible in a busy channel.
  for (const item of latest.inFlight) {
    if (item.kind !== 'data') continue;
    const p = positions.get(item.id);
    if (p !== undefined) drawItem(ctx, item, p, palette);
  }
  for (const item of latest.inFlight) {
    if (item.kind === 'data') continue;
    const p = positions.get(item.id);
    if (p !== undefined) drawItem(ctx, item, p, palette);
  }
  return alpha < 1 || ghosts.size > 0;
}

export function FlightLayer({ layout }: { layout: GraphLayout }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(layout.width * dpr);
    canvas.height = Math.round(layout.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);

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
        animating = draw(ctx, layout, palette, ghosts, now);
      }
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => {
      cancelAnimationFrame(raf);
      unsubscribe();
      scheme.removeEventListener('change', onScheme);
    };
  }, [layout]);

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
