/**
 * Virtual time, job status, restarts and trace hash of the shown frame (the one the panels and the scrubber show:
 * one moment per screen), written as text into the DOM as soon as it is published (no React render per frame).
 * Also the teaching-time badge that says when playback is slowed for a checkpoint.
 */
import { useEffect, useRef } from 'react';
import { engineClient } from '../engineClient.ts';
import { report } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';
import type { Frame } from '../../engine/protocol.ts';
import { formatTime } from '../format.ts';
import { liveFrames } from '../store/liveFrames.ts';

const statusTone: Record<string, string> = {
  RUNNING: 'ok',
  FINISHED: 'done',
  CANCELED: 'done',
  FAILED: 'bad',
  FAILING: 'bad',
  RESTARTING: 'warn',
  CREATED: 'pending',
};

export function LiveReadout() {
  const timeRef = useRef<HTMLSpanElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const restartsRef = useRef<HTMLSpanElement>(null);
  const hashRef = useRef<HTMLSpanElement>(null);

  const rootRef = useRef<HTMLDListElement>(null);

  useEffect(() => {
    let shown: Frame | null = null;
    const show = (frame: Frame | null) => {
      if (frame === shown || frame === null) return;
      shown = frame;
      if (rootRef.current) {
        rootRef.current.dataset.seq = String(frame.seq);
        rootRef.current.dataset.time = String(frame.time);
      }
      if (timeRef.current) timeRef.current.textContent = formatTime(frame.time);
      if (statusRef.current) {
        const text =
          frame.status === 'RESTARTING'
            ? '↻ RESTARTING'
            : frame.status === 'FAILED'
              ? '✕ FAILED'
              : frame.waitingForSlots !== null
                ? `${frame.status} · waiting for slots`
                : frame.status;
        if (statusRef.current.textContent !== text) statusRef.current.textContent = text;
        statusRef.current.dataset.tone =
          frame.waitingForSlots !== null ? 'warn' : (statusTone[frame.status] ?? 'pending');
        statusRef.current.title = frame.failure ?? '';
      }
      if (restartsRef.current) restartsRef.current.textContent = String(frame.restarts);
      if (hashRef.current) hashRef.current.textContent = frame.traceHash;
    };
    show(liveFrames.getState().published);
    return liveFrames.subscribe((s) => show(s.published));
  }, []);

  return (
    <dl className="readout" ref={rootRef} data-testid="readout">
      <div>
        <dt>Virtual time</dt>
        <dd>
          <span ref={timeRef} className="mono time" data-testid="virtual-time" aria-live="off">
            0.000 s
          </span>
        </dd>
      </div>
      <div>
        <dt>Job status</dt>
        <dd>
          <span ref={statusRef} className="badge" data-testid="job-status" data-tone="pending">
            …
          </span>
        </dd>
      </div>
      <div>
        <dt>Restarts</dt>
        <dd>
          <span ref={restartsRef} className="mono" data-testid="restarts">
            0
          </span>
        </dd>
      </div>
      <div className="hash">
        <dt>Trace hash</dt>
        <dd>
          <span
            ref={hashRef}
            className="mono"
            data-testid="trace-hash"
            title="Running 64-bit hash of every processed event"
          >
            ················
          </span>
        </dd>
      </div>
    </dl>
  );
}

/**
 * Teaching time (issue 10 §1): while playback is slowed for a checkpoint, a badge near the graph says so, with a
 * switch to turn slow motion off (remembered). When it is off, a small switch turns it back on.
 */
export function TeachingBadge() {
  const teaching = useLab((s) => s.teaching);
  const slow = useLab((s) => s.slowMotion);
  const speed = useLab((s) => s.speed);
  const toggle = (on: boolean) => void engineClient.setTeaching(on).catch(report);
  const active = teaching && slow !== null;
  return (
    <div
      className="teaching-badge"
      data-testid="teaching-badge"
      data-active={active ? 'true' : 'false'}
      data-checkpoint={slow?.checkpointId ?? undefined}
      role="status"
      aria-live="polite"
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: '0.5rem',
        minHeight: '1.9rem',
        margin: '0 0 0.4rem',
        fontSize: '0.85rem',
      }}
    >
      {active ? (
        <span
          className="badge"
          data-tone="warn"
          title="Playback eases into slow motion while barriers travel and subtasks align and snapshot, then speeds up again"
        >
          slow motion: {slow.checkpointId === null ? 'a checkpoint' : `checkpoint ${slow.checkpointId}`} in
          progress
        </span>
      ) : (
        <span className="muted">
          {!teaching
            ? 'Teaching time is off: checkpoints pass at the chosen speed.'
            : speed > 1
              ? `Teaching time is on, but only at 1× and slower: at ${speed}× checkpoints pass at full speed.`
              : 'Teaching time is on: playback slows down while a checkpoint is in progress.'}
        </span>
      )}
      <label style={{ display: 'inline-flex', alignItems: 'center', gap: '0.3rem', cursor: 'pointer' }}>
        <input
          type="checkbox"
          checked={teaching}
          onChange={(e) => toggle(e.target.checked)}
          data-testid="teaching-toggle"
        />
        slow down for checkpoints
      </label>
    </div>
  );
}
