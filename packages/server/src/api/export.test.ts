import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, metricValues, metricRuns, recordings } from '../db/schema.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { EXPORT_FORMAT, type DataExport } from './export.js';

describe('GET /api/v1/export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("holds the patient's whole record: every entry with every revision, routines, recordings and metrics", async () => {
    const { client, user } = await signUp(t);
    const other = await signUp(t);
    // a diary entry edited, then deleted: three revisions
    const diary = (
      await client.post('/api/v1/diary/entries', { at: '2026-03-02T09:30:00+01:00', notes: 'first' })
    ).json();
    await client.put(`/api/v1/diary/entries/${diary.id}`, {
      at: '2026-03-02T09:30:00+01:00',
      notes: 'second',
    });
    expect((await client.delete(`/api/v1/diary/entries/${diary.id}`)).statusCode).toBe(204);
    const treatment = await client.post('/api/v1/treatments', {
      type: 'task-modification',
      modification: 'thicker-pen',
      start: '2026-01-10',
    });
    expect(treatment.statusCode, treatment.body).toBe(201);
    const routine = {
      version: 1,
      timeZone: 'Europe/Berlin',
      items: [
        {
          id: 'diary',
          type: 'recurring',
          activity: 'diary',
          repeat: { kind: 'interval', everyDays: 1, startDate: '2026-01-01' },
          time: '21:00',
        },
      ],
    };
    expect((await client.put('/api/v1/schedule', routine)).statusCode).toBe(200);
    const recordingId = randomUUID();
    await t.database.db.insert(recordings).values({
      patientId: user.id,
      id: recordingId,
      taskId: 'tapping',
      taskVersion: '1.0.0',
      schemaVersion: 1,
      hand: 'right',
      startedAt: new Date('2026-03-01T10:00:00Z'),
      durationMs: 20_000,
      sha256: 'cd'.repeat(32),
      byteLength: 2,
      content: '{}',
      uploadedBy: user.id,
    });
    const ref = { patientId: user.id, recordingId, analysisVersion: '1.3.0' };
    await t.database.db.insert(metricRuns).values({ ...ref, status: 'ok', setupKey: 'test' });
    await t.database.db
      .insert(metricValues)
      .values({ ...ref, metricId: 'tap_count', metricVersion: '1.0.0', value: 88, flags: [] });
    // another patient's data must not appear
    await other.client.post('/api/v1/diary/entries', { at: '2026-03-02T10:00:00Z', notes: 'not yours' });

    const response = await client.get('/api/v1/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="dystrack-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const body = response.json() as DataExport;
    expect(body).toMatchObject({ format: EXPORT_FORMAT, formatVersion: 1, account: { id: user.id } });
    expect(body.entries.diary).toHaveLength(1);
    const revisions = body.entries.diary[0]!.revisions;
    expect(revisions.map((r) => [r.revision, r.deleted])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(revisions.map((r) => (r.data as { notes?: string } | null)?.notes ?? null)).toEqual([
      'first',
      'second',
      null,
    ]);
    expect(body.entries.treatment).toHaveLength(1);
    expect(body.schedules.map((s) => s.version)).toEqual([1]);
    expect(body.recordings).toEqual([
      expect.objectContaining({
        id: recordingId,
        sha256: 'cd'.repeat(32),
        content: `/api/v1/recordings/${recordingId}`,
      }),
    ]);
    expect(body.metrics).toEqual([
      expect.objectContaining({ recordingId, metricId: 'tap_count', value: 88 }),
    ]);
    expect(response.body).not.toContain('not yours');
    expect(response.body).not.toContain('password');
    // the export is in the patient's audit log
    const audited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, user.id), eq(auditLog.action, 'data.export')));
    expect(audited).toHaveLength(1);
  });

  it('needs a session', async () => {
    expect((await t.client().get('/api/v1/export')).statusCode).toBe(401);
  });
});
