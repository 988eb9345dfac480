import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';
import type { LabGlobal } from '../app/testBridge.ts';

async function openFirstVisit(page: Page): Promise<void> {
  // Automated browsers get the first-visit tour only with ?tour (other specs are not covered by it).
  await page.goto('/?tour');
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
}

test('first visit: the tour walks the screen, can be skipped, and is remembered', async ({ page }) => {
  await openFirstVisit(page);
  const tour = page.getByTestId('tour');
  await expect(tour).toBeVisible();
  await expect(tour).toHaveAttribute('data-step', 'graph');
  const steps: string[] = [];
  for (let i = 0; i < 3; i++) {
    steps.push((await tour.getAttribute('data-step')) ?? '');
    await page.getByTestId('tour-next').click();
  }
  steps.push((await tour.getAttribute('data-step')) ?? '');
  expect(steps).toEqual(['graph', 'barrier', 'checkpoints', 'faults']);
  // Each step names its words with definitions.
  await expect(tour.locator('button.term').first()).toBeVisible();
  await page.getByTestId('tour-skip').click();
  await expect(tour).toHaveCount(0);

  // Remembered: a reload does not show it again.
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true);
  await page.waitForTimeout(500);
  await expect(tour).toHaveCount(0);

  // Help reopens it.
  await page.getByRole('button', { name: 'Show keyboard shortcuts' }).click();
  await page.getByTestId('open-tour').click();
  await expect(tour).toBeVisible();
  await expect(tour).toHaveAttribute('data-step', 'graph');
  await page.keyboard.press('Escape');
  await expect(tour).toHaveCount(0);
});

test('the preset says what to watch, and which clock is which', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const strip = page.getByTestId('what-to-watch');
  await expect(strip).toBeVisible();
  await expect(strip).toContainText('What to watch');
  await expect(strip).toContainText(/window/);
  await expect(strip).toContainText('virtual time');
  await expect(strip).toContainText('event time');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('? opens help by a tap, with how to read the screen; a glossary word is defined by a tap', async ({
    page,
  }) => {
    const lab = new LabPage(page);
    await lab.open();
    await page.getByRole('button', { name: 'Show keyboard shortcuts' }).tap();
    const help = page.getByTestId('shortcut-help');
    await expect(help).toBeVisible();
    await expect(help).toContainText('How to read this screen');
    await expect(help).toContainText('Two clocks');

    // Tap a word: its definition shows, with a link to the Flink docs; a tap elsewhere closes it.
    await help.locator('button.term[data-term="alignment"]').tap();
    const def = page.getByTestId('term-definition');
    await expect(def).toBeVisible();
    await expect(def).toContainText('Barrier alignment');
    await expect(def.getByRole('link', { name: /Flink docs/ })).toHaveAttribute(
      'href',
      /^https:\/\/nightlies\.apache\.org\/flink\/flink-docs-release-1\.20\/docs\//,
    );
    const box = (await def.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await help.getByRole('heading', { name: 'How to read this screen' }).tap();
    await expect(def).toHaveCount(0);
  });
});

test('every Flink word on screen has a hover definition with a docs link', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const term = page.locator('.legend button.term[data-term="barrier"]');
  await term.hover();
  const def = page.getByTestId('term-definition');
  await expect(def).toBeVisible();
  await expect(def).toContainText('Checkpoint barrier');
  await page.mouse.move(0, 0);
  await expect(def).toHaveCount(0);
  // The glossary covers the terms the issue lists.
  await page.getByRole('button', { name: 'Show keyboard shortcuts' }).click();
  const glossary = page.locator('.help-glossary');
  await glossary.locator('summary').click();
  for (const word of [
    'Checkpoint barrier',
    'Barrier alignment',
    'Key group',
    'Two-phase commit',
    'Savepoint',
    'Watermark',
    'Reference run',
    'Trace hash',
    'Checkpoint',
    'Subtask',
    'TaskManager',
    'Task slot',
    'Backpressure',
    'Unaligned checkpoint',
    'Exactly-once',
    'At-least-once',
  ])
    await expect(glossary.locator('dt', { hasText: new RegExp(`^${word}$`) })).toHaveCount(1);
});
