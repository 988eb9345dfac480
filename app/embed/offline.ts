/// <reference types="vite-plugin-pwa/client" />
/**
 * Offline (README "Offline"): registers the Workbox service worker that vite-plugin-pwa generates at build time. It
 * precaches the whole app (HTML, every JavaScript chunk including the engine worker, CSS, the favicon), so once a
 * page has loaded, a reload works without network: a talk survives conference Wi-Fi. Production builds only: the dev
 * server has no service worker (a stale cached module would fight hot reloading).
 */
import { registerSW } from 'virtual:pwa-register';

export interface OfflineState {
  /** The service worker is active and the app is cached: a reload works offline. */
  ready: boolean;
}

let state: OfflineState = { ready: false };
const listeners = new Set<() => void>();

export function offlineState(): OfflineState {
  return state;
}

export function onOfflineChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registerSW({
    immediate: true,
    onOfflineReady() {
      state = { ready: true };
      for (const l of listeners) l();
    },
    onRegisteredSW(_url, registration) {
      if (registration?.active) {
        state = { ready: true };
        for (const l of listeners) l();
      }
    },
    onRegisterError(error: unknown) {
      console.warn('Checkpoint Lab: offline support is unavailable:', error);
    },
  });
}
