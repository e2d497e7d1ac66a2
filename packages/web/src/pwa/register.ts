import { useSyncExternalStore } from 'react';
import type { Workbox } from 'workbox-window';
import { SERVICE_WORKER_SCOPE, SERVICE_WORKER_URL } from '../push/push.js';

/*
 * The service worker of the app (src/sw.ts → /sw.js): registered at every start, so that the app is cached
 * and opens without the server. When a new version has been installed, it waits; the page offers to switch
 * ({@link useUpdateWaiting}, {@link applyUpdate}) and reloads only when the person asks.
 */

let workbox: Workbox | null = null;
let registering = false;
let updateWaiting = false;
const listeners = new Set<() => void>();

function setUpdateWaiting(value: boolean): void {
  updateWaiting = value;
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
  try {
    // loaded after the first page (workbox-window is not needed to show it)
    const { Workbox } = await import('workbox-window');
    workbox = new Workbox(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
    // a new version is installed and waits for the open pages of the old one
    workbox.addEventListener('waiting', () => setUpdateWaiting(true));
    await workbox.register();
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
    () => updateWaiting,
    () => false,
  );
}

/** Switches to the waiting version: it takes over, then the page reloads (call it from a click). */
export function applyUpdate(): void {
  if (!workbox || !updateWaiting) return;
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}

/** Forgets the registration state (tests). */
export function resetServiceWorkerForTests(): void {
  workbox = null;
  registering = false;
  setUpdateWaiting(false);
}
