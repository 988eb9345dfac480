import type { Lesson } from '../types.ts';

export const storageLimit: Lesson = {
  id: 'jobmanager-storage-limit',
  title: 'A checkpoint over the JobManager storage limit',
  summary: 'Why checkpoints stored in JobManager memory fail once state grows past 5 MiB.',
  preset: 'jobmanager-storage-limit',
  terms: ['checkpoint-storage', 'keyed-state'],
  steps: [
    {
      title: 'State that only grows',
      text:
        'This job finds pages viewed twice, so it remembers every URL it has seen. Its ' +
        "[[keyed-state|state]] grows with every new URL. Checkpoints go to the JobManager's memory: that " +
        '[[checkpoint-storage|checkpoint storage]] accepts at most 5 MiB per state.',
      at: { kind: 'time', atUs: 4_000_000 },
      highlight: { kind: 'subtask', name: 'seen#0' },
      predict: {
        question: 'What happens when seen#0 holds more than 5 MiB?',
        choices: [
          {
            text: 'Its checkpoints fail; the job itself keeps running.',
            correct: true,
            why: 'Right. The upload is refused. Here failures are tolerated; by default the job would restart.',
          },
          {
            text: 'Flink spills the rest to disk.',
            why: 'Not with JobManager storage: it has no disk. A file system storage would.',
          },
          {
            text: 'The oldest keys are dropped.',
            why: 'No. Flink never drops state by itself (unless you set a TTL).',
          },
        ],
      },
    },
    {
      title: 'Over the limit',
      text:
        'The checkpoint failed: "Size of the state is larger than the maximum permitted memory-backed state". ' +
        'The fix in Flink is durable checkpoint storage (a file system or object store).',
      at: { kind: 'time', atUs: 10_500_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
  ],
};
