import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('a fault scheduled from a TaskManager menu fires at its virtual time', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(2_000_000);
  await lab.menuAction(lab.tmButton('tm-1'), /Schedule a fault at a virtual time/);
  const dialog = page.getByTestId('schedule-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('At virtual time in seconds').fill('6');
  await expect(dialog.getByTestId('schedule-hint')).toContainText('Fires at 6.000 s');
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await expect(dialog).toHaveCount(0);
  let frame = await lab.runTo(5_900_000);
  expect(frame.taskManagerAlive[1]).toBe(true);
  frame = await lab.runTo(6_500_000);
  expect(frame.taskManagerAlive[1]).toBe(false);
  // Peers on tm-0 lose their connection to tm-1 at once (RemoteTransportException) and the job restarts; the
  // JobManager itself notices the TaskManager later (heartbeat RPC failures / heartbeat.timeout).
  expect(frame.restarts).toBe(1);
  expect(frame.taskManagerDetectAtUs[1]).toBeGreaterThan(6_500_000);
  frame = await lab.runTo(14_000_000);
  expect(frame.taskManagerDetectAtUs[1]).toBeNull();
});

test('a fork can be compared with its original timeline', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(20_000_000);
  await expect(page.getByRole('button', { name: /Compare with the original/ })).toHaveCount(0);
  await lab.seek(8_000_000);
  await lab.injectFault({ kind: 'kill-taskmanager', target: 'tm-1', durationUs: 2_000_000 });
  await lab.runTo(20_000_000);
  await page.getByRole('button', { name: /Compare with the original/ }).click();
  const dialog = page.getByTestId('compare-dialog');
  await expect(dialog).toContainText('forked at 8.000 s');
  await expect(dialog.getByTestId('compare-side-a')).toHaveAttribute('data-time', '20000000');
  await expect(dialog.getByTestId('compare-side-b')).toHaveAttribute('data-time', '20000000');
  await expect(dialog.getByTestId('compare-side-a').getByTestId('compare-facts')).toContainText('0 restarts');
  await expect(dialog.getByTestId('compare-side-b').getByTestId('compare-facts')).toContainText('1 restart ');
  // Whether the two committed different records is the engine's verdict; a difference is highlighted in the
  // outputs (a row on the side that has it, a "no record" note on the other).
  const diff = dialog.getByTestId('compare-difference');
  await expect(diff).toHaveAttribute('data-differs', /^(true|false)$/);
  const highlighted = dialog.locator('[data-testid="compare-row"][data-differs="true"]');
  if ((await diff.getAttribute('data-differs')) === 'true') {
    expect(
      (await highlighted.count()) + (await dialog.getByTestId('compare-missing').count()),
    ).toBeGreaterThan(0);
  } else {
    await expect(highlighted).toHaveCount(0);
  }
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toHaveCount(0);
});
