/**
 * The narrator: turns a typed runtime event into one line of plain text in the docs' words (DESIGN: report/).
 * It decides which lines belong to the story (faults, detections, restarts, restores, checkpoint results,
 * savepoints, job status); the UI filters and groups on the event's fields, never on this text.
 */
import type { LogEntry, RuntimeEvent } from '../protocol.ts';
import { formatTime } from '../sim/time.ts';

/** Names of subtasks for the narration ("counter#1"). */
export interface SubtaskNames {
  subtaskName(index: number): string;
}

interface Line {
  category: string;
  text: string;
  story: boolean;
  detail?: string | null;
}

function names(ids: readonly number[], n: SubtaskNames): string {
  return ids.map((i) => n.subtaskName(i)).join(', ');
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

function line(ev: RuntimeEvent, n: SubtaskNames): Line {
  switch (ev.kind) {
    case 'job-status':
      return {
        category: 'job',
        text: `Job switched from ${ev.from} to ${ev.to}${ev.cause ? `: ${ev.cause}` : ''}`,
        story: true,
      };
    case 'task-status':
      return {
        category: 'task',
        text: `switched from ${ev.from} to ${ev.to}${ev.cause ? `: ${ev.cause}` : ''}`,
        story: ev.to === 'FAILED',
      };
    case 'fault-injected':
      return { category: 'fault', text: `Fault injected: ${ev.fault} on ${ev.target}`, story: true };
    case 'fault-scheduled':
      return {
        category: 'fault',
        text: `Fault scheduled: ${ev.fault} on ${ev.target} at ${formatTime(ev.atUs)}`,
        story: true,
      };
    case 'fault-ended':
      return { category: 'fault', text: `${ev.target} is back to normal (${ev.fault} ended)`, story: false };
    case 'taskmanager-lost':
      return {
        category: 'fault',
        text:
          ev.how === 'restarted'
            ? `TaskManager tm-${ev.taskManager} restarts: its ${plural(ev.subtasks.length, 'subtask')} are gone`
            : `TaskManager tm-${ev.taskManager} died with ${plural(ev.subtasks.length, 'subtask')}; the JobManager ` +
              `notices at ${formatTime(ev.detectAtUs)} at the latest (heartbeat.timeout)`,
        story: true,
      };
    case 'taskmanager-registered':
      return {
        category: 'job',
        text: `TaskManager tm-${ev.taskManager} registered with ${plural(ev.slots, 'free slot')}`,
        story: true,
      };
    case 'failure-detected': {
      const by =
        ev.by === 'heartbeat-timeout'
          ? 'heartbeat timeout'
          : ev.by === 'rpc-failures'
            ? 'heartbeat RPCs failed'
            : ev.by === 'peer-connection'
              ? 'a peer lost its connection'
              : 'TaskManager restart';
      return {
        category: 'recovery',
        text: `Failure of ${names(ev.subtasks, n)} detected (${by})`,
        story: true,
        detail: ev.cause,
      };
    }
    case 'restart-scheduled':
      return {
        category: 'recovery',
        text:
          (ev.scope === 'full'
            ? 'All subtasks restart'
            : `A failover region of ${plural(ev.subtasks, 'subtask')} restarts`) +
          ` in ${formatTime(ev.delayUs)} (${ev.strategy}, restart #${ev.restarts})`,
        story: true,
        detail: `${ev.strategyDetail}\ncause: ${ev.cause}`,
      };
    case 'waiting-for-slots':
      return {
        category: 'job',
        text:
          `${plural(ev.subtasks, 'subtask')} wait in SCHEDULED: the job needs ${plural(ev.needed, 'slot')}, ` +
          `the live TaskManagers offer ${ev.available}`,
        story: true,
        detail: 'NoResourceAvailableException: Could not acquire the minimum required resources.',
      };
    case 'restoring':
      return {
        category: 'recovery',
        text:
          ev.checkpointId === null
            ? `No completed checkpoint: ${plural(ev.subtasks, 'subtask')} start from empty state, the sources from their starting offsets`
            : `Restoring ${plural(ev.subtasks, 'subtask')} from ${ev.isSavepoint ? 'savepoint' : 'checkpoint'} ` +
              `${ev.checkpointId} (${ev.bytes} bytes): keyed state by key group, sources rewind to its offsets`,
        story: true,
      };
    case 'channel-state-restored':
      return {
        category: 'recovery',
        text: `Restored ${plural(ev.records, 'in-flight record')} of unaligned checkpoint ${ev.checkpointId} ahead of new input`,
        story: false,
      };
    case 'running-again':
      return {
        category: 'recovery',
        text: `All subtasks are RUNNING again (restart #${ev.restarts})`,
        story: true,
      };
    case 'job-failed':
      return {
        category: 'job',
        text: `Job switched to FAILED: ${ev.message}`,
        story: true,
        detail: ev.cause,
      };
    case 'checkpoint-triggered':
      return {
        category: 'checkpoint',
        text: `${kindName(ev.checkpointType)} ${ev.checkpointId} triggered: the sources inject barrier ${ev.checkpointId}`,
        story: false,
      };
    case 'checkpoint-trigger-failed':
      return {
        category: 'checkpoint',
        text: `Checkpoint triggering failed: ${ev.message}`,
        story: true,
        detail: ev.reason,
      };
    case 'checkpoint-queued':
      return {
        category: 'checkpoint',
        text: `Checkpoint request queued: ${plural(ev.pending, 'checkpoint')} already pending`,
        story: false,
      };
    case 'barrier-emitted':
      return {
        category: 'barrier',
        text: ev.drain
          ? `drains (watermark +∞), records its offsets and emits barrier ${ev.checkpointId}`
          : `records its offsets and emits barrier ${ev.checkpointId}`,
        story: false,
      };
    case 'barrier-received':
      return {
        category: 'barrier',
        text: ev.blocking
          ? `barrier ${ev.checkpointId} from ${n.subtaskName(ev.from)}: that input is blocked until the barrier from ${names(ev.waitingFor, n)} arrives`
          : `barrier ${ev.checkpointId} from ${n.subtaskName(ev.from)} (at-least-once: no blocking)`,
        story: false,
      };
    case 'alignment-complete':
      return {
        category: 'barrier',
        text: `has barrier ${ev.checkpointId} from all ${ev.inputs} inputs after ${formatTime(ev.alignmentUs)} of alignment: snapshot, forward, unblock`,
        story: false,
      };
    case 'unaligned-barrier':
      return {
        category: 'barrier',
        text:
          (ev.afterTimeout
            ? `aligned checkpoint timeout: checkpoint ${ev.checkpointId} switches to unaligned`
            : `unaligned barrier ${ev.checkpointId}: snapshot now, barrier forwarded ahead of the buffered data`) +
          (ev.persistingInputs > 0
            ? `; records from ${plural(ev.persistingInputs, 'other input')} are persisted until their barriers arrive`
            : ''),
        story: false,
      };
    case 'subtask-snapshot':
      return {
        category: 'checkpoint',
        text: `checkpoint ${ev.checkpointId}: ${ev.phase}${ev.bytes > 0 ? ` (${ev.bytes} bytes)` : ''}`,
        story: false,
      };
    case 'checkpoint-declined':
      return {
        category: 'checkpoint',
        text: `declines checkpoint ${ev.checkpointId}: ${ev.reason}${ev.detail ? ` (${ev.detail})` : ''}`,
        story: false,
      };
    case 'checkpoint-acknowledged':
      return {
        category: 'checkpoint',
        text: `acknowledged checkpoint ${ev.checkpointId} (${ev.acknowledged}/${ev.total})`,
        story: false,
      };
    case 'checkpoint-completed':
      return {
        category: 'checkpoint',
        text:
          `${kindName(ev.checkpointType)} ${ev.checkpointId} COMPLETED in ${formatTime(ev.durationUs)}: ` +
          `${plural(ev.subtasks, 'subtask')} acknowledged, ${ev.stateSize} bytes`,
        story: true,
      };
    case 'checkpoint-failed':
      return {
        category: 'checkpoint',
        text: `${kindName(ev.checkpointType)} ${ev.checkpointId} FAILED: ${ev.message}`,
        story: true,
        detail: ev.counted
          ? `${ev.reason}: counts toward execution.checkpointing.tolerable-failed-checkpoints`
          : `${ev.reason}: not counted toward the tolerable failures`,
      };
    case 'stop-with-savepoint':
      return {
        category: 'checkpoint',
        text: `Stop with savepoint ${ev.checkpointId}${ev.drain ? ' (draining)' : ''}: the sources stop after its barrier`,
        story: true,
      };
    case 'stop-with-savepoint-failed':
      return {
        category: 'checkpoint',
        text: `Stop with savepoint ${ev.checkpointId} failed: the job keeps RUNNING and the sources resume`,
        story: true,
        detail: ev.message,
      };
    case 'watermark-max':
      return { category: 'watermark', text: 'watermark reached +∞ (all input finished)', story: false };
    case 'sink-transaction':
      return {
        category: 'sink',
        text:
          ev.action === 'commit'
            ? `committed transaction ${ev.transaction}`
            : ev.action === 'recommit'
              ? `re-committed transaction ${ev.transaction} after restore`
              : `aborted lingering transaction ${ev.transaction}`,
        story: false,
      };
    case 'notice':
      return { category: ev.category, text: ev.text, story: ev.category === 'job' };
  }
}

function kindName(type: string): string {
  return type === 'SAVEPOINT' || type === 'SYNC_SAVEPOINT' ? 'Savepoint' : 'Checkpoint';
}

/** The subtask an event is about (shown as "who" beside the line), or null. */
export function subtaskOf(ev: RuntimeEvent): number | null {
  return 'subtask' in ev && typeof ev.subtask === 'number' ? ev.subtask : null;
}

/** One log entry for an event at `time`. */
export function narrate(time: number, ev: RuntimeEvent, n: SubtaskNames): LogEntry {
  const l = line(ev, n);
  return {
    time,
    kind: l.category,
    subtask: subtaskOf(ev),
    text: l.text,
    event: ev,
    story: l.story,
    detail: l.detail ?? null,
  };
}
