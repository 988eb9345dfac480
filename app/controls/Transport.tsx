/** Play / pause, step, speed and scenario choice. Keyboard: Space = play/pause, `.` or `n` = one event. */
import { useEffect } from 'react';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { SPEEDS, type Speed } from '../store/playbackSlice.ts';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function report(err: unknown) {
  useLab.getState().setNotice(`Command failed: ${err instanceof Error ? err.message : String(err)}`);
}

export function useTransportKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (e.key === ' ' || e.code === 'Space') {
        // A focused button handles Space itself (it clicks); do not toggle twice.
        if (e.target instanceof HTMLButtonElement) return;
        e.preventDefault();
        engineClient.togglePlay().catch(report);
      } else if (e.key === '.' || e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        engineClient.step().catch(report);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

const PlayIcon = () => (
  <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M4 2.5v11l9-5.5z" />
  </svg>
);
const PauseIcon = () => (
  <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" />
  </svg>
);
const StepIcon = () => (
  <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M2.5 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z" />
  </svg>
);

export function Transport() {
  const playing = useLab((s) => s.playing);
  const speed = useLab((s) => s.speed);
  const busy = useLab((s) => s.busy);
  const finished = useLab((s) => s.snapshot?.finished ?? false);
  const ready = useLab((s) => s.topology !== null);
  const presets = useLab((s) => s.presets);
  const source = useLab((s) => s.source);
  useTransportKeys();

  const presetValue = source?.kind === 'preset' ? source.id : '';
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button
        type="button"
        className="primary play"
        aria-label={playing ? 'Pause' : 'Play'}
        aria-keyshortcuts="Space"
        title={playing ? 'Pause (Space)' : finished ? 'The job has finished' : 'Play (Space)'}
        disabled={!ready || busy || (finished && !playing)}
        onClick={() => void engineClient.togglePlay().catch(report)}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
        <span className="label">{playing ? 'Pause' : 'Play'}</span>
      </button>
      <button
        type="button"
        aria-label="Step one event"
        aria-keyshortcuts=". n"
        title="Process one event (. or n)"
        disabled={!ready || busy || finished}
        onClick={() => void engineClient.step().catch(report)}
      >
        <StepIcon />
        <span className="label">Step</span>
      </button>
      <label className="field">
        <span className="field-label">Speed</span>
        <select
          aria-label="Playback speed"
          value={speed}
          onChange={(e) => void engineClient.setSpeed(Number(e.target.value) as Speed).catch(report)}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      {presets.length > 1 && (
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
      )}
    </div>
  );
}
