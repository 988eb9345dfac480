import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('a crashed engine worker is reported and recreated with the current scenario', async ({ page }) => {
  // The first engine worker throws an uncaught error shortly after it starts; the recreated one is healthy.
  let served = 0;
  await page.route(/\/engine\/worker\.ts(\?|$)/, async (route) => {
    served += 1;
    const response = await route.fetch();
    let body = await response.text();
    if (served === 1) body += "\nsetTimeout(() => { throw new Error('simulated crash'); }, 1500);\n";
    await route.fulfill({ response, body });
  });

  const lab = new LabPage(page);
  await lab.open();
  const topology = await lab.topology();
  await expect(page.getByRole('alert')).toContainText('engine worker crashed', { timeout: 15_000 });
  await expect(page.getByRole('alert')).toContainText('simulated crash');
  expect(served).toBe(2);

  // The new worker runs the same scenario.
  await expect.poll(() => lab.topology()).toEqual(topology);
  const frame = await lab.runTo(1_000_000);
  expect(frame.time).toBe(1_000_000);
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
