/**
 * Checkpoint statistics in the exact JSON shape of Flink's REST API (reference 6.2, 1.15+ shape):
 * GET /jobs/:jobid/checkpoints, .../checkpoints/details/:id and .../details/:id/subtasks/:vertexid.
 * Timestamps are virtual milliseconds since the start of the run; durations are milliseconds.
 */
import type { StatsSummaryDto } from '../protocol.ts';

export type { StatsSummaryDto };

export type CheckpointType = 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';
export type CheckpointStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** What a subtask reports with its acknowledgement (SubtaskStateStats, reference 1.7). Times in µs. */
export interface SubtaskAck {
  ackTimeUs: number;
  stateSize: number;
  checkpointedSize: number;
  syncDurationUs: number;
  asyncDurationUs: number;
  alignmentDurationUs: number;
  processedData: number;
  persistedData: number;
  startDelayUs: number;
  unaligned: boolean;
}

const HISTOGRAM_WINDOW_SIZE = 10_000; // CompletedCheckpointStatsSummary (reference 6.2)

/**
 * Commons-Math Percentile with the default (legacy) estimation: pos = p (n + 1) / 100; below 1 -> min,
 * at or above n -> max, else linear interpolation between neighbours (reference 6.2).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0] as number;
  const pos = (p * (n + 1)) / 100;
  if (pos < 1) return sorted[0] as number;
  if (pos >= n) return sorted[n - 1] as number;
  const lower = Math.floor(pos);
  const d = pos - lower;
  const lo = sorted[lower - 1] as number;
  const hi = sorted[lower] as number;
  return lo + d * (hi - lo);
}

/**
 * min/max exact and avg the truncated integer mean over every value; quantiles over a sliding window of the last
 * 10,000 values ("NaN" when empty). The window is a ring buffer of doubles that grows (doubling) up to the
 * window size, 80 KB, and no further however long the job runs.
 */
export class StatsSummary {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private recent: Float64Array | null = null;
  /** Values in the window (at most the window size). */
  private filled = 0;
  /** Where the next value goes (once the window is full: the oldest value). */
  private next = 0;

  constructor(
    private readonly emptyQuantile: number | 'NaN' = 'NaN',
    private readonly windowSize = HISTOGRAM_WINDOW_SIZE,
  ) {}

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    let ring = this.recent;
    if (ring === null || (this.filled === ring.length && ring.length < this.windowSize)) {
      // Not wrapped yet: the values sit in order at the start, so a larger copy keeps them in place.
      const grown = new Float64Array(Math.min(this.windowSize, Math.max(16, this.filled * 2)));
      if (ring !== null) grown.set(ring);
      ring = this.recent = grown;
    }
    ring[this.next] = v;
    this.next = (this.next + 1) % this.windowSize;
    if (this.filled < this.windowSize) this.filled++;
  }

  /** Values the quantiles are computed from (at most the window size). */
  get windowLength(): number {
    return this.filled;
  }

  toJson(): StatsSummaryDto {
    if (this.count === 0) {
      const q = this.emptyQuantile;
      return { min: 0, max: 0, avg: 0, p50: q, p90: q, p95: q, p99: q, p999: q };
    }
    // A typed array sorts numerically.
    const sorted = (this.recent as Float64Array).slice(0, this.filled).sort();
    return {
      min: this.min,
      max: this.max,
      avg: Math.trunc(this.sum / this.count),
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
    };
  }
}

interface VertexStats {
  id: string;
  parallelism: number;
  acks: (SubtaskAck | null)[];
}

export class CheckpointRecord {
  status: CheckpointStatus = 'IN_PROGRESS';
  completedUs = -1;
  failureUs = -1;
  failureMessage: string | null = null;
  externalPath = '<checkpoint-not-externally-addressable>';
  discarded = false;
  readonly vertices: VertexStats[];

  /**
   * The type REST reports (PendingCheckpointStats): a checkpoint is UNALIGNED_CHECKPOINT only when some subtask
   * took it unaligned and actually persisted in-flight data; otherwise CHECKPOINT, even with unaligned enabled.
   */
  reportedType(): CheckpointType {
    if (this.type !== 'CHECKPOINT' && this.type !== 'UNALIGNED_CHECKPOINT') return this.type;
    for (const v of this.vertices)
      for (const a of v.acks)
        if (a !== null && a.unaligned && a.persistedData > 0) return 'UNALIGNED_CHECKPOINT';
    return 'CHECKPOINT';
  }

  constructor(
    readonly id: number,
    readonly triggerUs: number,
    readonly type: CheckpointType,
    vertices: readonly { id: string; parallelism: number }[],
  ) {
    this.vertices = vertices.map((v) => ({
      id: v.id,
      parallelism: v.parallelism,
      acks: new Array<SubtaskAck | null>(v.parallelism).fill(null),
    }));
  }

  get isSavepoint(): boolean {
    return this.type === 'SAVEPOINT' || this.type === 'SYNC_SAVEPOINT';
  }

  numSubtasks(): number {
    return this.vertices.reduce((s, v) => s + v.parallelism, 0);
  }

  private allAcks(): SubtaskAck[] {
    const out: SubtaskAck[] = [];
    for (const v of this.vertices) for (const a of v.acks) if (a) out.push(a);
    return out;
  }

  latestAckUs(): number {
    let t = -1;
    for (const a of this.allAcks()) if (a.ackTimeUs > t) t = a.ackTimeUs;
    return t;
  }

  totals(): { stateSize: number; checkpointedSize: number; processed: number; persisted: number } {
    let stateSize = 0;
    let checkpointedSize = 0;
    let processed = 0;
    let persisted = 0;
    for (const a of this.allAcks()) {
      stateSize += a.stateSize;
      checkpointedSize += a.checkpointedSize;
      processed += a.processedData;
      persisted += a.persistedData;
    }
    return { stateSize, checkpointedSize, processed, persisted };
  }

  endToEndMs(): number {
    if (this.status === 'FAILED') return Math.max(0, toMs(this.failureUs) - toMs(this.triggerUs));
    const last = this.latestAckUs();
    return last < 0 ? -1 : Math.max(0, toMs(last) - toMs(this.triggerUs));
  }
}

export function toMs(us: number): number {
  return Math.floor(us / 1000);
}

export interface RestoredInfo {
  id: number;
  restore_timestamp: number;
  is_savepoint: boolean;
  external_path: string;
}

/** The REST `CheckpointStatistics` of one checkpoint (history entries and `latest.*`). */
export function checkpointStatisticsJson(r: CheckpointRecord, withTasks: boolean): Record<string, unknown> {
  const t = r.totals();
  const latestAck = r.latestAckUs();
  const className = r.status === 'COMPLETED' ? 'completed' : r.status === 'FAILED' ? 'failed' : 'in_progress';
  const base: Record<string, unknown> = {
    className,
    id: r.id,
    status: r.status,
    is_savepoint: r.isSavepoint,
    trigger_timestamp: toMs(r.triggerUs),
    latest_ack_timestamp: latestAck < 0 ? -1 : toMs(latestAck),
    checkpointed_size: t.checkpointedSize,
    state_size: t.stateSize,
    end_to_end_duration: r.endToEndMs(),
    alignment_buffered: 0,
    processed_data: t.processed,
    persisted_data: t.persisted,
    num_subtasks: r.numSubtasks(),
    num_acknowledged_subtasks: r.vertices.reduce((s, v) => s + v.acks.filter((a) => a !== null).length, 0),
    checkpoint_type: r.reportedType(),
    // SavepointFormatType (1.19 schema): null for checkpoints; savepoints here are always canonical.
    savepointFormat: r.isSavepoint ? 'CANONICAL' : null,
    tasks: withTasks ? Object.fromEntries(r.vertices.map((v) => [v.id, taskStatisticsJson(r, v)])) : {},
  };
  if (r.status === 'COMPLETED') {
    base.external_path = r.externalPath;
    base.discarded = r.discarded;
  } else if (r.status === 'FAILED') {
    base.failure_timestamp = toMs(r.failureUs);
    base.failure_message = r.failureMessage;
  }
  return base;
}

function taskStatisticsJson(r: CheckpointRecord, v: VertexStats): Record<string, unknown> {
  const acks = v.acks.filter((a): a is SubtaskAck => a !== null);
  let latest = -1;
  let stateSize = 0;
  let checkpointedSize = 0;
  let processed = 0;
  let persisted = 0;
  for (const a of acks) {
    if (a.ackTimeUs > latest) latest = a.ackTimeUs;
    stateSize += a.stateSize;
    checkpointedSize += a.checkpointedSize;
    processed += a.processedData;
    persisted += a.persistedData;
  }
  return {
    id: v.id,
    status: r.status,
    latest_ack_timestamp: latest < 0 ? -1 : toMs(latest),
    checkpointed_size: checkpointedSize,
    state_size: stateSize,
    end_to_end_duration: latest < 0 ? -1 : Math.max(0, toMs(latest) - toMs(r.triggerUs)),
    alignment_buffered: 0,
    processed_data: processed,
    persisted_data: persisted,
    num_subtasks: v.parallelism,
    num_acknowledged_subtasks: acks.length,
  };
}

/**
 * CheckpointStatsTracker: what Flink keeps and nothing more, so memory stays bounded however many checkpoints a
 * run takes: counts, the summary (quantiles over the last 10,000 completed values), the latest completed /
 * savepoint / failed / restored, and the history of `web.checkpoints.history` entries (newest first, in-progress
 * ones included). Details of a checkpoint are kept while it is in the history or still in progress; for any
 * other id `details` and `subtaskDetails` return null (Flink answers 404: "Could not find checkpointing
 * statistics for checkpoint").
 */
export class CheckpointStatsTracker {
  /** Records by id: the history's and the in-progress ones (an in-progress checkpoint may leave the history). */
  private readonly records = new Map<number, CheckpointRecord>();
  /** Newest first; bounded by web.checkpoints.history. */
  private history: CheckpointRecord[] = [];
  private counts = { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 };
  private readonly summary = {
    checkpointed_size: new StatsSummary(),
    state_size: new StatsSummary(),
    end_to_end_duration: new StatsSummary(),
    alignment_buffered: new StatsSummary(0),
    processed_data: new StatsSummary(),
    persisted_data: new StatsSummary(),
  };
  private latestCompleted: CheckpointRecord | null = null;
  private latestSavepoint: CheckpointRecord | null = null;
  private latestFailed: CheckpointRecord | null = null;
  private latestRestored: RestoredInfo | null = null;

  constructor(private readonly historySize: number) {}

  record(id: number): CheckpointRecord | undefined {
    return this.records.get(id);
  }

  reportPending(
    id: number,
    triggerUs: number,
    type: CheckpointType,
    vertices: readonly { id: string; parallelism: number }[],
  ): CheckpointRecord {
    const r = new CheckpointRecord(id, triggerUs, type, vertices);
    this.records.set(id, r);
    this.counts.total++;
    this.counts.in_progress++;
    this.history.unshift(r);
    while (this.history.length > this.historySize) {
      const evicted = this.history.pop() as CheckpointRecord;
      if (evicted.status !== 'IN_PROGRESS') this.records.delete(evicted.id);
    }
    return r;
  }

  /** Records kept for details (history and in progress): bounded by history size + concurrent checkpoints. */
  get retainedRecords(): number {
    return this.records.size;
  }

  /** A checkpoint that is no longer in progress keeps its details only while it is in the history. */
  private settle(r: CheckpointRecord): void {
    if (!this.history.includes(r)) this.records.delete(r.id);
  }

  reportAck(id: number, vertexId: string, subtaskIndex: number, ack: SubtaskAck): void {
    const r = this.records.get(id);
    const v = r?.vertices.find((x) => x.id === vertexId);
    if (!r || !v || r.status !== 'IN_PROGRESS') return;
    v.acks[subtaskIndex] = ack;
  }

  reportCompleted(id: number, completedUs: number, externalPath: string): void {
    const r = this.records.get(id);
    if (!r || r.status !== 'IN_PROGRESS') return;
    r.status = 'COMPLETED';
    r.completedUs = completedUs;
    r.externalPath = externalPath;
    this.counts.in_progress--;
    this.counts.completed++;
    const t = r.totals();
    this.summary.checkpointed_size.add(t.checkpointedSize);
    this.summary.state_size.add(t.stateSize);
    this.summary.end_to_end_duration.add(r.endToEndMs());
    this.summary.alignment_buffered.add(0);
    this.summary.processed_data.add(t.processed);
    this.summary.persisted_data.add(t.persisted);
    if (r.isSavepoint) this.latestSavepoint = r;
    else this.latestCompleted = r;
    this.settle(r);
  }

  reportFailed(id: number, failureUs: number, message: string): void {
    const r = this.records.get(id);
    if (!r || r.status !== 'IN_PROGRESS') return;
    r.status = 'FAILED';
    r.failureUs = failureUs;
    r.failureMessage = message;
    this.counts.in_progress--;
    this.counts.failed++;
    this.latestFailed = r;
    this.settle(r);
  }

  /** A trigger that failed before any task was involved: counted, never in the history (reference 6.2). */
  reportFailedBeforeTrigger(): void {
    this.counts.total++;
    this.counts.failed++;
  }

  reportRestored(info: RestoredInfo): void {
    this.counts.restored++;
    this.latestRestored = info;
  }

  markDiscarded(id: number): void {
    const r = this.records.get(id);
    if (r) r.discarded = true;
    // The latest completed checkpoint or savepoint may have left the history already.
    for (const l of [this.latestCompleted, this.latestSavepoint]) if (l?.id === id) l.discarded = true;
  }

  /** GET /jobs/:jobid/checkpoints */
  toJson(): Record<string, unknown> {
    return {
      counts: { ...this.counts },
      summary: Object.fromEntries(Object.entries(this.summary).map(([k, s]) => [k, s.toJson()])),
      latest: {
        completed: this.latestCompleted ? checkpointStatisticsJson(this.latestCompleted, false) : null,
        savepoint: this.latestSavepoint ? checkpointStatisticsJson(this.latestSavepoint, false) : null,
        failed: this.latestFailed ? checkpointStatisticsJson(this.latestFailed, false) : null,
        restored: this.latestRestored ? { ...this.latestRestored } : null,
      },
      history: this.history.map((r) => checkpointStatisticsJson(r, false)),
    };
  }

  /** GET /jobs/:jobid/checkpoints/details/:checkpointid */
  details(id: number): Record<string, unknown> | null {
    const r = this.records.get(id);
    return r ? checkpointStatisticsJson(r, true) : null;
  }

  /** GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid */
  subtaskDetails(id: number, vertexId: string): Record<string, unknown> | null {
    const r = this.records.get(id);
    const v = r?.vertices.find((x) => x.id === vertexId);
    if (!r || !v) return null;
    const acks = v.acks.filter((a): a is SubtaskAck => a !== null);
    const sum = (f: (a: SubtaskAck) => number): StatsSummaryDto => {
      const s = new StatsSummary('NaN', Math.max(1, acks.length));
      for (const a of acks) s.add(f(a));
      return s.toJson();
    };
    return {
      ...taskStatisticsJson(r, v),
      summary: {
        checkpointed_size: sum((a) => a.checkpointedSize),
        state_size: sum((a) => a.stateSize),
        end_to_end_duration: sum((a) => Math.max(0, toMs(a.ackTimeUs) - toMs(r.triggerUs))),
        checkpoint_duration: {
          sync: sum((a) => toMs(a.syncDurationUs)),
          async: sum((a) => toMs(a.asyncDurationUs)),
        },
        alignment: {
          buffered: sum(() => 0),
          processed: sum((a) => a.processedData),
          persisted: sum((a) => a.persistedData),
          duration: sum((a) => toMs(a.alignmentDurationUs)),
        },
        start_delay: sum((a) => toMs(a.startDelayUs)),
      },
      // SubtaskCheckpointStatistics: Jackson writes the type id ("className") first.
      subtasks: v.acks.map((a, index) =>
        a === null
          ? { className: 'pending', index, status: 'pending_or_failed' }
          : {
              className: 'completed',
              index,
              status: 'completed',
              ack_timestamp: toMs(a.ackTimeUs),
              end_to_end_duration: Math.max(0, toMs(a.ackTimeUs) - toMs(r.triggerUs)),
              checkpointed_size: a.checkpointedSize,
              state_size: a.stateSize,
              checkpoint: { sync: toMs(a.syncDurationUs), async: toMs(a.asyncDurationUs) },
              alignment: {
                buffered: 0,
                processed: a.processedData,
                persisted: a.persistedData,
                duration: toMs(a.alignmentDurationUs),
              },
              start_delay: toMs(a.startDelayUs),
              unaligned_checkpoint: a.unaligned,
              aborted: false,
            },
      ),
    };
  }
}
