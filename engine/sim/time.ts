/** Integer virtual time in microseconds (DESIGN: Determinism). */
export type VirtualTime = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

export function ms(n: number): VirtualTime {
  return Math.round(n * US_PER_MS);
}

export function seconds(n: number): VirtualTime {
  return Math.round(n * US_PER_S);
}

/** Human format for logs and the UI: 1.234 s, 12 ms, 250 µs. */
export function formatTime(us: VirtualTime): string {
  if (us >= US_PER_S) return `${(us / US_PER_S).toFixed(3)} s`;
  if (us >= US_PER_MS) return `${(us / US_PER_MS).toFixed(us % US_PER_MS === 0 ? 0 : 3)} ms`;
  return `${us} µs`;
}
