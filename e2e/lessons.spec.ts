/**
 * Guided lessons (issue 11): every lesson is walked to its end in the real page through its own buttons, answering
 * each prediction, checking that the highlighted element is on the page and that each action really happened in
 * the engine. Also: the lessons page with progress kept in localStorage, links to a step, stepping back, and
 * screenshots of the lessons page and a lesson step (1280x800 and 390x844, light and dark).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Action, Topology } from '../engine/protocol.ts';
import type { LabGlobal, LessonInfo, LessonStateInfo } from '../app/testBridge.ts';

const SHOTS = '/screenshots/h7';

async function openAt(page: Page, path: string): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path);
  await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
    timeout: 30_000,
  });
  await page.waitForFunction(() => typeof (globalThis as unknown as LabGlobal).__lab?.lessons === 'function');
  expect(errors, 'uncaught page errors').toEqual([]);
}

function lessons(page: Page): Promise<LessonInfo[]> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.lessons!());
}

function state(page: Page): Promise<LessonStateInfo | null> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.lessonState!());
}

function actions(page: Page): Promise<Action[]> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.actions());
}

function topology(page: Page): Promise<Topology | null> {
  return page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.topology());
}

/** Waits until the lesson shows step `step` (1-based) at its moment, and returns its state. */
async function atStep(page: Page, id: string, step: number): Promise<LessonStateInfo> {
  await page.waitForFunction(
    ([i, n]) => {
      const s = (globalThis as unknown as LabGlobal).__lab?.lessonState?.();
      return s?.id === i && s.step === n && (s.phase === 'ready' || s.phase === 'error');
    },
    [id, step] as const,
    { timeout: 60_000 },
  );
  const s = (await state(page))!;
  expect(s.error, `${id} step ${step}`).toBeNull();
  return s;
}

test.describe('lessons', () => {
  test('the lessons page lists every lesson with a link; progress is kept across a reload', async ({
    page,
  }) => {
    await openAt(page, '/');
    const all = await lessons(page);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const l of all) {
      expect(l.link).toBe(`?lesson=${l.id}&step=1`);
      expect(l.stepLinks).toHaveLength(l.steps);
      expect(l.predictions.length).toBeGreaterThanOrEqual(1);
      for (const p of l.predictions) {
        expect(p.choices.length).toBeGreaterThanOrEqual(2);
        expect(p.choices.length).toBeLessThanOrEqual(4);
        expect(p.correct).toBeGreaterThanOrEqual(0);
      }
    }
    await page.getByTestId('lessons-button').click();
    const dialog = page.getByTestId('lessons-page');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('lesson-item')).toHaveCount(all.length);
    await expect(page).toHaveURL(/\?lessons/);
    // Start the first lesson from the page, answer its first prediction.
    await dialog.getByTestId('lesson-item').first().getByTestId('lesson-start').click();
    const first = all[0]!;
    await expect(page).toHaveURL(new RegExp(`lesson=${first.id}&step=1`));
    await atStep(page, first.id, 1);
    await page.getByTestId('lesson-next').click();
    await atStep(page, first.id, 2);
    await page.getByTestId('lesson-choice').first().click();
    await expect(page.getByTestId('lesson-reveal')).toBeVisible();
    // Reload: the address reopens step 2, and the lessons page shows the progress.
    await openAt(page, page.url());
    await atStep(page, first.id, 2);
    await expect(page.getByTestId('lesson-reveal')).toBeVisible();
    await page.getByTestId('lessons-button').click();
    await expect(
      page.getByTestId('lessons-page').locator(`[data-lesson="${first.id}"] [data-testid="lesson-progress"]`),
    ).toHaveText(`step 2 of ${first.steps}`);
    const stored = await page.evaluate(() =>
      (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(
        'checkpoint-lab.lessons.v1',
      ),
    );
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ [first.id]: { furthest: 2, answers: { 1: 0 } } });
  });

  test('a link to a step rebuilds that moment; Back rebuilds the step before', async ({ page }) => {
    await openAt(page, '/?lesson=failure-recovery&step=3');
    const s3 = await atStep(page, 'failure-recovery', 3);
    expect(s3.highlight?.found).toBe(true);
    // Step 2's action (kill tm-1) was replayed to get here.
    expect((await actions(page)).some((a) => a.kind === 'fault' && a.fault.target === 'tm-1')).toBe(true);
    const hash3 = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.traceHash());
    await page.getByTestId('lesson-back').click();
    await atStep(page, 'failure-recovery', 2);
    await expect(page).toHaveURL(/lesson=failure-recovery&step=2/);
    await expect(page.getByTestId('lesson-act')).toBeEnabled();
    // Forward again through the learner's own action: the same moment as the link gave.
    await page.getByTestId('lesson-act').click();
    await expect(page.getByTestId('lesson-acted')).toBeVisible();
    await page.getByTestId('lesson-next').click();
    await atStep(page, 'failure-recovery', 3);
    expect(await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.traceHash())).toBe(hash3);
  });

  test('an unknown lesson in the address opens the lessons page and says so', async ({ page }) => {
    await openAt(page, '/?lesson=nope&step=2');
    await expect(page.getByTestId('lessons-page')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'There is no lesson "nope"' })).toBeVisible();
  });
});

test.describe('every lesson, walked to its end', () => {
  test.setTimeout(180_000);
  const ids = [
    'state-and-key-groups',
    'barriers',
    'alignment',
    'failure-recovery',
    'exactly-once-vs-at-least-once',
    'two-phase-commit',
    'unaligned-checkpoints',
    'restart-strategies',
    'savepoints-rescaling',
    'state-backends',
    'region-failover',
    'jobmanager-storage-limit',
  ];
  test('the list above is every lesson', async ({ page }) => {
    await openAt(page, '/');
    expect((await lessons(page)).map((l) => l.id).sort()).toEqual([...ids].sort());
  });

  for (const id of ids) {
    test(id, async ({ page }) => {
      await openAt(page, `/?lesson=${id}&step=1`);
      const info = (await lessons(page)).find((l) => l.id === id)!;
      await expect(page.getByTestId('lesson-card')).toBeVisible();
      for (let n = 1; n <= info.steps; n++) {
        const s = await atStep(page, id, n);
        if (s.highlight !== null) {
          expect(s.highlight.found, `${id} step ${n}: ${s.highlight.selector}`).toBe(true);
          await expect(page.getByTestId('lesson-ring')).toBeVisible();
        }
        const prediction = info.predictions.find((p) => p.step === n);
        if (prediction) {
          await expect(page.getByTestId('lesson-next')).toBeDisabled();
          await page.getByTestId('lesson-choice').nth(prediction.correct).click();
          await expect(page.getByTestId('lesson-reveal')).toContainText('Right.');
        }
        if (s.act !== null) {
          await expect(page.getByTestId('lesson-next')).toBeDisabled();
          const before = await actions(page);
          const scenario = await topology(page);
          await page.getByTestId('lesson-act').click();
          await expect(page.getByTestId('lesson-acted')).toBeVisible({ timeout: 30_000 });
          // The action happened in the engine.
          if (s.act.kind === 'preset' || s.act.kind === 'restart') {
            const now = await topology(page);
            expect(now).not.toEqual(scenario);
            if (s.act.kind === 'restart')
              expect(now!.operators.find((o) => o.id === 'counter')?.parallelism).toBe(3);
          } else {
            const after = await actions(page);
            expect(after.length).toBe(before.length + 1);
            const kind = { fault: 'fault', checkpoint: 'trigger-checkpoint', savepoint: 'trigger-savepoint' }[
              s.act.kind
            ];
            expect(after.at(-1)?.kind).toBe(kind);
          }
        }
        await expect(page.getByTestId('lesson-next')).toBeEnabled();
        await page.getByTestId('lesson-next').click();
      }
      await expect(page.getByTestId('lesson-done')).toBeVisible();
      await page.getByRole('button', { name: 'All lessons' }).click();
      await expect(
        page.getByTestId('lessons-page').locator(`[data-lesson="${id}"] [data-testid="lesson-progress"]`),
      ).toHaveText('done');
    });
  }
});

const VIEWS = [
  { name: 'desktop-1280x800', width: 1280, height: 800 },
  { name: 'phone-390x844', width: 390, height: 844 },
] as const;

for (const view of VIEWS) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshots: lessons page and a lesson step, ${view.name} ${scheme}`, async ({ page }) => {
      test.setTimeout(120_000);
      mkdirSync(SHOTS, { recursive: true });
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: scheme });
      await openAt(page, '/?lesson=alignment&step=2');
      await atStep(page, 'alignment', 2);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SHOTS, `lesson-step-${view.name}-${scheme}.png`) });
      await page.getByTestId('lesson-choice').first().click();
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(SHOTS, `lesson-reveal-${view.name}-${scheme}.png`) });
      await page.getByTestId('lessons-button').click();
      await expect(page.getByTestId('lessons-page')).toBeVisible();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `lessons-page-${view.name}-${scheme}.png`) });
      // The Output panel during the two-phase-commit lesson: what read-committed and read-uncommitted readers see.
      await openAt(page, '/?lesson=two-phase-commit&step=4');
      await atStep(page, 'two-phase-commit', 4);
      await expect(page.getByTestId('sink-readers')).toContainText('aborted transactions');
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SHOTS, `lesson-output-${view.name}-${scheme}.png`) });
    });
  }
}
