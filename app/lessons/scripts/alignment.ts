import type { Lesson } from '../types.ts';

export const alignment: Lesson = {
  id: 'alignment',
  title: 'Alignment: a fast and a slow input',
  summary: 'Why a task with two inputs holds one back while a checkpoint passes.',
  preset: 'alignment-fast-slow',
  terms: ['barrier', 'alignment', 'backpressure'],
  steps: [
    {
      title: 'Two inputs, two speeds',
      text:
        'Orders go straight to the union. Returns first pass a fraud check that is too slow: it gets 2,000 ' +
        'records a second and handles about 1,700. Its input queue stays full. That is ' +
        '[[backpressure]]: the source of returns must wait for free space.',
      at: { kind: 'time', atUs: 3_500_000 },
      highlight: { kind: 'subtask', name: 'fraudCheck#0' },
      predict: {
        question: 'A checkpoint starts. Which barrier reaches the union last?',
        choices: [
          {
            text: "The returns barrier: it waits in the slow check's full queue, behind the records.",
            correct: true,
            why: 'Right. A barrier never overtakes records (in an aligned checkpoint).',
          },
          {
            text: 'The orders barrier: the orders input carries more records.',
            why: 'No. The orders path has no queue: its barrier arrives within milliseconds.',
          },
          {
            text: 'Both at the same moment: barriers skip the queues.',
            why: 'Not here. Only unaligned checkpoints let barriers overtake records.',
          },
        ],
      },
    },
    {
      title: 'The fast input is held',
      text:
        'union#0 got the orders [[barrier]] first. It blocks that input until the returns barrier arrives: ' +
        'the channel shows a gate (‖) and the buffers held behind it. This waiting is [[alignment]].',
      at: {
        kind: 'event',
        event: 'barrier-received',
        on: 'union',
        where: { blocking: true },
        sliceUs: 50_000,
      },
      highlight: { kind: 'subtask', name: 'union#0' },
      predict: {
        question: 'What happens to new orders while the gate is closed?',
        choices: [
          {
            text: 'They wait in the buffers; when those are full, the orders source slows down too.',
            correct: true,
            why: 'Yes. Nothing is lost: held records stay in the channel until alignment ends.',
          },
          {
            text: 'They are dropped and read again after the checkpoint.',
            why: 'No. Nothing is dropped; the records wait.',
          },
          {
            text: 'They go into the checkpoint as in-flight data.',
            why: 'That is what an unaligned checkpoint does, not an aligned one.',
          },
        ],
      },
    },
    {
      title: 'Alignment ends',
      text:
        'The returns barrier arrived. union#0 took its snapshot, opened the gate and passed the barrier on. ' +
        'Alignment lasted hundreds of milliseconds here, because of the slow input.',
      at: { kind: 'event', event: 'alignment-complete', on: 'union', sliceUs: 100_000 },
      highlight: { kind: 'channel', from: 'orders#0', to: 'union#0' },
    },
    {
      title: 'Read it in the Checkpoints panel',
      text:
        'The Timeline tab shows, per subtask, the start delay, the alignment and the sync and async phases of ' +
        'each checkpoint. The union subtasks have the long orange alignment bars.',
      at: { kind: 'event', event: 'checkpoint-completed', sliceUs: 100_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
  ],
};
