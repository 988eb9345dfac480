import { expect, test } from '@playwright/test';
import { deterministicPart, LabPage } from './pages/labPage.ts';

test('scrubbing back and forward gives identical frames', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const at = 8_000_000;
  const first = await lab.runTo(at);
  expect(await lab.maxTime()).toBe(at);

  // Back to the start with the scrubber (Home), forward to the end (End): the engine rebuilds and reruns.
  await lab.scrubber.focus();
  await page.keyboard.press('Home');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(0);
  await expect(lab.virtualTime).toHaveText('0.000 s');
  expect(await lab.maxTime()).toBe(at);
  await page.keyboard.press('End');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(at);
  expect(deterministicPart((await lab.frame())!)).toEqual(deterministicPart(first));

  // A seek back into the middle and a seek forward again (both rebuilds) land on the same frame too.
  const mid = await lab.seek(3_500_000);
  expect(mid.time).toBe(3_500_000);
  const again = await lab.seek(at);
  expect(deterministicPart(again)).toEqual(deterministicPart(first));
  expect(await lab.traceHash()).toBe(first.traceHash);

  // Back 1 s with the keyboard, then forward 1 s.
  await page.locator('body').press('ArrowLeft');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(at - 1_000_000);
  await page.locator('body').press('ArrowRight');
  await lab.idle();
  await expect.poll(async () => (await lab.frame())!.time).toBe(at);
  expect(deterministicPart((await lab.frame())!)).toEqual(deterministicPart(first));
});

test('acting in the past forks the timeline; seeking replays the recorded actions', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(4_000_000);
  await lab.injectFault({ kind: 'fail-task', target: 'counter#1' });
  const after = await lab.runTo(9_000_000);
  expect(after.restarts).toBe(1);

  // Seeking back before the fault and forward again replays it exactly.
  await lab.seek(2_000_000);
  const replayed = await lab.seek(9_000_000);
  expect(deterministicPart(replayed)).toEqual(deterministicPart(after));

  // A new action at 2 s forks: the old future (the fault at 4 s) is gone.
  await lab.seek(2_000_000);
  await lab.injectFault({ kind: 'slow-task', target: 'clicks#0', factor: 2, durationUs: 1_000_000 });
  expect(await lab.maxTime()).toBe(2_000_000);
  const forked = await lab.runTo(9_000_000);
  expect(forked.restarts).toBe(0);
  const actions = await page.evaluate(() =>
    (
      globalThis as unknown as { __lab: { actions(): Promise<{ at: number; kind: string }[]> } }
    ).__lab.actions(),
  );
  expect(actions.map((a) => [a.at, a.kind])).toEqual([[2_000_000, 'fault']]);
});
