/**
 * Virtual time, job status, restarts and trace hash, read from the live frame stream on every animation frame and
 * written as text into the DOM (no React render per frame).
 */
import { useEffect, useRef } from 'react';
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

  useEffect(() => {
    let shown: Frame | null = null;
    let raf = 0;
    const loop = () => {
      const frame = liveFrames.getState().latest;
      if (frame !== shown && frame !== null) {
        shown = frame;
        if (timeRef.current) timeRef.current.textContent = formatTime(frame.time);
        if (statusRef.current) {
          const text =
            frame.status === 'RESTARTING'
              ? '↻ RESTARTING'
              : frame.status === 'FAILED'
                ? '✕ FAILED'
                : frame.status;
          if (statusRef.current.textContent !== text) statusRef.current.textContent = text;
          statusRef.current.dataset.tone = statusTone[frame.status] ?? 'pending';
          statusRef.current.title = frame.failure ?? '';
        }
        if (restartsRef.current) restartsRef.current.textContent = String(frame.restarts);
        if (hashRef.current) hashRef.current.textContent = frame.traceHash;
      }
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, []);

  return (
    <dl className="readout">
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
