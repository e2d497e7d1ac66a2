import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { ScheduleInput } from '@dystrack/core';
import { auditLog, calendarTokens, schedules } from '../db/schema.js';
import { dueForUser } from '../schedule/index.js';
import { sampleRecording } from '../test-utils/recordings.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import type { TestClient } from '../test-utils/test-app.js';

/*
 * The clock is fixed (Date only: timers, the database and Fastify run on real time) at Wednesday
 * 26 March 2025, 12:00 in Berlin, four days before the change to summer time.
 */
const NOW = new Date('2025-03-26T11:00:00Z');

/** Tasks twice a week, the diary daily, PHQ-9 weekly, and a baseline block before the next injection. */
const ROUTINE: ScheduleInput = {
  version: 1,
  timeZone: 'Europe/Berlin',
  items: [
    {
      id: 'typing',
      type: 'recurring',
      activity: 'typing',
      repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
      time: '18:00',
    },
    {
      id: 'diary',
      type: 'recurring',
      activity: 'diary',
      repeat: { kind: 'interval', everyDays: 1, startDate: '2025-01-01' },
      time: '21:00',
    },
    {
      id: 'phq',
      type: 'recurring',
      activity: 'phq-9',
      repeat: { kind: 'interval', everyDays: 7, startDate: '2025-03-19' },
      time: '09:00',
    },
    { id: 'baseline', type: 'baseline', activities: ['spiral'], time: '10:00', intervalDays: 90 },
  ],
};

const INJECTION = {
  type: 'botulinum-toxin',
  date: '2025-01-01',
  product: 'incobotulinumtoxinA',
  injections: [{ muscle: 'flexor-digitorum-superficialis', side: 'right', units: 20 }],
};

/** Words about health, tasks or treatment that must never appear in a calendar feed. */
const HEALTH_WORDS =
  /dyston|cramp|writer|typing|tapping|spiral|handwrit|precision|tremor|\bscales?\b|diary|phq|\bgad|pgic|questionnaire|depress|anxi|botul|toxin|inject|baseline|symptom|\bpain|\bhands?\b|muscle|treatment/i;

async function upload(client: TestClient, taskId: 'typing' | 'spiral', startedAt: string) {
  const response = await client.post('/api/v1/recordings', sampleRecording(taskId, { startedAt }));
  expect(response.statusCode).toBe(201);
}

function kinds(list: { activity: string; date: string; doneAt: string | null }[]) {
  return list.map((o) => `${o.activity} ${o.date}${o.doneAt ? ' done' : ''}`);
}

describe('the routine (schedule)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is null before the first save; every save is a new version with defaults filled in, the old ones kept', async () => {
    const { client, user } = await signUp(t);
    expect((await client.get('/api/v1/schedule')).json()).toEqual({
      schedule: null,
      revision: null,
      updatedAt: null,
    });
    const first = await client.put('/api/v1/schedule', ROUTINE);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ revision: 1 });
    expect(first.json().schedule.items[3]).toEqual({
      ...ROUTINE.items[3],
      sessions: 3,
      daysBefore: 14,
      nextInjectionDate: null,
    });
    const second = await client.put('/api/v1/schedule', { ...ROUTINE, items: ROUTINE.items.slice(0, 2) });
    expect(second.json()).toMatchObject({ revision: 2 });
    const read = (await client.get('/api/v1/schedule')).json();
    expect(read.revision).toBe(2);
    expect(read.schedule.items.map((i: { id: string }) => i.id)).toEqual(['typing', 'diary']);
    const rows = await t.database.db.select().from(schedules).where(eq(schedules.patientId, user.id));
    expect(rows.map((r) => r.version).sort()).toEqual([1, 2]);
    const audit = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.patientId, user.id))
      .orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual([
      'schedule.read',
      'schedule.write',
      'schedule.write',
      'schedule.read',
    ]);
  });

  it.each([
    ['an unknown time zone', { ...ROUTINE, timeZone: 'Mars/Base' }, 'body.timeZone'],
    [
      'a time that is no time',
      { ...ROUTINE, items: [{ ...ROUTINE.items[0], time: '25:00' }] },
      'body.items.0.time',
    ],
    [
      'an unknown activity',
      { ...ROUTINE, items: [{ ...ROUTINE.items[0], activity: 'juggling' }] },
      'body.items.0.activity',
    ],
    [
      'more baseline sessions than days',
      { ...ROUTINE, items: [{ ...ROUTINE.items[3], sessions: 5, daysBefore: 3 }] },
      'body.items.0.sessions',
    ],
    [
      'a baseline block without a date or an interval',
      { ...ROUTINE, items: [{ ...ROUTINE.items[3], intervalDays: null }] },
      'body.items.0.nextInjectionDate',
    ],
    // the root of the body is `body.` in the error contract
    ['an unknown field', { ...ROUTINE, reminders: true }, 'body.'],
    ['an unknown model version', { ...ROUTINE, version: 9 }, 'body.version'],
  ])(
    'refuses %s with 400 E_VALIDATION naming the field, and keeps the saved one',
    async (_name, body, path) => {
      const { client } = await signUp(t);
      await client.put('/api/v1/schedule', ROUTINE);
      const response = await client.put('/api/v1/schedule', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('E_VALIDATION');
      expect(response.json().details.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect((await client.get('/api/v1/schedule')).json().revision).toBe(1);
    },
  );

  it("never shows one person another's routine or what is due for them", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    await alice.client.put('/api/v1/schedule', ROUTINE);
    expect((await bob.client.get('/api/v1/schedule')).json().schedule).toBeNull();
    expect((await bob.client.get('/api/v1/schedule/due')).json()).toEqual({ due: null });
    // Bob's recordings do not count for Alice
    await upload(bob.client, 'typing', '2025-03-24T18:00:00+01:00');
    const due = (await alice.client.get('/api/v1/schedule/due')).json().due;
    expect(kinds(due.overdue)).toContain('typing 2025-03-24');
    // without a session: 401, and nothing
    const anonymous = t.client();
    for (const url of ['/api/v1/schedule', '/api/v1/schedule/due', '/api/v1/calendar/token']) {
      const response = await anonymous.get(url);
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain('typing');
    }
    expect((await anonymous.put('/api/v1/schedule', ROUTINE)).statusCode).toBe(401);
    const bobsRows = await t.database.db.select().from(auditLog).where(eq(auditLog.actorId, bob.user.id));
    expect(bobsRows.every((row) => row.patientId === bob.user.id)).toBe(true);
  });

  it('answers what is due today, overdue and next, matched with recordings, diary, questionnaires and the treatment log', async () => {
    const { client, user } = await signUp(t);
    await client.put('/api/v1/schedule', ROUTINE);
    expect((await client.post('/api/v1/treatments', INJECTION)).statusCode).toBe(201);
    // the diary at 08:00 today; a spiral recording last week (before the baseline session's window)
    expect((await client.post('/api/v1/diary/entries', { at: '2025-03-26T08:00:00+01:00' })).statusCode).toBe(
      201,
    );
    await upload(client, 'spiral', '2025-03-20T10:00:00+01:00');

    const before = (await client.get('/api/v1/schedule/due')).json().due;
    expect(before.date).toBe('2025-03-26');
    expect(kinds(before.today)).toEqual(['phq-9 2025-03-26', 'diary 2025-03-26 done']);
    expect(before.today[1].doneAt).toBe('2025-03-26T07:00:00.000Z');
    // the injection on 1 January + 90 days = 1 April: sessions 18, 25 and 31 March; 25 March was missed
    expect(before.injections).toEqual([{ itemId: 'baseline', date: '2025-04-01', source: 'treatment-log' }]);
    expect(kinds(before.overdue)).toEqual(['typing 2025-03-24', 'spiral 2025-03-25']);
    expect(before.overdue[1]).toMatchObject({
      until: '2025-03-30T22:00:00.000Z',
      baseline: { session: 2, sessions: 3, injectionDate: '2025-04-01' },
    });
    expect(kinds(before.next)).toEqual([
      'typing 2025-03-27',
      'diary 2025-03-27',
      'spiral 2025-03-31',
      'phq-9 2025-04-02',
    ]);

    // typing on Tuesday evening and spiral now catch up; PHQ-9 answered now
    await upload(client, 'typing', '2025-03-25T19:30:00+01:00');
    await upload(client, 'spiral', '2025-03-26T11:30:00+01:00');
    const answers = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`phq9-${i + 1}`, 'not-at-all']));
    const phq = await client.post('/api/v1/questionnaires/responses', {
      questionnaireId: 'phq-9',
      answers,
      completedAt: '2025-03-26T11:45:00+01:00',
    });
    expect(phq.statusCode).toBe(201);
    const after = (await client.get('/api/v1/schedule/due')).json().due;
    expect(kinds(after.today)).toEqual(['phq-9 2025-03-26 done', 'diary 2025-03-26 done']);
    expect(after.overdue).toEqual([]);

    // the function reminders use answers the same
    expect(JSON.parse(JSON.stringify(await dueForUser(t.database.db, user.id, new Date())))).toEqual(after);
    expect(await dueForUser(t.database.db, (await signUp(t)).user.id, new Date())).toBeNull();
  });

  it('counts days in another time zone when asked, and refuses an unknown one', async () => {
    const { client } = await signUp(t);
    await client.put('/api/v1/schedule', ROUTINE);
    // 11:00Z is already 01:00 on Thursday at UTC+14
    const far = (await client.get('/api/v1/schedule/due?timeZone=Pacific/Kiritimati')).json().due;
    expect(far).toMatchObject({ timeZone: 'Pacific/Kiritimati', date: '2025-03-27' });
    const bad = await client.get('/api/v1/schedule/due?timeZone=Nowhere/Place');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('E_VALIDATION');
  });
});

describe('the calendar feed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: 'https://dystrack.example.org/' } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Typing and tapping on Mondays at 18:00 (one event), the diary daily at 21:00. */
  const FEED_ROUTINE: ScheduleInput = {
    version: 1,
    timeZone: 'Europe/Berlin',
    items: [
      {
        id: 'typing',
        type: 'recurring',
        activity: 'typing',
        repeat: { kind: 'weekdays', weekdays: ['mon'] },
        time: '18:00',
      },
      {
        id: 'tapping',
        type: 'recurring',
        activity: 'tapping',
        repeat: { kind: 'weekdays', weekdays: ['mon'] },
        time: '18:00',
      },
      {
        id: 'diary',
        type: 'recurring',
        activity: 'diary',
        repeat: { kind: 'interval', everyDays: 1, startDate: '2025-01-01' },
        time: '21:00',
      },
    ],
  };

  /** Fetches a feed URL without any cookie, as a calendar program does. */
  const fetchFeed = (url: string, remoteAddress = '192.0.2.1') =>
    t.app.inject({ method: 'GET', url: new URL(url).pathname, remoteAddress });

  it('serves the next 8 weeks as iCalendar events at the local times, with no health details', async () => {
    const { client, user } = await signUp(t);
    await client.put('/api/v1/schedule', FEED_ROUTINE);
    expect((await client.get('/api/v1/calendar/token')).json()).toEqual({ active: false, createdAt: null });
    const created = await client.post('/api/v1/calendar/token');
    expect(created.statusCode).toBe(201);
    const { url } = created.json();
    expect(url).toMatch(/^https:\/\/dystrack\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await client.get('/api/v1/calendar/token')).json()).toMatchObject({ active: true });

    const feed = await fetchFeed(url);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['cache-control']).toBe('no-store');
    expect(feed.body).not.toMatch(HEALTH_WORDS);

    const calendar = new ICAL.Component(ICAL.parse(feed.body));
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    // 26 March to 20 May: 56 diary evenings and 8 Mondays
    expect(events).toHaveLength(64);
    const starts = events.map((e) => e.startDate.toJSDate().toISOString());
    expect(starts).toContain('2025-03-26T20:00:00.000Z'); // 21:00 CET
    expect(starts).toContain('2025-03-30T19:00:00.000Z'); // 21:00 CEST, the first summer-time evening
    expect(starts).not.toContain('2025-05-21T19:00:00.000Z'); // day 57
    const monday = events.find((e) => e.startDate.toJSDate().toISOString() === '2025-03-31T16:00:00.000Z')!;
    expect(monday.summary).toBe('Dystrack: 10-minute check'); // typing + tapping share 18:00 CEST
    expect(monday.duration.toSeconds()).toBe(600);
    const evening = events.find((e) => e.startDate.toJSDate().toISOString() === '2025-03-26T20:00:00.000Z')!;
    expect(evening.summary).toBe('Dystrack: 5-minute check');
    // the alert rings at the planned time
    const alarm = evening.component.getFirstSubcomponent('valarm')!;
    expect((alarm.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().toISOString()).toBe(
      '2025-03-26T20:00:00.000Z',
    );
    expect(evening.description).toContain('https://dystrack.example.org/');
    expect(evening.component.getFirstPropertyValue('url')).toBe('https://dystrack.example.org/');
    expect(new Set(events.map((e) => e.uid)).size).toBe(64);
    // the same feed tomorrow keeps the UIDs of the same events
    vi.setSystemTime(new Date('2025-03-27T11:00:00Z'));
    const tomorrow = new ICAL.Component(ICAL.parse((await fetchFeed(url)).body));
    const uidsTomorrow = tomorrow.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c).uid);
    expect(uidsTomorrow).toContain(events[2]!.uid);

    // only a hash of the secret is stored, and each fetch is audited for the patient
    const token = /\/calendar\/(.+)\.ics$/.exec(url)![1]!;
    const rows = await t.database.db
      .select()
      .from(calendarTokens)
      .where(eq(calendarTokens.patientId, user.id));
    expect(JSON.stringify(rows)).not.toContain(token);
    const fetches = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, user.id), eq(auditLog.action, 'calendar.feed')));
    expect(fetches).toHaveLength(2);
    expect(fetches[0]!.actorId).toBeNull();
  });

  it('a revoked link answers 404 at once; a new link replaces the old one', async () => {
    const { client } = await signUp(t);
    await client.put('/api/v1/schedule', FEED_ROUTINE);
    const first = (await client.post('/api/v1/calendar/token')).json().url;
    expect((await fetchFeed(first)).statusCode).toBe(200);
    const second = (await client.post('/api/v1/calendar/token')).json().url;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).statusCode).toBe(404);
    expect((await fetchFeed(second)).statusCode).toBe(200);
    expect((await client.delete('/api/v1/calendar/token')).statusCode).toBe(204);
    const revoked = await fetchFeed(second);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json().code).toBe('E_NOT_FOUND');
    expect((await client.get('/api/v1/calendar/token')).json()).toEqual({ active: false, createdAt: null });
    // revoking again changes nothing
    expect((await client.delete('/api/v1/calendar/token')).statusCode).toBe(204);
  });

  it('an unknown or malformed link answers 404, and a person without a routine gets an empty calendar', async () => {
    expect((await fetchFeed(`https://x/calendar/${'A'.repeat(43)}.ics`)).statusCode).toBe(404);
    expect((await fetchFeed('https://x/calendar/short.ics')).statusCode).toBe(404);
    expect((await fetchFeed('https://x/calendar/nothing')).statusCode).toBe(404);
    const { client } = await signUp(t);
    const url = (await client.post('/api/v1/calendar/token')).json().url;
    const feed = await fetchFeed(url);
    expect(feed.statusCode).toBe(200);
    expect(new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent')).toEqual([]);
  });

  it('creating and revoking links needs the CSRF token and a session', async () => {
    const { client } = await signUp(t);
    const noToken = await client.request({ method: 'POST', url: '/api/v1/calendar/token', csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('E_CSRF');
    expect((await t.client().post('/api/v1/calendar/token')).statusCode).toBe(401);
  });

  it('limits fetches per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++)
      codes.push((await fetchFeed(`https://x/calendar/${'B'.repeat(43)}.ics`, '198.51.100.7')).statusCode);
    expect(codes.slice(0, 30).every((code) => code === 404)).toBe(true);
    expect(codes[30]).toBe(429);
    // another address is not limited by it
    expect((await fetchFeed(`https://x/calendar/${'B'.repeat(43)}.ics`, '198.51.100.8')).statusCode).toBe(
      404,
    );
  });
});
