/*
 * Dystrack service worker. Today it only shows Web Push notifications and opens the app when one is
 * clicked; offline support will be added here later. Plain JavaScript, served as is from the site root
 * (scope `/`), no build step.
 *
 * A push carries JSON `{ title, body, url }` from the server, encrypted end to end. It never names a
 * task, a symptom or a treatment: notifications show on lock screens.
 */
/* global self */

/* A newer version of this file takes over at once: it keeps no state that an old page relies on. */
self.addEventListener('install', () => {
  self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** What is shown when a push has no readable payload (the browser requires a notification anyway). */
const FALLBACK = { title: 'Dystrack', body: 'Open Dystrack to see what is planned', url: '/' };

/** One tag for all: a new reminder replaces an unread one instead of piling up. */
const TAG = 'dystrack-reminder';

/** The payload's fields, each falling back to {@link FALLBACK}. */
function readPayload(data) {
  let value = null;
  try {
    value = data ? data.json() : null;
  } catch {
    value = null;
  }
  const text = (field) =>
    value && typeof value[field] === 'string' && value[field].length > 0 ? value[field] : FALLBACK[field];
  return { title: text('title'), body: text('body'), url: text('url') };
}

/** The URL to open: the payload's, if it is on this site; else the start page (no links elsewhere). */
function sameOriginUrl(url) {
  if (typeof url !== 'string') return new URL('/', self.location.origin).href;
  try {
    const resolved = new URL(url, self.location.origin);
    if (resolved.origin === self.location.origin) return resolved.href;
  } catch {
    // not a URL: fall through
  }
  return new URL('/', self.location.origin).href;
}

self.addEventListener('push', (event) => {
  const payload = readPayload(event.data);
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      data: { url: sameOriginUrl(payload.url) },
      tag: TAG,
      renotify: true,
      icon: '/favicon.svg',
      lang: 'en',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // an open Dystrack tab is reused: focused, and sent to the page if it is elsewhere
      const open = windows.find((client) => client.url === url) || windows[0];
      if (open) {
        const focused = await open.focus();
        if (focused.url !== url && 'navigate' in focused) {
          try {
            await focused.navigate(url);
          } catch {
            // a tab this worker does not control cannot be navigated; it is focused all the same
          }
        }
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
