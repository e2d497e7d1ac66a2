/*
 * The Dystrack service worker, built by vite-plugin-pwa (injectManifest) into /sw.js, scope `/`.
 *
 * - Precaches the built app (the list is injected at build time) and answers every navigation to a page of
 *   the app with the cached index.html, so that the app opens without the server. Cached responses keep the
 *   server's COOP/COEP headers (and get them if they lack them): a page from the cache is cross-origin
 *   isolated like one from the network.
 * - Never answers /api requests: they always go to the network, and nothing from the API is cached. What a
 *   person records offline waits in the upload queue (IndexedDB), not here.
 * - Shows Web Push notifications and opens the app when one is clicked (src/push/worker.ts).
 *
 * A new version waits until the page asks it to take over (`SKIP_WAITING`, from the update prompt), so that
 * no page is reloaded in the middle of a task.
 */
import { clientsClaim } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { installPushHandlers, type PushWorkerScope } from './push/worker.js';
import { NOT_APP_PAGES, withIsolation } from './pwa/worker.js';

/** The parts of the service worker's global scope used here (the app is type-checked with the DOM lib). */
type WorkerScope = PushWorkerScope & {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
};
declare const self: WorkerScope;

self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
// The first worker of a device controls the open page at once (there is no older version to replace).
clientsClaim();

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolation(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [...NOT_APP_PAGES] }));

installPushHandlers(self);
