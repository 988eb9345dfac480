import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test.describe('quick switches reload the scenario with one change to its document', () => {
  test('the sink delivery switch in the toolbar makes the sink exactly-once', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.open();
    await lab.runTo(3_000_000);
    expect((await lab.topology())!.sinks[0]!.delivery).toBe('at-least-once');
    const sinkSelect = page.getByLabel('Sink delivery');
    await expect(sinkSelect).toHaveValue('at-least-once');

    await sinkSelect.selectOption('exactly-once');
    await expect.poll(async () => (await lab.topology())!.sinks[0]!.delivery).toBe('exactly-once');
    await lab.idle();
    // Reloaded: the run starts over, the Output panel says what the mode guarantees.
    expect((await lab.frame())!.time).toBe(0);
    await expect(page.getByTestId('sink-delivery')).toHaveText('exactly-once');
    await expect(page.getByTestId('delivery-note')).toHaveAttribute('data-delivery', 'exactly-once');
    await expect(page.getByTestId('delivery-note')).toContainText('two-phase commit');
    await expect(sinkSelect).toHaveValue('exactly-once');

    // The scenario document itself changed: the editor's JSON shows it.
    await page.getByRole('button', { name: 'Edit scenario…' }).click();
    await expect(page.getByTestId('editor-json')).toContainText('"delivery": "exactly-once"');
    await page.getByTestId('scenario-editor').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('scenario-editor')).toHaveCount(0);
  });

  test('the one-click delivery switch in the Output panel and the interval switch', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.open();
    const sw = page.getByTestId('delivery-switch');
    await sw.getByRole('radio', { name: 'idempotent' }).click();
    await expect.poll(async () => (await lab.topology())!.sinks[0]!.delivery).toBe('idempotent');
    await expect(sw.getByRole('radio', { name: 'idempotent' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('delivery-note')).toContainText('upserts');

    // Checkpoint interval 1 s -> 5 s: the coordinator runs with the new interval.
    expect((await lab.frame())!.checkpoints.intervalUs).toBe(1_000_000);
    await page.getByLabel('Checkpoint interval').selectOption({ label: '5 s' });
    await expect.poll(async () => (await lab.frame())!.checkpoints.intervalUs).toBe(5_000_000);
    // The other switches kept the earlier change.
    expect((await lab.topology())!.sinks[0]!.delivery).toBe('idempotent');

    // AT_LEAST_ONCE mode: unaligned checkpoints are not offered (they exist only for exactly-once).
    await lab.idle();
    await page.getByLabel('Checkpointing mode').selectOption('AT_LEAST_ONCE');
    await expect.poll(async () => (await lab.frame())!.checkpoints.mode).toBe('AT_LEAST_ONCE');
    await expect(page.getByLabel('Unaligned checkpoints')).toBeDisabled();
    // The IndexedDB backend is shown but not available yet.
    await expect(page.getByLabel('State backend').locator('option[value="indexeddb"]')).toBeDisabled();
  });
});
