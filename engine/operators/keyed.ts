/** Keyed operators: rolling reduce, event-time windows and the keyed process function (reference 4.1). */
import type { IoHandle } from '../sim/eventQueue.ts';
import type { KeyedProcessOp, ReduceOp, Row, WindowOp, WindowSpec } from '../scenario/types.ts';
import { assignToKeyGroup } from '../state/keyGroups.ts';
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  Key,
  KeyedStateBackend,
  ListState,
  MapState,
  ReducingState,
  StateValue,
  ValueState,
} from '../state/types.ts';
import { VOID_NAMESPACE } from '../state/types.ts';
import { NO_TIMESTAMP, StreamOperator } from './operator.ts';

export abstract class KeyedOperator extends StreamOperator {
  protected backend!: KeyedStateBackend;
  protected maxParallelism = 128;

  constructor(
    protected readonly keyField: string,
    protected readonly keyType: 'string' | 'int' | 'long',
  ) {
    super();
  }

  override open(): void {
    const b = this.ctx.keyedState;
    if (!b) throw new Error(`operator ${this.ctx.operatorId} is keyed but has no keyed state backend`);
    this.backend = b;
    this.maxParallelism = b.maxParallelism;
  }

  /** The keys of a buffer (and its timers) for an asynchronous backend to load before the buffer is processed. */
  override prefetch(
    rows: readonly Row[],
    keyGroups: readonly number[] | null,
    timers: boolean,
  ): IoHandle | null {
    const keys: Key[] = [];
    const kgs: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      let key = (rows[i] as Row)[this.keyField];
      if (key === undefined) continue;
      if (this.keyType === 'string' && typeof key !== 'string') key = String(key);
      keys.push(key);
      kgs.push(
        keyGroups ? (keyGroups[i] as number) : assignToKeyGroup(key, this.keyType, this.maxParallelism),
      );
    }
    if (keys.length === 0 && !timers) return null;
    return this.backend.prefetch(keys, kgs);
  }

  /** Reads the key of a record and scopes keyed state to it. The key group comes from the partitioner when known. */
  protected setKey(row: Row, keyGroup: number): Key {
    let key: Key | undefined = row[this.keyField];
    if (key === undefined) {
      throw new Error(`record has no field "${this.keyField}" to key by (operator ${this.ctx.operatorId})`);
    }
    if (this.keyType === 'string' && typeof key !== 'string') key = String(key);
    const kg = keyGroup >= 0 ? keyGroup : assignToKeyGroup(key, this.keyType, this.maxParallelism);
    this.backend.setCurrentKey(key, kg);
    return key;
  }
}

type Acc = number | readonly [number, number];

function aggregateDescriptor(
  aggregate: WindowOp['aggregate'],
  name: string,
): AggregatingStateDescriptor<number, Acc, number> {
  switch (aggregate) {
    case 'count':
      return {
        kind: 'aggregating',
        name,
        createAccumulator: () => 0,
        add: (_v, a) => (a as number) + 1,
        getResult: (a) => a as number,
      };
    case 'sum':
      return {
        kind: 'aggregating',
        name,
        createAccumulator: () => 0,
        add: (v, a) => (a as number) + v,
        getResult: (a) => a as number,
      };
    case 'min':
      return {
        kind: 'aggregating',
        name,
        createAccumulator: () => Number.POSITIVE_INFINITY,
        add: (v, a) => Math.min(v, a as number),
        getResult: (a) => a as number,
      };
    case 'max':
      return {
        kind: 'aggregating',
        name,
        createAccumulator: () => Number.NEGATIVE_INFINITY,
        add: (v, a) => Math.max(v, a as number),
        getResult: (a) => a as number,
      };
    case 'avg':
      return {
        kind: 'aggregating',
        name,
        createAccumulator: () => [0, 0] as const,
        add: (v, a) =>
          [(a as readonly [number, number])[0] + v, (a as readonly [number, number])[1] + 1] as const,
        getResult: (a) => {
          const [s, n] = a as readonly [number, number];
          return n === 0 ? 0 : s / n;
        },
      };
  }
}

/** Flink's TimeWindow.getWindowStartWithOffset. */
export function windowStart(ts: number, offset: number, size: number): number {
  return ts - ((((ts - offset + size) % size) + size) % size);
}

/** Assigns a timestamp to its windows' ends (tumbling: one, sliding: size/slide of them), newest last. */
export function assignWindows(w: WindowSpec, ts: number, out: number[]): void {
  out.length = 0;
  if (w.type === 'tumbling') {
    out.push(windowStart(ts, w.offsetMs, w.sizeMs) + w.sizeMs);
    return;
  }
  const last = windowStart(ts, w.offsetMs, w.slideMs);
  for (let start = last; start > ts - w.sizeMs; start -= w.slideMs) out.push(start + w.sizeMs);
}

/**
 * Event-time window aggregation (WindowOperator + EventTimeTrigger + AggregateFunction): one accumulator per
 * (key, window) in AggregatingState with the window as namespace, an event-time timer at the window's maxTimestamp()
 * that fires the window, and a cleanup timer at maxTimestamp + allowedLateness.
 */
export class WindowOperator extends KeyedOperator {
  private state!: AggregatingState<number, number>;
  private readonly windows: number[] = [];
  private readonly resultField: string;
  lateRecordsDropped = 0;

  constructor(private readonly spec: WindowOp) {
    super(spec.keyBy ?? '', spec.keyType);
    this.resultField = spec.aggregate;
  }

  override open(): void {
    super.open();
    this.state = this.backend.getAggregatingState(
      aggregateDescriptor(this.spec.aggregate, 'window-contents'),
    );
  }

  processElement(row: Row, ts: number, keyGroup: number): void {
    if (ts === NO_TIMESTAMP) {
      throw new Error(
        `operator ${this.ctx.operatorId}: event-time window got a record without timestamp; set the source's timestampField`,
      );
    }
    this.setKey(row, keyGroup);
    const field = this.spec.field;
    const raw = field === null ? 1 : row[field];
    const value = typeof raw === 'number' ? raw : Number(raw);
    const { sizeMs: size } = this.spec.window;
    const lateness = Math.floor(this.spec.allowedLatenessUs / 1000);
    assignWindows(this.spec.window, ts, this.windows);
    const b = this.backend;
    let dropped = true;
    for (let i = 0; i < this.windows.length; i++) {
      const end = this.windows[i] as number;
      const maxTs = end - 1;
      if (maxTs + lateness <= this.currentWatermark) continue; // isWindowLate
      dropped = false;
      b.setCurrentNamespace(end);
      const isNew = this.state.addIsFirst(value);
      if (maxTs <= this.currentWatermark) {
        this.fire(b.getCurrentKey(), end, size); // EventTimeTrigger.onElement: FIRE for late-but-allowed elements
      } else if (isNew) {
        b.registerEventTimeTimer(end, maxTs);
        if (lateness > 0) b.registerEventTimeTimer(end, maxTs + lateness);
      }
    }
    if (dropped) this.lateRecordsDropped++;
  }

  private fire(key: Key, end: number, size: number): void {
    const result = this.state.get();
    if (result === undefined) return;
    const row: Row = {
      [this.keyField]: key,
      windowStart: end - size,
      windowEnd: end,
      [this.resultField]: result,
    };
    this.out.collect(row, end - 1);
  }

  override processWatermark(wm: number): void {
    this.currentWatermark = wm;
    const b = this.backend;
    const { sizeMs: size } = this.spec.window;
    const lateness = Math.floor(this.spec.allowedLatenessUs / 1000);
    for (;;) {
      const t = b.pollTimer(wm);
      if (t === null) break;
      b.setCurrentKey(t.key, t.keyGroup);
      const end = t.namespace as number;
      b.setCurrentNamespace(end);
      if (t.timestamp === end - 1) this.fire(t.key, end, size);
      if (t.timestamp === end - 1 + lateness) this.state.clear();
    }
    this.out.emitWatermark(wm);
  }
}

/** Rolling keyed aggregation (KeyedStream.sum/min/max/count): emits the updated aggregate for every record. */
export class ReduceOperator extends KeyedOperator {
  private reducing!: ReducingState<number>;
  private readonly resultField: string;

  constructor(private readonly spec: ReduceOp) {
    super(spec.keyBy ?? '', spec.keyType);
    this.resultField = spec.aggregate === 'count' ? 'count' : (spec.field ?? spec.aggregate);
  }

  override open(): void {
    super.open();
    const reduce =
      this.spec.aggregate === 'min'
        ? (a: number, b: number) => Math.min(a, b)
        : this.spec.aggregate === 'max'
          ? (a: number, b: number) => Math.max(a, b)
          : (a: number, b: number) => a + b;
    this.reducing = this.backend.getReducingState<number>({
      kind: 'reducing',
      name: this.spec.aggregate,
      reduce,
    });
  }

  processElement(row: Row, ts: number, keyGroup: number): void {
    const key = this.setKey(row, keyGroup);
    this.backend.setCurrentNamespace(VOID_NAMESPACE);
    let v = 1;
    if (this.spec.aggregate !== 'count') {
      const raw = this.spec.field === null ? 0 : row[this.spec.field];
      v = typeof raw === 'number' ? raw : Number(raw);
    }
    this.reducing.add(v);
    this.out.collect({ [this.keyField]: key, [this.resultField]: this.reducing.get() ?? v }, ts);
  }
}

/**
 * `userActivity`, a KeyedProcessFunction that uses every keyed state kind: ValueState (visits), MapState (count
 * per value of `field`), ListState (the last `keepLast` values), ReducingState (latest timestamp) and
 * AggregatingState (mean gap between records), plus an event-time timer that closes a session after a gap.
 */
export class KeyedProcessOperator extends KeyedOperator {
  private visits!: ValueState<number>;
  private values!: MapState<string, number>;
  private recent!: ListState<string>;
  private lastSeen!: ReducingState<number>;
  private meanGap!: AggregatingState<number, number>;

  constructor(private readonly spec: KeyedProcessOp) {
    super(spec.keyBy ?? '', spec.keyType);
  }

  override open(): void {
    super.open();
    const b = this.backend;
    this.visits = b.getValueState<number>({ kind: 'value', name: 'visits' });
    this.values = b.getMapState<string, number>({ kind: 'map', name: 'per-' + this.spec.field });
    this.recent = b.getListState<string>({ kind: 'list', name: 'recent' });
    this.lastSeen = b.getReducingState<number>({
      kind: 'reducing',
      name: 'last-seen',
      reduce: (a, c) => Math.max(a, c),
    });
    this.meanGap = b.getAggregatingState<number, StateValue, number>({
      kind: 'aggregating',
      name: 'mean-gap',
      createAccumulator: () => [0, 0],
      add: (v, acc) => {
        const a = acc as readonly [number, number];
        return [a[0] + v, a[1] + 1];
      },
      getResult: (acc) => {
        const a = acc as readonly [number, number];
        return a[1] === 0 ? 0 : Math.floor(a[0] / a[1]);
      },
    });
  }

  processElement(row: Row, ts: number, keyGroup: number): void {
    const key = this.setKey(row, keyGroup);
    const b = this.backend;
    b.setCurrentNamespace(VOID_NAMESPACE);
    const value = String(row[this.spec.field] ?? '');
    const prev = this.lastSeen.get();
    this.lastSeen.add(ts);
    if (prev !== undefined) this.meanGap.add(ts >= prev ? ts - prev : 0);
    const visits = (this.visits.value() ?? 0) + 1;
    this.visits.update(visits);
    this.values.put(value, (this.values.get(value) ?? 0) + 1);
    const recent = [...this.recent.get(), value];
    this.recent.update(
      recent.length > this.spec.keepLast ? recent.slice(recent.length - this.spec.keepLast) : recent,
    );
    const gapMs = this.spec.sessionGapUs === null ? null : Math.floor(this.spec.sessionGapUs / 1000);
    if (gapMs !== null) {
      const last = this.lastSeen.get() ?? ts;
      if (prev !== undefined && prev !== last) b.deleteEventTimeTimer(VOID_NAMESPACE, prev + gapMs);
      b.registerEventTimeTimer(VOID_NAMESPACE, last + gapMs);
    }
    if (visits % this.spec.emitEvery === 0) this.emit(key, ts, false);
  }

  private emit(key: Key, ts: number, sessionEnd: boolean): void {
    let distinct = 0;
    let top = '';
    let topCount = -1;
    for (const [k, c] of this.values.entries()) {
      distinct++;
      if (c > topCount || (c === topCount && k < top)) {
        top = k;
        topCount = c;
      }
    }
    this.out.collect(
      {
        [this.keyField]: key,
        visits: this.visits.value() ?? 0,
        distinct,
        top,
        recent: this.recent.get().join(' '),
        meanGapMs: this.meanGap.get() ?? 0,
        sessionEnd: sessionEnd ? 1 : 0,
      },
      ts,
    );
  }

  override processWatermark(wm: number): void {
    this.currentWatermark = wm;
    const b = this.backend;
    const gapMs = this.spec.sessionGapUs === null ? 0 : Math.floor(this.spec.sessionGapUs / 1000);
    for (;;) {
      const t = b.pollTimer(wm);
      if (t === null) break;
      b.setCurrentKey(t.key, t.keyGroup);
      b.setCurrentNamespace(VOID_NAMESPACE);
      const last = this.lastSeen.get();
      if (last === undefined || last + gapMs !== t.timestamp) continue; // stale timer
      this.emit(t.key, t.timestamp, true);
      this.visits.clear();
      this.values.clear();
      this.recent.clear();
      this.lastSeen.clear();
      this.meanGap.clear();
    }
    this.out.emitWatermark(wm);
  }
}
