import { expect, test } from '@playwright/test';
import { DEFAULT_PRESET, createEngine, presetScenario } from '../engine/engine.ts';
import { LabPage } from './pages/labPage.ts';

const UNTIL_US = 20_000_000; // 20 s of virtual time

/** The same scenario run headless in this Node process. */
async function nodeTraceHash(): Promise<string> {
  const created = createEngine(presetScenario(DEFAULT_PRESET));
  if (!created.ok) throw new Error(`preset does not validate: ${JSON.stringify(created.errors)}`);
  const engine = created.engine;
  if (engine.runUntil(UNTIL_US) === 'blocked') await engine.runUntilAsync(UNTIL_US);
  return engine.traceHash();
}

test('the browser worker and Node produce the same trace hash', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const frame = await lab.runTo(UNTIL_US);
  expect(frame.time).toBe(UNTIL_US);
  const browserHash = await lab.traceHash();
  expect(browserHash).toMatch(/^[0-9a-f]{16}$/);
  expect(frame.traceHash).toBe(browserHash);
  await expect(lab.virtualTime).toHaveText('20.000 s');
  await expect(lab.traceHashText).toHaveText(browserHash);

  expect(browserHash).toBe(await nodeTraceHash());
});
