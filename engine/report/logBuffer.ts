/**
 * The narrated log between frames: entries with absolute positions, so the frame builder reads what is new without
 * removing anything. Bounded: when it grows past its limit the oldest detail lines go first, story lines (faults,
 * restarts, checkpoint results, ...) only past a much larger limit, so a long run-to or seek loses none of the
 * story before the UI sees it. An engine snapshot starts with an empty buffer at the same position (log lines are
 * not part of the run's state).
 */
import type { LogEntry } from '../protocol.ts';
import type { SnapshotCloneable } from '../sim/snapshot.ts';

/** Entries kept for frames not yet built. */
const MAX_LOG = 4000;
/** Story entries kept at most (a run that has not been looked at for a very long time). */
const MAX_STORY = 20_000;

export class LogBuffer implements SnapshotCloneable {
  private entries: LogEntry[] = [];
  /** Absolute position of each entry (increasing). */
  private positions: number[] = [];
  private next = 0;
  private stories = 0;

  push(e: LogEntry): void {
    this.entries.push(e);
    this.positions.push(this.next++);
    if (e.story) this.stories++;
    if (this.entries.length - this.stories > MAX_LOG) this.trim(false);
    if (this.stories > MAX_STORY) this.trim(true);
  }

  /** Drops the older half of the detail lines (or, with `story`, of every line). */
  private trim(story: boolean): void {
    const keepFrom = this.positions[Math.floor(this.positions.length / 2)] ?? this.next;
    const entries: LogEntry[] = [];
    const positions: number[] = [];
    this.stories = 0;
    this.entries.forEach((e, i) => {
      const p = this.positions[i] as number;
      if (p < keepFrom && (story || !e.story)) return;
      entries.push(e);
      positions.push(p);
      if (e.story) this.stories++;
    });
    this.entries = entries;
    this.positions = positions;
  }

  /** Entries from absolute position `cursor` on. */
  since(cursor: number): LogEntry[] {
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.positions[mid] as number) < cursor) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }

  get end(): number {
    return this.next;
  }

  cloneForSnapshot(): LogBuffer {
    const out = new LogBuffer();
    out.next = this.next;
    return out;
  }
}
