/**
 * A lesson is a preset plus a narrated script (issue 11). Scripts are typed data: each step names the moment of the
 * run it shows (a virtual time, a step kind of the engine, or a typed engine event), the element it highlights,
 * an optional prediction (2-4 choices, answered before the reveal) and an optional action the learner performs
 * with the real engine. Text may link glossary terms as [[term-id]] or [[term-id|shown words]].
 */
import type { FaultCommand, RuntimeEventKind, StepKind } from '../../engine/protocol.ts';
import type { TermId } from '../glossary/terms.ts';

/** Where the run must be when a step is shown. Moments only move forward; earlier steps are rebuilt. */
export type LessonMoment =
  /** Run to this virtual time (µs); nothing happens if the run is already there. */
  | { kind: 'time'; atUs: number }
  /** The engine's step-to: run event by event until one of this kind (e.g. the next completed checkpoint). */
  | { kind: 'step'; step: Exclude<StepKind, 'event'> }
  /**
   * Run until the engine reports a typed event of this kind whose fields match `where` and, when `on` is given,
   * whose subtask belongs to that operator. Runs in slices of `sliceUs` (default 100 ms) for at most `withinUs`.
   */
  | {
      kind: 'event';
      event: RuntimeEventKind;
      where?: Record<string, string | number | boolean>;
      on?: string;
      sliceUs?: number;
      withinUs?: number;
    };

/** The element a step talks about, ringed on the page. */
export type LessonHighlight =
  | { kind: 'subtask'; name: string }
  | { kind: 'vertex'; id: string }
  | { kind: 'channel'; from: string; to: string }
  | { kind: 'taskManager'; name: string }
  | { kind: 'jobManager' }
  | { kind: 'storage' }
  /** A panel; `checkpoints` and `state` also switch the insight panel to that tab (state: for `subtask`). */
  | { kind: 'panel'; panel: 'output' | 'checkpoints' | 'state' | 'log'; subtask?: string };

/** Something the learner does with the real engine (a button in the lesson card). */
export type LessonAct =
  | { kind: 'fault'; label: string; fault: FaultCommand }
  | { kind: 'checkpoint'; label: string }
  | { kind: 'savepoint'; label: string }
  /** Restart from the newest savepoint with new parallelism per operator (rescaling). */
  | { kind: 'restart'; label: string; parallelism: Record<string, number>; taskManagers?: number }
  /** Load another preset (e.g. the same job with one switch changed). */
  | { kind: 'preset'; label: string; preset: string };

export interface LessonChoice {
  text: string;
  correct?: boolean;
  /** Why this answer is right or wrong, shown after the learner chooses. */
  why: string;
}

export interface LessonPrediction {
  question: string;
  /** 2 to 4 choices, exactly one correct. */
  choices: LessonChoice[];
}

export interface LessonStep {
  title: string;
  /** Short sentences; [[term]] links the glossary. */
  text: string;
  /** Reached before the step is shown (absent: where the previous step left the run). */
  at?: LessonMoment;
  highlight?: LessonHighlight;
  /** Asked before the reveal (the next step shows what happened). */
  predict?: LessonPrediction;
  /** The learner's action; Next waits for it. */
  act?: LessonAct;
}

export interface Lesson {
  id: string;
  title: string;
  /** One sentence for the lessons page. */
  summary: string;
  preset: string;
  /** Glossary terms the lesson explains (listed on the lessons page). */
  terms: TermId[];
  steps: LessonStep[];
}
