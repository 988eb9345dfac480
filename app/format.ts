/** Display formatting only; no engine semantics. */

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Virtual µs as seconds with millisecond precision, e.g. `12.345 s`. */
export function formatTime(us: number): string {
  return `${(us / 1_000_000).toFixed(3)} s`;
}

export function formatCount(n: number): string {
  return int.format(n);
}

/** Compact count for tight boxes: 999, 1.2k, 34k, 1.5M. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Event time (ms since the epoch, UTC) as `HH:MM:SS.mmm`, the way watermarks are usually read. */
export function formatEventTime(ms: number | null): string {
  if (ms === null) return '—';
  if (!Number.isFinite(ms)) return ms > 0 ? '+∞' : '−∞';
  const d = new Date(ms);
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

/** Cuts a label to fit roughly `maxChars` characters (SVG text does not ellipsize by itself). */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}
