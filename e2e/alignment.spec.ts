import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('barrier 1 blocks a channel; stepping through the alignment unblocks it and forwards the barrier', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  const topology = (await lab.topology())!;

  // Run to the next barrier event until barrier 1 has blocked an input channel (aligned, exactly-once).
  let frame = (await lab.frame())!;
  for (let i = 0; i < 20 && !frame.channelBlocked.some(Boolean); i++) frame = await lab.clickStep('barrier');
  const blocked = frame.channelBlocked.findIndex(Boolean);
  expect(blocked).toBeGreaterThanOrEqual(0);
  const channel = topology.channels[blocked]!;
  const receiver = topology.subtasks[channel.to]!;
  expect(frame.subtaskPhase[receiver.index]).toEqual({ checkpointId: 1, phase: 'aligning' });
  expect(frame.checkpoints.pending.map((p) => p.id)).toContain(1);
  // The graph says so too: the receiver is aligning and the job manager shows checkpoint 1 in progress.
  await expect(lab.subtask(receiver.name)).toHaveAttribute('data-phase', 'aligning');
  await expect(lab.subtask(receiver.name)).toHaveAttribute('aria-label', /checkpoint 1: aligning/);
  await expect(page.getByTestId('job-manager')).toContainText('cp 1:');

  // Step event by event: while aligning, the channel stays blocked; then the receiver snapshots (sync phase),
  // its inputs are unblocked and it has forwarded barrier 1 downstream.
  const inputs = topology.channels.filter((c) => c.to === receiver.index).map((c) => c.index);
  const outputs = topology.channels.filter((c) => c.from === receiver.index).map((c) => c.index);
  let steps = 0;
  for (; steps < 500; steps++) {
    frame = await lab.clickStep('event');
    const phase = frame.subtaskPhase[receiver.index];
    if (phase?.checkpointId === 1 && phase.phase !== 'aligning') break;
    expect(frame.channelBlocked[blocked]).toBe(true);
  }
  expect(steps).toBeLessThan(500);
  expect(frame.subtaskPhase[receiver.index]).toEqual({ checkpointId: 1, phase: 'sync' });
  for (const c of inputs) expect(frame.channelBlocked[c]).toBe(false);
  expect(
    frame.inFlight.some(
      (it) => it.kind === 'barrier' && it.checkpointId === 1 && outputs.includes(it.channel),
    ),
  ).toBe(true);
  await expect(lab.subtask(receiver.name)).toHaveAttribute('data-phase', 'sync');

  // Checkpoint 1 completes when every subtask has acknowledged.
  frame = await lab.clickStep('checkpoint-completed');
  expect(frame.checkpoints.latestCompleted?.id).toBe(1);
  await expect(page.getByTestId('latest-completed-id')).toContainText('1');
});
