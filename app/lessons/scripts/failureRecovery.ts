import type { Lesson } from '../types.ts';

export const failureRecovery: Lesson = {
  id: 'failure-recovery',
  title: 'A failure and recovery from the last checkpoint',
  summary: 'Kill a TaskManager and watch the job restore its latest checkpoint.',
  preset: 'click-count',
  terms: ['taskmanager', 'heartbeat', 'checkpoint', 'restart-strategy'],
  steps: [
    {
      title: 'Two workers',
      text:
        'The job runs on two [[taskmanager|TaskManagers]], worker processes with one slot each. Checkpoints ' +
        'have completed every second so far.',
      at: { kind: 'time', atUs: 4_000_000 },
      highlight: { kind: 'taskManager', name: 'tm-1' },
      predict: {
        question: 'If tm-1 dies now, where will the job continue from?',
        choices: [
          {
            text: 'From the latest completed checkpoint.',
            correct: true,
            why: 'Right. All subtasks go back to that snapshot, and the sources re-read from its positions.',
          },
          {
            text: 'From the very beginning of the input.',
            why: 'Only if no checkpoint had completed yet.',
          },
          {
            text: 'Exactly where tm-1 stopped.',
            why: "No. tm-1's memory is gone; the last copy of its state is in the checkpoint.",
          },
        ],
      },
    },
    {
      title: 'Break it',
      text: 'Kill tm-1. It comes back by itself after 3 seconds, as a restarted worker would.',
      highlight: { kind: 'taskManager', name: 'tm-1' },
      act: {
        kind: 'fault',
        label: 'Kill TaskManager tm-1',
        fault: { kind: 'kill-taskmanager', target: 'tm-1', durationUs: 3_000_000 },
      },
    },
    {
      title: 'The JobManager notices',
      text:
        'The subtasks on tm-1 stopped at once, but the JobManager learns it only later: from a broken ' +
        "connection to tm-1, or from missing [[heartbeat|heartbeats]]. Then it fails the job's tasks.",
      at: { kind: 'event', event: 'failure-detected', sliceUs: 50_000 },
      highlight: { kind: 'jobManager' },
      predict: {
        question: 'What does the JobManager do next?',
        choices: [
          {
            text: 'It cancels the other subtasks and schedules a restart, after a short wait.',
            correct: true,
            why: 'Yes. The restart strategy decides the wait (exponential-delay here).',
          },
          {
            text: "It lets the other subtasks go on and restarts only tm-1's.",
            why: 'Not in this job: keyBy connects every subtask, so all of them restart together.',
          },
          {
            text: 'It stops the job for good.',
            why: 'Only when the restart strategy gives up (see the lesson on restart strategies).',
          },
        ],
      },
    },
    {
      title: 'Restore',
      text:
        'The job restarts and every subtask loads its part of the latest [[checkpoint]]. The sources rewind ' +
        'to the positions saved in it, so records after the checkpoint are read again.',
      at: { kind: 'step', step: 'restore' },
      highlight: { kind: 'panel', panel: 'checkpoints' },
    },
    {
      title: 'Running again',
      text:
        'The job is RUNNING again. The replayed records are counted on top of the restored counts, so every ' +
        'window still counts exactly 1000 clicks per page. The Output panel checks that.',
      at: { kind: 'event', event: 'running-again', sliceUs: 100_000 },
      highlight: { kind: 'panel', panel: 'output' },
    },
  ],
};
