/**
 * Fault injection (DESIGN: recovery/): the scenario's `faults`, the CLI's --fault and the UI's menus arrive here,
 * now or at a scheduled virtual time. Killing a TaskManager stops its tasks at once; the JobManager notices later
 * (heartbeat timeout), and the scheduler's failover takes over from there.
 */
import type { JobRuntime } from '../runtime/jobRuntime.ts';
import type { StreamTask } from '../runtime/streamTask.ts';
import type { FaultSpec } from '../scenario/types.ts';
import { isLsmBackend } from '../state/lsm/index.ts';

/** What the JobManager learns when it notices lost tasks. */
export interface DetectedFailure {
  tasks: StreamTask[];
  attempts: number[];
  cause: string;
  by: 'heartbeat-timeout' | 'rpc-failures' | 'peer-connection' | 'restart';
  taskManager: number;
}

/** The JobManager's heartbeat settings (reference 2.7: TaskManager loss). */
export interface HeartbeatSettings {
  /** heartbeat.timeout */
  timeoutUs: number;
  /** heartbeat.interval: the JobManager requests a heartbeat from every TaskManager this often. */
  intervalUs: number;
  /** heartbeat.rpc-failure-threshold: consecutive failed heartbeat RPCs that mark a target dead (-1: off). */
  rpcFailureThreshold: number;
}

export class FaultInjector {
  constructor(
    private readonly rt: JobRuntime,
    private readonly heartbeat: HeartbeatSettings,
  ) {}

  /**
   * When the JobManager notices a TaskManager that died at `now`: after heartbeat.timeout of silence, or earlier
   * when `heartbeat.rpc-failure-threshold` consecutive heartbeat RPCs to the dead process fail (the requests go out
   * every heartbeat.interval; against a dead process each fails at once).
   */
  private detection(now: number): { at: number; by: 'heartbeat-timeout' | 'rpc-failures' } {
    const h = this.heartbeat;
    const timeout = now + h.timeoutUs;
    if (h.rpcFailureThreshold <= 0 || h.intervalUs <= 0) return { at: timeout, by: 'heartbeat-timeout' };
    const firstRequest = (Math.floor(now / h.intervalUs) + 1) * h.intervalUs;
    const rpc = firstRequest + (h.rpcFailureThreshold - 1) * h.intervalUs;
    return rpc < timeout ? { at: rpc, by: 'rpc-failures' } : { at: timeout, by: 'heartbeat-timeout' };
  }

  /** Schedules a fault for a later virtual time (as a scenario's `faults` entry would be). */
  schedule(f: FaultSpec): void {
    const rt = this.rt;
    rt.scheduleFault(f, Math.max(f.at, rt.kernel.now));
    rt.emit({ kind: 'fault-scheduled', fault: f.kind, target: f.target, atUs: f.at });
  }

  private taskByName(name: string): StreamTask | undefined {
    const m = /^(.+)#(\d+)$/.exec(name);
    if (!m) return undefined;
    const opId = m[1] as string;
    const index = Number(m[2]);
    return this.rt.tasks.find(
      (t) => t.info.subtaskIndex === index && t.info.vertex.operators.some((o) => o.id === opId),
    );
  }

  apply(f: FaultSpec): void {
    const rt = this.rt;
    const now = rt.kernel.now;
    if (rt.isFinished()) return;
    rt.emit({ kind: 'fault-injected', fault: f.kind, target: f.target });
    switch (f.kind) {
      case 'fail-task': {
        const t = this.taskByName(f.target);
        if (!t) return;
        if (!t.deployed) {
          rt.emit({
            kind: 'notice',
            subtask: t.index,
            category: 'fault',
            text: `has no running attempt (${t.status}); nothing fails`,
          });
          return;
        }
        const cause = `java.lang.RuntimeException: Injected failure of ${t.name}`;
        rt.emit({
          kind: 'task-status',
          subtask: t.index,
          from: t.status,
          to: 'FAILED',
          cause: 'injected failure',
        });
        t.failed();
        rt.scheduler.failTasks([t], cause, false);
        return;
      }
      case 'kill-taskmanager':
      case 'restart-taskmanager': {
        const tm = Number(/^tm-(\d+)$/.exec(f.target)?.[1] ?? -1);
        const cluster = rt.cluster;
        if (!(tm >= 0 && tm < cluster.taskManagerAlive.length)) return;
        if (f.kind === 'restart-taskmanager' && !cluster.taskManagerAlive[tm]) {
          rt.taskManagerBack(tm);
          return;
        }
        if (!cluster.taskManagerAlive[tm]) return;
        const restarting = f.kind === 'restart-taskmanager';
        const detection = restarting ? { at: now, by: 'restart' as const } : this.detection(now);
        const detectAt = detection.at;
        cluster.kill(tm, restarting ? null : detectAt);
        const lost = rt.tasks.filter((t) => t.taskManager === tm && t.deployed);
        for (const t of lost) t.markLost();
        rt.emit({
          kind: 'taskmanager-lost',
          taskManager: tm,
          subtasks: lost.map((t) => t.index),
          detectAtUs: detectAt,
          how: restarting ? 'restarted' : 'killed',
        });
        const failure: DetectedFailure = {
          tasks: lost,
          attempts: lost.map((t) => t.attempt),
          cause: restarting
            ? `TaskManager tm-${tm} was restarted; its tasks are lost.`
            : detection.by === 'rpc-failures'
              ? `org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id tm-${tm} is no longer reachable.`
              : `java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id tm-${tm} timed out.`,
          by: detection.by,
          taskManager: tm,
        };
        rt.scheduleFailureDetected(failure, detectAt);
        if (!restarting) this.schedulePeerFailures(tm, lost, now);
        if (restarting) rt.scheduleTaskManagerBack(tm, now);
        else if (f.durationUs !== null) rt.scheduleTaskManagerBack(tm, now + f.durationUs);
        return;
      }
      case 'fail-checkpoint-storage':
        rt.storage.failNextUploads(f.count ?? 1);
        return;
      case 'fail-state-backend': {
        // The next `count` IndexedDB writes of the subtask's state backend fail (lsm/lsmTree.ts): a checkpoint's
        // fails the checkpoint (CHECKPOINT_ASYNC_EXCEPTION); a state write (memtable flush) fails the task, which
        // comes back here with count 0 at the virtual time of the write.
        const t = this.taskByName(f.target);
        if (!t) return;
        if (f.count === 0) {
          if (!t.deployed) return;
          rt.emit({
            kind: 'task-status',
            subtask: t.index,
            from: t.status,
            to: 'FAILED',
            cause: 'state write failed',
          });
          t.failed();
          rt.scheduler.failTasks(
            [t],
            `java.io.IOException: Error while writing state of ${t.name} to IndexedDB: QuotaExceededError`,
            false,
          );
          return;
        }
        const lsm = t.chain.keyed.filter(isLsmBackend);
        if (!t.deployed || lsm.length === 0) {
          rt.emit({
            kind: 'notice',
            subtask: t.index,
            category: 'fault',
            text: t.deployed
              ? 'has no IndexedDB state backend; nothing fails'
              : `has no running attempt (${t.status}); nothing fails`,
          });
          return;
        }
        for (const b of lsm) b.tree.failWrites += f.count ?? 1;
        return;
      }
      case 'slow-task': {
        const t = this.taskByName(f.target);
        if (!t) return;
        const until = now + (f.durationUs ?? 5_000_000);
        t.slowDown(f.factor ?? 10, until);
        rt.scheduleFaultEnd(t.index, 0, f, until);
        return;
      }
      case 'stall-channel': {
        const [fromName, toName] = f.target.split('->');
        const from = fromName ? this.taskByName(fromName.trim()) : undefined;
        const to = toName ? this.taskByName(toName.trim()) : undefined;
        const ch = rt.channels.find(
          (c) => c.info.from.index === from?.index && c.info.to.index === to?.index,
        );
        if (!ch) return;
        ch.stalledUntil = now + (f.durationUs ?? 5_000_000);
        rt.scheduleFaultEnd(ch.info.to.index, 1, f, ch.stalledUntil);
        return;
      }
    }
  }

  /**
   * Tasks on live TaskManagers with a network connection to a task of the dead one fail at once: their channel
   * breaks (RemoteTransportException), which usually starts the failover before the JobManager notices.
   */
  private schedulePeerFailures(tm: number, lost: readonly StreamTask[], now: number): void {
    const rt = this.rt;
    const lostSet = new Set(lost);
    const peers = new Set<StreamTask>();
    for (const ch of rt.channels) {
      const from = rt.taskOf(ch.info.from.index);
      const to = rt.taskOf(ch.info.to.index);
      if (lostSet.has(from) && !lostSet.has(to) && to.status === 'RUNNING') peers.add(to);
      if (lostSet.has(to) && !lostSet.has(from) && from.status === 'RUNNING') peers.add(from);
    }
    if (peers.size === 0) return;
    const list = rt.tasks.filter((t) => peers.has(t));
    rt.scheduleFailureDetected(
      {
        tasks: list,
        attempts: list.map((t) => t.attempt),
        cause:
          `org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException: Connection unexpectedly ` +
          `closed by remote task manager 'tm-${tm}'. This might indicate that the remote task manager was lost.`,
        by: 'peer-connection',
        taskManager: tm,
      },
      now + rt.transport.latencyUs,
    );
  }

  /** A slow-task or stall-channel fault ended: the task runs at normal speed / the channel delivers again. */
  onFaultEnd(t: StreamTask, f: FaultSpec): void {
    this.rt.emit({ kind: 'fault-ended', fault: f.kind, target: f.target });
    t.wake(this.rt.kernel.now);
  }

  /** The JobManager noticed lost tasks (heartbeat timeout): they fail and the failover starts. */
  onFailureDetected(d: DetectedFailure): void {
    const rt = this.rt;
    const peer = d.by === 'peer-connection';
    if (!peer) rt.cluster.detected(d.taskManager);
    // Lost tasks fail when the JobManager notices; peers fail when their connection breaks (they are not lost).
    const still = d.tasks.filter(
      (t, i) => t.attempt === d.attempts[i] && (peer ? t.status === 'RUNNING' : t.lost),
    );
    if (still.length === 0) return;
    rt.emit({ kind: 'failure-detected', subtasks: still.map((t) => t.index), cause: d.cause, by: d.by });
    for (const t of still) {
      rt.emit({ kind: 'task-status', subtask: t.index, from: t.status, to: 'FAILED', cause: d.cause });
      t.failed();
    }
    rt.scheduler.failTasks(still, d.cause, false);
  }
}
