/**
 * The narrated log between frames: entries with absolute positions, so the frame builder reads what is new without
 * removing anything. Bounded: at most MAX_DETAIL detail lines and MAX_STORY story lines (faults, restarts,
 * checkpoint results, ...) are kept, the oldest of each going first, so a long run-to or seek keeps the most recent
 * story before the UI sees it (the UI keeps the last 1,000 lines). Trimming removes half of a kind at once, so
 * each push costs O(1) amortized however long the run. An engine snapshot starts with an empty buffer at the same
 * position (log lines are not part of the run's state).
 */
import type { LogEntry } from '../protocol.ts';
import type { SnapshotCloneable } from '../sim/snapshot.ts';

/** Detail lines kept for frames not yet built. */
export const MAX_DETAIL = 4000;
/** Story lines kept (a run that has not been looked at for a long time keeps its most recent story). */
export const MAX_STORY = 2000;

export class LogBuffer implements SnapshotCloneable {
  private entries: LogEntry[] = [];
  /** Absolute position of each entry (increasing). */
  private positions: number[] = [];
  private next = 0;
  private stories = 0;
  /** Entries copied by trimming so far (tests: trimming is amortized O(1) per push). */
  trimWork = 0;

  push(e: LogEntry): void {
    this.entries.push(e);
    this.positions.push(this.next++);
    if (e.story) this.stories++;
    if (this.entries.length - this.stories > MAX_DETAIL) this.trim(false);
    else if (this.stories > MAX_STORY) this.trim(true);
  }

  /** Entries kept now (detail and story lines). */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Drops the oldest half of the detail lines (or, with `story`, of the story lines together with every detail line
   * older than the last story line dropped), in one pass.
   */
  private trim(story: boolean): void {
    const details = this.entries.length - this.stories;
    let drop = story ? this.stories - MAX_STORY / 2 : details - MAX_DETAIL / 2;
    const entries: LogEntry[] = [];
    const positions: number[] = [];
    let stories = 0;
    let i = 0;
    const n = this.entries.length;
    for (; i < n && drop > 0; i++) {
      const e = this.entries[i] as LogEntry;
      if (e.story === story) drop--;
      else if (e.story || !story) {
        // With `story`, detail lines older than a dropped story line go too.
        entries.push(e);
        positions.push(this.positions[i] as number);
        if (e.story) stories++;
      }
    }
    for (; i < n; i++) {
      const e = this.entries[i] as LogEntry;
      entries.push(e);
      positions.push(this.positions[i] as number);
      if (e.story) stories++;
    }
    this.trimWork += n;
    this.entries = entries;
    this.positions = positions;
    this.stories = stories;
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
