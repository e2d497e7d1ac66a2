import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { ScheduleInput } from '@dystrack/core';
import { shareInvitations, shares, schedules } from '../db/schema.js';
import { createMetricsTestApp, typingRecording } from '../metrics/test-utils/fixtures.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';

type App = Awaited<ReturnType<typeof createMetricsTestApp>>;

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
  ],
};

const THERAPY = { type: 'therapy', therapy: 'sensorimotor-retraining', start: '2026-01-10' };

describe('sharing', () => {
  let t: App;
  beforeAll(async () => {
    t = await createMetricsTestApp();
  });
  afterAll(() => t.close());

  const patient = (displayName?: string) => signedInClient(t, displayName ? { displayName } : {});
  const clinician = (approved = true) => signedInClient(t, { role: 'clinician', approved });

  /** The patient makes a share code; answers the code and the share. */
  async function invite(who: SignedIn, scopes: string[], expiresAt: string | null = null) {
    const response = await who.client.post('/api/v1/shares', { scopes, expiresAt });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { share: { id: string; status: string }; code: string; link: string };
  }

  /** A patient shares `scopes` with a clinician (patient's code redeemed); answers the share id. */
  async function share(p: SignedIn, c: SignedIn, scopes: string[]) {
    const { share: created, code } = await invite(p, scopes);
    const redeemed = await c.client.post('/api/v1/clinician/shares/redeem', { code });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    return created.id;
  }

  async function auditOf(p: SignedIn) {
    const response = await p.client.get('/api/v1/audit?limit=200');
    expect(response.statusCode).toBe(200);
    return response.json().items as {
      action: string;
      actor: { id: string } | null;
      resource: string | null;
      status: number;
      details: Record<string, unknown> | null;
    }[];
  }

  describe("a patient's invitation, redeemed by a clinician", () => {
    it("goes from pending to active; both sides see it; the redeem is in the patient's audit log", async () => {
      const p = await patient('Pat Share');
      const c = await clinician();
      const { share: created, code, link } = await invite(p, ['tasks', 'diary']);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(link).toMatch(new RegExp(`/clinic/redeem#${code}$`));
      expect(created).toMatchObject({
        status: 'pending',
        clinician: null,
        createdBy: 'patient',
        acceptedAt: null,
      });
      // only the hash is stored
      const [row] = await t.database.db.select().from(shares).where(eq(shares.id, created.id));
      expect(row!.inviteTokenHash).not.toContain(code.replace(/-/g, ''));
      expect(row!.inviteTokenHash).toMatch(/^[0-9a-f]{64}$/);

      // typed loosely: lower case with spaces
      const redeemed = await c.client.post('/api/v1/clinician/shares/redeem', {
        code: code.toLowerCase().replace(/-/g, ' '),
      });
      expect(redeemed.statusCode, redeemed.body).toBe(200);
      expect(redeemed.json()).toEqual({
        patientId: p.user.id,
        displayName: 'Pat Share',
        scopes: ['tasks', 'diary'],
        expiresAt: null,
      });

      const list = (await p.client.get('/api/v1/shares')).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({
        id: created.id,
        status: 'active',
        clinician: { id: c.user.id, displayName: c.user.displayName, username: c.user.username },
        scopes: ['tasks', 'diary'],
      });
      expect(list.items[0].acceptedAt).not.toBeNull();

      const patients = (await c.client.get('/api/v1/clinician/patients')).json();
      expect(patients.items).toEqual([
        expect.objectContaining({
          patientId: p.user.id,
          displayName: 'Pat Share',
          username: p.user.username,
          scopes: ['tasks', 'diary'],
          expiresAt: null,
          lastVisitAt: null,
        }),
      ]);

      const audit = await auditOf(p);
      expect(audit.find((a) => a.action === 'share.create')).toMatchObject({
        actor: { id: p.user.id },
        resource: created.id,
        status: 201,
      });
      expect(audit.find((a) => a.action === 'share.redeem')).toMatchObject({
        actor: { id: c.user.id },
        resource: created.id,
        status: 200,
      });
    });

    it('cannot be redeemed twice, not even at the same moment', async () => {
      const p = await patient();
      const [c1, c2] = await Promise.all([clinician(), clinician()]);
      const { code } = await invite(p, ['tasks']);
      const answers = await Promise.all([
        c1.client.post('/api/v1/clinician/shares/redeem', { code }),
        c2.client.post('/api/v1/clinician/shares/redeem', { code }),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 404]);
      const loser = answers.find((a) => a.statusCode === 404)!;
      expect(loser.json()).toMatchObject({ code: 'E_NOT_FOUND', details: { reason: 'used' } });
      expect(loser.json().message).toMatch(/already been used/);
      // exactly one clinician got the share
      const rows = await t.database.db.select().from(shares).where(eq(shares.patientId, p.user.id));
      expect(rows).toHaveLength(1);
      const winner = answers[0]!.statusCode === 200 ? c1 : c2;
      expect(rows[0]!.clinicianId).toBe(winner.user.id);
      // a third clinician later is told the same
      const c3 = await clinician();
      const late = await c3.client.post('/api/v1/clinician/shares/redeem', { code });
      expect(late.statusCode).toBe(404);
      expect(late.json().details.reason).toBe('used');
    });

    it('refuses unknown, expired and cancelled codes, saying which', async () => {
      const p = await patient();
      const c = await clinician();
      const unknown = await c.client.post('/api/v1/clinician/shares/redeem', { code: 'ABCD-EFGH-JKMN' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'E_NOT_FOUND', details: { reason: 'unknown' } });
      const malformed = await c.client.post('/api/v1/clinician/shares/redeem', { code: 'nope' });
      expect(malformed.json().details.reason).toBe('unknown');

      const expired = await invite(p, ['tasks']);
      await t.database.db
        .update(shares)
        .set({ inviteExpiresAt: new Date(Date.now() - 1000) })
        .where(eq(shares.id, expired.share.id));
      const late = await c.client.post('/api/v1/clinician/shares/redeem', { code: expired.code });
      expect(late.statusCode).toBe(404);
      expect(late.json().details.reason).toBe('expired');
      expect(late.json().message).toMatch(/expired/);

      const cancelled = await invite(p, ['tasks']);
      const revoke = await p.client.post(`/api/v1/shares/${cancelled.share.id}/revoke`);
      expect(revoke.json().status).toBe('revoked');
      const gone = await c.client.post('/api/v1/clinician/shares/redeem', { code: cancelled.code });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().details.reason).toBe('cancelled');

      // the refused attempts on known codes are in the patient's log, as denied
      const denied = (await auditOf(p)).filter((a) => a.action === 'share.redeem');
      expect(denied.map((a) => a.details?.denied).sort()).toEqual(['cancelled', 'expired']);
      expect(denied.every((a) => a.actor?.id === c.user.id && a.status === 404)).toBe(true);
    });

    it('is refused to an unapproved clinician (E_NOT_APPROVED) and to patients, until an admin approves', async () => {
      const p = await patient();
      const other = await patient();
      const c = await clinician(false);
      const { code } = await invite(p, ['tasks']);
      const unapproved = await c.client.post('/api/v1/clinician/shares/redeem', { code });
      expect(unapproved.statusCode).toBe(403);
      expect(unapproved.json().code).toBe('E_NOT_APPROVED');
      expect((await c.client.get('/api/v1/clinician/patients')).json().code).toBe('E_NOT_APPROVED');
      // the patient themself and another patient cannot redeem a patient's code
      for (const who of [p, other]) {
        const refused = await who.client.post('/api/v1/clinician/shares/redeem', { code });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().code).toBe('E_FORBIDDEN');
      }
      const admin = await signedInClient(t, { role: 'admin' });
      const approve = await admin.client.post(`/api/v1/admin/users/${c.user.id}/approve`);
      expect(approve.statusCode, approve.body).toBe(200);
      const now = await c.client.post('/api/v1/clinician/shares/redeem', { code });
      expect(now.statusCode, now.body).toBe(200);
    });
  });

  describe("a clinician's invitation, redeemed by a patient", () => {
    it('previews, then shares and applies the proposed routine as a version saved by the clinician', async () => {
      const p = await patient('Pat Routine');
      const c = await clinician();
      const created = await c.client.post('/api/v1/clinician/invitations', {
        note: 'From the movement clinic',
        schedule: ROUTINE,
      });
      expect(created.statusCode, created.body).toBe(201);
      const { invitation, code, link } = created.json();
      expect(link).toMatch(new RegExp(`/sharing/redeem#${code}$`));
      expect(invitation).toMatchObject({ status: 'open', hasSchedule: true, usedAt: null, patient: null });
      const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
      expect(days).toBe(14);

      const preview = await p.client.post('/api/v1/shares/invitations/preview', { code });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json()).toMatchObject({
        clinician: { displayName: c.user.displayName, username: c.user.username },
        note: 'From the movement clinic',
        schedule: { timeZone: 'Europe/Berlin', items: [{ id: 'typing', activity: 'typing' }] },
        expiresAt: invitation.expiresAt,
      });
      // a previous routine of the patient's own
      const own = await p.client.put('/api/v1/schedule', { ...ROUTINE, timeZone: 'Europe/London' });
      expect(own.statusCode).toBe(200);

      const redeemed = await p.client.post('/api/v1/shares/invitations/redeem', {
        code,
        scopes: ['tasks', 'scales'],
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        acceptSchedule: true,
      });
      expect(redeemed.statusCode, redeemed.body).toBe(201);
      expect(redeemed.json()).toMatchObject({
        scheduleApplied: true,
        share: {
          status: 'active',
          createdBy: 'clinician',
          clinician: { id: c.user.id },
          scopes: ['tasks', 'scales'],
          inviteExpiresAt: null,
        },
      });

      const versions = await t.database.db.select().from(schedules).where(eq(schedules.patientId, p.user.id));
      expect(versions.map((v) => [v.version, v.createdBy])).toEqual(
        expect.arrayContaining([
          [1, p.user.id],
          [2, c.user.id],
        ]),
      );
      const current = (await p.client.get('/api/v1/schedule')).json();
      expect(current).toMatchObject({ revision: 2, schedule: { timeZone: 'Europe/Berlin' } });

      const invitations = (await c.client.get('/api/v1/clinician/invitations')).json().items;
      expect(invitations[0]).toMatchObject({
        id: invitation.id,
        status: 'used',
        patient: { id: p.user.id, displayName: 'Pat Routine' },
      });
      expect((await c.client.get('/api/v1/clinician/patients')).json().items[0]).toMatchObject({
        patientId: p.user.id,
        scopes: ['tasks', 'scales'],
      });

      const audit = await auditOf(p);
      expect(audit.find((a) => a.action === 'invitation.redeem')).toMatchObject({
        actor: { id: p.user.id },
        resource: invitation.id,
        status: 201,
        details: expect.objectContaining({ clinicianId: c.user.id, scheduleApplied: true }),
      });
      expect(audit.find((a) => a.action === 'schedule.write' && a.status === 201)).toMatchObject({
        details: expect.objectContaining({ revision: 2, createdBy: c.user.id }),
      });
      expect(audit.find((a) => a.action === 'invitation.preview')).toMatchObject({ resource: invitation.id });
    });

    it('leaves the routine alone without acceptSchedule, and is single use even at the same moment', async () => {
      const [p1, p2] = await Promise.all([patient(), patient()]);
      const c = await clinician();
      const { code } = (await c.client.post('/api/v1/clinician/invitations', { schedule: ROUTINE })).json();
      const body = { code, scopes: ['tasks'], expiresAt: null, acceptSchedule: false };
      const answers = await Promise.all([
        p1.client.post('/api/v1/shares/invitations/redeem', body),
        p2.client.post('/api/v1/shares/invitations/redeem', body),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 404]);
      const won = answers.find((a) => a.statusCode === 201)!;
      expect(won.json().scheduleApplied).toBe(false);
      expect(answers.find((a) => a.statusCode === 404)!.json().details.reason).toBe('used');
      for (const p of [p1, p2]) {
        const versions = await t.database.db
          .select()
          .from(schedules)
          .where(eq(schedules.patientId, p.user.id));
        expect(versions).toEqual([]);
      }
      const rows = await t.database.db.select().from(shares).where(eq(shares.clinicianId, c.user.id));
      expect(rows).toHaveLength(1);
      // the preview of a used code says so
      const preview = await p1.client.post('/api/v1/shares/invitations/preview', { code });
      expect(preview.statusCode).toBe(404);
      expect(preview.json().details.reason).toBe('used');
    });

    it("refuses cancelled, expired and unknown invitations; cancelling is the clinician's own", async () => {
      const p = await patient();
      const c = await clinician();
      const other = await clinician();
      const made = (await c.client.post('/api/v1/clinician/invitations', {})).json();
      expect(made.invitation.hasSchedule).toBe(false);
      expect(
        (await other.client.delete(`/api/v1/clinician/invitations/${made.invitation.id}`)).statusCode,
      ).toBe(404);
      expect((await c.client.delete(`/api/v1/clinician/invitations/${made.invitation.id}`)).statusCode).toBe(
        204,
      );
      // idempotent
      expect((await c.client.delete(`/api/v1/clinician/invitations/${made.invitation.id}`)).statusCode).toBe(
        204,
      );
      const cancelled = await p.client.post('/api/v1/shares/invitations/preview', { code: made.code });
      expect(cancelled.statusCode).toBe(404);
      expect(cancelled.json()).toMatchObject({ code: 'E_NOT_FOUND', details: { reason: 'cancelled' } });
      expect(cancelled.json().message).toMatch(/cancelled/);
      expect((await c.client.get('/api/v1/clinician/invitations')).json().items[0].status).toBe('cancelled');

      const old = (await c.client.post('/api/v1/clinician/invitations', { note: 'old' })).json();
      await t.database.db
        .update(shareInvitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(shareInvitations.id, old.invitation.id));
      const expired = await p.client.post('/api/v1/shares/invitations/redeem', {
        code: old.code,
        scopes: ['tasks'],
        expiresAt: null,
        acceptSchedule: false,
      });
      expect(expired.statusCode).toBe(404);
      expect(expired.json().details.reason).toBe('expired');

      const unknown = await p.client.post('/api/v1/shares/invitations/preview', { code: '0000-0000-0000' });
      expect(unknown.json().details.reason).toBe('unknown');
      // a clinician cannot redeem a clinician's invitation (nor preview one)
      const fresh = (await c.client.post('/api/v1/clinician/invitations', {})).json();
      const byClinician = await other.client.post('/api/v1/shares/invitations/redeem', {
        code: fresh.code,
        scopes: ['tasks'],
        expiresAt: null,
        acceptSchedule: false,
      });
      expect(byClinician.statusCode).toBe(403);
      // a used invitation cannot be cancelled
      const used = await p.client.post('/api/v1/shares/invitations/redeem', {
        code: fresh.code,
        scopes: ['tasks'],
        expiresAt: null,
        acceptSchedule: false,
      });
      expect(used.statusCode).toBe(201);
      const late = await c.client.delete(`/api/v1/clinician/invitations/${fresh.invitation.id}`);
      expect(late.statusCode).toBe(409);
    });

    it('validates the proposed routine as PUT /api/v1/schedule does, and the note', async () => {
      const c = await clinician();
      const bad = await c.client.post('/api/v1/clinician/invitations', {
        schedule: { ...ROUTINE, timeZone: 'Mars/Olympus' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('E_VALIDATION');
      const long = await c.client.post('/api/v1/clinician/invitations', { note: 'x'.repeat(501) });
      expect(long.statusCode).toBe(400);
      const patientTries = await (await patient()).client.post('/api/v1/clinician/invitations', {});
      expect(patientTries.statusCode).toBe(403);
    });
  });

  describe('what a clinician may read', () => {
    it('follows the scopes: tasks only reads recordings, not the diary or treatments', async () => {
      const p = await patient();
      const c = await clinician();
      await share(p, c, ['tasks']);
      expect((await c.client.get(`/api/v1/recordings?patient=${p.user.id}`)).statusCode).toBe(200);
      expect((await c.client.get(`/api/v1/diary/entries?patient=${p.user.id}`)).statusCode).toBe(403);
      expect((await c.client.get(`/api/v1/treatments?patient=${p.user.id}`)).statusCode).toBe(403);
      // and nothing of another patient
      const stranger = await patient();
      expect((await c.client.get(`/api/v1/recordings?patient=${stranger.user.id}`)).statusCode).toBe(403);
    });

    it('with treatments and add-entries, adds a treatment marked as entered by the clinician', async () => {
      const p = await patient();
      const c = await clinician();
      const readOnly = await patient();
      await share(p, c, ['treatments', 'add-entries']);
      await share(readOnly, c, ['treatments']);
      const added = await c.client.post(`/api/v1/treatments?patient=${p.user.id}`, THERAPY);
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({ clinicianEntered: true, revisedBy: c.user.id });
      const seen = (await p.client.get('/api/v1/treatments')).json();
      expect(seen.items).toEqual([expect.objectContaining({ clinicianEntered: true })]);
      expect(
        (await c.client.post(`/api/v1/treatments?patient=${readOnly.user.id}`, THERAPY)).statusCode,
      ).toBe(403);
    });

    it("stops at the next request after a revocation, which is in the patient's audit log", async () => {
      const p = await patient();
      const c = await clinician();
      const shareId = await share(p, c, ['tasks']);
      const url = `/api/v1/recordings?patient=${p.user.id}`;
      expect((await c.client.get(url)).statusCode).toBe(200);
      const revoked = await p.client.post(`/api/v1/shares/${shareId}/revoke`);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ id: shareId, status: 'revoked' });
      const after = await c.client.get(url);
      expect(after.statusCode).toBe(403);
      expect(after.json().code).toBe('E_FORBIDDEN');
      expect((await c.client.get('/api/v1/clinician/patients')).json().items).toEqual([]);
      // idempotent
      const again = await p.client.post(`/api/v1/shares/${shareId}/revoke`);
      expect(again.json().revokedAt).toBe(revoked.json().revokedAt);

      const audit = await auditOf(p);
      expect(audit.find((a) => a.action === 'share.revoke' && !a.details?.alreadyRevoked)).toMatchObject({
        actor: { id: p.user.id },
        resource: shareId,
        details: expect.objectContaining({ clinicianId: c.user.id }),
      });
      const reads = audit.filter((a) => a.action === 'recording.list' && a.actor?.id === c.user.id);
      expect(reads.map((a) => a.status).sort()).toEqual([200, 403]);
    });

    it('stops when the share has expired', async () => {
      const p = await patient();
      const c = await clinician();
      const shareId = await share(p, c, ['tasks']);
      const url = `/api/v1/recordings?patient=${p.user.id}`;
      expect((await c.client.get(url)).statusCode).toBe(200);
      await t.database.db
        .update(shares)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(and(eq(shares.patientId, p.user.id), eq(shares.id, shareId)));
      expect((await c.client.get(url)).statusCode).toBe(403);
      const listed = (await p.client.get('/api/v1/shares')).json().items[0];
      expect(listed.status).toBe('expired');
      // an expired share cannot be changed
      const patch = await p.client.request({
        method: 'PATCH',
        url: `/api/v1/shares/${shareId}`,
        payload: { scopes: ['tasks', 'diary'] },
      });
      expect(patch.statusCode).toBe(409);
      expect(patch.json().code).toBe('E_CONFLICT');
    });

    it('narrows at once when the patient changes the scopes; a revoked share cannot be changed', async () => {
      const p = await patient();
      const c = await clinician();
      const shareId = await share(p, c, ['tasks', 'diary']);
      expect((await c.client.get(`/api/v1/diary/entries?patient=${p.user.id}`)).statusCode).toBe(200);
      const end = new Date(Date.now() + 90 * 86_400_000).toISOString();
      const patch = await p.client.request({
        method: 'PATCH',
        url: `/api/v1/shares/${shareId}`,
        payload: { scopes: ['tasks'], expiresAt: end },
      });
      expect(patch.statusCode, patch.body).toBe(200);
      expect(patch.json()).toMatchObject({ scopes: ['tasks'], expiresAt: end, status: 'active' });
      expect((await c.client.get(`/api/v1/diary/entries?patient=${p.user.id}`)).statusCode).toBe(403);
      expect((await c.client.get(`/api/v1/recordings?patient=${p.user.id}`)).statusCode).toBe(200);
      const update = (await auditOf(p)).find((a) => a.action === 'share.update');
      expect(update).toMatchObject({
        resource: shareId,
        details: expect.objectContaining({ scopes: { from: ['tasks', 'diary'], to: ['tasks'] } }),
      });

      await p.client.post(`/api/v1/shares/${shareId}/revoke`);
      const late = await p.client.request({
        method: 'PATCH',
        url: `/api/v1/shares/${shareId}`,
        payload: { scopes: ['tasks', 'diary'] },
      });
      expect(late.statusCode).toBe(409);
      // another patient's share is not found
      const other = await patient();
      const foreign = await other.client.post(`/api/v1/shares/${shareId}/revoke`);
      expect(foreign.statusCode).toBe(404);
    });

    it('unions the scopes of two active shares of one patient', async () => {
      const p = await patient();
      const c = await clinician();
      await share(p, c, ['tasks']);
      const second = await share(p, c, ['diary']);
      expect((await c.client.get(`/api/v1/diary/entries?patient=${p.user.id}`)).statusCode).toBe(200);
      expect((await c.client.get(`/api/v1/recordings?patient=${p.user.id}`)).statusCode).toBe(200);
      const [item] = (await c.client.get('/api/v1/clinician/patients')).json().items;
      expect(item.scopes).toEqual(['tasks', 'diary']);
      await p.client.post(`/api/v1/shares/${second}/revoke`);
      expect((await c.client.get(`/api/v1/diary/entries?patient=${p.user.id}`)).statusCode).toBe(403);
    });
  });

  describe('the route table', () => {
    it('documents every sharing route in the OpenAPI document and refuses them without a CSRF token', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const expected: [string, string, string][] = [
        ['get', '/api/v1/shares', 'sharing'],
        ['post', '/api/v1/shares', 'sharing'],
        ['patch', '/api/v1/shares/{id}', 'sharing'],
        ['post', '/api/v1/shares/{id}/revoke', 'sharing'],
        ['post', '/api/v1/shares/invitations/preview', 'sharing'],
        ['post', '/api/v1/shares/invitations/redeem', 'sharing'],
        ['get', '/api/v1/clinician/patients', 'clinician'],
        ['post', '/api/v1/clinician/patients/{patientId}/visits', 'clinician'],
        ['post', '/api/v1/clinician/shares/redeem', 'clinician'],
        ['get', '/api/v1/clinician/invitations', 'clinician'],
        ['post', '/api/v1/clinician/invitations', 'clinician'],
        ['delete', '/api/v1/clinician/invitations/{id}', 'clinician'],
      ];
      for (const [method, path, tag] of expected) {
        expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual([tag]);
        expect(doc.paths[path][method].summary, `${method} ${path}`).toBeTruthy();
      }
      const c = await clinician();
      const noToken = await c.client.request({
        method: 'POST',
        url: '/api/v1/clinician/shares/redeem',
        payload: { code: '0000-0000-0000' },
        csrf: false,
      });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json().code).toBe('E_CSRF');
    });
  });

  describe('POST /api/v1/shares validation', () => {
    it('needs at least one distinct scope and an end in the future, at most two years away', async () => {
      const p = await patient();
      const post = (body: unknown) => p.client.post('/api/v1/shares', body);
      expect((await post({ scopes: [], expiresAt: null })).statusCode).toBe(400);
      expect((await post({ scopes: ['tasks', 'tasks'], expiresAt: null })).statusCode).toBe(400);
      expect((await post({ scopes: ['everything'], expiresAt: null })).statusCode).toBe(400);
      const past = await post({ scopes: ['tasks'], expiresAt: new Date(Date.now() - 60_000).toISOString() });
      expect(past.statusCode).toBe(400);
      expect(past.json().details.issues[0].path).toBe('body.expiresAt');
      const far = await post({
        scopes: ['tasks'],
        expiresAt: new Date(Date.now() + 800 * 86_400_000).toISOString(),
      });
      expect(far.statusCode).toBe(400);
      const ok = await post({
        scopes: ['reports'],
        expiresAt: new Date(Date.now() + 700 * 86_400_000).toISOString(),
      });
      expect(ok.statusCode).toBe(201);
      const days =
        (Date.parse(ok.json().share.inviteExpiresAt) - Date.parse(ok.json().share.createdAt)) / 86_400_000;
      expect(days).toBe(7);
      // clinicians do not share
      const c = await clinician();
      expect((await c.client.post('/api/v1/shares', { scopes: ['tasks'], expiresAt: null })).statusCode).toBe(
        403,
      );
    });
  });

  describe('the clinician dashboard', () => {
    it('flags a reliable worsening since the last visit, and counts from a recorded visit', async () => {
      const p = await patient('Pat Dashboard');
      const c = await clinician();
      const base = Date.now();
      const day = (n: number) => new Date(base - (10 - n) * 86_400_000);
      // hold times 88, 90, 92, 90, 90 ms (baseline mean 90), then 120 ms
      for (const [i, holdMs] of [88, 90, 92, 90, 90, 120].entries()) {
        const upload = await p.client.post(
          '/api/v1/recordings',
          typingRecording({ holdMs, hand: 'right', startedAt: day(i).toISOString() }),
        );
        expect(upload.statusCode, upload.body).toBe(201);
      }
      await t.job.drain();
      const shareId = await share(p, c, ['tasks']);
      const diaryOnly = await patient('Pat Diary');
      await share(diaryOnly, c, ['diary']);

      const items = () => c.client.get('/api/v1/clinician/patients').then((r) => r.json().items);
      // shared just now: every session is older, so nothing is new since
      const fresh = (await items()).find((i: { patientId: string }) => i.patientId === p.user.id);
      expect(fresh.changes).toMatchObject({ since: fresh.sharedSince, worse: 0, better: 0, items: [] });
      expect(
        (await items()).find((i: { patientId: string }) => i.patientId === diaryOnly.user.id).changes,
      ).toBeNull();

      // a visit between the fifth and the sixth session
      await t.database.db
        .update(shares)
        .set({ lastVisitAt: day(4.5) })
        .where(and(eq(shares.patientId, p.user.id), eq(shares.id, shareId)));
      const flagged = (await items()).find((i: { patientId: string }) => i.patientId === p.user.id);
      expect(flagged.lastVisitAt).toBe(day(4.5).toISOString());
      expect(flagged.changes).toEqual({
        since: day(4.5).toISOString(),
        worse: 1,
        better: 0,
        items: [
          {
            task: 'typing',
            hand: 'right',
            metricId: 'hold_time_median_ms',
            label: 'Key hold time',
            unit: 'ms',
            direction: 'worse',
            before: 90,
            latest: 120,
            latestAt: day(5).toISOString(),
          },
        ],
      });

      // a visit now: nothing since
      const visit = await c.client.post(`/api/v1/clinician/patients/${p.user.id}/visits`);
      expect(visit.statusCode, visit.body).toBe(200);
      const after = (await items()).find((i: { patientId: string }) => i.patientId === p.user.id);
      expect(after.lastVisitAt).toBe(visit.json().lastVisitAt);
      expect(after.changes).toMatchObject({ worse: 0, better: 0, items: [] });
      expect((await p.client.get('/api/v1/shares')).json().items[0].lastVisitAt).toBe(
        visit.json().lastVisitAt,
      );

      const audit = await auditOf(p);
      expect(audit.find((a) => a.action === 'visit.record')).toMatchObject({
        actor: { id: c.user.id },
        status: 200,
      });
      expect(audit.some((a) => a.action === 'changes.read' && a.actor?.id === c.user.id)).toBe(true);
      // the diary-only patient's changes were not read
      expect((await auditOf(diaryOnly)).some((a) => a.action === 'changes.read')).toBe(false);

      // a visit needs an active share
      const stranger = await patient();
      const refused = await c.client.post(`/api/v1/clinician/patients/${stranger.user.id}/visits`);
      expect(refused.statusCode).toBe(403);
      const self = await p.client.post(`/api/v1/clinician/patients/${p.user.id}/visits`);
      expect(self.statusCode).toBe(403);
    });
  });
});
