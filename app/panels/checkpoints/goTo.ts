/** Moving the playhead to a moment of a checkpoint (REST timestamps are virtual ms). */
import { report } from '../../actions/registry.ts';
import { engineClient } from '../../engineClient.ts';
import { liveFrames } from '../../store/liveFrames.ts';

export function goToMs(ms: number): void {
  const target = Math.max(0, Math.round(ms * 1000));
  const now = liveFrames.getState().latest?.time ?? 0;
  (target < now ? engineClient.seek(target) : engineClient.runTo(target)).catch(report);
}

export function goToUs(us: number): void {
  const now = liveFrames.getState().latest?.time ?? 0;
  (us < now ? engineClient.seek(us) : engineClient.runTo(us)).catch(report);
}
