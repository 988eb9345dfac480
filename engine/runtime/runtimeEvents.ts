/**
 * The kernel's event kinds of a running job and their dispatch to the part that owns each (the task's mailbox, the
 * output flusher, the CheckpointCoordinator, the task-side checkpointing, the scheduler, fault injection). Every
 * state change of a run happens in one of these handlers, in (time, seq) order.
 */
import type { CheckpointFailureReason, SubtaskSnapshot } from '../checkpoint/checkpointCoordinator.ts';
import { runAsyncPart } from '../checkpoint/task/asyncCheckpointRunnable.ts';
import type { AsyncSnapshot } from '../checkpoint/task/subtaskCheckpointCoordinator.ts';
import type { PriorityEvent } from '../checkpoint/task/barrierHandler.ts';
import type { BarrierMeta, Channel } from '../network/channel.ts';
import type { DetectedFailure } from '../recovery/faultInjector.ts';
import type { FaultSpec, ScenarioAction } from '../scenario/types.ts';
import type { SimEvent } from '../sim/eventQueue.ts';
import type { JobRuntime } from './jobRuntime.ts';
import type { StreamTask } from './streamTask.ts';

/**
 * Event kinds, in registration order: the order is part of the trace hash (each event mixes its kind number),
 * keep it fixed.
 */
export const EV = {
  Deploy: 0,
  Run: 1,
  Flush: 2,
  WatermarkTimer: 3,
  CheckpointTimer: 4,
  CheckpointExpiry: 5,
  TriggerTask: 6,
  SnapshotAsync: 7,
  Ack: 8,
  Decline: 9,
  Notify: 10,
  Fault: 11,
  FailureDetected: 12,
  Restart: 13,
  Initialized: 14,
  TaskManagerBack: 15,
  FaultEnd: 16,
  StopFinish: 17,
  AlignTimeout: 18,
  UserAction: 19,
  PriorityBarrier: 20,
  BarrierAnnouncement: 21,
  OutputAlignTimeout: 22,
} as const;
export const EV_NAMES = [
  'deploy',
  'task-run',
  'flush',
  'watermark-timer',
  'checkpoint-timer',
  'checkpoint-expiry',
  'checkpoint-trigger-task',
  'snapshot-async',
  'checkpoint-ack',
  'checkpoint-decline',
  'checkpoint-notify',
  'fault',
  'failure-detected',
  'restart',
  'task-initialized',
  'taskmanager-back',
  'fault-end',
  'stop-finish',
  'aligned-checkpoint-timeout',
  'user-action',
  'priority-barrier',
  'barrier-announcement',
  'output-aligned-checkpoint-timeout',
] as const;

/** Hands kernel event `ev` to the part of the job that owns it. */
export function dispatchRuntimeEvent(rt: JobRuntime, ev: SimEvent): void {
  switch (ev.kind) {
    case EV.Deploy:
      rt.scheduler.deploy(rt.initialSnapshot);
      return;
    case EV.Run:
      rt.taskOf(ev.target).run();
      return;
    case EV.Flush:
      rt.taskOf(ev.target).writer.flush();
      return;
    case EV.WatermarkTimer:
      watermarkTimer(rt, rt.taskOf(ev.target), ev.a);
      return;
    case EV.CheckpointTimer:
      rt.coordinator.onPeriodicTimer();
      return;
    case EV.CheckpointExpiry:
      rt.coordinator.onExpiry(ev.a);
      return;
    case EV.TriggerTask: {
      const t = rt.taskOf(ev.target);
      if (t.attempt === ev.a && !t.lost) t.checkpointing.triggerOnSource(ev.ref as BarrierMeta);
      return;
    }
    case EV.SnapshotAsync:
      runAsyncPart(rt.taskOf(ev.target), ev.a, ev.ref as AsyncSnapshot);
      return;
    case EV.Ack: {
      const t = rt.taskOf(ev.target);
      const { attempt, snapshot } = ev.ref as { attempt: number; snapshot: SubtaskSnapshot };
      if (attempt !== t.attempt) return; // an ack of a cancelled attempt is discarded
      if (ev.io?.error) {
        // The asynchronous part's I/O failed: AsyncCheckpointRunnable declines (reference 2.5).
        t.checkpointing.decline(ev.a, 'CHECKPOINT_ASYNC_EXCEPTION', ioMessage(ev.io.error));
        return;
      }
      if (rt.coordinator.acknowledge(ev.a, snapshot) === 'SUCCESS') {
        t.checkpointing.phases.set(ev.a, 'acknowledged');
      }
      return;
    }
    case EV.Decline: {
      const { reason, detail } = ev.ref as { reason: CheckpointFailureReason; detail?: string };
      rt.coordinator.abort(ev.a, reason, detail);
      return;
    }
    case EV.Notify: {
      const t = rt.taskOf(ev.target);
      const { attempt, complete } = ev.ref as { attempt: number; complete: boolean };
      if (attempt === t.attempt && !t.lost) t.checkpointing.onNotify(ev.a, complete);
      return;
    }
    case EV.Fault:
      rt.faults.apply(ev.ref as FaultSpec);
      return;
    case EV.FailureDetected:
      rt.faults.onFailureDetected(ev.ref as DetectedFailure);
      return;
    case EV.Restart:
      rt.scheduler.onRestart();
      return;
    case EV.Initialized: {
      const t = rt.taskOf(ev.target);
      if (ev.io?.error && t.attempt === ev.a && t.status === 'INITIALIZING') {
        // Restoring its state failed: the task fails, and the failover takes over.
        const cause = `org.apache.flink.util.FlinkException: Could not restore keyed state backend: ${ioMessage(ev.io.error)}`;
        rt.emit({ kind: 'task-status', subtask: t.index, from: t.status, to: 'FAILED', cause });
        t.failed();
        rt.scheduler.failTasks([t], cause, false);
        return;
      }
      rt.scheduler.onInitialized(t, ev.a);
      return;
    }
    case EV.TaskManagerBack:
      rt.taskManagerBack(ev.a);
      return;
    case EV.FaultEnd:
      rt.faults.onFaultEnd(rt.taskOf(ev.target), ev.ref as FaultSpec);
      return;
    case EV.StopFinish:
      rt.scheduler.onStopFinish(ev.a);
      return;
    case EV.PriorityBarrier:
      rt.taskOf(ev.target).barriers.onPriorityBarrier(rt.channels[ev.a] as Channel, ev.ref as PriorityEvent);
      return;
    case EV.UserAction:
      applyAction(rt, ev.ref as ScenarioAction);
      return;
    case EV.BarrierAnnouncement:
      rt.taskOf(ev.target).barriers.onAnnouncement(rt.channels[ev.a] as Channel, ev.ref as PriorityEvent);
      return;
    case EV.OutputAlignTimeout: {
      const t = rt.taskOf(ev.target);
      if (t.attempt === ev.ref && !t.lost) t.barriers.onOutputAlignTimeout(ev.a);
      return;
    }
    case EV.AlignTimeout: {
      const t = rt.taskOf(ev.target);
      if (t.attempt === ev.ref) t.barriers.onAlignTimeout(ev.a);
      return;
    }
  }
}

/** pipeline.auto-watermark-interval fired at a source: periodic watermark, then the next timer. */
function watermarkTimer(rt: JobRuntime, t: StreamTask, attempt: number): void {
  const src = t.chain.source;
  if (t.status !== 'RUNNING' || src === null || t.attempt !== attempt || t.lost) return;
  src.onPeriodicEmit(rt.kernel.now);
  rt.scheduleWatermarkTimer(t);
}

/** A scenario action at its virtual time: the same calls the UI and the CLI make. */
function applyAction(rt: JobRuntime, a: ScenarioAction): void {
  if (rt.isFinished()) return;
  switch (a.kind) {
    case 'checkpoint':
      rt.triggerCheckpoint();
      return;
    case 'savepoint':
      rt.triggerSavepoint();
      return;
    case 'stop-with-savepoint':
      rt.stopWithSavepoint(a.drain);
      return;
  }
}

function ioMessage(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : 'I/O failed';
}
