import { expect, test, type Page } from '@playwright/test';
import type { Frame } from '../engine/protocol.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import { LabPage } from './pages/labPage.ts';

/** Plays for `ms` of wall time and returns the share of animation frames showing checkpoint activity and the rate. */
async function watch(page: Page, ms: number): Promise<{ share: number; virtualPerWall: number }> {
  return page.evaluate(
    (duration) =>
      new Promise<{ share: number; virtualPerWall: number }>((resolve) => {
        const lab = (globalThis as unknown as LabGlobal).__lab!;
        const g = globalThis as unknown as { requestAnimationFrame(cb: (t: number) => void): void };
        const raf = (cb: (t: number) => void) => g.requestAnimationFrame(cb);
        const isActive = (f: Frame) =>
          f.inFlight.some((i) => i.kind === 'barrier') ||
          f.channelBlocked.some(Boolean) ||
          f.subtaskPhase.some(
            (p) => p !== null && (p.phase === 'aligning' || p.phase === 'sync' || p.phase === 'async'),
          );
        let start = -1;
        let v0 = 0;
        let n = 0;
        let active = 0;
        const tick = (t: number) => {
          const f = lab.shownFrame();
          if (start < 0) {
            start = t;
            v0 = f?.time ?? 0;
          }
          if (f !== null) {
            n++;
            if (isActive(f)) active++;
          }
          if (t - start < duration) raf(tick);
          else
            resolve({
              share: active / Math.max(1, n),
              virtualPerWall: ((f?.time ?? v0) - v0) / 1000 / (t - start),
            });
        };
        raf(tick);
      }),
    ms,
  );
}

test('teaching time slows playback while a checkpoint is in progress, and can be switched off', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.open();
  const badge = page.getByTestId('teaching-badge');
  const toggle = page.getByTestId('teaching-toggle');
  await expect(toggle).toBeChecked();
  await expect(badge).toHaveAttribute('data-active', 'false');

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(badge).toHaveAttribute('data-active', 'true', { timeout: 5000 });
  await expect(badge).toContainText(/slow motion: checkpoint \d+ in progress/);
  const on = await watch(page, 4000);

  await toggle.uncheck();
  await expect(badge).toHaveAttribute('data-active', 'false');
  await expect(badge).toContainText('Teaching time is off');
  await page.waitForTimeout(400);
  const off = await watch(page, 4000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();

  // Slowed for checkpoints: far more frames show one, and the job still moves on.
  expect(on.share, `activity share with teaching time ${JSON.stringify({ on, off })}`).toBeGreaterThan(
    2 * off.share,
  );
  expect(on.share).toBeGreaterThan(0.2);
  expect(on.virtualPerWall).toBeGreaterThan(0.2);
  expect(off.virtualPerWall).toBeGreaterThan(on.virtualPerWall);

  // The choice is remembered.
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
  await expect(page.getByTestId('teaching-toggle')).not.toBeChecked();
  await page.getByTestId('teaching-toggle').check();
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
  await expect(page.getByTestId('teaching-toggle')).toBeChecked();
});

test('the badge names the checkpoint the shown frame is working on', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const badge = page.getByTestId('teaching-badge');
  await expect(badge).toHaveAttribute('data-active', 'true', { timeout: 5000 });
  const id = Number(await badge.getAttribute('data-checkpoint'));
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const f = (await lab.frame())!;
  const seen = new Set<number>([
    ...f.checkpoints.pending.map((p) => p.id),
    ...f.subtaskPhase.filter((p) => p !== null).map((p) => p.checkpointId),
    ...(f.checkpoints.latestCompleted ? [f.checkpoints.latestCompleted.id] : []),
  ]);
  expect(seen.has(id), `checkpoint ${id} in ${JSON.stringify([...seen])}`).toBe(true);
});

test('slow motion loses no narrated event: the log after playing equals the log of the rebuilt run', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('teaching-badge')).toHaveAttribute('data-active', 'true', { timeout: 5000 });
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await lab.idle();
  const counts = page.locator('#panel-log .card-head .muted');
  const played = await counts.allTextContents();
  const t = (await lab.frame())!.time;
  expect(t).toBeGreaterThan(1_000_000);
  // The same run on a fresh page, straight to t without pacing: the same story and the same log lines.
  await lab.open();
  await lab.runTo(t);
  await expect(counts).toHaveText(played);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots: teaching badge, progress bar and watchdog message (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const lab = new LabPage(page);
    await page.goto('/?labtest');
    await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
    for (const [name, size] of [
      ['wide', { width: 1280, height: 800 }],
      ['narrow', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(size);
      const badge = page.getByTestId('teaching-badge');
      await lab.speed.selectOption('1');
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await badge.scrollIntoViewIfNeeded();
      await expect(badge).toHaveAttribute('data-active', 'true', { timeout: 5000 });
      await page.screenshot({ path: `screenshots/teaching-badge-${name}-${scheme}.png` });
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.evaluate(() =>
        (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
      );

      await page.evaluate(() => {
        const g = globalThis as unknown as LabGlobal & { longRun?: Promise<unknown> };
        g.longRun = g.__lab!.runTo(3_600_000_000).catch(() => undefined);
      });
      const bar = page.getByTestId('command-progress');
      await expect(bar).toBeVisible({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `screenshots/progress-${name}-${scheme}.png` });
      await bar.getByRole('button', { name: 'Cancel' }).click();
      await page.evaluate(() => (globalThis as unknown as { longRun: Promise<unknown> }).longRun);
      await lab.idle();
    }
    await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.hangWorker!());
    await expect(page.getByRole('alert')).toContainText('you are back at', { timeout: 25_000 });
    await page.screenshot({ path: `screenshots/watchdog-narrow-${scheme}.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `screenshots/watchdog-wide-${scheme}.png` });
  });
}
