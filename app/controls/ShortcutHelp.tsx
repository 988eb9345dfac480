/**
 * The `?` help: how to read this screen, the glossary, the tour, and every action of the registry with its keys.
 * Opened by the `?` key or the `?` button (a tap on a phone).
 */
import { ACTIONS, type ActionGroup } from '../actions/registry.ts';
import { Term } from '../glossary/Term.tsx';
import { TERMS, type TermId } from '../glossary/terms.ts';
import { useTour } from '../onboarding/tour.ts';
import { useLab } from '../store/index.ts';
import { Dialog } from './Dialog.tsx';

const GROUPS: ActionGroup[] = ['Playback', 'Step', 'Time travel', 'Checkpoints', 'Faults', 'View'];

export function ShortcutHelp() {
  const setDialog = useLab((s) => s.setDialog);
  const openTour = useTour((s) => s.open);
  return (
    <Dialog title="Help" onClose={() => setDialog(null)} testId="shortcut-help">
      <section className="help-read" aria-labelledby="help-read-title">
        <h3 id="help-read-title">How to read this screen</h3>
        <ul>
          <li>
            <strong>Job graph.</strong> Operators in columns, left to right; each row is a{' '}
            <Term id="slot">slot</Term> of a <Term id="taskmanager">TaskManager</Term> (the coloured bands),
            so each box is one <Term id="subtask">subtask</Term>. Blue turning red = busy, turning grey ={' '}
            <Term id="backpressure">back-pressured</Term>.
          </li>
          <li>
            <strong>In the channels.</strong> Dots are record buffers, diamonds{' '}
            <Term id="watermark">watermarks</Term>, pink numbered tags checkpoint{' '}
            <Term id="barrier">barriers</Term>; a ‖ gate is an input held back by{' '}
            <Term id="alignment">alignment</Term>.
          </li>
          <li>
            <strong>Checkpoints.</strong> The tabs under the graph follow each{' '}
            <Term id="checkpoint">checkpoint</Term> and <Term id="savepoint">savepoint</Term> like Flink’s web
            UI; State shows each <Term id="key-group">key group</Term>.
          </li>
          <li>
            <strong>Correctness.</strong> The output is compared with a{' '}
            <Term id="reference-run">reference run</Term> without failures: lost or duplicated records show
            whether the sink is <Term id="exactly-once">exactly-once</Term> or{' '}
            <Term id="at-least-once">at-least-once</Term>.
          </li>
          <li>
            <strong>Two clocks.</strong> The header and the scrubber show{' '}
            <Term id="virtual-time">virtual time</Term>; watermarks and windows are{' '}
            <Term id="event-time">event time</Term>. The <Term id="trace-hash">trace hash</Term> names the
            exact run.
          </li>
          <li>
            <strong>Faults.</strong> Click or tap a subtask, TaskManager, channel or the checkpoint storage
            for its menu.
          </li>
        </ul>
        <button
          type="button"
          className="primary"
          data-testid="open-tour"
          onClick={() => {
            setDialog(null);
            openTour();
          }}
        >
          Take the tour again
        </button>
      </section>
      <details className="help-glossary">
        <summary>
          <h3>Glossary</h3>
        </summary>
        <dl>
          {(Object.keys(TERMS) as TermId[]).map((id) => (
            <div key={id}>
              <dt>{TERMS[id].term}</dt>
              <dd>
                {TERMS[id].text}{' '}
                {TERMS[id].href !== null && (
                  <a href={TERMS[id].href} target="_blank" rel="noreferrer">
                    Flink docs ↗
                  </a>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </details>
      <h3 className="help-keys-title">Keyboard shortcuts</h3>
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
