/**
 * The UI side of the worker: creates the engine worker, wraps it with Comlink, feeds frames into the live
 * stream and the throttled store, recovers from a worker crash, and installs the `window.__lab` test bridge.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, Frame, LoadResult, LogEntry } from '../engine/protocol.ts';
import { useLab } from './store/index.ts';
import { pushLiveFrame, liveFrames } from './store/liveFrames.ts';
import type { ScenarioSource } from './store/scenarioSlice.ts';
import type { Speed } from './store/playbackSlice.ts';
import type { LabBridge, LabGlobal } from './testBridge.ts';

export const DEFAULT_PRESET = 'click-count';
/** React panels see at most this many snapshots a second. */
const PUBLISH_HZ = 5;

let worker: Worker | null = null;
let api: Remote<EngineApi> | null = null;
/** Bumped whenever the worker is replaced, so frames of a dead worker are ignored. */
let generation = 0;
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
  useLab.getState().publish(frame, entries);
}

/** A frame from the stream: straight to the canvas, to React at most PUBLISH_HZ times a second. */
function onFrame(frame: Frame, jump = false): void {
  pushLiveFrame(frame, jump);
  if (frame.log.length > 0) pendingLog.push(...frame.log);
  if (frame.finished && useLab.getState().playing) useLab.getState().setPlaying(false);
  const wait = 1000 / PUBLISH_HZ - (performance.now() - lastPublish);
  if (jump || wait <= 0) publishNow();
  else publishTimer ??= setTimeout(publishNow, wait);
}

function applyLoad(result: LoadResult, source: ScenarioSource): void {
  const store = useLab.getState();
  if (!result.ok) {
    store.setLoadErrors(result.errors);
    return;
  }
  store.setPlaying(false);
  if (publishTimer !== null) clearTimeout(publishTimer);
  publishTimer = null;
  pendingLog = [];
  pushLiveFrame(result.frame, true);
  store.resetFrames(result.frame);
  store.setScenario(result.topology, source);
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

async function withBusy<T>(fn: () => Promise<T>): Promise<T> {
  useLab.getState().setBusy(true);
  try {
    return await fn();
  } finally {
    useLab.getState().setBusy(false);
  }
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

  async play(): Promise<void> {
    const store = useLab.getState();
    if (store.playing || store.snapshot?.finished === true) return;
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
    if (useLab.getState().playing) await engineClient.pause();
    const frame = await remote().step();
    onFrame(frame, true);
    return frame;
  },

  async runTo(timeUs: number): Promise<Frame> {
    return withBusy(async () => {
      if (useLab.getState().playing) await engineClient.pause();
      const frame = await remote().runTo(timeUs);
      onFrame(frame, true);
      return frame;
    });
  },

  load(json: unknown): Promise<LoadResult> {
    return withBusy(() => loadSource({ kind: 'json', json }));
  },

  loadPreset(id: string): Promise<LoadResult> {
    return withBusy(() => loadSource({ kind: 'preset', id }));
  },

  traceHash(): Promise<string> {
    return remote().traceHash();
  },
};

function installBridge(): void {
  const bridge: LabBridge = {
    get ready() {
      return ready;
    },
    frame: () => liveFrames.getState().latest,
    topology: () => useLab.getState().topology,
    traceHash: () => engineClient.traceHash(),
    runTo: (us) => engineClient.runTo(us),
    load: (json) => engineClient.load(json),
  };
  (globalThis as unknown as LabGlobal).__lab = bridge;
}
