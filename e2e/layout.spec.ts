import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

/** The DOM as used inside page.evaluate (e2e/ compiles without the DOM lib). */
interface El {
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
  textContent: string | null;
  style: Record<string, string>;
  append(el: El): void;
  remove(): void;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
  createElement(tag: string): El;
  body: El;
  documentElement: { scrollWidth: number };
};
declare const window: { innerWidth: number; scrollTo(x: number, y: number): void };

type Rect = { x: number; y: number; w: number; h: number };

/** SVG boxes in page coordinates: vertex headers with their text lines, subtask boxes with their texts. */
async function graphBoxes(page: Page) {
  return page.evaluate(() => {
    const r = (el: El) => {
      const b = el.getBoundingClientRect();
      return { x: b.x, y: b.y, w: b.width, h: b.height };
    };
    const vertices = [...document.querySelectorAll('[data-testid="vertex"]')].map((v) => ({
      id: v.getAttribute('data-vertex') ?? '',
      name: r(v.querySelector('.vertex-name')!),
      text: v.querySelector('.vertex-name')!.textContent ?? '',
      par: r(v.querySelector('.vertex-par')!),
      op: v.querySelector('.vertex-op') ? r(v.querySelector('.vertex-op')!) : null,
      title: v.querySelector('title')?.textContent ?? '',
    }));
    const subtasks = [...document.querySelectorAll('[data-testid="subtask"]')].map((s) => ({
      id: s.getAttribute('data-subtask') ?? '',
      box: r(s.querySelector('.subtask-box')!),
      texts: [...s.querySelectorAll('text')].map(r),
    }));
    return { vertices, subtasks };
  });
}

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Rect, b: Rect) =>
  a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.w <= b.x + b.w + 1 && a.y + a.h <= b.y + b.h + 1;

async function toAlignment(lab: LabPage): Promise<void> {
  let frame = (await lab.frame())!;
  for (let i = 0; i < 20 && !frame.channelBlocked.some(Boolean); i++) frame = await lab.clickStep('barrier');
  expect(frame.channelBlocked.some(Boolean), 'a channel is blocked by alignment').toBe(true);
}

for (const view of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const) {
  test(`nothing in the job graph overlaps during alignment at ${view.width}x${view.height}`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: view.width, height: view.height });
    const lab = new LabPage(page);
    await lab.open();
    await toAlignment(lab);
    const { vertices, subtasks } = await graphBoxes(page);
    expect(vertices.length).toBeGreaterThan(0);
    for (const v of vertices) {
      // Names are readable: whole at 1280 px (wrapped, never cut); the full name is in the tooltip either way.
      if (view.width >= 1280) expect(v.text, v.id).not.toContain('…');
      expect(v.title).toContain(v.text.replace('…', '').slice(0, 6));
      expect(overlap(v.name, v.par), `${v.id}: name runs into ×parallelism`).toBe(false);
      if (v.op) expect(overlap(v.name, v.op), `${v.id}: name runs into the operator line`).toBe(false);
      for (const s of subtasks) expect(overlap(v.name, s.box), `${v.id} heading under ${s.id}`).toBe(false);
    }
    for (const s of subtasks) {
      for (const t of s.texts) expect(inside(t, s.box), `${s.id}: text outside its box`).toBe(true);
      for (const o of subtasks)
        if (o !== s) expect(overlap(s.box, o.box), `${s.id} overlaps ${o.id}`).toBe(false);
    }
  });

  test(`the checkpoint sub-tabs are all visible at ${view.width}x${view.height}`, async ({ page }) => {
    await page.setViewportSize({ width: view.width, height: view.height });
    const lab = new LabPage(page);
    await lab.open();
    const tabs = page.getByRole('tablist', { name: 'Checkpoint views' }).getByRole('tab');
    await expect(tabs).toHaveCount(6);
    const card = (await page.locator('#panel-state').boundingBox())!;
    for (const tab of await tabs.all()) {
      const b = (await tab.boundingBox())!;
      expect(b.x, (await tab.textContent()) ?? '').toBeGreaterThanOrEqual(card.x);
      expect(b.x + b.width, (await tab.textContent()) ?? '').toBeLessThanOrEqual(card.x + card.width);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
