import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { pushRemindersSent, pushSubscriptions, serverSettings, users } from '../db/schema.js';
import { createTestDatabase } from '../test-utils/test-database.js';
import { REMINDER_NOTIFICATION, TEST_NOTIFICATION } from './payload.js';
import { PushService, vapidSubject, type DueFunction, type DueReminderItem } from './service.js';
import { saveSubscription } from './subscriptions.js';
import {
  FakePushService,
  parseVapidAuthorization,
  type FakeBrowserSubscription,
} from './test-utils/fake-push-service.js';
import { healthWordsIn } from './test-utils/health-words.js';

let push: FakePushService;
beforeAll(async () => {
  push = await FakePushService.start();
});
afterAll(async () => {
  await push.close();
});

let database: Database;

async function newUser(): Promise<string> {
  const id = randomUUID();
  await database.db.insert(users).values({ id, username: `u-${id.slice(0, 8)}`, displayName: 'Test' });
  return id;
}

async function subscribe(userId: string): Promise<FakeBrowserSubscription> {
  const browser = push.subscribe();
  await saveSubscription(database.db, userId, browser.json, 'test browser');
  return browser;
}

/** A due function answering from a table the test fills: user id → items. */
function dueFrom(table: Map<string, DueReminderItem[]>): DueFunction {
  return async (_db, userId) => table.get(userId) ?? [];
}

function service(due?: DueFunction): PushService {
  return new PushService({
    db: database.db,
    subject: 'mailto:push@dystrack.invalid',
    agent: push.agent,
    ...(due ? { due } : {}),
  });
}

async function subscriptionRow(endpoint: string) {
  const rows = await database.db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.endpoint, endpoint));
  return rows[0] ?? null;
}

const NOON = new Date('2026-03-10T12:00:00Z');

describe('PushService', () => {
  beforeEach(async () => {
    database = await createTestDatabase();
    push.requests.length = 0;
  });
  afterEach(async () => {
    await database.close();
  });

  it('delivers a reminder as RFC 8291 aes128gcm with a VAPID JWT for the endpoint origin; it decrypts to the reminder, free of health words', async () => {
    const userId = await newUser();
    const browser = await subscribe(userId);
    const pusher = service(dueFrom(new Map([[userId, [{ key: 'weekly:typing', day: '2026-03-10' }]]])));

    expect(await pusher.sendDueReminders(NOON)).toEqual({ users: 1, reminded: 1, errors: 0 });

    const [request, ...more] = push.requestsTo(browser.path);
    expect(more).toEqual([]);
    expect(request!.headers['content-encoding']).toBe('aes128gcm');
    expect(request!.headers['content-type']).toBe('application/octet-stream');
    expect(Number(request!.headers.ttl)).toBeGreaterThan(0);
    const vapid = parseVapidAuthorization(request!.headers.authorization);
    expect(vapid.claims.aud).toBe(push.origin);
    expect(vapid.claims.sub).toBe('mailto:push@dystrack.invalid');
    expect(vapid.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(vapid.header.alg).toBe('ES256');
    expect(vapid.signatureValid).toBe(true);
    expect(vapid.publicKey).toBe((await pusher.keys()).publicKey);
    // the ciphertext is not the text
    expect(request!.body.toString('utf8')).not.toContain('Dystrack');

    const text = browser.decrypt(request!.body).toString('utf8');
    expect(JSON.parse(text)).toEqual(REMINDER_NOTIFICATION);
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['body', 'title', 'url']);
    expect(healthWordsIn(text)).toEqual([]);
    expect((await subscriptionRow(browser.endpoint))!.lastSuccessAt).toEqual(NOON);
  });

  it('sends no second reminder for the same item on the same day; a new item or a new day is reminded once', async () => {
    const userId = await newUser();
    const browser = await subscribe(userId);
    const due = new Map([[userId, [{ key: 'a:typing', day: '2026-03-10' }]]]);
    const pusher = service(dueFrom(due));

    await pusher.sendDueReminders(NOON);
    await pusher.sendDueReminders(new Date(NOON.getTime() + 5 * 60_000));
    await pusher.sendDueReminders(new Date(NOON.getTime() + 60 * 60_000));
    expect(push.requestsTo(browser.path)).toHaveLength(1);

    // a second item becomes due later that day: one more reminder, then quiet again
    due.set(userId, [
      { key: 'a:typing', day: '2026-03-10' },
      { key: 'b:diary', day: '2026-03-10' },
    ]);
    await pusher.sendDueReminders(new Date(NOON.getTime() + 2 * 3600_000));
    await pusher.sendDueReminders(new Date(NOON.getTime() + 3 * 3600_000));
    expect(push.requestsTo(browser.path)).toHaveLength(2);

    // the next day the same item is due again
    due.set(userId, [{ key: 'a:typing', day: '2026-03-11' }]);
    await pusher.sendDueReminders(new Date(NOON.getTime() + 24 * 3600_000));
    expect(push.requestsTo(browser.path)).toHaveLength(3);

    const sent = await database.db
      .select()
      .from(pushRemindersSent)
      .where(eq(pushRemindersSent.patientId, userId));
    expect(sent.map((row) => `${row.day} ${row.itemKey}`).sort()).toEqual([
      '2026-03-10 a:typing',
      '2026-03-10 b:diary',
      '2026-03-11 a:typing',
    ]);
  });

  it("reminds only the user something is due for: another user's subscription gets nothing and its row is untouched", async () => {
    const dueUser = await newUser();
    const otherUser = await newUser();
    const mine = await subscribe(dueUser);
    const theirs = await subscribe(otherUser);
    const before = await subscriptionRow(theirs.endpoint);
    const pusher = service(dueFrom(new Map([[dueUser, [{ key: 'a:diary', day: '2026-03-10' }]]])));

    expect(await pusher.sendDueReminders(NOON)).toEqual({ users: 2, reminded: 1, errors: 0 });
    expect(push.requestsTo(mine.path)).toHaveLength(1);
    expect(push.requestsTo(theirs.path)).toEqual([]);
    expect(await subscriptionRow(theirs.endpoint)).toEqual(before);
    expect(
      await database.db.select().from(pushRemindersSent).where(eq(pushRemindersSent.patientId, otherUser)),
    ).toEqual([]);
  });

  it('a 410 or 404 answer removes the subscription; a 500 keeps it and counts the failure; a reminder that reached no device is tried again', async () => {
    const userId = await newUser();
    const gone = await subscribe(userId);
    const missing = await subscribe(userId);
    const failing = await subscribe(userId);
    push.answer(gone.path, 410);
    push.answer(missing.path, 404);
    push.answer(failing.path, 500);
    const pusher = service(dueFrom(new Map([[userId, [{ key: 'a:typing', day: '2026-03-10' }]]])));

    expect(await pusher.sendToUser(userId, TEST_NOTIFICATION, NOON)).toEqual({
      delivered: 0,
      failed: 1,
      removed: 2,
    });
    expect(await subscriptionRow(gone.endpoint)).toBeNull();
    expect(await subscriptionRow(missing.endpoint)).toBeNull();
    expect(await subscriptionRow(failing.endpoint)).toMatchObject({
      failures: 1,
      lastError: 'HTTP 500',
      lastFailureAt: NOON,
    });

    // the only device fails: nothing is marked as reminded, so the next run tries again
    expect(await pusher.sendDueReminders(NOON)).toEqual({ users: 1, reminded: 0, errors: 0 });
    expect(await database.db.select().from(pushRemindersSent)).toEqual([]);
    expect((await subscriptionRow(failing.endpoint))!.failures).toBe(2);

    push.answer(failing.path, 201);
    expect(await pusher.sendDueReminders(new Date(NOON.getTime() + 300_000))).toEqual({
      users: 1,
      reminded: 1,
      errors: 0,
    });
    expect(await subscriptionRow(failing.endpoint)).toMatchObject({ failures: 0, lastError: null });
    expect(push.requestsTo(failing.path)).toHaveLength(3);
  });

  it("an unreachable push service counts as a failure with the network error's code", async () => {
    const userId = await newUser();
    const browser = push.subscribe();
    // a port nothing listens on
    const endpoint = browser.endpoint.replace(/:\d+\//, ':9/');
    await saveSubscription(database.db, userId, { ...browser.json, endpoint }, null);
    expect(await service().sendToUser(userId, TEST_NOTIFICATION, NOON)).toEqual({
      delivered: 0,
      failed: 1,
      removed: 0,
    });
    expect((await subscriptionRow(endpoint))!.lastError).toMatch(/^E[A-Z]+/);
  });

  it('one user whose due items cannot be read does not stop the others', async () => {
    const broken = await newUser();
    const fine = await newUser();
    await subscribe(broken);
    const browser = await subscribe(fine);
    const pusher = service(async (_db, userId) => {
      if (userId === broken) throw new Error('schedule unreadable');
      return [{ key: 'a:diary', day: '2026-03-10' }];
    });
    expect(await pusher.sendDueReminders(NOON)).toEqual({ users: 2, reminded: 1, errors: 1 });
    expect(push.requestsTo(browser.path)).toHaveLength(1);
  });

  it('keeps the sent-reminder rows of the last week only', async () => {
    const userId = await newUser();
    await subscribe(userId);
    const due = new Map([[userId, [{ key: 'a:diary', day: '2026-03-01' }]]]);
    const pusher = service(dueFrom(due));
    await pusher.sendDueReminders(new Date('2026-03-01T12:00:00Z'));
    due.set(userId, [{ key: 'a:diary', day: '2026-03-10' }]);
    await pusher.sendDueReminders(NOON);
    const days = (await database.db.select().from(pushRemindersSent)).map((row) => row.day);
    expect(days).toEqual(['2026-03-10']);
  });

  it('generates the VAPID key pair once and keeps it in the database: a second service uses the same pair', async () => {
    const first = await service().keys();
    const second = await service().keys();
    expect(second).toEqual(first);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(first.privateKey, 'base64url')).toHaveLength(32);
  });

  it('refuses a stored VAPID value that is not a key pair rather than silently making a new one', async () => {
    await database.db.insert(serverSettings).values({ name: 'vapid', value: { publicKey: 'short' } });
    await expect(service().keys()).rejects.toThrow(/not a VAPID key pair/);
    expect((await database.db.select().from(serverSettings)).map((row) => row.value)).toEqual([
      { publicKey: 'short' },
    ]);
  });
});

describe('notification payloads and VAPID subject', () => {
  it('the test and reminder notifications name nothing about health, and the health-word check would catch one that did', () => {
    for (const payload of [REMINDER_NOTIFICATION, TEST_NOTIFICATION]) {
      expect(healthWordsIn(JSON.stringify(payload))).toEqual([]);
      expect(payload.url.startsWith('/')).toBe(true);
    }
    expect(healthWordsIn('Dystrack: your typing task is due')).toEqual(['typing']);
    expect(healthWordsIn('Time for your PHQ-9')).toEqual(['phq-9']);
  });

  it('the VAPID subject is the public https address, else a mailto: that names no one', () => {
    expect(vapidSubject('https://dystrack.example.org/app')).toBe('https://dystrack.example.org');
    expect(vapidSubject('http://localhost:8080')).toBe('mailto:push@dystrack.invalid');
    expect(vapidSubject(undefined)).toBe('mailto:push@dystrack.invalid');
  });
});
