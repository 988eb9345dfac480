/** Schedules a fault on a target at a later virtual time (the engine records it as a replayable action). */
import { useState } from 'react';
import type { FaultCommand } from '../../engine/protocol.ts';
import { report } from '../actions/registry.ts';
import { MAX_VIRTUAL_US, engineClient } from '../engineClient.ts';
import { formatTime } from '../format.ts';
import { useLab } from '../store/index.ts';
import { Dialog } from './Dialog.tsx';

const KINDS_BY_TARGET: Record<string, { kind: FaultCommand['kind']; label: string }[]> = {
  subtask: [
    { kind: 'fail-task', label: 'Fail the subtask' },
    { kind: 'slow-task', label: 'Slow it down 10× for 5 s' },
  ],
  tm: [
    { kind: 'kill-taskmanager', label: 'Kill it, back after 10 s' },
    { kind: 'restart-taskmanager', label: 'Restart it' },
  ],
  storage: [{ kind: 'fail-checkpoint-storage', label: 'Fail the next upload' }],
};

function targetKind(target: string): keyof typeof KINDS_BY_TARGET {
  if (target === 'checkpoint-storage') return 'storage';
  return /^tm-\d+$/.test(target) ? 'tm' : 'subtask';
}

export function ScheduleFaultDialog() {
  const setDialog = useLab((s) => s.setDialog);
  const draft = useLab((s) => s.scheduleDraft);
  const now = useLab((s) => s.snapshot?.time ?? 0);
  const [kind, setKind] = useState<FaultCommand['kind']>(draft?.kind ?? 'fail-task');
  const [seconds, setSeconds] = useState(() => Math.ceil(now / 1_000_000) + 5);
  const close = () => setDialog(null);
  if (draft === null) return null;
  const kinds = KINDS_BY_TARGET[targetKind(draft.target)] ?? [];
  const atUs = Math.round(seconds * 1_000_000);
  // The engine accepts 0 .. 24 h of virtual time; later (or not a number) is refused here, before it is recorded.
  const inRange = Number.isFinite(atUs) && atUs >= 0 && atUs <= MAX_VIRTUAL_US;
  const valid = inRange && atUs > now;
  return (
    <Dialog title={`Schedule a fault on ${draft.target}`} onClose={close} testId="schedule-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          close();
          const f: FaultCommand = { ...draft, kind, at: atUs };
          if (kind === 'slow-task') Object.assign(f, { factor: 10, durationUs: 5_000_000 });
          if (kind === 'kill-taskmanager') f.durationUs = draft.durationUs ?? 10_000_000;
          engineClient.injectFault(f).catch(report);
        }}
      >
        <label className="form-row">
          <span>Fault</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as FaultCommand['kind'])}>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="form-row">
          <span>At virtual time (s)</span>
          <input
            type="number"
            min={0}
            max={MAX_VIRTUAL_US / 1_000_000}
            step={0.1}
            value={seconds}
            aria-label="At virtual time in seconds"
            aria-invalid={!valid}
            onChange={(e) => setSeconds(Number(e.target.value))}
          />
        </label>
        <p className={valid ? 'muted small' : 'warn-text small'} data-testid="schedule-hint">
          {valid
            ? `Fires at ${formatTime(atUs)}, ${formatTime(atUs - now)} from now. It is recorded with the run, so seeking back and playing again replays it.`
            : !inRange
              ? `Choose a time between ${formatTime(now)} and ${MAX_VIRTUAL_US / 1_000_000} s (24 h of virtual time).`
              : `Choose a time after now (${formatTime(now)}).`}
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            Schedule
          </button>
        </div>
      </form>
    </Dialog>
  );
}
