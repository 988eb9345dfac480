/**
 * Serving the app for the browser benchmarks (bench/ui-fps.ts, bench/seekChromium.ts): the vite dev server, or a
 * production build (vite build into .tmp/<dir>) served by vite preview, on a free port; HMR off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function build(dist: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/** Starts vite: the dev server (`dist` null) or a production build in `dist` served by vite preview. */
export async function startVite(dist: string | null): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  if (dist !== null) await build(dist);
  const cmd =
    dist === null
      ? ['vite', '--port', String(port), '--strictPort']
      : ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort'];
  const proc = spawn('npx', cmd, {
    env: { ...process.env, CHECKPOINT_LAB_E2E: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return { url, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stopVite(proc);
  throw new Error('vite did not start within 60 s');
}

export function stopVite(proc: ChildProcess): void {
  // vite runs under npx: end the whole process group it started.
  if (proc.pid !== undefined) {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      proc.kill('SIGTERM');
    }
  }
}
