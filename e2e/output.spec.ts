import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

/** Fail the counter right after a window fired and before the next checkpoint: the replay fires it again. */
async function runWithFault(lab: LabPage): Promise<void> {
  await lab.runTo(6_650_000);
  await lab.injectFault({ kind: 'fail-task', target: 'counter#0' });
  await lab.runTo(40_000_000);
}

async function expectPinnedKeyColumn(page: Page): Promise<void> {
  const scroller = page.locator('.window-scroll');
  const pin = page.getByTestId('window-table').locator('tbody th.pin').first();
  type Scrollable = { scrollLeft: number; scrollWidth: number };
  await scroller.evaluate((el) => {
    const e = el as unknown as Scrollable;
    e.scrollLeft = e.scrollWidth;
  });
  await expect
    .poll(() => scroller.evaluate((el) => (el as unknown as Scrollable).scrollLeft))
    .toBeGreaterThan(0);
  const s = (await scroller.boundingBox())!;
  const p = (await pin.boundingBox())!;
  // Scrolled to the right, the page column is still at the left edge and visible.
  expect(Math.abs(p.x - s.x)).toBeLessThan(2);
  await expect(pin).toBeInViewport();
}

test.describe('the Output panel', () => {
  test('before any record reaches the sink the verdict says there is nothing to check yet', async ({
    page,
  }) => {
    const lab = new LabPage(page);
    await lab.open();
    await expect(lab.verdict).toHaveAttribute('data-tone', 'empty');
    await expect(lab.verdict).toContainText('Nothing to check yet');
    await expect(lab.verdict).not.toContainText('Correct so far');
    const c = await lab.correctness();
    expect(c.sinks[0]!.committed + c.sinks[0]!.uncommitted).toBe(0);
    // Once results are committed the check has something to say.
    await lab.runTo(20_000_000);
    await expect(lab.verdict).toHaveAttribute('data-tone', 'ok');
    await expect(lab.verdict).toContainText('Correct so far');
    // The panel says what the default sink's delivery guarantees.
    await expect(page.getByTestId('delivery-note')).toContainText('duplicates are possible');
  });

  test('a fault in at-least-once mode: duplicated windows highlighted with the extra records', async ({
    page,
  }) => {
    const lab = new LabPage(page);
    await lab.open();
    await runWithFault(lab);
    const c = (await lab.correctness()).sinks[0]!;
    expect(c.duplicates).toBeGreaterThan(0);
    await expect(lab.verdict).toHaveAttribute('data-tone', 'warn');
    const dup = lab.windowTable.locator('td[data-verdict="duplicate"]');
    await expect(dup.first()).toBeVisible();
    const n = await dup.count();
    expect(n).toBeGreaterThan(0);
    // Each duplicated cell shows its count, how often it was written and the extra records.
    await expect(dup.first()).toContainText('1,000 ×2');
    await expect(dup.first().getByTestId('cell-delta')).toHaveText('+1');
    const extra = await dup.evaluateAll((cells) =>
      (cells as unknown as { getAttribute(n: string): string | null }[]).reduce(
        (sum, td) => sum + Number(td.getAttribute('data-extra')),
        0,
      ),
    );
    expect(extra).toBe(c.duplicates);
    await expect(page.getByTestId('window-summary')).toContainText(`${extra} extra`);
    // Ok cells show their count.
    await expect(lab.windowTable.locator('td[data-verdict="ok"]').first()).toHaveText('1,000');
    await expectPinnedKeyColumn(page);
  });

  test('the same fault with the exactly-once switch in the Output panel: no duplicates', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.open();
    await page.getByTestId('delivery-switch').getByRole('radio', { name: 'exactly-once' }).click();
    await expect.poll(async () => (await lab.topology())!.sinks[0]!.delivery).toBe('exactly-once');
    await lab.idle();
    await runWithFault(lab);
    const c = (await lab.correctness()).sinks[0]!;
    expect(c).toMatchObject({ duplicates: 0, lost: 0, unexpected: 0 });
    await expect(lab.verdict).toHaveAttribute('data-tone', 'ok');
    await expect(lab.windowTable.locator('td[data-verdict="duplicate"]')).toHaveCount(0);
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 } });
    test('the window table keeps the page column pinned and shows the extra records', async ({ page }) => {
      const lab = new LabPage(page);
      await lab.open();
      await runWithFault(lab);
      await lab.windowTable.scrollIntoViewIfNeeded();
      await expect(lab.windowTable.locator('td[data-verdict="duplicate"]').first()).toBeInViewport();
      await expect(lab.windowTable.getByTestId('cell-delta').first()).toHaveText('+1');
      await expectPinnedKeyColumn(page);
      // Step buttons have visible labels on a phone.
      for (const name of ['Event', 'Barrier', 'Completed', 'Failure', 'Restore'])
        await expect(
          page.locator('.toolbar .tool-group.labelled button .label', { hasText: name }),
        ).toBeVisible();
    });
  });
});
