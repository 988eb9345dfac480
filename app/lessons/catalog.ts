/** Every lesson, in the order the lessons page lists them, and the link to each lesson and step. */
import { alignment } from './scripts/alignment.ts';
import { barriers } from './scripts/barriers.ts';
import { exactlyOnceVsAtLeastOnce } from './scripts/exactlyOnce.ts';
import { failureRecovery } from './scripts/failureRecovery.ts';
import { regionFailover } from './scripts/regionFailover.ts';
import { savepointsAndRescaling } from './scripts/rescaling.ts';
import { restartStrategies } from './scripts/restartStrategies.ts';
import { stateAndKeyGroups } from './scripts/stateAndKeyGroups.ts';
import { stateBackends } from './scripts/stateBackends.ts';
import { storageLimit } from './scripts/storageLimit.ts';
import { twoPhaseCommit } from './scripts/twoPhaseCommit.ts';
import { unalignedCheckpoints } from './scripts/unaligned.ts';
import type { Lesson } from './types.ts';

export const LESSONS: readonly Lesson[] = [
  stateAndKeyGroups,
  barriers,
  alignment,
  failureRecovery,
  exactlyOnceVsAtLeastOnce,
  twoPhaseCommit,
  unalignedCheckpoints,
  restartStrategies,
  savepointsAndRescaling,
  stateBackends,
  regionFailover,
  storageLimit,
];

export function getLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The link to a lesson's step (1-based in the address, as people count): `?lesson=<id>&step=<n>`. */
export function lessonLink(id: string, step = 1, base = ''): string {
  return `${base}?lesson=${encodeURIComponent(id)}&step=${step}`;
}
