/**
 * The one registry of user actions (the issue: "One registry of actions drives buttons, menus, keyboard shortcuts
 * and a shortcut help overlay"). Toolbar buttons, context menus, the keyboard handler and the `?` overlay all
 * read their labels, shortcuts, enabled state and effect from here.
 */
import type { FaultCommand, StepKind, Topology } from '../../engine/protocol.ts';
import { useEditor } from '../editor/editorStore.ts';
import { presentActions } from '../export/presentActions.ts';
import { engineClient } from '../engineClient.ts';
import { useLab, type LabState } from '../store/index.ts';
import { liveFrames } from '../store/liveFrames.ts';
import { SPEEDS } from '../store/playbackSlice.ts';
import type { MenuTarget } from '../store/viewSlice.ts';

export type ActionGroup = 'Playback' | 'Step' | 'Time travel' | 'Checkpoints' | 'Faults' | 'View';

export interface LabAction {
  id: string;
  group: ActionGroup;
  label: string;
  /** Short label for a toolbar button. */
  short?: string;
  /** Shortcut keys as shown to users. */
  keys: string[];
  /** `KeyboardEvent.key` values that run the action. */
  match: string[];
  enabled: (s: LabState) => boolean;
  run: () => Promise<unknown> | void;
}

/** Report a failed command to the user (commands never throw into React). */
export function report(err: unknown): void {
  useLab.getState().setNotice(`Command failed: ${err instanceof Error ? err.message : String(err)}`);
}

export function runAction(a: Pick<LabAction, 'run'>): void {
  try {
    const r = a.run();
    if (r instanceof Promise) r.catch(report);
  } catch (err) {
    report(err);
  }
}

const ready = (s: LabState) => s.topology !== null && !s.busy;
const running = (s: LabState) => ready(s) && s.snapshot?.finished !== true;
const now = () => liveFrames.getState().latest?.time ?? 0;

function stepAction(kind: StepKind, id: string, label: string, short: string, key: string): LabAction {
  return {
    id,
    group: 'Step',
    label,
    short,
    keys: [key],
    match: [key],
    enabled: running,
    run: () => engineClient.stepTo(kind, label.replace('Step to', 'Running to')),
  };
}

function shiftSpeed(delta: number): void {
  const s = useLab.getState();
  const i = SPEEDS.indexOf(s.speed);
  const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + delta))];
  if (next !== undefined && next !== s.speed) runAction({ run: () => engineClient.setSpeed(next) });
}

/** Moves the playhead by `deltaUs`: back = the engine rebuilds the run; forward = it runs on. */
function travel(deltaUs: number): Promise<unknown> {
  const t = Math.max(useLab.getState().minTime, now() + deltaUs);
  return deltaUs < 0 ? engineClient.seek(t) : engineClient.runTo(t);
}

export const SLOW_FACTOR = 10;
export const FAULT_DURATION_US = 5_000_000;
export const TM_DOWN_US = 10_000_000;

function selectedSubtaskName(s: LabState): string | null {
  const i = s.selectedSubtask;
  return i === null ? null : (s.topology?.subtasks[i]?.name ?? null);
}

export const ACTIONS: LabAction[] = [
  {
    id: 'play',
    group: 'Playback',
    label: 'Play / pause',
    keys: ['Space'],
    match: [' '],
    enabled: (s) => ready(s) && (s.playing || s.snapshot?.finished !== true),
    run: () => engineClient.togglePlay(),
  },
  {
    id: 'step',
    group: 'Step',
    label: 'Step to the next event',
    short: 'Event',
    keys: ['.', 'n'],
    match: ['.', 'n', 'N'],
    enabled: running,
    run: () => engineClient.step(),
  },
  stepAction('barrier', 'step-barrier', 'Step to the next barrier event', 'Barrier', 'b'),
  stepAction(
    'checkpoint-completed',
    'step-completed',
    'Step to the next completed checkpoint',
    'Completed',
    'c',
  ),
  stepAction('failure', 'step-failure', 'Step to the next failure', 'Failure', 'f'),
  stepAction('restore', 'step-restore', 'Step to the next restore', 'Restore', 'r'),
  {
    id: 'slower',
    group: 'Playback',
    label: 'Slower',
    keys: ['['],
    match: ['[', '-'],
    enabled: (s) => s.speed !== SPEEDS[0],
    run: () => shiftSpeed(-1),
  },
  {
    id: 'faster',
    group: 'Playback',
    label: 'Faster',
    keys: [']'],
    match: [']', '+', '='],
    enabled: (s) => s.speed !== SPEEDS[SPEEDS.length - 1],
    run: () => shiftSpeed(1),
  },
  {
    id: 'back',
    group: 'Time travel',
    label: 'Back 1 s (the engine rebuilds the run)',
    keys: ['←'],
    match: ['ArrowLeft'],
    enabled: (s) => ready(s) && (s.snapshot?.time ?? 0) > s.minTime,
    run: () => travel(-1_000_000),
  },
  {
    id: 'forward',
    group: 'Time travel',
    label: 'Forward 1 s',
    keys: ['→'],
    match: ['ArrowRight'],
    enabled: running,
    run: () => travel(1_000_000),
  },
  {
    id: 'start',
    group: 'Time travel',
    label: 'Go to the start',
    keys: ['Home'],
    match: ['Home'],
    enabled: (s) => ready(s) && (s.snapshot?.time ?? 0) > s.minTime,
    run: () => engineClient.seek(useLab.getState().minTime),
  },
  {
    id: 'end',
    group: 'Time travel',
    label: 'Go to the furthest point reached',
    keys: ['End'],
    match: ['End'],
    enabled: (s) => ready(s) && (s.snapshot?.time ?? 0) < s.maxTime,
    run: () => engineClient.runTo(useLab.getState().maxTime),
  },
  // Present and export (app/embed, app/export): a clicker's PageUp / PageDown and the "Present & export" menu.
  ...presentActions(ready, running),
  {
    id: 'checkpoint',
    group: 'Checkpoints',
    label: 'Trigger a checkpoint',
    short: 'Checkpoint',
    keys: ['k'],
    match: ['k'],
    enabled: (s) => running(s) && s.snapshot?.status === 'RUNNING' && s.snapshot.waitingForSlots === null,
    run: () => engineClient.triggerCheckpoint(),
  },
  {
    id: 'savepoint',
    group: 'Checkpoints',
    label: 'Trigger a savepoint',
    short: 'Savepoint',
    keys: ['s'],
    match: ['s'],
    enabled: (s) => running(s) && s.snapshot?.status === 'RUNNING' && s.snapshot.waitingForSlots === null,
    run: () => engineClient.triggerSavepoint(),
  },
  {
    id: 'stop',
    group: 'Checkpoints',
    label: 'Stop with savepoint…',
    short: 'Stop',
    keys: ['Shift+S'],
    match: ['S'],
    enabled: (s) => running(s) && s.snapshot?.status === 'RUNNING' && s.snapshot.waitingForSlots === null,
    run: () => {
      const el = document.querySelector<HTMLElement>('[data-action="stop"]');
      const r = el?.getBoundingClientRect();
      useLab.getState().openMenu({
        target: { kind: 'stop' },
        x: r ? r.left : 100,
        y: r ? r.bottom + 4 : 100,
        returnFocus: el ?? null,
      });
    },
  },
  {
    id: 'restart',
    group: 'Checkpoints',
    label: 'Restart from a savepoint (with another parallelism)…',
    short: 'Restart…',
    keys: ['Shift+R'],
    match: ['R'],
    enabled: (s) => ready(s) && (s.snapshot?.checkpoints.savepoints.length ?? 0) > 0,
    run: () => useLab.getState().setDialog('restart'),
  },
  {
    id: 'fail-selected',
    group: 'Faults',
    label: 'Fail the selected subtask',
    keys: ['x'],
    match: ['x'],
    enabled: (s) => running(s) && s.selectedSubtask !== null,
    run: () => {
      const name = selectedSubtaskName(useLab.getState());
      if (name !== null) return engineClient.injectFault({ kind: 'fail-task', target: name });
    },
  },
  {
    id: 'slow-selected',
    group: 'Faults',
    label: `Slow the selected subtask down ${SLOW_FACTOR}× for 5 s`,
    keys: ['w'],
    match: ['w'],
    enabled: (s) => running(s) && s.selectedSubtask !== null,
    run: () => {
      const name = selectedSubtaskName(useLab.getState());
      if (name !== null)
        return engineClient.injectFault({
          kind: 'slow-task',
          target: name,
          factor: SLOW_FACTOR,
          durationUs: FAULT_DURATION_US,
        });
    },
  },
  {
    id: 'edit-scenario',
    group: 'View',
    label: 'Edit the scenario (form and JSON)',
    keys: ['e'],
    match: ['e'],
    enabled: (s) => ready(s),
    run: () => useEditor.getState().setOpen(true),
  },
  {
    id: 'copy-link',
    group: 'View',
    label: 'Copy a link to this run at this moment',
    keys: ['l'],
    match: ['l'],
    enabled: (s) => ready(s),
    run: () => import('../share/shareLink.ts').then((m) => m.copyLink()),
  },
  {
    id: 'my-scenarios',
    group: 'View',
    label: 'My scenarios: save, open, rename, export, import',
    keys: ['o'],
    match: ['o'],
    enabled: () => true,
    run: () => useLab.getState().setDialog('scenarios'),
  },
  {
    id: 'help',
    group: 'View',
    label: 'Show keyboard shortcuts',
    keys: ['?'],
    match: ['?'],
    enabled: () => true,
    run: () => useLab.getState().setDialog('help'),
  },
  {
    id: 'menu',
    group: 'View',
    label: 'Open the menu of the focused subtask, TaskManager, channel or storage',
    keys: ['Enter', 'm'],
    match: [],
    enabled: () => true,
    run: () => undefined,
  },
  {
    id: 'close',
    group: 'View',
    label: 'Close a menu or dialog',
    keys: ['Esc'],
    match: [],
    enabled: () => true,
    run: () => undefined,
  },
];

export function action(id: string): LabAction {
  const a = ACTIONS.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no action "${id}"`);
  return a;
}

/** An entry of a context menu: a registry action applied to a target. */
export interface MenuItem {
  id: string;
  label: string;
  keys?: string[];
  danger?: boolean;
  enabled: boolean;
  run: () => Promise<unknown> | void;
}

function fault(f: FaultCommand): () => Promise<unknown> {
  return () => engineClient.injectFault(f);
}

/** Opens the dialog that schedules a fault on this target at a chosen virtual time. */
function scheduleItem(draft: FaultCommand, enabled: boolean): MenuItem {
  return {
    id: 'schedule',
    label: 'Schedule a fault at a virtual time…',
    enabled,
    run: () => useLab.getState().openScheduleFault(draft),
  };
}

/** The actions of a subtask's, TaskManager's, channel's or the checkpoint storage's menu. */
export function menuItems(target: MenuTarget, s: LabState): { title: string; items: MenuItem[] } {
  const topology = s.topology as Topology;
  const live = running(s);
  switch (target.kind) {
    case 'subtask': {
      const st = topology.subtasks[target.subtask];
      if (st === undefined) return { title: '', items: [] };
      const tm = s.snapshot?.subtaskTaskManager[st.index] ?? st.taskManager;
      const inputs = topology.channels.filter((c) => c.to === st.index);
      return {
        title: `${st.name} (${st.vertexId} subtask ${st.subtaskIndex})`,
        items: [
          {
            id: 'state',
            label: 'Show state per key group',
            enabled: true,
            run: () => {
              const v = useLab.getState();
              v.selectSubtask(st.index);
              v.setMainTab('state');
              document.getElementById('panel-state')?.scrollIntoView({ block: 'nearest' });
            },
          },
          {
            id: 'fail-task',
            label: 'Fail this subtask',
            keys: ['x'],
            danger: true,
            enabled: live,
            run: fault({ kind: 'fail-task', target: st.name }),
          },
          {
            id: 'slow-task',
            label: `Slow down ${SLOW_FACTOR}× for 5 s`,
            keys: ['w'],
            enabled: live,
            run: fault({
              kind: 'slow-task',
              target: st.name,
              factor: SLOW_FACTOR,
              durationUs: FAULT_DURATION_US,
            }),
          },
          ...inputs.map((c) => {
            const from = topology.subtasks[c.from]?.name ?? `#${c.from}`;
            return {
              id: `stall-${c.index}`,
              label: `Stall the input from ${from} for 5 s`,
              enabled: live,
              run: fault({
                kind: 'stall-channel',
                target: `${from}->${st.name}`,
                durationUs: FAULT_DURATION_US,
              }),
            };
          }),
          ...(tm >= 0
            ? [
                {
                  id: 'kill-tm',
                  label: `Kill its TaskManager tm-${tm}`,
                  danger: true,
                  enabled: live && s.snapshot?.taskManagerAlive[tm] !== false,
                  run: fault({ kind: 'kill-taskmanager', target: `tm-${tm}` }),
                },
              ]
            : []),
          scheduleItem({ kind: 'fail-task', target: st.name }, live),
        ],
      };
    }
    case 'taskManager': {
      const name = topology.taskManagers[target.tm]?.name ?? `tm-${target.tm}`;
      const alive = s.snapshot?.taskManagerAlive[target.tm] !== false;
      return {
        title: `TaskManager ${name}${alive ? '' : ' (lost)'}`,
        items: [
          {
            id: 'kill',
            label: 'Kill (stays down until restarted)',
            danger: true,
            enabled: live && alive,
            run: fault({ kind: 'kill-taskmanager', target: name }),
          },
          {
            id: 'kill-10s',
            label: 'Kill, back after 10 s',
            danger: true,
            enabled: live && alive,
            run: fault({ kind: 'kill-taskmanager', target: name, durationUs: TM_DOWN_US }),
          },
          {
            id: 'restart',
            label: alive ? 'Restart (its subtasks are lost)' : 'Restart (bring it back)',
            enabled: live,
            run: fault({ kind: 'restart-taskmanager', target: name }),
          },
          scheduleItem({ kind: 'kill-taskmanager', target: name, durationUs: TM_DOWN_US }, live),
        ],
      };
    }
    case 'storage':
      return {
        title: 'Checkpoint storage',
        items: [
          {
            id: 'fail-1',
            label: 'Fail the next upload',
            danger: true,
            enabled: live,
            run: fault({ kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 1 }),
          },
          {
            id: 'fail-3',
            label: 'Fail the next 3 uploads',
            danger: true,
            enabled: live,
            run: fault({ kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 3 }),
          },
          scheduleItem({ kind: 'fail-checkpoint-storage', target: 'checkpoint-storage', count: 1 }, live),
        ],
      };
    case 'channel': {
      const ch = topology.channels[target.channel];
      if (ch === undefined) return { title: '', items: [] };
      const from = topology.subtasks[ch.from]?.name ?? `#${ch.from}`;
      const to = topology.subtasks[ch.to]?.name ?? `#${ch.to}`;
      return {
        title: `Channel ${from} → ${to} (${ch.partitioner})`,
        items: [1_000_000, FAULT_DURATION_US].map((d) => ({
          id: `stall-${d}`,
          label: `Stall for ${d / 1_000_000} s`,
          enabled: live,
          run: fault({ kind: 'stall-channel', target: `${from}->${to}`, durationUs: d }),
        })),
      };
    }
    case 'stop':
      return {
        title: 'Stop with savepoint',
        items: [
          {
            id: 'stop',
            label: 'Stop: take a synchronous savepoint, then finish',
            enabled: live,
            run: () => engineClient.stopWithSavepoint(false),
          },
          {
            id: 'drain',
            label: 'Drain: fire all windows (watermark +∞), savepoint, finish',
            enabled: live,
            run: () => engineClient.stopWithSavepoint(true),
          },
        ],
      };
  }
}
