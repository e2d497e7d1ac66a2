import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, handoverTokens, recordings, sessions } from '../db/schema.js';
import { sampleRecording } from '../test-utils/recordings.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { createTestApp, type TestApp, type TestClient } from '../test-utils/test-app.js';
import { HANDOVER_MINUTES, consumeHandover, issueHandover } from './handover.js';

const PUBLIC_URL = 'https://dystrack.example.org';

interface Created {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  state: string;
  https: boolean;
  publicUrlSet: boolean;
}

async function createCode(
  desk: TestClient,
  body: unknown = { task: 'tremor', hand: 'right' },
): Promise<Created> {
  const response = await desk.post('/api/v1/handover', body);
  expect(response.statusCode, response.body).toBe(201);
  const created = response.json() as Omit<Created, 'token'>;
  return { ...created, token: created.url.split('#')[1]! };
}

function redeem(phone: TestClient, token: string) {
  return phone.post('/api/v1/handover/redeem', { token });
}

describe('desk-to-phone hand-over', () => {
  let t: TestApp;
  let alice: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: PUBLIC_URL } });
    alice = await signedInClient(t, { displayName: 'Alice A.' });
    bob = await signedInClient(t, { displayName: 'Bob B.' });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a code is the phone page of PUBLIC_URL with the token in the fragment, valid for five minutes', async () => {
    const before = Date.now();
    const code = await createCode(alice.client);
    expect(code.url).toMatch(/^https:\/\/dystrack\.example\.org\/phone#[A-Za-z0-9_-]{43}$/);
    expect(code).toMatchObject({ state: 'waiting', https: true, publicUrlSet: true });
    const lifetime = Date.parse(code.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(HANDOVER_MINUTES * 60_000 - 10_000);
    expect(lifetime).toBeLessThanOrEqual(HANDOVER_MINUTES * 60_000 + 1000);
  });

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const code = await createCode(alice.client);
    const rows = await t.database.db.select().from(handoverTokens).where(eq(handoverTokens.id, code.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(code.token).digest('hex'));
    expect(rows[0]!.patientId).toBe(alice.user.id);
    expect(JSON.stringify(rows)).not.toContain(code.token);
    // nor in the audit log
    const audit = await t.database.db.select().from(auditLog);
    expect(JSON.stringify(audit)).not.toContain(code.token);
  });

  it('the phone is signed in for that patient with a record session, and the desk sees it connected', async () => {
    const code = await createCode(alice.client, { task: 'tremor', hand: 'left' });
    const phone = t.client();
    const response = await redeem(phone, code.token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      user: { id: alice.user.id, displayName: 'Alice A.', scope: 'record' },
      task: 'tremor',
      hand: 'left',
    });
    const cookie = response.cookies.find((c) => c.name === 'dystrack_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // a few hours, not the two weeks of a full session
    const hours = (cookie!.expires!.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(1);
    expect(hours).toBeLessThanOrEqual(8);
    expect((await phone.get('/api/v1/session')).json().user).toMatchObject({
      id: alice.user.id,
      scope: 'record',
    });
    const status = await alice.client.get(`/api/v1/handover/${code.id}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ id: code.id, state: 'connected', task: 'tremor', hand: 'left' });
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.resource, code.id)));
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['handover.create', 'handover.redeem', 'handover.read']),
    );
  });

  it('a code works once: the second redeem is refused with reason `used`, and no second session starts', async () => {
    const code = await createCode(alice.client);
    expect((await redeem(t.client(), code.token)).statusCode).toBe(200);
    const sessionsBefore = await t.database.db.select().from(sessions);
    const again = await redeem(t.client(), code.token);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({
      code: 'E_TOKEN_INVALID',
      message: expect.stringMatching(/already been used.*new code on your computer/),
      details: { reason: 'used' },
    });
    expect(again.cookies.find((c) => c.name === 'dystrack_session')).toBeUndefined();
    expect(await t.database.db.select().from(sessions)).toHaveLength(sessionsBefore.length);
  });

  it('two redeems at the same moment: exactly one signs in', async () => {
    const code = await createCode(alice.client);
    const answers = await Promise.all([1, 2, 3, 4].map(() => redeem(t.client(), code.token)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400, 400, 400]);
  });

  it('an expired code is refused with reason `expired` (clock moved, no waiting)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date(Math.floor(Date.now() / 1000) * 1000);
    vi.setSystemTime(start);
    const code = await createCode(alice.client);
    expect(Date.parse(code.expiresAt) - start.getTime()).toBe(HANDOVER_MINUTES * 60_000);
    vi.setSystemTime(new Date(start.getTime() + HANDOVER_MINUTES * 60_000));
    const response = await redeem(t.client(), code.token);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'E_TOKEN_INVALID',
      message: expect.stringMatching(/expired/),
      details: { reason: 'expired' },
    });
    expect((await alice.client.get(`/api/v1/handover/${code.id}`)).json().state).toBe('expired');
  });

  it('consumeHandover with an injected clock: valid up to the last millisecond, expired from five minutes on', async () => {
    const issuedAt = new Date('2031-05-05T08:00:00Z');
    const what = { task: 'typing' as const, hand: 'right' as const };
    const late = await issueHandover(t.database.db, alice.user.id, what, issuedAt);
    const atExpiry = await consumeHandover(
      t.database.db,
      late.token,
      new Date(issuedAt.getTime() + 5 * 60_000),
    );
    expect(atExpiry).toMatchObject({ ok: false, reason: 'expired', patientId: alice.user.id });
    const inTime = await issueHandover(t.database.db, alice.user.id, what, issuedAt);
    const lastMs = await consumeHandover(
      t.database.db,
      inTime.token,
      new Date(issuedAt.getTime() + 5 * 60_000 - 1),
    );
    expect(lastMs.ok).toBe(true);
  });

  it('the database refuses a code that would live longer than five minutes', async () => {
    const now = new Date();
    await expect(
      t.database.db.insert(handoverTokens).values({
        patientId: alice.user.id,
        id: crypto.randomUUID(),
        tokenHash: 'x'.repeat(64),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 5 * 60_000 + 1000),
      }),
    ).rejects.toThrow();
  });

  it('unknown tokens are refused with reason `unknown`', async () => {
    const response = await redeem(t.client(), 'A'.repeat(43));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'E_TOKEN_INVALID', details: { reason: 'unknown' } });
  });

  it('a new code cancels the earlier unused one; a cancelled code is refused with reason `cancelled`', async () => {
    const first = await createCode(alice.client);
    const second = await createCode(alice.client);
    expect((await redeem(t.client(), first.token)).json()).toMatchObject({
      details: { reason: 'cancelled' },
    });
    expect((await alice.client.delete(`/api/v1/handover/${second.id}`)).statusCode).toBe(204);
    expect((await redeem(t.client(), second.token)).json()).toMatchObject({
      details: { reason: 'cancelled' },
    });
    expect((await alice.client.get(`/api/v1/handover/${second.id}`)).json().state).toBe('cancelled');
  });

  it('cancelling a used code signs the phone out', async () => {
    const code = await createCode(alice.client);
    const phone = t.client();
    expect((await redeem(phone, code.token)).statusCode).toBe(200);
    expect((await alice.client.delete(`/api/v1/handover/${code.id}`)).statusCode).toBe(204);
    expect((await phone.get('/api/v1/session')).json().user).toBeNull();
    expect((await phone.post('/api/v1/recordings', sampleRecording('tremor'))).statusCode).toBe(401);
  });

  describe('the record session of a phone', () => {
    let phone: TestClient;
    beforeAll(async () => {
      const code = await createCode(alice.client);
      phone = t.client();
      expect((await redeem(phone, code.token)).statusCode).toBe(200);
    });

    it("uploads a recording, stored as the patient's", async () => {
      const recording = sampleRecording('tremor');
      const response = await phone.post('/api/v1/recordings', recording);
      expect(response.statusCode, response.body).toBe(201);
      const [row] = await t.database.db.select().from(recordings).where(eq(recordings.id, recording.id));
      expect(row).toMatchObject({ patientId: alice.user.id, uploadedBy: alice.user.id });
    });

    it.each([
      ['GET', '/api/v1/recordings'],
      ['GET', '/api/v1/diary/entries'],
      ['GET', '/api/v1/export'],
      ['GET', '/api/v1/profile'],
      ['GET', '/api/v1/audit'],
      ['GET', '/api/v1/schedule'],
      ['GET', '/api/v1/metrics/overview'],
    ] as const)('is refused 403 on %s %s', async (method, url) => {
      const response = await phone.request({ method, url });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        code: 'E_FORBIDDEN',
        message: expect.stringMatching(/^This phone is signed in for recording only/),
      });
    });

    it('is refused 403 on writing the profile, the diary, and on making another code', async () => {
      for (const [method, url, body] of [
        ['PUT', '/api/v1/profile', { affectedHands: 'left' }],
        ['POST', '/api/v1/diary/entries', { at: new Date().toISOString() }],
        ['POST', '/api/v1/handover', { task: 'tremor', hand: 'right' }],
        ['POST', '/api/v1/account/password', { currentPassword: 'x', newPassword: 'y' }],
      ] as const) {
        const response = await phone.request({ method, url, payload: body });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
        expect(response.json().code).toBe('E_FORBIDDEN');
      }
    });
  });

  describe('across patients', () => {
    it('another patient can neither read nor cancel a code (404, as for an unknown id), and the attempt is audited for the owner', async () => {
      const code = await createCode(alice.client);
      expect((await bob.client.get(`/api/v1/handover/${code.id}`)).statusCode).toBe(404);
      expect((await bob.client.delete(`/api/v1/handover/${code.id}`)).statusCode).toBe(404);
      expect((await alice.client.get(`/api/v1/handover/${code.id}`)).json().state).toBe('waiting');
      const denied = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.actorId, bob.user.id)));
      expect(denied.map((row) => row.action)).toEqual(
        expect.arrayContaining(['handover.read', 'handover.cancel']),
      );
    });

    it("a browser signed in as someone else that redeems a patient's code is signed in only as that patient, for recording", async () => {
      const code = await createCode(alice.client);
      const carol = await signedInClient(t, { displayName: 'Carol C.' });
      const response = await redeem(carol.client, code.token);
      expect(response.json().user).toMatchObject({ id: alice.user.id, scope: 'record' });
      const recording = sampleRecording('tremor');
      expect((await carol.client.post('/api/v1/recordings', recording)).statusCode).toBe(201);
      const [row] = await t.database.db.select().from(recordings).where(eq(recordings.id, recording.id));
      expect(row!.patientId).toBe(alice.user.id);
      // Carol's own session ended with the redeem
      const carolSessions = await t.database.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, carol.user.id));
      expect(carolSessions).toHaveLength(0);
    });

    it('a new code of one patient does not cancel the codes of another', async () => {
      const aliceCode = await createCode(alice.client);
      await createCode(bob.client);
      expect((await redeem(t.client(), aliceCode.token)).statusCode).toBe(200);
    });
  });

  describe('who may make a code', () => {
    it('not a clinician, not without a session, not without the CSRF header, not for a hand the task lacks', async () => {
      const clinician = await signedInClient(t, { role: 'clinician', approved: true });
      expect((await clinician.client.post('/api/v1/handover', {})).statusCode).toBe(403);
      expect((await t.client().post('/api/v1/handover', {})).statusCode).toBe(401);
      const noCsrf = await alice.client.request({
        method: 'POST',
        url: '/api/v1/handover',
        payload: {},
        csrf: false,
      });
      expect(noCsrf.json().code).toBe('E_CSRF');
      const wrongHand = await alice.client.post('/api/v1/handover', { task: 'tapping', hand: 'both' });
      expect(wrongHand.statusCode).toBe(400);
      expect(wrongHand.json().code).toBe('E_VALIDATION');
    });
  });
});

describe('hand-over without PUBLIC_URL', () => {
  let t: TestApp;
  afterAll(() => t.close());
  it('builds the phone URL from the address the desk used and says it is not https', async () => {
    t = await createTestApp();
    const alice = await signedInClient(t);
    const response = await alice.client.request({
      method: 'POST',
      url: '/api/v1/handover',
      payload: { task: 'tremor', hand: 'right' },
      headers: { host: '192.168.1.20:8080' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ https: false, publicUrlSet: false });
    expect(response.json().url).toMatch(/^http:\/\/192\.168\.1\.20:8080\/phone#/);
  });
});
