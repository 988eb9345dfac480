/**
 * BufferBuilder: the one place a channel item (a data buffer or an event) is created. Item ids are unique per run
 * and stable across replays, so the animation layer can follow an item from frame to frame.
 */
import { type BarrierMeta, type ChannelItem, EMPTY_NUMS, EMPTY_ROWS, ItemKind } from './channel.ts';
import type { Row } from '../scenario/types.ts';

export class BufferBuilder {
  private ids = 0;

  /** An empty data buffer; `keyed` buffers carry the key group of every record (hash partitioner). */
  dataBuffer(keyed: boolean): ChannelItem {
    return {
      kind: ItemKind.Data,
      id: ++this.ids,
      sentAt: 0,
      arriveAt: 0,
      rows: [],
      ts: [],
      kgs: keyed ? [] : null,
      bytes: 0,
      value: 0,
      barrier: null,
    };
  }

  /** A data buffer holding restored records (channel state of an unaligned checkpoint). */
  restoredBuffer(rows: Row[], ts: number[], kgs: number[] | null, bytes: number, now: number): ChannelItem {
    return {
      kind: ItemKind.Data,
      id: ++this.ids,
      sentAt: now,
      arriveAt: now,
      rows,
      ts,
      kgs,
      bytes,
      value: 0,
      barrier: null,
    };
  }

  /** An event: watermark (value), watermark status (1 idle / 0 active), barrier (checkpoint id), end of partition. */
  event(kind: ItemKind, value: number, barrier: BarrierMeta | null): ChannelItem {
    return {
      kind,
      id: ++this.ids,
      sentAt: 0,
      arriveAt: 0,
      rows: EMPTY_ROWS,
      ts: EMPTY_NUMS,
      kgs: null,
      bytes: 0,
      value,
      barrier,
    };
  }
}
