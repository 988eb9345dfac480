/**
 * Checkpoints > Stored: the completed checkpoints and savepoints in durable checkpoint storage (IndexedDB). They
 * outlive the page: after a reload they are listed here and a job can start from any of them (`flink run -s
 * <path>`), with another parallelism and a claim mode. What is listed and whether a snapshot is complete are the
 * engine's answers (its `_metadata` exists); this view only shows them.
 */
import { useEffect, useState } from 'react';
import type { RestoreFromOptions, RetainedList, RetainedSnapshot } from '../../../engine/protocol.ts';
import { report } from '../../actions/registry.ts';
import { engineClient } from '../../engineClient.ts';
import { formatBytes, formatTime } from '../../format.ts';
import { useLab } from '../../store/index.ts';
import './retained.css';

function shortJob(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

function StartForm({ snap, onDone }: { snap: RetainedSnapshot; onDone: () => void }) {
  const [par, setPar] = useState<Record<string, number>>(() => ({ ...snap.parallelism }));
  const [claim, setClaim] = useState<NonNullable<RestoreFromOptions['claimMode']>>('NO_CLAIM');
  return (
    <form
      className="retained-start"
      aria-label={`Start from ${snap.kind} ${snap.checkpointId}`}
      onSubmit={(e) => {
        e.preventDefault();
        onDone();
        engineClient.restoreFrom(snap.path, { parallelism: par, claimMode: claim }).catch(report);
      }}
    >
      <fieldset>
        <legend>Parallelism per operator</legend>
        {Object.keys(snap.parallelism).map((op) => (
          <label key={op} className="retained-par">
            <span>{op}</span>
            <input
              type="number"
              min={1}
              max={128}
              value={par[op] ?? 1}
              aria-label={`Parallelism of ${op}`}
              onChange={(e) => setPar({ ...par, [op]: Math.max(1, Number(e.target.value) || 1) })}
            />
          </label>
        ))}
      </fieldset>
      <label className="retained-claim">
        <span>Claim mode</span>
        <select
          value={claim}
          aria-label="Claim mode"
          onChange={(e) => setClaim(e.target.value === 'CLAIM' ? 'CLAIM' : 'NO_CLAIM')}
        >
          <option value="NO_CLAIM">NO_CLAIM: the snapshot stays yours; the first checkpoint is full</option>
          <option value="CLAIM">CLAIM: the new job owns it and deletes it once subsumed</option>
        </select>
      </label>
      <div className="retained-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Start the job
        </button>
      </div>
    </form>
  );
}

export function Retained() {
  const [list, setList] = useState<RetainedList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const completed = useLab((s) => s.snapshot?.checkpoints.counts.completed ?? 0);
  const generation = useLab((s) => s.topology);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    engineClient
      .retainedCheckpoints()
      .then((l) => {
        if (live) {
          setList(l);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [completed, generation, tick]);

  if (error !== null) return <p className="warn-text">Could not read the checkpoint storage: {error}</p>;
  if (list === null) return <p className="muted">Reading the checkpoint storage…</p>;
  return (
    <div className="retained" data-testid="retained-checkpoints">
      {!list.available && (
        <p className="retained-notice" role="status" data-testid="storage-unavailable">
          ⚠ Durable checkpoint storage is unavailable here: {list.reason}. Checkpoints stay in the
          JobManager’s memory and are lost on reload.
        </p>
      )}
      <p className="muted small">
        Completed checkpoints and savepoints in IndexedDB: a checkpoint counts once its <code>_metadata</code>{' '}
        is stored, after all its state. They survive a reload; start a new job from any of them.
        {list.orphansRemoved > 0 &&
          ` ${list.orphansRemoved} unfinished checkpoint${list.orphansRemoved === 1 ? ' was' : 's were'} removed at start.`}{' '}
        <button type="button" className="link-button" onClick={() => setTick(tick + 1)}>
          Refresh
        </button>
      </p>
      {list.available && list.snapshots.length === 0 ? (
        <p className="muted" data-testid="retained-empty">
          Nothing stored yet. Checkpoints go to IndexedDB when the scenario sets{' '}
          <code>execution.checkpointing.dir: indexeddb://checkpoint-lab</code> (or{' '}
          <code>execution.checkpointing.storage: filesystem</code>); by default they stay in the JobManager’s
          memory.
        </p>
      ) : (
        list.snapshots.length > 0 && (
          <ul className="retained-list" aria-label="Stored checkpoints and savepoints">
            {list.snapshots.map((s) => (
              <li key={s.path} className="retained-item" data-testid="retained-row" data-path={s.path}>
                <div className="retained-head">
                  <span className={`retained-kind ${s.kind}`}>{s.kind}</span>{' '}
                  <strong>{s.checkpointId}</strong>
                  <span className="muted"> · </span>
                  <span title={`job ${s.jobId}`}>
                    {s.jobName} <span className="muted">{shortJob(s.jobId)}</span>
                  </span>
                  {s.ownJob && <span className="retained-own"> (this run)</span>}
                  <span className="muted"> · </span>
                  <span title="virtual time it completed at">{formatTime(s.timeUs)}</span>
                  <span className="muted"> · </span>
                  <span title={`state size ${formatBytes(s.stateSize)}`}>{formatBytes(s.storedBytes)}</span>
                </div>
                <button
                  type="button"
                  className="retained-go"
                  aria-expanded={open === s.path}
                  onClick={() => setOpen(open === s.path ? null : s.path)}
                >
                  Start from here
                </button>
                <code className="retained-path">{s.path}</code>
                {open === s.path && <StartForm snap={s} onDone={() => setOpen(null)} />}
              </li>
            ))}
          </ul>
        )
      )}
      <p className="muted small">
        Two tabs on one directory: each job writes only below its own job directory and holds a{' '}
        {list.locking === 'web-locks' ? 'Web Lock' : 'lock'} on it while it runs; leftovers of a crashed job
        are removed only when no tab holds its lock.
      </p>
    </div>
  );
}
