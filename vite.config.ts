import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // e2e runs (CHECKPOINT_LAB_E2E=1, set by playwright.config.ts) disable HMR so a file save never reloads a test page.
  server: {
    port: 5173,
    strictPort: true,
    host: 'localhost',
    hmr: process.env.CHECKPOINT_LAB_E2E ? false : undefined,
  },
  preview: { port: 5173, strictPort: true, host: 'localhost' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
