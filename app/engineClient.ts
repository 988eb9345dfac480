/**
 * The UI side of the worker: creates the engine worker, wraps it with Comlink, feeds frames into the live
 * stream and the throttled store, recovers from a worker crash, and installs the `window.__lab` test bridge.
 * Every command the UI sends goes through here (the action registry calls these functions).
 */
import { proxy, wrap, type Remote } from 'comlink';
import type {
  Action,
  CorrectnessView,
  EngineApi,
  FaultCommand,
  Frame,
  LoadResult,
  LogEntry,
  StateDetails,
  StepKind,
  TimelineComparison,
} from '../engine/protocol.ts';
import { useLab } from './store/index.ts';
import { pushLiveFrame, liveFrames } from './store/liveFrames.ts';
import type { ScenarioSource } from './store/scenarioSlice.ts';
import type { Speed } from './store/playbackSlice.ts';
import type { LabBridge, LabGlobal } from './testBridge.ts';
import { formatTime } from './format.ts';

export const DEFAULT_PRESET = 'click-count';
/** React panels see at most this many snapshots a second. */
const PUBLISH_HZ = 8;

let worker: Worker | null = null;
let api: Remote<EngineApi> | null = null;
/** Bumped whenever the worker is replaced, so frames of a dead worker are ignored. */
let generation = 0;
/** Bumped whenever the run is replaced (load, seek, restart), so queries about the old run are ignored. */
let runEpoch = 0;
let pendingLog: LogEntry[] = [];
let lastPublish = 0;
let publishTimer: ReturnType<typeof setTimeout> | null = null;
let ready = false;

function remote(): Remote<EngineApi> {
  if (api === null) throw new Error('The engine worker is not running');
  return api;
}

function publishNow(): void {
  if (publishTimer !== null) {
    clearTimeout(publishTimer);
    publishTimer = null;
  }
  const frame = liveFrames.getState().latest;
  if (frame === null) return;
  lastPublish = performance.now();
  const entries = pendingLog;
  pendingLog = [];
  const store = useLab.getState();
  store.publish(frame, entries);
  store.record(frame, entries);
}

/** A frame from the stream: straight to the canvas, to React at most PUBLISH_HZ times a second. */
function onFrame(frame: Frame, jump = false): void {
  pushLiveFrame(frame, jump);
  if (frame.log.length > 0) pendingLog.push(...frame.log);
  const store = useLab.getState();
  if (frame.time > store.maxTime) store.setMaxTime(frame.time);
  if (frame.finished && store.playing) store.setPlaying(false);
  const wait = 1000 / PUBLISH_HZ - (performance.now() - lastPublish);
  if (jump || wait <= 0) publishNow();
  else publishTimer ??= setTimeout(publishNow, wait);
}

/** The engine was replaced by a rebuilt run (seek) or a new one (load, restart): its log starts over. */
function onNewRun(frame: Frame, kind: 'seek' | 'new'): void {
  runEpoch += 1;
  if (publishTimer !== null) clearTimeout(publishTimer);
  publishTimer = null;
  pendingLog = [];
  pushLiveFrame(frame, true);
  const store = useLab.getState();
  store.resetFrames(frame);
  if (kind === 'new') {
    store.bumpRunVersion();
    store.resetHistory();
    store.setMaxTime(frame.time);
    store.setMinTime(frame.time);
  } else {
    store.truncateSamples(frame.time);
  }
  store.record(frame, frame.log);
  lastPublish = performance.now();
}

function applyLoad(result: LoadResult, source: ScenarioSource): void {
  const store = useLab.getState();
  if (!result.ok) {
    store.setLoadErrors(result.errors);
    return;
  }
  store.setPlaying(false);
  onNewRun(result.frame, 'new');
  store.setScenario(result.topology, source);
  store.selectSubtask(null);
  store.selectCheckpoint(null);
}

async function loadSource(source: ScenarioSource): Promise<LoadResult> {
  const result =
    source.kind === 'preset' ? await remote().loadPreset(source.id) : await remote().load(source.json);
  applyLoad(result, source);
  return result;
}

function spawnWorker(): void {
  generation += 1;
  const gen = generation;
  worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  worker.onerror = (event) => {
    event.preventDefault();
    if (gen === generation) void recoverFromCrash(event.message || 'unknown error');
  };
  api = wrap<EngineApi>(worker);
  void api.subscribe(
    proxy((frame: Frame) => {
      if (gen === generation) onFrame(frame);
    }),
  );
}

/** Real times (ms) of recent crashes: a worker that keeps crashing (e.g. fails to load) is not restarted forever. */
const crashes: number[] = [];
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 30_000;

async function recoverFromCrash(message: string): Promise<void> {
  const store = useLab.getState();
  const source = store.source ?? { kind: 'preset', id: DEFAULT_PRESET };
  worker?.terminate();
  store.setPlaying(false);
  store.setBusy(false);
  const now = performance.now();
  crashes.push(now);
  while (crashes.length > 0 && (crashes[0] ?? now) < now - CRASH_WINDOW_MS) crashes.shift();
  if (crashes.length > MAX_CRASHES) {
    api = null;
    store.setNotice(`The engine worker keeps crashing (${message}). Reload the page to try again.`);
    return;
  }
  spawnWorker();
  store.setNotice(
    `The engine worker crashed (${message}). It was restarted with the current scenario from the start.`,
  );
  try {
    await loadSource(source);
    if (!ready) {
      // The crash happened while starting: finish the start on the new worker.
      store.setPresets(await remote().listPresets());
      ready = true;
    }
  } catch (err) {
    store.setNotice(`The engine worker crashed and could not be restarted: ${String(err)}`);
  }
}

async function withBusy<T>(label: string | null, fn: () => Promise<T>): Promise<T> {
  useLab.getState().setBusy(true, label);
  try {
    return await fn();
  } finally {
    useLab.getState().setBusy(false);
  }
}

async function pauseFirst(): Promise<void> {
  if (useLab.getState().playing) await engineClient.pause();
}

/**
 * A user action changes the run from now on. Acting in the past (after a seek back) forks the timeline: what the
 * UI knew about the old future is dropped.
 */
function forkAt(time: number): void {
  const store = useLab.getState();
  if (time < store.maxTime) {
    store.bumpRunVersion();
    store.setMaxTime(time);
    store.truncateHistory(time);
  }
}

async function act(fn: (api: Remote<EngineApi>) => Promise<Frame>): Promise<Frame> {
  const before = liveFrames.getState().latest?.time ?? 0;
  forkAt(before);
  const frame = await fn(remote());
  onFrame(frame, true);
  return frame;
}

export const engineClient = {
  async start(): Promise<void> {
    installBridge();
    spawnWorker();
    const [presets] = await Promise.all([
      remote().listPresets(),
      loadSource({ kind: 'preset', id: DEFAULT_PRESET }),
    ]);
    useLab.getState().setPresets(presets);
    ready = true;
  },

  /** Increases whenever the engine run is replaced; results of queries started before are stale. */
  epoch(): number {
    return runEpoch;
  },

  async play(): Promise<void> {
    const store = useLab.getState();
    if (store.playing || store.snapshot?.finished === true || store.busy) return;
    store.setPlaying(true);
    await remote().play(store.speed * 1000);
  },

  async pause(): Promise<void> {
    useLab.getState().setPlaying(false);
    await remote().pause();
  },

  async togglePlay(): Promise<void> {
    if (useLab.getState().playing) await engineClient.pause();
    else await engineClient.play();
  },

  async setSpeed(speed: Speed): Promise<void> {
    useLab.getState().setSpeed(speed);
    await remote().setSpeed(speed * 1000);
  },

  /** Processes exactly one event (pausing first). */
  async step(): Promise<Frame> {
    await pauseFirst();
    const frame = await remote().step();
    onFrame(frame, true);
    return frame;
  },

  /** Runs event by event until an event of the kind was processed (pausing first). */
  async stepTo(kind: StepKind, label: string | null = null): Promise<Frame> {
    return withBusy(label === null ? null : `${label}…`, async () => {
      await pauseFirst();
      const frame = await remote().stepTo(kind);
      onFrame(frame, true);
      return frame;
    });
  },

  async runTo(timeUs: number): Promise<Frame> {
    return withBusy(null, async () => {
      await pauseFirst();
      const frame = await remote().runTo(timeUs);
      onFrame(frame, true);
      return frame;
    });
  },

  /** Time travel: the engine rebuilds the run from its scenario, seed and actions up to `timeUs`. */
  async seek(timeUs: number): Promise<Frame> {
    const target = Math.max(0, Math.round(timeUs));
    return withBusy(`Rebuilding the run up to ${formatTime(target)}…`, async () => {
      await pauseFirst();
      const frame = await remote().seek(target);
      onNewRun(frame, 'seek');
      return frame;
    });
  },

  /** Faults apply at the current moment of the run; a running play loop keeps going afterwards. */
  injectFault(fault: FaultCommand): Promise<Frame> {
    return act((a) => a.injectFault(fault));
  },
  triggerCheckpoint(): Promise<Frame> {
    return act((a) => a.triggerCheckpoint());
  },
  triggerSavepoint(): Promise<Frame> {
    return act((a) => a.triggerSavepoint());
  },
  stopWithSavepoint(drain: boolean): Promise<Frame> {
    return act((a) => a.stopWithSavepoint(drain));
  },

  /** A new job from a completed savepoint with a new parallelism per operator (rescaling). */
  async restartFromSavepoint(
    savepointId: number,
    parallelism: Record<string, number>,
    taskManagers?: number,
  ): Promise<LoadResult> {
    return withBusy('Starting the job from the savepoint…', async () => {
      await pauseFirst();
      const store = useLab.getState();
      const result = await remote().restartFromSavepoint(savepointId, parallelism, taskManagers);
      if (!result.ok) {
        store.setLoadErrors(result.errors);
        return result;
      }
      onNewRun(result.frame, 'new');
      store.setScenario(result.topology, store.source ?? { kind: 'preset', id: DEFAULT_PRESET });
      store.selectSubtask(null);
      store.selectCheckpoint(null);
      return result;
    });
  },

  load(json: unknown): Promise<LoadResult> {
    return withBusy('Loading the scenario…', () => loadSource({ kind: 'json', json }));
  },

  loadPreset(id: string): Promise<LoadResult> {
    return withBusy('Loading the scenario…', () => loadSource({ kind: 'preset', id }));
  },

  traceHash(): Promise<string> {
    return remote().traceHash();
  },
  actions(): Promise<Action[]> {
    return remote().actions();
  },
  checkpointStats(): Promise<unknown> {
    return remote().checkpointStats();
  },
  checkpointConfig(): Promise<unknown> {
    return remote().checkpointConfig();
  },
  checkpointDetails(id: number): Promise<unknown> {
    return remote().checkpointDetails(id);
  },
  subtaskDetails(id: number, vertexId: string): Promise<unknown> {
    return remote().subtaskDetails(id, vertexId);
  },
  compareWithOriginal(): Promise<TimelineComparison | null> {
    return remote().compareWithOriginal();
  },

  correctness(): Promise<CorrectnessView> {
    return remote().correctness();
  },
  stateDetails(subtask: number): Promise<StateDetails> {
    return remote().stateDetails(subtask);
  },
};

function installBridge(): void {
  const bridge: LabBridge = {
    get ready() {
      return ready;
    },
    get busy() {
      return useLab.getState().busy;
    },
    frame: () => liveFrames.getState().latest,
    topology: () => useLab.getState().topology,
    traceHash: () => engineClient.traceHash(),
    runTo: (us) => engineClient.runTo(us),
    load: (json) => engineClient.load(json),
    loadPreset: (id) => engineClient.loadPreset(id),
    step: () => engineClient.step(),
    stepTo: (kind) => engineClient.stepTo(kind),
    seek: (us) => engineClient.seek(us),
    injectFault: (f) => engineClient.injectFault(f),
    triggerCheckpoint: () => engineClient.triggerCheckpoint(),
    triggerSavepoint: () => engineClient.triggerSavepoint(),
    actions: () => engineClient.actions(),
    correctness: () => engineClient.correctness(),
    checkpointStats: () => engineClient.checkpointStats(),
    stateDetails: (i) => engineClient.stateDetails(i),
    maxTime: () => useLab.getState().maxTime,
  };
  (globalThis as unknown as LabGlobal).__lab = bridge;
}
