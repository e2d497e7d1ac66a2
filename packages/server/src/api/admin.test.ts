import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, resetTokens } from '../db/schema.js';
import { hashToken } from '../auth/sessions.js';
import { signInAdmin, signUp, type TestAccount } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

describe('admin routes', () => {
  let t: TestApp;
  let admin: TestAccount;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signInAdmin(t);
  });
  afterAll(() => t.close());

  describe('GET /api/v1/admin/users', () => {
    it('lists every account with role and approval, and nothing of any patient data', async () => {
      const patient = await signUp(t);
      const clinician = await signUp(t, { role: 'clinician' });
      const response = await admin.client.get('/api/v1/admin/users');
      expect(response.statusCode).toBe(200);
      const { items } = response.json();
      expect(items.find((u: { id: string }) => u.id === patient.user.id)).toEqual({
        id: patient.user.id,
        username: patient.username,
        displayName: patient.username,
        role: 'patient',
        roleApproved: true,
        roleApprovedAt: null,
        createdAt: expect.any(String),
      });
      expect(items.find((u: { id: string }) => u.id === clinician.user.id)).toMatchObject({
        role: 'clinician',
        roleApproved: false,
      });
      expect(items.find((u: { id: string }) => u.id === admin.user.id)).toMatchObject({
        role: 'admin',
        roleApproved: true,
      });
      for (const item of items)
        expect(Object.keys(item).sort()).toEqual([
          'createdAt',
          'displayName',
          'id',
          'role',
          'roleApproved',
          'roleApprovedAt',
          'username',
        ]);
    });

    it('is refused to patients, unapproved clinicians and anonymous callers', async () => {
      const patient = await signUp(t);
      const clinician = await signUp(t, { role: 'clinician' });
      expect((await patient.client.get('/api/v1/admin/users')).json()).toMatchObject({ code: 'E_FORBIDDEN' });
      expect((await clinician.client.get('/api/v1/admin/users')).statusCode).toBe(403);
      expect((await t.client().get('/api/v1/admin/users')).statusCode).toBe(401);
    });
  });

  describe('POST /api/v1/admin/users/:id/approve', () => {
    it("approves a clinician's role, which the clinician's session shows at once", async () => {
      const clinician = await signUp(t, { role: 'clinician' });
      const response = await admin.client.post(`/api/v1/admin/users/${clinician.user.id}/approve`);
      expect(response.statusCode).toBe(200);
      expect(response.json().user).toMatchObject({
        id: clinician.user.id,
        role: 'clinician',
        roleApproved: true,
        roleApprovedAt: expect.any(String),
      });
      expect((await clinician.client.get('/api/v1/session')).json().user).toMatchObject({
        roleApproved: true,
      });
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.resource, `user:${clinician.user.id}`));
      expect(audit).toMatchObject([{ action: 'admin.users.approve', actorId: admin.user.id, status: 200 }]);
    });

    it('approving an approved researcher again changes nothing', async () => {
      const researcher = await signUp(t, { role: 'researcher' });
      const first = (await admin.client.post(`/api/v1/admin/users/${researcher.user.id}/approve`)).json();
      const second = await admin.client.post(`/api/v1/admin/users/${researcher.user.id}/approve`);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first);
    });

    it('answers 409 for a patient, 404 for an unknown id and 400 for a malformed one', async () => {
      const patient = await signUp(t);
      const conflict = await admin.client.post(`/api/v1/admin/users/${patient.user.id}/approve`);
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json()).toMatchObject({ code: 'E_CONFLICT' });
      const unknown = await admin.client.post(
        '/api/v1/admin/users/00000000-0000-4000-8000-000000000000/approve',
      );
      expect(unknown.json()).toMatchObject({ code: 'E_NOT_FOUND' });
      expect((await admin.client.post('/api/v1/admin/users/not-a-uuid/approve')).json()).toMatchObject({
        code: 'E_VALIDATION',
      });
    });

    it('is refused to anyone but an admin', async () => {
      const clinician = await signUp(t, { role: 'clinician' });
      const response = await clinician.client.post(`/api/v1/admin/users/${clinician.user.id}/approve`);
      expect(response.statusCode).toBe(403);
      expect((await clinician.client.get('/api/v1/session')).json().user).toMatchObject({
        roleApproved: false,
      });
    });
  });

  describe('POST /api/v1/admin/users/:id/reset-link', () => {
    it('returns a link on the request origin, valid 24 hours, with the token stored only as a hash', async () => {
      const patient = await signUp(t);
      const before = Date.now();
      const response = await admin.client.post(`/api/v1/admin/users/${patient.user.id}/reset-link`);
      const after = Date.now();
      expect(response.statusCode).toBe(200);
      const { url, expiresAt } = response.json();
      const link = new URL(url);
      expect(`${link.origin}${link.pathname}`).toBe('http://localhost/reset');
      const token = link.searchParams.get('token') ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(before + 24 * 3600_000);
      expect(Date.parse(expiresAt)).toBeLessThanOrEqual(after + 24 * 3600_000);
      const rows = await t.database.db
        .select()
        .from(resetTokens)
        .where(eq(resetTokens.userId, patient.user.id));
      expect(rows).toMatchObject([{ tokenHash: hashToken(token), createdBy: admin.user.id, usedAt: null }]);
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it("is recorded in the account holder's audit trail", async () => {
      const patient = await signUp(t);
      await admin.client.post(`/api/v1/admin/users/${patient.user.id}/reset-link`);
      const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.patientId, patient.user.id));
      expect(rows).toMatchObject([
        { action: 'admin.users.reset-link', actorId: admin.user.id, actorRole: 'admin' },
      ]);
    });

    it('a new link voids the earlier unused one', async () => {
      const patient = await signUp(t);
      const first = new URL(
        (await admin.client.post(`/api/v1/admin/users/${patient.user.id}/reset-link`)).json().url,
      );
      await admin.client.post(`/api/v1/admin/users/${patient.user.id}/reset-link`);
      const response = await t.client().post('/api/v1/auth/reset', {
        token: first.searchParams.get('token'),
        newPassword: 'a different long passphrase',
      });
      expect(response.json()).toMatchObject({ code: 'E_TOKEN_INVALID' });
    });

    it('answers 404 for an unknown account and 403 to a non-admin', async () => {
      const unknown = await admin.client.post(
        '/api/v1/admin/users/00000000-0000-4000-8000-000000000000/reset-link',
      );
      expect(unknown.statusCode).toBe(404);
      const patient = await signUp(t);
      const refused = await patient.client.post(`/api/v1/admin/users/${patient.user.id}/reset-link`);
      expect(refused.statusCode).toBe(403);
      expect(
        await t.database.db.select().from(resetTokens).where(eq(resetTokens.userId, patient.user.id)),
      ).toEqual([]);
    });
  });
});

describe('admin reset links with a public URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: 'https://dystrack.example.org/' } });
  });
  afterAll(() => t.close());

  it('point to the public URL, whatever Host the admin used', async () => {
    const admin = await signInAdmin(t);
    const patient = await signUp(t);
    const response = await admin.client.request({
      method: 'POST',
      url: `/api/v1/admin/users/${patient.user.id}/reset-link`,
      headers: { host: 'internal:8080' },
    });
    expect(response.json().url).toMatch(/^https:\/\/dystrack\.example\.org\/reset\?token=[A-Za-z0-9_-]{43}$/);
  });
});
