/** One imported checkpoint's details: what the list endpoint carries (no per-operator or per-subtask numbers). */
import { formatBytes } from '../../format.ts';
import { importedTime } from './imported.ts';
import { msDuration, type CheckpointStatistics } from './rest.ts';

export function ImportedDetails({ cp }: { cp: CheckpointStatistics }) {
  return (
    <div className="cp-details" data-testid="checkpoint-details">
      <dl className="kv inline">
        <dt>Type</dt>
        <dd>{cp.checkpoint_type}</dd>
        <dt>Path</dt>
        <dd className="mono">{cp.external_path ?? 'n/a'}</dd>
        <dt>Discarded</dt>
        <dd>{cp.discarded === undefined ? 'n/a' : cp.discarded ? 'yes' : 'no'}</dd>
        <dt>End to end</dt>
        <dd>{msDuration(cp.end_to_end_duration)}</dd>
        <dt>State size</dt>
        <dd>{formatBytes(cp.state_size)}</dd>
        {cp.failure_message !== undefined && (
          <>
            <dt>Failed at</dt>
            <dd>{importedTime(cp.failure_timestamp ?? -1)}</dd>
            <dt>Failure message</dt>
            <dd className="wrap">{cp.failure_message}</dd>
          </>
        )}
      </dl>
      <p className="muted small">
        Per-operator and per-subtask numbers come from GET /jobs/:jobid/checkpoints/details/{cp.id}: not in
        this file.
      </p>
    </div>
  );
}
