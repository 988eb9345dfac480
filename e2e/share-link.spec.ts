/**
 * Shareable links (issue 11): a run with a fault, a savepoint and a rescale → shareLink() → opened in a new page →
 * the same trace hash at the same playhead, the same panel; the CLI's replay of the same link gives that hash too;
 * bad links name what is wrong and open the default scenario without touching what the user saved.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodeLink, encodeLink, linkUrl } from '../engine/link/linkCodec.ts';
import { replayRun } from '../engine/link/replayRun.ts';
import { ENGINE_VERSION } from '../engine/protocol.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import { LabPage } from './pages/labPage.ts';

async function openUrl(page: Page, url: string): Promise<LabPage> {
  const lab = new LabPage(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A fresh load (from the same page, a new fragment alone would only fire hashchange).
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 60_000,
  });
  await lab.idle();
  expect(errors, 'uncaught page errors').toEqual([]);
  return lab;
}

const trigger = (page: Page, what: 'triggerSavepoint' | 'triggerCheckpoint') =>
  page.evaluate((w) => (globalThis as unknown as LabGlobal).__lab![w]().then(() => undefined), what);

const shareLink = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.shareLink());

test('a run with a fault, a savepoint and a rescale opens elsewhere at the same moment with the same trace hash', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(3_000_000);
  await lab.injectFault({ kind: 'fail-task', target: 'counter#0' });
  await lab.runTo(9_000_000);
  await trigger(page, 'triggerSavepoint');
  await lab.runTo(12_000_000);
  // Rescale: restart from the savepoint with the counter at 3 subtasks on 3 TaskManagers (the UI's dialog).
  await page.getByRole('button', { name: /Restart from a savepoint/ }).click();
  const dialog = page.getByTestId('restart-dialog');
  await dialog.getByRole('spinbutton', { name: /ClickEvent Counter/ }).fill('3');
  await dialog.getByLabel('TaskManagers of the new job').fill('3');
  await dialog.getByRole('button', { name: 'Restart the job' }).click();
  await expect(dialog).toHaveCount(0);
  await lab.idle();
  await lab.runTo(16_000_000);
  await trigger(page, 'triggerCheckpoint');
  await lab.runTo(19_000_000);
  // Stop between two events of one instant: the link must carry the exact event, not only the time.
  for (let i = 0; i < 5; i++) await lab.clickStep('event');
  await page.getByRole('tab', { name: 'History' }).click();

  const sender = (await lab.frame())!;
  const senderHash = await lab.traceHash();
  const url = await shareLink(page);
  expect(url).toMatch(/^http:\/\/localhost:\d+\/#l=[A-Za-z0-9_-]+$/);
  const decoded = decodeLink(url);
  expect(decoded.ok).toBe(true);
  if (!decoded.ok) return;
  expect(decoded.run.segments).toHaveLength(2);
  expect(decoded.run.segments[0]!.actions.map((a) => a.kind)).toEqual(['fault', 'trigger-savepoint']);
  expect(decoded.run.segments[1]!.restart?.parallelism.counter).toBe(3);
  expect(decoded.run.panel).toBe('checkpoints/history');

  // The receiver: a new page of its own.
  const other = await context.newPage();
  const receiver = await openUrl(other, url);
  const got = (await receiver.frame())!;
  expect(got.time).toBe(sender.time);
  expect(got.processedEvents).toBe(sender.processedEvents);
  expect(await receiver.traceHash()).toBe(senderHash);
  expect((await receiver.topology())!.vertices.find((v) => v.id === 'counter')?.parallelism).toBe(3);
  await expect(other.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
  await expect(receiver.traceHashText).toHaveText(senderHash);
  // The fragment is dropped once opened: a reload does not replay the link over what the receiver did since.
  expect(new URL(other.url()).hash).toBe('');
  // The receiver's link of the same moment is the same run.
  const again = decodeLink(await shareLink(other));
  expect(again.ok && again.run.segments).toEqual(decoded.run.segments);

  // The CLI's replay (engine/link/replayRun, as `npm run sim -- run '<link>'`) gives the browser's hash.
  const headless = await replayRun(
    decoded.run,
    (e, t) => {
      e.runUntil(t);
      return Promise.resolve(true);
    },
    { timeTravel: false },
  );
  expect(headless.ok && headless.engine.traceHash()).toBe(senderHash);
});

test('a link pasted into the address bar of an open page opens there; a bad one leaves the run on screen', async ({
  page,
}) => {
  const lab = await openUrl(page, '/');
  await lab.runTo(6_000_000);
  const at6 = await shareLink(page);
  await lab.runTo(9_000_000);
  await page.evaluate(
    (u) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = u.slice(u.indexOf('#'));
    },
    at6.replace('#l=', '#l=').slice(0, at6.length - 25),
  );
  await expect(page.getByRole('alert')).toContainText('The run on screen is unchanged');
  expect((await lab.frame())!.time).toBe(9_000_000);
  await page.evaluate((u) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = u.slice(u.indexOf('#'));
  }, at6);
  await expect.poll(async () => (await lab.frame())?.time).toBe(6_000_000);
});

test('bad links say what is wrong and open the default scenario', async ({ page }) => {
  const lab = await openUrl(page, '/');
  const good = await shareLink(page);
  const payload = good.slice(good.indexOf('#l=') + 3);
  const decoded = decodeLink(good);
  if (!decoded.ok) throw new Error(decoded.message);
  const cases: [string, RegExp][] = [
    [`/#l=${payload.slice(0, 10)}!${payload.slice(11)}`, /malformed: character 11/],
    [`/#l=${payload.slice(0, payload.length - 30)}`, /cut off/],
    [`/#l=${'A'.repeat(40_000)}`, /too long: 40,000 characters/],
    [
      `/#l=${payload.slice(0, 60)}${payload[60] === 'A' ? 'B' : 'A'}${payload.slice(61)}`,
      /changed or damaged|damaged|cut off/,
    ],
    [`/#l=${encodeLink(decoded.run).replace(/^AQ/, 'Ag')}`, /newer version of Checkpoint Lab/],
  ];
  for (const [url, words] of cases) {
    await openUrl(page, url);
    const notice = page.getByRole('alert').filter({ hasText: 'This link could not be opened' });
    await expect(notice).toContainText(words);
    await expect(notice).toContainText('The default scenario is open instead');
    await expect(lab.scenarioName).toHaveText('Click event count');
    expect((await lab.frame())!.time).toBe(0);
  }
});

test('a link from an older engine opens with a "may replay differently" notice', async ({ page }) => {
  await openUrl(page, '/');
  const decoded = decodeLink(await shareLink(page));
  if (!decoded.ok) throw new Error(decoded.message);
  const old = linkUrl(
    '/',
    encodeLink({ ...decoded.run, playhead: { timeUs: 5_000_000 } }, ENGINE_VERSION - 1),
  );
  const lab = await openUrl(page, old);
  await expect(page.getByRole('alert')).toContainText('may replay differently');
  expect((await lab.frame())!.time).toBe(5_000_000);
});

test('Copy link copies the link and shows it; the shortcut is listed', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const lab = await openUrl(page, '/');
  await lab.runTo(4_000_000);
  await page.getByRole('button', { name: 'Copy a link to this run at this moment' }).click();
  const dialog = page.getByTestId('share-link-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('share-link-status')).toContainText('Copied');
  const shown = await dialog.getByTestId('share-link-url').inputValue();
  expect(shown).toMatch(/#l=/);
  const clipboard = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  expect(clipboard).toBe(shown);
  const d = decodeLink(shown);
  expect(d.ok && d.run.playhead.timeUs).toBe(4_000_000);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.locator('body').press('?');
  await expect(page.getByText('Copy a link to this run at this moment')).toBeVisible();
});
