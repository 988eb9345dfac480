/**
 * The typed test bridge on `window.__lab`: only what the Playwright specs need. Types only here, so e2e/ can
 * import them without pulling the app in; the installation is in ./engineClient.ts.
 */
import type { Frame, LoadResult, Topology } from '../engine/protocol.ts';

export interface LabBridge {
  /** True once the default scenario is loaded and the first frame is shown. */
  ready: boolean;
  /** The latest frame the UI received, or null before the first. */
  frame(): Frame | null;
  topology(): Topology | null;
  traceHash(): Promise<string>;
  /** Pauses, runs the engine as fast as possible to the virtual time (µs) and shows the resulting frame. */
  runTo(timeUs: number): Promise<Frame>;
  /** Loads a scenario (raw JSON); on errors the current scenario stays loaded. */
  load(scenario: unknown): Promise<LoadResult>;
}

/** The global the bridge lives on (use `(globalThis as unknown as LabGlobal).__lab` in page.evaluate). */
export interface LabGlobal {
  __lab?: LabBridge;
}
