/**
 * Engine snapshots for time travel (DESIGN: Determinism, "Scrubbing back"): a deep copy of a run's object graph
 * that keeps prototypes, Maps, Sets, typed arrays and cycles. Objects registered as immutable (the scenario, the
 * execution graph, completed checkpoints, ...) are shared, not copied; an object with a `cloneForSnapshot` method
 * copies itself (structural sharing for append-only logs). Functions are shared: the engine keeps no closures over
 * run state (the kernel dispatches to an object; operator contexts are objects).
 */

/** An object that knows how to copy itself into a snapshot. */
export interface SnapshotCloneable {
  cloneForSnapshot(cloner: GraphCloner): unknown;
}

const immutable = new WeakSet<object>();

/** Marks an object (and, for the cloner, everything under it) as never changing: snapshots share it. */
export function markImmutable<T extends object>(o: T): T {
  immutable.add(o);
  return o;
}

/** Marks every object reachable from `root` as immutable (a scenario, an execution graph). */
export function markImmutableDeep(root: unknown): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    immutable.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else if (!ArrayBuffer.isView(v)) {
      for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
}

export class GraphCloner {
  private readonly memo = new Map<object, unknown>();
  /** Objects copied (for benchmarks and tests). */
  copied = 0;

  clone<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const o = value as unknown as object;
    if (immutable.has(o)) return value;
    const hit = this.memo.get(o);
    if (hit !== undefined) return hit as T;
    this.copied++;
    if (Array.isArray(o)) {
      // slice() keeps V8's elements kind (packed ints / doubles) and push() keeps arrays packed: a restored run
      // runs as fast as the original (a holey `new Array(n)` would slow every hot loop over it).
      const src = o as unknown[];
      const out = src.slice();
      this.memo.set(o, out);
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        if (v !== null && typeof v === 'object') out[i] = this.clone(v);
      }
      return out as T;
    }
    if (o instanceof Map) {
      const out = new Map<unknown, unknown>();
      this.memo.set(o, out);
      for (const [k, v] of o) out.set(this.clone(k), this.clone(v));
      return out as T;
    }
    if (o instanceof Set) {
      const out = new Set<unknown>();
      this.memo.set(o, out);
      for (const v of o) out.add(this.clone(v));
      return out as T;
    }
    if (ArrayBuffer.isView(o)) {
      const out = (o as unknown as Uint8Array).slice();
      this.memo.set(o, out);
      return out as T;
    }
    if (o instanceof Promise) throw new Error('cannot snapshot a run while real I/O is pending');
    const hook = (o as Partial<SnapshotCloneable>).cloneForSnapshot;
    if (typeof hook === 'function') {
      const out = hook.call(o, this) as object;
      this.memo.set(o, out);
      return out as T;
    }
    const out = Object.create(Object.getPrototypeOf(o) as object | null) as Record<string, unknown>;
    this.memo.set(o, out);
    const src = o as Record<string, unknown>;
    for (const k of Object.keys(src)) out[k] = this.clone(src[k]);
    return out as T;
  }
}

/** A deep copy of `root` (see GraphCloner). */
export function snapshotClone<T>(root: T): T {
  return new GraphCloner().clone(root);
}
