/**
 * Transport and commands: play/pause, step to the next event or the next event of a kind, speed, checkpoint and
 * savepoint triggers, stop with savepoint, restart from a savepoint, the shortcut overlay. Every button is an entry
 * of the action registry (label, shortcut, enabled state, effect). Below them the quick switches of the scenario
 * (app/editor) and the "Edit scenario" dialog.
 */
import type { ReactNode } from 'react';
import { action, runAction, type LabAction } from '../actions/registry.ts';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { SPEEDS, speedLabel, type Speed } from '../store/playbackSlice.ts';
import { report } from '../actions/registry.ts';
import { QuickSwitches } from '../editor/QuickSwitches.tsx';
import { ScenarioEditorHost } from '../editor/ScenarioEditorHost.tsx';

const Icon = ({ d }: { d: string }) => (
  <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
    <path d={d} />
  </svg>
);
const ICONS: Record<string, string> = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  step: 'M2.5 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z',
  'step-barrier': 'M7 1h2v14H7zM2 5l3 3-3 3zM11 5l3 3-3 3z',
  'step-completed': 'M2 8.5l4 4 8-9-1.5-1.3L6 9.7 3.4 7.1z',
  'step-failure': 'M3.5 2L2 3.5 6.5 8 2 12.5 3.5 14 8 9.5l4.5 4.5 1.5-1.5L9.5 8 14 3.5 12.5 2 8 6.5z',
  'step-restore': 'M8 2a6 6 0 1 1-5.7 7.9l1.9-.6A4 4 0 1 0 5.2 5.2L7 7H2V2l1.8 1.8A6 6 0 0 1 8 2z',
  checkpoint: 'M3 2h10v12l-5-3-5 3z',
  savepoint: 'M2 2h9l3 3v9H2zM4 3v4h6V3zM4 10h8v3H4z',
  stop: 'M3 3h10v10H3z',
  restart: 'M8 2a6 6 0 1 1-5.7 7.9l1.9-.6A4 4 0 1 0 5.2 5.2L7 7H2V2l1.8 1.8A6 6 0 0 1 8 2z',
};

function ActionButton({
  a,
  children,
  className,
}: {
  a: LabAction;
  children?: ReactNode;
  className?: string;
}) {
  const enabled = useLab((s) => a.enabled(s));
  const icon = ICONS[a.id];
  return (
    <button
      type="button"
      className={className}
      data-action={a.id}
      aria-label={a.label}
      aria-keyshortcuts={a.keys.join(' ')}
      title={`${a.label} (${a.keys.join(' or ')})`}
      disabled={!enabled}
      onClick={() => runAction(a)}
    >
      {children ?? (
        <>
          {icon && <Icon d={icon} />}
          <span className="label">{a.short ?? a.label}</span>
        </>
      )}
    </button>
  );
}

function PlayButton() {
  const playing = useLab((s) => s.playing);
  const a = action('play');
  const enabled = useLab((s) => a.enabled(s));
  return (
    <button
      type="button"
      className="primary play"
      data-action="play"
      aria-label={playing ? 'Pause' : 'Play'}
      aria-keyshortcuts="Space"
      title={`${playing ? 'Pause' : 'Play'} (Space)`}
      disabled={!enabled}
      onClick={() => runAction(a)}
    >
      <Icon d={playing ? ICONS.pause! : ICONS.play!} />
      <span className="label">{playing ? 'Pause' : 'Play'}</span>
    </button>
  );
}

/** The `?` button: the shortcut overlay. */
export function HelpButton() {
  return (
    <ActionButton a={action('help')} className="icon-only">
      <span aria-hidden="true">?</span>
    </ActionButton>
  );
}

/** The scenario chooser (presets). */
export function ScenarioPicker() {
  const presets = useLab((s) => s.presets);
  const source = useLab((s) => s.source);
  const busy = useLab((s) => s.busy);
  const presetValue = source?.kind === 'preset' ? source.id : '';
  if (presets.length <= 1) return null;
  return (
    <label className="field">
      <span className="field-label">Scenario</span>
      <select
        aria-label="Scenario preset"
        value={presetValue}
        disabled={busy}
        onChange={(e) => void engineClient.loadPreset(e.target.value).catch(report)}
      >
        {presetValue === '' && <option value="">Custom scenario</option>}
        {presets.map((p) => (
          <option key={p.id} value={p.id} title={p.description}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Toolbar() {
  const speed = useLab((s) => s.speed);
  return (
    <>
      <div className="toolbar">
        <div className="tool-group" role="toolbar" aria-label="Playback">
          <PlayButton />
          <label className="field">
            <span className="field-label">Speed</span>
            <select
              aria-label="Playback speed"
              value={speed}
              onChange={(e) => void engineClient.setSpeed(Number(e.target.value) as Speed).catch(report)}
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {speedLabel(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="tool-group labelled" role="toolbar" aria-label="Step to the next">
          <span className="group-label" aria-hidden="true">
            Next:
          </span>
          <ActionButton a={action('step')} />
          <ActionButton a={action('step-barrier')} />
          <ActionButton a={action('step-completed')} />
          <ActionButton a={action('step-failure')} />
          <ActionButton a={action('step-restore')} />
        </div>
        <div className="tool-group labelled" role="toolbar" aria-label="Checkpoints and savepoints">
          <ActionButton a={action('checkpoint')} />
          <ActionButton a={action('savepoint')} />
          <ActionButton a={action('stop')} />
          <ActionButton a={action('restart')} />
        </div>
      </div>
      <QuickSwitches />
      <ScenarioEditorHost />
    </>
  );
}
