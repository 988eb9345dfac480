#!/usr/bin/env node
// The whole check: types, lint, format, unit tests (vitest), browser tests (Playwright + Debian's Chromium).
// Stops at the first failing step and ends with the plain summary line "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureDeps } from './start.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'checkpoint-lab-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

function banner(text, ch = '=') {
  const line = ch.repeat(Math.max(60, text.length + 4));
  console.log(`\n${line}\n  ${text}\n${line}`);
}

function finish(failedStep) {
  rmSync(tmp, { recursive: true, force: true });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failedStep) banner(`FAILED: ${failedStep} (after ${secs} s)`, '!');
  else banner(`All checks passed in ${secs} s`);
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exit(failedStep || totals.failed > 0 ? 1 : 0);
}

function run(title, cmd, args, env = {}) {
  banner(`${title}: ${[cmd.replace(`${ROOT}/node_modules/.bin/`, ''), ...args].join(' ')}`, '-');
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`${ok ? 'ok' : 'FAILED'}: ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return path;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    banner(`Chromium not found at ${path}`, '!');
    console.log("Install Debian's Chromium and run the tests again:\n\n  sudo apt-get install -y chromium\n");
    console.log('(or point CHROMIUM_PATH at an existing Chromium binary)');
    finish('Chromium is missing');
  }
  banner(`Chromium not found at ${path}: installing it with apt`, '-');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: aptEnv });
    if (r.status !== 0) finish(`apt-get ${args.join(' ')}`);
  }
  if (!existsSync(path)) finish(`Chromium still missing at ${path} after apt-get install`);
  return path;
}

ensureDeps();
const chromium = ensureChromium();

if (!run('Type check', bin('tsc'), ['-b'])) {
  totals.failed += 1;
  finish('type check (tsc -b)');
}
if (!run('Lint', bin('eslint'), ['.', '--max-warnings', '0'])) {
  totals.failed += 1;
  finish('lint (eslint)');
}
if (!run('Format', bin('prettier'), ['--check', '.'])) {
  totals.failed += 1;
  finish('format (prettier --check .; fix with npm run format)');
}

// Unit tests
const unitJson = join(tmp, 'vitest.json');
const unitOk = run('Unit tests', bin('vitest'), [
  'run',
  '--passWithNoTests',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitJson}`,
]);
const unit = readJson(unitJson);
if (unit) {
  totals.passed += unit.numPassedTests ?? 0;
  totals.failed += unit.numFailedTests ?? 0;
  totals.skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
}
if (!unitOk) {
  if (!unit || (unit.numFailedTests ?? 0) === 0) totals.failed += 1; // crashed or a failed suite
  finish('unit tests (vitest run)');
}

// Browser tests
const e2eJson = join(tmp, 'playwright.json');
const e2eOk = run('Browser tests', bin('playwright'), ['test', '--workers=1', '--reporter=list,json'], {
  CHROMIUM_PATH: chromium,
  PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
});
const e2e = readJson(e2eJson);
if (e2e?.stats) {
  totals.passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
  totals.failed += e2e.stats.unexpected ?? 0;
  totals.skipped += e2e.stats.skipped ?? 0;
}
if (!e2eOk) {
  if (!e2e?.stats || (e2e.stats.unexpected ?? 0) === 0) totals.failed += 1;
  finish('browser tests (playwright test)');
}
finish(null);
