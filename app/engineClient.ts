/**
 * The UI side of the worker: creates the engine worker, wraps it with Comlink, feeds frames into the live
 * stream and the throttled store, recovers from a worker crash, and installs the `window.__lab` test bridge.
 * Every command the UI sends goes through here (the action registry calls these functions).
 */
import { proxy, wrap, type Remote } from 'comlink';
import type {
  Action,
  CorrectnessView,
  FaultCommand,
  Frame,
  LoadResult,
  LogEntry,
  SideBySide,
  RestoreFromOptions,
  RetainedList,
  StateDetails,
  StepKind,
  TimelineComparison,
  TimelineInfo,
} from '../engine/protocol.ts';
import type { CommandProgress, PushExtras, StampedAction, WatchSpec, WorkerApi } from './store/workerApi.ts';
import { useLab } from './store/index.ts';
import { markPublished, pushLiveFrame, liveFrames } from './store/liveFrames.ts';
import type { ScenarioSource } from './store/scenarioSlice.ts';
import type { Speed } from './store/playbackSlice.ts';
import type { LabBridge, LabGlobal } from './testBridge.ts';
import { formatTime } from './format.ts';
import type { LinkRestart, LinkSegment, SharedRun } from '../engine/link/linkTypes.ts';
import { documentOf } from './editor/scenarioDocument.ts';

export const DEFAULT_PRESET = 'click-count';
/** Latest virtual time a command may name (the worker refuses later ones too): 24 h. */
export const MAX_VIRTUAL_US = 86_400_000_000;
/** The watchdog's bound: a worker that has not answered a ping for this long is stuck and gets replaced. */
const HANG_MS = 6000;
const PING_EVERY_MS = 1000;

let worker: Worker | null = null;
let api: Remote<WorkerApi> | null = null;
/** Bumped whenever the worker is replaced, so frames of a dead worker are ignored. */
let generation = 0;
/** Bumped whenever the run is replaced (load, seek, restart), so queries about the old run are ignored. */
let runEpoch = 0;
let pendingLog: LogEntry[] = [];
let ready = false;
/** The test flag (?labtest in the URL): enables test-only bridge methods such as hangWorker. */
const testFlag = typeof location !== 'undefined' && new URLSearchParams(location.search).has('labtest');

/** What a new worker needs to rebuild the current run (kept after every change of the timeline). */
let knownTimeline: { actions: StampedAction[]; restartedFromSavepoint: boolean } = {
  actions: [],
  restartedFromSavepoint: false,
};
/** For shared links: the jobs before the current one, and the restart from a savepoint that started it. */
let linkHistory: { prior: LinkSegment[]; restart: LinkRestart | undefined } = {
  prior: [],
  restart: undefined,
};
/** Commands waiting for the current worker: rejected at once when it is replaced. */
const waiting = new Set<(err: Error) => void>();

function remote(): Remote<WorkerApi> {
  if (api === null) throw new Error('The engine worker is not running');
  return api;
}

/** A call to the worker that fails (instead of waiting forever) when the worker is replaced meanwhile. */
function guarded<T>(p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.add(reject);
    p.then(resolve, reject).finally(() => waiting.delete(reject));
  });
}

// ---- one moment per screen (issue 10 §2) -----------------------------------------------------------------------

/** Watched queries by key, with the number of components that watch each. */
const watches = new Map<string, { spec: WatchSpec; count: number }>();
let watchSync: ReturnType<typeof setTimeout> | null = null;

function sendWatches(): void {
  watchSync = null;
  if (api === null) return;
  const specs = [...watches.values()].map((w) => w.spec);
  void guarded(remote().watch(specs))
    .then(() => refreshMoment())
    .catch(() => undefined);
}

/**
 * A panel asks the engine something about the frame it shows: the worker answers it together with every published
 * frame, at the same moment (read it with `useLab((s) => s.moment.data[key])`). Returns the unwatch function.
 */
export function watchQuery(spec: WatchSpec): () => void {
  const w = watches.get(spec.key);
  if (w !== undefined) w.count += 1;
  else {
    watches.set(spec.key, { spec, count: 1 });
    watchSync ??= setTimeout(sendWatches, 0);
  }
  return () => {
    const x = watches.get(spec.key);
    if (x === undefined) return;
    x.count -= 1;
    if (x.count <= 0) {
      watches.delete(spec.key);
      watchSync ??= setTimeout(sendWatches, 0);
    }
  };
}

/** Publishes a frame to the panels, with the watched queries answered at that frame when given. */
function publish(frame: Frame, data?: Record<string, unknown>): void {
  const entries = pendingLog;
  pendingLog = [];
  const store = useLab.getState();
  store.publish(frame, entries, data);
  store.record(frame, entries);
  markPublished(frame);
}

function applyPace(pace: PushExtras['pace']): void {
  const store = useLab.getState();
  store.setSlowMotion(
    store.playing && pace.teaching && pace.slow > 0.15 ? { checkpointId: pace.checkpointId } : null,
  );
}

/** A frame from the stream: to the canvas at once, and to the panels together with its moment's answers. */
function onFrame(frame: Frame, jump = false, extras?: PushExtras): void {
  pushLiveFrame(frame, jump);
  if (frame.log.length > 0) pendingLog.push(...frame.log);
  const store = useLab.getState();
  if (frame.time > store.maxTime) store.setMaxTime(frame.time);
  if (frame.finished && store.playing) store.setPlaying(false);
  if (extras !== undefined) applyPace(extras.pace);
  if (extras !== undefined && extras.moment !== null && extras.moment.seq === frame.seq)
    publish(frame, extras.moment.data);
}

/** After a command: the frame and the watched answers of that moment, published together. */
async function refreshMoment(): Promise<void> {
  const epoch = runEpoch;
  const gen = generation;
  const { frame, extras } = await guarded(remote().moment());
  if (epoch !== runEpoch || gen !== generation) return;
  onFrame(frame, true, extras);
}

/** The engine was replaced by a rebuilt run (seek) or a new one (load, restart): its log starts over. */
function onNewRun(frame: Frame, kind: 'seek' | 'new'): void {
  runEpoch += 1;
  pendingLog = [];
  pushLiveFrame(frame, true);
  markPublished(frame);
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
  void refreshMoment().catch(() => undefined);
  void rememberTimeline();
  void refreshTimelines().catch(() => undefined);
}

/** The run's timelines (original and forks) into the store, for the timeline list. */
async function refreshTimelines(): Promise<TimelineInfo[]> {
  const gen = generation;
  const list = await guarded(remote().timelines());
  if (gen === generation) useLab.getState().setTimelines(list);
  return list;
}

/** Keeps what a new worker would need to rebuild this run (the watchdog's restart). */
async function rememberTimeline(): Promise<void> {
  const gen = generation;
  try {
    const t = await guarded(remote().timeline());
    if (gen === generation) knownTimeline = t;
  } catch {
    // the worker is gone; the last known timeline stays
  }
}

function applyLoad(result: LoadResult, source: ScenarioSource): void {
  const store = useLab.getState();
  if (!result.ok) {
    store.setLoadErrors(result.errors);
    return;
  }
  store.setPlaying(false);
  linkHistory = { prior: [], restart: undefined };
  onNewRun(result.frame, 'new');
  store.setScenario(result.topology, source);
  store.selectSubtask(null);
  store.selectCheckpoint(null);
}

async function loadSource(source: ScenarioSource): Promise<LoadResult> {
  const result =
    source.kind === 'preset'
      ? await guarded<LoadResult>(remote().loadPreset(source.id))
      : await guarded<LoadResult>(remote().load(source.json));
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
  api = wrap<WorkerApi>(worker);
  pingSentAt = null;
  void api.subscribe(
    proxy((frame: Frame, extras?: PushExtras) => {
      if (gen === generation) onFrame(frame, false, extras);
    }),
  );
  void api.subscribeProgress(
    proxy((p: CommandProgress) => {
      if (gen === generation && useLab.getState().busy) useLab.getState().setProgress(p);
    }),
  );
  void api.setTeaching(useLab.getState().teaching);
  if (watches.size > 0) void api.watch([...watches.values()].map((w) => w.spec));
}

/** Real times (ms) of recent crashes: a worker that keeps crashing (e.g. fails to load) is not restarted forever. */
const crashes: number[] = [];
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 30_000;

/** Ends the current worker: its pending commands fail, the controls are free again. Returns false past the limit. */
function endWorker(message: string): boolean {
  const store = useLab.getState();
  worker?.terminate();
  generation += 1;
  for (const reject of [...waiting]) reject(new Error(`The engine worker was replaced (${message})`));
  waiting.clear();
  store.setPlaying(false);
  store.setBusy(false);
  const now = performance.now();
  crashes.push(now);
  while (crashes.length > 0 && (crashes[0] ?? now) < now - CRASH_WINDOW_MS) crashes.shift();
  if (crashes.length > MAX_CRASHES) {
    api = null;
    store.setNotice(`The engine worker keeps failing (${message}). Reload the page to try again.`);
    return false;
  }
  return true;
}

async function finishStart(): Promise<void> {
  if (!ready) {
    // The failure happened while starting: finish the start on the new worker.
    useLab.getState().setPresets(await guarded(remote().listPresets()));
    ready = true;
  }
}

async function recoverFromCrash(message: string): Promise<void> {
  const store = useLab.getState();
  const source = store.source ?? { kind: 'preset', id: DEFAULT_PRESET };
  if (!endWorker(message)) return;
  spawnWorker();
  store.setNotice(
    `The engine worker crashed (${message}). It was restarted with the current scenario from the start.`,
  );
  try {
    await loadSource(source);
    await finishStart();
  } catch (err) {
    store.setNotice(`The engine worker crashed and could not be restarted: ${String(err)}`);
  }
}

// ---- the watchdog (issue 8 §4) -----------------------------------------------------------------------------------

/** When the unanswered ping was sent, or null when none is outstanding. */
let pingSentAt: number | null = null;
let pingTimer: ReturnType<typeof setInterval> | null = null;
let recovering = false;
/** The user was told the engine is slow to answer (cleared when it answers again). */
let slowWarned = false;
const SLOW_NOTICE = `The engine has not answered for ${HANG_MS / 2000} s. If it stays silent for ${HANG_MS / 1000} s, it is restarted and the run rebuilt where you are.`;

function startWatchdog(): void {
  if (pingTimer !== null) return;
  pingTimer = setInterval(() => {
    if (api === null || fallingBack) return;
    const now = performance.now();
    if (pingSentAt === null) {
      // One ping at a time; silence is measured from when it was sent (a throttled background tab's late timer is
      // not silence of the worker).
      const gen = generation;
      pingSentAt = now;
      void api.ping().then(() => {
        if (gen !== generation) return;
        pingSentAt = null;
        if (slowWarned) {
          slowWarned = false;
          const store = useLab.getState();
          if (store.notice === SLOW_NOTICE) store.setNotice(null);
        }
      });
      return;
    }
    const silent = now - pingSentAt;
    if (silent > HANG_MS) void (recovering ? fallBackToStart() : recoverFromHang());
    else if (silent > HANG_MS / 2 && !slowWarned) {
      slowWarned = true;
      useLab.getState().setNotice(SLOW_NOTICE);
    }
  }, PING_EVERY_MS / 2);
}

/**
 * The worker stopped answering (an endless loop, out of memory, closed): a new worker rebuilds the same run from the
 * scenario and the recorded actions up to the moment on screen; if that fails, from the start.
 */
async function recoverFromHang(): Promise<void> {
  if (recovering) return;
  recovering = true;
  const store = useLab.getState();
  const source = store.source ?? { kind: 'preset', id: DEFAULT_PRESET };
  const at = liveFrames.getState().published?.time ?? liveFrames.getState().latest?.time ?? 0;
  const timeline = knownTimeline;
  const secs = Math.round(HANG_MS / 1000);
  try {
    if (!endWorker(`no answer for ${secs} s`)) return;
    spawnWorker();
    if (timeline.restartedFromSavepoint) {
      await loadSource(source);
      store.setNotice(
        `The engine stopped answering for ${secs} s and was restarted. This job had been restarted from a savepoint, which a new worker cannot rebuild: the scenario starts again from the beginning.`,
      );
    } else {
      store.setNotice(
        `The engine stopped answering for ${secs} s and is being restarted: rebuilding the run up to ${formatTime(at)}…`,
      );
      const src = source.kind === 'preset' ? { preset: source.id } : { json: source.json };
      store.setBusy(true, `Rebuilding the run up to ${formatTime(at)}…`);
      let result: LoadResult;
      try {
        result = await guarded<LoadResult>(remote().restore(src, timeline.actions, at));
      } finally {
        store.setBusy(false);
      }
      if (!result.ok) {
        store.setLoadErrors(result.errors);
        return;
      }
      store.setPlaying(false);
      const keepMax = store.maxTime;
      onNewRun(result.frame, 'seek');
      store.setMaxTime(Math.max(keepMax, result.frame.time));
      store.setNotice(
        `The engine stopped answering for ${secs} s and was restarted. The run was rebuilt from the scenario${actionWords(timeline.actions.length)}: you are back at ${formatTime(result.frame.time)}, where you were.`,
      );
    }
    await finishStart();
  } catch (err) {
    if (fallingBack) return; // the rebuild itself hung: fallBackToStart took over
    store.setNotice(`The engine stopped answering and could not be rebuilt: ${String(err)}`);
  } finally {
    if (!fallingBack) recovering = false;
    slowWarned = false;
    pingSentAt = null;
  }
}

function tellCancelled(at: number): void {
  useLab
    .getState()
    .setNotice(`Cancelled: the run stopped at ${formatTime(at)}. Play or step to go on from there.`);
}

function actionWords(n: number): string {
  return n === 0 ? '' : n === 1 ? ' and your action' : ` and your ${n} actions`;
}

let fallingBack = false;

/** The rebuild after a hang hung too: the last moment known to work is the scenario's start, without the actions. */
async function fallBackToStart(): Promise<void> {
  if (fallingBack) return;
  fallingBack = true;
  const store = useLab.getState();
  const source = store.source ?? { kind: 'preset', id: DEFAULT_PRESET };
  try {
    if (!endWorker('no answer while rebuilding the run')) return;
    spawnWorker();
    await loadSource(source);
    await finishStart();
    store.setNotice(
      `The engine stopped answering again while rebuilding the run, so it was restarted with the scenario from the start (the last moment known to work); your recorded actions were not replayed.`,
    );
  } catch (err) {
    store.setNotice(`The engine stopped answering and could not be restarted: ${String(err)}`);
  } finally {
    fallingBack = false;
    recovering = false;
    slowWarned = false;
    pingSentAt = null;
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
    // The timeline acted on stays (the engine keeps it): keep what the UI collected on it, for switching back.
    const current = store.timelines.find((t) => t.current);
    if (current !== undefined) store.stashHistory(current.id, store.maxTime, time);
    store.bumpRunVersion();
    store.setMaxTime(time);
    store.truncateHistory(time);
  }
}

/** A command answered with a frame: shown at once, then published with its moment's answers. */
function afterCommand(frame: Frame): Frame {
  pushLiveFrame(frame, true);
  if (frame.log.length > 0) pendingLog.push(...frame.log);
  const store = useLab.getState();
  if (frame.time > store.maxTime) store.setMaxTime(frame.time);
  if (frame.finished && store.playing) store.setPlaying(false);
  if (watches.size === 0) publish(frame, {});
  void refreshMoment().catch(() => undefined);
  return frame;
}

async function act(fn: (api: Remote<WorkerApi>) => Promise<Frame>): Promise<Frame> {
  const before = liveFrames.getState().latest?.time ?? 0;
  forkAt(before);
  const frame = afterCommand(await guarded(fn(remote())));
  void rememberTimeline();
  void refreshTimelines().catch(() => undefined);
  return frame;
}

export const engineClient = {
  /** Starts the worker and opens `initial` (default: the default scenario; main.tsx: a link or a draft first). */
  async start(initial?: () => Promise<unknown>): Promise<void> {
    installBridge();
    spawnWorker();
    startWatchdog();
    const [presets] = await Promise.all([
      guarded(remote().listPresets()),
      initial !== undefined ? initial() : loadSource({ kind: 'preset', id: DEFAULT_PRESET }),
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
    await guarded(remote().play(store.speed * 1000));
  },

  async pause(): Promise<void> {
    useLab.getState().setPlaying(false);
    await guarded(remote().pause());
    // Show exactly where time stopped, with its moment's answers.
    await refreshMoment().catch(() => undefined);
  },

  async togglePlay(): Promise<void> {
    if (useLab.getState().playing) await engineClient.pause();
    else await engineClient.play();
  },

  async setSpeed(speed: Speed): Promise<void> {
    useLab.getState().setSpeed(speed);
    await guarded(remote().setSpeed(speed * 1000));
  },

  /** Teaching time on or off (remembered); the worker's pacing follows at once. */
  async setTeaching(on: boolean): Promise<void> {
    useLab.getState().setTeaching(on);
    await guarded(remote().setTeaching(on));
  },

  /** Stops a long command (run to, seek) where it got to. */
  async cancel(): Promise<void> {
    await remote().cancel();
  },

  /** Processes exactly one event (pausing first). */
  async step(): Promise<Frame> {
    await pauseFirst();
    return afterCommand(await guarded(remote().step()));
  },

  /** Runs event by event until an event of the kind was processed (pausing first). */
  async stepTo(kind: StepKind, label: string | null = null): Promise<Frame> {
    return withBusy(label === null ? null : `${label}…`, async () => {
      await pauseFirst();
      return afterCommand(await guarded(remote().stepTo(kind)));
    });
  },

  async runTo(timeUs: number): Promise<Frame> {
    if (!Number.isFinite(timeUs) || timeUs < 0 || timeUs > MAX_VIRTUAL_US)
      throw new Error(`Run to: the time must be between 0 and 24 h of virtual time`);
    return withBusy(`Running to ${formatTime(timeUs)}…`, async () => {
      await pauseFirst();
      const frame = afterCommand(await guarded(remote().runTo(timeUs)));
      if (frame.time < Math.floor(timeUs) && !frame.finished) tellCancelled(frame.time);
      return frame;
    });
  },

  /** Time travel: the engine rebuilds the run from its scenario, seed and actions up to `timeUs`. */
  async seek(timeUs: number): Promise<Frame> {
    if (!Number.isFinite(timeUs) || timeUs > MAX_VIRTUAL_US)
      throw new Error(`Seek: the time must be between 0 and 24 h of virtual time`);
    const target = Math.max(0, Math.round(timeUs));
    return withBusy(`Rebuilding the run up to ${formatTime(target)}…`, async () => {
      await pauseFirst();
      const store = useLab.getState();
      const from = liveFrames.getState().latest?.time ?? 0;
      const current = store.timelines.find((t) => t.current);
      const frame = await guarded(remote().seek(target));
      // Going back drops the samples and story ahead from view; the timeline keeps them for switching back to it.
      if (current !== undefined && frame.time < from) store.stashHistory(current.id, store.maxTime, from);
      onNewRun(frame, 'seek');
      if (frame.time < target && !frame.finished) tellCancelled(frame.time);
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
      const before = await guarded(remote().timeline());
      const at = await guarded(remote().frame());
      const result = await guarded<LoadResult>(
        remote().restartFromSavepoint(savepointId, parallelism, taskManagers),
      );
      if (!result.ok) {
        store.setLoadErrors(result.errors);
        return result;
      }
      linkHistory = {
        prior: [...linkHistory.prior, linkSegment(linkHistory.restart, before.actions, at)],
        restart: {
          savepointId,
          parallelism,
          ...(taskManagers === undefined ? {} : { taskManagers }),
          atUs: at.time,
        },
      };
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
    return guarded(remote().traceHash());
  },

  /** The current run as a shared link carries it (pausing first): scenario, seed, jobs, playhead to the event. */
  async sharedRun(): Promise<SharedRun | null> {
    await pauseFirst();
    const store = useLab.getState();
    const doc = documentOf(store.source);
    if (doc === null || store.topology === null) return null;
    const t = await guarded(remote().timeline());
    const f = await guarded(remote().frame());
    return {
      scenario: doc,
      seed: store.topology.seed,
      segments: [...linkHistory.prior, linkSegment(linkHistory.restart, t.actions, null)],
      playhead: { timeUs: f.time, events: f.processedEvents },
    };
  },

  /** Opens a shared link's run. On error the current run stays and the errors are returned (not shown). */
  openRun(run: SharedRun): Promise<LoadResult> {
    return withBusy('Opening the shared run…', async () => {
      await pauseFirst();
      const result = await guarded<LoadResult>(remote().openRun(run));
      if (!result.ok) return result;
      const store = useLab.getState();
      store.setPlaying(false);
      const last = run.segments[run.segments.length - 1];
      linkHistory = { prior: run.segments.slice(0, -1), restart: last?.restart };
      onNewRun(result.frame, 'new');
      store.setMinTime(last?.restart?.atUs ?? 0);
      store.setScenario(result.topology, { kind: 'json', json: { ...run.scenario, seed: run.seed } });
      store.selectSubtask(null);
      store.selectCheckpoint(null);
      return result;
    });
  },
  actions(): Promise<Action[]> {
    return guarded(remote().actions());
  },
  checkpointStats(): Promise<unknown> {
    return guarded(remote().checkpointStats());
  },
  checkpointConfig(): Promise<unknown> {
    return guarded(remote().checkpointConfig());
  },
  checkpointDetails(id: number): Promise<unknown> {
    return guarded(remote().checkpointDetails(id));
  },
  subtaskDetails(id: number, vertexId: string): Promise<unknown> {
    return guarded(remote().subtaskDetails(id, vertexId));
  },
  compareWithOriginal(): Promise<TimelineComparison | null> {
    return guarded(remote().compareWithOriginal());
  },

  /** The run's timelines: the original and every fork made by acting in the past (the current one marked). */
  timelines(): Promise<TimelineInfo[]> {
    return refreshTimelines();
  },

  /**
   * Shows timeline `id` at the end it reached (the engine restores it from its snapshots). What the UI collected on
   * the timeline left (marks, samples, story, scrubber end) is kept for switching back.
   */
  async switchTimeline(id: number): Promise<Frame> {
    return withBusy('Switching timeline…', async () => {
      await pauseFirst();
      const store = useLab.getState();
      const left = store.timelines.find((t) => t.current);
      const leftMax = store.maxTime;
      const leftAt = liveFrames.getState().latest?.time ?? 0;
      const frame = await guarded(remote().switchTimeline(id));
      if (left !== undefined) store.stashHistory(left.id, leftMax, leftAt);
      store.bumpRunVersion();
      onNewRun(frame, 'seek');
      const kept = store.restoreHistory(id);
      store.setMaxTime(Math.max(kept ?? 0, frame.time));
      await refreshTimelines();
      return frame;
    });
  },

  /** Two timelines side by side at one virtual time (the Compare view). */
  compareTimelines(a: number, b: number, timeUs: number): Promise<SideBySide> {
    return guarded(remote().compareTimelines(a, b, Math.max(0, Math.round(timeUs))));
  },

  correctness(): Promise<CorrectnessView> {
    return guarded(remote().correctness());
  },

  /** Checkpoints and savepoints in durable checkpoint storage (IndexedDB), also after a reload. */
  retainedCheckpoints(): Promise<RetainedList> {
    return guarded(remote().retainedCheckpoints());
  },

  /** A new job from a stored checkpoint or savepoint (`flink run -s <path>`), optionally rescaled. */
  async restoreFrom(path: string, options?: RestoreFromOptions): Promise<LoadResult> {
    return withBusy('Starting the job from the stored snapshot…', async () => {
      await pauseFirst();
      const store = useLab.getState();
      const result = await guarded<LoadResult>(remote().restoreFrom(path, options));
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
  stateDetails(subtask: number): Promise<StateDetails> {
    return guarded(remote().stateDetails(subtask));
  },
};

/** A job's actions for a link: those applied by the moment `at` (all of them, when `at` is null). */
function linkSegment(
  restart: LinkRestart | undefined,
  actions: StampedAction[],
  at: Frame | null,
): LinkSegment {
  const applied =
    at === null
      ? actions
      : actions.filter((a) => a.at < at.time || (a.at === at.time && a.seq <= at.processedEvents));
  return restart === undefined ? { actions: applied } : { restart, actions: applied };
}

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
    shownFrame: () => liveFrames.getState().published,
    moment: () => {
      const m = useLab.getState().moment;
      return { seq: m.seq, time: m.time, keys: Object.keys(m.data) };
    },
    setTeaching: (on) => engineClient.setTeaching(on),
    hangWorker: testFlag
      ? () => {
          void remote()
            .hang()
            .catch(() => undefined);
        }
      : undefined,
    workerGeneration: () => generation,
    timelines: () => engineClient.timelines(),
    switchTimeline: (id) => engineClient.switchTimeline(id),
    shareLink: () => import('./share/shareLink.ts').then((m) => m.currentLinkUrl()),
    retainedCheckpoints: () => engineClient.retainedCheckpoints(),
    restoreFrom: (path, options) => engineClient.restoreFrom(path, options),
  };
  (globalThis as unknown as LabGlobal).__lab = bridge;
}
