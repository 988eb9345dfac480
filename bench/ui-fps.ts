/**
 * `npx tsx bench/ui-fps.ts [--seconds N] [--dev | --url http://localhost:5173]`: frame times of the Checkpoint Lab page
 * while it plays, measured in headless Chromium driven by Playwright (requestAnimationFrame intervals on the main
 * thread, which also draws the canvas, receives the worker's frames and renders React). Two runs:
 *   1. the default scenario (click-count, 2 subtasks per operator) at 1x: median <= 16.7 ms and p95 <= 20 ms;
 *   2. the same job with 8 subtasks per operator (4 TaskManagers x 2 slots, 8 partitions): >= 50 fps.
 * By default it builds the app for production (vite build into .tmp/ui-fps-dist) and serves it with vite preview
 * on a free port, which is what users get; --dev measures the vite dev server instead (React's development build
 * is several times slower), --url an already running server. Exits 1 when a target is missed.
 *
 * Teaching time (issue 10 §1), measured on the same default run: the share of displayed frames (the frame the page
 * shows at each animation frame) that show checkpoint activity — a barrier in flight, a blocked channel, or a
 * subtask aligning or in its sync or async phase — and the virtual seconds the job advances per wall second.
 * Targets: activity in >= 30% of frames while the job advances >= 0.3 virtual s per wall s. The same figures with
 * teaching time switched off are printed for comparison.
 */
import { chromium, type Page } from '@playwright/test';
import { DEFAULT_PRESET, presetScenario } from '../engine/engine.ts';
import type { LabGlobal } from '../app/testBridge.ts';
import { startVite, stopVite } from './viteServer.ts';

interface Args {
  seconds: number;
  url: string | null;
  dev: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 10, url: null, dev: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--seconds') a.seconds = Number(argv[++i]);
    else if (v === '--url') a.url = argv[++i] ?? null;
    else if (v === '--dev') a.dev = true;
    else throw new Error(`unknown option ${v}; use --seconds N, --dev, --url URL`);
  }
  if (!(a.seconds > 0)) throw new Error('--seconds needs a positive number');
  return a;
}

const DIST = '.tmp/ui-fps-dist';

interface Figures {
  frames: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  fps: number;
  over20: number;
  /** Share of animation frames whose shown frame has checkpoint activity. */
  activeShare: number;
  /** Virtual seconds advanced per wall second while measuring. */
  virtualPerWall: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** rAF intervals for `seconds` on the page's main thread. */
async function measure(page: Page, seconds: number): Promise<Figures> {
  // A string, not a function: tsx would wrap named inner functions in a `__name` helper the page does not have.
  const sample = await page.evaluate<{
    deltas: number[];
    active: number;
    shown: number;
    v0: number;
    v1: number;
    wall: number;
  }>(`new Promise((resolve) => {
    const out = [];
    let last = -1;
    let start = -1;
    let active = 0;
    let shown = 0;
    const lab = globalThis.__lab;
    const first = lab.shownFrame();
    const v0 = first ? first.time : 0;
    const isActive = (f) =>
      f.inFlight.some((i) => i.kind === 'barrier') ||
      f.channelBlocked.some((b) => b) ||
      f.subtaskPhase.some((p) => p !== null && (p.phase === 'aligning' || p.phase === 'sync' || p.phase === 'async'));
    const tick = (t) => {
      if (start < 0) start = t;
      if (last >= 0) out.push(t - last);
      last = t;
      const f = lab.shownFrame();
      if (f) {
        shown++;
        if (isActive(f)) active++;
      }
      if (t - start < ${seconds * 1000}) requestAnimationFrame(tick);
      else {
        const end = lab.shownFrame();
        resolve({ deltas: out, active, shown, v0, v1: end ? end.time : v0, wall: t - start });
      }
    };
    requestAnimationFrame(tick);
  })`);
  const deltas = sample.deltas;
  const sorted = [...deltas].sort((a, b) => a - b);
  const total = deltas.reduce((s, d) => s + d, 0);
  return {
    frames: deltas.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    fps: (deltas.length * 1000) / Math.max(1, total),
    over20: deltas.filter((d) => d > 20).length,
    activeShare: sample.active / Math.max(1, sample.shown),
    virtualPerWall: (sample.v1 - sample.v0) / 1000 / Math.max(1, sample.wall),
  };
}

/** The default preset with `p` subtasks per operator on p/2 TaskManagers with 2 slots each. */
function scaled(p: number): unknown {
  const doc = presetScenario(DEFAULT_PRESET) as {
    name: string;
    cluster: { taskManagers: number; slotsPerTaskManager: number };
    topics: Record<string, { partitions: number }>;
    job: { operators: { parallelism?: number }[] };
  };
  doc.name = `${doc.name} (${p} subtasks per operator)`;
  doc.cluster = { taskManagers: Math.ceil(p / 2), slotsPerTaskManager: 2 };
  for (const t of Object.values(doc.topics)) t.partitions = p;
  for (const op of doc.job.operators) op.parallelism = p;
  return doc;
}

async function run(
  page: Page,
  label: string,
  scenario: unknown,
  seconds: number,
  teaching = true,
): Promise<Figures> {
  await page.evaluate((on) => (globalThis as unknown as LabGlobal).__lab!.setTeaching(on), teaching);
  const loaded = await page.evaluate(async (s) => {
    const lab = (globalThis as unknown as LabGlobal).__lab!;
    const r = s === null ? await lab.loadPreset('click-count') : await lab.load(s);
    return r.ok ? null : JSON.stringify(r.errors);
  }, scenario);
  if (loaded !== null) throw new Error(`${label}: scenario did not load: ${loaded}`);
  await page.getByLabel('Playback speed').selectOption('1');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(1500); // warm up: JIT, first frames, layout
  const f = await measure(page, seconds);
  const t = await page.evaluate(() => (globalThis as unknown as LabGlobal).__lab!.frame()?.time ?? 0);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  if (t < 300_000) throw new Error(`${label}: virtual time did not advance while playing (${t} µs)`);
  return f;
}

const fmt = (n: number) => n.toFixed(2).padStart(7);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const vite = args.url === null ? await startVite(args.dev ? null : DIST) : null;
  const served =
    args.url !== null ? args.url : args.dev ? 'vite dev server' : 'production build (vite preview)';
  const url = args.url ?? vite!.url;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  let failed: boolean;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as LabGlobal).__lab?.ready === true, null, {
      timeout: 60_000,
    });
    const rows: [string, Figures, string, boolean][] = [];
    const def = await run(page, 'default', null, args.seconds);
    const defOk = def.median <= 16.7 && def.p95 <= 20;
    rows.push(['click-count, 2 subtasks/operator', def, 'median <= 16.7 ms, p95 <= 20 ms', defOk]);
    const big = await run(page, '8 subtasks', scaled(8), args.seconds);
    const bigOk = big.fps >= 50;
    rows.push(['click-count, 8 subtasks/operator', big, '>= 50 fps', bigOk]);
    const plain = await run(page, 'default, teaching time off', null, args.seconds, false);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);

    console.log(
      `UI frame times in headless Chromium, 1280x800, ${args.seconds} s of play at 1x each (ms), ${served}`,
    );
    console.log(
      'scenario                            frames  median     p95     p99     max     fps  >20ms  target',
    );
    for (const [name, f, target, ok] of rows) {
      console.log(
        `${name.padEnd(34)} ${String(f.frames).padStart(7)} ${fmt(f.median)} ${fmt(f.p95)} ${fmt(f.p99)} ${fmt(f.max)} ${fmt(f.fps)} ${String(f.over20).padStart(6)}  ${target}: ${ok ? 'PASS' : 'FAIL'}`,
      );
    }
    const teachOk = def.activeShare >= 0.3 && def.virtualPerWall >= 0.3;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
    console.log('');
    console.log(
      'Teaching time, click-count at the default speed (1x): displayed frames showing checkpoint activity',
    );
    console.log('and virtual seconds advanced per wall second');
    console.log(
      `  teaching time on  (default): ${pct(def.activeShare)} of frames, ${def.virtualPerWall.toFixed(2)} virtual s / wall s  target >= 30%, >= 0.3: ${teachOk ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `  teaching time off          : ${pct(plain.activeShare)} of frames, ${plain.virtualPerWall.toFixed(2)} virtual s / wall s  (for comparison)`,
    );
    failed = rows.some((r) => !r[3]) || !teachOk;
  } finally {
    await browser.close();
    if (vite) stopVite(vite.proc);
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
