/**
 * The run's timelines beside the scrubber (issue 10 §8): "Original · Fork at 12.400 s (current)". Acting in the past
 * forks a new timeline and the original keeps its future; a click switches to a timeline at the end it reached (the
 * engine restores it from its snapshots). "Compare" opens both side by side.
 */
import { Fragment } from 'react';
import { report } from '../actions/registry.ts';
import { engineClient } from '../engineClient.ts';
import { formatTime } from '../format.ts';
import { useLab } from '../store/index.ts';

export function TimelineList() {
  const timelines = useLab((s) => s.timelines);
  const busy = useLab((s) => s.busy);
  const setDialog = useLab((s) => s.setDialog);
  if (timelines.length < 2) return null;
  const current = timelines.find((t) => t.current);
  return (
    <div className="timeline-list" role="group" aria-label="Timelines" data-testid="timeline-list">
      <span className="timeline-list-title">Timelines</span>
      {timelines.map((t, i) => (
        <Fragment key={t.id}>
          {i > 0 && (
            <span className="timeline-sep" aria-hidden="true">
              ·
            </span>
          )}
          <button
            type="button"
            className="timeline-chip"
            aria-pressed={t.current}
            data-timeline={t.id}
            disabled={busy}
            title={`${t.label}: ${t.actionCount} action${t.actionCount === 1 ? '' : 's'}, run to ${formatTime(t.endUs)}${t.current ? ' (shown now)' : ' — click to switch to it'}`}
            onClick={() => {
              if (!t.current) engineClient.switchTimeline(t.id).catch(report);
            }}
          >
            {t.label}
            {t.current ? ' (current)' : ''}
            <span className="timeline-end"> → {formatTime(t.endUs)}</span>
          </button>
        </Fragment>
      ))}
      <button
        type="button"
        className="scrub-compare"
        disabled={busy}
        onClick={() => setDialog('compare')}
        title="Both timelines side by side at the same virtual time"
      >
        ⇄{' '}
        {current !== undefined && current.parentId !== null
          ? 'Compare with the original'
          : 'Compare with a fork'}
      </button>
    </div>
  );
}
