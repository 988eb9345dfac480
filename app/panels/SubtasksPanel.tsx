/** Per-subtask numbers (a few updates a second): status, placement, phase, load, records, state, watermark. */
import { Term } from '../glossary/Term.tsx';
import { formatBytes, formatCount, formatEventTime } from '../format.ts';
import { subtaskLabel } from '../graph/layout.ts';
import { indexFrame, subtaskView } from '../graph/subtaskView.ts';
import { useLab } from '../store/index.ts';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function SubtasksPanel() {
  const topology = useLab((s) => s.topology);
  const frame = useLab((s) => s.snapshot);
  if (topology === null) return null;
  const index = frame ? indexFrame(frame, topology) : null;
  return (
    <div className="table-scroll">
      <table aria-label="Subtasks" className="num-table" data-testid="subtasks-table">
        <thead>
          <tr>
            <th scope="col">
              <Term id="subtask">subtask</Term>
            </th>
            <th scope="col">status</th>
            <th scope="col">
              <Term id="checkpoint">checkpoint</Term> phase
            </th>
            <th scope="col" className="opt">
              <Term id="taskmanager">TaskManager</Term>
            </th>
            <th scope="col" className="num">
              busy
            </th>
            <th scope="col" className="num">
              <Term id="backpressure">back&shy;pressured</Term>
            </th>
            <th scope="col" className="num">
              in
            </th>
            <th scope="col" className="num">
              out
            </th>
            <th scope="col" className="num">
              state
            </th>
            <th scope="col" className="num opt">
              <Term id="watermark">watermark</Term> <span className="muted small">(event time)</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {topology.subtasks.map((st) => {
            const v = subtaskView(frame, topology, index, st.index);
            const tm = v.taskManagerNow >= 0 ? `tm-${v.taskManagerNow}` : '—';
            return (
              <tr key={st.index} data-subtask={st.name}>
                <th scope="row" title={st.name}>
                  {subtaskLabel(topology, st.index)}
                </th>
                <td>
                  <span className="badge" data-tone={v.tone}>
                    {v.status}
                  </span>
                  {v.attempt > 0 && <span className="muted small"> attempt {v.attempt}</span>}
                </td>
                <td>{v.phaseText}</td>
                <td className="opt">{tm}</td>
                <td className="num">{pct(v.busy)}</td>
                <td className="num">{pct(v.backpressured)}</td>
                <td className="num">{formatCount(v.recordsIn)}</td>
                <td className="num">{formatCount(v.recordsOut)}</td>
                <td className="num">{formatBytes(v.stateBytes)}</td>
                <td className="num mono opt">{formatEventTime(frame?.watermark[st.index] ?? null)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
