/**
 * Says in words what a failure does to the job while the graph alone would mislead: a killed TaskManager the
 * JobManager has not noticed yet (a countdown to detection; its subtasks are lost, not yet detected), and a job
 * that is RUNNING for Flink but cannot get slots (what it waits for, with the fix in one click). Reads the
 * engine's frame fields only; the fix runs the same registry item as the TaskManager's menu.
 */
import type { Frame, Topology } from '../../engine/protocol.ts';
import { menuItems, runAction } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';
import { Term } from '../glossary/Term.tsx';

/** Seconds with one decimal, e.g. "3.2 s". */
export function formatCountdown(us: number): string {
  return `${(Math.max(0, us) / 1_000_000).toFixed(1)} s`;
}

export interface Explanation {
  /** Dead TaskManagers not yet detected: name, virtual µs until detection, lost subtasks. */
  undetected: { tm: number; name: string; inUs: number; lost: number }[];
  /** The job waits for slots: how many, and the dead TaskManagers whose restart would give them. */
  waiting: {
    subtasks: number;
    needed: number;
    available: number;
    restart: { tm: number; name: string }[];
  } | null;
}

export function explain(frame: Frame | null, topology: Topology | null): Explanation {
  if (frame === null || topology === null) return { undetected: [], waiting: null };
  const name = (tm: number) => topology.taskManagers[tm]?.name ?? `tm-${tm}`;
  const undetected: Explanation['undetected'] = [];
  frame.taskManagerDetectAtUs.forEach((at, tm) => {
    if (at === null) return;
    const lost = topology.subtasks.filter(
      (st) =>
        frame.subtaskLost[st.index] === true && (frame.subtaskTaskManager[st.index] ?? st.taskManager) === tm,
    ).length;
    undetected.push({ tm, name: name(tm), inUs: at - frame.time, lost });
  });
  const w = frame.waitingForSlots;
  const waiting =
    w === null
      ? null
      : {
          subtasks: w.subtasks,
          needed: w.needed,
          available: w.available,
          restart: w.deadTaskManagers.map((tm) => ({ tm, name: name(tm) })),
        };
  return { undetected, waiting };
}

/** "waiting for 2 slots: restart tm-1" */
export function waitingSentence(w: NonNullable<Explanation['waiting']>): string {
  const slots = `${w.needed} slot${w.needed === 1 ? '' : 's'}`;
  const fix = w.restart.length > 0 ? `: restart ${w.restart.map((r) => r.name).join(' or ')}` : '';
  return `waiting for ${slots}${fix}`;
}

function restartTaskManager(tm: number): void {
  const item = menuItems({ kind: 'taskManager', tm }, useLab.getState()).items.find(
    (i) => i.id === 'restart',
  );
  if (item !== undefined && item.enabled) runAction(item);
}

export function FailureExplainer() {
  const frame = useLab((s) => s.snapshot);
  const topology = useLab((s) => s.topology);
  const busy = useLab((s) => s.busy);
  const { undetected, waiting } = explain(frame, topology);
  if (undetected.length === 0 && waiting === null) return null;
  return (
    <div className="explainer" role="status" data-testid="failure-explainer">
      {undetected.map((u) => (
        <p key={u.tm} className="explain-line explain-undetected" data-testid="detect-countdown">
          <strong>
            {u.name} is dead; the JobManager notices in {formatCountdown(u.inUs)}
          </strong>{' '}
          (heartbeat timeout, or sooner when calls to it fail).{' '}
          {u.lost > 0 ? (
            <>
              Until then its {u.lost} <Term id="subtask">subtask{u.lost === 1 ? '' : 's'}</Term>{' '}
              {u.lost === 1 ? 'is' : 'are'} lost — not yet detected: no data, no{' '}
              <Term id="barrier">barriers</Term>, no acknowledgements.
            </>
          ) : (
            <>Its subtasks are already failed (a peer lost its connection to them); its slots are gone.</>
          )}
        </p>
      ))}
      {waiting !== null && (
        <div className="explain-line explain-waiting" data-testid="waiting-for-slots" data-waiting-slots="">
          <p>
            <strong>
              Job RUNNING, but {waiting.subtasks} subtask{waiting.subtasks === 1 ? '' : 's'} SCHEDULED —{' '}
              {waitingSentence(waiting)}.
            </strong>{' '}
            Flink keeps the job RUNNING while it asks for <Term id="slot">slots</Term>: {waiting.available}{' '}
            free, {waiting.needed} needed. Nothing is processed and no <Term id="checkpoint">checkpoint</Term>{' '}
            can complete until a <Term id="taskmanager">TaskManager</Term> offers them.
          </p>
          {waiting.restart.map((r) => (
            <button
              key={r.tm}
              type="button"
              className="primary"
              data-testid="restart-tm-fix"
              disabled={busy}
              onClick={() => restartTaskManager(r.tm)}
            >
              Restart {r.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
