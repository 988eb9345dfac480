#!/usr/bin/env node
// Starts the dev server on http://localhost:5173 after making sure dependencies are installed.
// Also exports ensureDeps() for scripts/test.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const URL = 'http://localhost:5173';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm ci` (or `npm install` without a lock file) when node_modules is missing or stale. */
export function ensureDeps() {
  const lock = join(ROOT, 'package-lock.json');
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const hasLock = existsSync(lock);
  let reason = null;
  if (!existsSync(join(ROOT, 'node_modules'))) reason = 'node_modules is missing';
  else if (hasLock && !existsSync(installed)) reason = 'node_modules was not installed from the lock file';
  else if (hasLock && statSync(lock).mtimeMs > statSync(installed).mtimeMs)
    reason = 'package-lock.json is newer than node_modules';
  if (reason === null) return;
  const args = hasLock ? ['ci'] : ['install'];
  console.log(`\n> ${reason}: npm ${args.join(' ')}\n`);
  const r = spawnSync(npm, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function startVite() {
  ensureDeps();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  console.log(`\nCheckpoint Lab: starting the dev server at ${URL}\n`);
  const child = spawn(process.execPath, [vite, '--port', '5173', '--strictPort'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (child.exitCode === null) child.kill(sig);
    });
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 0);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) startVite();
