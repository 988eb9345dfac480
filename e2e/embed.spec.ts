/**
 * Present and embed (README): the page in embed mode hides the chrome and answers the presenter keys (Space,
 * arrows, a clicker's PageUp / PageDown); the "Present & export" menu gives the iframe snippet, exports the run's
 * REST JSON and charts, exports the scenario to Flink, and imports a real cluster's statistics into the
 * Checkpoints panels (read-only, with a way back).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { LabGlobal } from '../app/testBridge.ts';

const SAMPLES = join(import.meta.dirname, '..', 'engine', 'checkpoint', 'testdata');

async function openPage(page: Page, path: string): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path);
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 30_000,
  });
  expect(errors, 'uncaught page errors').toEqual([]);
}

const time = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.shownFrame()?.time ?? -1);
const runTo = (page: Page, us: number) =>
  page.evaluate((t) => (globalThis as unknown as LabGlobal).__lab!.runTo(t), us);
const idle = (page: Page) =>
  page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.busy === false);

test.describe('embed mode', () => {
  test('hides the chrome: no toolbar, scrubber, scenario picker, side panels or editor', async ({ page }) => {
    await openPage(page, '/?embed');
    await expect(page.getByTestId('embed')).toBeVisible();
    await expect(page.getByTestId('scenario-name')).toHaveText('Click event count');
    await expect(page.locator('.graph-svg')).toBeVisible();
    for (const hidden of [
      page.getByRole('toolbar', { name: 'Playback' }),
      page.getByRole('slider', { name: /Timeline/ }),
      page.getByLabel('Scenario preset'),
      page.getByTestId('sink-table'),
      page.getByTestId('log'),
      page.getByTestId('what-to-watch'),
      page.getByTestId('export-menu'),
    ])
      await expect(hidden).toHaveCount(0);
    // Larger type than the full page's 18 px title.
    const size = await page.evaluate<number>(
      "parseFloat(getComputedStyle(document.querySelector('[data-testid=scenario-name]')).fontSize)",
    );
    expect(size).toBeGreaterThan(20);
  });

  test('Space plays and pauses, arrows move 1 s, PageDown / PageUp go to the next / previous moment', async ({
    page,
  }) => {
    await openPage(page, '/?embed');
    await runTo(page, 5_000_000);
    await idle(page);

    await page.keyboard.press('Space');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    const t0 = await time(page);
    await expect.poll(() => time(page)).toBeGreaterThan(t0);
    await page.keyboard.press('Space');
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    await idle(page);

    const before = await time(page);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => time(page)).toBe(before + 1_000_000);
    await idle(page);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => time(page)).toBe(before);
    await idle(page);

    // Next moment: the playhead lands exactly on the next story line, which the caption shows.
    const start = await time(page);
    await page.keyboard.press('PageDown');
    await expect.poll(() => time(page)).toBeGreaterThan(start);
    await idle(page);
    const next = await time(page);
    const caption = page.getByTestId('embed-caption');
    await expect(caption).toContainText(`${(next / 1_000_000).toFixed(3)} s`);
    await page.keyboard.press('PageDown');
    await expect.poll(() => time(page)).toBeGreaterThan(next);
    await idle(page);
    const after = await time(page);

    // Previous moment: back to the story line before the playhead (the run is rebuilt there).
    await page.keyboard.press('PageUp');
    await expect.poll(() => time(page)).toBeLessThan(after);
    await idle(page);
    expect(await time(page)).toBe(next);
    await expect(caption).toContainText(`${(next / 1_000_000).toFixed(3)} s`);
  });

  test('the presenter buttons do what the keys do, and ?preset picks the scenario', async ({ page }) => {
    await openPage(page, '/?embed&preset=rolling-sum');
    await expect(page.getByTestId('scenario-name')).toHaveText('Rolling sum');
    await runTo(page, 3_000_000);
    await idle(page);
    await page.getByRole('button', { name: /^Next moment/ }).click();
    await expect.poll(() => time(page)).toBeGreaterThan(3_000_000);
  });
});

test.describe('Present & export menu', () => {
  test('Embed… gives an iframe snippet of the embed view', async ({ page }) => {
    await openPage(page, '/');
    await page.getByTestId('export-menu').click();
    await page.getByRole('menuitem', { name: /^Embed…/ }).click();
    const snippet = page.getByTestId('embed-snippet');
    await expect(snippet).toHaveValue(
      /^<iframe src="http:\/\/localhost:\d+\/\?embed&amp;preset=click-count" width="960" height="540" title="Checkpoint Lab: Click event count"/,
    );
    await page.getByLabel('1280 × 720').check();
    await expect(snippet).toHaveValue(/width="1280" height="720"/);
  });

  test('Export the run… saves the REST JSON zip and the charts as SVG and PNG', async ({ page }) => {
    await openPage(page, '/');
    await runTo(page, 6_000_000);
    await idle(page);
    await page.getByTestId('export-menu').click();
    await page.getByRole('menuitem', { name: /^Export the run…/ }).click();

    const zip = page.waitForEvent('download');
    await page.getByTestId('export-rest').click();
    const zipFile = await zip;
    expect(zipFile.suggestedFilename()).toBe('click-event-count-checkpoints-rest.zip');
    const bytes = readFileSync(await zipFile.path());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const names = bytes.toString('latin1');
    for (const part of [
      'jobs/00000000000000000000000000000000/checkpoints.json',
      'checkpoints/config.json',
      'checkpoints/details/1.json',
      '/subtasks/',
    ])
      expect(names).toContain(part);

    const svg = page.waitForEvent('download');
    await page.getByTestId('export-checkpoint-timeline-svg').click();
    const svgText = readFileSync(await (await svg).path(), 'utf8');
    expect(svgText).toContain('<svg');
    expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');

    const png = page.waitForEvent('download');
    await page.getByTestId('export-state-chart-png').click();
    const pngBytes = readFileSync(await (await png).path());
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(page.getByTestId('export-status')).toContainText('Saved click-event-count-state-chart.png');
  });

  test('Export to Flink… shows job.sql and config.yaml for download', async ({ page }) => {
    await openPage(page, '/');
    await page.getByTestId('export-menu').click();
    await page.getByRole('menuitem', { name: /^Export to Flink…/ }).click();
    await expect(page.getByTestId('export-flink-files')).toContainText('job.sql');
    await expect(page.getByTestId('export-flink-files')).toContainText('config.yaml');
    await expect(page.getByTestId('export-flink-preview')).toContainText('FROM TABLE(TUMBLE(TABLE `input`');
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download all (.zip)' }).click();
    expect((await dl).suggestedFilename()).toBe('click-event-count-flink.zip');
  });

  test('Import Flink statistics… shows a real response read-only, names the field of a bad one, and goes back', async ({
    page,
  }) => {
    await openPage(page, '/');
    await runTo(page, 4_000_000);
    await idle(page);
    await page.getByTestId('export-menu').click();
    await page.getByRole('menuitem', { name: /^Import Flink statistics…/ }).click();

    // A bad file: the message names the field; the panels are unchanged.
    const bad = JSON.parse(readFileSync(join(SAMPLES, 'flink-1.15-checkpoints.json'), 'utf8')) as {
      history: { status: string }[];
    };
    bad.history[1]!.status = 'DONE';
    await page.getByTestId('import-file').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await expect(page.getByTestId('import-error')).toContainText(
      'bad.json: history[1].status: expected one of',
    );
    await expect(page.getByTestId('imported-banner')).toHaveCount(0);

    await page.getByTestId('import-file').setInputFiles(join(SAMPLES, 'flink-1.14-checkpoints.json'));
    const banner = page.getByTestId('imported-banner');
    await expect(banner).toContainText('flink-1.14-checkpoints.json');
    await expect(banner).toContainText('Flink 1.14 format');
    const panel = page.getByTestId('checkpoints-panel');
    await expect(panel.locator('[data-count="triggered"]')).toHaveText('2');
    await expect(page.getByTestId('latest-completed-id')).toContainText('1');
    await expect(panel).toContainText('2022-05-12 09:27:34 UTC');
    await expect(panel.getByRole('button', { name: /go there|Move the playhead/ })).toHaveCount(0);

    await page.getByTestId('imported-back').click();
    await expect(page.getByTestId('imported-banner')).toHaveCount(0);
    const completed = (await page.evaluate(() =>
      (globalThis as unknown as LabGlobal).__lab!.checkpointStats(),
    )) as { counts: { total: number } };
    await expect(panel.locator('[data-count="triggered"]')).toHaveText(String(completed.counts.total));
  });
});
