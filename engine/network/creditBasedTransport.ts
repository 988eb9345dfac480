/**
 * Credit-based transport (DESIGN: network/): a sender puts a data buffer on the wire only while the receiver has
 * credit for it (at most `capacity` data buffers in flight or queued at the receiver); events need no credit.
 * Every item arrives after the network latency (plus seeded jitter), FIFO per channel. Credit announcements are
 * instant (a simplification the README states).
 */
import type { Kernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random.ts';
import { BufferBuilder } from './bufferBuilder.ts';
import { type Channel, type ChannelItem, ItemKind } from './channel.ts';

/** Who the transport tells when something arrives or credit comes back (the runtime wakes tasks). */
export interface ChannelEndpoints {
  /** Items reached the receiver's queue of `ch` (the first one arrives at `at`). */
  itemsSent(ch: Channel, at: number): void;
  /** The sender of `ch` may write again (credit came back). */
  creditAvailable(ch: Channel): void;
  /** A barrier left the sender's output queue of `ch` (PipelinedSubpartition.pollBuffer): it is on the wire. */
  barrierSent(ch: Channel, item: ChannelItem): void;
}

export class CreditBasedTransport {
  readonly buffers = new BufferBuilder();
  private readonly jitter: RandomStream;

  constructor(
    private readonly kernel: Kernel,
    private readonly endpoints: ChannelEndpoints,
    readonly latencyUs: number,
    private readonly jitterMaxUs: number,
    /** taskmanager.memory.segment-size: a buffer is sent once it holds this many bytes. */
    readonly segmentSize: number,
    /** execution.buffer-timeout.interval in µs, or null when the buffer timeout is disabled. */
    readonly bufferTimeoutUs: number | null,
  ) {
    this.jitter = kernel.random.stream('jitter');
  }

  /** Moves items from the sender's queue into flight while the receiver has credit for data buffers. */
  transmit(ch: Channel): void {
    const now = this.kernel.now;
    let sent = false;
    while (ch.waiting.length > 0) {
      const item = ch.waiting[0] as ChannelItem;
      if (item.kind === ItemKind.Data && ch.dataInFlight >= ch.capacity) break;
      ch.waiting.shift();
      const jitter = this.jitterMaxUs > 0 ? this.jitter.int(0, this.jitterMaxUs) : 0;
      item.sentAt = now;
      item.arriveAt = Math.max(now + this.latencyUs + jitter, ch.lastArrive);
      ch.lastArrive = item.arriveAt;
      ch.flight.push(item);
      if (item.kind === ItemKind.Data) ch.dataInFlight++;
      else if (item.kind === ItemKind.Barrier) this.endpoints.barrierSent(ch, item);
      sent = true;
    }
    if (!sent) return;
    this.endpoints.itemsSent(ch, (ch.flight[0] as ChannelItem).arriveAt);
    this.endpoints.creditAvailable(ch);
  }

  /** The receiver consumed a data buffer: its credit goes back to the sender. */
  consumed(ch: Channel): void {
    ch.dataInFlight--;
  }
}
