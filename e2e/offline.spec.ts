/**
 * Offline (README "Offline"): once loaded, the page works without network. The service worker exists only in a
 * production build, so this spec runs against `vite preview` of a build (the second webServer of
 * playwright.config.ts, on LAB_PORT + 100).
 */
import { expect, test, type Page } from '@playwright/test';
import type { LabGlobal } from '../app/testBridge.ts';
import { PREVIEW_PORT } from '../playwright.config.ts';

test.use({ baseURL: `http://localhost:${PREVIEW_PORT}`, serviceWorkers: 'allow' });

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 30_000,
  });
}

test('the app reloads and runs with the network off once it has been loaded', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await waitReady(page);
  // The service worker takes control once it has precached the app (clientsClaim).
  // (Strings: e2e/ is type-checked without the DOM library.)
  await page.waitForFunction(
    `navigator.serviceWorker.getRegistration().then((r) => r?.active?.state === 'activated' && navigator.serviceWorker.controller !== null)`,
    null,
    { timeout: 30_000 },
  );
  // Every precached file is in the cache (the worker chunk, the HTML, the main chunk and the CSS) before going offline.
  const cachedUrls = () =>
    page.evaluate<string[]>(`(async () => {
      const urls = [];
      for (const n of await caches.keys()) for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
      return urls;
    })()`);
  const expected = [
    /\/assets\/worker-[^/]+\.js/,
    /\/index\.html/,
    /\/assets\/index-[^/]+\.js/,
    /\/assets\/index-[^/]+\.css/,
  ];
  await expect
    .poll(
      async () => {
        const urls = await cachedUrls();
        return expected.filter((re) => !urls.some((u) => re.test(u))).map(String);
      },
      { timeout: 30_000 },
    )
    .toEqual([]);

  // A visitor loads the page once more before the talk (online): from now on every navigation is served by the worker.
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(`navigator.serviceWorker.controller !== null`, null, { timeout: 30_000 });

  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  // The engine worker (from the cache) runs: time advances and checkpoints complete.
  const frame = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.runTo(5_000_000));
  expect(frame.time).toBe(5_000_000);
  const stats = (await page.evaluate(() =>
    (globalThis as unknown as LabGlobal).__lab!.checkpointStats(),
  )) as {
    counts: { completed: number };
  };
  expect(stats.counts.completed).toBeGreaterThan(0);
  await expect(page.getByTestId('scenario-name')).toBeVisible();
  // A deep link (embed mode with a query) is served from the cache too.
  await page.goto('/?embed');
  await waitReady(page);
  expect(errors).toEqual([]);
});
