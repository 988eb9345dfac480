/**
 * Time travel in Chromium (issue 7 §4, "in Chromium"): the app served by vite, headless /usr/bin/chromium driven by
 * Playwright, the engine in the page's Web Worker. For each preset, through the test bridge (window.__lab): load
 * it, run to 10 virtual minutes from the start (timed; the worker takes its engine snapshots on the way, as for a
 * user), then seek to a set of moments across those 10 minutes, each just before a snapshot boundary (the farthest
 * from a snapshot), best of two per moment; the figure is the worst seek / the run. Goal <= 0.1. Timed inside the
 * page (performance.now around each awaited bridge call: the worker's work, the messages and the frame shown).
 *
 * `npx tsx bench/seekChromium.ts [--build]` runs it alone; `npm run bench -- --only seek` prints it beside the Node
 * figures (bench/seek.ts).
 */
import { chromium } from '@playwright/test';
import type { LabGlobal } from '../app/testBridge.ts';
import { startVite, stopVite } from './viteServer.ts';

export interface ChromiumSeekFigures {
  preset: string;
  runMs: number;
  worstSeekMs: number;
  worstSeekAtUs: number;
  medianSeekMs: number;
  seeks: number;
  ratio: number;
}

const TEN_MIN = 600_000_000;
/** Seek targets: just before each 5 s boundary (the default sim.snapshotEvery), sampled over the 10 minutes. */
const TARGETS = Array.from({ length: 17 }, (_, k) => 4_999_000 + k * 35_000_000);

export async function seekBenchChromium(
  presets: readonly string[],
  opts: { build?: boolean } = {},
): Promise<{ served: string; presets: ChromiumSeekFigures[] }> {
  const vite = await startVite(opts.build === true ? '.tmp/seek-bench-dist' : null);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(300_000);
    await page.goto(vite.url);
    await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
      timeout: 120_000,
    });
    const out: ChromiumSeekFigures[] = [];
    for (const preset of presets) {
      const r = await page.evaluate(
        async ({ preset, end, targets }) => {
          const lab = (globalThis as unknown as LabGlobal).__lab!;
          const loaded = await lab.loadPreset(preset);
          if (!loaded.ok) throw new Error(`loadPreset ${preset} failed`);
          const t0 = performance.now();
          await lab.runTo(end);
          const runMs = performance.now() - t0;
          await lab.seek(1_000_000); // the first restore warms the worker's JIT up for restored objects
          const seeks: { at: number; ms: number }[] = [];
          for (const at of targets) {
            let best = Number.POSITIVE_INFINITY;
            for (let k = 0; k < 2; k++) {
              const s0 = performance.now();
              await lab.seek(at);
              best = Math.min(best, performance.now() - s0);
            }
            seeks.push({ at, ms: best });
          }
          return { runMs, seeks };
        },
        { preset, end: TEN_MIN, targets: TARGETS },
      );
      const sorted = r.seeks.map((s) => s.ms).sort((a, b) => a - b);
      const worst = r.seeks.reduce((w, s) => (s.ms > w.ms ? s : w));
      out.push({
        preset,
        runMs: Math.round(r.runMs),
        worstSeekMs: Number(worst.ms.toFixed(1)),
        worstSeekAtUs: worst.at,
        medianSeekMs: Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)),
        seeks: r.seeks.length,
        ratio: Number((worst.ms / r.runMs).toFixed(3)),
      });
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return { served: opts.build === true ? 'production build' : 'vite dev server', presets: out };
  } finally {
    await browser.close();
    stopVite(vite.proc);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seekBenchChromium(['click-count', 'rolling-sum', 'user-sessions'], {
    build: process.argv.includes('--build'),
  }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
