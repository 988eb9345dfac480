/**
 * Busy and back-pressure colours the way Flink's web UI paints job-graph nodes: start at its default blue, blend
 * toward red by the busy share, then toward grey by the back-pressured share (and the border toward dark red and
 * black). Display only: the shares come from the engine's frame.
 */
export const FLINK_DEFAULT = '#5db1ff';
export const FLINK_BUSY = '#ee6464';
export const FLINK_BACKPRESSURED = '#888888';
export const FLINK_BORDER_DEFAULT = '#1890ff';
export const FLINK_BORDER_BUSY = '#ee2222';
export const FLINK_BORDER_BACKPRESSURED = '#000000';

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Linear blend of two #rrggbb colours, p in [0, 1]. */
export function blend(from: string, to: string, p: number): string {
  const f = rgb(from);
  const t = rgb(to);
  const q = Math.min(1, Math.max(0, p));
  const c = f.map((x, i) => Math.round(x + ((t[i] ?? 0) - x) * q));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Node fill and border for busy / back-pressured shares in [0, 1]. */
export function loadColors(busy: number, backpressured: number): { fill: string; stroke: string } {
  let fill = FLINK_DEFAULT;
  let stroke = FLINK_BORDER_DEFAULT;
  if (busy > 0) {
    fill = blend(fill, FLINK_BUSY, busy);
    stroke = blend(stroke, FLINK_BORDER_BUSY, busy);
  }
  if (backpressured > 0) {
    fill = blend(fill, FLINK_BACKPRESSURED, backpressured);
    stroke = blend(stroke, FLINK_BORDER_BACKPRESSURED, backpressured);
  }
  return { fill, stroke };
}
