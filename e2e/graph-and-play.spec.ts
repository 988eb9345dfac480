import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('shows the default job graph and plays records through to the sink', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();

  await expect(lab.scenarioName).not.toHaveText('Loading…');
  await expect(lab.vertices).toHaveCount(3);
  for (const id of ['clicks', 'counter', 'output']) {
    await expect(page.locator(`[data-testid="vertex"][data-vertex="${id}"]`)).toHaveCount(1);
  }
  await expect(lab.subtasks).toHaveCount(6);
  const topology = await lab.topology();
  expect(topology?.vertices.map((v) => v.id)).toEqual(['clicks', 'counter', 'output']);
  expect(topology?.subtasks).toHaveLength(6);
  await expect(lab.jobStatus).toHaveText(/^(CREATED|RUNNING)$/);
  expect(await lab.sinkRecords()).toBe(0);

  // Windows are 15 s of event time: play at 20x so the first results come within a second or two.
  await lab.speed.selectOption('20');
  await lab.playButton.click();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect.poll(() => lab.sinkRecords(), { timeout: 30_000 }).toBeGreaterThan(0);

  const frame = await lab.frame();
  expect(frame).not.toBeNull();
  const sink = frame!.sinks.find((s) => s.id === 'output') ?? frame!.sinks[0]!;
  expect(sink.written).toBeGreaterThan(0);
  expect(sink.recent.length).toBeGreaterThan(0);
  expect(Object.keys(sink.recent[0]!.row).length).toBeGreaterThan(0);
  // Window results: one row per page, a column per window, each cell checked against the failure-free run.
  await expect(lab.windowTable.locator('tbody tr')).toHaveCount(6);
  await expect(lab.windowTable.locator('td[data-verdict="ok"]').first()).toBeVisible();

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  const paused = (await lab.frame())!.time;
  await page.waitForTimeout(300);
  expect((await lab.frame())!.time).toBe(paused);
});

test('keyboard: n steps one event, Space toggles play', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const before = (await lab.frame())!;
  await page.locator('body').press('n');
  await expect.poll(async () => (await lab.frame())!.processedEvents).toBe(before.processedEvents + 1);
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
});
