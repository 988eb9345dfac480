import type { Lesson } from '../types.ts';

export const unalignedCheckpoints: Lesson = {
  id: 'unaligned-checkpoints',
  title: 'Unaligned checkpoints under backpressure',
  summary: 'Checkpoints that time out behind full queues, and the switch that fixes them.',
  preset: 'checkpoint-timeout',
  terms: ['backpressure', 'barrier', 'unaligned-checkpoint'],
  steps: [
    {
      title: 'An operator that cannot keep up',
      text:
        'Totals handles about 2,500 readings a second but gets 3,000. Its input queues are always full, and the ' +
        'sources wait for space: [[backpressure]]. Subtasks that wait show grey; busy ones show red.',
      at: { kind: 'time', atUs: 3_000_000 },
      highlight: { kind: 'subtask', name: 'totals#0' },
      predict: {
        question: 'Checkpoints must finish within 2 s here. What will happen to them?',
        choices: [
          {
            text: 'They get slower and slower, then fail: the barrier waits behind full queues.',
            correct: true,
            why: 'Right. An aligned barrier must wait until every record before it is processed.',
          },
          {
            text: 'Nothing: checkpoints are independent of the data.',
            why: 'No. Barriers travel in the same queues as the data.',
          },
          {
            text: 'Flink pauses the sources until the checkpoint is done.',
            why: 'No. Sources keep going; only the barrier waits.',
          },
        ],
      },
    },
    {
      title: 'Checkpoint expired',
      text:
        'A checkpoint did not complete within the 2 s timeout: it failed with CHECKPOINT_EXPIRED. The ' +
        'Checkpoints panel counts it as failed. Here up to 100 failures are tolerated; by default, Flink would ' +
        'restart the job.',
      at: { kind: 'time', atUs: 10_000_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
    {
      title: 'Turn on unaligned checkpoints',
      text: 'Load the same job with execution.checkpointing.unaligned.enabled set to true. Nothing else changes.',
      highlight: { kind: 'subtask', name: 'totals#0' },
      predict: {
        question: 'With [[unaligned-checkpoint|unaligned checkpoints]], how long will a checkpoint take?',
        choices: [
          {
            text: 'Less than a second: the barrier overtakes the queued records.',
            correct: true,
            why: 'Yes. The records it overtakes are saved with the checkpoint instead of being waited for.',
          },
          {
            text: 'The same: the queues are still full.',
            why: 'The queues are still full, but the barrier no longer waits in them.',
          },
        ],
      },
      act: {
        kind: 'preset',
        label: 'Load it with unaligned checkpoints',
        preset: 'unaligned-under-backpressure',
      },
    },
    {
      title: 'Fast again',
      text:
        'Every checkpoint now completes in about 80 ms, although the job is as backpressured as before. The ' +
        'price: each checkpoint also stores the records it overtook (in-flight data), so it is larger.',
      at: { kind: 'time', atUs: 10_000_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
  ],
};
