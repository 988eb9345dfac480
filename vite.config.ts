import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
    // Offline (README "Offline"): a Workbox service worker generated at build time precaches the app shell, every
    // chunk (the engine worker included) and the favicon, so a loaded page survives a reload without network.
    // Registered by app/embed/offline.ts in production builds only: the dev server never gets a service worker.
    VitePWA({
      strategies: 'generateSW',
      injectRegister: null,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        globIgnores: ['**/*.map'],
        navigateFallback: 'index.html',
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
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
