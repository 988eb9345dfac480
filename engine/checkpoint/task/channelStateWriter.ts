/**
 * ChannelStateWriter (reference 1.6): the in-flight data of an unaligned checkpoint. A receiver persists what it
 * reads on inputs whose barrier has not arrived yet ("in:<channel>"); a sender persists the buffers its barrier
 * overtook ("out:<channel>"), also when the aligned-checkpoint timeout converts a barrier still in its output queue.
 * On restore, that data goes into the channels before any new input.
 */
import type { ChannelItem } from '../../network/channel.ts';
import type { Row } from '../../scenario/types.ts';
import type { Channel } from '../../network/channel.ts';

/** Channel state by key: "in:<channel>" and "out:<channel>", each a list of [row, timestamp, keyGroup]. */
export type ChannelState = Record<string, [Row, number, number][]>;

/** An unaligned checkpoint in progress at a task: snapshot taken, in-flight data still recorded. */
export interface UnalignedCheckpoint {
  id: number;
  /** Input channels whose barrier has not arrived yet: what the task reads from them is persisted. */
  pending: Set<Channel>;
  /**
   * Output channels whose timeoutable barrier still waits in the output queue: the acknowledgement waits until it
   * leaves, or until the aligned-checkpoint timeout turns it into a priority event that persists the buffers it
   * overtakes (PipelinedSubpartition's channel state future).
   */
  pendingOutputs: Set<Channel>;
  channelState: ChannelState;
  persistedBytes: number;
  /** The acknowledgement, once the asynchronous part is done (sent when `pending` empties). */
  ack: { snapshot: unknown; asyncDoneAt: number } | null;
}

export function newUnalignedCheckpoint(id: number, pending: Set<Channel>): UnalignedCheckpoint {
  return { id, pending, pendingOutputs: new Set(), channelState: {}, persistedBytes: 0, ack: null };
}

/** Persists a data buffer as channel state of an unaligned checkpoint. */
export function recordInFlight(u: UnalignedCheckpoint, key: string, item: ChannelItem): void {
  const list = (u.channelState[key] ??= []);
  for (let i = 0; i < item.rows.length; i++) {
    list.push([item.rows[i] as Row, item.ts[i] as number, item.kgs ? (item.kgs[i] as number) : -1]);
  }
  u.persistedBytes += item.bytes;
}
