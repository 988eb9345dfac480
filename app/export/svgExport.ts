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

/** A standalone copy of the SVG with computed styles inlined and a background, as text. */
export function serializeSvg(svg: SVGSVGElement): string {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  src.forEach((el, i) => {
    const target = dst[i];
    if (target === undefined) return;
    const cs = getComputedStyle(el);
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    target.setAttribute('style', style);
    target.removeAttribute('class');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('x', '0');
  bg.setAttribute('y', '0');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', backgroundOf(svg));
  clone.insertBefore(bg, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
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
}

export const CHARTS: readonly ChartSpec[] = [
  { id: 'checkpoint-timeline', label: 'Checkpoint timeline', selector: '.timeline-chart > svg' },
  { id: 'state-chart', label: 'State size chart', selector: '[data-testid="state-panel"] .chart > svg' },
];

export function findChart(spec: ChartSpec): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(spec.selector);
}
