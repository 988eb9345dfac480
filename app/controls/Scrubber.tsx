/**
 * The timeline scrubber: travels back and forth in virtual time. Going back asks the engine to rebuild the run
 * (seek); going forward runs it on. Ticks mark completed and failed checkpoints, faults and recoveries.
 */
import { useState } from 'react';
import { report } from '../actions/registry.ts';
import { engineClient } from '../engineClient.ts';
import { formatTime } from '../format.ts';
import { useLab } from '../store/index.ts';
import type { Mark } from '../store/historySlice.ts';
import type { Progress } from '../store/playbackSlice.ts';
import { TimelineList } from './TimelineList.tsx';

const MARK_CLASS: Record<Mark['kind'], string> = {
  completed: 'mk-completed',
  savepoint: 'mk-savepoint',
  failed: 'mk-failed',
  fault: 'mk-fault',
  recovery: 'mk-recovery',
  incorrect: 'mk-incorrect',
};

function travelTo(target: number, current: number): void {
  const p = target < current ? engineClient.seek(target) : engineClient.runTo(target);
  p.catch(report);
}

export function Scrubber() {
  const current = useLab((s) => s.snapshot?.time ?? 0);
  const seq = useLab((s) => s.snapshot?.seq ?? -1);
  const progress = useLab((s) => s.progress);
  const maxTime = useLab((s) => s.maxTime);
  const minTime = useLab((s) => s.minTime);
  const marks = useLab((s) => s.marks);
  const busy = useLab((s) => s.busy);
  const busyLabel = useLab((s) => s.busyLabel);
  const [drag, setDrag] = useState<number | null>(null);
  const max = Math.max(maxTime, current, 1);
  const value = drag ?? current;
  const commit = () => {
    if (drag === null) return;
    const target = drag;
    setDrag(null);
    if (target !== current) travelTo(target, current);
  };
  return (
    <div className="scrubber" data-testid="scrubber" data-seq={seq} data-time={current}>
      <span className="mono scrub-time" aria-hidden="true">
        {formatTime(value)}
      </span>
      <div className="scrub-track">
        <svg className="scrub-marks" aria-hidden="true" preserveAspectRatio="none" viewBox="0 0 1000 20">
          {marks.map((m, i) => {
            const x = ((m.time - minTime) / Math.max(1, max - minTime)) * 1000;
            return (
              <line
                key={i}
                x1={x}
                x2={x}
                y1={m.kind === 'completed' ? 12 : 2}
                y2={18}
                className={MARK_CLASS[m.kind]}
              />
            );
          })}
        </svg>
        <input
          type="range"
          className="scrub-input"
          min={minTime}
          max={max}
          step={1000}
          value={value}
          disabled={busy}
          aria-label="Timeline: virtual time"
          aria-valuetext={`${formatTime(value)} of ${formatTime(max)}`}
          onChange={(e) => setDrag(Number(e.target.value))}
          onPointerUp={commit}
          onKeyUp={commit}
          onBlur={commit}
        />
      </div>
      <span className="mono scrub-max muted" aria-hidden="true">
        {formatTime(max)}
      </span>
      <TimelineList />
      <span className="scrub-status" role="status" aria-live="polite">
        {busy && busyLabel && progress === null ? busyLabel : ''}
      </span>
      {busy && progress !== null && <CommandProgressBar progress={progress} label={busyLabel} />}
    </div>
  );
}

/** A long command (run to, seek, rebuild) in progress: how far in virtual time, and a Cancel button. */
function CommandProgressBar({ progress, label }: { progress: Progress; label: string | null }) {
  const span = Math.max(1, progress.to - progress.from);
  const share = Math.min(1, Math.max(0, (progress.at - progress.from) / span));
  return (
    <div
      className="scrub-progress"
      data-testid="command-progress"
      style={{ display: 'flex', alignItems: 'center', gap: '0.5rem', gridColumn: '1 / -1', flexWrap: 'wrap' }}
    >
      <span className="small">{label ?? 'Working…'}</span>
      <progress
        max={1}
        value={share}
        aria-label="Progress of the running command"
        aria-valuetext={`${formatTime(progress.at)} of ${formatTime(progress.to)}`}
        style={{ flex: '1 1 8rem', minWidth: '6rem', accentColor: 'var(--accent)' }}
      />
      <span className="mono small">
        {formatTime(progress.at)} / {formatTime(progress.to)}
      </span>
      <button type="button" onClick={() => void engineClient.cancel().catch(report)}>
        Cancel
      </button>
    </div>
  );
}
