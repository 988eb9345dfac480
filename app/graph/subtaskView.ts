/**
 * What one subtask box shows, read from a frame: status, snapshot phase of the current checkpoint, load, state,
 * blocked inputs. Display derivations only (labels, tones, sums); every fact comes from the engine's frame.
 */
import type { Frame, SnapshotPhase, SubtaskStatus, Topology } from '../../engine/protocol.ts';
import { formatBytes } from '../format.ts';
import { loadColors } from './flinkColors.ts';

export type Tone = 'ok' | 'bad' | 'warn' | 'done' | 'pending';
export type PhaseKind = SnapshotPhase | 'waiting' | 'trigger';

export interface SubtaskView {
  status: SubtaskStatus | 'UNKNOWN';
  tone: Tone;
  /** Short status word shown in the box when the subtask is not simply RUNNING, else ''. */
  badge: string;
  phase: PhaseKind | null;
  checkpointId: number | null;
  phaseText: string;
  /** The same in fewer characters, for narrow boxes. */
  phaseShort: string;
  busy: number;
  backpressured: number;
  stateBytes: number;
  stateKeys: number;
  inputs: number;
  blockedInputs: number;
  stalledInputs: number;
  heldBuffers: number;
  taskManagerNow: number;
  attempt: number;
  /** Its TaskManager died and the JobManager has not noticed yet (frame.subtaskLost). */
  lost: boolean;
  fill: string;
  stroke: string;
  recordsIn: number;
  recordsOut: number;
}

export function statusTone(status: SubtaskStatus | 'UNKNOWN' | undefined): Tone {
  switch (status) {
    case 'RUNNING':
      return 'ok';
    case 'FINISHED':
      return 'done';
    case 'FAILED':
    case 'CANCELING':
    case 'CANCELED':
      return 'bad';
    case 'DEPLOYING':
    case 'INITIALIZING':
      return 'warn';
    default:
      return 'pending';
  }
}

/** Words for statuses (INITIALIZING = restoring state from the checkpoint in Flink). */
export function statusBadge(status: SubtaskStatus | 'UNKNOWN'): string {
  switch (status) {
    case 'RUNNING':
      return '';
    case 'INITIALIZING':
      return '↻ RESTORING';
    case 'DEPLOYING':
      return '↻ DEPLOYING';
    case 'FAILED':
      return '✕ FAILED';
    case 'CANCELED':
      return '✕ CANCELED';
    case 'CANCELING':
      return '✕ CANCELING';
    case 'FINISHED':
      return '■ FINISHED';
    case 'SCHEDULED':
      return '… NO SLOT';
    case 'CREATED':
      return '… CREATED';
    default:
      return '…';
  }
}

export const PHASE_WORDS: Record<PhaseKind, string> = {
  trigger: 'awaiting trigger',
  waiting: 'waiting for barrier',
  aligning: 'aligning',
  sync: 'sync snapshot',
  async: 'async upload',
  acknowledged: 'acknowledged',
  declined: 'declined',
};

/** Shorter words for narrow boxes. */
export const PHASE_SHORT: Record<PhaseKind, string> = {
  trigger: 'trigger?',
  waiting: 'wait barrier',
  aligning: 'aligning',
  sync: 'sync',
  async: 'async',
  acknowledged: 'acked',
  declined: 'declined',
};

export const PHASE_GLYPH: Record<PhaseKind, string> = {
  trigger: '◌',
  waiting: '◌',
  aligning: '‖',
  sync: '◆',
  async: '⇡',
  acknowledged: '✓',
  declined: '✕',
};

/** What a subtask that is not running shows instead of a snapshot phase. */
const NOT_RUNNING_TEXT: Partial<Record<SubtaskStatus | 'UNKNOWN', [long: string, short: string]>> = {
  FAILED: ['failed: waiting for restart', 'failed'],
  CANCELING: ['canceling', 'canceling'],
  CANCELED: ['canceled: waiting for restart', 'canceled'],
  CREATED: ['created', 'created'],
  SCHEDULED: ['waiting for a free slot', 'no free slot'],
  DEPLOYING: ['deploying', 'deploying'],
  INITIALIZING: ['restoring its state', 'restoring'],
};

/** Per channel: data buffers held back (in flight or queued at the receiver, plus those waiting for credit). */
export function heldBuffers(frame: Frame): number[] {
  const held = frame.channelBacklog.slice();
  for (const item of frame.inFlight)
    if (item.kind === 'data') held[item.channel] = (held[item.channel] ?? 0) + 1;
  return held;
}

export interface FrameIndex {
  held: number[];
  inputs: number[][];
  newestPending: number | null;
}

export function indexFrame(frame: Frame, topology: Topology): FrameIndex {
  const inputs: number[][] = topology.subtasks.map(() => []);
  for (const ch of topology.channels) inputs[ch.to]?.push(ch.index);
  let newest: number | null = null;
  for (const p of frame.checkpoints.pending) if (newest === null || p.id > newest) newest = p.id;
  return { held: heldBuffers(frame), inputs, newestPending: newest };
}

export function subtaskView(
  frame: Frame | null,
  topology: Topology,
  index: FrameIndex | null,
  i: number,
): SubtaskView {
  const status = frame?.subtaskStatus[i] ?? 'UNKNOWN';
  const busy = frame?.busy[i] ?? 0;
  const bp = frame?.backpressured[i] ?? 0;
  const inputs = index?.inputs[i] ?? [];
  let blocked = 0;
  let stalled = 0;
  let held = 0;
  for (const c of inputs) {
    if (frame?.channelBlocked[c] === true) {
      blocked++;
      held += index?.held[c] ?? 0;
    }
    if (frame?.channelStalled[c] === true) stalled++;
  }
  const ph = frame?.subtaskPhase[i] ?? null;
  const pending = index?.newestPending ?? null;
  let phase: PhaseKind | null = null;
  let cp: number | null = null;
  if (pending !== null && status === 'RUNNING' && (ph === null || ph.checkpointId < pending)) {
    phase = inputs.length === 0 ? 'trigger' : 'waiting';
    cp = pending;
  } else if (ph !== null) {
    phase = ph.phase;
    cp = ph.checkpointId;
  }
  let phaseText = 'no checkpoint yet';
  let phaseShort = 'no checkpoint';
  const notRunning = NOT_RUNNING_TEXT[status];
  const lost = frame?.subtaskLost[i] === true;
  if (lost) {
    // Flink still lists it as it was; it is gone with its TaskManager and takes part in nothing any more.
    phase = null;
    cp = null;
    phaseText = 'lost — not yet detected';
    phaseShort = 'lost (undetected)';
  } else if (notRunning !== undefined) {
    // A subtask that is not running takes part in no checkpoint: say what it is doing instead.
    phase = null;
    cp = null;
    [phaseText, phaseShort] = notRunning;
  } else if (phase !== null && cp !== null) {
    phaseText = `${PHASE_GLYPH[phase]} cp ${cp} ${PHASE_WORDS[phase]}`;
    phaseShort = `${PHASE_GLYPH[phase]} ${cp} ${PHASE_SHORT[phase]}`;
    if (phase === 'aligning' && inputs.length > 0) {
      phaseText += ` ${blocked}/${inputs.length}`;
      phaseShort += ` ${blocked}/${inputs.length}`;
    }
  }
  const { fill, stroke } = loadColors(busy, bp);
  return {
    status,
    tone: lost ? 'bad' : statusTone(status),
    badge: lost ? '✕ LOST' : statusBadge(status),
    phase,
    checkpointId: cp,
    phaseText,
    phaseShort,
    busy,
    backpressured: bp,
    stateBytes: frame?.stateBytes[i] ?? 0,
    stateKeys: frame?.stateKeys[i] ?? 0,
    inputs: inputs.length,
    blockedInputs: blocked,
    stalledInputs: stalled,
    heldBuffers: held,
    taskManagerNow: frame?.subtaskTaskManager[i] ?? -1,
    attempt: frame?.subtaskAttempt[i] ?? 0,
    lost,
    fill,
    stroke,
    recordsIn: frame?.recordsIn[i] ?? 0,
    recordsOut: frame?.recordsOut[i] ?? 0,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A sentence for screen readers and tooltips. */
export function describeSubtask(label: string, placement: string, v: SubtaskView): string {
  const parts = [
    `${label} on ${placement}`,
    v.lost
      ? `status ${v.status} as the JobManager still sees it, but lost with its TaskManager (not yet detected)`
      : `status ${v.status}`,
    v.phase !== null ? `checkpoint ${v.checkpointId}: ${PHASE_WORDS[v.phase]}` : 'no checkpoint yet',
  ];
  if (v.blockedInputs > 0)
    parts.push(
      `${v.blockedInputs} of ${v.inputs} inputs blocked by alignment, ${v.heldBuffers} buffers held`,
    );
  if (v.stalledInputs > 0) parts.push(`${v.stalledInputs} inputs stalled`);
  parts.push(`state ${formatBytes(v.stateBytes)}, ${v.stateKeys} keys`);
  parts.push(`busy ${pct(v.busy)}, back-pressured ${pct(v.backpressured)}`);
  parts.push(`records in ${v.recordsIn}, out ${v.recordsOut}`);
  if (v.attempt > 0) parts.push(`attempt ${v.attempt}`);
  return parts.join('; ');
}

/** Sums over the subtasks of a collapsed vertex. */
export function aggregateView(views: SubtaskView[]): SubtaskView & { count: number; phaseCounts: string } {
  const first = views[0];
  if (first === undefined) throw new Error('aggregate of no subtasks');
  const worst = views.find((v) => v.tone === 'bad') ?? views.find((v) => v.tone === 'warn') ?? first;
  const counts = new Map<string, number>();
  for (const v of views)
    if (v.phase !== null) counts.set(PHASE_WORDS[v.phase], (counts.get(PHASE_WORDS[v.phase]) ?? 0) + 1);
  const cp = Math.max(...views.map((v) => v.checkpointId ?? -1));
  const phaseCounts =
    cp < 0 ? 'no checkpoint yet' : `cp ${cp}: ${[...counts].map(([w, n]) => `${n} ${w}`).join(', ')}`;
  const sum = (f: (v: SubtaskView) => number) => views.reduce((s, v) => s + f(v), 0);
  const max = (f: (v: SubtaskView) => number) => Math.max(...views.map(f));
  const busy = max((v) => v.busy);
  const bp = max((v) => v.backpressured);
  return {
    ...worst,
    count: views.length,
    phaseCounts,
    phaseText: phaseCounts,
    phaseShort: phaseCounts,
    busy,
    backpressured: bp,
    ...loadColors(busy, bp),
    stateBytes: sum((v) => v.stateBytes),
    stateKeys: sum((v) => v.stateKeys),
    inputs: sum((v) => v.inputs),
    blockedInputs: sum((v) => v.blockedInputs),
    stalledInputs: sum((v) => v.stalledInputs),
    heldBuffers: sum((v) => v.heldBuffers),
    recordsIn: sum((v) => v.recordsIn),
    recordsOut: sum((v) => v.recordsOut),
  };
}
