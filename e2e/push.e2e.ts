import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { onboard, signUp, uniqueName } from './flows.js';
import { useServerAndBrowser } from './harness.js';

/*
 * Web Push in Chromium. No push service is reachable from the test machines, so the browser's own
 * subscription cannot complete (PushManager.subscribe waits for Google's service, which never answers
 * here); the server's side of a push (encryption, VAPID, a real HTTPS endpoint) is tested in
 * packages/server against a local push service. Here the service worker that the settings register
 * receives pushes through CDP `ServiceWorker.deliverPushMessage`, which goes through Chromium's push
 * event path, and the notifications it shows are read back with `getNotifications()`.
 */

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: unknown;
}

/** The notifications the service worker is showing now. */
function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data as unknown,
    }));
  });
}

/** Waits for the service worker registration of `scopeURL` to appear in CDP's ServiceWorker domain. */
function registrationFor(cdp: CDPSession, scopeURL: string): Promise<string> {
  return new Promise((resolve) => {
    const listener = (event: {
      registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[];
    }) => {
      const found = event.registrations.find((r) => r.scopeURL === scopeURL && !r.isDeleted);
      if (found) {
        cdp.off('ServiceWorker.workerRegistrationUpdated', listener);
        resolve(found.registrationId);
      }
    };
    cdp.on('ServiceWorker.workerRegistrationUpdated', listener);
  });
}

describe('Web Push in Chromium', () => {
  const app = useServerAndBrowser();

  it('serves /sw.js from the site root as JavaScript that is revalidated, under the CSP, with no extra scope header', async () => {
    const response = await fetch(`${app.server.url}/sw.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    // the browser checks for a new worker at each navigation; no-cache keeps proxies from serving an old one
    expect(response.headers.get('cache-control')).toBe('no-cache');
    // the worker sits at the root, so its largest scope is '/' without a Service-Worker-Allowed header
    expect(response.headers.get('service-worker-allowed')).toBeNull();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("script-src 'self'");
    const text = await response.text();
    // built and minified from src/sw.ts (the quotes may be any kind)
    expect(text).toMatch(/addEventListener\(["'`]push["'`]/);
    expect(text).toMatch(/addEventListener\(["'`]notificationclick["'`]/);
  });

  it('"Turn on notifications" registers the worker for the whole app; a pushed reminder is shown as a notification', async () => {
    const { page, context } = app.browser;
    await signUp(page, app.base, uniqueName('push'));
    await onboard(page);
    await context.grantPermissions(['notifications'], { origin: app.base });
    const cdp = await context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    const scope = `${app.base}/`;
    const registered = registrationFor(cdp, scope);

    await page.goto(`${app.base}/routine`);
    await page.getByRole('button', { name: 'Turn on notifications on this device' }).click();
    const registrationId = await registered;
    // ready: the worker is active, so it can take pushes
    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return {
        scope: registration.scope,
        script: registration.active?.scriptURL ?? null,
        permission: Notification.permission,
      };
    });
    expect(state).toEqual({ scope, script: `${app.base}/sw.js`, permission: 'granted' });
    expect(await shownNotifications(page)).toEqual([]);

    const reminder = {
      title: 'Dystrack: something is due today',
      body: 'Open Dystrack to see what is planned',
      url: '/routine',
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.base,
      registrationId,
      data: JSON.stringify(reminder),
    });
    await expect
      .poll(() => shownNotifications(page), { timeout: 10_000 })
      .toEqual([
        {
          title: reminder.title,
          body: reminder.body,
          tag: 'dystrack-reminder',
          data: { url: `${app.base}/routine` },
        },
      ]);

    // a second push replaces the first (one tag), and a link to another site is not kept
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.base,
      registrationId,
      data: JSON.stringify({
        title: 'Dystrack: test notification',
        body: 'Second',
        url: 'https://example.org/',
      }),
    });
    await expect
      .poll(() => shownNotifications(page), { timeout: 10_000 })
      .toEqual([
        {
          title: 'Dystrack: test notification',
          body: 'Second',
          tag: 'dystrack-reminder',
          data: { url: `${app.base}/` },
        },
      ]);

    // without a push service the browser's subscription never completes: the settings say so instead of
    // waiting for ever (after SUBSCRIBE_TIMEOUT_MS, 30 s)
    await page
      .getByRole('alert')
      .filter({ hasText: 'could not reach its notification service' })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Turn on notifications on this device' }).isEnabled()).toBe(
      true,
    );
  });
});
