/**
 * State assignment on restore and rescale (StateAssignmentOperation, reference 4.3, 4.6, 5.3 step 4): keyed state
 * by key-group range, operator state by the RoundRobinOperatorStateRepartitioner, channel state of an unaligned
 * checkpoint into the channels ahead of new input, and the maxParallelism rule.
 */
import type { CompletedCheckpoint } from '../checkpoint/checkpointCoordinator.ts';
import type { Channel } from '../network/channel.ts';
import type { IoHandle } from '../sim/eventQueue.ts';
import type { BufferBuilder } from '../network/bufferBuilder.ts';
import { rowBytes } from '../network/channel.ts';
import type { StreamTask } from '../runtime/streamTask.ts';
import type { Row, Scenario } from '../scenario/types.ts';
import { repartitionOperatorState } from '../state/operatorStateRepartitioner.ts';
import type { KeyedStateHandle, OperatorStateHandle } from '../state/types.ts';

/** Restores one task's chain from a completed snapshot; returns the bytes it read and any real I/O to wait for. */
export function restoreTask(t: StreamTask, cp: CompletedCheckpoint): { bytes: number; io: IoHandle | null } {
  let bytes = 0;
  let io: IoHandle | null = null;
  t.info.vertex.operators.forEach((spec, i) => {
    const parts = cp.subtasks.filter((s) => s.operators[spec.id] !== undefined);
    const keyed = t.chain.keyed[i];
    if (keyed) {
      const handles = parts
        .map((s) => s.operators[spec.id]?.keyed ?? null)
        .filter((h): h is KeyedStateHandle => h !== null);
      io = keyed.restore(handles) ?? io;
      bytes += keyed.stats().bytes;
    }
    const oldP = cp.vertices.find((v) => v.operatorIds.includes(spec.id))?.parallelism ?? 0;
    const old: (OperatorStateHandle | null)[] = Array.from({ length: oldP }, () => null);
    for (const s of parts) old[s.subtaskIndex] = s.operators[spec.id]?.operator ?? null;
    const assigned = repartitionOperatorState(old, t.info.vertex.parallelism)[t.info.subtaskIndex] ?? [];
    const opState = t.chain.operatorStates[i];
    if (opState) {
      opState.restore(assigned);
      bytes += opState.stateSize();
    }
  });
  return { bytes, io };
}

/**
 * Restore of an unaligned checkpoint: its channel state goes into the channels before any new input (1.6).
 * Returns the number of records restored.
 */
export function restoreChannelState(
  channels: readonly Channel[],
  restored: ReadonlySet<number>,
  names: (subtask: number) => string,
  cp: CompletedCheckpoint,
  buffers: BufferBuilder,
  now: number,
): number {
  const bySubtask = new Map(cp.subtasks.map((s) => [`${s.vertexId}#${s.subtaskIndex}`, s]));
  let records = 0;
  for (const ch of channels) {
    if (!restored.has(ch.info.to.index)) continue;
    const inState = bySubtask.get(names(ch.info.to.index))?.channelState[`in:${ch.index}`] ?? [];
    const outState = bySubtask.get(names(ch.info.from.index))?.channelState[`out:${ch.index}`] ?? [];
    const all = [...inState, ...outState] as [Row, number, number][];
    if (all.length === 0) continue;
    records += all.length;
    const item = buffers.restoredBuffer(
      all.map((x) => x[0]),
      all.map((x) => x[1]),
      all[0] && all[0][2] >= 0 ? all.map((x) => x[2]) : null,
      all.reduce((n, x) => n + rowBytes(x[0]), 0),
      now,
    );
    ch.flight.push(item);
    ch.dataInFlight++;
  }
  return records;
}

/**
 * Max parallelism when a job starts from a snapshot (reference 4.6, StateAssignmentOperation): a configured value
 * must equal the snapshot's; a defaulted one adopts it.
 */
export function adoptMaxParallelism(scenario: Scenario, snapshot: CompletedCheckpoint): Map<string, number> {
  const out = new Map<string, number>();
  const configured = scenario.config.int('pipeline.max-parallelism');
  for (const op of scenario.operators) {
    const v = snapshot.vertices.find((x) => x.operatorIds.includes(op.id));
    if (!v) continue;
    const explicit = op.maxParallelism ?? (configured > 0 ? configured : null);
    if (explicit !== null && explicit !== v.maxParallelism) {
      throw new Error(
        `The maximum parallelism (${v.maxParallelism}) with which the latest checkpoint of the execution job vertex ` +
          `${op.name} has been taken and the current maximum parallelism (${explicit}) changed. This is currently not supported.`,
      );
    }
    if (op.parallelism > v.maxParallelism) {
      throw new Error(
        `Operator ${op.name}: parallelism ${op.parallelism} is larger than the max parallelism ${v.maxParallelism} of the snapshot it restores: Maximum parallelism must not be smaller than parallelism.`,
      );
    }
    out.set(op.id, v.maxParallelism);
  }
  return out;
}
