/**
 * Charts as files: an on-screen d3/React SVG serialized as a standalone SVG (the styles its CSS classes give it
 * inlined, so it looks the same outside the page, in the current theme, on the panel's background) and rasterized
 * to PNG through a canvas at twice the pixel density.
 */

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'visibility',
  'display',
] as const;

/** The nearest non-transparent background behind an element (the panel's card colour). */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e !== null; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== '' && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A copy of an on-screen SVG element with its computed styles inlined and its classes dropped. */
function inlined(svg: SVGSVGElement): SVGSVGElement {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  src.forEach((el, i) => {
    const target = dst[i];
    if (target === undefined) return;
    const cs = getComputedStyle(el);
    target.setAttribute('style', STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
    target.removeAttribute('class');
  });
  return clone;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface ChartFrame {
  /** A title line above the chart (what, which scenario, when). */
  title: string;
  /** The chart's legend items on the page (each: a small SVG swatch and its label). */
  legend: readonly Element[];
}

const TITLE_H = 30;
const LEGEND_ROW_H = 22;

/**
 * A standalone SVG of the chart: a title above it, its on-page legend (swatch + label) below it, the styles its CSS
 * classes give it inlined (so it looks the same outside the page, in the current theme) on the panel's background.
 * Returns the text and its size.
 */
export function serializeSvg(
  svg: SVGSVGElement,
  frame: ChartFrame = { title: '', legend: [] },
): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const chartH = Math.max(1, Math.round(box.height));
  const color = getComputedStyle(svg).color || '#17202c';
  const font = getComputedStyle(svg).fontFamily;
  const chart = inlined(svg);
  chart.setAttribute('x', '0');
  chart.setAttribute('y', String(frame.title === '' ? 0 : TITLE_H));
  chart.setAttribute('width', String(width));
  chart.setAttribute('height', String(chartH));
  if (!chart.hasAttribute('viewBox')) chart.setAttribute('viewBox', `0 0 ${width} ${chartH}`);

  // Legend items laid out left to right, wrapping at the chart's width.
  const legend: SVGElement[] = [];
  let x = 8;
  let row = 0;
  const top = (frame.title === '' ? 0 : TITLE_H) + chartH + 6;
  for (const item of frame.legend) {
    const swatch = item.querySelector('svg');
    const label = (item.textContent ?? '').trim();
    const sw = swatch === null ? 0 : Math.round(swatch.getBoundingClientRect().width) || 18;
    const need = sw + 6 + label.length * 7 + 18;
    if (x + need > width && x > 8) {
      x = 8;
      row++;
    }
    const y = top + row * LEGEND_ROW_H;
    if (swatch !== null) {
      const s = inlined(swatch);
      s.setAttribute('x', String(x));
      s.setAttribute('y', String(y + 3));
      legend.push(s);
    }
    legend.push(
      el('text', { x: x + sw + 6, y: y + 12, fill: color, 'font-size': 12, 'font-family': font }, label),
    );
    x += need;
  }
  const legendH = frame.legend.length === 0 ? 0 : (row + 1) * LEGEND_ROW_H + 8;
  const height = (frame.title === '' ? 0 : TITLE_H) + chartH + legendH;

  const out = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}` }) as SVGSVGElement;
  out.append(el('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: backgroundOf(svg) }));
  if (frame.title !== '')
    out.append(
      el(
        'text',
        { x: 8, y: 20, fill: color, 'font-size': 14, 'font-weight': 600, 'font-family': font },
        frame.title,
      ),
    );
  out.append(chart, ...legend);
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out);
  return { text, width, height };
}

/** Rasterizes serialized SVG text to a PNG blob (`scale` pixels per CSS pixel). */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    const loaded = new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    });
    img.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas available to draw the PNG');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b === null ? reject(new Error('the PNG could not be encoded')) : resolve(b)),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export interface ChartSpec {
  id: 'checkpoint-timeline' | 'state-chart';
  label: string;
  selector: string;
  /** Where its legend items are on the page, from the chart's SVG. */
  legend: (svg: SVGSVGElement) => Element[];
  /** What the chart shows, for the title (the on-page heading next to it). */
  caption: (svg: SVGSVGElement) => string;
}

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'checkpoint-timeline',
    label: 'Checkpoint timeline',
    selector: '.timeline-chart > svg',
    legend: (svg) => Array.from(svg.closest('.cp-timeline')?.querySelectorAll('.phase-legend > li') ?? []),
    caption: (svg) => svg.getAttribute('aria-label') ?? 'Checkpoint phases per subtask',
  },
  {
    id: 'state-chart',
    label: 'State size chart',
    selector: '[data-testid="state-panel"] .chart > svg',
    legend: (svg) => Array.from(svg.parentElement?.querySelectorAll('.legend > li') ?? []),
    caption: (svg) => (svg.getAttribute('aria-label') ?? 'State size over time').replace(/\. Latest.*$/, ''),
  },
];

export function findChart(spec: ChartSpec): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(spec.selector);
}
