#!/usr/bin/env node
/**
 * The verify matrix (issue "the runtime in Flink's shape", Done when): `verify` on every preset in each checkpointing
 * mode — exactly-once, at-least-once, unaligned, unaligned with the aligned-checkpoint timeout, and a bounded
 * variant whose inputs finish at different times (--input-skew) — and a table of pass counts and seeds/s per cell.
 *
 *   nice -n 10 node scripts/verify-matrix.mjs [--seeds 400] [--presets a,b] [--modes m1,m2] [--workers N]
 *   npm run verify:matrix -- --seeds 50
 *
 * Each cell runs `engine/cli.ts verify <preset> --seeds 1-<n> --json` in a child process; a failing seed is listed
 * under the table with its first difference. Exit code 1 if any seed failed.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The modes: verify options on top of the preset. */
const MODES = {
  'exactly-once': [],
  'at-least-once': ['--set', 'execution.checkpointing.mode=AT_LEAST_ONCE'],
  unaligned: ['--set', 'execution.checkpointing.unaligned.enabled=true'],
  'unaligned+timeout': [
    '--set',
    'execution.checkpointing.unaligned.enabled=true',
    '--set',
    'execution.checkpointing.aligned-checkpoint-timeout=20ms',
  ],
  'bounded-skew': ['--input-skew', '0.6'],
};

function parseArgs(argv) {
  const o = { seeds: 400, presets: null, modes: Object.keys(MODES), workers: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--seeds') o.seeds = Number(v);
    else if (a === '--presets') o.presets = v.split(',');
    else if (a === '--modes') o.modes = v.split(',');
    else if (a === '--workers') o.workers = v;
    else if (a === '--help' || a === '-h') {
      console.log(
        'Usage: node scripts/verify-matrix.mjs [--seeds N] [--presets a,b] [--modes m1,m2] [--workers N]',
      );
      console.log(`Modes: ${Object.keys(MODES).join(', ')}`);
      process.exit(0);
    } else {
      console.error(`unknown option ${a}: see --help`);
      process.exit(2);
    }
    i++;
  }
  if (!Number.isInteger(o.seeds) || o.seeds < 1) {
    console.error('--seeds must be a positive integer (the number of seeds per cell, from seed 1)');
    process.exit(2);
  }
  for (const m of o.modes) {
    if (!(m in MODES)) {
      console.error(`unknown mode "${m}": one of ${Object.keys(MODES).join(', ')}`);
      process.exit(2);
    }
  }
  return o;
}

function cli(args) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'engine/cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

function presetIds() {
  const r = cli(['presets']);
  if (r.status !== 0) throw new Error(`presets failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.split(/\s+/)[0])
    .filter((x) => x);
}

const opts = parseArgs(process.argv.slice(2));
const presets = opts.presets ?? presetIds();
const cells = [];
const failures = [];
// Mode by mode (every preset of the first mode first), so that a partial run covers whole modes.
for (const mode of opts.modes) {
  for (const preset of presets) {
    const args = ['verify', preset, '--seeds', `1-${opts.seeds}`, '--json', ...MODES[mode]];
    if (opts.workers !== null) args.push('--workers', opts.workers);
    const r = cli(args);
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      report = null;
    }
    if (report === null) {
      cells.push({ preset, mode, passed: 0, failed: opts.seeds, rate: 0, error: (r.stderr || '').trim() });
      failures.push(`${preset} / ${mode}: verify did not run: ${(r.stderr || '').trim().split('\n')[0]}`);
    } else {
      cells.push({ preset, mode, passed: report.passed, failed: report.failed, rate: report.seedsPerSecond });
      for (const s of report.seeds) {
        if (s.ok) continue;
        const sink = s.sinks.find((x) => !x.ok);
        const why = s.error ?? (sink ? `${sink.id}: ${JSON.stringify(sink.firstDifference)}` : 'failed');
        const faults = s.faults.map((f) => `${f.kind}@${f.at} ${f.target}`).join(', ');
        failures.push(`${preset} / ${mode} seed ${s.seed}: ${why} (faults: ${faults})`);
      }
    }
    const c = cells[cells.length - 1];
    process.stderr.write(`${preset} / ${mode}: ${c.passed} passed, ${c.failed} failed, ${c.rate} seeds/s\n`);
  }
}

// The table: one row per preset, one column per mode, "passed/total (seeds/s)".
const head = ['preset', ...opts.modes];
const rows = presets.map((p) => [
  p,
  ...opts.modes.map((m) => {
    const c = cells.find((x) => x.preset === p && x.mode === m);
    return `${c.passed}/${c.passed + c.failed} (${c.rate}/s)`;
  }),
]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
const total = cells.reduce((n, c) => n + c.passed + c.failed, 0);
const passed = cells.reduce((n, c) => n + c.passed, 0);
console.log(`\n${passed}/${total} seeds passed in ${cells.length} cells (${opts.seeds} seeds per cell).`);
if (failures.length > 0) {
  console.log(`\nFailures (${failures.length}):`);
  for (const f of failures) console.log(`- ${f}`);
  process.exit(1);
}
