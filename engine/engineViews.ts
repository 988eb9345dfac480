/**
 * Read-only views of a run the engine facade hands out: the topology (job graph, execution graph, channels), state
 * sizes per operator and per key group. Pure functions of the runtime; nothing here changes the run.
 */
import { isLsmBackend } from './state/lsm/index.ts';
import type { StateDetails, Topology } from './protocol.ts';
import type { JobRuntime } from './runtime/jobRuntime.ts';
import type { Scenario } from './scenario/types.ts';

/** Keyed and operator state per operator id: real encoded bytes and distinct keys. */
export type StateSummary = Record<
  string,
  { bytes: number; keys: number; subtasks: { index: number; bytes: number; keys: number }[] }
>;

/** The job graph and the execution graph of a run, as the UI draws it. */
export function topologyOf(scenario: Scenario, rt: JobRuntime): Topology {
  const g = rt.graph;
  return {
    jobName: scenario.name,
    scenarioName: scenario.name,
    seed: scenario.seed,
    operators: scenario.operators.map((o) => {
      const v = g.vertices.find((x) => x.operators.includes(o));
      return {
        id: o.id,
        name: o.name,
        kind: o.kind,
        parallelism: o.parallelism,
        maxParallelism: v?.maxParallelism ?? o.parallelism,
        keyBy: o.keyBy,
        vertexId: v?.id ?? o.id,
      };
    }),
    vertices: g.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      operatorIds: v.operators.map((o) => o.id),
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      depth: v.depth,
    })),
    edges: g.edges.map((e) => ({ from: e.from.id, to: e.to.id, partitioner: e.partitioner })),
    subtasks: g.subtasks.map((s) => ({
      index: s.index,
      vertexId: s.vertex.id,
      subtaskIndex: s.subtaskIndex,
      name: s.name,
      taskManager: s.taskManager,
      slot: s.slot,
      keyGroupRange: s.keyGroupRange ? { start: s.keyGroupRange.start, end: s.keyGroupRange.end } : null,
    })),
    channels: rt.channels.map((c) => ({
      index: c.index,
      from: c.info.from.index,
      to: c.info.to.index,
      partitioner: c.info.edge.partitioner,
      capacity: c.capacity,
    })),
    taskManagers: Array.from({ length: scenario.cluster.taskManagers }, (_, i) => ({
      index: i,
      name: `tm-${i}`,
      slots: scenario.cluster.slotsPerTaskManager,
    })),
    sinks: rt.sinkOperators.map((s) => ({ ...s })),
  };
}

/** Keyed and operator state per operator id: real encoded bytes and distinct keys. */
export function stateSummaryOf(rt: JobRuntime): StateSummary {
  const out: StateSummary = {};
  for (const t of rt.tasks) {
    t.info.vertex.operators.forEach((spec, i) => {
      const entry = (out[spec.id] ??= { bytes: 0, keys: 0, subtasks: [] });
      let bytes = t.chain.operatorStates[i]?.stateSize() ?? 0;
      let keys = 0;
      if (i === 0) {
        for (const b of t.chain.keyedBackends) {
          const s = b.stats();
          bytes += s.bytes;
          keys += s.keys;
        }
      }
      entry.bytes += bytes;
      entry.keys += keys;
      entry.subtasks.push({ index: t.info.subtaskIndex, bytes, keys });
    });
  }
  return out;
}

/** Per key group state of one subtask's keyed operator. */
export function stateDetailsOf(rt: JobRuntime, subtask: number): StateDetails {
  const t = rt.tasks[subtask];
  if (!t) throw new RangeError(`no subtask ${subtask}`);
  const keyed = t.chain.keyed.findIndex((b) => b !== null);
  const b = keyed >= 0 ? t.chain.keyed[keyed] : null;
  const s = b ? b.stats() : null;
  return {
    subtask,
    operatorId: keyed >= 0 ? (t.info.vertex.operators[keyed]?.id ?? null) : null,
    keyGroupRange: t.info.keyGroupRange ? { ...t.info.keyGroupRange } : null,
    bytes: s?.bytes ?? 0,
    keys: s?.keys ?? 0,
    timers: s?.timers ?? 0,
    perKeyGroup: s ? s.perKeyGroup.map((k) => ({ keyGroup: k.keyGroup, bytes: k.bytes, keys: k.keys })) : [],
    lsm: isLsmBackend(b) ? b.lsmDetails() : null,
  };
}
