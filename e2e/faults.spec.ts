import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('a channel stalled from its menu is drawn stalled and holds its buffers back', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(2_000_000);
  const topology = (await lab.topology())!;
  // A crossing channel, clicked a fifth of the way along (its middle crosses the other one).
  const ch = topology.channels.find(
    (c) =>
      c.partitioner === 'hash' &&
      topology.subtasks[c.from]!.subtaskIndex !== topology.subtasks[c.to]!.subtaskIndex,
  )!;
  const hit = page.locator(`.channel-hit[data-channel="${ch.index}"]`);
  await hit.scrollIntoViewIfNeeded();
  const at = await hit.evaluate((el) => {
    const path = el as unknown as {
      getTotalLength(): number;
      getPointAtLength(l: number): { x: number; y: number };
      getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number };
    };
    const pt = path.getPointAtLength(path.getTotalLength() * 0.2);
    const m = path.getScreenCTM();
    return { x: m.a * pt.x + m.c * pt.y + m.e, y: m.b * pt.x + m.d * pt.y + m.f };
  });
  await page.mouse.click(at.x, at.y);
  await lab.menu.getByRole('menuitem', { name: 'Stall for 1 s' }).click();
  await lab.idle();
  let frame = (await lab.frame())!;
  expect(frame.channelStalled[ch.index]).toBe(true);
  const actions = await page.evaluate(() =>
    (globalThis as unknown as { __lab: { actions(): Promise<unknown[]> } }).__lab.actions(),
  );
  expect(actions).toEqual([
    {
      at: 2_000_000,
      kind: 'fault',
      fault: {
        kind: 'stall-channel',
        target: `${topology.subtasks[ch.from]!.name}->${topology.subtasks[ch.to]!.name}`,
        durationUs: 1_000_000,
      },
    },
  ]);
  frame = await lab.runTo(2_900_000);
  expect(frame.channelStalled[ch.index]).toBe(true);
  const held = frame.inFlight.filter((i) => i.channel === ch.index && i.kind === 'data').length;
  expect(held + frame.channelBacklog[ch.index]!).toBeGreaterThan(0);
  frame = await lab.runTo(3_100_000);
  expect(frame.channelStalled[ch.index]).toBe(false);
});

test('failing the next checkpoint upload from the storage menu fails a checkpoint', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(2_000_000);
  const before = await lab.checkpointStats();
  await lab.menuAction(page.getByTestId('checkpoint-storage'), 'Fail the next upload');
  await lab.runTo(4_000_000);
  const after = await lab.checkpointStats();
  expect(after.counts.failed).toBe(before.counts.failed + 1);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByRole('region', { name: 'Latest failed checkpoint' })).toContainText(
    'Could not write to checkpoint storage',
  );
});

test('slowing a subtask down from its menu, and collapsing an operator into one box', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(1_000_000);
  await lab.menuAction(lab.subtask('clicks#0'), /^Slow down 10× for 5 s/);
  const actions = await page.evaluate(() =>
    (
      globalThis as unknown as { __lab: { actions(): Promise<{ fault: { kind: string } }[]> } }
    ).__lab.actions(),
  );
  expect(actions.map((a) => a.fault.kind)).toEqual(['slow-task']);

  // Collapse the counter: one box for both subtasks; expand again.
  const counter = page.locator('[data-testid="vertex"][data-vertex="counter"]');
  await expect(counter).toHaveAttribute('aria-expanded', 'true');
  await counter.click();
  await expect(counter).toHaveAttribute('aria-expanded', 'false');
  await expect(lab.subtasks).toHaveCount(5);
  await expect(lab.subtask('counter')).toHaveAttribute('aria-label', /2 subtasks collapsed/);
  await counter.press('Enter');
  await expect(lab.subtasks).toHaveCount(6);
});
