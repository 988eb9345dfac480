/**
 * Compare (issue 10 §8): two timelines of the run side by side at the same virtual time: both job graphs, both
 * outputs, and the first committed record where they differ, highlighted. One time slider moves both. The engine
 * restores each side from its nearest snapshot (or runs it on from the last position) and finds the difference; this
 * view only shows it. Phones stack the two sides.
 */
import { useEffect, useState } from 'react';
import type { SideBySide, TimelineInfo } from '../../engine/protocol.ts';
import { engineClient } from '../engineClient.ts';
import { formatTime } from '../format.ts';
import { useLab } from '../store/index.ts';
import { CompareSide } from './compare/CompareSide.tsx';
import { FirstDifference } from './compare/FirstDifference.tsx';
import './compare/compare.css';
import { Dialog } from './Dialog.tsx';

/** The pair shown first: the current timeline against the one it forked from (or the newest fork of it). */
function defaultPair(list: TimelineInfo[]): [number, number] | null {
  const cur = list.find((t) => t.current);
  if (cur === undefined || list.length < 2) return null;
  if (cur.parentId !== null && list.some((t) => t.id === cur.parentId)) return [cur.parentId, cur.id];
  const fork = [...list].reverse().find((t) => t.parentId === cur.id) ?? list.find((t) => t.id !== cur.id);
  return fork ? [cur.id, fork.id] : null;
}

/** Slider moves are sent after this pause (ms): each answer restores or runs on two engines. */
const SETTLE_MS = 150;

export function CompareDialog() {
  const setDialog = useLab((s) => s.setDialog);
  const timelines = useLab((s) => s.timelines);
  const topology = useLab((s) => s.topology);
  const now = useLab((s) => s.snapshot?.time ?? 0);
  const [chosen, setPair] = useState<[number, number] | null>(null);
  const pair = chosen ?? defaultPair(timelines);
  const [time, setTime] = useState(now);
  const [result, setResult] = useState<{ key: string; cmp: SideBySide | null; error: string | null } | null>(
    null,
  );
  const close = () => setDialog(null);
  const a = pair?.[0] ?? -1;
  const b = pair?.[1] ?? -1;
  const key = `${a}/${b}/${time}`;

  useEffect(() => {
    if (a < 0 || b < 0) return;
    let live = true;
    const timer = setTimeout(() => {
      engineClient
        .compareTimelines(a, b, time)
        .then((c) => live && setResult({ key: `${a}/${b}/${time}`, cmp: c, error: null }))
        .catch(
          (e: unknown) =>
            live &&
            setResult((r) => ({
              key: `${a}/${b}/${time}`,
              cmp: r?.cmp ?? null,
              error: e instanceof Error ? e.message : String(e),
            })),
        );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [a, b, time]);

  const cmp = result?.cmp ?? null;
  const error = result?.error ?? null;
  const loading = result?.key !== key;
  const byId = (id: number) => timelines.find((t) => t.id === id);
  const max = Math.max(1, time, ...(pair ?? []).map((id) => byId(id)?.endUs ?? 0), cmp?.maxTimeUs ?? 0);
  const forkedAt = cmp?.forkedAtUs ?? null;

  return (
    <Dialog title="Compare timelines side by side" onClose={close} testId="compare-dialog">
      {pair === null ? (
        <p>
          There is only one timeline: travel back in time and act (inject a fault, trigger a checkpoint) to
          fork one.
        </p>
      ) : (
        <>
          <div className="cmp-controls">
            {(['Left', 'Right'] as const).map((name, i) => (
              <label key={name} className="cmp-pick">
                <span className={`cmp-swatch cmp-swatch-${i === 0 ? 'a' : 'b'}`} aria-hidden="true" />
                {name}
                <select
                  value={pair[i]}
                  onChange={(e) => {
                    const next: [number, number] = [...pair];
                    next[i] = Number(e.target.value);
                    setPair(next);
                  }}
                >
                  {timelines.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                      {t.current ? ' (current)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <div className="cmp-slider">
            <label htmlFor="cmp-time">
              Both at{' '}
              <strong className="mono" data-testid="compare-time">
                {formatTime(time)}
              </strong>
            </label>
            <div className="cmp-track">
              <input
                id="cmp-time"
                type="range"
                min={0}
                max={max}
                step={100_000}
                value={time}
                aria-valuetext={`${formatTime(time)} of virtual time, both timelines`}
                onChange={(e) => setTime(Number(e.target.value))}
              />
              {forkedAt !== null && (
                <span
                  className="cmp-fork-mark"
                  style={{ left: `calc(8px + (100% - 16px) * ${forkedAt / max})` }}
                  title={`The timelines part at ${formatTime(forkedAt)}`}
                  aria-hidden="true"
                />
              )}
            </div>
            <span className="small muted">
              {forkedAt !== null ? `forked at ${formatTime(forkedAt)}` : ''}
              {loading ? ' · updating…' : ''}
            </span>
          </div>
          {error !== null && (
            <p className="warn-text" role="alert">
              {error}
            </p>
          )}
          {cmp === null ? (
            <p className="muted">Restoring both timelines at {formatTime(time)}…</p>
          ) : (
            <>
              <FirstDifference cmp={cmp} />
              <div className="cmp-sides" aria-busy={loading}>
                {topology && (
                  <>
                    <CompareSide
                      side={cmp.a}
                      topology={topology}
                      which="a"
                      difference={cmp.firstDifference}
                    />
                    <CompareSide
                      side={cmp.b}
                      topology={topology}
                      which="b"
                      difference={cmp.firstDifference}
                    />
                  </>
                )}
              </div>
            </>
          )}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
