/**
 * The animation layer: a canvas over the job graph that draws what is in flight on each channel in the latest
 * frame, interpolated between frames by item id. Driven by requestAnimationFrame straight from the live frame
 * stream: no React render and no DOM node per buffer.
 */
import { useEffect, useRef } from 'react';
import type { InFlightItem } from '../../engine/protocol.ts';
import { liveFrames } from '../store/liveFrames.ts';
import { pointOnCurve, type GraphLayout } from './layout.ts';

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

function draw(ctx: CanvasRenderingContext2D, layout: GraphLayout, palette: Palette, now: number): boolean {
  const { latest, previousItems, receivedAt, interval } = liveFrames.getState();
  ctx.clearRect(0, 0, layout.width, layout.height);
  if (latest === null) return false;
  const alpha = Math.min(1, Math.max(0, (now - receivedAt) / interval));
  const position = (item: InFlightItem) => {
    const curve = layout.channels[item.channel];
    if (curve === undefined) return null;
    const prev = previousItems.get(item.id);
    const from = prev !== undefined && prev.channel === item.channel ? prev.progress : item.progress;
    const t = Math.min(1, Math.max(0, from + (item.progress - from) * alpha));
    return pointOnCurve(curve, t);
  };

  // Data first, markers on top: barriers and watermarks must stay visible in a busy channel.
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = palette.halo;
  ctx.fillStyle = palette.data;
  for (const item of latest.inFlight) {
    if (item.kind !== 'data') continue;
    const p = position(item);
    if (p === null) continue;
    ctx.beginPath();
    ctx.arc(p.x, p.y, bufferRadius(item.records), 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
  for (const item of latest.inFlight) {
    if (item.kind === 'data') continue;
    const p = position(item);
    if (p === null) continue;
    ctx.beginPath();
    if (item.kind === 'watermark') {
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
  return alpha < 1;
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

    let raf = 0;
    let animating = false;
    const loop = (now: number) => {
      if (dirty || animating) {
        dirty = false;
        animating = draw(ctx, layout, palette, now);
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
