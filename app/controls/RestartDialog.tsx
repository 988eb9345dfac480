/** Restart the job from a completed savepoint with another parallelism per operator (rescaling, reference 4.6). */
import { useState } from 'react';
import { engineClient } from '../engineClient.ts';
import { formatBytes, formatTime } from '../format.ts';
import { report } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';
import { Dialog } from './Dialog.tsx';

/** Flink's default slot sharing needs as many slots as the largest parallelism. */
function SlotHint({ need, have }: { need: number; have: number }) {
  return (
    <p className={need > have ? 'warn-text small' : 'muted small'} data-testid="slot-hint">
      {need > have ? '⚠ ' : ''}The job needs {need} slots (slot sharing: the largest parallelism); the cluster
      offers {have}.{need > have ? ' Subtasks without a slot wait in SCHEDULED until one frees up.' : ''}
    </p>
  );
}

export function RestartDialog() {
  const setDialog = useLab((s) => s.setDialog);
  const savepoints = useLab((s) => s.snapshot?.checkpoints.savepoints ?? []);
  const topology = useLab((s) => s.topology);
  const last = savepoints[savepoints.length - 1];
  const [id, setId] = useState<number | null>(last?.id ?? null);
  const chosen = savepoints.find((s) => s.id === id) ?? last;
  const [par, setPar] = useState<Record<string, number>>(() => ({ ...(last?.parallelism ?? {}) }));
  const [tms, setTms] = useState<number>(() => topology?.taskManagers.length ?? 1);
  const close = () => setDialog(null);
  return (
    <Dialog title="Restart from a savepoint" onClose={close} testId="restart-dialog">
      {chosen === undefined || topology === null ? (
        <p>No completed savepoint yet. Trigger one first (Savepoint, or Stop with savepoint).</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            close();
            engineClient.restartFromSavepoint(chosen.id, par, tms).catch(report);
          }}
        >
          <label className="form-row">
            <span>Savepoint</span>
            <select
              value={chosen.id}
              onChange={(e) => {
                const sp = savepoints.find((s) => s.id === Number(e.target.value));
                setId(sp?.id ?? null);
                if (sp) setPar({ ...sp.parallelism });
              }}
            >
              {savepoints.map((s) => (
                <option key={s.id} value={s.id}>
                  {`savepoint ${s.id} · ${formatTime(s.time)} · ${formatBytes(s.stateSize)}`}
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>Parallelism per operator</legend>
            {topology.operators.map((op) => (
              <label key={op.id} className="form-row">
                <span>
                  {op.name}{' '}
                  <span className="muted">
                    ({op.id}, max {op.maxParallelism})
                  </span>
                </span>
                <input
                  type="number"
                  min={1}
                  max={op.maxParallelism}
                  value={par[op.id] ?? op.parallelism}
                  onChange={(e) => setPar({ ...par, [op.id]: Math.max(1, Number(e.target.value) || 1) })}
                />
              </label>
            ))}
          </fieldset>
          <label className="form-row">
            <span>
              TaskManagers <span className="muted">({topology.taskManagers[0]?.slots ?? 1} slots each)</span>
            </span>
            <input
              type="number"
              min={1}
              max={64}
              value={tms}
              aria-label="TaskManagers of the new job"
              onChange={(e) => setTms(Math.min(64, Math.max(1, Number(e.target.value) || 1)))}
            />
          </label>
          <SlotHint
            need={Math.max(...topology.operators.map((o) => par[o.id] ?? o.parallelism))}
            have={tms * (topology.taskManagers[0]?.slots ?? 1)}
          />
          <p className="muted small">
            Keyed state moves by key group; operator state by its redistribution mode. The new job resumes the
            input where the savepoint left it.
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Restart the job
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
