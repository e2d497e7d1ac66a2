import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, entryRevisions } from '../db/schema.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { DIARY_NOTES_MAX, latestToday } from './diary.js';

const ENTRY = {
  at: '2026-03-02T09:30:00+01:00',
  severity: { writing: 6, typing: 2 },
  symptoms: ['clenching-or-curling-fingers', 'cramping'],
  painLevel: 3,
  context: { stress: 7, practiceHours: 2.5, sleepHours: 6, caffeineDrinks: 2, cold: true },
  bodyMap: { left: [], right: ['fingers', 'forearm'] },
  notes: 'Long exam; cramp after 20 minutes of writing.',
};

const PATH = '/api/v1/diary/entries';

describe('diary entries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates an entry (201, revision 1, defaults filled in) and reads it back', async () => {
    const { client, user } = await signUp(t);
    const created = await client.post(PATH, ENTRY);
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      revision: 1,
      at: '2026-03-02T08:30:00.000Z',
      revisedBy: user.id,
      data: ENTRY,
    });
    expect(created.headers.location).toBe(`${PATH}/${body.id}`);
    const minimal = (await client.post(PATH, { at: '2026-03-02T20:00:00Z' })).json();
    expect(minimal.data).toEqual({
      at: '2026-03-02T20:00:00Z',
      severity: {},
      symptoms: [],
      painLevel: null,
      context: {},
      bodyMap: { left: [], right: [] },
      notes: null,
    });
    expect((await client.get(`${PATH}/${body.id}`)).json()).toEqual(body);
  });

  it('a save with an Idempotency-Key stores once: a retry answers 200 with the same entry, another body 409', async () => {
    const { client } = await signUp(t);
    const other = await signUp(t);
    const key = randomUUID();
    const save = (body: unknown, c = client) =>
      c.request({ method: 'POST', url: PATH, payload: body as object, headers: { 'idempotency-key': key } });
    const first = await save(ENTRY);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ id: key, revision: 1 });
    // the same save again, even with its fields in another order and after an edit, answers what it stored
    await client.put(`${PATH}/${key}`, { ...ENTRY, notes: 'edited later' });
    const reordered = Object.fromEntries(Object.entries(ENTRY).reverse());
    const retry = await save(reordered);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    // concurrent retries store nothing more
    const burst = await Promise.all([save(ENTRY), save(ENTRY), save(ENTRY)]);
    expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const rows = await t.database.db.select().from(entryRevisions).where(eq(entryRevisions.entryId, key));
    expect(rows.map((r) => r.revision).sort()).toEqual([1, 2]);
    // another body under the same key, or the same key from another account, is refused
    const changed = await save({ ...ENTRY, notes: 'a different entry' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('E_CONFLICT');
    expect((await save(ENTRY, other.client)).statusCode).toBe(409);
    expect((await other.client.get(`${PATH}/${key}`)).statusCode).toBe(404);
    // a key that is not a UUID is a validation error; no key still creates a new id each time
    const bad = await client.request({
      method: 'POST',
      url: PATH,
      payload: ENTRY,
      headers: { 'idempotency-key': 'retry-1' },
    });
    expect(bad.statusCode).toBe(400);
    const a = (await client.post(PATH, ENTRY)).json();
    const b = (await client.post(PATH, ENTRY)).json();
    expect(a.id).not.toBe(b.id);
  });

  it('an edit is a new revision: reads answer the latest, the history keeps every earlier value', async () => {
    const { client } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    const edited = await client.put(`${PATH}/${id}`, { ...ENTRY, severity: { writing: 8 }, notes: 'worse' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      id,
      revision: 2,
      data: { severity: { writing: 8 }, notes: 'worse' },
    });
    expect((await client.get(`${PATH}/${id}`)).json()).toMatchObject({
      revision: 2,
      data: { notes: 'worse' },
    });
    const history = (await client.get(`${PATH}/${id}/history`)).json();
    expect(history.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(history.revisions[0]).toMatchObject({ deleted: false, data: ENTRY });
    expect(history.revisions[1]).toMatchObject({ deleted: false, data: { notes: 'worse' } });
    // the list holds the entry once, at its latest revision
    const list = (await client.get(PATH)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id, revision: 2 });
  });

  it('concurrent edits never overwrite each other: each stored edit is its own revision, a clash is 409 E_CONFLICT', async () => {
    const { client } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    const responses = await Promise.all(
      [1, 2, 3, 4].map((n) => client.put(`${PATH}/${id}`, { ...ENTRY, painLevel: n })),
    );
    const stored = responses.filter((r) => r.statusCode === 200);
    for (const r of responses.filter((r) => r.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('E_CONFLICT');
    }
    const history = (await client.get(`${PATH}/${id}/history`)).json();
    expect(history.revisions).toHaveLength(1 + stored.length);
    expect(history.revisions.map((r: { revision: number }) => r.revision)).toEqual(
      history.revisions.map((_: unknown, i: number) => i + 1),
    );
  });

  it('a delete is a revision: the entry leaves reads and lists, its history stays; deleting again changes nothing', async () => {
    const { client } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    expect((await client.delete(`${PATH}/${id}`)).statusCode).toBe(204);
    const read = await client.get(`${PATH}/${id}`);
    expect(read.statusCode).toBe(404);
    expect(read.json()).toMatchObject({ code: 'E_NOT_FOUND', details: { deleted: true } });
    expect((await client.put(`${PATH}/${id}`, ENTRY)).statusCode).toBe(404);
    expect((await client.get(PATH)).json().items).toEqual([]);
    expect((await client.delete(`${PATH}/${id}`)).statusCode).toBe(204);
    const history = (await client.get(`${PATH}/${id}/history`)).json();
    expect(
      history.revisions.map((r: { deleted: boolean; data: unknown }) => [r.deleted, r.data === null]),
    ).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  it('lists by time range, latest first, in pages', async () => {
    const { client } = await signUp(t);
    const times = [
      '2026-01-01T08:00:00Z',
      '2026-01-01T12:00:00Z',
      '2026-01-01T18:00:00Z',
      '2026-01-02T08:00:00Z',
    ];
    for (const at of times) expect((await client.post(PATH, { at })).statusCode).toBe(201);
    const day = (await client.get(`${PATH}?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`)).json();
    expect(day.items.map((i: { at: string }) => i.at)).toEqual([
      '2026-01-01T18:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
      '2026-01-01T08:00:00.000Z',
    ]);
    const first = (await client.get(`${PATH}?limit=3`)).json();
    expect(first.items).toHaveLength(3);
    const second = (await client.get(`${PATH}?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { at: string }) => i.at)).toEqual(['2026-01-01T08:00:00.000Z']);
    expect(second.nextCursor).toBeNull();
    const backwards = await client.get(`${PATH}?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().code).toBe('E_VALIDATION');
  });

  it.each([
    ['no time', { severity: { writing: 3 } }],
    ['a time without offset', { ...ENTRY, at: '2026-03-02T09:30:00' }],
    ['a time in the future', { ...ENTRY, at: new Date(Date.now() + 86400_000).toISOString() }],
    ['a severity above 10', { ...ENTRY, severity: { writing: 11 } }],
    ['a fractional severity', { ...ENTRY, severity: { writing: 2.5 } }],
    ['an unknown task', { ...ENTRY, severity: { knitting: 3 } }],
    ['an unknown symptom', { ...ENTRY, symptoms: ['itching'] }],
    ['a symptom listed twice', { ...ENTRY, symptoms: ['tremor', 'tremor'] }],
    ['more than 24 hours of sleep', { ...ENTRY, context: { sleepHours: 25 } }],
    ['an unknown body region', { ...ENTRY, bodyMap: { left: ['elbow'], right: [] } }],
    ['a body map with an unknown side', { ...ENTRY, bodyMap: { middle: ['hand'] } }],
    ['notes that are too long', { ...ENTRY, notes: 'x'.repeat(DIARY_NOTES_MAX + 1) }],
    ['an unknown field', { ...ENTRY, mood: 'fine' }],
  ])('refuses %s with 400 E_VALIDATION and stores nothing', async (_name, body) => {
    const { client, user } = await signUp(t);
    const response = await client.post(PATH, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'E_VALIDATION', details: { issues: expect.any(Array) } });
    const rows = await t.database.db
      .select()
      .from(entryRevisions)
      .where(eq(entryRevisions.patientId, user.id));
    expect(rows).toEqual([]);
  });

  it('refuses an invalid edit and keeps the entry as it was', async () => {
    const { client } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    const response = await client.put(`${PATH}/${id}`, { ...ENTRY, painLevel: -1 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('E_VALIDATION');
    expect((await client.get(`${PATH}/${id}`)).json()).toMatchObject({ revision: 1, data: ENTRY });
  });

  it("another patient's entry is 404 like an unknown id for every route, and stays unchanged", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const { id } = (await alice.client.post(PATH, ENTRY)).json();
    for (const response of [
      await bob.client.get(`${PATH}/${id}`),
      await bob.client.get(`${PATH}/${id}/history`),
      await bob.client.put(`${PATH}/${id}`, ENTRY),
      await bob.client.delete(`${PATH}/${id}`),
      await bob.client.get(`${PATH}/${randomUUID()}`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('E_NOT_FOUND');
    }
    expect((await bob.client.get(PATH)).json().items).toEqual([]);
    expect((await alice.client.get(`${PATH}/${id}/history`)).json().revisions).toHaveLength(1);
    const denied = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.actorId, bob.user.id)));
    expect(denied.map((r) => [r.action, r.resource, r.status, r.details]).sort()).toEqual(
      [
        ['diary.delete', id, 404, { denied: 'forbidden' }],
        ['diary.history', id, 404, { denied: 'forbidden' }],
        ['diary.read', id, 404, { denied: 'forbidden' }],
        ['diary.update', id, 404, { denied: 'forbidden' }],
      ].sort(),
    );
  });

  it('an id of another kind of entry is 404 here (a treatment is not a diary entry)', async () => {
    const { client } = await signUp(t);
    const treatment = await client.post('/api/v1/treatments', {
      type: 'dbs-settings',
      date: '2025-05-01',
      settings: 'left 2.1 V 60 µs 130 Hz',
    });
    expect(treatment.statusCode).toBe(201);
    expect((await client.get(`${PATH}/${treatment.json().id}`)).statusCode).toBe(404);
  });

  it("writes create, read, list, update, delete and history to the patient's audit log with the entry id", async () => {
    const { client, user } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    await client.get(`${PATH}/${id}`);
    await client.get(PATH);
    await client.put(`${PATH}/${id}`, ENTRY);
    await client.get(`${PATH}/${id}/history`);
    await client.delete(`${PATH}/${id}`);
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, user.id), eq(auditLog.actorId, user.id)))
      .orderBy(auditLog.id);
    expect(rows.map((r) => [r.action, r.resource, r.status])).toEqual([
      ['diary.create', id, 201],
      ['diary.read', id, 200],
      ['diary.list', null, 200],
      ['diary.update', id, 200],
      ['diary.history', id, 200],
      ['diary.delete', id, 204],
    ]);
    expect(rows[3]!.details).toEqual({ revision: 2 });
  });

  it('needs a signed-in session and the CSRF token', async () => {
    expect((await t.client().get(PATH)).statusCode).toBe(401);
    expect((await t.client().post(PATH, ENTRY)).statusCode).toBe(401);
    const { client } = await signUp(t);
    const response = await client.request({ method: 'POST', url: PATH, payload: ENTRY, csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('E_CSRF');
  });

  it("deleting the account deletes the patient's entries with their history", async () => {
    const { client, user, password } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    await client.put(`${PATH}/${id}`, ENTRY);
    const count = async () =>
      (await t.database.db.select().from(entryRevisions).where(eq(entryRevisions.patientId, user.id))).length;
    expect(await count()).toBe(2);
    expect((await client.delete('/api/v1/account', { password })).statusCode).toBe(204);
    expect(await count()).toBe(0);
  });

  it('the database refuses to change a stored revision', async () => {
    const { client } = await signUp(t);
    const { id } = (await client.post(PATH, ENTRY)).json();
    await expect(
      t.database.db
        .update(entryRevisions)
        .set({ deleted: true, data: null })
        .where(eq(entryRevisions.entryId, id)),
    ).rejects.toThrow();
    const rows = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(entryRevisions)
      .where(and(eq(entryRevisions.entryId, id), eq(entryRevisions.deleted, false)));
    expect(rows[0]!.n).toBe(1);
  });

  it('latestToday() is the date where it is latest on Earth', () => {
    expect(latestToday(Date.parse('2026-01-01T09:59:59Z'))).toBe('2026-01-01');
    expect(latestToday(Date.parse('2026-01-01T10:00:00Z'))).toBe('2026-01-02');
  });
});
