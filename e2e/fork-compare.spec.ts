import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { TimelineInfo } from '../engine/protocol.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import { LabPage } from './pages/labPage.ts';

/** Screenshots for people to look at (issue 10: every changed view at both sizes, light and dark). */
const SHOTS = process.env.SHOTS_DIR ?? '/screenshots/h3';

function timelines(page: Page): Promise<TimelineInfo[]> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.timelines());
}

test('act in the past, switch between the original and the fork, compare them side by side', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(40_000_000);
  const originalHash = await lab.traceHash();
  const marks = page.locator('.scrub-marks line');
  const originalMarks = await marks.count();
  expect(originalMarks).toBeGreaterThan(30);
  const list = page.getByTestId('timeline-list');
  await expect(list).toHaveCount(0);

  // Acting in the past forks: the fork loses tm-1 for 10 s just before the window of 30 s fires.
  await lab.seek(25_000_000);
  await lab.injectFault({ kind: 'kill-taskmanager', target: 'tm-1', durationUs: 10_000_000 });
  await lab.runTo(32_000_000);
  const forkHash = await lab.traceHash();
  await expect(list).toBeVisible();
  await expect(list.getByRole('button', { name: /^Original/ })).toHaveAttribute('aria-pressed', 'false');
  await expect(list.getByRole('button', { name: /^Fork at 25\.000 s \(current\)/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  expect((await timelines(page)).map((t) => [t.label, t.current, t.endUs, t.actionCount])).toEqual([
    ['Original', false, 40_000_000, 0],
    ['Fork at 25.000 s', true, 32_000_000, 1],
  ]);
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator('.scrubber').screenshot({ path: `${SHOTS}/timeline-list-1280-${scheme}.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SHOTS}/timeline-list-390x844-${scheme}.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Back to the original from the list: its future is intact (its end, its trace, no failure, its marks).
  await list.getByRole('button', { name: /^Original/ }).click();
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(40_000_000);
  expect(await lab.maxTime()).toBe(40_000_000);
  expect(await lab.traceHash()).toBe(originalHash);
  let frame = (await lab.frame())!;
  expect(frame.restarts).toBe(0);
  expect(frame.taskManagerAlive).toEqual([true, true]);
  expect(frame.forkedAt).toBeNull();
  // The scrubber shows the original's whole history again (its checkpoint marks up to 40 s).
  await expect(marks).toHaveCount(originalMarks);
  await expect(list.getByRole('button', { name: /^Original \(current\)/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // And to the fork again (the bridge): its own future is there too.
  frame = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.switchTimeline(1));
  expect(frame.time).toBe(32_000_000);
  expect(frame.restarts).toBe(1);
  expect(await lab.traceHash()).toBe(forkHash);
  expect(await lab.maxTime()).toBe(32_000_000);

  // Compare: both graphs at the same virtual time, both outputs, the first differing record highlighted.
  await list.getByRole('button', { name: /Compare with the original/ }).click();
  const dialog = page.getByTestId('compare-dialog');
  const a = dialog.getByTestId('compare-side-a');
  const b = dialog.getByTestId('compare-side-b');
  await expect(a).toHaveAttribute('data-time', '32000000');
  await expect(b).toHaveAttribute('data-time', '32000000');
  await expect(a).toContainText('Original');
  await expect(b).toContainText('Fork at 25.000 s');
  await expect(a.getByTestId('subtask')).toHaveCount(6);
  await expect(b.getByTestId('subtask')).toHaveCount(6);
  await expect(a.getByTestId('compare-facts')).toContainText('0 restarts');
  await expect(b.getByTestId('compare-facts')).toContainText('1 restart ');
  const diff = dialog.getByTestId('compare-difference');
  await expect(diff).toHaveAttribute('data-differs', 'true');
  await expect(diff).toContainText('First difference');
  await expect(diff).toContainText('page');
  await expect(diff).toContainText('count 1000');
  await expect(diff).toContainText('nothing committed');
  const highlighted = a.locator('[data-testid="compare-row"][data-differs="true"]');
  await expect(highlighted).toHaveCount(1);
  await expect(highlighted).toBeVisible();
  await expect(highlighted).toHaveClass(/cmp-differs/);
  await expect(b.getByTestId('compare-missing')).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/compare-1280x800-${scheme}.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/compare-390x844-${scheme}.png` });
    await b.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/compare-390x844-${scheme}-fork.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The shared slider moves both: at 40 s the fork has caught up and both committed the same records.
  const slider = dialog.getByRole('slider');
  await slider.focus();
  await page.keyboard.press('End');
  await expect(dialog.getByTestId('compare-time')).toHaveText('40.000 s');
  await expect(a).toHaveAttribute('data-time', '40000000');
  await expect(b).toHaveAttribute('data-time', '40000000');
  await expect(diff).toHaveAttribute('data-differs', 'false');
  await expect(dialog.locator('[data-testid="compare-row"][data-differs="true"]')).toHaveCount(0);
  // The run shown behind the dialog did not move.
  expect((await lab.frame())!.time).toBe(32_000_000);
  expect(await lab.traceHash()).toBe(forkHash);
});
