import type { Lesson } from '../types.ts';

export const barriers: Lesson = {
  id: 'barriers',
  title: 'Checkpoint barriers',
  summary: 'How Flink takes a snapshot of a running job without stopping it.',
  preset: 'click-count',
  terms: ['checkpoint', 'jobmanager', 'barrier', 'alignment'],
  steps: [
    {
      title: 'A snapshot without stopping',
      text:
        "A [[checkpoint]] is a snapshot of every subtask's state plus the position of each source in its input. " +
        'The job does not stop for it. The [[jobmanager|JobManager]], the coordinator of the job, starts one ' +
        'every second here.',
      at: { kind: 'time', atUs: 500_000 },
      highlight: { kind: 'jobManager' },
      predict: {
        question: 'Where does a checkpoint begin?',
        choices: [
          {
            text: 'At the sources: the JobManager asks them to put a marker into the stream.',
            correct: true,
            why: 'Right. That marker is a checkpoint barrier.',
          },
          {
            text: 'At the sink, which then asks the operators before it.',
            why: 'No. It begins at the sources and flows with the data toward the sink.',
          },
          {
            text: 'Everywhere at once: all subtasks pause at the same moment.',
            why: 'No. Pausing a whole cluster at one instant is impossible; barriers avoid it.',
          },
        ],
      },
    },
    {
      title: 'The barrier leaves the source',
      text:
        'The source saved its read position and sent a [[barrier]] into each of its output channels, after the ' +
        'records it had already sent. On the graph, barriers are the pink tags with the checkpoint number. ' +
        'Records before the barrier belong to this checkpoint; records after it, to the next.',
      at: { kind: 'step', step: 'barrier' },
      highlight: { kind: 'subtask', name: 'clicks#0' },
    },
    {
      title: 'The counter waits for both barriers',
      text:
        'Each counter subtask reads from both source subtasks. It takes its snapshot only when the barrier has ' +
        'come on both inputs. Until then it holds back the input that is ahead: that is [[alignment]].',
      at: { kind: 'event', event: 'barrier-received', on: 'counter', sliceUs: 50_000 },
      highlight: { kind: 'subtask', name: 'counter#0' },
      predict: {
        question: 'The counter has its snapshot. What does it do with the barrier?',
        choices: [
          {
            text: 'It passes the barrier on to the sink, then reports to the JobManager.',
            correct: true,
            why: 'Yes. Every subtask forwards the barrier downstream and acknowledges its snapshot.',
          },
          {
            text: 'It sends the barrier back to the sources.',
            why: 'No. Barriers only flow forward, with the data.',
          },
          {
            text: 'It drops it: the sink does not need a snapshot.',
            why: 'No. The sink takes part too (an exactly-once sink even commits with it).',
          },
        ],
      },
    },
    {
      title: 'Checkpoint complete',
      text:
        'Every subtask has acknowledged. The JobManager marks the checkpoint complete: the job can now always go ' +
        'back to this point. The Checkpoints tab shows its size and how long each phase took.',
      at: { kind: 'step', step: 'checkpoint-completed' },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
    {
      title: 'Your turn',
      text: 'Trigger a checkpoint yourself. The JobManager starts it at once, the same way as the periodic ones.',
      highlight: { kind: 'jobManager' },
      act: { kind: 'checkpoint', label: 'Trigger a checkpoint' },
    },
    {
      title: 'Your checkpoint completed',
      text: 'Your checkpoint went through the same steps: barriers, snapshots, acknowledgements, complete.',
      at: { kind: 'step', step: 'checkpoint-completed' },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
  ],
};
