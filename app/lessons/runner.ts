/**
 * Brings a run to a lesson's moments and performs its actions, through a driver: the page drives the engine worker
 * (./appDriver.ts), the unit tests drive an Engine in Node (lessons.test.ts). Moments are typed (virtual time, an
 * engine step kind, or a typed RuntimeEvent with field values), never English text.
 */
import type { FaultCommand, RuntimeEvent, StepKind, Topology } from '../../engine/protocol.ts';
import type { Lesson, LessonAct, LessonHighlight, LessonMoment } from './types.ts';

/** What a driver reports after moving the run: where it is and the typed events that happened on the way. */
export interface Moved {
  time: number;
  events: RuntimeEvent[];
  finished: boolean;
}

export interface LessonDriver {
  loadPreset(id: string): Promise<void>;
  runTo(timeUs: number): Promise<Moved>;
  stepTo(kind: Exclude<StepKind, 'event'>): Promise<Moved>;
  now(): number;
  topology(): Topology | null;
  injectFault(fault: FaultCommand): Promise<void>;
  triggerCheckpoint(): Promise<void>;
  triggerSavepoint(): Promise<void>;
  /** Completed savepoints of the current job, oldest first. */
  savepoints(): number[];
  restartFromSavepoint(id: number, parallelism: Record<string, number>, taskManagers?: number): Promise<void>;
  /** Typed events seen since the last call (every command adds what it saw), then forgets them. */
  takeEvents(): RuntimeEvent[];
}

export type Reached = { ok: true } | { ok: false; message: string };

const DEFAULT_SLICE_US = 100_000;
const DEFAULT_WITHIN_US = 30_000_000;

/** Whether a typed event is the one a moment waits for. */
export function eventMatches(
  ev: RuntimeEvent,
  m: Extract<LessonMoment, { kind: 'event' }>,
  topology: Topology | null,
): boolean {
  if (ev.kind !== m.event) return false;
  const fields = ev as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(m.where ?? {})) if (fields[k] !== v) return false;
  if (m.on !== undefined) {
    const i = fields['subtask'];
    if (typeof i !== 'number') return false;
    if (topology?.subtasks[i]?.vertexId !== m.on) return false;
  }
  return true;
}

export function describeMoment(m: LessonMoment): string {
  if (m.kind === 'time') return `virtual time ${(m.atUs / 1e6).toFixed(3)} s`;
  if (m.kind === 'step') return `the next ${m.step} event`;
  return `an engine event "${m.event}"${m.on !== undefined ? ` on ${m.on}` : ''}`;
}

/** Moves the run forward to the moment (never back: earlier moments are reached by rebuilding the lesson). */
export async function reach(m: LessonMoment | undefined, d: LessonDriver): Promise<Reached> {
  // What the learner's action caused (e.g. a fault detected at once) counts toward this moment.
  const before = d.takeEvents();
  try {
    return await reachFrom(m, d, before);
  } finally {
    d.takeEvents();
  }
}

async function reachFrom(
  m: LessonMoment | undefined,
  d: LessonDriver,
  before: RuntimeEvent[],
): Promise<Reached> {
  if (m === undefined) return { ok: true };
  if (m.kind === 'time') {
    if (m.atUs > d.now()) await d.runTo(m.atUs);
    return { ok: true };
  }
  if (m.kind === 'step') {
    const r = await d.stepTo(m.step);
    return r.finished ? { ok: false, message: `the job ended before ${describeMoment(m)}` } : { ok: true };
  }
  if (before.some((ev) => eventMatches(ev, m, d.topology()))) return { ok: true };
  const slice = m.sliceUs ?? DEFAULT_SLICE_US;
  const limit = d.now() + (m.withinUs ?? DEFAULT_WITHIN_US);
  while (d.now() < limit) {
    const r = await d.runTo(Math.min(limit, d.now() + slice));
    if (r.events.some((ev) => eventMatches(ev, m, d.topology()))) return { ok: true };
    if (r.finished) break;
  }
  return {
    ok: false,
    message: `${describeMoment(m)} did not happen within ${(m.withinUs ?? DEFAULT_WITHIN_US) / 1e6} s`,
  };
}

/** Performs the learner's action with the real engine. */
export async function perform(a: LessonAct, d: LessonDriver): Promise<Reached> {
  switch (a.kind) {
    case 'fault':
      await d.injectFault(a.fault);
      return { ok: true };
    case 'checkpoint':
      await d.triggerCheckpoint();
      return { ok: true };
    case 'savepoint':
      await d.triggerSavepoint();
      return { ok: true };
    case 'preset':
      await d.loadPreset(a.preset);
      return { ok: true };
    case 'restart': {
      const id = d.savepoints().at(-1);
      if (id === undefined)
        return { ok: false, message: 'there is no completed savepoint to restart from yet' };
      await d.restartFromSavepoint(id, a.parallelism, a.taskManagers);
      return { ok: true };
    }
  }
}

/**
 * Rebuilds a lesson up to step `target` (0-based): loads its preset, reaches every earlier step's moment and
 * performs its action, then reaches the target's moment. The same path whether the learner stepped back, opened
 * a link to the step or reloaded the page, so a step always shows the same moment.
 */
export async function rebuild(
  lesson: Lesson,
  target: number,
  d: LessonDriver,
  cancelled: () => boolean = () => false,
): Promise<Reached> {
  await d.loadPreset(lesson.preset);
  for (let i = 0; i <= target; i++) {
    if (cancelled()) return { ok: true };
    const step = lesson.steps[i];
    if (step === undefined) break;
    const r = await reach(step.at, d);
    if (!r.ok) return r;
    if (i < target && step.act !== undefined) {
      const p = await perform(step.act, d);
      if (!p.ok) return p;
    }
  }
  return { ok: true };
}

/** The CSS selector of a highlighted element on the page (see app/graph/JobGraph.tsx and the panels). */
export function highlightSelector(h: LessonHighlight, topology: Topology | null): string | null {
  switch (h.kind) {
    case 'subtask':
      return `[data-testid="subtask"][data-subtask="${h.name}"]`;
    case 'vertex':
      return `[data-testid="vertex"][data-vertex="${h.id}"]`;
    case 'channel': {
      const subs = topology?.subtasks ?? [];
      const from = subs.find((s) => s.name === h.from)?.index;
      const to = subs.find((s) => s.name === h.to)?.index;
      const ch = topology?.channels.find((c) => c.from === from && c.to === to);
      return ch === undefined ? null : `.channel-hit[data-channel="${ch.index}"]`;
    }
    case 'taskManager':
      return `[data-testid="taskmanager"][data-tm="${h.name}"]`;
    case 'jobManager':
      return '[data-testid="job-manager"]';
    case 'storage':
      return '[data-testid="checkpoint-storage"]';
    case 'panel':
      if (h.panel === 'state' && h.subtask !== undefined) return '[data-testid="keygroup-table"]';
      return h.panel === 'output' ? '#panel-output' : h.panel === 'log' ? '#panel-log' : '#panel-state';
  }
}
