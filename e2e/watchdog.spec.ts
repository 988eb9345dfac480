import { expect, test } from '@playwright/test';
import type { LabGlobal } from '../app/testBridge.ts';
import { LabPage } from './pages/labPage.ts';

/** Opens the page with the test flag (enables `__lab.hangWorker`). */
async function openWithTestFlag(lab: LabPage): Promise<void> {
  await lab.page.goto('/?labtest');
  await lab.page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 30_000,
  });
}

test('a worker that stops answering is replaced and the run rebuilt at the same moment', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await openWithTestFlag(lab);
  await lab.runTo(3_000_000);
  await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.triggerCheckpoint());
  await lab.runTo(4_500_000);
  const hash = await lab.traceHash();
  const actions = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.actions());
  expect(actions).toHaveLength(1);
  const generation = await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).__lab!.workerGeneration(),
  );

  // The worker spins forever; the next command (a step) gets no answer.
  await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.hangWorker!());
  await lab.stepButton.click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('stopped answering', { timeout: 20_000 });
  await expect(alert).toContainText('back at 4.500 s', { timeout: 20_000 });
  expect(
    await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.workerGeneration()),
  ).toBeGreaterThan(generation);

  // The same moment of the same run: time, actions and trace hash.
  expect((await lab.frame())!.time).toBe(4_500_000);
  expect(await lab.traceHash()).toBe(hash);
  expect(await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.actions())).toEqual(actions);
  await expect(lab.stepButton).toBeEnabled();
  const after = await lab.step1();
  expect(after.processedEvents).toBeGreaterThan(0);
  await page.screenshot({ path: 'screenshots/watchdog-wide.png' });
});

test('the hang hook exists only with the test flag', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  expect(await page.evaluate(() => typeof (globalThis as unknown as LabGlobal).__lab!.hangWorker)).toBe(
    'undefined',
  );
});

test('a long run-to shows its progress and can be cancelled', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.open();
  // An hour of virtual time: far longer than this test waits.
  await page.evaluate(() => {
    const g = globalThis as unknown as LabGlobal & { longRun?: Promise<number> };
    g.longRun = g.__lab!.runTo(3_600_000_000).then((f) => f.time);
  });
  const bar = page.getByTestId('command-progress');
  await expect(bar).toBeVisible({ timeout: 15_000 });
  await expect(bar.getByRole('progressbar')).toBeVisible();
  await expect(lab.stepButton).toBeDisabled();
  await page.waitForTimeout(800);
  await bar.getByRole('button', { name: 'Cancel' }).click();
  const reached = await page.evaluate(() => (globalThis as unknown as { longRun: Promise<number> }).longRun);
  expect(reached).toBeGreaterThan(0);
  expect(reached).toBeLessThan(3_600_000_000);
  await lab.idle();
  await expect(bar).toHaveCount(0);
  // The run stopped where it got to and goes on from there.
  expect((await lab.frame())!.time).toBe(reached);
  const next = await lab.runTo(reached + 1_000_000);
  expect(next.time).toBe(reached + 1_000_000);
});

test('a seek far into a long run restores an engine snapshot instead of rebuilding the run', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.open();
  // Get far into the run first (cancelled after a few seconds), then travel back to just before there.
  const runStarted = Date.now();
  await page.evaluate(() => {
    const g = globalThis as unknown as LabGlobal & { longRun?: Promise<number> };
    g.longRun = g.__lab!.runTo(3_600_000_000).then((f) => f.time);
  });
  const bar = page.getByTestId('command-progress');
  await expect(bar).toBeVisible({ timeout: 15_000 });
  await page.waitForTimeout(3000);
  await bar.getByRole('button', { name: 'Cancel' }).click();
  const far = await page.evaluate(() => (globalThis as unknown as { longRun: Promise<number> }).longRun);
  const runWall = Date.now() - runStarted;
  await lab.idle();
  const target = far - 1_000_000;
  const hash = await lab.traceHash();
  const started = Date.now();
  const frame = await lab.seek(target);
  const took = Date.now() - started;
  expect(frame.time).toBe(target);
  // From a snapshot at most sim.snapshotEvery back: far less than the time the run took to get there (rebuilding it
  // from the start would take at least that).
  expect(took).toBeLessThan(runWall / 2);
  // Forward again to where the run was: the same timeline, the same trace.
  expect((await lab.runTo(far)).time).toBe(far);
  expect(await lab.traceHash()).toBe(hash);
  await expect(bar).toHaveCount(0);
});

test('a fault time out of range is refused in the dialog and by the worker', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(2_000_000);
  await lab.menuAction(lab.tmButton('tm-1'), /Schedule a fault at a virtual time/);
  const dialog = page.getByTestId('schedule-dialog');
  await dialog.getByLabel('At virtual time in seconds').fill('1e300');
  await expect(dialog.getByTestId('schedule-hint')).toContainText('between 2.000 s and 86400 s');
  await expect(dialog.getByRole('button', { name: 'Schedule' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The worker refuses it too (a caller other than the dialog), and nothing is recorded.
  const refused = await page.evaluate(() =>
    (globalThis as unknown as LabGlobal)
      .__lab!.injectFault({ kind: 'kill-taskmanager', target: 'tm-1', at: 1e300 })
      .then(
        () => 'accepted',
        (e: unknown) => String(e),
      ),
  );
  expect(refused).toContain('between 0 and 24 h');
  expect(await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.actions())).toEqual([]);
  // Seeking still works (before the guard, every later seek threw until reload).
  expect((await lab.seek(1_000_000)).time).toBe(1_000_000);
  expect((await lab.runTo(3_000_000)).time).toBe(3_000_000);
});
