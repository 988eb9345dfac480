import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('an invalid scenario is rejected with paths and the previous one stays loaded', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const before = await lab.topology();
  expect(before).not.toBeNull();
  await lab.runTo(2_000_000);
  const hashBefore = await lab.traceHash();

  const result = await lab.load({
    version: 1,
    name: 'Broken',
    cluster: { taskManagers: 0 },
    job: { operators: [{ id: 'x', kind: 'no-such-operator' }] },
    bogus: true,
  });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(result.errors.some((e) => e.path.length > 0)).toBe(true);

  // The previous scenario is still loaded, at the same point of its run.
  expect(await lab.topology()).toEqual(before);
  expect(await lab.traceHash()).toBe(hashBefore);
  await expect(lab.scenarioName).toHaveText(before!.scenarioName);
  await expect(page.getByRole('alert')).toContainText('The scenario was not loaded');

  // A non-object is rejected too.
  const notObject = await lab.load('not a scenario');
  expect(notObject.ok).toBe(false);
  expect(await lab.traceHash()).toBe(hashBefore);
});
