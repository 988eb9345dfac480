import { expect, type Locator, type Page } from '@playwright/test';
import type {
  CorrectnessView,
  FaultCommand,
  Frame,
  LoadResult,
  StepKind,
  Topology,
} from '../../engine/protocol.ts';
import type { LabGlobal } from '../../app/testBridge.ts';

const STEP_BUTTON: Record<StepKind, string> = {
  event: 'Step to the next event',
  barrier: 'Step to the next barrier event',
  'checkpoint-completed': 'Step to the next completed checkpoint',
  failure: 'Step to the next failure',
  restore: 'Step to the next restore',
};

/**
 * Page object for the Checkpoint Lab page. UI actions go through the page (buttons, menus, keys); facts are read
 * from the engine through the typed test bridge on `window.__lab`, so tests assert facts, not pixels.
 */
export class LabPage {
  readonly playButton: Locator;
  readonly stepButton: Locator;
  readonly speed: Locator;
  readonly scenarioName: Locator;
  readonly vertices: Locator;
  readonly subtasks: Locator;
  readonly sinkTable: Locator;
  readonly windowTable: Locator;
  readonly virtualTime: Locator;
  readonly jobStatus: Locator;
  readonly traceHashText: Locator;
  readonly flightLayer: Locator;
  readonly menu: Locator;
  readonly scrubber: Locator;
  readonly verdict: Locator;
  readonly log: Locator;

  constructor(readonly page: Page) {
    this.playButton = page.getByRole('button', { name: /^(Play|Pause)$/ });
    this.stepButton = page.getByRole('button', { name: STEP_BUTTON.event });
    this.speed = page.getByLabel('Playback speed');
    this.scenarioName = page.getByTestId('scenario-name');
    this.vertices = page.getByTestId('vertex');
    this.subtasks = page.getByTestId('subtask');
    this.sinkTable = page.getByTestId('sink-table');
    this.windowTable = page.getByTestId('window-table');
    this.virtualTime = page.getByTestId('virtual-time');
    this.jobStatus = page.getByTestId('job-status');
    this.traceHashText = page.getByTestId('trace-hash');
    this.flightLayer = page.getByTestId('flight-layer');
    this.menu = page.getByRole('menu');
    this.scrubber = page.getByRole('slider', { name: /Timeline/ });
    this.verdict = page.getByTestId('correctness-verdict');
    this.log = page.getByTestId('log');
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

  // ---- UI ----------------------------------------------------------------------------------------------------

  stepTo(kind: StepKind): Locator {
    return this.page.getByRole('button', { name: STEP_BUTTON[kind], exact: true });
  }

  /** Clicks a step button and waits until the command has finished. */
  async clickStep(kind: StepKind): Promise<Frame> {
    const before = (await this.frame())?.processedEvents ?? 0;
    await this.stepTo(kind).click();
    await expect.poll(async () => (await this.frame())?.processedEvents ?? 0).toBeGreaterThan(before);
    await this.idle();
    return (await this.frame())!;
  }

  /** One event (the step button), waiting for it. */
  step1(): Promise<Frame> {
    return this.clickStep('event');
  }

  /** The graph box of a subtask by its engine name ("counter#0"). */
  subtask(name: string): Locator {
    return this.page.locator(`[data-testid="subtask"][data-subtask="${name}"]`);
  }

  taskManager(name: string): Locator {
    return this.page.locator(`[data-testid="taskmanager"][data-tm="${name}"]`);
  }

  /** Opens the menu of a graph element (its button), then picks an item. */
  async menuAction(button: Locator, item: string | RegExp): Promise<void> {
    await button.click();
    await expect(this.menu).toBeVisible();
    await this.menu.getByRole('menuitem', { name: item }).click();
    await expect(this.menu).toHaveCount(0);
    await this.idle();
  }

  tmButton(name: string): Locator {
    return this.taskManager(name).getByRole('button', { name: new RegExp(`^TaskManager ${name}`) });
  }

  async idle(): Promise<void> {
    await this.page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.busy === false);
  }

  // ---- bridge ------------------------------------------------------------------------------------------------

  private lab<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      ([f, a]) => {
        const lab = (globalThis as unknown as LabGlobal).__lab as unknown as Record<
          string,
          (...x: unknown[]) => unknown
        >;
        return lab[f]!(...a) as T;
      },
      [fn, args] as const,
    );
  }

  frame(): Promise<Frame | null> {
    return this.lab('frame');
  }

  topology(): Promise<Topology | null> {
    return this.lab('topology');
  }

  traceHash(): Promise<string> {
    return this.lab('traceHash');
  }

  runTo(timeUs: number): Promise<Frame> {
    return this.lab('runTo', timeUs);
  }

  seek(timeUs: number): Promise<Frame> {
    return this.lab('seek', timeUs);
  }

  load(scenario: unknown): Promise<LoadResult> {
    return this.lab('load', scenario);
  }

  injectFault(fault: FaultCommand): Promise<Frame> {
    return this.lab('injectFault', fault);
  }

  correctness(): Promise<CorrectnessView> {
    return this.lab('correctness');
  }

  checkpointStats(): Promise<{ counts: { restored: number; completed: number; failed: number } }> {
    return this.lab('checkpointStats');
  }

  maxTime(): Promise<number> {
    return this.lab('maxTime');
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

/** The parts of a frame that are a pure function of (scenario, seed, actions, virtual time). */
export function deterministicPart(f: Frame): unknown {
  return {
    time: f.time,
    status: f.status,
    traceHash: f.traceHash,
    processedEvents: f.processedEvents,
    subtaskStatus: f.subtaskStatus,
    recordsIn: f.recordsIn,
    recordsOut: f.recordsOut,
    watermark: f.watermark,
    stateBytes: f.stateBytes,
    stateKeys: f.stateKeys,
    channelBacklog: f.channelBacklog,
    channelQueued: f.channelQueued,
    inFlight: f.inFlight,
    sinks: f.sinks,
    subtaskPhase: f.subtaskPhase,
    subtaskTaskManager: f.subtaskTaskManager,
    subtaskAttempt: f.subtaskAttempt,
    channelBlocked: f.channelBlocked,
    channelStalled: f.channelStalled,
    taskManagerAlive: f.taskManagerAlive,
    restarts: f.restarts,
    failure: f.failure,
    checkpoints: f.checkpoints,
  };
}
