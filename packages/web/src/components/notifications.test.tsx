import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { SUBSCRIBE_TIMEOUT_MS, base64urlToBytes } from '../push/push.js';
import { NotificationsSettings, testResultWords } from './notifications.js';

/*
 * The browser's side is replaced by small fakes: Notification (permission and its question), the service
 * worker container with one registration, its PushManager and subscriptions; the server by a fetch that
 * answers the push routes and records what was sent.
 */

// 65 bytes: 0x04 then 64 bytes, as a VAPID public key is; base64url without padding
const KEY_BYTES = Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : 200 + (i % 50)));
const PUBLIC_KEY = btoa(String.fromCharCode(...KEY_BYTES))
  .replace(/\+/g, '-')
  .replace(/\//g, '_')
  .replace(/=+$/, '');

class FakeSubscription {
  unsubscribed = false;
  constructor(
    readonly endpoint: string,
    readonly options: { applicationServerKey: ArrayBuffer | null },
  ) {}
  toJSON() {
    return {
      endpoint: this.endpoint,
      expirationTime: null,
      keys: { p256dh: 'p256dh-key', auth: 'auth-key' },
    };
  }
  unsubscribe = vi.fn(async () => {
    this.unsubscribed = true;
    browser.subscription = null;
    return true;
  });
}

/** The fake browser's state, reset before each test. */
const browser = {
  permission: 'default' as NotificationPermission,
  /** What the permission question will be answered with. */
  answer: 'granted' as NotificationPermission,
  subscription: null as FakeSubscription | null,
  registered: false,
  subscribeCalls: [] as PushSubscriptionOptionsInit[],
  registerCalls: [] as [string, RegistrationOptions | undefined][],
  counter: 0,
};

const pushManager = {
  getSubscription: vi.fn(async () => browser.subscription),
  subscribe: vi.fn(async (options: PushSubscriptionOptionsInit) => {
    browser.subscribeCalls.push(options);
    const key = options.applicationServerKey as Uint8Array;
    browser.counter += 1;
    browser.subscription = new FakeSubscription(`https://push.example/${browser.counter}`, {
      applicationServerKey: key.slice().buffer,
    });
    return browser.subscription;
  }),
};
const registration = { pushManager };

class FakeNotification {
  static get permission() {
    return browser.permission;
  }
  static requestPermission = vi.fn(async () => {
    browser.permission = browser.answer;
    return browser.answer;
  });
}

/** What the fake server received, and how it answers the next subscription POSTs. */
const server = {
  requests: [] as { method: string; url: string; body: unknown }[],
  subscriptionAnswers: [] as number[],
  testResult: { delivered: 1, failed: 0, removed: 0 },
};

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const fakeFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  const method = init?.method ?? 'GET';
  const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
  server.requests.push({ method, url, body });
  if (method === 'GET' && url === '/api/v1/push/public-key') return json(200, { publicKey: PUBLIC_KEY });
  if (method === 'POST' && url === '/api/v1/push/subscriptions') {
    const status = server.subscriptionAnswers.shift() ?? 201;
    if (status === 409)
      return json(409, {
        code: 'E_CONFLICT',
        message: 'This browser is set up for notifications of another account.',
      });
    return json(status, { endpoint: (body as { endpoint: string }).endpoint });
  }
  if (method === 'DELETE' && url === '/api/v1/push/subscriptions') return json(204);
  if (method === 'POST' && url === '/api/v1/push/test') return json(200, server.testResult);
  return json(404, { code: 'E_ROUTE_NOT_FOUND', message: 'There is no such API route.' });
});

function installBrowser({ push = true }: { push?: boolean } = {}) {
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  Object.defineProperty(window, 'Notification', {
    value: FakeNotification,
    configurable: true,
    writable: true,
  });
  if (push)
    Object.defineProperty(window, 'PushManager', {
      value: function PushManager() {},
      configurable: true,
      writable: true,
    });
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: {
      register: vi.fn(async (url: string, options?: RegistrationOptions) => {
        browser.registerCalls.push([url, options]);
        browser.registered = true;
        return registration;
      }),
      get ready() {
        return Promise.resolve(registration);
      },
      getRegistration: vi.fn(async () => (browser.registered ? registration : undefined)),
    },
  });
}

/** A subscription this device already has (made earlier with the server's key). */
function alreadySubscribed(): FakeSubscription {
  browser.registered = true;
  browser.permission = 'granted';
  browser.subscription = new FakeSubscription('https://push.example/existing', {
    applicationServerKey: base64urlToBytes(PUBLIC_KEY).buffer,
  });
  return browser.subscription;
}

function requestsTo(method: string, url: string) {
  return server.requests.filter((r) => r.method === method && r.url === url);
}

beforeEach(() => {
  Object.assign(browser, {
    permission: 'default',
    answer: 'granted',
    subscription: null,
    registered: false,
    subscribeCalls: [],
    registerCalls: [],
    counter: 0,
  });
  Object.assign(server, {
    requests: [],
    subscriptionAnswers: [],
    testResult: { delivered: 1, failed: 0, removed: 0 },
  });
  setClientDeps({ fetch: fakeFetch as typeof fetch, csrfToken: () => 'csrf-token' });
});

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.clearAllMocks();
  for (const name of ['Notification', 'PushManager', 'isSecureContext']) Reflect.deleteProperty(window, name);
  Reflect.deleteProperty(navigator, 'serviceWorker');
});

describe('NotificationsSettings', () => {
  it('says plainly when the browser cannot receive push notifications, and offers no button', async () => {
    installBrowser({ push: false });
    render(<NotificationsSettings />);
    expect(await screen.findByText('This browser cannot show notifications from Dystrack.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(server.requests).toEqual([]);
  });

  it('when notifications are blocked, explains how to allow them, and "Check again" picks up the change', async () => {
    installBrowser();
    browser.permission = 'denied';
    render(<NotificationsSettings />);
    expect(await screen.findByText('Notifications are blocked for Dystrack in this browser.')).toBeTruthy();
    expect(screen.getByText(/Set .Notifications. to .Allow./)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /turn on/i })).toBeNull();

    browser.permission = 'default';
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('button', { name: 'Turn on notifications on this device' })).toBeTruthy();
  });

  it('turning on asks for permission, registers /sw.js for the whole app, subscribes with the server key and stores the subscription', async () => {
    installBrowser();
    render(<NotificationsSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on notifications on this device' }));

    expect(
      await screen.findByText('Notifications are on for this device.', { selector: 'strong' }),
    ).toBeTruthy();
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(browser.registerCalls).toEqual([['/sw.js', { scope: '/' }]]);
    expect(browser.subscribeCalls).toHaveLength(1);
    expect(browser.subscribeCalls[0]!.userVisibleOnly).toBe(true);
    expect(PUBLIC_KEY).toMatch(/[-_]/); // holds - and _, so the base64url mapping is exercised
    expect([...(browser.subscribeCalls[0]!.applicationServerKey as Uint8Array)]).toEqual(KEY_BYTES);
    expect(requestsTo('POST', '/api/v1/push/subscriptions').map((r) => r.body)).toEqual([
      {
        endpoint: 'https://push.example/1',
        expirationTime: null,
        keys: { p256dh: 'p256dh-key', auth: 'auth-key' },
      },
    ]);
    expect(screen.getByRole('status').textContent).toBe('Notifications are on for this device.');
    expect(screen.getByRole('button', { name: 'Send a test notification' })).toBeTruthy();
  });

  it('when the permission question is refused, shows the blocked state; when dismissed, stays off and says why', async () => {
    installBrowser();
    browser.answer = 'default';
    render(<NotificationsSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on notifications on this device' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/did not get an answer/));
    expect(browser.registerCalls).toEqual([]);

    browser.answer = 'denied';
    fireEvent.click(screen.getByRole('button', { name: 'Turn on notifications on this device' }));
    expect(await screen.findByText('Notifications are blocked for Dystrack in this browser.')).toBeTruthy();
    expect(browser.subscribeCalls).toEqual([]);
    expect(requestsTo('POST', '/api/v1/push/subscriptions')).toEqual([]);
  });

  it('an endpoint the server keeps for another account is replaced by a fresh subscription', async () => {
    installBrowser();
    server.subscriptionAnswers = [409, 201];
    render(<NotificationsSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on notifications on this device' }));
    expect(
      await screen.findByText('Notifications are on for this device.', { selector: 'strong' }),
    ).toBeTruthy();
    expect(
      requestsTo('POST', '/api/v1/push/subscriptions').map((r) => (r.body as { endpoint: string }).endpoint),
    ).toEqual(['https://push.example/1', 'https://push.example/2']);
  });

  it('a subscribed device shows "on", refreshes the server copy, and sends a test with the result in words', async () => {
    installBrowser();
    alreadySubscribed();
    server.testResult = { delivered: 2, failed: 1, removed: 0 };
    render(<NotificationsSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test notification' }));
    await waitFor(() => expect(requestsTo('POST', '/api/v1/push/test')).toHaveLength(1));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Sent to 2 devices. It should appear within a minute. 1 device could not be reached now; Dystrack tries again with the next reminder.',
      ),
    );
    expect(
      requestsTo('POST', '/api/v1/push/subscriptions').map((r) => (r.body as { endpoint: string }).endpoint),
    ).toEqual(['https://push.example/existing']);
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
  });

  it('turning off needs a confirmation; then the server forgets the device and the browser unsubscribes', async () => {
    installBrowser();
    const subscription = alreadySubscribed();
    render(<NotificationsSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn off notifications on this device' }));
    const confirm = screen.getByRole('group', { name: 'Turn off notifications on this device?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'No, keep them on' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'No, keep them on' }));
    expect(requestsTo('DELETE', '/api/v1/push/subscriptions')).toEqual([]);
    expect(subscription.unsubscribed).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Turn off notifications on this device' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, turn them off' }));
    expect(await screen.findByRole('button', { name: 'Turn on notifications on this device' })).toBeTruthy();
    expect(requestsTo('DELETE', '/api/v1/push/subscriptions').map((r) => r.body)).toEqual([
      { endpoint: 'https://push.example/existing' },
    ]);
    expect(subscription.unsubscribed).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Notifications are off for this device.');
  });

  it('says so when the browser cannot reach its push service, instead of waiting for ever', async () => {
    installBrowser();
    pushManager.subscribe.mockImplementationOnce(() => new Promise<never>(() => {}));
    render(<NotificationsSettings />);
    const button = await screen.findByRole('button', { name: 'Turn on notifications on this device' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fireEvent.click(button);
      await vi.advanceTimersByTimeAsync(SUBSCRIBE_TIMEOUT_MS - 1);
      expect(screen.queryByRole('alert')).toBeNull();
      expect(screen.getByRole('button', { name: 'Turning on…' })).toBeTruthy();
      await vi.advanceTimersByTimeAsync(1);
    } finally {
      vi.useRealTimers();
    }
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /could not reach its notification service/,
    );
    expect(screen.getByRole('button', { name: 'Turn on notifications on this device' })).toBeTruthy();
    expect(requestsTo('POST', '/api/v1/push/subscriptions')).toEqual([]);
  });

  it('shows a failure of the server as an alert', async () => {
    installBrowser();
    alreadySubscribed();
    render(<NotificationsSettings />);
    const button = await screen.findByRole('button', { name: 'Send a test notification' });
    fakeFetch.mockImplementationOnce(async () => {
      throw new TypeError('Failed to fetch');
    });
    fireEvent.click(button);
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be reached/);
  });
});

describe('testResultWords', () => {
  it('names each count with what it counts', () => {
    expect(testResultWords({ delivered: 1, failed: 0, removed: 0 })).toBe(
      'Sent to 1 device. It should appear within a minute.',
    );
    expect(testResultWords({ delivered: 0, failed: 0, removed: 2 })).toBe(
      '2 devices no longer accept notifications and were removed.',
    );
    expect(testResultWords({ delivered: 0, failed: 0, removed: 0 })).toMatch(/No device is set up/);
  });
});
