import { expect, test, type Locator } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

/** One attribute of every element a locator matches. */
async function attrs(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}

test('the log opens on the story; All folds barrier lines per checkpoint; details expand', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(6_300_000);
  await lab.menuAction(lab.tmButton('tm-1'), /^Kill \(stays down/);
  await lab.runTo(13_000_000);
  const log = lab.log;

  // Story is the default view: only story lines, among them the kill, the detection and the restart.
  await expect(page.getByTestId('log-view-story')).toHaveAttribute('aria-pressed', 'true');
  await expect(log).toHaveAttribute('data-view', 'story');
  const rows = log.locator(':scope > li');
  await expect(rows.first()).toBeVisible();
  for (const story of await attrs(rows, 'data-story')) expect(story).toBe('true');
  const events = await attrs(rows, 'data-event');
  expect(events).toContain('fault-injected');
  expect(events).toContain('checkpoint-completed');
  expect(events).toContain('restart-scheduled');
  expect(events).not.toContain('barrier-received');

  // The restart line carries the strategy's full description behind ▸.
  const restart = log.locator('li[data-event="restart-scheduled"]').first();
  await restart.getByRole('button', { name: 'Show details' }).click();
  await expect(restart.getByTestId('log-detail')).toContainText(/RestartBackoffTimeStrategy|Strategy/);

  // A completed checkpoint expands into its barrier lines.
  const completed = log.locator('li[data-event="checkpoint-completed"]').first();
  await completed.getByRole('button', { name: 'Show details' }).click();
  await expect(completed.getByRole('list', { name: 'Barrier events of this checkpoint' })).toBeVisible();

  // All: barrier-level lines are folded, one row per checkpoint, with its acknowledgement summary.
  await page.getByTestId('log-view-all').click();
  await expect(log).toHaveAttribute('data-view', 'all');
  const group = log.getByTestId('log-group').first();
  await expect(group).toBeVisible();
  const toggle = group.locator('.log-group-toggle');
  await expect(toggle).toHaveText(
    /^checkpoint \d+: (\d+\/\d+ acknowledged in \d+ (ms|µs|s)|\d+ barrier events?)/,
  );
  const ids = await attrs(log.getByTestId('log-group'), 'data-checkpoint');
  expect(new Set(ids).size, 'one row per checkpoint').toBe(ids.length);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(
    group.getByRole('list', { name: 'Barrier events of this checkpoint' }).locator('li').first(),
  ).toBeVisible();
  expect(
    await log.locator(':scope > li[data-event="barrier-received"]').count(),
    'no loose barrier line',
  ).toBe(0);
});

test('a long run keeps its whole story: the first lines stay while All keeps only recent lines', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.open();
  // Played on in 10 s steps, as a user playing the run would receive it (frames keep coming).
  for (let t = 10_000_000; t <= 200_000_000; t += 10_000_000) await lab.runTo(t);
  await page.getByTestId('log-view-all').click();
  // All is capped: the start of the run is gone from it.
  const allTimes = await lab.log.locator('.log-time').allTextContents();
  expect(allTimes.at(-1)).not.toBe('0.000 s');
  await page.getByTestId('log-view-story').click();
  // Story pages back to the start of the run: its first line (the job switching to RUNNING at 0) is still there.
  const more = page.getByRole('button', { name: /^Show \d+ earlier/ });
  while ((await more.count()) > 0) await more.click();
  await expect(lab.log.locator(':scope > li').last().locator('.log-time')).toHaveText('0.000 s');
  await expect(lab.log.locator(':scope > li').last()).toHaveAttribute('data-event', 'job-status');
});
