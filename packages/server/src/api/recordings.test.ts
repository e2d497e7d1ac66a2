import { createHash, randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordingSchemaV1, type RecordingV1, type SchemaRegistry } from '@dystrack/core';
import { auditLog, recordings, shares, users } from '../db/schema.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { sampleRecording } from '../test-utils/recordings.js';

/** JSON with object keys sorted by UTF-16 code units: RFC 8785 for these plain values, computed independently. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function recordingRows(t: TestApp, where?: ReturnType<typeof eq>) {
  return t.database.db.select().from(recordings).where(where);
}

async function countRecordings(t: TestApp): Promise<number> {
  const rows = await t.database.db.select({ n: count() }).from(recordings);
  return rows[0]!.n;
}

describe('recordings API', () => {
  let t: TestApp;
  let alice: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await signedInClient(t, { displayName: 'Alice A.' });
    bob = await signedInClient(t, { displayName: 'Bob B.' });
  });
  afterAll(() => t.close());

  describe('POST /api/v1/recordings', () => {
    it('stores a new recording: 201, its summary, and the canonical JSON with its SHA-256 and size', async () => {
      const recording = sampleRecording('typing', { flags: ['TAB_HIDDEN'] });
      const response = await alice.client.post('/api/v1/recordings', recording);
      expect(response.statusCode).toBe(201);
      const canonical = sortedJson(recording);
      expect(response.json()).toEqual({
        id: recording.id,
        taskId: 'typing',
        taskVersion: '1.0.0',
        schemaVersion: 1,
        hand: recording.hand,
        startedAt: '2025-03-04T09:11:12.345Z',
        durationMs: 61235,
        flags: ['TAB_HIDDEN'],
        sha256: sha256(canonical),
        byteLength: Buffer.byteLength(canonical),
        receivedAt: expect.any(String),
        erasedAt: null,
        supervisedBy: null,
      });
      expect(response.headers.location).toBe(`/api/v1/recordings/${recording.id}`);
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row).toMatchObject({
        patientId: alice.user.id,
        uploadedBy: alice.user.id,
        content: canonical,
        schemaVersion: 1,
      });
    });

    it('the same id with the same content is 200 with the stored summary, whatever the key order and whitespace', async () => {
      const recording = sampleRecording('tapping');
      const first = await alice.client.post('/api/v1/recordings', recording);
      expect(first.statusCode).toBe(201);
      const reordered = Object.fromEntries(Object.entries(recording).reverse());
      const again = await alice.client.request({
        method: 'POST',
        url: '/api/v1/recordings',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(reordered, null, 2),
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await recordingRows(t, eq(recordings.id, recording.id))).toHaveLength(1);
    });

    it('the same id with other content is 409 E_RECORDING_CONFLICT and the stored recording stays as it was', async () => {
      const recording = sampleRecording();
      expect((await alice.client.post('/api/v1/recordings', recording)).statusCode).toBe(201);
      const changed = { ...recording, durationMs: recording.durationMs + 1 };
      const response = await alice.client.post('/api/v1/recordings', changed);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ code: 'E_RECORDING_CONFLICT', message: expect.any(String) });
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row!.content).toBe(sortedJson(recording));
    });

    it("an id taken by another patient is 409 with the same body as any conflict, and the other patient's recording is untouched", async () => {
      const recording = sampleRecording();
      expect((await alice.client.post('/api/v1/recordings', recording)).statusCode).toBe(201);
      const sameContent = await bob.client.post('/api/v1/recordings', recording);
      const otherContent = await bob.client.post('/api/v1/recordings', { ...recording, hand: 'left' });
      const ownConflict = await alice.client.post('/api/v1/recordings', { ...recording, hand: 'left' });
      for (const response of [sameContent, otherContent]) {
        expect(response.statusCode).toBe(409);
        expect(response.body).toBe(ownConflict.body);
      }
      const rows = await recordingRows(t, eq(recordings.id, recording.id));
      expect(rows.map((row) => row.patientId)).toEqual([alice.user.id]);
    });

    it('an id whose recording the owner erased is 410 E_RECORDING_ERASED, with the same or other content', async () => {
      const recording = sampleRecording();
      expect((await alice.client.post('/api/v1/recordings', recording)).statusCode).toBe(201);
      expect((await alice.client.delete(`/api/v1/recordings/${recording.id}`)).statusCode).toBe(204);
      for (const body of [recording, { ...recording, hand: 'left' }]) {
        const response = await alice.client.post('/api/v1/recordings', body);
        expect(response.statusCode).toBe(410);
        expect(response.json().code).toBe('E_RECORDING_ERASED');
      }
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row!.content).toBeNull();
    });

    it('concurrent identical uploads store one row: one 201, the others 200 with the same summary', async () => {
      const recording = sampleRecording('spiral');
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => alice.client.post('/api/v1/recordings', recording)),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body)).size).toBe(1);
      expect(await recordingRows(t, eq(recordings.id, recording.id))).toHaveLength(1);
    });

    it('concurrent uploads of one id by two patients store it for one of them only', async () => {
      const recording = sampleRecording();
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? alice : bob).client.post('/api/v1/recordings', recording),
        ),
      );
      const rows = await recordingRows(t, eq(recordings.id, recording.id));
      expect(rows).toHaveLength(1);
      const owner = rows[0]!.patientId === alice.user.id ? 0 : 1;
      expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
      responses.forEach((response, i) =>
        expect(response.statusCode, `upload ${i}`).toEqual(i % 2 === owner ? expect.any(Number) : 409),
      );
      expect(responses.filter((r, i) => i % 2 === owner && r.statusCode === 200)).toHaveLength(2);
    });

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const)(
      'a %s-encoded body is decoded and stored as the recording itself',
      async (encoding, compress) => {
        const recording = sampleRecording('tremor');
        const response = await alice.client.request({
          method: 'POST',
          url: '/api/v1/recordings',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          payload: compress(Buffer.from(JSON.stringify(recording))),
        });
        expect(response.statusCode).toBe(201);
        const [row] = await recordingRows(t, eq(recordings.id, recording.id));
        expect(row!.content).toBe(sortedJson(recording));
      },
    );

    it('a session scoped to recording may upload', async () => {
      const phone = await signedInClient(t, { scope: 'record' });
      expect((await phone.client.post('/api/v1/recordings', sampleRecording())).statusCode).toBe(201);
      expect((await phone.client.get('/api/v1/recordings')).statusCode).toBe(403);
    });

    it('a clinician the patient shares tasks with records for the patient in the clinic: the patient’s, marked supervised', async () => {
      const patient = await signedInClient(t);
      const clinician = await signedInClient(t, { role: 'clinician', approved: true });
      const recording = sampleRecording();
      const url = `/api/v1/recordings?patient=${patient.user.id}`;
      // without a share: refused, nothing stored
      expect((await clinician.client.post(url, recording)).statusCode).toBe(403);
      expect(await recordingRows(t, eq(recordings.id, recording.id))).toHaveLength(0);
      await t.database.db.insert(shares).values({
        patientId: patient.user.id,
        id: randomUUID(),
        clinicianId: clinician.user.id,
        scopes: ['tasks'],
        createdBy: patient.user.id,
        acceptedAt: new Date(),
      });
      const response = await clinician.client.post(url, recording);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ id: recording.id, supervisedBy: clinician.user.id });
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row).toMatchObject({ patientId: patient.user.id, uploadedBy: clinician.user.id });
      // the patient sees it among their own, as supervised; the clinician's own list does not have it
      const own = (await patient.client.get('/api/v1/recordings')).json();
      expect(own.items).toEqual([
        expect.objectContaining({ id: recording.id, supervisedBy: clinician.user.id }),
      ]);
      expect((await clinician.client.get('/api/v1/recordings')).json().items).toEqual([]);
      // the patient's log names the clinician
      const log = (await patient.client.get('/api/v1/audit')).json();
      expect(log.items).toContainEqual(
        expect.objectContaining({
          action: 'recording.create',
          resource: recording.id,
          actor: expect.objectContaining({ id: clinician.user.id, role: 'clinician' }),
        }),
      );
    });

    it('a recording that does not fit its task is 400 E_RECORDING_INVALID naming the problem, and nothing is stored', async () => {
      const before = await countRecordings(t);
      const recording = sampleRecording('typing', { hand: 'both' });
      delete (recording.streams.keyboard!.columns as Record<string, unknown>).code;
      const response = await alice.client.post('/api/v1/recordings', recording);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'E_RECORDING_INVALID',
        details: { issues: [{ message: 'column "keyboard.code" is missing' }] },
      });
      expect(await countRecordings(t)).toBe(before);
    });

    it('an imported source file whose bytes do not match its SHA-256 is refused', async () => {
      const bytes = Buffer.from('MThd fake midi');
      const source = { fileName: 'scale.mid', mediaType: 'audio/midi', base64: bytes.toString('base64') };
      const good = sampleRecording('scale', {
        source: { ...source, sha256: createHash('sha256').update(bytes).digest('hex') },
      });
      expect((await alice.client.post('/api/v1/recordings', good)).statusCode).toBe(201);
      const bad = sampleRecording('scale', { source: { ...source, sha256: '0'.repeat(64) } });
      const response = await alice.client.post('/api/v1/recordings', bad);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'E_RECORDING_INVALID',
        details: { issues: [{ path: 'source.sha256' }] },
      });
    });

    it('a string with a lone UTF-16 surrogate is 400 E_RECORDING_INVALID, not a server error', async () => {
      const recording = sampleRecording();
      const text = JSON.stringify(recording).replace('"the quick brown fox"', '"\\ud800 fox"');
      const response = await alice.client.request({
        method: 'POST',
        url: '/api/v1/recordings',
        headers: { 'content-type': 'application/json' },
        payload: text,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('E_RECORDING_INVALID');
      expect(await recordingRows(t, eq(recordings.id, recording.id))).toHaveLength(0);
    });
  });

  describe('GET /api/v1/recordings/:id', () => {
    it('returns the stored canonical JSON byte for byte, with the summary whose SHA-256 it has', async () => {
      const recording = sampleRecording('handwriting');
      const stored = (await alice.client.post('/api/v1/recordings', recording)).json();
      const response = await alice.client.get(`/api/v1/recordings/${recording.id}`);
      expect(response.statusCode).toBe(200);
      const canonical = sortedJson(recording);
      expect(response.body).toBe(`{"summary":${JSON.stringify(stored)},"recording":${canonical}}`);
      expect(sha256(canonical)).toBe(stored.sha256);
      expect(response.json().recording).toEqual(recording);
    });

    it("another patient's recording is 404 like an unknown id, and the attempt shows in the owner's audit log", async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      const response = await bob.client.get(`/api/v1/recordings/${recording.id}`);
      const unknown = await bob.client.get(`/api/v1/recordings/${randomUUID()}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe(unknown.body);
      expect(response.body).not.toContain(recording.id);
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.patientId, alice.user.id),
            eq(auditLog.resource, recording.id),
            eq(auditLog.actorId, bob.user.id),
          ),
        );
      expect(audit).toMatchObject([
        { action: 'recording.read', status: 404, details: { denied: 'forbidden' } },
      ]);
    });

    it('an approved clinician without a share gets 404 too', async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      const clinician = await signedInClient(t, { role: 'clinician', approved: true });
      expect((await clinician.client.get(`/api/v1/recordings/${recording.id}`)).statusCode).toBe(404);
    });

    it('without signing in it is 401, whether or not the id exists', async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      for (const id of [recording.id, randomUUID()]) {
        const response = await t.client().get(`/api/v1/recordings/${id}`);
        expect(response.statusCode).toBe(401);
        expect(response.json().code).toBe('E_UNAUTHENTICATED');
      }
    });

    it('a path id that is not a UUID is 400 E_VALIDATION', async () => {
      const response = await alice.client.get('/api/v1/recordings/not-a-uuid');
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('E_VALIDATION');
    });
  });

  describe('GET /api/v1/recordings', () => {
    it('pages through the patient’s own recordings newest first (start, then id) without gaps or repeats', async () => {
      const carol = await signedInClient(t);
      const starts = [
        '2025-01-01T10:00:00.000Z',
        '2025-01-01T10:00:00.000Z',
        '2025-01-01T10:00:00.000Z',
        '2025-01-02T08:00:00.001+02:00',
        '2024-12-31T23:59:59.999Z',
        '2025-01-05T00:00:00Z',
        '2025-01-01T10:00:00.000Z',
      ];
      const uploaded = [];
      for (const startedAt of starts) {
        const recording = sampleRecording('typing', { startedAt });
        expect((await carol.client.post('/api/v1/recordings', recording)).statusCode).toBe(201);
        uploaded.push({ id: recording.id, us: new Date(startedAt).getTime() * 1000 });
      }
      // rows whose start has microseconds (not made through the API) must page correctly too
      for (const [i, us] of ['2025-01-01 10:00:00.000001+00', '2025-01-01 10:00:00.000002+00'].entries()) {
        const id = randomUUID();
        await t.database.db.execute(sql`
          insert into recordings (patient_id, id, task_id, task_version, schema_version, hand, started_at, duration_ms, sha256, byte_length, content, uploaded_by)
          values (${carol.user.id}, ${id}, 'typing', '1.0.0', 1, 'both', ${us}::timestamptz, 1, ${'0'.repeat(64)}, 2, '{}', ${carol.user.id})`);
        uploaded.push({ id, us: Date.parse('2025-01-01T10:00:00Z') * 1000 + i + 1 });
      }
      await alice.client.post('/api/v1/recordings', sampleRecording());
      const expected = [...uploaded].sort((a, b) => b.us - a.us || (a.id < b.id ? 1 : -1)).map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await carol.client.get(
          `/api/v1/recordings?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.statusCode).toBe(200);
        const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen).toEqual(expected);
      expect(pages).toBe(5);
    });

    it('a cursor that was not issued by the server is 400 E_VALIDATION', async () => {
      for (const cursor of [
        'nonsense',
        Buffer.from('{"t":"1; drop table users","id":"x"}').toString('base64url'),
      ]) {
        const response = await alice.client.get(`/api/v1/recordings?cursor=${cursor}`);
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe('E_VALIDATION');
      }
    });

    it('without signing in it is 401', async () => {
      expect((await t.client().get('/api/v1/recordings')).statusCode).toBe(401);
    });
  });

  describe('DELETE /api/v1/recordings/:id', () => {
    it('erases the content for good, keeps the summary with erasedAt, and audits recording.erase', async () => {
      const recording = sampleRecording();
      const summary = (await alice.client.post('/api/v1/recordings', recording)).json();
      const response = await alice.client.delete(`/api/v1/recordings/${recording.id}`);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row).toMatchObject({ content: null, sha256: summary.sha256, erasedAt: expect.any(Date) });
      const read = await alice.client.get(`/api/v1/recordings/${recording.id}`);
      expect(read.statusCode).toBe(410);
      expect(read.json()).toMatchObject({
        code: 'E_RECORDING_ERASED',
        details: { erasedAt: row!.erasedAt!.toISOString() },
      });
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'recording.erase'), eq(auditLog.resource, recording.id)));
      expect(audit).toMatchObject([
        { actorId: alice.user.id, patientId: alice.user.id, status: 204, method: 'DELETE' },
      ]);
    });

    it('erasing an erased recording is 204 again and changes nothing', async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      await alice.client.delete(`/api/v1/recordings/${recording.id}`);
      const [first] = await recordingRows(t, eq(recordings.id, recording.id));
      expect((await alice.client.delete(`/api/v1/recordings/${recording.id}`)).statusCode).toBe(204);
      const [second] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(second).toEqual(first);
    });

    it('only the owner can erase: anyone else gets 404 and the recording stays', async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      const admin = await signedInClient(t, { role: 'admin' });
      for (const other of [bob, admin]) {
        const response = await other.client.delete(`/api/v1/recordings/${recording.id}`);
        expect(response.statusCode).toBe(404);
      }
      expect((await t.client().delete(`/api/v1/recordings/${recording.id}`)).statusCode).toBe(401);
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row!.content).toBe(sortedJson(recording));
    });

    it('the database itself refuses every change to a stored recording except erasure', async () => {
      const recording = sampleRecording();
      await alice.client.post('/api/v1/recordings', recording);
      const db = t.database.db;
      const where = sql`where id = ${recording.id}`;
      for (const change of [
        sql`update recordings set content = '{"tampered":true}' ${where}`,
        sql`update recordings set task_id = 'tapping' ${where}`,
        sql`update recordings set sha256 = ${'f'.repeat(64)} ${where}`,
        sql`update recordings set erased_at = now() ${where}`,
      ]) {
        await expect(db.execute(change)).rejects.toThrow();
      }
      const [row] = await recordingRows(t, eq(recordings.id, recording.id));
      expect(row!.content).toBe(sortedJson(recording));
      await db.execute(sql`update recordings set content = null, erased_at = now() ${where}`);
      await expect(db.execute(sql`update recordings set erased_at = null ${where}`)).rejects.toThrow();
      await expect(db.execute(sql`update recordings set content = '{}' ${where}`)).rejects.toThrow();
    });
  });

  describe('GET /api/v1/audit', () => {
    it('lists who touched the patient’s data: actor, role, name, action, resource, status, address, newest first', async () => {
      const dave = await signedInClient(t, { displayName: 'Dave D.' });
      const recording = sampleRecording();
      await dave.client.post('/api/v1/recordings', recording);
      await dave.client.get(`/api/v1/recordings/${recording.id}`);
      await bob.client.get(`/api/v1/recordings/${recording.id}`);
      const response = await dave.client.request({
        method: 'GET',
        url: '/api/v1/audit',
        headers: { 'user-agent': 'TestAgent/1' },
      });
      expect(response.statusCode).toBe(200);
      const { items, nextCursor } = response.json();
      expect(nextCursor).toBeNull();
      expect(items).toMatchObject([
        {
          actor: { id: bob.user.id, role: 'patient', displayName: 'Bob B.' },
          action: 'recording.read',
          resource: recording.id,
          status: 404,
          method: 'GET',
          route: '/api/v1/recordings/:id',
          ip: '127.0.0.1',
          details: { denied: 'forbidden' },
        },
        {
          actor: { id: dave.user.id, displayName: 'Dave D.' },
          action: 'recording.read',
          status: 200,
          details: null,
        },
        { actor: { id: dave.user.id }, action: 'recording.create', resource: recording.id, status: 201 },
      ]);
      expect(Date.parse(items[0].at)).toBeGreaterThanOrEqual(Date.parse(items[2].at));
    });

    it('pages with a cursor and shows a deleted actor without a name', async () => {
      const erin = await signedInClient(t);
      const frank = await signedInClient(t, { displayName: 'Frank F.' });
      const recording = sampleRecording();
      await erin.client.post('/api/v1/recordings', recording);
      for (let i = 0; i < 3; i++) await frank.client.get(`/api/v1/recordings/${recording.id}`);
      await t.database.db.delete(users).where(eq(users.id, frank.user.id));
      const first = (await erin.client.get('/api/v1/audit?limit=2')).json();
      expect(first.items).toHaveLength(2);
      expect(first.items[0].actor).toEqual({ id: frank.user.id, role: 'patient', displayName: null });
      const second = (await erin.client.get(`/api/v1/audit?limit=2&cursor=${first.nextCursor}`)).json();
      expect(second.items.map((i: { action: string }) => i.action)).toEqual([
        'recording.read',
        'recording.create',
      ]);
      expect(second.nextCursor).toBeNull();
      const ids = [...first.items, ...second.items].map((i: { id: string }) => Number(i.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });

    it("shows nothing of other patients' logs", async () => {
      const gina = await signedInClient(t);
      const response = await gina.client.get('/api/v1/audit');
      expect(response.json()).toEqual({ items: [], nextCursor: null });
    });
  });
});

describe('recording schema versions', () => {
  // v2 = v1 plus a required `calibration` block; v1 recordings lift to v2 with calibration null
  const recordingSchemaV2 = recordingSchemaV1.extend({
    schemaVersion: z.literal(2),
    calibration: z.strictObject({ offsetMs: z.number() }).nullable(),
  });
  const registry: SchemaRegistry = {
    versions: {
      1: {
        schema: recordingSchemaV1,
        up: (r: RecordingV1) => ({ ...r, schemaVersion: 2, calibration: null }),
      },
      2: { schema: recordingSchemaV2 },
    },
    current: 2,
  };
  let t: TestApp;
  let patient: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ schemas: registry });
    patient = await signedInClient(t);
  });
  afterAll(() => t.close());

  it('a v1 recording still uploads and is stored as sent, at schema version 1', async () => {
    const v1 = sampleRecording();
    const response = await patient.client.post('/api/v1/recordings', v1);
    expect(response.statusCode).toBe(201);
    expect(response.json().schemaVersion).toBe(1);
    const [row] = await t.database.db.select().from(recordings).where(eq(recordings.id, v1.id));
    expect(row!.content).toBe(sortedJson(v1));
    expect(row!.schemaVersion).toBe(1);
  });

  it('a v2 recording uploads and is stored at version 2', async () => {
    const v2 = { ...sampleRecording(), schemaVersion: 2, calibration: { offsetMs: 1.5 } };
    const response = await patient.client.post('/api/v1/recordings', v2);
    expect(response.statusCode).toBe(201);
    expect(response.json().schemaVersion).toBe(2);
    const read = (await patient.client.get(`/api/v1/recordings/${v2.id}`)).json();
    expect(read.recording).toEqual(v2);
  });

  it('a v2 recording without its required field, or a v1 one with it, is 400 E_RECORDING_INVALID', async () => {
    const { calibration: _c, ...missing } = { ...sampleRecording(), schemaVersion: 2, calibration: null };
    const extra = { ...sampleRecording(), calibration: null };
    for (const body of [missing, extra]) {
      const response = await patient.client.post('/api/v1/recordings', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('E_RECORDING_INVALID');
    }
  });

  it('an unknown version is 400 E_SCHEMA_VERSION listing the accepted ones', async () => {
    const response = await patient.client.post('/api/v1/recordings', {
      ...sampleRecording(),
      schemaVersion: 3,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'E_SCHEMA_VERSION',
      details: { schemaVersion: 3, supported: [1, 2] },
    });
    const health = (await patient.client.get('/api/v1/health')).json();
    expect(health.acceptedSchemaVersions).toEqual([1, 2]);
  });

  it('the API documentation shows both versions as the upload body', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const body = doc.paths['/api/v1/recordings'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('calibration');
    expect(body.anyOf ?? body.oneOf).toHaveLength(2);
  });
});
