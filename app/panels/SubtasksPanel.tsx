/** Per-subtask numbers (a few updates a second): status, placement, records in/out, state, watermark. */
import { formatBytes, formatCount, formatEventTime } from '../format.ts';
import { statusTone } from '../graph/JobGraph.tsx';
import { subtaskLabel } from '../graph/layout.ts';
import { useLab } from '../store/index.ts';

export function SubtasksPanel() {
  const topology = useLab((s) => s.topology);
  const frame = useLab((s) => s.snapshot);
  if (topology === null) return null;
  return (
    <section className="card subtasks-card" aria-labelledby="subtasks-title">
      <div className="card-head">
        <h2 id="subtasks-title">Subtasks</h2>
      </div>
      <div className="table-scroll">
        <table aria-label="Subtasks" className="num-table">
          <thead>
            <tr>
              <th scope="col">subtask</th>
              <th scope="col" className="opt">
                TaskManager / slot
              </th>
              <th scope="col">status</th>
              <th scope="col" className="num">
                records in
              </th>
              <th scope="col" className="num">
                records out
              </th>
              <th scope="col" className="num">
                state
              </th>
              <th scope="col" className="num opt">
                keys
              </th>
              <th scope="col" className="num">
                watermark
              </th>
            </tr>
          </thead>
          <tbody>
            {topology.subtasks.map((st) => {
              const status = frame?.subtaskStatus[st.index];
              return (
                <tr key={st.index}>
                  <th scope="row" title={st.name}>
                    {subtaskLabel(topology, st.index)}
                  </th>
                  <td className="opt">
                    {topology.taskManagers[st.taskManager]?.name ?? st.taskManager} / {st.slot}
                  </td>
                  <td>
                    <span className="badge" data-tone={statusTone(status)}>
                      {status ?? '…'}
                    </span>
                  </td>
                  <td className="num">{formatCount(frame?.recordsIn[st.index] ?? 0)}</td>
                  <td className="num">{formatCount(frame?.recordsOut[st.index] ?? 0)}</td>
                  <td className="num">{formatBytes(frame?.stateBytes[st.index] ?? 0)}</td>
                  <td className="num opt">{formatCount(frame?.stateKeys[st.index] ?? 0)}</td>
                  <td className="num mono">{formatEventTime(frame?.watermark[st.index] ?? null)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
