import { describe, expect, it, vi } from 'vitest';
import { installPushHandlers, type PushWorkerScope } from './worker.js';

/*
 * The service worker's push part (worker.ts) installed on a fake worker scope: its listeners are called with
 * fake events, and what it shows, focuses, navigates and opens is recorded. The real browser path (a push
 * delivered through Chromium's push machinery to the built /sw.js) is in e2e/push.e2e.ts.
 */

const ORIGIN = 'https://dystrack.example.org';

interface FakeWindow {
  url: string;
  focused: boolean;
  navigatedTo: string | null;
  focus(): Promise<FakeWindow>;
  navigate(url: string): Promise<FakeWindow>;
}

function fakeWindow(url: string): FakeWindow {
  const client: FakeWindow = {
    url,
    focused: false,
    navigatedTo: null,
    focus: async () => {
      client.focused = true;
      return client;
    },
    navigate: async (to) => {
      client.navigatedTo = to;
      return client;
    },
  };
  return client;
}

type Listener = (event: Record<string, unknown>) => void;

function loadWorker(windows: FakeWindow[] = []) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: NotificationOptions }[] = [];
  const opened: string[] = [];
  const scope = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    registration: {
      showNotification: async (title: string, options: NotificationOptions) => {
        shown.push({ title, options });
      },
    },
    clients: {
      matchAll: vi.fn(async () => windows),
      openWindow: async (url: string) => {
        opened.push(url);
        return null;
      },
    },
  };
  installPushHandlers(scope as unknown as PushWorkerScope);

  /** Dispatches an event and waits for what it passed to waitUntil. */
  async function dispatch(type: string, event: Record<string, unknown>): Promise<void> {
    let pending: Promise<unknown> = Promise.resolve();
    const listener = listeners.get(type);
    if (!listener) throw new Error(`no ${type} listener`);
    listener({ ...event, waitUntil: (promise: Promise<unknown>) => (pending = promise) });
    await pending;
  }
  return { scope, shown, opened, dispatch, listeners };
}

/** A push event's data as the browser gives it. */
function pushData(text: string) {
  return {
    json: () => JSON.parse(text) as unknown,
    text: () => text,
  };
}

function clickEvent(data: unknown) {
  return { notification: { data, close: vi.fn() } };
}

describe('the push handlers of the service worker', () => {
  it('listens for push and notificationclick only (no fetch handler: Workbox caches, in sw.ts)', () => {
    expect([...loadWorker().listeners.keys()].sort()).toEqual(['notificationclick', 'push']);
  });

  it('shows the pushed title and body with the page as data and one tag, so reminders replace each other', async () => {
    const worker = loadWorker();
    await worker.dispatch('push', {
      data: pushData(
        JSON.stringify({
          title: 'Dystrack: something is due today',
          body: 'Open Dystrack to see what is planned',
          url: '/routine',
        }),
      ),
    });
    expect(worker.shown).toEqual([
      {
        title: 'Dystrack: something is due today',
        options: expect.objectContaining({
          body: 'Open Dystrack to see what is planned',
          data: { url: `${ORIGIN}/routine` },
          tag: 'dystrack-reminder',
        }) as NotificationOptions,
      },
    ]);
  });

  it('a push without a readable payload still shows a plain notification; a link to another site becomes the start page', async () => {
    const worker = loadWorker();
    await worker.dispatch('push', { data: null });
    await worker.dispatch('push', { data: pushData('not json') });
    await worker.dispatch('push', {
      data: pushData(JSON.stringify({ title: 'x', body: 'y', url: 'https://evil.example/' })),
    });
    await worker.dispatch('push', {
      data: pushData(JSON.stringify({ title: 'x', body: 'y', url: '//evil.example/path' })),
    });
    expect(
      worker.shown.map((n) => [n.title, n.options.body, (n.options.data as { url: string }).url]),
    ).toEqual([
      ['Dystrack', 'Open Dystrack to see what is planned', `${ORIGIN}/`],
      ['Dystrack', 'Open Dystrack to see what is planned', `${ORIGIN}/`],
      ['x', 'y', `${ORIGIN}/`],
      ['x', 'y', `${ORIGIN}/`],
    ]);
  });

  it('a click focuses an open Dystrack tab and takes it to the page, or opens the page when none is open', async () => {
    const tab = fakeWindow(`${ORIGIN}/recordings`);
    const withTab = loadWorker([tab]);
    const event = clickEvent({ url: `${ORIGIN}/routine` });
    await withTab.dispatch('notificationclick', event);
    expect(event.notification.close).toHaveBeenCalled();
    expect(tab).toMatchObject({ focused: true, navigatedTo: `${ORIGIN}/routine` });
    expect(withTab.opened).toEqual([]);

    const alreadyThere = fakeWindow(`${ORIGIN}/routine`);
    await loadWorker([fakeWindow(`${ORIGIN}/`), alreadyThere]).dispatch(
      'notificationclick',
      clickEvent({ url: `${ORIGIN}/routine` }),
    );
    expect(alreadyThere).toMatchObject({ focused: true, navigatedTo: null });

    const without = loadWorker([]);
    await without.dispatch('notificationclick', clickEvent({ url: `${ORIGIN}/routine` }));
    expect(without.opened).toEqual([`${ORIGIN}/routine`]);
  });

  it('a click never opens another site', async () => {
    const worker = loadWorker([]);
    await worker.dispatch('notificationclick', clickEvent({ url: 'https://evil.example/phish' }));
    await worker.dispatch('notificationclick', clickEvent(null));
    expect(worker.opened).toEqual([`${ORIGIN}/`, `${ORIGIN}/`]);
  });
});
