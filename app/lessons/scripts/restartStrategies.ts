import type { Lesson } from '../types.ts';

export const restartStrategies: Lesson = {
  id: 'restart-strategies',
  title: 'Restart strategies, and giving up',
  summary: 'How many times a job restarts after failures, and what happens when it stops trying.',
  preset: 'restart-gives-up',
  terms: ['restart-strategy', 'jobmanager'],
  steps: [
    {
      title: 'A budget of restarts',
      text:
        'This job has a [[restart-strategy|restart strategy]] called fixed-delay: at most 2 restarts, 2 ' +
        'seconds apart. Faults are scheduled at 4 s, 8 s and 12 s.',
      at: { kind: 'time', atUs: 3_000_000 },
      highlight: { kind: 'jobManager' },
    },
    {
      title: 'First failure',
      text:
        'sum#0 failed. The restart strategy allows it: the job is RESTARTING and will run again in 2 s, from ' +
        'the latest checkpoint.',
      at: { kind: 'step', step: 'failure' },
      highlight: { kind: 'subtask', name: 'sum#0' },
    },
    {
      title: 'Second failure',
      text: 'sum#1 failed at 8 s. That is the second restart: the budget is now used up.',
      at: { kind: 'time', atUs: 10_500_000 },
      highlight: { kind: 'subtask', name: 'sum#1' },
      predict: {
        question: 'At 12 s a third subtask fails. What will the job do?',
        choices: [
          {
            text: 'Stop restarting: the job ends FAILED.',
            correct: true,
            why: 'Right. fixed-delay with 2 attempts gives up at the third failure.',
          },
          {
            text: 'Restart again after 2 s.',
            why: 'No: the strategy allows only 2 restarts.',
          },
          {
            text: 'Wait for an operator to restart it by hand.',
            why: 'It does stop, but it does not wait: it ends FAILED, and someone must resubmit it.',
          },
        ],
      },
    },
    {
      title: 'FAILED',
      text:
        'The job is FAILED. The log says why: "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy". ' +
        'The default since Flink 1.19, exponential-delay, retries with growing waits and practically never ' +
        'gives up.',
      at: { kind: 'time', atUs: 12_500_000 },
      highlight: { kind: 'panel', panel: 'log' },
    },
  ],
};
