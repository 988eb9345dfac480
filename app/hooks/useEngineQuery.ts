/**
 * Asks the engine something (checkpoint stats, correctness, state details) whenever the shown frame changes, at
 * most every `minIntervalMs`, while `enabled`. Panels that are not visible ask nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useLab } from '../store/index.ts';

export function useEngineQuery<T>(
  fetch: () => Promise<T>,
  key: string,
  { enabled = true, minIntervalMs = 250 }: { enabled?: boolean; minIntervalMs?: number } = {},
): T | null {
  const seq = useLab((s) => s.snapshot?.seq ?? 0);
  // While playing, panels refresh a little less often: the animation has the main thread first.
  const playing = useLab((s) => s.playing);
  const interval = playing ? Math.max(minIntervalMs, 500) : minIntervalMs;
  const time = useLab((s) => s.snapshot?.time ?? 0);
  const [data, setData] = useState<{ key: string; value: T } | null>(null);
  const fetchRef = useRef(fetch);
  const last = useRef(0);
  const inflight = useRef(false);
  useEffect(() => {
    fetchRef.current = fetch;
  });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const run = () => {
      if (inflight.current) {
        timer = setTimeout(run, 50);
        return;
      }
      inflight.current = true;
      fetchRef
        .current()
        .then((value) => {
          if (!cancelled) setData({ key, value });
        })
        .catch(() => undefined)
        .finally(() => {
          inflight.current = false;
          last.current = performance.now();
        });
    };
    const wait = interval - (performance.now() - last.current);
    let timer: ReturnType<typeof setTimeout> | null = wait <= 0 ? null : setTimeout(run, wait);
    if (wait <= 0) run();
    return () => {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [seq, time, key, enabled, interval]);
  return data !== null && data.key === key ? data.value : null;
}
