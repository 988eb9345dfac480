/**
 * Port of Flink's RoundRobinOperatorStateRepartitioner (reference 4.3). A handle's per-state element list
 * stands for Flink's partition offsets; each old subtask's handle stands for its StreamStateHandle, so the
 * "merge map" per new subtask is keyed by old subtask index.
 *
 * Where Flink's outcome depends on Java HashMap iteration order, this port reproduces it deterministically:
 * - state names are visited in the order a default java.util.HashMap<String, ...> iterates them (bucket
 *   (h ^ h >>> 16) & (capacity - 1) with the capacity grown from 16 at load factor 0.75, first appearance
 *   within a bucket; tree bins, which need 8+ names in one bucket, are not modelled). This matters for
 *   SPLIT_DISTRIBUTE: the rotating start index carries over from one state name to the next.
 * - a new subtask's handles are returned in old-subtask order (Flink: HashMap order of StreamStateHandles),
 *   which keeps the concatenation order of the elements.
 */
import { javaStringHashCode } from './keyGroups.ts';
import type { OperatorStateHandle, OperatorStateMode } from './types.ts';

type StateEntry = OperatorStateHandle['states'][number];

/** (old subtask index, that subtask's entry for one state name): Flink's Tuple2<StreamStateHandle, StateMetaInfo>. */
interface Located {
  readonly oldIndex: number;
  readonly state: StateEntry;
}

/** Per new subtask: old subtask index -> (state name -> entry); Flink's Map<StreamStateHandle, OperatorStateHandle>. */
type MergeMap = Map<number, Map<string, StateEntry>>;

/** The iteration order of a java.util.HashMap<String, V> built by inserting `names` (unique) in order. */
export function javaHashMapOrder(names: readonly string[]): string[] {
  let capacity = 16;
  while (names.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string) => {
    const h = javaStringHashCode(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return names
    .map((name, i) => ({ name, i, b: bucket(name) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.name);
}

function put(mergeMap: MergeMap, oldIndex: number, name: string, state: StateEntry): void {
  let handle = mergeMap.get(oldIndex);
  if (handle === undefined) {
    handle = new Map();
    mergeMap.set(oldIndex, handle);
  }
  handle.set(name, state);
}

/** Groups entries by mode, then by state name (HashMap order), each name's entries in old-subtask order. */
function groupByStateMode(
  oldHandles: readonly (OperatorStateHandle | null | undefined)[],
): Record<OperatorStateMode, Map<string, Located[]>> {
  const byMode: Record<OperatorStateMode, Map<string, Located[]>> = {
    SPLIT_DISTRIBUTE: new Map(),
    UNION: new Map(),
    BROADCAST: new Map(),
  };
  oldHandles.forEach((h, oldIndex) => {
    if (h === null || h === undefined) return;
    for (const state of h.states) {
      const m = byMode[state.mode];
      let list = m.get(state.name);
      if (list === undefined) {
        list = [];
        m.set(state.name, list);
      }
      list.push({ oldIndex, state });
    }
  });
  for (const mode of ['SPLIT_DISTRIBUTE', 'UNION', 'BROADCAST'] as const) {
    const m = byMode[mode];
    const ordered = new Map<string, Located[]>();
    for (const name of javaHashMapOrder([...m.keys()])) ordered.set(name, m.get(name) as Located[]);
    byMode[mode] = ordered;
  }
  return byMode;
}

/** SPLIT_DISTRIBUTE, parallelism changed (reference 4.3): contiguous slices, rotating start index. */
function repartitionSplitState(
  nameToDistributeState: Map<string, Located[]>,
  newParallelism: number,
  mergeMapList: MergeMap[],
): void {
  let startParallelOp = 0;
  for (const [name, current] of nameToDistributeState) {
    let totalPartitions = 0;
    for (const l of current) totalPartitions += l.state.elements.length;

    let lstIdx = 0;
    let offsetIdx = 0;
    const baseFraction = Math.floor(totalPartitions / newParallelism);
    let remainder = totalPartitions % newParallelism;
    let newStartParallelOp = startParallelOp;

    for (let i = 0; i < newParallelism; i++) {
      const parallelOpIdx = (i + startParallelOp) % newParallelism;
      let numberOfPartitionsToAssign = baseFraction;
      if (remainder > 0) {
        numberOfPartitionsToAssign++;
        remainder--;
      } else if (remainder === 0) {
        // out of odd partitions: the next state name starts its round here (fair load balance)
        newStartParallelOp = parallelOpIdx;
        remainder--;
      }
      while (numberOfPartitionsToAssign > 0) {
        const located = current[lstIdx] as Located;
        const elements = located.state.elements;
        const remaining = elements.length - offsetIdx;
        let offs: readonly Uint8Array[];
        if (remaining > numberOfPartitionsToAssign) {
          offs = elements.slice(offsetIdx, offsetIdx + numberOfPartitionsToAssign);
          offsetIdx += numberOfPartitionsToAssign;
        } else {
          offs = elements.slice(offsetIdx);
          offsetIdx = 0;
          lstIdx++;
        }
        numberOfPartitionsToAssign -= remaining;
        put(mergeMapList[parallelOpIdx] as MergeMap, located.oldIndex, name, {
          name,
          mode: 'SPLIT_DISTRIBUTE',
          elements: offs,
        });
      }
    }
    startParallelOp = newStartParallelOp;
  }
}

/** UNION: every new subtask gets every old entry (reference 4.3). */
function repartitionUnionState(unionState: Map<string, Located[]>, mergeMapList: MergeMap[]): void {
  for (const mergeMap of mergeMapList) {
    for (const [name, entries] of unionState) {
      for (const l of entries) put(mergeMap, l.oldIndex, name, l.state);
    }
  }
}

/** BROADCAST: new subtask i reads the copy of reporting subtask (i mod reporters) (reference 4.3). */
function repartitionBroadcastState(broadcastState: Map<string, Located[]>, mergeMapList: MergeMap[]): void {
  mergeMapList.forEach((mergeMap, i) => {
    for (const [name, entries] of broadcastState) {
      const l = entries[i % entries.length] as Located;
      put(mergeMap, l.oldIndex, name, l.state);
    }
  });
}

function toHandles(mergeMap: MergeMap): OperatorStateHandle[] {
  return [...mergeMap.keys()]
    .sort((a, b) => a - b)
    .map((oldIndex) => {
      const states = [...(mergeMap.get(oldIndex) as Map<string, StateEntry>).values()];
      let stateSize = 0;
      for (const s of states) for (const e of s.elements) stateSize += e.length;
      return { kind: 'operator', states, stateSize };
    });
}

/**
 * Which handles each new subtask restores from. `oldHandles[i]` is old subtask i's operator state (null or
 * undefined when it reported none). Result[j] is the list for new subtask j.
 *
 * - Same parallelism: subtask i gets exactly old handle i, unless there is UNION state (every subtask also gets
 *   the other subtasks' union entries) or BROADCAST state reported by only some subtasks (subtask i also gets
 *   reporter i mod reporters' copy).
 * - Changed parallelism: SPLIT_DISTRIBUTE by even split with a rotating start index, UNION to everyone,
 *   BROADCAST round robin over the reporting subtasks.
 */
export function repartitionOperatorState(
  oldHandles: readonly (OperatorStateHandle | null | undefined)[],
  newParallelism: number,
): OperatorStateHandle[][] {
  if (!(Number.isInteger(newParallelism) && newParallelism > 0)) {
    throw new RangeError('New parallelism must be a positive integer, got ' + String(newParallelism));
  }
  const oldParallelism = oldHandles.length;
  let mergeMapList: MergeMap[];

  if (newParallelism === oldParallelism) {
    const byMode = groupByStateMode(oldHandles);
    const unionStates = byMode.UNION;
    const partlyReportedBroadcast = new Map<string, Located[]>();
    for (const [name, entries] of byMode.BROADCAST) {
      const reporters = new Set(entries.map((l) => l.oldIndex)).size;
      // Flink's StateEntry.isPartiallyReported: some, but not all, subtasks reported the state
      if (reporters > 0 && reporters < oldParallelism) partlyReportedBroadcast.set(name, entries);
    }
    if (unionStates.size === 0 && partlyReportedBroadcast.size === 0) {
      return oldHandles.map((h) => (h === null || h === undefined ? [] : [h]));
    }
    mergeMapList = oldHandles.map((h, i) => {
      const m: MergeMap = new Map();
      if (h !== null && h !== undefined) for (const s of h.states) put(m, i, s.name, s);
      return m;
    });
    repartitionUnionState(unionStates, mergeMapList);
    repartitionBroadcastState(partlyReportedBroadcast, mergeMapList);
  } else {
    const byMode = groupByStateMode(oldHandles);
    mergeMapList = Array.from({ length: newParallelism }, () => new Map() as MergeMap);
    repartitionSplitState(byMode.SPLIT_DISTRIBUTE, newParallelism, mergeMapList);
    repartitionUnionState(byMode.UNION, mergeMapList);
    repartitionBroadcastState(byMode.BROADCAST, mergeMapList);
  }
  return mergeMapList.map(toHandles);
}
