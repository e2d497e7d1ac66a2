import { useSyncExternalStore } from 'react';

/*
 * The service worker of the app (src/sw.ts → /sw.js): registered at every start, so that the app is cached
 * and opens without the server. When a new version has been installed, it waits; the page offers to switch
 * ({@link useUpdateWaiting}, {@link applyUpdate}) and reloads only when the person asks. Plain Service Worker
 * API (no helper library: this code is on every page, the capture pages included).
 */

/** The app's service worker (built from src/sw.ts) and its scope: the whole app. */
export const SERVICE_WORKER_URL = '/sw.js';
export const SERVICE_WORKER_SCOPE = '/';

let registering = false;
/** The installed new version that waits for the open pages of the old one. */
let waiting: ServiceWorker | null = null;
const listeners = new Set<() => void>();

function setWaiting(worker: ServiceWorker | null): void {
  waiting = worker;
  for (const listener of listeners) listener();
}

/** Whether this browser can run the app's service worker here (a secure context with service workers). */
export function serviceWorkerSupported(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && 'serviceWorker' in navigator;
}

/**
 * Registers the service worker (once). A failure is reported on the console only: the app works online
 * without it, and it is tried again at the next start.
 */
export async function registerServiceWorker(): Promise<void> {
  if (registering || !serviceWorkerSupported()) return;
  registering = true;
  const container = navigator.serviceWorker;
  try {
    const registration = await container.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
    // a new version waits only when an old one controls the page (the first install takes over at once)
    const watch = (worker: ServiceWorker | null) => {
      if (!worker) return;
      const check = () => {
        if (worker.state === 'installed' && container.controller) setWaiting(worker);
      };
      worker.addEventListener('statechange', check);
      check();
    };
    watch(registration.waiting);
    registration.addEventListener('updatefound', () => watch(registration.installing));
  } catch (error: unknown) {
    console.warn('The service worker could not be registered; the app will not open offline.', error);
  }
}

/** Whether a new version of the app is installed and waits to be used. */
export function useUpdateWaiting(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => waiting !== null,
    () => false,
  );
}

/** Switches to the waiting version: it takes over, then the page reloads (call it from a click). */
export function applyUpdate(): void {
  if (!waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
    once: true,
  });
  waiting.postMessage({ type: 'SKIP_WAITING' });
}

/** Forgets the registration state (tests). */
export function resetServiceWorkerForTests(): void {
  registering = false;
  setWaiting(null);
}
