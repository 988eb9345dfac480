/** The `?` overlay: every action of the registry with its keys, grouped. */
import { ACTIONS, type ActionGroup } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';
import { Dialog } from './Dialog.tsx';

const GROUPS: ActionGroup[] = ['Playback', 'Step', 'Time travel', 'Checkpoints', 'Faults', 'View'];

export function ShortcutHelp() {
  const setDialog = useLab((s) => s.setDialog);
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setDialog(null)} testId="shortcut-help">
      <div className="shortcut-groups">
        {GROUPS.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <dl className="shortcuts">
              {ACTIONS.filter((a) => a.group === g).map((a) => (
                <div key={a.id}>
                  <dt>
                    {a.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && ' or '}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{a.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="muted small">
        Subtasks, TaskManagers, channels and the checkpoint storage in the job graph are buttons: Tab to one,
        then Enter or <kbd>m</kbd> opens its menu of faults. <kbd>x</kbd> and <kbd>w</kbd> act on the selected
        subtask.
      </p>
    </Dialog>
  );
}
