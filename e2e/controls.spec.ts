import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('? shows every shortcut of the action registry; Escape closes it', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await page.locator('body').press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  for (const label of [
    'Play / pause',
    'Step to the next barrier event',
    'Step to the next completed checkpoint',
    'Step to the next failure',
    'Step to the next restore',
    'Trigger a savepoint',
    'Back 1 s (the engine rebuilds the run)',
  ])
    await expect(help).toContainText(label);
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('keyboard: step keys, speed keys, a subtask menu opened and used from the keyboard', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  // b = next barrier event.
  const before = (await lab.frame())!.processedEvents;
  await page.locator('body').press('b');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.processedEvents).toBeGreaterThan(before);
  // ] = faster.
  await page.locator('body').press(']');
  await expect(lab.speed).toHaveValue('4');

  // Tab to a subtask of the graph, open its menu with Enter, move with the arrows, fail it with Enter.
  const counter = lab.subtask('counter#1');
  await counter.focus();
  await expect(counter).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lab.menu).toBeVisible();
  await expect(lab.menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(lab.menu.getByRole('menuitem', { name: /Fail this subtask/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lab.menu).toHaveCount(0);
  await expect(counter).toBeFocused();
  const index = (await lab.topology())!.subtasks.find((s) => s.name === 'counter#1')!.index;
  await expect.poll(async () => (await lab.frame())!.subtaskStatus[index]).toBe('FAILED');
  await expect(counter).toHaveAttribute('data-status', 'FAILED');
  await expect(counter).toHaveAttribute('aria-label', /status FAILED/);

  // Escape closes a menu and gives the focus back.
  await page.keyboard.press('m');
  await expect(lab.menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(lab.menu).toHaveCount(0);
  await expect(counter).toBeFocused();
});

test('checkpoint and savepoint buttons, stop with savepoint, restart from it with another parallelism', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(3_000_000);
  await page.getByRole('button', { name: 'Trigger a savepoint' }).click();
  await lab.idle();
  let frame = await lab.runTo(4_000_000);
  expect(frame.checkpoints.savepoints.length).toBe(1);
  const sp = frame.checkpoints.savepoints[0]!;

  await page.getByRole('button', { name: 'Stop with savepoint…' }).click();
  await lab.menu.getByRole('menuitem', { name: /^Stop: take a synchronous savepoint/ }).click();
  frame = await lab.runTo(6_000_000);
  expect(frame.status).toBe('FINISHED');
  expect(frame.checkpoints.savepoints.length).toBe(2);

  await page.getByRole('button', { name: /Restart from a savepoint/ }).click();
  const dialog = page.getByTestId('restart-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Savepoint').selectOption(String(sp.id));
  // The playground's rescale exercise: the counter goes to 3 subtasks, which needs a third TaskManager.
  await dialog.getByRole('spinbutton', { name: /ClickEvent Counter/ }).fill('3');
  await expect(dialog.getByTestId('slot-hint')).toContainText('needs 3 slots');
  await expect(dialog.getByTestId('slot-hint')).toContainText('offers 2');
  await dialog.getByLabel('TaskManagers of the new job').fill('3');
  await expect(dialog.getByTestId('slot-hint')).toContainText('offers 3');
  await dialog.getByRole('button', { name: 'Restart the job' }).click();
  await expect(dialog).toHaveCount(0);
  await lab.idle();
  const topology = (await lab.topology())!;
  expect(topology.vertices.find((v) => v.id === 'counter')?.parallelism).toBe(3);
  expect(topology.taskManagers).toHaveLength(3);
  expect(topology.subtasks.find((s) => s.name === 'counter#0')?.keyGroupRange).toEqual({ start: 0, end: 42 });
  await expect(lab.page.locator('[data-testid="vertex"][data-vertex="counter"]')).toContainText('×3');
  const start = (await lab.frame())!;
  expect(start.time).toBeGreaterThanOrEqual(frame.time);
  frame = await lab.runTo(start.time + 8_000_000);
  expect(frame.status).toBe('RUNNING');
  expect(frame.subtaskStatus.every((s) => s === 'RUNNING')).toBe(true);
  expect(frame.sinks[0]!.written).toBeGreaterThan(0);
  expect(frame.checkpoints.counts.completed).toBeGreaterThan(0);
  // Flink counts the submission from a savepoint as a restore.
  expect((await lab.checkpointStats()).counts.restored).toBe(1);
  // The new job's timeline starts where it was submitted: Home goes back there, not to 0.
  await page.locator('body').press('Home');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(start.time);
});

test('checkpoints panel: history rows and timeline phases move the playhead', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(5_000_000);
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByTestId('checkpoint-history');
  await expect(history.locator('tbody tr[data-checkpoint]')).not.toHaveCount(0);
  const stats = (await page.evaluate(() =>
    (globalThis as unknown as { __lab: { checkpointStats(): Promise<unknown> } }).__lab.checkpointStats(),
  )) as { history: { id: number; trigger_timestamp: number }[] };
  const cp = stats.history[stats.history.length - 1]!;
  // Expand one row: per-operator details.
  await history.getByRole('button', { name: `Checkpoint ${cp.id}: show details` }).click();
  await expect(page.getByTestId('checkpoint-details')).toBeVisible();
  // Go to its trigger time.
  await history
    .getByRole('button', { name: `Move the playhead to the trigger of checkpoint ${cp.id}` })
    .click();
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(cp.trigger_timestamp * 1000);

  // Timeline of that checkpoint (cached while the playhead is inside it): click its alignment phase.
  await lab.runTo(5_000_000);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByLabel('Checkpoint to show').selectOption(String(cp.id));
  const seg = page.getByRole('button', { name: /^counter #0: alignment/ });
  await expect(seg).toBeVisible();
  await seg.click();
  await lab.idle();
  const t = (await lab.frame())!.time;
  expect(t).toBeGreaterThan(cp.trigger_timestamp * 1000);
  expect(t).toBeLessThan(cp.trigger_timestamp * 1000 + 1_000_000);
  await expect(page.getByTestId('checkpoint-timeline')).toBeVisible();
});
