import type { Lesson } from '../types.ts';

/**
 * Memory vs IndexedDB backend and incremental checkpoints. The IndexedDB backend is being built (another issue):
 * until it lands, this lesson runs on the hashmap backend and says what it waits for.
 */
export const stateBackends: Lesson = {
  id: 'state-backends',
  title: 'Memory vs IndexedDB backend, and incremental checkpoints',
  summary:
    'Where state lives, and why large state wants incremental checkpoints (waits for the IndexedDB backend).',
  preset: 'large-state',
  terms: ['state-backend', 'checkpoint', 'incremental-checkpoint'],
  steps: [
    {
      title: 'State in memory',
      text:
        'The [[state-backend|state backend]] decides where a job keeps its state. This job uses hashmap: ' +
        'state lives in memory, as Java objects. It is fast, but it must fit in memory, and every snapshot ' +
        'copies all of it.',
      at: { kind: 'time', atUs: 3_000_000 },
      highlight: { kind: 'subtask', name: 'perCustomer#0' },
    },
    {
      title: 'The state grows',
      text:
        'Every customer who buys adds a key. After 10 s, 50,000 customers have a running total: about 2 MB. ' +
        'Each [[checkpoint]] uploads it in its asynchronous phase, at 2 MB/s here.',
      at: { kind: 'time', atUs: 11_500_000 },
      highlight: { kind: 'storage' },
      predict: {
        question:
          'Only a fifth of the customers bought since the last checkpoint. How much does the next one upload?',
        choices: [
          {
            text: 'All of the state, about 2 MB.',
            correct: true,
            why: 'Right. With the hashmap backend every checkpoint is full.',
          },
          {
            text: 'Only the changed fifth.',
            why: 'That is an incremental checkpoint, which this backend cannot take.',
          },
        ],
      },
    },
    {
      title: 'Full checkpoints',
      text:
        'The checkpoint completed. Its size is the whole state, and its async phase was the longest part. ' +
        'Compare the sizes in the History tab: they grow with the state, not with the changes.',
      at: { kind: 'event', event: 'checkpoint-completed', sliceUs: 250_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
    {
      title: 'Incremental checkpoints (waits for the IndexedDB backend)',
      text:
        'An on-disk backend (RocksDB in Flink, IndexedDB in this lab) can take [[incremental-checkpoint|' +
        'incremental checkpoints]]: it uploads only the files that changed since the last checkpoint. This ' +
        'part of the lesson waits for the IndexedDB backend, which is being built: then the same job will run ' +
        'on it, and its checkpoints will shrink to the changes.',
      highlight: { kind: 'storage' },
    },
  ],
};
