/**
 * The frame builder (DESIGN: How data flows, step 3): one compact frame per UI tick. It owns the metric windows
 * (busy and backpressured share since the previous frame are differences of the tasks' cumulative counters) and
 * the log cursor, so reading a frame changes nothing in the run.
 */
import { ItemKind, type ChannelItem } from '../network/channel.ts';
import type { OutputTopic } from '../connectors/topic.ts';
import { MAX_WATERMARK } from '../operators/operator.ts';
import type { CheckpointSummaryView, Frame, InFlightItem, SinkView } from '../protocol.ts';
import type { JobRuntime } from '../runtime/jobRuntime.ts';

export class FrameBuilder {
  private seq = 0;
  private lastTime: number;
  private prevBusy: number[] = [];
  private prevBp: number[] = [];
  private logCursor = 0;

  constructor(
    private readonly rt: JobRuntime,
    startUs: number,
  ) {
    this.lastTime = startUs;
  }

  build(): Frame {
    const rt = this.rt;
    const now = rt.kernel.now;
    const span = Math.max(1, now - this.lastTime);
    const n = rt.tasks.length;
    const subtaskStatus = new Array<Frame['subtaskStatus'][number]>(n);
    const recordsIn = new Array<number>(n);
    const recordsOut = new Array<number>(n);
    const busy = new Array<number>(n);
    const backpressured = new Array<number>(n);
    const watermark = new Array<number | null>(n);
    const stateBytes = new Array<number>(n);
    const stateKeys = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const t = rt.taskOf(i);
      subtaskStatus[i] = t.status;
      recordsIn[i] = t.recordsIn;
      recordsOut[i] = t.recordsOut;
      const bpNow = t.bpTotal + (t.backpressured ? now - t.bpSince : 0);
      busy[i] = Math.min(1, Math.max(0, t.busyTotal - (this.prevBusy[i] ?? t.busyTotal)) / span);
      backpressured[i] = Math.min(1, Math.max(0, bpNow - (this.prevBp[i] ?? bpNow)) / span);
      this.prevBusy[i] = t.busyTotal;
      this.prevBp[i] = bpNow;
      const src = t.chain.source;
      const wm = src !== null ? src.lastEmittedWatermark : t.valve.lastOutputWatermark;
      watermark[i] = wm === Number.MIN_SAFE_INTEGER ? null : wm;
      const s = t.chain.stateStats();
      stateBytes[i] = s.bytes;
      stateKeys[i] = s.keys;
    }
    const channelBacklog: number[] = [];
    const channelQueued: number[] = [];
    const inFlight: InFlightItem[] = [];
    for (const ch of rt.channels) {
      channelBacklog.push(ch.waiting.length + (ch.open !== null ? 1 : 0));
      channelQueued.push(ch.flight.length);
      for (const it of ch.flight) {
        const dur = it.arriveAt - it.sentAt;
        const progress = it.arriveAt <= now || dur <= 0 ? 1 : (now - it.sentAt) / dur;
        inFlight.push({
          channel: ch.index,
          kind:
            it.kind === ItemKind.Data
              ? 'data'
              : it.kind === ItemKind.Barrier
                ? 'barrier'
                : it.kind === ItemKind.End
                  ? 'end'
                  : 'watermark',
          progress,
          records: it.rows.length,
          id: it.id,
          label: itemLabel(it),
          ...(it.kind === ItemKind.Barrier ? { checkpointId: it.value } : {}),
        });
      }
    }
    const sinks: SinkView[] = rt.sinkOperators.map((s) => {
      const topic = rt.outputTopics.get(s.topic) as OutputTopic;
      const recent = topic.recent(50).map((r) => ({ committed: r.committed, row: { ...r.row } }));
      return {
        id: s.id,
        committed: topic.committedCount,
        written: topic.size,
        aborted: topic.abortedCount,
        recent,
      };
    });
    const log = rt.logSince(this.logCursor);
    this.logCursor = rt.logEnd();
    this.lastTime = now;
    const coordinator = rt.coordinator;
    const stats = coordinator.stats.toJson() as { counts: CheckpointSummaryView['counts'] };
    const latest = coordinator.latestCompleted();
    const checkpoints: CheckpointSummaryView = {
      enabled: coordinator.enabled,
      intervalUs: coordinator.config.intervalUs,
      mode: rt.checkpointMode,
      unaligned: coordinator.config.unaligned,
      pending: [...coordinator.pending.values()].map((p) => ({
        id: p.id,
        type: p.type,
        triggerTime: p.triggerUs,
        acknowledged: p.acks.length,
        total: p.acks.length + p.notYetAcknowledged.size,
      })),
      latestCompleted: latest
        ? { id: latest.id, time: latest.completedUs, stateSize: latest.stateSize }
        : null,
      counts: stats.counts,
      savepoints: coordinator.savepoints.map((sp) => ({
        id: sp.id,
        time: sp.completedUs,
        stateSize: sp.stateSize,
        parallelism: Object.fromEntries(
          sp.vertices.flatMap((v) => v.operatorIds.map((o) => [o, v.parallelism])),
        ),
      })),
    };
    const cluster = rt.cluster;
    const waiting = rt.scheduler.waitingForSlots;
    let waitingForSlots: Frame['waitingForSlots'] = null;
    if (waiting.size > 0) {
      const missing = cluster.missingSlots([...waiting].map((t) => t.info.subtaskIndex));
      const dead: number[] = [];
      cluster.taskManagerAlive.forEach((a, i) => {
        if (!a) dead.push(i);
      });
      waitingForSlots = {
        subtasks: waiting.size,
        needed: missing.needed,
        available: missing.available,
        deadTaskManagers: dead,
      };
    }
    return {
      seq: ++this.seq,
      time: now,
      status: rt.status,
      traceHash: rt.kernel.hash.hex(),
      processedEvents: rt.kernel.processed,
      finished: rt.isFinished(),
      subtaskStatus,
      recordsIn,
      recordsOut,
      busy,
      backpressured,
      watermark,
      stateBytes,
      stateKeys,
      channelBacklog,
      channelQueued,
      inFlight,
      sinks,
      log,
      subtaskPhase: rt.tasks.map((t) => t.checkpointing.currentPhase()),
      subtaskTaskManager: rt.tasks.map((t) => (t.deployed ? t.taskManager : -1)),
      subtaskAttempt: rt.tasks.map((t) => t.attempt),
      channelBlocked: rt.channels.map((c) => c.blocked),
      channelStalled: rt.channels.map((c) => c.stalledUntil > now),
      taskManagerAlive: [...cluster.taskManagerAlive],
      taskManagerDetectAtUs: [...cluster.detectAtUs],
      subtaskLost: rt.tasks.map((t) => t.lost),
      waitingForSlots,
      restarts: rt.restarts,
      failure: rt.failureMessage,
      checkpoints,
      forkedAt: null,
    };
  }
}

function itemLabel(it: ChannelItem): string {
  switch (it.kind) {
    case ItemKind.Data:
      return `${it.rows.length} record${it.rows.length === 1 ? '' : 's'}`;
    case ItemKind.Watermark:
      return it.value === MAX_WATERMARK ? 'W +∞' : `W ${it.value}`;
    case ItemKind.Status:
      return it.value === 1 ? 'IDLE' : 'ACTIVE';
    case ItemKind.Barrier:
      return `barrier ${it.value}`;
    case ItemKind.End:
      return 'end of partition';
  }
}
