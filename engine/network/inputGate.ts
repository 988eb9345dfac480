/**
 * The input gate of a task (SingleInputGate / UnionInputGate): its input channels, which one to read next (the
 * earliest arrived head item among channels that are neither blocked by alignment nor stalled), and when the next
 * item arrives. The watermark valve sits behind it.
 */
import type { Channel } from './channel.ts';

export class InputGate {
  readonly channels: Channel[] = [];
  /** Channels that delivered end of partition. */
  finished = 0;

  add(ch: Channel): void {
    this.channels.push(ch);
  }

  /** Orders the channels by their input index (their position in the gate). */
  seal(): void {
    this.channels.sort((a, b) => a.info.inputIndex - b.info.inputIndex);
  }

  reset(): void {
    this.finished = 0;
  }

  get allFinished(): boolean {
    return this.finished === this.channels.length;
  }

  /** The input channel to read next: the earliest arrived head item among unblocked channels. */
  pickInput(now: number): Channel | null {
    let best: Channel | null = null;
    let bestAt = Infinity;
    const ins = this.channels;
    for (let i = 0; i < ins.length; i++) {
      const ch = ins[i] as Channel;
      if (ch.blocked || ch.stalledUntil > now) continue;
      const head = ch.flight[0];
      if (head !== undefined && head.arriveAt <= now && head.arriveAt < bestAt) {
        best = ch;
        bestAt = head.arriveAt;
      }
    }
    return best;
  }

  /** Earliest future arrival on an unblocked channel (to wake up an idle task). */
  nextArrival(): number | null {
    let t: number | null = null;
    for (const ch of this.channels) {
      if (ch.blocked) continue;
      const head = ch.flight[0];
      if (head === undefined) continue;
      const at = Math.max(head.arriveAt, ch.stalledUntil);
      if (t === null || at < t) t = at;
    }
    return t;
  }

  /** Unblocks every channel (alignment finished or aborted). */
  unblockAll(): void {
    for (const c of this.channels) c.blocked = false;
  }
}
