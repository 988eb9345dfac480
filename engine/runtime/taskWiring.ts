/**
 * Wiring of a job's tasks (DESIGN: network/): one StreamTask per subtask, and every channel of the execution graph
 * created once and attached to its two ends: the receiver's input gate (SingleInputGateFactory) and the sender's
 * record writer, in output-index order (ResultPartitionFactory). Linear in the number of channels.
 */
import { Channel } from '../network/channel.ts';
import type { OperatorSpec } from '../scenario/types.ts';
import type { JobRuntime } from './jobRuntime.ts';
import { StreamTask } from './streamTask.ts';

/** Tasks and channels of `rt`'s execution graph; the tasks' gates and writers are sealed. */
export function buildTasksAndChannels(rt: JobRuntime): void {
  const g = rt.graph;
  const buffersPerChannel = rt.scenario.config.int('taskmanager.network.memory.buffers-per-channel');
  const floating = rt.scenario.config.int('taskmanager.network.memory.floating-buffers-per-gate');
  for (const s of g.subtasks) {
    rt.tasks.push(new StreamTask(s, rt, rt.kernel.random.stream(`rebalance/${s.name}`)));
  }
  const inputsPer = new Map<number, number>();
  for (const c of g.channels) inputsPer.set(c.to.index, (inputsPer.get(c.to.index) ?? 0) + 1);
  // Output channels per (sender task, edge), in output-index order.
  const outs = new Map<string, Channel[]>();
  for (const c of g.channels) {
    // Exclusive buffers per channel plus an even share of the gate's floating buffers (at least one).
    const n = inputsPer.get(c.to.index) ?? 1;
    const capacity = buffersPerChannel + Math.max(1, Math.floor(floating / n));
    const ch = new Channel(c, capacity);
    rt.channels.push(ch);
    rt.taskOf(c.to.index).gate.add(ch);
    const key = `${c.from.index}/${c.edge.from.id}->${c.edge.to.id}`;
    const list = outs.get(key);
    if (list) list.push(ch);
    else outs.set(key, [ch]);
  }
  for (const t of rt.tasks) {
    t.gate.seal();
    // StreamGraphGenerator.shouldDisableUnalignedCheckpointing: a pointwise (forward) or broadcast input makes every
    // input of the task forced aligned (StreamEdge.supportsUnalignedCheckpoints = false).
    const supported = t.gate.channels.every(
      (c) => c.info.edge.partitioner === 'hash' || c.info.edge.partitioner === 'rebalance',
    );
    for (const c of t.gate.channels) c.unalignedSupported = supported;
    for (const e of t.info.vertex.outputs) {
      const chans = (outs.get(`${t.index}/${e.from.id}->${e.to.id}`) ?? []).sort(
        (a, b) => a.info.outputIndex - b.info.outputIndex,
      );
      t.writer.addOutput({
        edge: e,
        channels: chans,
        next: 0,
        keyField: e.keyBy,
        keyType: (e.to.operators[0] as OperatorSpec).keyType,
        maxParallelism: e.to.maxParallelism,
        parallelism: e.to.parallelism,
      });
    }
    t.writer.initRebalance();
  }
}
