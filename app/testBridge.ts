/**
 * The typed test bridge on `window.__lab`: what the Playwright specs and the fps benchmark need to read engine
 * state (facts, not pixels) and to set up a moment quickly. Types only here, so e2e/ can import them without
 * pulling the app in; the installation is in ./engineClient.ts.
 */
import type {
  Action,
  CorrectnessView,
  FaultCommand,
  Frame,
  LoadResult,
  RestoreFromOptions,
  RetainedList,
  StateDetails,
  StepKind,
  TimelineInfo,
  Topology,
} from '../engine/protocol.ts';

export interface LabBridge {
  /** True once the default scenario is loaded and the first frame is shown. */
  readonly ready: boolean;
  /** A command (load, run to, seek, step to) is in progress. */
  readonly busy: boolean;
  /** The latest frame the UI received, or null before the first. */
  frame(): Frame | null;
  topology(): Topology | null;
  traceHash(): Promise<string>;
  /** Pauses, runs the engine as fast as possible to the virtual time (µs) and shows the resulting frame. */
  runTo(timeUs: number): Promise<Frame>;
  /** Loads a scenario (raw JSON); on errors the current scenario stays loaded. */
  load(scenario: unknown): Promise<LoadResult>;
  loadPreset(id: string): Promise<LoadResult>;
  step(): Promise<Frame>;
  stepTo(kind: StepKind): Promise<Frame>;
  /** Time travel: rebuilds the run up to the virtual time (µs). */
  seek(timeUs: number): Promise<Frame>;
  injectFault(fault: FaultCommand): Promise<Frame>;
  triggerCheckpoint(): Promise<Frame>;
  triggerSavepoint(): Promise<Frame>;
  actions(): Promise<Action[]>;
  correctness(): Promise<CorrectnessView>;
  /** Flink's REST JSON of GET /jobs/:id/checkpoints. */
  checkpointStats(): Promise<unknown>;
  stateDetails(subtask: number): Promise<StateDetails>;
  /** The scrubber's end: the furthest virtual time reached on the current timeline. */
  maxTime(): number;
  /** The frame the panels, scrubber and readout show now (one moment per screen), or null before the first. */
  shownFrame(): Frame | null;
  /** The moment the panels' engine answers belong to (its frame seq and time) and which answers it holds. */
  moment(): { seq: number; time: number; keys: string[] };
  /** Teaching time on or off (as the badge's switch does). */
  setTeaching(on: boolean): Promise<void>;
  /** Test only (page loaded with ?labtest): makes the worker spin forever, as a stuck worker would. */
  hangWorker: (() => void) | undefined;
  /** Increases whenever the engine worker is replaced (crash or watchdog). */
  workerGeneration(): number;
  /** The run's timelines: the original and each fork made by acting in the past (the current one marked). */
  timelines(): Promise<TimelineInfo[]>;
  /** Shows timeline `id` at the end it reached, as the timeline list does. */
  switchTimeline(id: number): Promise<Frame>;
  /** The link ("Copy link") to the current run at the current moment: opening it reproduces the same trace hash. */
  shareLink(): Promise<string>;
  /** Every guided lesson: its link, number of steps, step links, predictions (with the right choice) and actions. */
  lessons?: () => LessonInfo[];
  /** The lesson being followed (step 1-based, phase, highlighted element found?), or null. */
  lessonState?: () => LessonStateInfo | null;
  /** Checkpoints and savepoints kept in durable checkpoint storage (IndexedDB), also after a reload. */
  retainedCheckpoints(): Promise<RetainedList>;
  /** Starts a new job from a stored snapshot's path (optionally rescaled, with a claim mode). */
  restoreFrom(path: string, options?: RestoreFromOptions): Promise<LoadResult>;
}

export interface LessonInfo {
  id: string;
  title: string;
  /** `?lesson=<id>&step=1`; every step has `stepLinks[i]` (`&step=<i+1>`). */
  link: string;
  steps: number;
  stepLinks: string[];
  predictions: { step: number; question: string; choices: string[]; correct: number }[];
  actions: { step: number; kind: string; label: string }[];
}

export interface LessonStateInfo {
  id: string;
  step: number;
  steps: number;
  phase: 'moving' | 'ready' | 'error' | 'done';
  error: string | null;
  title: string;
  highlight: { kind: string; selector: string | null; found: boolean } | null;
  /** The chosen answer (0-based) of this step's prediction, or null. */
  answered: number | null;
  act: { kind: string; label: string; done: boolean } | null;
  canNext: boolean;
}

/** The global the bridge lives on (use `(globalThis as unknown as LabGlobal).__lab` in page.evaluate). */
export interface LabGlobal {
  __lab?: LabBridge;
}
