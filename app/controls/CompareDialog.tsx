/** A forked timeline against the one it forked from, both at the current virtual time (computed by the engine). */
import { useEffect, useState } from 'react';
import type { TimelineComparison } from '../../engine/protocol.ts';
import { report } from '../actions/registry.ts';
import { engineClient } from '../engineClient.ts';
import { formatTime } from '../format.ts';
import { useLab } from '../store/index.ts';
import { Dialog } from './Dialog.tsx';

export function CompareDialog() {
  const setDialog = useLab((s) => s.setDialog);
  const [cmp, setCmp] = useState<TimelineComparison | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    engineClient
      .compareWithOriginal()
      .then((c) => live && setCmp(c))
      .catch(report);
    return () => {
      live = false;
    };
  }, []);
  const close = () => setDialog(null);
  return (
    <Dialog title="This fork against the original timeline" onClose={close} testId="compare-dialog">
      {cmp === undefined ? (
        <p className="muted">Replaying the original timeline…</p>
      ) : cmp === null ? (
        <p>This timeline has not forked: act after travelling back in time to fork it.</p>
      ) : (
        <>
          <p className="muted small">
            Forked at {formatTime(cmp.forkedAtUs)}; both timelines at {formatTime(cmp.timeUs)}.
          </p>
          <div className="table-scroll">
            <table className="data-table compare-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th scope="col"></th>
                  <th scope="col">Original</th>
                  <th scope="col">This fork</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Job status</th>
                  <td>{cmp.original.status}</td>
                  <td>{cmp.fork.status}</td>
                </tr>
                <tr>
                  <th scope="row">Restarts</th>
                  <td>{cmp.original.restarts}</td>
                  <td>{cmp.fork.restarts}</td>
                </tr>
                <tr>
                  <th scope="row">Checkpoints completed</th>
                  <td>{cmp.original.checkpointsCompleted}</td>
                  <td>{cmp.fork.checkpointsCompleted}</td>
                </tr>
                <tr>
                  <th scope="row">Your actions</th>
                  <td>{cmp.original.actions}</td>
                  <td>{cmp.fork.actions}</td>
                </tr>
                {Object.keys(cmp.fork.committed).map((id) => (
                  <tr key={id}>
                    <th scope="row">Committed records in {id}</th>
                    <td>{cmp.original.committed[id] ?? 0}</td>
                    <td>{cmp.fork.committed[id] ?? 0}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">Trace hash</th>
                  <td className="mono">{cmp.original.traceHash}</td>
                  <td className="mono">{cmp.fork.traceHash}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <ul className="small" data-testid="compare-sinks">
            {cmp.sinks.map((s) => (
              <li key={s.id}>
                {s.onlyInOriginal + s.onlyInFork === 0
                  ? `${s.id}: the same committed records in both timelines.`
                  : `${s.id}: ${s.onlyInOriginal} record(s) only in the original, ${s.onlyInFork} only in this fork — first: ${s.firstDifference ?? ''}`}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
