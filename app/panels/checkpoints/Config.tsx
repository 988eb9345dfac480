/** Flink's Checkpoints > Configuration, from GET /jobs/:id/checkpoints/config. */
import { msDuration, type CheckpointConfigInfo } from './rest.ts';

/** Long.MAX_VALUE (disabled) arrives as a double a little above 9.2e18. */
const DISABLED_ABOVE = 1e15;

export function Config({ config }: { config: CheckpointConfigInfo | null }) {
  if (config === null) return <p className="muted">Loading…</p>;
  const rows: [string, string][] = [
    ['Checkpointing mode', config.mode === 'exactly_once' ? 'Exactly Once' : 'At Least Once'],
    ['Checkpoint storage', config.checkpoint_storage],
    ['State backend', config.state_backend],
    [
      'Interval',
      config.interval > DISABLED_ABOVE ? 'Periodic checkpoints disabled' : msDuration(config.interval),
    ],
    ['Timeout', msDuration(config.timeout)],
    ['Minimum pause between checkpoints', msDuration(config.min_pause)],
    ['Maximum concurrent checkpoints', String(config.max_concurrent)],
    ['Unaligned checkpoints', config.unaligned_checkpoints ? 'Enabled' : 'Disabled'],
    ...(config.unaligned_checkpoints
      ? ([['Aligned checkpoint timeout', msDuration(config.aligned_checkpoint_timeout)]] as [
          string,
          string,
        ][])
      : []),
    [
      'Persist checkpoints externally',
      config.externalization.enabled
        ? `Enabled (${config.externalization.delete_on_cancellation ? 'delete' : 'retain'} on cancellation)`
        : 'Disabled',
    ],
    ['Tolerable failed checkpoints', String(config.tolerable_failed_checkpoints)],
    ['Checkpoints after tasks finish', config.checkpoints_after_tasks_finish ? 'Enabled' : 'Disabled'],
    ['Changelog state backend', config.state_changelog_enabled ? 'Enabled' : 'Disabled'],
  ];
  return (
    <table className="kv-table" aria-label="Checkpoint configuration" data-testid="checkpoint-config">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
