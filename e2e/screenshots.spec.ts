import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';
import type { LabGlobal } from '../app/testBridge.ts';

/** Screenshots of every main view at both sizes, for people to look at (screenshots/ is not committed). */
const DIR = join(import.meta.dirname, '..', 'screenshots');

const VIEWS = [
  { name: 'desktop-1280x800', width: 1280, height: 800 },
  { name: 'phone-390x844', width: 390, height: 844 },
] as const;

async function noHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const g = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
  expect(overflow, 'nothing sticks out of the viewport horizontally').toBeLessThanOrEqual(0);
}

async function card(lab: LabPage, selector: string, file: string): Promise<void> {
  // The sticky top bar would cover the top of a card taller than the viewport while it scrolls.
  await lab.page.addStyleTag({ content: '.topbar { position: static !important; }' });
  const el = lab.page.locator(selector);
  await el.scrollIntoViewIfNeeded();
  await lab.page.waitForTimeout(250);
  await el.screenshot({ path: file });
}

for (const view of VIEWS) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot main view ${view.name} ${scheme}`, async ({ page }) => {
      mkdirSync(DIR, { recursive: true });
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new LabPage(page);
      await lab.open();
      // A deterministic moment just after a window fired, with buffers and watermarks mid-channel.
      const frame = await lab.runTo(16_000_500);
      expect(frame.inFlight.length, 'something in flight to draw').toBeGreaterThan(0);
      await expect(lab.virtualTime).toHaveText('16.000 s');
      await expect(lab.windowTable.locator('tbody tr').first()).toBeVisible();
      await expect.poll(() => lab.paintedPixels()).toBeGreaterThan(0);
      await page.screenshot({ path: join(DIR, `${view.name}-${scheme}-main.png`) });
      await page.screenshot({ path: join(DIR, `${view.name}-${scheme}-main-full.png`), fullPage: true });
      await noHorizontalOverflow(page);
    });
  }

  test(`screenshots of every view ${view.name}`, async ({ page }) => {
    test.setTimeout(120_000);
    mkdirSync(DIR, { recursive: true });
    await page.setViewportSize({ width: view.width, height: view.height });
    await page.emulateMedia({ colorScheme: 'light' });
    const lab = new LabPage(page);
    const shot = (name: string) => join(DIR, `${view.name}-${name}.png`);
    await lab.open();

    // Alignment: barrier 1 has blocked a channel.
    let frame = (await lab.frame())!;
    for (let i = 0; i < 20 && !frame.channelBlocked.some(Boolean); i++)
      frame = await lab.clickStep('barrier');
    expect(frame.channelBlocked.some(Boolean)).toBe(true);
    await page.locator('#panel-graph').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('alignment') });
    await card(lab, '#panel-graph', shot('graph-alignment'));

    // The subtask menu and the shortcut overlay.
    await lab.subtask('counter#0').click();
    await expect(lab.menu).toBeVisible();
    await page.screenshot({ path: shot('menu-subtask') });
    await page.keyboard.press('Escape');
    await page.locator('body').press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    await page.screenshot({ path: shot('help') });
    await page.keyboard.press('Escape');

    // A lost TaskManager and the failover.
    await lab.runTo(6_300_000);
    await lab.menuAction(lab.tmButton('tm-1'), /^Kill \(stays down/);
    await lab.runTo(8_000_000);
    await card(lab, '#panel-graph', shot('graph-tm-lost'));
    await lab.clickStep('failure');
    await card(lab, '#panel-graph', shot('graph-failover'));
    await lab.menuAction(lab.tmButton('tm-1'), /^Restart/);
    await lab.clickStep('restore');
    await lab.step1();
    await card(lab, '#panel-graph', shot('graph-restoring'));
    await lab.runTo(26_000_000);
    await expect
      .poll(async () => Number(await lab.verdict.getAttribute('data-duplicates')))
      .toBeGreaterThan(0);
    await card(lab, '#panel-output', shot('output-duplicates'));
    await card(lab, '#panel-log', shot('log'));

    // The checkpoint views.
    for (const tab of ['Overview', 'History', 'Summary', 'Configuration', 'Timeline'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'History')
        await page
          .getByRole('button', { name: /: show details$/ })
          .first()
          .click();
      if (tab === 'Timeline')
        await expect(page.getByRole('group', { name: /^Phases per subtask/ })).toBeVisible();
      await card(lab, '#panel-state', shot(`checkpoints-${tab.toLowerCase()}`));
    }
    await page.getByRole('tab', { name: 'State' }).click();
    await expect(page.getByTestId('keygroup-table')).toBeVisible();
    await card(lab, '#panel-state', shot('state'));
    await page.getByRole('tab', { name: 'Subtasks' }).click();
    await card(lab, '#panel-state', shot('subtasks'));
    await noHorizontalOverflow(page);
  });
}

/** The explainer's views (story log, failure explanation, tour, help, glossary), light and dark. */
for (const view of VIEWS) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshots of the explainer ${view.name} ${scheme}`, async ({ page }) => {
      test.setTimeout(120_000);
      mkdirSync(DIR, { recursive: true });
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      const shot = (name: string) => join(DIR, `${view.name}-${scheme}-${name}.png`);
      // First visit: the tour.
      await page.goto('/?tour');
      await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
      await expect(page.getByTestId('tour')).toBeVisible();
      await page.waitForTimeout(300);
      await page.screenshot({ path: shot('tour-1') });
      await page.getByTestId('tour-next').click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: shot('tour-2') });
      await page.getByTestId('tour-skip').click();
      const lab = new LabPage(page);
      await page.screenshot({ path: shot('what-to-watch') });

      // Help, with a glossary word opened by a click.
      await page.getByRole('button', { name: 'Show keyboard shortcuts' }).click();
      await page.getByTestId('shortcut-help').locator('button.term[data-term="alignment"]').click();
      await expect(page.getByTestId('term-definition')).toBeVisible();
      await page.screenshot({ path: shot('help-glossary') });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');

      // A TaskManager killed for good: the countdown, then the job waiting for slots.
      await lab.runTo(6_300_000);
      await lab.menuAction(lab.tmButton('tm-1'), /^Kill \(stays down/);
      await lab.runTo(6_310_000);
      await expect(page.getByTestId('detect-countdown')).toBeVisible();
      await card(lab, '#panel-graph', shot('graph-countdown'));
      await lab.runTo(7_000_000);
      await card(lab, '#panel-graph', shot('graph-restarting-countdown'));
      await lab.runTo(20_000_000);
      await expect(page.getByTestId('waiting-for-slots')).toBeVisible();
      await card(lab, '#panel-graph', shot('graph-waiting-for-slots'));
      await page.evaluate(() =>
        (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
      );
      await page.screenshot({ path: shot('waiting-for-slots-top') });

      // The log: the story, and All with a checkpoint's barrier lines unfolded.
      await page.getByTestId('restart-tm-fix').click();
      await lab.idle();
      await lab.runTo(30_000_000);
      const restart = lab.log.locator('li[data-event="restart-scheduled"]').first();
      await restart.getByRole('button', { name: 'Show details' }).click();
      await card(lab, '#panel-log', shot('log-story'));
      await page.getByTestId('log-view-all').click();
      await lab.log.getByTestId('log-group').first().locator('.log-group-toggle').click();
      await card(lab, '#panel-log', shot('log-all-grouped'));
      await noHorizontalOverflow(page);
    });
  }
}
