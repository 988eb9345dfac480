/**
 * The narrated log between frames: entries with absolute positions, so the frame builder reads what is new without
 * removing anything. Bounded: only the newest entries are kept (the UI keeps the story it has seen). An engine
 * snapshot starts with an empty buffer at the same position (log lines are not part of the run's state).
 */
import type { LogEntry } from '../protocol.ts';
import type { SnapshotCloneable } from '../sim/snapshot.ts';

/** Entries kept for frames not yet built. */
const MAX_LOG = 4000;

export class LogBuffer implements SnapshotCloneable {
  private entries: LogEntry[] = [];
  private base = 0;

  push(e: LogEntry): void {
    this.entries.push(e);
    if (this.entries.length > MAX_LOG) {
      const drop = this.entries.length - MAX_LOG / 2;
      this.entries.splice(0, drop);
      this.base += drop;
    }
  }

  /** Entries from absolute position `cursor` on. */
  since(cursor: number): LogEntry[] {
    return this.entries.slice(Math.max(0, cursor - this.base));
  }

  get end(): number {
    return this.base + this.entries.length;
  }

  cloneForSnapshot(): LogBuffer {
    const out = new LogBuffer();
    out.base = this.end;
    return out;
  }
}
