/**
 * Failover regions (reference 5.2): which tasks restart when one fails.
 *
 * A pipelined region is a set of vertices connected by pipelined exchanges; blocking exchanges are region
 * boundaries, except that regions forming a cycle over blocking exchanges are merged (Flink's
 * SchedulingPipelinedRegionComputeUtil: raw regions from "must be pipelined" results, then mergeRegionsOnCycles
 * with Tarjan's strongly connected components, FLINK-17330). A streaming job's exchanges are all pipelined, so a
 * connected job graph is ONE region; only disconnected pipelines restart independently.
 *
 * Regions exist at two granularities here:
 * - job vertices (computePipelinedRegions / verticesToRestart): what the job graph shows;
 * - subtasks (computeSubtaskRegions / tasksToRestart): what Flink actually computes, over execution vertices.
 *   A forward (pointwise) edge connects subtask i to subtask i only, so a forward-only pipeline with
 *   parallelism p has p regions (source#0 -> map#0 -> sink#0 is one); any all-to-all edge (hash, rebalance,
 *   broadcast) connects every subtask of both vertices and so joins them into one region.
 *
 * Restart set under the 'region' strategy (RestartPipelinedRegionFailoverStrategy.getRegionsToRestart): the
 * failed task's region; plus, for every involved region, the producer region of each consumed result that is not
 * available; plus all consumer regions of every involved region. Under 'full': every task.
 *
 * Deterministic ordering: a region lists its members in input order; regions are ordered by their first member's
 * input position.
 */

/** An exchange between two vertices (or two subtasks). Pipelined unless `blocking`. */
export interface RegionLink {
  readonly from: string;
  readonly to: string;
  readonly blocking?: boolean;
}

/** A subtask (execution vertex): its id, its job vertex and its subtask index. */
export interface SubtaskRef {
  readonly id: string;
  readonly vertex: string;
  readonly index: number;
}

/** `jobmanager.execution.failover-strategy`. */
export type FailoverStrategyName = 'region' | 'full';

/**
 * Whether the result a producer wrote for a consumer over a blocking exchange is still available (a lost
 * TaskManager loses the partitions it held). Defaults to "available", as Flink's checker without data errors.
 */
export type ResultAvailability = (producer: string, consumer: string) => boolean;

interface RegionTopology {
  /** Regions as indices into `ids`, each ascending; regions ordered by their first member. */
  readonly regions: number[][];
  /** ids[i] belongs to regions[regionOf[i]]. */
  readonly regionOf: Int32Array;
  readonly index: ReadonlyMap<string, number>;
}

function indexIds(ids: readonly string[], what: string): Map<string, number> {
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new Error(`duplicate ${what} id "${id}"`);
    index.set(id, i);
  });
  return index;
}

function endpoint(index: ReadonlyMap<string, number>, id: string, what: string): number {
  const i = index.get(id);
  if (i === undefined) throw new Error(`link refers to unknown ${what} "${id}"`);
  return i;
}

function find(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root] as number;
  let cur = x;
  while (parent[cur] !== root) {
    const next = parent[cur] as number;
    parent[cur] = root;
    cur = next;
  }
  return root;
}

/** Union by smaller index, so every root is its set's first member (deterministic). */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return;
  if (ra < rb) parent[rb] = ra;
  else parent[ra] = rb;
}

/** Groups 0..n-1 by `key` (a representative index); groups ordered by first member, members ascending. */
function groupBy(n: number, key: (i: number) => number): { groups: number[][]; groupOf: Int32Array } {
  const groupOf = new Int32Array(n);
  const byKey = new Map<number, number>();
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const k = key(i);
    let g = byKey.get(k);
    if (g === undefined) {
      g = groups.length;
      byKey.set(k, g);
      groups.push([]);
    }
    (groups[g] as number[]).push(i);
    groupOf[i] = g;
  }
  return { groups, groupOf };
}

/**
 * Strongly connected components of a directed graph (iterative Tarjan); returns comp[v], the smallest vertex
 * of v's component (a deterministic representative).
 */
function stronglyConnected(n: number, out: readonly (readonly number[])[]): Int32Array {
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  for (let start = 0; start < n; start++) {
    if (order[start] !== -1) continue;
    const work: [number, number][] = [[start, 0]];
    order[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, k] = frame;
      const edges = out[v] ?? [];
      if (k < edges.length) {
        frame[1] = k + 1;
        const w = edges[k] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w] === 1) {
          low[v] = Math.min(low[v] as number, order[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === order[v]) {
        const members: number[] = [];
        for (;;) {
          const w = stack.pop() as number;
          onStack[w] = 0;
          members.push(w);
          if (w === v) break;
        }
        const rep = Math.min(...members);
        for (const w of members) comp[w] = rep;
      }
    }
  }
  return comp;
}

function buildTopology(ids: readonly string[], links: readonly RegionLink[], what: string): RegionTopology {
  const index = indexIds(ids, what);
  const n = ids.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const ends = links.map((l) => [endpoint(index, l.from, what), endpoint(index, l.to, what)] as const);
  links.forEach((l, k) => {
    const [a, b] = ends[k] as readonly [number, number];
    if (l.blocking !== true) union(parent, a, b);
  });
  const raw = groupBy(n, (i) => find(parent, i));

  // Regions connected in a cycle by blocking exchanges are merged (mergeRegionsOnCycles).
  const outSets = raw.groups.map(() => new Set<number>());
  links.forEach((l, k) => {
    if (l.blocking !== true) return;
    const [a, b] = ends[k] as readonly [number, number];
    const ra = raw.groupOf[a] as number;
    const rb = raw.groupOf[b] as number;
    if (ra !== rb) (outSets[ra] as Set<number>).add(rb);
  });
  const out = outSets.map((s) => [...s].sort((x, y) => x - y));
  const comp = stronglyConnected(raw.groups.length, out);
  const merged = groupBy(n, (i) => comp[raw.groupOf[i] as number] as number);
  return { regions: merged.groups, regionOf: merged.groupOf, index };
}

/**
 * Regions to restart for a failure in `failedRegion` (RestartPipelinedRegionFailoverStrategy.getRegionsToRestart,
 * breadth-first in link order); returns region indices ascending.
 */
function regionsToRestart(
  topo: RegionTopology,
  failedRegion: number,
  links: readonly RegionLink[],
  isResultAvailable: ResultAvailability,
): number[] {
  const regionCount = topo.regions.length;
  // Exchanges that cross regions, by producer region and by consumer region, in link order.
  const outgoing: number[][] = Array.from({ length: regionCount }, () => []);
  const incoming: number[][] = Array.from({ length: regionCount }, () => []);
  links.forEach((l, k) => {
    const from = topo.regionOf[topo.index.get(l.from) as number] as number;
    const to = topo.regionOf[topo.index.get(l.to) as number] as number;
    if (from === to) return;
    (outgoing[from] as number[]).push(k);
    (incoming[to] as number[]).push(k);
  });
  const visited = new Uint8Array(regionCount);
  const queue = [failedRegion];
  visited[failedRegion] = 1;
  for (let head = 0; head < queue.length; head++) {
    const r = queue[head] as number;
    // A needed input result that is not available: its producer region is involved.
    for (const k of incoming[r] as number[]) {
      const l = links[k] as RegionLink;
      if (isResultAvailable(l.from, l.to)) continue;
      const producer = topo.regionOf[topo.index.get(l.from) as number] as number;
      if (visited[producer] === 0) {
        visited[producer] = 1;
        queue.push(producer);
      }
    }
    // Every consumer region of an involved region is involved.
    for (const k of outgoing[r] as number[]) {
      const consumer = topo.regionOf[topo.index.get((links[k] as RegionLink).to) as number] as number;
      if (visited[consumer] === 0) {
        visited[consumer] = 1;
        queue.push(consumer);
      }
    }
  }
  return queue.sort((a, b) => a - b);
}

const ALWAYS_AVAILABLE: ResultAvailability = () => true;

function toIds(ids: readonly string[], regions: readonly number[][]): string[][] {
  return regions.map((r) => r.map((i) => ids[i] as string));
}

/**
 * Pipelined regions of a job graph: vertices joined by a pipelined edge (either direction) share a region;
 * blocking edges are boundaries unless they close a cycle between regions. Regions list vertex ids in input order
 * and are ordered by their first vertex.
 */
export function computePipelinedRegions(
  vertices: readonly string[],
  edges: readonly RegionLink[],
): string[][] {
  return toIds(vertices, buildTopology(vertices, edges, 'vertex').regions);
}

/**
 * Vertices to restart when `failedVertex` fails, in input order. 'full': all vertices. 'region': the failed
 * vertex's region, producer regions of unavailable blocking inputs (see `isResultAvailable`), and every consumer
 * region of a restarted region; with only pipelined edges that is the failed vertex's region itself.
 */
export function verticesToRestart(
  failedVertex: string,
  strategy: FailoverStrategyName,
  vertices: readonly string[],
  edges: readonly RegionLink[],
  isResultAvailable: ResultAvailability = ALWAYS_AVAILABLE,
): string[] {
  const topo = buildTopology(vertices, edges, 'vertex');
  const failed = topo.index.get(failedVertex);
  if (failed === undefined) throw new Error(`unknown failed vertex "${failedVertex}"`);
  if (strategy === 'full') return [...vertices];
  const restart = regionsToRestart(topo, topo.regionOf[failed] as number, edges, isResultAvailable);
  const members = restart.flatMap((r) => topo.regions[r] as number[]).sort((a, b) => a - b);
  return members.map((i) => vertices[i] as string);
}

/**
 * Pipelined regions at subtask granularity (what Flink's scheduler computes): connected components over the
 * subtask-level channels (a channel may be `blocking`; streaming channels are pipelined). Regions list subtask ids
 * in input order and are ordered by their first subtask.
 */
export function computeSubtaskRegions(
  subtasks: readonly SubtaskRef[],
  channels: readonly RegionLink[],
): string[][] {
  const ids = subtasks.map((s) => s.id);
  return toIds(ids, buildTopology(ids, channels, 'subtask').regions);
}

/**
 * Subtasks to restart when `failedSubtask` fails, given the regions from computeSubtaskRegions. 'full': every
 * subtask; 'region': the failed subtask's region plus, when `channels` are given, consumer regions reached over
 * channels between regions (only blocking channels cross regions) and producer regions of unavailable results.
 * Order: regions in the given order, each region's subtasks in its order.
 */
export function tasksToRestart(
  failedSubtask: string,
  strategy: FailoverStrategyName,
  regions: readonly (readonly string[])[],
  channels: readonly RegionLink[] = [],
  isResultAvailable: ResultAvailability = ALWAYS_AVAILABLE,
): string[] {
  const ids = regions.flat();
  const index = indexIds(ids, 'subtask');
  const regionOf = new Int32Array(ids.length);
  const asIndices: number[][] = [];
  let next = 0;
  regions.forEach((r, g) => {
    const members: number[] = [];
    for (let k = 0; k < r.length; k++) {
      regionOf[next] = g;
      members.push(next++);
    }
    asIndices.push(members);
  });
  const failed = index.get(failedSubtask);
  if (failed === undefined) throw new Error(`unknown failed subtask "${failedSubtask}"`);
  if (strategy === 'full') return ids;
  for (const c of channels) {
    endpoint(index, c.from, 'subtask');
    endpoint(index, c.to, 'subtask');
  }
  const topo: RegionTopology = { regions: asIndices, regionOf, index };
  const restart = regionsToRestart(topo, regionOf[failed] as number, channels, isResultAvailable);
  return restart.flatMap((r) => (asIndices[r] as number[]).map((i) => ids[i] as string));
}
