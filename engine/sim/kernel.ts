import { EventQueue, type IoHandle, type SimEvent } from './eventQueue.ts';
import { RandomStreams } from './random.ts';
import type { VirtualTime } from './time.ts';
import { TraceHash } from './traceHash.ts';
import type { TraceRecorder } from './determinism.ts';

export type EventHandler = (ev: SimEvent) => void;

/** Receives every event (an object, not a closure, so an engine snapshot can carry it). */
export interface EventDispatcher {
  dispatch(ev: SimEvent): void;
}

export type RunOutcome =
  | { kind: 'reached'; time: VirtualTime }
  | { kind: 'idle'; time: VirtualTime }
  | { kind: 'blocked'; time: VirtualTime; io: Promise<void> };

/**
 * The simulation kernel: integer virtual clock, one event queue ordered by (time, seq), named seeded random
 * streams and the running trace hash. Everything that happens in a run is an event popped from this queue.
 */
export class Kernel {
  now: VirtualTime = 0;
  readonly queue = new EventQueue();
  readonly random: RandomStreams;
  readonly hash = new TraceHash();
  processed = 0;
  private readonly handlers: EventHandler[] = [];
  private readonly kindNames: string[] = [];
  recorder: TraceRecorder | null = null;
  /** Set when the run reached a terminal state: no further events are processed and time stops. */
  halted = false;
  describe: ((ev: SimEvent) => string) | null = null;
  /** Set by `defer` during a handler. */
  private deferred: IoHandle | null = null;

  /**
   * Called by an event handler before it changes anything: the event must wait for real I/O (an asynchronous
   * state backend loading keys). It runs again, as if for the first time, once `io` has settled.
   */
  defer(io: IoHandle): void {
    this.deferred = io;
  }

  /** When set, every event goes to it (kinds registered with `registerKind`). */
  dispatcher: EventDispatcher | null = null;

  constructor(seed: number) {
    this.random = new RandomStreams(seed);
    // A run is a function of (scenario, seed, actions): the seed is part of what the hash covers.
    this.hash.mix(seed);
  }

  /** Registers a handler and returns its event kind number. Registration order must be deterministic. */
  register(name: string, handler: EventHandler): number {
    this.handlers.push(handler);
    this.kindNames.push(name);
    return this.handlers.length - 1;
  }

  /** Registers an event kind handled by the dispatcher. Registration order must be deterministic. */
  registerKind(name: string): number {
    this.kindNames.push(name);
    this.handlers.push(missingHandler);
    return this.kindNames.length - 1;
  }

  kindName(kind: number): string {
    return this.kindNames[kind] ?? `kind-${kind}`;
  }

  schedule(time: VirtualTime, kind: number, target: number, a = 0, ref: unknown = null): SimEvent {
    if (!Number.isSafeInteger(time)) throw new RangeError(`virtual time must be an integer, got ${time}`);
    if (time < this.now) throw new RangeError(`cannot schedule in the past: ${time} < ${this.now}`);
    return this.queue.push(time, kind, target, a, ref, null);
  }

  /** Schedules an event that must not run before the real I/O behind `io` has settled. */
  scheduleIo(
    time: VirtualTime,
    kind: number,
    target: number,
    a: number,
    ref: unknown,
    io: IoHandle,
  ): SimEvent {
    if (!Number.isSafeInteger(time)) throw new RangeError(`virtual time must be an integer, got ${time}`);
    if (time < this.now) throw new RangeError(`cannot schedule in the past: ${time} < ${this.now}`);
    return this.queue.push(time, kind, target, a, ref, io);
  }

  /** Time of the next live event, or null. */
  nextEventTime(): VirtualTime | null {
    for (;;) {
      const ev = this.queue.peek();
      if (!ev) return null;
      if (!ev.cancelled) return ev.time;
      this.queue.pop();
    }
  }

  /**
   * Processes one event if there is one at or before `limit`. Returns the event, null when nothing is due,
   * or the I/O promise to await when the next event waits on real storage.
   */
  step(limit: VirtualTime = Number.MAX_SAFE_INTEGER): SimEvent | null | Promise<void> {
    if (this.halted) return null;
    for (;;) {
      const ev = this.queue.peek();
      if (!ev || ev.time > limit) return null;
      if (ev.cancelled) {
        this.queue.pop();
        continue;
      }
      if (ev.io && !ev.io.settled) return ev.io.promise;
      this.queue.pop();
      const before = this.now;
      this.now = ev.time;
      this.processed++;
      const h = this.hash;
      const l1 = h.lane1;
      const l2 = h.lane2;
      h.mix(ev.time);
      h.mix32(ev.kind);
      h.mix32(ev.target);
      h.mix(ev.a);
      if (this.dispatcher !== null) this.dispatcher.dispatch(ev);
      else (this.handlers[ev.kind] as EventHandler)(ev);
      const io = this.deferred;
      if (io !== null) {
        // The handler found it must wait for real I/O before doing anything: the event goes back into the queue
        // unchanged (same time and sequence number) and leaves no trace, so I/O never changes the run.
        this.deferred = null;
        this.processed--;
        this.now = before;
        h.setLanes([l1, l2]);
        ev.io = io;
        this.queue.reinsert(ev);
        return io.promise;
      }
      if (this.recorder) this.recorder.record(ev, this);
      return ev;
    }
  }

  /** Runs every event up to and including `limit` (synchronously, until one waits on real I/O). */
  runUntil(limit: VirtualTime): RunOutcome {
    for (;;) {
      const r = this.step(limit);
      if (r === null) {
        if (this.halted) return { kind: 'idle', time: this.now };
        if (this.nextEventTime() === null) {
          if (limit !== Number.MAX_SAFE_INTEGER && limit > this.now) this.now = limit;
          return { kind: 'idle', time: this.now };
        }
        if (limit > this.now) this.now = limit;
        return { kind: 'reached', time: this.now };
      }
      if (r instanceof Promise) return { kind: 'blocked', time: this.now, io: r };
    }
  }

  /** Like runUntil, awaiting real I/O where an event needs it. */
  async runUntilAsync(limit: VirtualTime): Promise<RunOutcome> {
    for (;;) {
      const r = this.runUntil(limit);
      if (r.kind !== 'blocked') return r;
      await r.io;
    }
  }
}

function missingHandler(ev: SimEvent): void {
  throw new Error(`event kind ${ev.kind} has no dispatcher`);
}
