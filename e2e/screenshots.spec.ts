import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

const DIR = join(import.meta.dirname, '..', 'screenshots');

const AT_US = 16_000_500;

const VIEWS = [
  { name: 'desktop-1280x800', width: 1280, height: 800 },
  { name: 'phone-390x844', width: 390, height: 844 },
] as const;

for (const view of VIEWS) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot ${view.name} ${scheme}`, async ({ page }) => {
      mkdirSync(DIR, { recursive: true });
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new LabPage(page);
      await lab.open();
      // A deterministic moment just after the first window fired, with buffers and watermarks mid-channel.
      const frame = await lab.runTo(AT_US);
      expect(frame.inFlight.length, 'something in flight to draw').toBeGreaterThan(0);
      await expect(lab.virtualTime).toHaveText(`${(AT_US / 1e6).toFixed(3)} s`);
      await expect(lab.sinkTable.first().locator('tbody tr').first()).toBeVisible();
      // The canvas layer actually drew something.
      await expect.poll(() => lab.paintedPixels()).toBeGreaterThan(0);
      await page.screenshot({ path: join(DIR, `${view.name}-${scheme}.png`) });
      await page.screenshot({ path: join(DIR, `${view.name}-${scheme}-full.png`), fullPage: true });
      // Nothing may stick out of the viewport horizontally (the graph scrolls inside its card if needed).
      const overflow = await page.evaluate(() => {
        const g = globalThis as unknown as {
          innerWidth: number;
          document: { documentElement: { scrollWidth: number } };
        };
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}
