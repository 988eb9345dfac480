/**
 * One moment per screen (issue 10 §2): a panel's question to the engine is answered by the worker together with
 * every published frame, so the panel always renders data of the very frame the scrubber, readout and graph show.
 */
import { useEffect } from 'react';
import type { WatchSpec } from './workerApi.ts';
import { watchQuery } from '../engineClient.ts';
import { useLab } from './index.ts';

/** The answer to `spec` at the shown frame, or null until the first published frame carries it. */
export function useMomentQuery<T>(spec: WatchSpec | null): T | null {
  const key = spec?.key ?? null;
  const specRef = spec;
  useEffect(() => {
    if (specRef === null) return;
    return watchQuery(specRef);
    // The key identifies the question; a new object with the same key is the same question.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return useLab((s) => (key === null ? null : ((s.moment.data[key] as T | undefined) ?? null)));
}
