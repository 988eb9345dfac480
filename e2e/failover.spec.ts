import { expect, test } from '@playwright/test';
import { DEFAULT_PRESET, presetScenario } from '../engine/engine.ts';
import { LabPage } from './pages/labPage.ts';

/** Just after the first window results were written (6.25 s) and before the next checkpoint completes. */
const KILL_AT_US = 6_300_000;

async function killAndRestore(lab: LabPage): Promise<void> {
  await lab.runTo(KILL_AT_US);
  // Kill tm-1 from its menu in the graph.
  await lab.menuAction(lab.tmButton('tm-1'), /^Kill \(stays down/);
  await expect(lab.taskManager('tm-1')).toHaveAttribute('data-alive', 'false');
  expect((await lab.frame())!.taskManagerAlive).toEqual([true, false]);

  // The JobManager notices after heartbeat.timeout: the job fails over.
  let frame = await lab.clickStep('failure');
  expect(['FAILING', 'RESTARTING']).toContain(frame.status);
  const topology = (await lab.topology())!;
  const onTm1 = topology.subtasks.filter((s) => s.taskManager === 1);
  for (const s of onTm1) expect(['FAILED', 'CANCELED', 'CANCELING']).toContain(frame.subtaskStatus[s.index]);
  await expect(lab.subtask(onTm1[0]!.name)).toHaveAttribute('data-status', /FAILED|CANCEL/);
  await expect(lab.jobStatus).toHaveText(/RESTARTING|FAILING/);

  // Bring the TaskManager back; the job restores from the latest completed checkpoint.
  await lab.menuAction(lab.tmButton('tm-1'), /^Restart/);
  frame = await lab.clickStep('restore');
  const stats = await lab.checkpointStats();
  expect(stats.counts.restored).toBe(1);
  expect(frame.restarts).toBe(1);
  await expect(lab.page.getByTestId('latest-restore')).toBeVisible();
  await expect(lab.taskManager('tm-1')).toHaveAttribute('data-alive', 'true');

  // Run on: every subtask is RUNNING again and the restored windows fire again.
  frame = await lab.runTo(frame.time + 14_000_000);
  expect(frame.subtaskStatus.every((s) => s === 'RUNNING')).toBe(true);
}

test('at-least-once sink: killing a TaskManager and restoring shows duplicates', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await killAndRestore(lab);
  const check = (await lab.correctness()).sinks[0]!;
  expect(check.delivery).toBe('at-least-once');
  expect(check.duplicates).toBeGreaterThan(0);
  expect(check.lost).toBe(0);
  await expect(lab.verdict).toHaveAttribute('data-lost', '0');
  await expect.poll(async () => Number(await lab.verdict.getAttribute('data-duplicates'))).toBeGreaterThan(0);
  await expect(lab.verdict).toContainText('duplicates');
  await expect(lab.windowTable.locator('td[data-verdict="duplicate"]').first()).toBeVisible();
  // The first duplicate is marked on the timeline.
  await expect(page.locator('.scrub-marks .mk-incorrect').first()).toBeAttached();
});

test('exactly-once sink: the same failure loses nothing and duplicates nothing', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const doc = presetScenario(DEFAULT_PRESET) as { job: { operators: { id: string; delivery?: string }[] } };
  const sink = doc.job.operators.find((o) => o.id === 'output')!;
  sink.delivery = 'exactly-once';
  expect((await lab.load(doc)).ok).toBe(true);
  await killAndRestore(lab);
  const check = (await lab.correctness()).sinks[0]!;
  expect(check.delivery).toBe('exactly-once');
  expect(check.committed).toBeGreaterThan(0);
  expect(check.duplicates).toBe(0);
  expect(check.lost).toBe(0);
  expect(check.unexpected).toBe(0);
  await expect(lab.verdict).toHaveAttribute('data-duplicates', '0');
  await expect(lab.verdict).toHaveAttribute('data-lost', '0');
  await expect(lab.verdict).toContainText('Correct so far');
  await expect(lab.windowTable.locator('td[data-verdict="duplicate"]')).toHaveCount(0);
});
