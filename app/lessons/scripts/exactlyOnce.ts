import type { Lesson } from '../types.ts';

export const exactlyOnceVsAtLeastOnce: Lesson = {
  id: 'exactly-once-vs-at-least-once',
  title: 'Exactly-once vs at-least-once',
  summary: 'Why a replay after a failure can write results twice, and what prevents it.',
  preset: 'at-least-once-duplicates',
  terms: ['exactly-once', 'at-least-once', 'checkpoint', 'two-phase-commit'],
  steps: [
    {
      title: 'Running totals',
      text:
        'This job keeps a running total per account and writes the new total for every payment. Its sink is ' +
        '[[at-least-once]]: it writes each result at once and never takes anything back.',
      at: { kind: 'time', atUs: 5_000_000 },
      highlight: { kind: 'subtask', name: 'totals#0' },
    },
    {
      title: 'A failure is coming',
      text:
        'At 6.5 s the subtask sum#0 will fail. The latest [[checkpoint]] is from about 5.9 s. The job will ' +
        'restore it and read again everything after it.',
      at: { kind: 'time', atUs: 6_000_000 },
      highlight: { kind: 'subtask', name: 'sum#0' },
      predict: {
        question: "What will the sink's output look like after the restore?",
        choices: [
          {
            text: 'Some totals appear twice.',
            correct: true,
            why: 'Right. Results written between 5.9 s and 6.5 s are computed and written again.',
          },
          {
            text: 'Some totals are missing.',
            why: 'No. Nothing is lost: the sources re-read everything after the checkpoint.',
          },
          {
            text: 'Exactly the same as without the failure.',
            why: 'Not with this sink. Its writes before the failure stay.',
          },
        ],
      },
    },
    {
      title: 'The restore',
      text: 'sum#0 failed. The job restores the checkpoint and replays the records after it.',
      at: { kind: 'step', step: 'restore' },
      highlight: { kind: 'subtask', name: 'sum#0' },
    },
    {
      title: 'Duplicates',
      text:
        'The Output panel compares the sink with a run without failure. It counts duplicates: results written ' +
        'twice. The state itself is still [[exactly-once]]: each total is right, it is only written again.',
      at: { kind: 'time', atUs: 9_000_000 },
      highlight: { kind: 'panel', panel: 'output' },
      predict: {
        question: 'Which sink would show no duplicates after the same failure?',
        choices: [
          {
            text: 'An exactly-once sink that commits its writes only when a checkpoint completes.',
            correct: true,
            why: 'Yes: two-phase commit. Replayed writes replace the uncommitted ones. The next lesson shows it.',
          },
          {
            text: 'An at-least-once sink with checkpoints every 100 ms.',
            why: 'Fewer duplicates, but never none: a failure can always come between two checkpoints.',
          },
        ],
      },
    },
  ],
};
