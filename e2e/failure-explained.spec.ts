import { expect, test } from '@playwright/test';
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
declare function getComputedStyle(el: El): { color: string; fill: string };

test('a TaskManager killed for good: countdown to detection, lost subtasks, then what the job waits for and the one-click fix', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(6_300_000);
  // Kill with no duration: it stays down until someone restarts it.
  await lab.menuAction(lab.tmButton('tm-1'), /^Kill \(stays down/);
  // Right after the kill, before anyone noticed (a peer's broken connection or the heartbeat timeout).
  let frame = await lab.runTo(6_310_000);
  const detectAt = frame.taskManagerDetectAtUs[1];
  expect(detectAt, 'the engine says when the JobManager will notice').not.toBeNull();
  const left = ((detectAt ?? 0) - frame.time) / 1_000_000;

  // Between the kill and its detection: a countdown on the band and in words; its subtasks are lost, not acked.
  const tm1 = lab.taskManager('tm-1');
  await expect(tm1.getByTestId('tm-status')).toContainText(`${left.toFixed(1)} s`);
  const countdown = page.getByTestId('detect-countdown');
  await expect(countdown).toContainText(`tm-1 is dead; the JobManager notices in ${left.toFixed(1)} s`);
  const topology = (await lab.topology())!;
  for (const st of topology.subtasks) {
    const box = lab.subtask(st.name);
    if (frame.subtaskLost[st.index] === true) {
      await expect(box).toContainText('lost');
      await expect(box).not.toContainText('acknowledged');
      await expect(box).not.toContainText('acked');
    }
  }
  expect(frame.subtaskLost.filter(Boolean).length).toBeGreaterThan(0);

  // Later: Flink restarted the job, which now waits in SCHEDULED for slots that the dead TaskManager held.
  frame = await lab.runTo(20_000_000);
  expect(frame.status).toBe('RUNNING');
  expect(frame.waitingForSlots).not.toBeNull();
  await expect(countdown).toHaveCount(0);
  const waiting = page.getByTestId('waiting-for-slots');
  await expect(waiting).toContainText('Job RUNNING, but 6 subtasks SCHEDULED');
  await expect(waiting).toContainText(/waiting for \d+ slots?: restart tm-1/);
  // The job status badge does not read as healthy.
  const okColor = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--ok)';
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  });
  expect(okColor).toMatch(/^rgb/);
  const badgeColor = await lab.jobStatus.evaluate((el) => getComputedStyle(el as unknown as El).color);
  expect(badgeColor).not.toBe(okColor);
  await expect(lab.jobStatus).toHaveText('RUNNING · waiting for slots');
  await expect(lab.jobStatus).toHaveAttribute('data-tone', 'warn');

  // One click on the fix restarts tm-1 (the same action as its menu); the job gets its slots and runs again.
  await page.getByTestId('restart-tm-fix').click();
  await lab.idle();
  frame = await lab.runTo(frame.time + 5_000_000);
  expect(frame.taskManagerAlive[1]).toBe(true);
  expect(frame.waitingForSlots).toBeNull();
  expect(frame.subtaskStatus.every((s) => s === 'RUNNING')).toBe(true);
  await expect(waiting).toHaveCount(0);
});

test('TaskManager band colours never read as the failure colour', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const fills = await page
    .locator('[data-testid="taskmanager"] .tm-bg')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e as unknown as El).fill));
  expect(fills.length).toBeGreaterThan(0);
  for (const fill of fills) {
    expect(fill).toMatch(/^rgb/);
    const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    // Red-dominant hues (red, orange-red, pink) are the failure colour's family.
    expect(r > g + 40 && r > b + 40, `band colour ${fill}`).toBe(false);
  }
});
