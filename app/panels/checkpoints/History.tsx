/** Flink's Checkpoints > History (newest first, in progress included), with per-operator and per-subtask details. */
import { Fragment, useContext, useState } from 'react';
import { formatBytes } from '../../format.ts';
import { useLab } from '../../store/index.ts';
import { goToMs } from './goTo.ts';
import { ImportedDetails } from './ImportedDetails.tsx';
import { ImportedMode, usePanelTime } from './imported.ts';
import {
  msDuration,
  msTime,
  type CheckpointingStatistics,
  type CheckpointStatistics,
  type SubtaskDetails,
} from './rest.ts';
import { useCheckpointData } from './useCheckpointData.ts';

const STATUS_GLYPH: Record<CheckpointStatistics['status'], string> = {
  IN_PROGRESS: '◌',
  COMPLETED: '✓',
  FAILED: '✕',
};

function statusTone(s: CheckpointStatistics['status']): string {
  return s === 'COMPLETED' ? 'ok' : s === 'FAILED' ? 'bad' : 'warn';
}

function SubtaskTable({ v }: { v: SubtaskDetails }) {
  return (
    <div className="table-scroll">
      <table className="num-table compact-table" aria-label={`Subtasks of ${v.id}`}>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Acknowledged</th>
            <th scope="col" className="num">
              End to end
            </th>
            <th scope="col" className="num">
              Checkpointed size
            </th>
            <th scope="col" className="num">
              Sync
            </th>
            <th scope="col" className="num">
              Async
            </th>
            <th scope="col" className="num">
              Processed (persisted)
            </th>
            <th scope="col" className="num">
              Alignment
            </th>
            <th scope="col" className="num">
              Start delay
            </th>
            <th scope="col">Unaligned</th>
          </tr>
        </thead>
        <tbody>
          {v.subtasks.map((s) =>
            s.status === 'completed' ? (
              <tr key={s.index}>
                <th scope="row">{s.index}</th>
                <td>{msTime(s.ack_timestamp ?? -1)}</td>
                <td className="num">{msDuration(s.end_to_end_duration)}</td>
                <td className="num">{formatBytes(s.checkpointed_size ?? 0)}</td>
                <td className="num">{msDuration(s.checkpoint?.sync)}</td>
                <td className="num">{msDuration(s.checkpoint?.async)}</td>
                <td className="num">
                  {formatBytes(s.alignment?.processed ?? 0)} ({formatBytes(s.alignment?.persisted ?? 0)})
                </td>
                <td className="num">{msDuration(s.alignment?.duration)}</td>
                <td className="num">{msDuration(s.start_delay)}</td>
                <td>{s.unaligned_checkpoint ? 'yes' : 'no'}</td>
              </tr>
            ) : (
              <tr key={s.index} className="pending-row">
                <th scope="row">{s.index}</th>
                <td colSpan={9}>n/a (pending or failed)</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Details({ id }: { id: number }) {
  const data = useCheckpointData(id);
  const topology = useLab((s) => s.topology);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  if (data === null) return <p className="muted">Loading…</p>;
  const d = data.details;
  return (
    <div className="cp-details" data-testid="checkpoint-details">
      <dl className="kv inline">
        <dt>Path</dt>
        <dd className="mono">{d.external_path ?? 'n/a'}</dd>
        <dt>Discarded</dt>
        <dd>{d.discarded === undefined ? 'n/a' : d.discarded ? 'yes' : 'no'}</dd>
        {d.failure_message !== undefined && (
          <>
            <dt>Failure message</dt>
            <dd className="wrap">{d.failure_message}</dd>
          </>
        )}
      </dl>
      <table className="num-table compact-table" aria-label={`Operators in checkpoint ${id}`}>
        <thead>
          <tr>
            <th scope="col">Operator</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">Latest ack</th>
            <th scope="col" className="num">
              End to end
            </th>
            <th scope="col" className="num">
              Checkpointed size
            </th>
            <th scope="col" className="num">
              Processed
            </th>
          </tr>
        </thead>
        <tbody>
          {data.vertices.map((v) => (
            <Fragment key={v.id}>
              <tr>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={open[v.id] === true}
                    onClick={() => setOpen({ ...open, [v.id]: !open[v.id] })}
                  >
                    {open[v.id] ? '▾' : '▸'} {topology?.vertices.find((x) => x.id === v.id)?.name ?? v.id}
                  </button>
                </th>
                <td>
                  {v.num_acknowledged_subtasks}/{v.num_subtasks}
                </td>
                <td>{msTime(v.latest_ack_timestamp)}</td>
                <td className="num">{msDuration(v.end_to_end_duration)}</td>
                <td className="num">{formatBytes(v.checkpointed_size)}</td>
                <td className="num">{formatBytes(v.processed_data)}</td>
              </tr>
              {open[v.id] && (
                <tr className="nested">
                  <td colSpan={6}>
                    <SubtaskTable v={v} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function History({ stats }: { stats: CheckpointingStatistics | null }) {
  const [expanded, setExpanded] = useState<number | null>(null);
  const selectCheckpoint = useLab((s) => s.selectCheckpoint);
  const setTab = useLab((s) => s.setCheckpointTab);
  const imported = useContext(ImportedMode);
  const time = usePanelTime();
  const history = stats?.history ?? [];
  if (history.length === 0) return <p className="empty">No checkpoint has been triggered yet.</p>;
  return (
    <div className="table-scroll">
      <table
        className="num-table"
        aria-label="Checkpoint history, newest first"
        data-testid="checkpoint-history"
      >
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Status</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">Trigger time</th>
            <th scope="col" className="opt">
              Latest ack
            </th>
            <th scope="col" className="num">
              End to end
            </th>
            <th scope="col" className="num">
              Checkpointed
            </th>
            <th scope="col" className="num opt">
              Full size
            </th>
            <th scope="col" className="num opt">
              Processed (persisted)
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((cp) => (
            <Fragment key={cp.id}>
              <tr data-checkpoint={cp.id} className={expanded === cp.id ? 'expanded' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={expanded === cp.id}
                    aria-label={`Checkpoint ${cp.id}${cp.is_savepoint ? ' (savepoint)' : ''}: show details`}
                    onClick={() => setExpanded(expanded === cp.id ? null : cp.id)}
                  >
                    {expanded === cp.id ? '▾' : '▸'} {cp.id}
                    {cp.is_savepoint && <span className="sp-mark"> 💾 Savepoint</span>}
                  </button>
                </th>
                <td>
                  <span className="badge" data-tone={statusTone(cp.status)}>
                    {STATUS_GLYPH[cp.status]} {cp.status.replace('_', ' ')}
                  </span>
                </td>
                <td>
                  {cp.num_acknowledged_subtasks}/{cp.num_subtasks}
                  {cp.status === 'IN_PROGRESS' &&
                    ` (${Math.round((100 * cp.num_acknowledged_subtasks) / Math.max(1, cp.num_subtasks))}%)`}
                </td>
                <td>{time(cp.trigger_timestamp)}</td>
                <td className="opt">{time(cp.latest_ack_timestamp)}</td>
                <td className="num">{msDuration(cp.end_to_end_duration)}</td>
                <td className="num">{formatBytes(cp.checkpointed_size)}</td>
                <td className="num opt">{formatBytes(cp.state_size)}</td>
                <td className="num opt">
                  {formatBytes(cp.processed_data)} ({formatBytes(cp.persisted_data)})
                </td>
                <td className="actions">
                  {!imported && (
                    <>
                      <button
                        type="button"
                        className="link-button"
                        title="Move the playhead to the trigger"
                        aria-label={`Move the playhead to the trigger of checkpoint ${cp.id}`}
                        onClick={() => goToMs(cp.trigger_timestamp)}
                      >
                        ⤺
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        title="Phases per subtask"
                        aria-label={`Timeline of checkpoint ${cp.id}`}
                        onClick={() => {
                          selectCheckpoint(cp.id);
                          setTab('timeline');
                        }}
                      >
                        ▤
                      </button>
                    </>
                  )}
                </td>
              </tr>
              {expanded === cp.id && (
                <tr className="nested">
                  <td colSpan={10}>{imported ? <ImportedDetails cp={cp} /> : <Details id={cp.id} />}</td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
