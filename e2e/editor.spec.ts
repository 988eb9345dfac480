import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

async function openEditor(page: Page) {
  await page.keyboard.press('e');
  const editor = page.getByTestId('scenario-editor');
  await expect(editor).toBeVisible();
  await expect(editor.locator('.cm-content')).toContainText('"version": 1');
  return editor;
}

test.describe('the scenario editor', () => {
  test('an invalid edit shows the error at the field and in the JSON view; the run is untouched', async ({
    page,
  }) => {
    const lab = new LabPage(page);
    await lab.open();
    await lab.runTo(2_000_000);
    const hash = await lab.traceHash();
    const topology = await lab.topology();

    const editor = await openEditor(page);
    const tms = editor.locator('[data-path="cluster.taskManagers"]');
    await tms.getByRole('textbox').fill('0');
    // At the field: the engine's schema message.
    await expect(tms.locator('.field-error')).toContainText('must be at least 1');
    await expect(tms.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');
    // In the JSON view: the same document, with a diagnostic on the value.
    const json = editor.getByTestId('editor-json');
    await expect(json).toContainText('"taskManagers": 0');
    await expect(json).toHaveAttribute('data-diagnostics', '1');
    await expect(json.locator('.cm-lintRange-error')).toHaveText('0');
    await expect(json.locator('.cm-lint-marker-error')).toHaveCount(1);
    await expect(editor.getByTestId('editor-status')).toContainText('1 problem');
    await expect(editor.getByRole('button', { name: 'Apply' })).toBeDisabled();
    // The footer lists the problem; its link leads to the field.
    await editor.getByText('Where?').click();
    await tms.getByRole('textbox').blur();
    await editor.getByRole('button', { name: 'cluster.taskManagers' }).click();
    await expect(tms.getByRole('textbox')).toBeFocused();

    // Broken JSON typed in the JSON view: a syntax diagnostic, and the form waits for valid JSON.
    await json.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(',');
    await expect(json.locator('.cm-lint-marker-error')).toHaveCount(1);
    await expect(editor.getByTestId('editor-form')).toHaveCount(0);
    await expect(editor.getByRole('alert').first()).toContainText('does not parse');
    await page.keyboard.press('Backspace');
    await expect(editor.getByTestId('editor-form')).toBeVisible();

    // Close: nothing reached the running scenario.
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor).toHaveCount(0);
    expect(await lab.topology()).toEqual(topology);
    expect(await lab.traceHash()).toBe(hash);
    const f = await lab.runTo(4_000_000);
    expect(f.time).toBe(4_000_000);
    expect(f.status).toBe('RUNNING');
  });

  test('an edit the engine refuses on Apply keeps the running scenario and shows why at the field', async ({
    page,
  }) => {
    const lab = new LabPage(page);
    await lab.open();
    await lab.runTo(1_000_000);
    const hash = await lab.traceHash();
    const editor = await openEditor(page);
    // Incremental checkpoints on the HashMap backend: valid Flink config the engine refuses (only the LSM backend,
    // indexeddb, takes incremental checkpoints, like RocksDB).
    await editor
      .getByRole('searchbox', { name: 'Filter configuration keys' })
      .fill('execution.checkpointing.incremental');
    const row = editor.locator('.cfg-row[data-key="execution.checkpointing.incremental"]');
    await expect(row).toContainText('Default false');
    await row.getByRole('combobox').selectOption('true');
    await expect(editor.getByTestId('editor-json')).toContainText(
      '"execution.checkpointing.incremental": true',
    );
    await editor.getByRole('button', { name: 'Apply' }).click();
    await expect(row.locator('.field-error')).toContainText('incremental checkpoints need the LSM backend');
    // The JSON view has the diagnostic and scrolls it into view.
    const json = editor.getByTestId('editor-json');
    await expect(json).toHaveAttribute('data-diagnostics', '1');
    await expect(json.locator('.cm-lintRange-error')).toHaveText('true');
    await expect(editor).toBeVisible();
    expect(await lab.traceHash()).toBe(hash);
    expect((await lab.frame())!.time).toBe(1_000_000);
  });

  test('a valid edit applies through the normal load path', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.open();
    const editor = await openEditor(page);
    await editor.locator('[data-path="name"]').getByRole('textbox').fill('Clicks, rescaled');
    await editor.locator('[data-path="cluster.taskManagers"]').getByRole('textbox').fill('3');
    const counter = editor.locator('[data-testid="editor-operator"][data-operator="counter"]');
    await counter.locator('[data-path="job.operators[1].parallelism"]').getByRole('textbox').fill('3');
    const sink = editor.locator('[data-testid="editor-operator"][data-operator="output"]');
    await sink
      .locator('[data-path="job.operators[2].delivery"]')
      .getByRole('combobox')
      .selectOption('exactly-once');
    // A fault in the schedule.
    await editor.getByRole('button', { name: 'Add fault' }).click();
    const fault = editor.getByTestId('editor-fault');
    await fault.locator('[data-path="faults[0].at"]').getByRole('textbox').fill('8 s');
    await fault.locator('[data-path="faults[0].target"] input').fill('counter#2');
    await expect(editor.getByTestId('editor-status')).toContainText('Valid');
    await editor.getByRole('button', { name: 'Apply' }).click();
    await expect(editor).toHaveCount(0);

    await expect(lab.scenarioName).toHaveText('Clicks, rescaled');
    const t = (await lab.topology())!;
    expect(t.taskManagers).toHaveLength(3);
    expect(t.operators.find((o) => o.id === 'counter')!.parallelism).toBe(3);
    expect(t.sinks[0]!.delivery).toBe('exactly-once');
    const f = await lab.runTo(12_000_000);
    expect(f.restarts).toBe(1);
  });

  test('on a phone the editor is full screen with Form and JSON tabs', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const lab = new LabPage(page);
    await lab.open();
    await page.getByText('Settings', { exact: true }).click();
    await page.getByRole('button', { name: 'Edit scenario…' }).click();
    const editor = page.getByTestId('scenario-editor');
    await expect(editor).toBeVisible();
    const box = (await editor.boundingBox())!;
    expect(box.width).toBeGreaterThan(380);
    await expect(editor.getByTestId('editor-form')).toBeVisible();
    await expect(editor.getByTestId('editor-json')).toBeHidden();
    await editor.getByRole('tab', { name: 'JSON' }).click();
    await expect(editor.getByTestId('editor-json')).toBeVisible();
    await expect(editor.getByTestId('editor-form')).toBeHidden();
    await expect(editor.getByRole('button', { name: 'Apply' })).toBeInViewport();
  });
});
