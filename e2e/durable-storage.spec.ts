import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { presetScenario } from '../engine/engine.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import type { LoadResult, RestoreFromOptions, RetainedList } from '../engine/protocol.ts';
import { LabPage } from './pages/labPage.ts';

/** Durable checkpoint storage on Chromium's real IndexedDB (issue 9). */

const SHOTS = '/screenshots/h2';

/** Click count storing its checkpoints in indexeddb://<dir>, each subtask's state as a file (no inlining). */
function durableScenario(dir: string): unknown {
  const s = presetScenario('click-count') as { config: Record<string, unknown> };
  s.config = {
    ...s.config,
    'execution.checkpointing.dir': `indexeddb://${dir}`,
    'execution.checkpointing.data-inline-threshold': '0 b',
    'execution.checkpointing.num-retained': 2,
  };
  return s;
}

function retained(page: Page): Promise<RetainedList> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.retainedCheckpoints());
}

function restoreFrom(page: Page, path: string, options?: RestoreFromOptions): Promise<LoadResult> {
  return page.evaluate(([p, o]) => (globalThis as unknown as LabGlobal).__lab!.restoreFrom(p, o), [
    path,
    options,
  ] as const);
}

async function loadDurable(page: Page, dir: string): Promise<void> {
  const r = await page.evaluate(
    (s) => (globalThis as unknown as LabGlobal).__lab!.load(s),
    durableScenario(dir) as never,
  );
  expect(r.ok).toBe(true);
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 30_000,
  });
}

test('after a reload the retained checkpoints are listed and a job starts from one, rescaled', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.open();
  await loadDurable(page, 'reload-test');
  await lab.runTo(4_500_000);
  const before = await retained(page);
  expect(before.available).toBe(true);
  expect(before.locking).toBe('web-locks');
  const mine = before.snapshots.filter((s) => s.ownJob);
  expect(mine.length).toBe(2); // num-retained 2
  const completed = (await lab.frame())!.checkpoints.latestCompleted!.id;
  expect(mine[0]!.checkpointId).toBe(completed);

  await page.reload();
  await ready(page);
  const after = await retained(page);
  expect(after.snapshots.map((s) => s.path)).toEqual(before.snapshots.map((s) => s.path));
  expect(after.snapshots.every((s) => !s.ownJob)).toBe(true);

  // The Stored tab lists them; "Start from here" with counter at parallelism 3.
  await page.getByRole('tab', { name: 'Stored' }).click();
  const rows = page.getByTestId('retained-row');
  await expect(rows).toHaveCount(2);
  const newest = after.snapshots[0]!;
  await expect(rows.first()).toContainText(newest.path);
  await rows.first().getByRole('button', { name: 'Start from here' }).click();
  await page.getByLabel('Parallelism of counter').fill('3');
  await page.getByRole('button', { name: 'Start the job' }).click();
  await lab.idle();
  const topo = await lab.topology();
  expect(topo!.vertices.find((v) => v.operatorIds.includes('counter'))!.parallelism).toBe(3);
  const f = (await lab.frame())!;
  expect(f.time).toBe(newest.timeUs);
  await lab.runTo(newest.timeUs + 3_000_000);
  const stats = (await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).__lab!.checkpointStats(),
  )) as {
    latest: { restored: { id: number; external_path: string } };
    counts: { completed: number };
  };
  expect(stats.latest.restored.id).toBe(newest.checkpointId);
  expect(stats.latest.restored.external_path).toBe(newest.path);
  expect(stats.counts.completed).toBeGreaterThan(0);
  expect((await lab.frame())!.status).toBe('RUNNING');
  // The new job writes its own checkpoints beside the old ones; the restored one stays (NO_CLAIM).
  const now = await retained(page);
  expect(now.snapshots.some((s) => s.ownJob && s.jobId !== newest.jobId)).toBe(true);
  expect(now.snapshots.some((s) => s.path === newest.path)).toBe(true);

  // Screenshots of the Stored tab (wide and narrow, light and dark).
  mkdirSync(SHOTS, { recursive: true });
  await page.getByRole('tab', { name: 'Stored' }).click();
  await page.addStyleTag({ content: '.topbar { position: static !important; }' });
  for (const view of [
    { name: 'wide', width: 1280, height: 800 },
    { name: 'narrow', width: 390, height: 844 },
  ]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      const panel = page.getByTestId('retained-checkpoints');
      await expect(panel).toBeVisible();
      await page.getByRole('button', { name: 'Start from here' }).first().click();
      await panel.scrollIntoViewIfNeeded();
      await page.waitForTimeout(250);
      await page.locator('#panel-state').screenshot({ path: `${SHOTS}/stored-${view.name}-${scheme}.png` });
      await page.getByRole('button', { name: 'Cancel' }).first().click();
    }
  }
});

test('a worker killed during the async phase leaves the previous checkpoint intact; a job starts from it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await page.goto('/?labtest');
  await ready(page);
  await loadDurable(page, 'kill-test');
  await lab.runTo(3_000_000);
  // To the next barrier, then on in small steps until a subtask is in its asynchronous phase (uploading).
  let frame = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.stepTo('barrier'));
  let t = frame.time;
  while (!frame.subtaskPhase.some((p) => p?.phase === 'async')) {
    t += 1_000;
    frame = await lab.runTo(t);
    expect(t).toBeLessThan(8_000_000);
  }
  const inFlight = frame.subtaskPhase.find((p) => p?.phase === 'async')!.checkpointId;
  const previous = frame.checkpoints.latestCompleted!.id;
  expect(inFlight).toBeGreaterThan(previous);
  const generation = await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).__lab!.workerGeneration(),
  );

  // The state files of the subtasks done so far reach IndexedDB (the worker is idle, the writes commit)...
  await page.waitForTimeout(500);
  // ...then the worker dies (it spins; the watchdog terminates it and rebuilds the run in a new worker).
  await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.hangWorker!());
  await lab.stepButton.click();
  await expect(page.getByRole('alert')).toContainText('stopped answering', { timeout: 20_000 });
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.workerGeneration()), {
      timeout: 20_000,
    })
    .toBeGreaterThan(generation);
  await lab.idle();
  const list = await retained(page);
  const oldJob = list.snapshots.filter((s) => !s.ownJob);
  // The checkpoint in flight never got its _metadata: it is not listed, and its files were removed at start.
  expect(oldJob.map((s) => s.checkpointId)).toContain(previous);
  expect(oldJob.map((s) => s.checkpointId)).not.toContain(inFlight);
  // Its files are removed once no worker holds the dead job's lock (the killed worker's lock goes with it).
  await expect
    .poll(async () => (await retained(page)).orphansRemoved, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(1);

  const prev = oldJob.find((s) => s.checkpointId === previous)!;
  const r = await restoreFrom(page, prev.path);
  expect(r.ok).toBe(true);
  await lab.runTo(prev.timeUs + 2_000_000);
  const stats = (await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).__lab!.checkpointStats(),
  )) as {
    latest: { restored: { id: number } };
  };
  expect(stats.latest.restored.id).toBe(previous);
  expect((await lab.frame())!.status).toBe('RUNNING');
  // The restored state is the checkpoint's: every window counts exactly 1000 clicks per page (reference 7.3).
  await lab.runTo(15_500_000);
  const c = await lab.correctness();
  for (const sink of c.sinks) expect([sink.id, sink.checked, sink.unexpected]).toEqual([sink.id, true, 0]);
});
