import { expect, test, type Page } from '@playwright/test';
import type { Frame } from '../engine/protocol.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import { LabPage } from './pages/labPage.ts';

/** Everything the screen shows about "now", read in one go (one task: no render can happen in between). */
interface Sample {
  shown: Pick<Frame, 'seq' | 'time'> & { completed: number; pending: string | null; latest: number | null };
  momentSeq: number;
  readoutSeq: number;
  readoutText: string;
  scrubberSeq: number;
  panelSeq: number | null;
  panelCompleted: number | null;
  overviewCompleted: string | null;
  jobManager: string;
}

function sample(page: Page): Promise<Sample | null> {
  return page.evaluate(() => {
    const lab = (globalThis as unknown as LabGlobal).__lab!;
    const f = lab.shownFrame();
    if (f === null) return null;
    type El = { dataset: Record<string, string | undefined>; textContent: string | null };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document;
    const q = (sel: string) => doc.querySelector(sel);
    const num = (v: string | undefined) => (v === undefined ? null : Number(v));
    const p = f.checkpoints.pending[0];
    const panel = q('[data-testid="checkpoints-panel"]');
    return {
      shown: {
        seq: f.seq,
        time: f.time,
        completed: f.checkpoints.counts.completed,
        pending: p === undefined ? null : `${p.id}: ${p.acknowledged}/${p.total} acked`,
        latest: f.checkpoints.latestCompleted?.id ?? null,
      },
      momentSeq: lab.moment().seq,
      readoutSeq: Number(q('[data-testid="readout"]')?.dataset.seq ?? -1),
      readoutText: q('[data-testid="virtual-time"]')?.textContent ?? '',
      scrubberSeq: Number(q('[data-testid="scrubber"]')?.dataset.seq ?? -1),
      panelSeq: num(panel?.dataset.momentSeq),
      panelCompleted: num(panel?.dataset.completed),
      overviewCompleted: q('[data-testid="checkpoint-counts"] [data-count="completed"]')?.textContent ?? null,
      jobManager: q('[data-testid="job-manager"]')?.textContent ?? '',
    };
  });
}

function check(s: Sample, label: string): void {
  const at = `${label} at ${(s.shown.time / 1e6).toFixed(3)} s (frame ${s.shown.seq})`;
  expect(s.readoutSeq, `${at}: the readout shows the shown frame`).toBe(s.shown.seq);
  expect(s.readoutText, `${at}: the readout's time`).toBe(`${(s.shown.time / 1e6).toFixed(3)} s`);
  expect(s.scrubberSeq, `${at}: the scrubber shows the shown frame`).toBe(s.shown.seq);
  expect(s.momentSeq, `${at}: the panels' engine answers belong to the shown frame`).toBe(s.shown.seq);
  if (s.panelSeq !== null) {
    expect(s.panelSeq, `${at}: the Checkpoints panel renders the shown frame's data`).toBe(s.shown.seq);
    expect(s.panelCompleted, `${at}: completed checkpoints in the panel vs the frame`).toBe(
      s.shown.completed,
    );
  }
  if (s.overviewCompleted !== null)
    expect(Number(s.overviewCompleted.replace(/\D/g, '')), `${at}: the Overview's completed count`).toBe(
      s.shown.completed,
    );
  if (s.shown.pending !== null)
    expect(s.jobManager, `${at}: the JobManager box shows the frame's pending checkpoint`).toContain(
      s.shown.pending,
    );
  else if (s.shown.latest !== null)
    expect(s.jobManager, `${at}: the JobManager box shows the frame's latest checkpoint`).toContain(
      `latest completed: ${s.shown.latest} `,
    );
}

test('while playing, every panel renders the same moment as the frame on screen (1x, 4x, 100x)', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.open();
  for (const speed of ['1', '4', '100'] as const) {
    await lab.speed.selectOption(speed);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(600);
    let checked = 0;
    let withPanel = 0;
    let withPending = 0;
    for (let i = 0; i < 15; i++) {
      const s = await sample(page);
      if (s !== null) {
        check(s, `${speed}x`);
        checked++;
        if (s.panelSeq !== null) withPanel++;
        if (s.shown.pending !== null) withPending++;
      }
      await page.waitForTimeout(90 + ((i * 37) % 70));
    }
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await lab.idle();
    // Paused: the last frame and its answers arrive together too.
    await expect
      .poll(async () => (await sample(page))?.momentSeq === (await sample(page))?.shown.seq)
      .toBe(true);
    check((await sample(page))!, `${speed}x, paused`);
    expect(checked, `${speed}x: samples taken`).toBe(15);
    expect(withPanel, `${speed}x: samples where the Checkpoints panel had data`).toBeGreaterThan(10);
    if (speed === '1')
      expect(withPending, '1x: some samples caught a checkpoint in progress').toBeGreaterThan(0);
  }
  // A long way on at 100x: the panel still agrees with the frame (the issue saw it 40 checkpoints behind).
  const f = await lab.frame();
  expect(f!.checkpoints.counts.completed).toBeGreaterThan(10);
});

test('after step, run to and seek the panels show the new moment', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  await lab.runTo(4_300_000);
  await expect.poll(async () => (await sample(page))?.shown.time).toBe(4_300_000);
  await expect
    .poll(async () => (await sample(page))?.panelSeq === (await sample(page))?.shown.seq)
    .toBe(true);
  check((await sample(page))!, 'run to 4.3 s');
  await lab.seek(2_100_000);
  await expect.poll(async () => (await sample(page))?.shown.time).toBe(2_100_000);
  await expect
    .poll(async () => (await sample(page))?.panelSeq === (await sample(page))?.shown.seq)
    .toBe(true);
  check((await sample(page))!, 'seek to 2.1 s');
  await lab.step1();
  await expect
    .poll(async () => (await sample(page))?.panelSeq === (await sample(page))?.shown.seq)
    .toBe(true);
  check((await sample(page))!, 'one step');
});
