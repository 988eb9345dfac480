import { defineConfig } from '@playwright/test';

const CI = Boolean(process.env.CI);
/** LAB_PORT lets several checkouts run their e2e suites side by side. */
const PORT = Number(process.env.LAB_PORT ?? 5173);
/**
 * The offline spec needs a production build (the service worker exists only there): a second server previews a
 * build on PORT + 100. It is started only when the run may include e2e/offline.spec.ts (no spec named on the
 * command line, or that one named), so running other single specs costs no build.
 */
export const PREVIEW_PORT = PORT + 100;
const named = process.argv.filter((a) => /\.spec\.ts$|^e2e\//.test(a));
const needsPreview = named.length === 0 || named.some((a) => a.includes('offline'));
const PREVIEW_DIR = '.tmp/e2e-dist';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [
    {
      name: 'desktop-chromium',
      use: { browserName: 'chromium', viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: [
    {
      command: `npx vite --port ${PORT} --strictPort`,
      env: { CHECKPOINT_LAB_E2E: '1' },
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    ...(needsPreview
      ? [
          {
            command: `npx vite build --outDir ${PREVIEW_DIR} --emptyOutDir --logLevel warn && npx vite preview --outDir ${PREVIEW_DIR} --port ${PREVIEW_PORT} --strictPort`,
            url: `http://localhost:${PREVIEW_PORT}`,
            reuseExistingServer: !CI,
            timeout: 240_000,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]
      : []),
  ],
});
