import type { Lesson } from '../types.ts';

export const stateAndKeyGroups: Lesson = {
  id: 'state-and-key-groups',
  title: 'State and key groups',
  summary: 'Where a job keeps what it remembers, and how keys are split between subtasks.',
  preset: 'click-count',
  terms: ['keyed-state', 'subtask', 'key-group', 'parallelism'],
  steps: [
    {
      title: 'A job that remembers',
      text:
        'This job counts clicks per web page. Records flow left to right: a source reads the clicks, a counter ' +
        'counts them, a sink writes the results. The counter must remember a number per page between records. ' +
        'That memory is [[keyed-state|keyed state]]: state kept per key, here per page.',
      at: { kind: 'time', atUs: 0 },
      highlight: { kind: 'vertex', id: 'counter' },
    },
    {
      title: 'Two subtasks share the work',
      text:
        'The counter runs as two [[subtask|subtasks]], counter#0 and counter#1: its [[parallelism]] is 2. ' +
        'Each one runs in its own slot on a different TaskManager. keyBy(page) sends every click of one page to ' +
        'the same subtask, so that subtask alone holds the count of that page.',
      at: { kind: 'time', atUs: 2_000_000 },
      highlight: { kind: 'subtask', name: 'counter#0' },
      predict: {
        question: 'How does Flink decide which subtask counts the page "/shop"?',
        choices: [
          {
            text: 'It hashes the key into one of 128 key groups; each subtask owns a range of key groups.',
            correct: true,
            why: 'Right. The hash of "/shop" picks a key group (0 to 127), and the key group picks the subtask.',
          },
          {
            text: 'Round robin: each new click goes to the next subtask.',
            why: 'No: then two subtasks would each hold half a count. keyBy always sends one key to one place.',
          },
          {
            text: 'The subtask with the least work takes it.',
            why: "No: the choice must never change while the job runs, or a key's count would be split.",
          },
        ],
      },
    },
    {
      title: 'Key groups',
      text:
        'Flink hashes each key into one of a fixed number of [[key-group|key groups]] (here 128, the maximum ' +
        'parallelism). counter#0 owns key groups 0 to 63 and counter#1 owns 64 to 127. The State tab shows ' +
        "counter#0's state per key group: only a few hold data, because there are only six pages.",
      at: { kind: 'time', atUs: 4_000_000 },
      highlight: { kind: 'panel', panel: 'state', subtask: 'counter#0' },
      predict: {
        question: 'Later we give the counter 3 subtasks. What happens to the counts?',
        choices: [
          {
            text: 'Each key group moves, with its counts, to the subtask that owns it now.',
            correct: true,
            why: 'Yes. Key groups are the unit Flink moves. Counts are never split or copied.',
          },
          {
            text: 'The counts are lost and start again from zero.',
            why: 'No. A restart restores them from a savepoint or checkpoint, by key group.',
          },
          {
            text: 'Every subtask gets a full copy of all counts.',
            why: 'No. Each key still lives in exactly one subtask.',
          },
        ],
      },
    },
    {
      title: 'State is kept safe by checkpoints',
      text:
        'A subtask keeps its state in memory. To survive a failure, Flink copies it regularly into a ' +
        '[[checkpoint]]. The Checkpoints tab lists them. The lessons "Barriers" and "Failure and recovery" show ' +
        'how.',
      at: { kind: 'time', atUs: 5_000_000 },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
  ],
};
