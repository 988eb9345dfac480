/**
 * The user's own scenarios (issue 11): saved in IndexedDB, they survive reloads; rename, delete, export, import (a
 * bad file names its problem and changes nothing); an unsaved edit — applied or still in the editor — survives an
 * accidental reload.
 */
import { expect, test, type Page } from '@playwright/test';
import type { LabGlobal } from '../app/testBridge.ts';
import { presetScenario } from '../engine/engine.ts';
import { LabPage } from './pages/labPage.ts';

async function ready(page: Page): Promise<LabPage> {
  const lab = new LabPage(page);
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 60_000,
  });
  await lab.idle();
  return lab;
}

async function openMyScenarios(page: Page) {
  await page.getByRole('button', { name: /^My scenarios/ }).click();
  const dialog = page.getByTestId('my-scenarios');
  await expect(dialog).toBeVisible();
  return dialog;
}

test('save, rename, reload, open, delete', async ({ page }) => {
  await page.goto('/');
  const lab = await ready(page);
  let dialog = await openMyScenarios(page);
  await expect(dialog.getByTestId('no-saved')).toBeVisible();
  await dialog.getByLabel('Save the scenario on screen as').fill('Playground, seed 42');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByTestId('storage-message')).toHaveText('Saved "Playground, seed 42".');
  const row = dialog.getByTestId('saved-scenario');
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByRole('textbox').fill('Rescale study');
  await row.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog.getByTestId('storage-message')).toHaveText('Renamed to "Rescale study".');

  await page.reload();
  await ready(page);
  dialog = await openMyScenarios(page);
  await expect(dialog.getByTestId('saved-scenario')).toHaveAttribute('data-name', 'Rescale study');
  // Export gives the scenario document itself.
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('rescale-study.json');
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog).toHaveCount(0);
  await lab.idle();
  await expect(lab.scenarioName).toHaveText('Click event count');

  dialog = await openMyScenarios(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await dialog
    .getByRole('group', { name: 'Delete Rescale study?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(dialog.getByTestId('storage-message')).toHaveText('Deleted "Rescale study".');
  await expect(dialog.getByTestId('saved-scenario')).toHaveCount(0);
  await page.reload();
  await ready(page);
  dialog = await openMyScenarios(page);
  await expect(dialog.getByTestId('no-saved')).toBeVisible();
});

test('importing a bad file names the problem and changes nothing; a good one is added', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const dialog = await openMyScenarios(page);
  const input = dialog.getByTestId('import-file');
  const good = JSON.stringify(
    { ...(presetScenario('click-count') as object), name: 'Imported clicks' },
    null,
    2,
  );
  await input.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "version": 1,\n  oops\n}'),
  });
  await expect(dialog.getByRole('alert')).toContainText(/"broken.json" is not valid JSON.*line 3/);
  await expect(dialog.getByRole('alert')).toContainText('Nothing was imported');
  await input.setInputFiles({
    name: 'typo.json',
    mimeType: 'application/json',
    buffer: Buffer.from(good.replace('"parallelism": 2', '"paralelism": 2')),
  });
  await expect(dialog.getByRole('alert')).toContainText('did you mean "parallelism"');
  await expect(dialog.getByTestId('saved-scenario')).toHaveCount(0);
  await input.setInputFiles({ name: 'clicks.json', mimeType: 'application/json', buffer: Buffer.from(good) });
  await expect(dialog.getByTestId('storage-message')).toHaveText(
    'Imported "Imported clicks". Open it from the list.',
  );
  await expect(dialog.getByTestId('saved-scenario')).toHaveAttribute('data-name', 'Imported clicks');
});

test('an unsaved edit survives an accidental reload, applied or still in the editor', async ({ page }) => {
  await page.goto('/');
  const lab = await ready(page);
  // An applied edit (as the editor's Apply or a quick switch does): the scenario on screen is unsaved.
  const edited = { ...(presetScenario('click-count') as object), name: 'My unsaved edit' };
  await page.evaluate((d) => (globalThis as unknown as LabGlobal).__lab!.load(d), edited);
  await expect(lab.scenarioName).toHaveText('My unsaved edit');
  await page.waitForTimeout(800); // the autosave waits 300 ms after the last change
  await page.reload();
  await ready(page);
  await expect(lab.scenarioName).toHaveText('My unsaved edit');
  await expect(page.getByRole('alert')).toContainText('was brought back after the reload');

  // Text typed in the editor, not applied yet.
  await page.keyboard.press('e');
  const editor = page.getByTestId('scenario-editor');
  await editor.locator('[data-path="name"]').getByRole('textbox').fill('Typed, not applied');
  await page.waitForTimeout(800);
  await page.reload();
  await ready(page);
  await expect(page.getByTestId('scenario-editor')).toBeVisible();
  await expect(page.getByTestId('scenario-editor').locator('.cm-content')).toContainText(
    'Typed, not applied',
  );
  await expect(lab.scenarioName).toHaveText('My unsaved edit');

  // A link opened later does not overwrite the draft: it stays in My scenarios.
  await page.getByTestId('scenario-editor').getByRole('button', { name: 'Cancel' }).click();
  await page.evaluate((d) => (globalThis as unknown as LabGlobal).__lab!.load(d), edited);
  await page.waitForTimeout(800);
  const link = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.shareLink());
  await page.goto('about:blank');
  await page.goto(link.replace(/^http:\/\/localhost:\d+/, ''));
  await ready(page);
  await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.loadPreset('click-count'));
  await page.waitForTimeout(800);
  const dialog = await openMyScenarios(page);
  await expect(dialog.getByTestId('draft-row')).toContainText('Unsaved draft: My unsaved edit');
});

test('text typed in the editor over a preset comes back on that preset; cancelling it leaves no draft', async ({
  page,
}) => {
  await page.goto('/');
  const lab = await ready(page);
  await page.keyboard.press('e');
  await page
    .getByTestId('scenario-editor')
    .locator('[data-path="name"]')
    .getByRole('textbox')
    .fill('Typed on a preset');
  await page.waitForTimeout(800);
  await page.reload();
  await ready(page);
  const editor = page.getByTestId('scenario-editor');
  await expect(editor.locator('.cm-content')).toContainText('Typed on a preset');
  await expect(lab.scenarioName).toHaveText('Click event count');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(800);
  await page.reload();
  await ready(page);
  await expect(page.getByTestId('scenario-editor')).toHaveCount(0);
  await expect(page.getByText('was brought back after the reload')).toHaveCount(0);
});
