/**
 * Logical job graph -> execution graph (DESIGN: graph/): operator chaining into JobVertices, subtasks,
 * slot sharing onto TaskManager slots, and the channels between subtasks.
 *
 * Building it is linear in operators + subtasks + channels (no scan of all channels per subtask or per edge), and
 * each subtask lists its own input and output channels so that the runtime can wire tasks without such scans
 * either. The scenario validator bounds the sizes (engine/scenario/limits.ts).
 */
import type { OperatorSpec, PartitionerKind, Scenario } from '../scenario/types.ts';
import { computeDefaultMaxParallelism, computeKeyGroupRangeForOperatorIndex } from '../state/keyGroups.ts';
import type { KeyGroupRange } from '../state/types.ts';

export interface JobVertex {
  id: string; // id of the chain's head operator
  name: string;
  operators: OperatorSpec[]; // head first
  parallelism: number;
  maxParallelism: number;
  depth: number;
  inputs: JobEdge[];
  outputs: JobEdge[];
}

export interface JobEdge {
  from: JobVertex;
  to: JobVertex;
  /** The operator at the head of `to` that reads this edge. */
  partitioner: PartitionerKind;
  /** Downstream key selector when the edge is a keyBy (hash) edge. */
  keyBy: string | null;
}

export interface SubtaskInfo {
  index: number;
  vertex: JobVertex;
  subtaskIndex: number;
  name: string;
  slot: number;
  taskManager: number;
  /** Key groups owned by the keyed head operator of the vertex, if any (reference 4.5). */
  keyGroupRange: KeyGroupRange | null;
  /** The channels this subtask reads, by inputIndex (position i holds the channel with inputIndex i). */
  inputChannels: ChannelInfo[];
  /**
   * The channels this subtask writes, one list per output edge in the order of `vertex.outputs`, each by
   * outputIndex (for an all-to-all edge, position j is the channel to downstream subtask j).
   */
  outputChannels: ChannelInfo[][];
}

export interface ChannelInfo {
  index: number;
  edge: JobEdge;
  from: SubtaskInfo;
  to: SubtaskInfo;
  /** Position of this channel among the receiver's input channels. */
  inputIndex: number;
  /** Position among the sender's channels of this edge (= target subtask index for all-to-all edges). */
  outputIndex: number;
}

export interface ExecutionGraph {
  vertices: JobVertex[]; // topological order
  edges: JobEdge[];
  subtasks: SubtaskInfo[];
  channels: ChannelInfo[];
  slotsNeeded: number;
  totalSlots: number;
}

/** Effective max parallelism of an operator: explicit, else pipeline.max-parallelism, else Flink's default (4.5). */
export function effectiveMaxParallelism(op: OperatorSpec, scenario: Scenario): number {
  if (op.maxParallelism !== null) return op.maxParallelism;
  const configured = scenario.config.int('pipeline.max-parallelism');
  if (configured > 0) return configured;
  return computeDefaultMaxParallelism(op.parallelism);
}

/**
 * Flink's chaining rule (StreamingJobGraphGenerator.isChainable), restricted to linear chains: the downstream
 * operator has exactly one input, the upstream exactly one output, the edge is forward with equal parallelism,
 * chaining is enabled globally and neither side opted out.
 */
function chainable(
  up: OperatorSpec,
  down: OperatorSpec,
  outDegree: Map<string, number>,
  enabled: boolean,
): boolean {
  return (
    enabled &&
    down.inputs.length === 1 &&
    (outDegree.get(up.id) ?? 0) === 1 &&
    down.partitioner === 'forward' &&
    up.parallelism === down.parallelism &&
    up.chaining !== 'never' &&
    down.chaining === 'default'
  );
}

function chainName(ops: OperatorSpec[]): string {
  return ops.map((o) => (o.kind === 'source' ? `Source: ${o.name}` : o.name)).join(' -> ');
}

/**
 * `adoptedMaxParallelism`: operator id -> max parallelism of the snapshot a job starts from. Flink adopts the
 * snapshot's value when the new job's max parallelism was only defaulted (reference 4.6).
 */
export function buildExecutionGraph(
  scenario: Scenario,
  adoptedMaxParallelism: ReadonlyMap<string, number> = new Map(),
): ExecutionGraph {
  const ops = scenario.operators;
  const byId = new Map(ops.map((o) => [o.id, o]));
  const outDegree = new Map<string, number>();
  for (const o of ops) for (const i of o.inputs) outDegree.set(i, (outDegree.get(i) ?? 0) + 1);
  const chainingEnabled = scenario.config.bool('pipeline.operator-chaining.enabled');

  // Assign each operator to the vertex of its chain head (operators are in topological order).
  const vertexOf = new Map<string, JobVertex>();
  const vertices: JobVertex[] = [];
  for (const op of ops) {
    const upId = op.inputs.length === 1 ? op.inputs[0] : undefined;
    const up = upId !== undefined ? byId.get(upId) : undefined;
    if (up && chainable(up, op, outDegree, chainingEnabled)) {
      const v = vertexOf.get(up.id);
      if (!v) throw new Error(`internal: operator ${up.id} has no vertex`);
      v.operators.push(op);
      vertexOf.set(op.id, v);
      continue;
    }
    const v: JobVertex = {
      id: op.id,
      name: '',
      operators: [op],
      parallelism: op.parallelism,
      maxParallelism: adoptedMaxParallelism.get(op.id) ?? effectiveMaxParallelism(op, scenario),
      depth: 0,
      inputs: [],
      outputs: [],
    };
    vertices.push(v);
    vertexOf.set(op.id, v);
  }

  const edges: JobEdge[] = [];
  for (const v of vertices) {
    v.name = chainName(v.operators);
    const head = v.operators[0] as OperatorSpec;
    for (const inId of head.inputs) {
      const from = vertexOf.get(inId);
      if (!from) throw new Error(`internal: input ${inId} of ${head.id} has no vertex`);
      const e: JobEdge = { from, to: v, partitioner: head.partitioner, keyBy: head.keyBy };
      edges.push(e);
      from.outputs.push(e);
      v.inputs.push(e);
      v.depth = Math.max(v.depth, from.depth + 1);
    }
  }

  // Slot sharing (one default group): subtask i of every vertex goes to shared slot i (Flink's default).
  const slotsPerTm = scenario.cluster.slotsPerTaskManager;
  const subtasks: SubtaskInfo[] = [];
  let slotsNeeded = 0;
  const firstSubtask = new Map<JobVertex, number>();
  for (const v of vertices) {
    slotsNeeded = Math.max(slotsNeeded, v.parallelism);
    firstSubtask.set(v, subtasks.length);
    const head = v.operators[0] as OperatorSpec;
    for (let i = 0; i < v.parallelism; i++) {
      subtasks.push({
        index: subtasks.length,
        vertex: v,
        subtaskIndex: i,
        name: `${v.id}#${i}`,
        slot: i,
        taskManager: Math.floor(i / slotsPerTm),
        keyGroupRange:
          head.keyBy !== null
            ? computeKeyGroupRangeForOperatorIndex(v.maxParallelism, v.parallelism, i)
            : null,
        inputChannels: [],
        outputChannels: v.outputs.map(() => []),
      });
    }
  }
  const sub = (v: JobVertex, i: number): SubtaskInfo =>
    subtasks[(firstSubtask.get(v) as number) + i] as SubtaskInfo;

  // Channels: edge by edge, sender by sender, receiver by receiver (so each list below is filled in order).
  const channels: ChannelInfo[] = [];
  for (const e of edges) {
    const position = e.from.outputs.indexOf(e);
    const forward = e.partitioner === 'forward';
    for (let i = 0; i < e.from.parallelism; i++) {
      const from = sub(e.from, i);
      const out = from.outputChannels[position] as ChannelInfo[];
      const targets = forward ? 1 : e.to.parallelism;
      for (let k = 0; k < targets; k++) {
        const to = sub(e.to, forward ? i : k);
        const channel: ChannelInfo = {
          index: channels.length,
          edge: e,
          from,
          to,
          inputIndex: to.inputChannels.length,
          outputIndex: k,
        };
        channels.push(channel);
        out.push(channel);
        to.inputChannels.push(channel);
      }
    }
  }

  return {
    vertices,
    edges,
    subtasks,
    channels,
    slotsNeeded,
    totalSlots: scenario.cluster.taskManagers * slotsPerTm,
  };
}
