/**
 * One checkpoint's details and per-subtask statistics (REST details + details/subtasks per vertex). Final ones
 * (completed or failed) are cached for the current timeline, so moving the playhead back into the checkpoint still
 * shows the whole of it.
 */
import { engineClient } from '../../engineClient.ts';
import { useEngineQuery } from '../../hooks/useEngineQuery.ts';
import { useLab } from '../../store/index.ts';
import type { CheckpointStatistics, SubtaskDetails } from './rest.ts';

export interface CheckpointData {
  details: CheckpointStatistics;
  vertices: SubtaskDetails[];
}

const cache = new Map<string, CheckpointData>();

async function load(id: number, version: number): Promise<CheckpointData | null> {
  const key = `${version}:${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const details = (await engineClient.checkpointDetails(id)) as CheckpointStatistics | null;
  if (details === null) return null;
  const vertices = await Promise.all(
    Object.keys(details.tasks).map((v) => engineClient.subtaskDetails(id, v) as Promise<SubtaskDetails>),
  );
  const data = { details, vertices: vertices.filter((v): v is SubtaskDetails => v !== null) };
  if (details.status !== 'IN_PROGRESS') {
    if (cache.size > 200) cache.clear();
    cache.set(key, data);
  }
  return data;
}

export function useCheckpointData(id: number | null, enabled = true): CheckpointData | null {
  const version = useLab((s) => s.runVersion);
  return useEngineQuery(() => (id === null ? Promise.resolve(null) : load(id, version)), `${version}:${id}`, {
    enabled: enabled && id !== null,
    minIntervalMs: 300,
  });
}
