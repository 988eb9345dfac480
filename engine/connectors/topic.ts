/**
 * A replayable, partitioned log (Kafka-like). Input topics are generated: the record at (partition, offset) is a
 * pure function of the scenario, so a source can rewind to any offset and read exactly the same records again
 * (reference 5.3 step 5: sources rewind to the checkpointed offsets). Nothing is stored.
 */
import { fmix32, hashString32 } from '../sim/random.ts';
import type { SnapshotCloneable } from '../sim/snapshot.ts';
import type {
  ClicksGenerator,
  FieldValue,
  Generator,
  KeyedGenerator,
  Row,
  TextGenerator,
} from '../scenario/types.ts';

/** A generated record: its row, event timestamp (ms) and the virtual time (µs) it is appended to the topic. */
export interface TopicRecord {
  row: Row;
  ts: number;
}

export interface InputTopic {
  readonly name: string;
  readonly partitions: number;
  /** Number of records in a partition, or Infinity for an unbounded topic. */
  partitionSize(partition: number): number;
  /** Virtual time (µs) at which the record at (partition, offset) becomes readable. */
  appendTime(partition: number, offset: number): number;
  /** Offset of the first record of the partition not yet appended at virtual time `now` (µs). */
  endOffset(partition: number, now: number): number;
  row(partition: number, offset: number): Row;
  timestamp(partition: number, offset: number): number;
}

/** Global sequence number n of the record at (partition, offset): records are spread round-robin. */
function seqOf(partitions: number, partition: number, offset: number): number {
  return offset * partitions + partition;
}

abstract class GeneratedTopic implements InputTopic {
  /** µs between two consecutive records of the topic. Appends happen at floor(n * 1e6 / rate). */
  protected readonly rate: number;
  protected readonly count: number | null;
  protected readonly salt: number;

  constructor(
    readonly name: string,
    readonly partitions: number,
    rate: number,
    count: number | null,
    seed: number,
  ) {
    this.rate = rate;
    this.count = count;
    this.salt = hashString32(name, seed >>> 0);
  }

  partitionSize(partition: number): number {
    if (this.count === null) return Infinity;
    // Records n = partition, partition + P, ... below count.
    return this.count > partition ? Math.ceil((this.count - partition) / this.partitions) : 0;
  }

  appendTime(partition: number, offset: number): number {
    const n = seqOf(this.partitions, partition, offset);
    return Math.floor((n * 1_000_000) / this.rate);
  }

  endOffset(partition: number, now: number): number {
    // Largest n with floor(n * 1e6 / rate) <= now  <=>  n <= ((now + 1) * rate - 1) / 1e6 (integers).
    const maxN = Math.floor(((now + 1) * this.rate - 1) / 1_000_000);
    let end = maxN >= partition ? Math.floor((maxN - partition) / this.partitions) + 1 : 0;
    const size = this.partitionSize(partition);
    if (end > size) end = size;
    return end;
  }

  /** Deterministic per-record hash (stateless, so replays see identical records). */
  protected mix(n: number, lane: number): number {
    return fmix32((n ^ Math.imul(lane + 1, 0x9e3779b1) ^ this.salt) + Math.floor(n / 0x100000000));
  }

  abstract row(partition: number, offset: number): Row;
  abstract timestamp(partition: number, offset: number): number;
}

/**
 * The operations playground's ClickEventGenerator (reference 7.3): pages round-robin, each page's timestamp
 * advancing windowSize / eventsPerWindow ms per event of that page, so every event-time window holds exactly
 * `eventsPerWindow` events of every page.
 */
export class ClicksTopic extends GeneratedTopic {
  private readonly pages: string[];
  private readonly stepMs: number;
  private readonly users: number;
  private readonly userNames: string[];

  constructor(name: string, partitions: number, g: ClicksGenerator, seed: number) {
    super(name, partitions, g.ratePerSecond, g.count, seed);
    this.pages = g.pages;
    this.stepMs = g.windowSizeMs / g.eventsPerWindow;
    this.users = g.users;
    this.userNames = [];
    for (let i = 0; i < g.users; i++) this.userNames.push(`user-${i}`);
  }

  timestamp(partition: number, offset: number): number {
    const n = seqOf(this.partitions, partition, offset);
    const perPage = Math.floor(n / this.pages.length);
    return Math.floor(perPage * this.stepMs);
  }

  row(partition: number, offset: number): Row {
    const n = seqOf(this.partitions, partition, offset);
    const page = this.pages[n % this.pages.length] as string;
    const ts = this.timestamp(partition, offset);
    if (this.users > 0) {
      // Producers partition by key: a user's clicks all land in one partition (user % partitions), so one
      // source subtask reads them in order.
      const perPartition = Math.floor((this.users - 1 - partition) / this.partitions) + 1;
      const u =
        perPartition > 0
          ? partition + this.partitions * (this.mix(n, 0) % perPartition)
          : this.mix(n, 0) % this.users;
      return { ts, page, user: this.userNames[u] as string };
    }
    return { ts, page };
  }
}

/** Keyed events {key, value, ts}: keys round-robin or uniform (seeded, stateless per record). */
export class KeyedTopic extends GeneratedTopic {
  private readonly g: KeyedGenerator;
  private readonly keyNames: string[] = [];

  constructor(name: string, partitions: number, g: KeyedGenerator, seed: number) {
    super(name, partitions, g.ratePerSecond, g.count, seed);
    this.g = g;
    if (g.keyType === 'string') for (let i = 0; i < g.keys; i++) this.keyNames.push(g.keyPrefix + i);
  }

  private keyIndex(n: number): number {
    return this.g.distribution === 'round-robin' ? n % this.g.keys : this.mix(n, 1) % this.g.keys;
  }

  timestamp(partition: number, offset: number): number {
    const n = seqOf(this.partitions, partition, offset);
    const base = Math.floor((n * this.g.eventTimeStepUs) / 1000);
    const ooo = Math.floor(this.g.maxOutOfOrdernessUs / 1000);
    if (ooo <= 0) return base;
    const late = this.mix(n, 2) % (ooo + 1);
    return base >= late ? base - late : 0;
  }

  row(partition: number, offset: number): Row {
    const n = seqOf(this.partitions, partition, offset);
    const k = this.keyIndex(n);
    const g = this.g;
    const span = g.valueMax - g.valueMin + 1;
    const value = g.valueMin + (this.mix(n, 3) % span);
    const ts = this.timestamp(partition, offset);
    if (g.keyType === 'string') return { key: this.keyNames[k] as string, value, ts };
    // int/long keys: spread over the number line (negative ones too) so hash codes vary.
    const num = g.keyType === 'int' ? k - (g.keys >> 1) : (k - (g.keys >> 1)) * 4_294_967_311;
    return { key: num, value, ts };
  }
}

/** Lines of words {line, ts}. */
export class TextTopic extends GeneratedTopic {
  private readonly g: TextGenerator;

  constructor(name: string, partitions: number, g: TextGenerator, seed: number) {
    super(name, partitions, g.ratePerSecond, g.count, seed);
    this.g = g;
  }

  timestamp(partition: number, offset: number): number {
    return Math.floor(this.appendTime(partition, offset) / 1000);
  }

  row(partition: number, offset: number): Row {
    const n = seqOf(this.partitions, partition, offset);
    const words: string[] = [];
    for (let i = 0; i < this.g.wordsPerLine; i++) {
      words.push(this.g.words[this.mix(n, 10 + i) % this.g.words.length] as string);
    }
    return { line: words.join(' '), ts: this.timestamp(partition, offset) };
  }
}

export function createInputTopic(name: string, partitions: number, g: Generator, seed: number): InputTopic {
  switch (g.kind) {
    case 'clicks':
      return new ClicksTopic(name, partitions, g, seed);
    case 'keyed':
      return new KeyedTopic(name, partitions, g, seed);
    case 'text':
      return new TextTopic(name, partitions, g, seed);
  }
}

/** One record written to an output topic by a sink. */
export interface OutputRecord {
  row: Row;
  /** Visible to a read_committed consumer (reference 5.4). */
  committed: boolean;
  /** Aborted transactional writes stay in the log but are never visible to read_committed readers. */
  aborted: boolean;
  subtask: number;
  /** Virtual time of the write (µs). */
  time: number;
  /** Transaction id (exactly-once sinks), else -1. */
  txn: number;
}

export type TxnState = 'open' | 'precommitted' | 'committed' | 'aborted';

interface Txn {
  state: TxnState;
  subtask: number;
  records: number[];
}

/** Records per chunk of an output topic's log (chunks below the oldest open transaction never change). */
const CHUNK = 1024;

/**
 * A full chunk whose records can no longer change (no open transaction reaches into it), packed column-wise: the
 * rows' values in one array (field names once per row shape), the rest in typed arrays. About a third of the
 * memory of the record objects, so a long run's output grows slowly; records are rebuilt when read.
 */
class PackedChunk {
  readonly length: number;
  private readonly shapes: string[][] = [];
  private readonly shapeOf: Uint16Array;
  private readonly offsets: Uint32Array;
  private readonly values: FieldValue[] = [];
  private readonly time: Float64Array;
  private readonly subtask: Int32Array;
  private readonly txn: Int32Array;
  /** bit 0: committed, bit 1: aborted. */
  private readonly flags: Uint8Array;

  constructor(records: readonly OutputRecord[]) {
    const n = records.length;
    this.length = n;
    this.shapeOf = new Uint16Array(n);
    this.offsets = new Uint32Array(n);
    this.time = new Float64Array(n);
    this.subtask = new Int32Array(n);
    this.txn = new Int32Array(n);
    this.flags = new Uint8Array(n);
    const shapeIndex = new Map<string, number>();
    for (let j = 0; j < n; j++) {
      const r = records[j] as OutputRecord;
      const fields = Object.keys(r.row);
      const key = fields.join('\u0000');
      let si = shapeIndex.get(key);
      if (si === undefined) {
        si = this.shapes.length;
        this.shapes.push(fields);
        shapeIndex.set(key, si);
      }
      this.shapeOf[j] = si;
      this.offsets[j] = this.values.length;
      for (const f of fields) this.values.push(r.row[f] as FieldValue);
      this.time[j] = r.time;
      this.subtask[j] = r.subtask;
      this.txn[j] = r.txn;
      this.flags[j] = (r.committed ? 1 : 0) | (r.aborted ? 2 : 0);
    }
  }

  get(j: number): OutputRecord {
    const fields = this.shapes[this.shapeOf[j] as number] as string[];
    const at = this.offsets[j] as number;
    const row: Row = {};
    for (let k = 0; k < fields.length; k++) row[fields[k] as string] = this.values[at + k] as FieldValue;
    const flags = this.flags[j] as number;
    return {
      row,
      committed: (flags & 1) !== 0,
      aborted: (flags & 2) !== 0,
      subtask: this.subtask[j] as number,
      time: this.time[j] as number,
      txn: this.txn[j] as number,
    };
  }

  /** Packed chunks never change: engine snapshots share them. */
  cloneForSnapshot(): PackedChunk {
    return this;
  }
}

type Chunk = OutputRecord[] | PackedChunk;

function chunkRecord(c: Chunk, j: number): OutputRecord {
  return c instanceof PackedChunk ? c.get(j) : (c[j] as OutputRecord);
}

/**
 * An output topic: an append-only log of what sinks wrote, with Kafka-like transactional visibility.
 * `idempotent` topics are upsert targets: rewriting an identical record is a no-op for readers.
 * The log is kept in chunks so that an engine snapshot shares every chunk no open transaction can change.
 */
export class OutputTopic implements SnapshotCloneable {
  private chunks: Chunk[] = [[]];
  /** Chunks below this index are packed. */
  private packed = 0;
  private count = 0;
  committedCount = 0;
  /** Records of aborted transactions: in the log, seen only by read-uncommitted readers. */
  abortedCount = 0;
  /** Open and pre-committed transactions (finished ones are forgotten: committing them again is a no-op). */
  private txns = new Map<number, Txn>();
  private nextTxn = 1;

  constructor(
    readonly name: string,
    readonly idempotent = false,
  ) {}

  /** Number of records written. */
  get size(): number {
    return this.count;
  }

  /** Every record written, in order (a copy of the log). */
  get records(): OutputRecord[] {
    const out: OutputRecord[] = [];
    for (const c of this.chunks) for (let j = 0; j < c.length; j++) out.push(chunkRecord(c, j));
    return out;
  }

  at(i: number): OutputRecord {
    return chunkRecord(this.chunks[Math.floor(i / CHUNK)] as Chunk, i % CHUNK);
  }

  /** The newest `n` records, oldest first. */
  recent(n: number): OutputRecord[] {
    const out: OutputRecord[] = [];
    for (let i = Math.max(0, this.count - n); i < this.count; i++) out.push(this.at(i));
    return out;
  }

  append(rec: OutputRecord): void {
    const idx = this.count;
    let last = this.chunks[this.chunks.length - 1] as OutputRecord[];
    if (last.length === CHUNK) {
      last = [];
      this.chunks.push(last);
      this.pack();
    }
    last.push(rec);
    this.count++;
    if (rec.committed) this.committedCount++;
    if (rec.txn >= 0) this.txns.get(rec.txn)?.records.push(idx);
  }

  beginTransaction(subtask: number): number {
    const id = this.nextTxn++;
    this.txns.set(id, { state: 'open', subtask, records: [] });
    return id;
  }

  /** State of a transaction that is still open or pre-committed (undefined once committed or aborted). */
  txnState(id: number): TxnState | undefined {
    return this.txns.get(id)?.state;
  }

  preCommit(id: number): void {
    const t = this.txns.get(id);
    if (t && t.state === 'open') t.state = 'precommitted';
  }

  /** Commits a transaction; committing an already committed one is a no-op (idempotent re-commit, 5.4). */
  commit(id: number): boolean {
    const t = this.txns.get(id);
    if (!t) return false;
    this.txns.delete(id);
    for (const i of t.records) {
      const r = this.at(i);
      if (!r.committed) {
        r.committed = true;
        this.committedCount++;
      }
    }
    return true;
  }

  abort(id: number): boolean {
    const t = this.txns.get(id);
    if (!t) return false;
    this.txns.delete(id);
    for (const i of t.records) {
      const r = this.at(i);
      if (!r.aborted) {
        r.aborted = true;
        this.abortedCount++;
      }
    }
    return true;
  }

  /** Records at the start of the log that can no longer change (none is in an open transaction). */
  stableLength(): number {
    return this.firstOpen();
  }

  /** The first record of any open or pre-committed transaction (records before it never change). */
  private firstOpen(): number {
    let first = this.count;
    for (const t of this.txns.values())
      if (t.records.length > 0 && (t.records[0] as number) < first) first = t.records[0] as number;
    return first;
  }

  /** Packs the full chunks that no open transaction reaches into. */
  private pack(): void {
    const firstOpen = this.firstOpen();
    while (this.packed < this.chunks.length - 1 && (this.packed + 1) * CHUNK <= firstOpen) {
      const c = this.chunks[this.packed] as Chunk;
      if (!(c instanceof PackedChunk)) this.chunks[this.packed] = new PackedChunk(c);
      this.packed++;
    }
  }

  /**
   * A copy for an engine snapshot: chunks wholly below the first record of any open transaction are shared (no
   * record there can change any more); the others are copied, with copies of the records still in a transaction.
   */
  cloneForSnapshot(): OutputTopic {
    const out = new OutputTopic(this.name, this.idempotent);
    const firstOpen = this.firstOpen();
    const open = new Set<number>();
    for (const t of this.txns.values()) for (const i of t.records) open.add(i);
    out.chunks = this.chunks.map((c, k) => {
      const start = k * CHUNK;
      if (c instanceof PackedChunk || (c.length === CHUNK && start + CHUNK <= firstOpen)) return c;
      return c.map((r, j) => (open.has(start + j) ? { ...r } : r));
    });
    out.packed = this.packed;
    out.count = this.count;
    out.committedCount = this.committedCount;
    out.abortedCount = this.abortedCount;
    out.nextTxn = this.nextTxn;
    for (const [id, t] of this.txns)
      out.txns.set(id, { state: t.state, subtask: t.subtask, records: t.records.slice() });
    return out;
  }

  /** Transactions of a sink subtask that are neither committed nor aborted. */
  lingering(subtask: number): number[] {
    const out: number[] = [];
    for (const [id, t] of this.txns) if (t.subtask === subtask) out.push(id);
    return out;
  }

  /** What a read_committed consumer sees, in log order (upserts: identical rewrites collapse). */
  committedRows(): Row[] {
    const out: Row[] = [];
    const seen = this.idempotent ? new Set<string>() : null;
    for (const c of this.chunks) {
      for (let j = 0; j < c.length; j++) {
        const r = chunkRecord(c, j);
        if (!r.committed) continue;
        if (seen) {
          const k = JSON.stringify(r.row);
          if (seen.has(k)) continue;
          seen.add(k);
        }
        out.push(r.row);
      }
    }
    return out;
  }
}
