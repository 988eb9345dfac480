/** Flink's Checkpoints > Overview: counts and the latest completed, failed, savepoint and restore. */
import type { CheckpointSummaryView } from '../../../engine/protocol.ts';
import { formatBytes, formatTime } from '../../format.ts';
import { useContext } from 'react';
import { goToMs } from './goTo.ts';
import { ImportedMode, usePanelTime } from './imported.ts';
import { msDuration, type CheckpointingStatistics, type CheckpointStatistics } from './rest.ts';

function GoTo({ ms, label }: { ms: number; label: string }) {
  const imported = useContext(ImportedMode);
  if (ms < 0 || imported) return null;
  return (
    <button type="button" className="link-button" onClick={() => goToMs(ms)} aria-label={label} title={label}>
      ⤺ go there
    </button>
  );
}

function Latest({
  title,
  cp,
  kind,
}: {
  title: string;
  cp: CheckpointStatistics | null;
  kind: 'completed' | 'failed' | 'savepoint';
}) {
  const msTime = usePanelTime();
  return (
    <section className="latest" aria-label={title}>
      <h3>{title}</h3>
      {cp === null ? (
        <p className="empty">None yet.</p>
      ) : (
        <dl className="kv">
          <dt>ID</dt>
          <dd data-testid={`latest-${kind}-id`}>
            {cp.id}{' '}
            <GoTo
              ms={cp.trigger_timestamp}
              label={`Move the playhead to the trigger of checkpoint ${cp.id}`}
            />
          </dd>
          {kind === 'failed' ? (
            <>
              <dt>Failure time</dt>
              <dd>{msTime(cp.failure_timestamp ?? -1)}</dd>
              <dt>Cause</dt>
              <dd className="wrap">{cp.failure_message ?? 'n/a'}</dd>
            </>
          ) : (
            <>
              <dt>Completion time</dt>
              <dd>
                {msTime(cp.latest_ack_timestamp)}{' '}
                <GoTo
                  ms={cp.latest_ack_timestamp}
                  label={`Move the playhead to the completion of checkpoint ${cp.id}`}
                />
              </dd>
              <dt>End to end duration</dt>
              <dd>{msDuration(cp.end_to_end_duration)}</dd>
              <dt>Checkpointed data size</dt>
              <dd>{formatBytes(cp.checkpointed_size)}</dd>
              {kind === 'savepoint' && (
                <>
                  <dt>Path</dt>
                  <dd className="mono">{cp.external_path ?? 'n/a'}</dd>
                </>
              )}
            </>
          )}
        </dl>
      )}
    </section>
  );
}

export function Overview({
  stats,
  live,
}: {
  stats: CheckpointingStatistics | null;
  live: CheckpointSummaryView | null;
}) {
  const counts = stats?.counts ?? live?.counts;
  const restored = stats?.latest.restored ?? null;
  const msTime = usePanelTime();
  return (
    <div className="overview">
      <section aria-label="Checkpoint counts">
        <h3>Checkpoint counts</h3>
        <dl className="counts" data-testid="checkpoint-counts">
          {(
            [
              ['Triggered', counts?.total],
              ['In progress', counts?.in_progress],
              ['Completed', counts?.completed],
              ['Failed', counts?.failed],
              ['Restored', counts?.restored],
            ] as const
          ).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd data-count={k.toLowerCase().replace(' ', '-')}>{v ?? 0}</dd>
            </div>
          ))}
        </dl>
        {live && live.pending.length > 0 && (
          <ul className="pending-list" aria-label="Checkpoints in progress">
            {live.pending.map((p) => (
              <li key={p.id}>
                <span>
                  {p.type === 'SAVEPOINT' || p.type === 'SYNC_SAVEPOINT' ? 'Savepoint' : 'Checkpoint'} {p.id}{' '}
                  triggered at {formatTime(p.triggerTime)}
                </span>
                <progress
                  max={p.total}
                  value={p.acknowledged}
                  aria-label={`Checkpoint ${p.id} acknowledgements`}
                />
                <span className="mono">
                  {p.acknowledged}/{p.total}
                </span>
              </li>
            ))}
          </ul>
        )}
        {live && (
          <p className="muted small">
            {live.enabled
              ? `Periodic checkpoints every ${formatTime(live.intervalUs ?? 0)}, ${live.mode === 'EXACTLY_ONCE' ? 'exactly once' : 'at least once'}${live.unaligned ? ', unaligned' : ', aligned'}.`
              : 'Periodic checkpoints are disabled.'}
          </p>
        )}
      </section>
      <Latest title="Latest completed checkpoint" cp={stats?.latest.completed ?? null} kind="completed" />
      <Latest title="Latest failed checkpoint" cp={stats?.latest.failed ?? null} kind="failed" />
      <Latest title="Latest savepoint" cp={stats?.latest.savepoint ?? null} kind="savepoint" />
      <section className="latest" aria-label="Latest restore">
        <h3>Latest restore</h3>
        {restored === null ? (
          <p className="empty">None yet.</p>
        ) : (
          <dl className="kv" data-testid="latest-restore">
            <dt>ID</dt>
            <dd>{restored.id}</dd>
            <dt>Restore time</dt>
            <dd>
              {msTime(restored.restore_timestamp)}{' '}
              <GoTo ms={restored.restore_timestamp} label="Move the playhead to the restore" />
            </dd>
            <dt>Type</dt>
            <dd>{restored.is_savepoint ? 'Savepoint' : 'Checkpoint'}</dd>
            <dt>Path</dt>
            <dd className="mono">{restored.external_path}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}
