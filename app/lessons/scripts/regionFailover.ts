import type { Lesson } from '../types.ts';

export const regionFailover: Lesson = {
  id: 'region-failover',
  title: 'Region failover in a job without keyBy',
  summary: 'Why a failure can restart only part of a job.',
  preset: 'region-failover',
  terms: ['failover-region', 'subtask'],
  steps: [
    {
      title: 'Two pipelines',
      text:
        'This job has no keyBy and no rebalance: logs#0 only ever sends to clean#0, and so on. The two ' +
        'parallel pipelines never exchange data. Each one is a [[failover-region|failover region]].',
      at: { kind: 'time', atUs: 5_000_000 },
      highlight: { kind: 'subtask', name: 'clean#0' },
      predict: {
        question: 'At 6 s clean#0 fails. What restarts?',
        choices: [
          {
            text: 'Only the four subtasks of pipeline 0.',
            correct: true,
            why: 'Right. Pipeline 1 shares no data with it, so it keeps running.',
          },
          {
            text: 'All eight subtasks.',
            why: 'That is what a job with keyBy does: there, every subtask depends on every other.',
          },
          {
            text: 'Only clean#0.',
            why: 'No: its source and sink must go back to the same checkpoint with it.',
          },
        ],
      },
    },
    {
      title: 'Only one region restarts',
      text:
        'The restart covers 4 subtasks: pipeline 0. Pipeline 1 never stopped: archive#1 keeps writing while ' +
        'pipeline 0 restores its checkpoint.',
      at: { kind: 'time', atUs: 6_500_000 },
      highlight: { kind: 'subtask', name: 'archive#1' },
    },
  ],
};
