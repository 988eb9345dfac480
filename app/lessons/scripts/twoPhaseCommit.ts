import type { Lesson } from '../types.ts';

export const twoPhaseCommit: Lesson = {
  id: 'two-phase-commit',
  title: 'Two-phase commit',
  summary: 'An exactly-once sink: transactions, read-committed and read-uncommitted readers.',
  preset: 'two-phase-commit',
  terms: ['two-phase-commit', 'checkpoint', 'exactly-once'],
  steps: [
    {
      title: 'Writes in a transaction',
      text:
        'This sink uses [[two-phase-commit|two-phase commit]]. It writes into an open transaction. At the ' +
        'checkpoint barrier it pre-commits it (phase one). When the whole checkpoint completes, it commits ' +
        '(phase two). In the Output panel, rows marked "pending" are not committed yet.',
      at: { kind: 'time', atUs: 1_500_000 },
      highlight: { kind: 'panel', panel: 'output' },
      predict: {
        question: 'Who can see the pending rows?',
        choices: [
          {
            text: 'Only a read-uncommitted reader. A read-committed reader waits for the commit.',
            correct: true,
            why: 'Right. That is why downstream consumers use read_committed with an exactly-once sink.',
          },
          {
            text: 'Every reader: pending only means slow.',
            why: 'No. Uncommitted rows are invisible to read-committed readers.',
          },
        ],
      },
    },
    {
      title: 'Commit',
      text:
        'A checkpoint completed. The JobManager told every sink subtask, and each committed its pre-committed ' +
        'transaction: its rows are now visible to read-committed readers.',
      at: { kind: 'step', step: 'checkpoint-completed' },
      highlight: { kind: 'subtask', name: 'totals#0' },
    },
    {
      title: 'A failure is coming',
      text: 'At 6.5 s sum#0 fails, between two checkpoints. The sink has an open transaction with rows in it.',
      at: { kind: 'time', atUs: 6_200_000 },
      highlight: { kind: 'subtask', name: 'sum#0' },
      predict: {
        question: 'What happens to the rows of the open transaction?',
        choices: [
          {
            text: 'The transaction is aborted: they never become visible to read-committed readers.',
            correct: true,
            why: 'Yes. The replay writes them again, in a new transaction that will commit.',
          },
          {
            text: 'They are committed at once, to save them.',
            why: 'No. Committing them and then replaying would duplicate them.',
          },
          {
            text: 'They are deleted from the topic.',
            why: 'No. Aborted rows stay in the log; only readers that skip aborted data ignore them.',
          },
        ],
      },
    },
    {
      title: 'Read-committed vs read-uncommitted',
      text:
        'After the restore, the aborted rows were written again. A read-uncommitted reader sees both copies: ' +
        'the Output panel counts the rows of aborted transactions. A read-committed reader sees each row once: ' +
        'no duplicates among the committed rows. That is [[exactly-once]] output.',
      at: { kind: 'time', atUs: 9_000_000 },
      highlight: { kind: 'panel', panel: 'output' },
    },
  ],
};
