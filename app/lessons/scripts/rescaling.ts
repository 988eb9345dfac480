import type { Lesson } from '../types.ts';

export const savepointsAndRescaling: Lesson = {
  id: 'savepoints-rescaling',
  title: 'Savepoints and rescaling',
  summary: 'Take a savepoint yourself and restart the job from it with more subtasks.',
  preset: 'rescale-savepoint',
  terms: ['savepoint', 'parallelism', 'key-group'],
  steps: [
    {
      title: 'A snapshot you own',
      text:
        'A [[savepoint]] is a checkpoint you take yourself. Flink never deletes it, so you can restart, ' +
        'upgrade or resize the job from it. Take one now.',
      at: { kind: 'time', atUs: 5_000_000 },
      highlight: { kind: 'jobManager' },
      act: { kind: 'savepoint', label: 'Trigger a savepoint' },
    },
    {
      title: 'Savepoint complete',
      text: 'The savepoint went through the same barriers as a checkpoint and is now complete.',
      at: {
        kind: 'event',
        event: 'checkpoint-completed',
        where: { checkpointType: 'SAVEPOINT' },
        sliceUs: 50_000,
      },
      highlight: { kind: 'panel', panel: 'checkpoints' },
      predict: {
        question: 'We restart from it with the counter at [[parallelism]] 3. What does counter#2 start with?',
        choices: [
          {
            text: 'The counts of the key groups it now owns, read from the savepoint.',
            correct: true,
            why: 'Right. Each new subtask reads its range of key groups.',
          },
          {
            text: 'Nothing: new subtasks start empty.',
            why: 'No. State moves with its key groups, so no count is lost.',
          },
          {
            text: "A copy of counter#0's state.",
            why: 'No. Every key group belongs to exactly one subtask.',
          },
        ],
      },
    },
    {
      title: 'Restart with 3 counters',
      text: 'Start a new job from the savepoint: the counter gets 3 subtasks, on 3 TaskManagers.',
      highlight: { kind: 'vertex', id: 'counter' },
      act: {
        kind: 'restart',
        label: 'Restart from the savepoint with 3 counters',
        parallelism: { counter: 3 },
        taskManagers: 3,
      },
    },
    {
      title: 'Key groups moved',
      text:
        'counter#2 is new. It owns [[key-group|key groups]] 86 to 127 and restored their counts from the ' +
        'savepoint. The State tab shows its key groups.',
      at: { kind: 'step', step: 'checkpoint-completed' },
      highlight: { kind: 'panel', panel: 'state', subtask: 'counter#2' },
    },
    {
      title: 'Still exactly right',
      text:
        'The rescaled job goes on counting. Every window still holds exactly 1000 clicks per page: nothing ' +
        'was lost or counted twice in the move.',
      at: { kind: 'time', atUs: 25_000_000 },
      highlight: { kind: 'panel', panel: 'output' },
    },
  ],
};
