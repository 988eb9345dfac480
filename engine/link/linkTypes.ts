/**
 * What a shared link carries (issue 11, "Shareable links"): a run is (scenario document, seed, stamped actions)
 * (DESIGN: Determinism), plus the restarts from a savepoint with new parallelism that chain one job to the next,
 * the playhead, and what the sender was looking at. The shape is checked with a strict schema on decode, so a
 * link never hands the app or the CLI a value it did not expect.
 */
import { z } from 'zod';
import { FAULT_KINDS } from '../scenario/schema.ts';
import type { StampedAction } from '../protocol.ts';

/** The link format. Bump it when the payload shape changes; an older lab refuses a newer link by name. */
export const LINK_FORMAT_VERSION = 1;
/** Longest link payload accepted (the characters after `#l=`): chat apps and browsers keep links this long. */
export const MAX_LINK_CHARS = 32_768;
/** Largest decompressed payload accepted (the run as JSON): a small link may not inflate into a huge document. */
export const MAX_DECODED_BYTES = 1_048_576;
/** The virtual time limit of the lab (24 h, as the worker's MAX_VIRTUAL_US). */
export const MAX_LINK_TIME_US = 86_400_000_000;
/** Where `npm run sim -- link` points by default (the dev server of `npm start`). */
export const DEFAULT_BASE_URL = 'http://localhost:5173/';

/** A restart of the job from a completed savepoint, with new parallelism (rescaling), at a virtual time. */
export interface LinkRestart {
  savepointId: number;
  parallelism: Record<string, number>;
  taskManagers?: number;
  /** The virtual time the previous job had reached when the user restarted (the new job starts there). */
  atUs: number;
}

/** One job of the run: the first runs the scenario; each later one starts from a savepoint of the one before. */
export interface LinkSegment {
  restart?: LinkRestart;
  /** The user's actions on this job, stamped with virtual time and events processed (replayed exactly). */
  actions: StampedAction[];
}

export interface SharedRun {
  /** The scenario document (the same JSON the editor edits and the CLI reads). */
  scenario: Record<string, unknown>;
  seed: number;
  segments: LinkSegment[];
  /** The moment shown: a virtual time and, when known, the events processed by then in the last job. */
  playhead: { timeUs: number; events?: number };
  /** The panel the sender had open, e.g. "checkpoints/history" or "state". */
  panel?: string;
  /** A guided lesson and its step. */
  lesson?: { id: string; step: number };
}

const timeUs = z.number().int().min(0).max(MAX_LINK_TIME_US);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const shortText = z.string().min(1).max(1000);

const faultCommand = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  target: shortText,
  durationUs: timeUs.optional(),
  factor: z.number().min(1).max(1000).optional(),
  count: z.number().int().min(0).max(1_000_000).optional(),
  at: timeUs.optional(),
});

const stamp = { at: timeUs, seq: count };
const stampedAction = z.discriminatedUnion('kind', [
  z.strictObject({ ...stamp, kind: z.literal('fault'), fault: faultCommand }),
  z.strictObject({
    ...stamp,
    kind: z.literal('schedule-fault'),
    fault: faultCommand.extend({ at: timeUs }),
  }),
  z.strictObject({ ...stamp, kind: z.literal('trigger-checkpoint') }),
  z.strictObject({ ...stamp, kind: z.literal('trigger-savepoint') }),
  z.strictObject({ ...stamp, kind: z.literal('stop-with-savepoint'), drain: z.boolean() }),
]);

const restart = z.strictObject({
  savepointId: z.number().int().min(1).max(1_000_000_000),
  parallelism: z.record(z.string().min(1).max(1000), z.number().int().min(1).max(32_768)),
  taskManagers: z.number().int().min(1).max(1024).optional(),
  atUs: timeUs,
});

const segment = z.strictObject({
  restart: restart.optional(),
  actions: z.array(stampedAction).max(10_000),
});

export const sharedRunSchema = z.strictObject({
  scenario: z.record(z.string(), z.unknown()),
  seed: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  segments: z.array(segment).min(1).max(100),
  playhead: z.strictObject({ timeUs, events: count.optional() }),
  panel: z
    .string()
    .regex(/^[a-z][a-z0-9/-]{0,63}$/)
    .optional(),
  lesson: z.strictObject({ id: shortText, step: z.number().int().min(0).max(10_000) }).optional(),
});
