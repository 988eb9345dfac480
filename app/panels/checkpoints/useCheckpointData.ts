/**
 * One checkpoint's details and per-subtask statistics (REST details + details/subtasks per vertex), as the engine
 * reports them at the shown frame (one moment per screen: moving the playhead back into a checkpoint shows it in
 * progress, as it was then).
 */
import { useMomentQuery } from '../../store/useMoment.ts';
import type { CheckpointStatistics, SubtaskDetails } from './rest.ts';

export interface CheckpointData {
  details: CheckpointStatistics;
  vertices: SubtaskDetails[];
}

export function useCheckpointData(id: number | null, enabled = true): CheckpointData | null {
  return useMomentQuery<CheckpointData>(
    enabled && id !== null ? { key: `checkpoint-detail:${id}`, kind: 'checkpointDetail', id } : null,
  );
}
