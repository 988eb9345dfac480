/**
 * The shapes of Flink's REST checkpoint JSON (reference 6.2) as far as the panels read them. The engine produces
 * the JSON; these types only describe it for display.
 */
import type { StatsSummaryDto } from '../../../engine/protocol.ts';

export type { StatsSummaryDto };

export interface TaskCheckpointStatistics {
  id: string;
  status: string;
  latest_ack_timestamp: number;
  checkpointed_size: number;
  state_size: number;
  end_to_end_duration: number;
  processed_data: number;
  persisted_data: number;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
}

export interface CheckpointStatistics {
  className: 'completed' | 'failed' | 'in_progress';
  id: number;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  is_savepoint: boolean;
  trigger_timestamp: number;
  latest_ack_timestamp: number;
  checkpointed_size: number;
  state_size: number;
  end_to_end_duration: number;
  processed_data: number;
  persisted_data: number;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
  checkpoint_type: string;
  tasks: Record<string, TaskCheckpointStatistics>;
  external_path?: string;
  discarded?: boolean;
  failure_timestamp?: number;
  failure_message?: string;
}

export interface CheckpointingStatistics {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  summary: Record<string, StatsSummaryDto>;
  latest: {
    completed: CheckpointStatistics | null;
    savepoint: CheckpointStatistics | null;
    failed: CheckpointStatistics | null;
    restored: { id: number; restore_timestamp: number; is_savepoint: boolean; external_path: string } | null;
  };
  history: CheckpointStatistics[];
}

export interface SubtaskEntry {
  index: number;
  status: 'completed' | 'pending_or_failed';
  ack_timestamp?: number;
  end_to_end_duration?: number;
  checkpointed_size?: number;
  state_size?: number;
  checkpoint?: { sync: number; async: number };
  alignment?: { buffered: number; processed: number; persisted: number; duration: number };
  start_delay?: number;
  unaligned_checkpoint?: boolean;
  aborted?: boolean;
}

export interface SubtaskDetails extends TaskCheckpointStatistics {
  summary: {
    checkpointed_size: StatsSummaryDto;
    state_size: StatsSummaryDto;
    end_to_end_duration: StatsSummaryDto;
    checkpoint_duration: { sync: StatsSummaryDto; async: StatsSummaryDto };
    alignment: {
      buffered: StatsSummaryDto;
      processed: StatsSummaryDto;
      persisted: StatsSummaryDto;
      duration: StatsSummaryDto;
    };
    start_delay: StatsSummaryDto;
  };
  subtasks: SubtaskEntry[];
}

export interface CheckpointConfigInfo {
  mode: 'exactly_once' | 'at_least_once';
  interval: number;
  timeout: number;
  min_pause: number;
  max_concurrent: number;
  externalization: { enabled: boolean; delete_on_cancellation: boolean };
  state_backend: string;
  checkpoint_storage: string;
  unaligned_checkpoints: boolean;
  tolerable_failed_checkpoints: number;
  aligned_checkpoint_timeout: number;
  checkpoints_after_tasks_finish: boolean;
  state_changelog_enabled: boolean;
  changelog_periodic_materialization_interval: number;
  changelog_storage: string;
}

/** Virtual ms (the REST timestamps of this engine) as the UI's time format. */
export function msTime(ms: number): string {
  return ms < 0 ? 'n/a' : `${(ms / 1000).toFixed(3)} s`;
}

/** A duration in ms, the way Flink's UI prints it. */
export function msDuration(ms: number | 'NaN' | undefined): string {
  if (ms === undefined || ms === 'NaN' || ms < 0) return 'n/a';
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}
