import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.js';
import {
  attestedReports,
  auditLog,
  handoverTokens,
  metricRuns,
  metricValues,
  pushRemindersSent,
  pushSubscriptions,
  recordings,
  reportShareLinks,
  shares,
  studies,
  studyConsentEvents,
  studyConsentVersions,
  studyEnrolments,
  schema,
  users,
} from '../db/schema.js';
import { createSession } from '../auth/sessions.js';
import { SoftAuthenticator } from '../test-utils/soft-authenticator.js';
import { addPasskey, signInAdmin, signUp, type TestAccount } from '../test-utils/test-accounts.js';
import { createAdmin } from '../auth/users.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

const NEW_PASSWORD = 'a different long passphrase';

/** Every table of the schema with the columns that name a patient or user. */
function ownedTables(): { name: string; table: PgTable; columns: Column[] }[] {
  return Object.values(schema).flatMap((table) => {
    const columns = Object.values(getTableColumns(table)).filter(
      (c) => c.name === 'patient_id' || c.name === 'user_id',
    );
    return columns.length > 0 ? [{ name: getTableName(table), table: table as PgTable, columns }] : [];
  });
}

/** Rows per table (and column) that belong to a user. */
async function rowsOf(db: Db, userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name, table, columns } of ownedTables()) {
    for (const column of columns) {
      const [row] = await db.select({ n: count() }).from(table).where(eq(column, userId));
      counts[`${name}.${column.name}`] = Number(row?.n ?? 0);
    }
  }
  return counts;
}

/** Gives an account data in every table: passkey, pending challenge, reset link, profile, recording, its metrics, audit rows. */
async function fillEveryTable(t: TestApp, account: TestAccount, admin: TestAccount): Promise<void> {
  expect((await addPasskey(account, new SoftAuthenticator('http://localhost'))).statusCode).toBe(201);
  expect((await account.client.post('/api/v1/passkeys/register/options')).statusCode).toBe(200);
  expect((await admin.client.post(`/api/v1/admin/users/${account.user.id}/reset-link`)).statusCode).toBe(200);
  const profile = {
    affectedHands: 'right',
    dominantHand: 'right',
    dystoniaForms: ['writers-cramp'],
    occupation: 'teacher',
    essentialHandTasks: ['writing on the board'],
    instrument: null,
    onsetYear: 2015,
    diagnosisConfirmed: 'yes',
  };
  expect((await account.client.put('/api/v1/profile', profile)).statusCode).toBe(200);
  expect((await account.client.get('/api/v1/profile')).statusCode).toBe(200);
  const recordingId = randomUUID();
  await t.database.db.insert(recordings).values({
    patientId: account.user.id,
    id: recordingId,
    taskId: 'tapping',
    taskVersion: '1.0.0',
    schemaVersion: 1,
    hand: 'right',
    startedAt: new Date('2025-01-01T10:00:00Z'),
    durationMs: 10_000,
    sha256: 'ab'.repeat(32),
    byteLength: 2,
    content: '{}',
    uploadedBy: account.user.id,
  });
  const ref = { patientId: account.user.id, recordingId, analysisVersion: '1.0.0' };
  await t.database.db.insert(metricRuns).values({ ...ref, status: 'ok', setupKey: 'test' });
  await t.database.db
    .insert(metricValues)
    .values({ ...ref, metricId: 'tap_count', metricVersion: '1.0.0', value: 42, flags: [] });
  // a diary entry with its history (an edit keeps the earlier revision)
  const created = await account.client.post('/api/v1/diary/entries', { at: '2025-01-02T08:00:00.000Z' });
  expect(created.statusCode).toBe(201);
  const entryId = (created.json() as { id: string }).id;
  const edited = await account.client.put(`/api/v1/diary/entries/${entryId}`, {
    at: '2025-01-02T08:00:00.000Z',
    notes: 'a second revision',
  });
  expect(edited.statusCode).toBe(200);
  // a routine (two versions) and a calendar link
  const routine = {
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
    ],
  };
  expect((await account.client.put('/api/v1/schedule', routine)).statusCode).toBe(200);
  expect((await account.client.put('/api/v1/schedule', { ...routine, timeZone: 'UTC' })).statusCode).toBe(
    200,
  );
  expect((await account.client.post('/api/v1/calendar/token')).statusCode).toBe(201);
  // a device subscribed to notifications, and a reminder sent to it
  await t.database.db.insert(pushSubscriptions).values({
    endpoint: `https://push.example/${randomUUID()}`,
    userId: account.user.id,
    p256dh: 'p256dh',
    auth: 'auth',
  });
  await t.database.db
    .insert(pushRemindersSent)
    .values({ patientId: account.user.id, day: '2025-01-02', itemKey: 'weekly:typing' });
  // a desk-to-phone hand-over code, and a signed work-capacity report shared with an assessor
  const now = new Date();
  await t.database.db.insert(handoverTokens).values({
    patientId: account.user.id,
    id: randomUUID(),
    tokenHash: randomUUID(),
    task: 'tremor',
    hand: 'right',
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
  });
  const reportId = randomUUID();
  await t.database.db.insert(attestedReports).values({
    patientId: account.user.id,
    id: reportId,
    issuedAt: now,
    periodFrom: '2025-01-01',
    periodTo: '2025-06-30',
    signedManifest: { manifest: {}, signature: 'sig' },
    pdf: Buffer.from('%PDF-1.7'),
  });
  await t.database.db.insert(reportShareLinks).values({
    patientId: account.user.id,
    id: randomUUID(),
    tokenHash: randomUUID(),
    reportId,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  // a share with a clinician (the admin account stands in), and a study the patient takes part in
  await t.database.db.insert(shares).values({
    patientId: account.user.id,
    id: randomUUID(),
    clinicianId: admin.user.id,
    scopes: ['tasks'],
    createdBy: account.user.id,
    acceptedAt: now,
  });
  const studyId = randomUUID();
  await t.database.db.insert(studies).values({
    id: studyId,
    researcherId: admin.user.id,
    title: 'Study',
    description: 'A study',
    enrolCode: randomUUID().slice(0, 9),
    tasks: ['typing'],
    consentVersion: 1,
  });
  await t.database.db
    .insert(studyConsentVersions)
    .values({ studyId, version: 1, text: 'Consent', withdrawalData: 'keep' });
  await t.database.db.insert(studyEnrolments).values({
    patientId: account.user.id,
    studyId,
    pseudonym: 'P-ABCDEF',
    dateShiftDays: 17,
    consentVersion: 1,
    consentedAt: now,
  });
  await t.database.db
    .insert(studyConsentEvents)
    .values({ patientId: account.user.id, studyId, event: 'consent', consentVersion: 1 });
}

describe('account routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/v1/account/password', () => {
    it('changes the password, keeps this session and ends every other one', async () => {
      const account = await signUp(t);
      const elsewhere = t.client();
      await elsewhere.post('/api/v1/auth/login', { username: account.username, password: account.password });
      const response = await account.client.post('/api/v1/account/password', {
        currentPassword: account.password,
        newPassword: NEW_PASSWORD,
      });
      expect(response.statusCode).toBe(204);
      expect((await account.client.get('/api/v1/session')).json().user).toMatchObject({
        id: account.user.id,
      });
      expect((await elsewhere.get('/api/v1/session')).json().user).toBeNull();
      expect(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { username: account.username, password: account.password })
        ).statusCode,
      ).toBe(401);
      expect(
        (await t.client().post('/api/v1/auth/login', { username: account.username, password: NEW_PASSWORD }))
          .statusCode,
      ).toBe(200);
    });

    it('refuses a wrong current password with E_CREDENTIALS naming the field, and changes nothing', async () => {
      const account = await signUp(t);
      const response = await account.client.post('/api/v1/account/password', {
        currentPassword: 'not it at all',
        newPassword: NEW_PASSWORD,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'E_CREDENTIALS', details: { field: 'currentPassword' } });
      expect((await account.client.get('/api/v1/session')).json().user).toMatchObject({
        id: account.user.id,
      });
      expect(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { username: account.username, password: account.password })
        ).statusCode,
      ).toBe(200);
    });

    it('refuses a weak new password', async () => {
      const account = await signUp(t);
      const response = await account.client.post('/api/v1/account/password', {
        currentPassword: account.password,
        newPassword: 'short',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_WEAK_PASSWORD' });
    });

    it('needs a signed-in session', async () => {
      const response = await t
        .client()
        .post('/api/v1/account/password', { currentPassword: 'x', newPassword: NEW_PASSWORD });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'E_UNAUTHENTICATED' });
    });
  });

  describe('POST /api/v1/account/recovery-codes', () => {
    it('replaces the recovery codes: the old ones stop working, the new ones work', async () => {
      const account = await signUp(t);
      const response = await account.client.post('/api/v1/account/recovery-codes', {
        password: account.password,
      });
      expect(response.statusCode).toBe(200);
      const { recoveryCodes } = response.json();
      expect(recoveryCodes).toHaveLength(10);
      expect(recoveryCodes).not.toContain(account.recoveryCodes[0]);
      const old = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: account.recoveryCodes[0],
        newPassword: NEW_PASSWORD,
      });
      expect(old.statusCode).toBe(401);
      const fresh = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: recoveryCodes[0],
        newPassword: NEW_PASSWORD,
      });
      expect(fresh.statusCode).toBe(200);
      expect(fresh.json().recoveryCodesLeft).toBe(9);
    });

    it('needs the password', async () => {
      const account = await signUp(t);
      const response = await account.client.post('/api/v1/account/recovery-codes', {
        password: 'not the password',
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'E_CREDENTIALS', details: { field: 'password' } });
      const old = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: account.recoveryCodes[0],
        newPassword: NEW_PASSWORD,
      });
      expect(old.statusCode).toBe(200);
    });
  });

  describe('DELETE /api/v1/account', () => {
    let admin: TestAccount;
    beforeAll(async () => {
      admin = await signInAdmin(t);
    });

    it('deletes the account and every row of its data in every table, and leaves another patient untouched', async () => {
      const patient = await signUp(t);
      const other = await signUp(t);
      await fillEveryTable(t, patient, admin);
      await fillEveryTable(t, other, admin);
      const before = await rowsOf(t.database.db, patient.user.id);
      // the walk covers every table that has a patient_id or user_id column, and each held data of this patient
      expect(Object.keys(before).length).toBeGreaterThanOrEqual(8);
      for (const [table, n] of Object.entries(before))
        expect(n, `${table} before deletion`).toBeGreaterThan(0);
      const otherBefore = await rowsOf(t.database.db, other.user.id);

      const response = await patient.client.delete('/api/v1/account', { password: patient.password });
      expect(response.statusCode).toBe(204);
      expect(response.cookies.find((c) => c.name === 'dystrack_session')?.value).toBe('');

      const after = await rowsOf(t.database.db, patient.user.id);
      for (const [table, n] of Object.entries(after)) expect(n, `${table} after deletion`).toBe(0);
      expect(await t.database.db.select().from(users).where(eq(users.id, patient.user.id))).toEqual([]);
      const otherAfter = await rowsOf(t.database.db, other.user.id);
      expect(otherAfter).toEqual(otherBefore);
      expect((await other.client.get('/api/v1/profile')).json()).toMatchObject({ occupation: 'teacher' });
    });

    it('leaves exactly one audit record of the deletion, without address, browser or details', async () => {
      const patient = await signUp(t);
      await patient.client.get('/api/v1/profile');
      expect(
        (await patient.client.delete('/api/v1/account', { password: patient.password })).statusCode,
      ).toBe(204);
      const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.actorId, patient.user.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'account.delete',
        actorRole: 'patient',
        patientId: null,
        resource: null,
        method: 'DELETE',
        route: '/api/v1/account',
        status: 204,
        ip: null,
        userAgent: null,
        details: null,
      });
      expect(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { username: patient.username, password: patient.password })
        ).statusCode,
      ).toBe(401);
    });

    it('needs the password, and deletes nothing without it', async () => {
      const patient = await signUp(t);
      const response = await patient.client.delete('/api/v1/account', { password: 'not the password' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'E_CREDENTIALS', details: { field: 'password' } });
      expect(await t.database.db.select().from(users).where(eq(users.id, patient.user.id))).toHaveLength(1);
      expect((await patient.client.get('/api/v1/session')).json().user).toMatchObject({
        id: patient.user.id,
      });
    });

    it('is refused to a session that may only record, and to no session', async () => {
      const patient = await signUp(t);
      const { token } = await createSession(t.database.db, patient.user.id, { hours: 1, scope: 'record' });
      const phone = t.client();
      phone.cookies.set('dystrack_session', token);
      const response = await phone.delete('/api/v1/account', { password: patient.password });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'E_FORBIDDEN' });
      expect((await t.client().delete('/api/v1/account', { password: 'x' })).statusCode).toBe(401);
      expect(await t.database.db.select().from(users).where(eq(users.id, patient.user.id))).toHaveLength(1);
    });

    it('keeps the last admin account, and deletes an admin when another remains', async () => {
      const solo = await createTestApp();
      try {
        const only = await signInAdmin(solo);
        const refused = await only.client.delete('/api/v1/account', { password: only.password });
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toMatchObject({ code: 'E_CONFLICT' });
        await createAdmin(solo.database.db, { username: 'second-admin', password: only.password });
        expect((await only.client.delete('/api/v1/account', { password: only.password })).statusCode).toBe(
          204,
        );
      } finally {
        await solo.close();
      }
    });
  });
});
