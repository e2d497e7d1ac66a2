/*
 * The service worker's Web Push part: shows a notification for each push and opens the app when one is
 * clicked. Installed by the service worker (src/sw.ts) on its global scope; typed structurally here, so that
 * it is checked (and tested) with the rest of the app.
 *
 * A push carries JSON `{ title, body, url }` from the server, encrypted end to end. It never names a
 * task, a symptom or a treatment: notifications show on lock screens.
 */

/** The part of an `ExtendableEvent` used here. */
interface Extendable {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of a `WindowClient` used here. */
export interface WindowClientLike {
  url: string;
  focus(): Promise<WindowClientLike>;
  navigate?(url: string): Promise<WindowClientLike | null>;
}

/** The part of the service worker's global scope used here. */
export interface PushWorkerScope {
  location: { origin: string };
  registration: { showNotification(title: string, options?: NotificationOptions): Promise<void> };
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: 'push', listener: (event: Extendable & { data: PushDataLike | null }) => void): void;
  addEventListener(
    type: 'notificationclick',
    listener: (event: Extendable & { notification: { data: unknown; close(): void } }) => void,
  ): void;
}

/** The part of a `PushMessageData` used here. */
interface PushDataLike {
  json(): unknown;
}

interface Payload {
  title: string;
  body: string;
  url: string;
}

/** What is shown when a push has no readable payload (the browser requires a notification anyway). */
const FALLBACK: Payload = { title: 'Dystrack', body: 'Open Dystrack to see what is planned', url: '/' };

/** One tag for all: a new reminder replaces an unread one instead of piling up. */
const TAG = 'dystrack-reminder';

/** The payload's fields, each falling back to {@link FALLBACK}. */
function readPayload(data: PushDataLike | null): Payload {
  let value: Record<string, unknown> | null = null;
  try {
    const parsed = data ? data.json() : null;
    value = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    value = null;
  }
  const text = (field: keyof Payload): string => {
    const candidate = value?.[field];
    return typeof candidate === 'string' && candidate.length > 0 ? candidate : FALLBACK[field];
  };
  return { title: text('title'), body: text('body'), url: text('url') };
}

/** The URL to open: the payload's, if it is on this site; else the start page (no links elsewhere). */
function sameOriginUrl(origin: string, url: unknown): string {
  if (typeof url === 'string') {
    try {
      const resolved = new URL(url, origin);
      if (resolved.origin === origin) return resolved.href;
    } catch {
      // not a URL: fall through
    }
  }
  return new URL('/', origin).href;
}

/** Adds the `push` and `notificationclick` listeners to the service worker's scope. */
export function installPushHandlers(scope: PushWorkerScope): void {
  const origin = scope.location.origin;

  scope.addEventListener('push', (event) => {
    const payload = readPayload(event.data);
    event.waitUntil(
      scope.registration.showNotification(payload.title, {
        body: payload.body,
        data: { url: sameOriginUrl(origin, payload.url) },
        tag: TAG,
        // not in every lib.dom version: a newer reminder alerts again instead of replacing one silently
        ...({ renotify: true } as NotificationOptions),
        icon: '/icons/icon-192.png',
        lang: 'en',
      }),
    );
  });

  scope.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const data = event.notification.data as { url?: unknown } | null | undefined;
    const url = sameOriginUrl(origin, data?.url);
    event.waitUntil(
      (async () => {
        const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
        // an open Dystrack tab is reused: focused, and sent to the page if it is elsewhere
        const open = windows.find((client) => client.url === url) ?? windows[0];
        if (open) {
          const focused = await open.focus();
          if (focused.url !== url && focused.navigate) {
            try {
              await focused.navigate(url);
            } catch {
              // a tab this worker does not control cannot be navigated; it is focused all the same
            }
          }
          return;
        }
        await scope.clients.openWindow(url);
      })(),
    );
  });
}
