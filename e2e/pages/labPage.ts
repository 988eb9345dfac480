import { expect, type Locator, type Page } from '@playwright/test';
import type { Frame, LoadResult, Topology } from '../../engine/protocol.ts';
import type { LabGlobal } from '../../app/testBridge.ts';

/** Page object for the Checkpoint Lab main page; `window.__lab` calls are typed through LabBridge. */
export class LabPage {
  readonly playButton: Locator;
  readonly stepButton: Locator;
  readonly speed: Locator;
  readonly scenarioName: Locator;
  readonly vertices: Locator;
  readonly subtasks: Locator;
  readonly sinkTable: Locator;
  readonly virtualTime: Locator;
  readonly jobStatus: Locator;
  readonly traceHashText: Locator;
  readonly flightLayer: Locator;

  constructor(readonly page: Page) {
    this.playButton = page.getByRole('button', { name: /^(Play|Pause)$/ });
    this.stepButton = page.getByRole('button', { name: 'Step one event' });
    this.speed = page.getByLabel('Playback speed');
    this.scenarioName = page.getByTestId('scenario-name');
    this.vertices = page.getByTestId('vertex');
    this.subtasks = page.getByTestId('subtask');
    this.sinkTable = page.getByTestId('sink-table');
    this.virtualTime = page.getByTestId('virtual-time');
    this.jobStatus = page.getByTestId('job-status');
    this.traceHashText = page.getByTestId('trace-hash');
    this.flightLayer = page.getByTestId('flight-layer');
  }

  /** Opens the page and waits until the default scenario is loaded. */
  async open(): Promise<void> {
    const errors: string[] = [];
    this.page.on('pageerror', (e) => errors.push(e.message));
    await this.page.goto('/');
    await this.page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
      timeout: 30_000,
    });
    expect(errors, 'uncaught page errors').toEqual([]);
  }

  frame(): Promise<Frame | null> {
    return this.page.evaluate(() => (globalThis as unknown as LabGlobal).__lab?.frame() ?? null);
  }

  topology(): Promise<Topology | null> {
    return this.page.evaluate(() => (globalThis as unknown as LabGlobal).__lab?.topology() ?? null);
  }

  traceHash(): Promise<string> {
    return this.page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.traceHash());
  }

  runTo(timeUs: number): Promise<Frame> {
    return this.page.evaluate((t) => (globalThis as unknown as LabGlobal).__lab!.runTo(t), timeUs);
  }

  load(scenario: unknown): Promise<LoadResult> {
    return this.page.evaluate((s) => (globalThis as unknown as LabGlobal).__lab!.load(s), scenario);
  }

  /** Number of non-transparent pixels on the animation canvas. */
  paintedPixels(): Promise<number> {
    return this.flightLayer.evaluate((el) => {
      const canvas = el as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
      return n;
    });
  }

  /** Total records written by all sinks in the latest frame. */
  async sinkRecords(): Promise<number> {
    const frame = await this.frame();
    return (frame?.sinks ?? []).reduce((n, s) => n + s.written, 0);
  }
}
