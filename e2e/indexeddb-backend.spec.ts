/**
 * The IndexedDB state backend in Chromium's real IndexedDB: the worker's run gives the trace hash of the same
 * scenario run in Node on fake-indexeddb (I/O never decides ordering), and the State panel shows the subtask's LSM
 * tree. Screenshots of that view go to /screenshots/h1 (light and dark, desktop and phone).
 */
import 'fake-indexeddb/auto';
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createEngine, presetScenario } from '../engine/engine.ts';
import { LabPage } from './pages/labPage.ts';

const UNTIL_US = 12_000_000;
const SHOTS = process.env.SHOTS_DIR ?? '/screenshots/h1';

function scenario(): Record<string, unknown> {
  const doc = presetScenario('user-sessions') as Record<string, unknown>;
  doc.config = {
    ...(doc.config as Record<string, unknown>),
    'state.backend.type': 'rocksdb',
    'execution.checkpointing.incremental': true,
    'state.backend.rocksdb.writebuffer.size': '2 mb', // 8 kb memtable: flushes and compactions within seconds
    'state.backend.rocksdb.block.cache-size': '2 mb',
  };
  return doc;
}

async function nodeTraceHash(): Promise<string> {
  const created = createEngine(scenario(), { timeTravel: false });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  await created.engine.runUntilAsync(UNTIL_US);
  return created.engine.traceHash();
}

test('the IndexedDB backend: same trace hash in Chromium and in Node, and the LSM tree in the State panel', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.open();
  const loaded = await lab.load(scenario());
  expect(loaded).toMatchObject({ ok: true });
  const frame = await lab.runTo(UNTIL_US);
  expect(frame.time).toBe(UNTIL_US);
  expect(await lab.traceHash()).toBe(await nodeTraceHash());

  await page.getByRole('tab', { name: 'State' }).click();
  const topology = await lab.topology();
  const activity = topology?.subtasks.find((s) => s.name.startsWith('activity'));
  expect(activity).toBeDefined();
  await page.getByLabel('Subtask whose key groups are shown').selectOption(String(activity?.index));
  const lsm = page.getByTestId('lsm-details');
  await expect(lsm).toBeVisible();
  await expect(page.getByTestId('lsm-levels').getByRole('row', { name: /level 0/ })).toBeVisible();
  await expect(page.getByTestId('lsm-cache')).toContainText('flushes');
  const details = await page.evaluate(
    (i) =>
      (globalThis as unknown as { __lab: { stateDetails(n: number): Promise<unknown> } }).__lab.stateDetails(
        i,
      ),
    activity?.index ?? 0,
  );
  const l = (details as { lsm: { flushes: number; bytesWritten: number } }).lsm;
  expect(l.flushes).toBeGreaterThan(0);
  expect(l.bytesWritten).toBeGreaterThan(0);
});

for (const view of [
  { name: 'desktop-1280x800', width: 1280, height: 800 },
  { name: 'phone-390x844', width: 390, height: 844 },
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot: the LSM tree in the State panel, ${view.name} ${scheme}`, async ({ page }) => {
      test.setTimeout(120_000);
      mkdirSync(SHOTS, { recursive: true });
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new LabPage(page);
      await lab.open();
      await lab.load(scenario());
      await lab.runTo(UNTIL_US);
      await page.getByRole('tab', { name: 'State' }).click();
      const topology = await lab.topology();
      const activity = topology?.subtasks.find((s) => s.name.startsWith('activity'));
      await page.getByLabel('Subtask whose key groups are shown').selectOption(String(activity?.index));
      const lsm = page.getByTestId('lsm-details');
      await expect(lsm).toBeVisible();
      await page.addStyleTag({ content: '.topbar { position: static !important; }' });
      await lsm.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page
        .locator('#panel-state')
        .screenshot({ path: `${SHOTS}/state-lsm-${view.name}-${scheme}.png` });
    });
  }
}
