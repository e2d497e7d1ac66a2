import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { configFromEnv, isAllowedPushHost, testConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { pushSubscriptions } from '../db/schema.js';
import { TEST_NOTIFICATION, REMINDER_NOTIFICATION } from '../push/payload.js';
import { pushServiceOf } from '../push/service.js';
import { FakePushService, parseVapidAuthorization } from '../push/test-utils/fake-push-service.js';
import { healthWordsIn } from '../push/test-utils/health-words.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { TestClient, createTestApp, type TestApp } from '../test-utils/test-app.js';
import { copyTemplate } from '../test-utils/test-database.js';

let push: FakePushService;
beforeAll(async () => {
  push = await FakePushService.start();
});
afterAll(async () => {
  await push.close();
});

describe('push routes', () => {
  let t: TestApp;
  let alice: SignedIn;
  let bob: SignedIn;
  beforeEach(async () => {
    t = await createTestApp();
    pushServiceOf(t.database.db).useAgent(push.agent);
    alice = await signedInClient(t);
    bob = await signedInClient(t);
    push.requests.length = 0;
  });
  afterEach(async () => {
    await t.close();
  });

  async function rowsOf(userId: string) {
    return t.database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  }

  it('GET /api/v1/push/public-key gives the VAPID public key to a signed-in user only', async () => {
    expect((await t.client().get('/api/v1/push/public-key')).statusCode).toBe(401);
    const response = await alice.client.get('/api/v1/push/public-key');
    expect(response.statusCode).toBe(200);
    const { publicKey } = response.json() as { publicKey: string };
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(publicKey, 'base64url')[0]).toBe(4);
    expect((await bob.client.get('/api/v1/push/public-key')).json()).toEqual({ publicKey });
  });

  it('POST /api/v1/push/subscriptions stores a subscription (201), updates the same endpoint (200), and needs sign-in and CSRF', async () => {
    const browser = push.subscribe();
    expect((await t.client().post('/api/v1/push/subscriptions', browser.json)).statusCode).toBe(401);
    const noCsrf = await alice.client.request({
      method: 'POST',
      url: '/api/v1/push/subscriptions',
      payload: browser.json,
      csrf: false,
    });
    expect(noCsrf.json()).toMatchObject({ code: 'E_CSRF' });

    const created = await alice.client.request({
      method: 'POST',
      url: '/api/v1/push/subscriptions',
      payload: browser.json,
      headers: { 'user-agent': 'Test Browser 1.0' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ endpoint: browser.endpoint });
    const renewed = push.subscribe().json.keys;
    const updated = await alice.client.post('/api/v1/push/subscriptions', { ...browser.json, keys: renewed });
    expect(updated.statusCode).toBe(200);
    const rows = await rowsOf(alice.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      endpoint: browser.endpoint,
      p256dh: renewed.p256dh,
      auth: renewed.auth,
      failures: 0,
    });
  });

  it('refuses endpoints that are not https push URLs and keys of the wrong size', async () => {
    const { json } = push.subscribe();
    const bad = [
      { ...json, endpoint: json.endpoint.replace('https:', 'http:') },
      { ...json, endpoint: 'not a url' },
      { ...json, endpoint: json.endpoint.replace('https://', 'https://user:secret@') },
      // a host that is not a push service the server allows (an intranet host, a look-alike name)
      { ...json, endpoint: 'https://intranet.hospital.example/api/delete-all' },
      { ...json, endpoint: 'https://fcm.googleapis.com.evil.example/fcm/send/abc' },
      { ...json, keys: { ...json.keys, p256dh: json.keys.p256dh.slice(0, 40) } },
      { ...json, keys: { ...json.keys, auth: `${json.keys.auth}AAAA` } },
      { ...json, keys: { ...json.keys, auth: '+/+/' } },
      { ...json, extra: true },
      { endpoint: json.endpoint },
    ];
    for (const body of bad) {
      const response = await alice.client.post('/api/v1/push/subscriptions', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_VALIDATION' });
    }
    expect(await rowsOf(alice.user.id)).toEqual([]);
  });

  it("another user's subscription is never touched: not taken over by POST, not removed by DELETE, not sent a test", async () => {
    const alicesBrowser = push.subscribe();
    expect((await alice.client.post('/api/v1/push/subscriptions', alicesBrowser.json)).statusCode).toBe(201);
    const before = await rowsOf(alice.user.id);

    const takeOver = await bob.client.post('/api/v1/push/subscriptions', {
      ...alicesBrowser.json,
      keys: push.subscribe().json.keys,
    });
    expect(takeOver.statusCode).toBe(409);
    expect(takeOver.json()).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'endpoint-of-another-account' },
    });
    const removal = await bob.client.delete('/api/v1/push/subscriptions', {
      endpoint: alicesBrowser.endpoint,
    });
    expect(removal.statusCode).toBe(204);
    expect(await rowsOf(alice.user.id)).toEqual(before);

    const bobsBrowser = push.subscribe();
    expect((await bob.client.post('/api/v1/push/subscriptions', bobsBrowser.json)).statusCode).toBe(201);
    const sent = await bob.client.post('/api/v1/push/test');
    expect(sent.json()).toEqual({ delivered: 1, failed: 0, removed: 0 });
    expect(push.requestsTo(bobsBrowser.path)).toHaveLength(1);
    expect(push.requestsTo(alicesBrowser.path)).toEqual([]);
    expect(await rowsOf(alice.user.id)).toEqual(before);
  });

  it('DELETE /api/v1/push/subscriptions removes the caller’s subscription by endpoint', async () => {
    const first = push.subscribe();
    const second = push.subscribe();
    await alice.client.post('/api/v1/push/subscriptions', first.json);
    await alice.client.post('/api/v1/push/subscriptions', second.json);
    const response = await alice.client.delete('/api/v1/push/subscriptions', { endpoint: first.endpoint });
    expect(response.statusCode).toBe(204);
    expect((await rowsOf(alice.user.id)).map((row) => row.endpoint)).toEqual([second.endpoint]);
    expect(
      (await alice.client.delete('/api/v1/push/subscriptions', { endpoint: first.endpoint })).statusCode,
    ).toBe(204);
  });

  it('POST /api/v1/push/test sends the test notification to each of the caller’s devices, encrypted, with VAPID for the endpoint origin; a 410 removes the device', async () => {
    const phone = push.subscribe();
    const laptop = push.subscribe();
    await alice.client.post('/api/v1/push/subscriptions', phone.json);
    await alice.client.post('/api/v1/push/subscriptions', laptop.json);
    const { publicKey } = (await alice.client.get('/api/v1/push/public-key')).json() as { publicKey: string };

    const response = await alice.client.post('/api/v1/push/test');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ delivered: 2, failed: 0, removed: 0 });
    for (const browser of [phone, laptop]) {
      const [request] = push.requestsTo(browser.path);
      expect(request!.headers['content-encoding']).toBe('aes128gcm');
      const vapid = parseVapidAuthorization(request!.headers.authorization);
      expect(vapid.claims.aud).toBe(push.origin);
      expect(vapid.publicKey).toBe(publicKey);
      expect(vapid.signatureValid).toBe(true);
      const text = browser.decrypt(request!.body).toString('utf8');
      expect(JSON.parse(text)).toEqual(TEST_NOTIFICATION);
      expect(healthWordsIn(text)).toEqual([]);
    }

    push.answer(laptop.path, 410);
    expect((await alice.client.post('/api/v1/push/test')).json()).toEqual({
      delivered: 1,
      failed: 0,
      removed: 1,
    });
    expect((await rowsOf(alice.user.id)).map((row) => row.endpoint)).toEqual([phone.endpoint]);
  });

  it('POST /api/v1/push/test without devices sends nothing', async () => {
    expect((await alice.client.post('/api/v1/push/test')).json()).toEqual({
      delivered: 0,
      failed: 0,
      removed: 0,
    });
    expect(push.requests).toEqual([]);
  });

  it("reminds what the saved routine makes due once its time has come, once a day, and only to that person's devices", async () => {
    const schedule = {
      version: 1,
      timeZone: 'Europe/Berlin',
      items: [
        {
          id: 'evening-typing',
          type: 'recurring',
          activity: 'typing',
          repeat: { kind: 'weekdays', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
          time: '18:00',
        },
      ],
    };
    expect((await alice.client.put('/api/v1/schedule', schedule)).statusCode).toBe(200);
    const alicesBrowser = push.subscribe();
    const bobsBrowser = push.subscribe();
    await alice.client.post('/api/v1/push/subscriptions', alicesBrowser.json);
    await bob.client.post('/api/v1/push/subscriptions', bobsBrowser.json);

    // 16:30 UTC is 17:30 in Berlin (winter time): not yet
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-14T16:30:00Z'));
    expect(push.requests).toEqual([]);
    // 17:05 UTC is 18:05 in Berlin: due
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-14T17:05:00Z'));
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-14T17:10:00Z'));
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-14T22:50:00Z'));
    const [request, ...more] = push.requestsTo(alicesBrowser.path);
    expect(more).toEqual([]);
    const text = alicesBrowser.decrypt(request!.body).toString('utf8');
    expect(JSON.parse(text)).toEqual(REMINDER_NOTIFICATION);
    expect(healthWordsIn(text)).toEqual([]);
    expect(push.requestsTo(bobsBrowser.path)).toEqual([]);
    // 23:05 UTC is already the next day in Berlin, before 18:00: nothing; that evening: one more
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-14T23:05:00Z'));
    expect(push.requestsTo(alicesBrowser.path)).toHaveLength(1);
    await pushServiceOf(t.database.db).sendDueReminders(new Date('2026-01-15T17:01:00Z'));
    expect(push.requestsTo(alicesBrowser.path)).toHaveLength(2);
  });
});

describe('push keys and the reminder timer in the server lifecycle', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('keeps the VAPID keys across restarts on the same database', async () => {
    const dataDir = copyTemplate();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const keys: string[] = [];
    for (let start = 0; start < 2; start++) {
      const database = await openDatabase({ dataDir, purpose: 'test' });
      const app = await buildApp({ db: database.db, config: testConfig() });
      try {
        const client = new TestClient(app);
        const signup = await client.post('/api/v1/auth/signup', {
          username: `restart-${start}-${Date.now().toString(36)}`,
          password: 'correct horse battery staple',
        });
        expect(signup.statusCode).toBe(201);
        keys.push(((await client.get('/api/v1/push/public-key')).json() as { publicKey: string }).publicKey);
      } finally {
        await app.close();
        await database.close();
      }
    }
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('reads the interval from DYSTRACK_REMINDER_MINUTES: 5 by default, 0 turns reminders off, nonsense stops the start', () => {
    expect(configFromEnv({}).reminderIntervalMinutes).toBe(5);
    expect(configFromEnv({ DYSTRACK_REMINDER_MINUTES: '0' }).reminderIntervalMinutes).toBe(0);
    expect(configFromEnv({ DYSTRACK_REMINDER_MINUTES: '2.5' }).reminderIntervalMinutes).toBe(2.5);
    expect(configFromEnv({ DYSTRACK_REMINDER_MINUTES: '' }).reminderIntervalMinutes).toBe(5);
    for (const value of ['-1', 'often', '100000'])
      expect(() => configFromEnv({ DYSTRACK_REMINDER_MINUTES: value })).toThrow(/DYSTRACK_REMINDER_MINUTES/);
    expect(testConfig().reminderIntervalMinutes).toBe(0);
  });

  it('allows the endpoints of the known push services (DYSTRACK_PUSH_HOSTS to change them), subdomains included', () => {
    const hosts = configFromEnv({}).pushServiceHosts;
    expect(isAllowedPushHost('https://fcm.googleapis.com/fcm/send/abc', hosts)).toBe(true);
    expect(isAllowedPushHost('https://updates.push.services.mozilla.com/wpush/v2/abc', hosts)).toBe(true);
    expect(isAllowedPushHost('https://web.push.apple.com/QGx', hosts)).toBe(true);
    expect(isAllowedPushHost('https://wns2-par02p.notify.windows.com/w/?token=x', hosts)).toBe(true);
    expect(isAllowedPushHost('https://notfcm.googleapis.com.example/x', hosts)).toBe(false);
    expect(isAllowedPushHost('https://10.0.0.5/admin', hosts)).toBe(false);
    expect(isAllowedPushHost('not a url', hosts)).toBe(false);
    const own = configFromEnv({ DYSTRACK_PUSH_HOSTS: ' push.example.org , ' }).pushServiceHosts;
    expect(own).toEqual(['push.example.org']);
    expect(isAllowedPushHost('https://eu.push.example.org/x', own)).toBe(true);
    expect(isAllowedPushHost('https://fcm.googleapis.com/fcm/send/abc', own)).toBe(false);
  });

  it('runs sendDueReminders every reminderIntervalMinutes once ready, not at all when 0, and never after close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const on = await createTestApp({ config: { reminderIntervalMinutes: 5 } });
    cleanups.push(() => on.close());
    const off = await createTestApp();
    cleanups.push(() => off.close());
    const runs = vi
      .spyOn(pushServiceOf(on.database.db), 'sendDueReminders')
      .mockResolvedValue({ users: 0, reminded: 0, errors: 0 });
    const offRuns = vi.spyOn(pushServiceOf(off.database.db), 'sendDueReminders');

    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveBeenCalledTimes(3);
    expect(offRuns).not.toHaveBeenCalled();

    await on.app.close();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(runs).toHaveBeenCalledTimes(3);
  });
});
