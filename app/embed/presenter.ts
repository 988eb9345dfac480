/**
 * Presenter keys (README "Present and embed"): a clicker's PageDown / PageUp move to the next / previous moment of
 * the story (faults, detections, restarts, restores, checkpoint results, savepoints, job status: the lines the log
 * marks as story). Previous: the newest story line before the playhead. Next: the engine runs on in short slices
 * until a new story line appears, then the playhead lands exactly on it (a seek: the run is rebuilt to that time).
 */
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { liveFrames } from '../store/liveFrames.ts';

/** How far "next moment" looks ahead before it gives up (virtual µs). */
export const NEXT_MOMENT_LIMIT_US = 120_000_000;
/** Each slice of the search (virtual µs): small enough that a slice rarely holds much after the moment. */
const SLICE_US = 250_000;

const now = () => liveFrames.getState().latest?.time ?? useLab.getState().snapshot?.time ?? 0;

export async function previousMoment(): Promise<void> {
  const t = now();
  const story = useLab.getState().story;
  let target: number | null = null;
  for (let i = story.length - 1; i >= 0; i--) {
    const e = story[i];
    if (e !== undefined && e.time < t) {
      target = e.time;
      break;
    }
  }
  if (target === null) {
    if (t > useLab.getState().minTime) await engineClient.seek(useLab.getState().minTime);
    return;
  }
  await engineClient.seek(target);
}

export async function nextMoment(): Promise<void> {
  await engineClient.pause();
  const start = now();
  // The frames of the search carry every log line since the previous frame: the first story line after the start.
  let found: number | null = null;
  let t = start;
  while (found === null && t < start + NEXT_MOMENT_LIMIT_US) {
    if (useLab.getState().snapshot?.finished === true) return;
    t += SLICE_US;
    const frame = await engineClient.runTo(t);
    found = frame.log.find((e) => e.story && e.time > start)?.time ?? null;
    if (frame.finished) break;
  }
  if (found === null) {
    if (t >= start + NEXT_MOMENT_LIMIT_US)
      useLab
        .getState()
        .setNotice(
          `Nothing happened in the next ${NEXT_MOMENT_LIMIT_US / 1_000_000} s of the story: stopped there.`,
        );
    return;
  }
  if (found < now()) await engineClient.seek(found);
}
