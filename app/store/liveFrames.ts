/**
 * The frame stream, kept OUT of React (DESIGN: How data flows, 4). The canvas layer and the live readouts read
 * it from requestAnimationFrame; React only sees throttled snapshots (see ./frameSlice.ts).
 */
import { createStore } from 'zustand/vanilla';
import type { Frame, InFlightItem } from '../../engine/protocol.ts';

export interface LiveFrames {
  latest: Frame | null;
  /** The frame the panels show (published with the query answers of the same moment); the readout shows it too. */
  published: Frame | null;
  /** In-flight items of the frame before `latest`, by id, for interpolating positions between frames. */
  previousItems: Map<number, InFlightItem>;
  /** performance.now() when `latest` arrived, and the smoothed interval between arrivals (ms). */
  receivedAt: number;
  interval: number;
}

export const liveFrames = createStore<LiveFrames>(() => ({
  latest: null,
  published: null,
  previousItems: new Map(),
  receivedAt: 0,
  interval: 16,
}));

/** Records a new frame. `jump` = no interpolation from the previous one (load, step, seek). */
export function pushLiveFrame(frame: Frame, jump = false): void {
  const s = liveFrames.getState();
  const now = performance.now();
  const previousItems = new Map<number, InFlightItem>();
  if (!jump && s.latest !== null) for (const item of s.latest.inFlight) previousItems.set(item.id, item);
  const gap = now - s.receivedAt;
  const interval = jump || s.latest === null ? 16 : Math.min(100, Math.max(8, s.interval * 0.7 + gap * 0.3));
  liveFrames.setState({ latest: frame, previousItems, receivedAt: now, interval });
}

/** Marks the frame the panels now show. */
export function markPublished(frame: Frame): void {
  liveFrames.setState({ published: frame });
}
