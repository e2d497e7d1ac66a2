import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { passkeys, recoveryCodes, resetTokens, sessions, users, webauthnChallenges } from '../db/schema.js';
import { RECOVERY_CODE_PATTERN } from '../auth/recovery-codes.js';
import { SoftAuthenticator } from '../test-utils/soft-authenticator.js';
import {
  TEST_PASSWORD,
  addPasskey,
  signInAdmin,
  signUp,
  uniqueUsername,
  type TestAccount,
} from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp, type TestClient } from '../test-utils/test-app.js';

const NEW_PASSWORD = 'a different long passphrase';

async function sessionUser(client: TestClient): Promise<{ id: string } | null> {
  return ((await client.get('/api/v1/session')).json() as { user: { id: string } | null }).user;
}

describe('auth routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/v1/auth/signup', () => {
    it('creates a patient, signs in with an HttpOnly SameSite=Lax cookie and shows ten distinct recovery codes', async () => {
      const client = t.client();
      const username = uniqueUsername('Signup');
      const response = await client.post('/api/v1/auth/signup', {
        username,
        password: TEST_PASSWORD,
        displayName: ' Ann ',
      });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body.user).toMatchObject({
        username: username.toLowerCase(),
        displayName: 'Ann',
        role: 'patient',
        roleApproved: true,
        scope: 'full',
      });
      expect(body.recoveryCodes).toHaveLength(10);
      expect(new Set(body.recoveryCodes).size).toBe(10);
      for (const code of body.recoveryCodes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
      const cookie = response.cookies.find((c) => c.name === 'dystrack_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.secure).toBeFalsy();
      expect(await sessionUser(client)).toMatchObject({ id: body.user.id });
    });

    it('stores only an argon2id hash of the password and SHA-256 hashes of the recovery codes', async () => {
      const account = await signUp(t);
      const [row] = await t.database.db.select().from(users).where(eq(users.id, account.user.id));
      expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row?.passwordHash).not.toContain(account.password);
      const stored = await t.database.db
        .select()
        .from(recoveryCodes)
        .where(eq(recoveryCodes.userId, account.user.id));
      const expected = account.recoveryCodes.map((code) =>
        createHash('sha256').update(code.replaceAll('-', '')).digest('hex'),
      );
      expect(stored.map((r) => r.codeHash).sort()).toEqual(expected.sort());
    });

    it('gives clinician and researcher accounts roleApproved false until an admin approves them', async () => {
      expect((await signUp(t, { role: 'clinician' })).user).toMatchObject({
        role: 'clinician',
        roleApproved: false,
      });
      expect((await signUp(t, { role: 'researcher' })).user).toMatchObject({
        role: 'researcher',
        roleApproved: false,
      });
    });

    it('refuses the admin role: admins are created only on the command line', async () => {
      const response = await t
        .client()
        .post('/api/v1/auth/signup', { username: uniqueUsername(), password: TEST_PASSWORD, role: 'admin' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_VALIDATION' });
    });

    it('refuses a user name that is taken, whatever its case', async () => {
      const { username } = await signUp(t);
      const response = await t
        .client()
        .post('/api/v1/auth/signup', { username: username.toUpperCase(), password: TEST_PASSWORD });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'E_USERNAME_TAKEN' });
    });

    it('refuses a weak password, a malformed user name and unknown fields', async () => {
      const weak = await t
        .client()
        .post('/api/v1/auth/signup', { username: uniqueUsername(), password: 'short' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'E_WEAK_PASSWORD' });
      const badName = await t
        .client()
        .post('/api/v1/auth/signup', { username: 'no spaces allowed', password: TEST_PASSWORD });
      expect(badName.json()).toMatchObject({ code: 'E_VALIDATION' });
      const extra = await t
        .client()
        .post('/api/v1/auth/signup', { username: uniqueUsername(), password: TEST_PASSWORD, isAdmin: true });
      expect(extra.statusCode).toBe(400);
      expect(extra.json()).toMatchObject({ code: 'E_VALIDATION' });
    });

    it('refuses a request without the CSRF header', async () => {
      const response = await t.client().request({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { username: uniqueUsername(), password: TEST_PASSWORD },
        csrf: false,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'E_CSRF' });
    });
  });

  describe('POST /api/v1/auth/login', () => {
    let account: TestAccount;
    beforeAll(async () => {
      account = await signUp(t);
    });

    it('signs in with the right password, whatever the case of the user name', async () => {
      const client = t.client();
      const response = await client.post('/api/v1/auth/login', {
        username: account.username.toUpperCase(),
        password: account.password,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user: account.user });
      expect(response.cookies.find((c) => c.name === 'dystrack_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
      });
      expect(await sessionUser(client)).toMatchObject({ id: account.user.id });
    });

    it('answers the same E_CREDENTIALS for an unknown user name and for a wrong password', async () => {
      const wrongPassword = await t
        .client()
        .post('/api/v1/auth/login', { username: account.username, password: 'not the password' });
      const unknownUser = await t
        .client()
        .post('/api/v1/auth/login', { username: uniqueUsername('ghost'), password: 'not the password' });
      expect(wrongPassword.statusCode).toBe(401);
      expect(wrongPassword.json()).toMatchObject({ code: 'E_CREDENTIALS' });
      expect(unknownUser.statusCode).toBe(wrongPassword.statusCode);
      expect(unknownUser.body).toBe(wrongPassword.body);
      expect(wrongPassword.cookies.find((c) => c.name === 'dystrack_session')).toBeUndefined();
    });

    it('replaces the session the browser had (no session fixation)', async () => {
      const other = await signUp(t);
      const before = other.client.cookies.get('dystrack_session');
      await other.client.post('/api/v1/auth/login', {
        username: account.username,
        password: account.password,
      });
      expect(other.client.cookies.get('dystrack_session')).not.toBe(before);
      expect(await sessionUser(other.client)).toMatchObject({ id: account.user.id });
      const stale = t.client();
      stale.cookies.set('dystrack_session', before ?? '');
      expect(await sessionUser(stale)).toBeNull();
    });

    it('refuses a body without a password', async () => {
      const response = await t.client().post('/api/v1/auth/login', { username: account.username });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_VALIDATION' });
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('ends the session in the database and clears the cookie', async () => {
      const account = await signUp(t);
      const response = await account.client.post('/api/v1/auth/logout');
      expect(response.statusCode).toBe(204);
      const cleared = response.cookies.find((c) => c.name === 'dystrack_session');
      expect(cleared?.value).toBe('');
      const rows = await t.database.db.select().from(sessions).where(eq(sessions.userId, account.user.id));
      expect(rows).toHaveLength(0);
    });

    it('answers 204 when no one is signed in', async () => {
      expect((await t.client().post('/api/v1/auth/logout')).statusCode).toBe(204);
    });
  });

  describe('POST /api/v1/auth/recover', () => {
    it('sets a new password with a recovery code, signs in, ends the other sessions and tells how many codes are left', async () => {
      const account = await signUp(t);
      const browser = t.client();
      const response = await browser.post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: account.recoveryCodes[3],
        newPassword: NEW_PASSWORD,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user: account.user, recoveryCodesLeft: 9 });
      expect(await sessionUser(browser)).toMatchObject({ id: account.user.id });
      expect(await sessionUser(account.client)).toBeNull();
      const oldPassword = await t
        .client()
        .post('/api/v1/auth/login', { username: account.username, password: account.password });
      expect(oldPassword.statusCode).toBe(401);
      const newPassword = await t
        .client()
        .post('/api/v1/auth/login', { username: account.username, password: NEW_PASSWORD });
      expect(newPassword.statusCode).toBe(200);
    });

    it('accepts a code typed in capitals with spaces instead of dashes', async () => {
      const account = await signUp(t);
      const typed = account.recoveryCodes[0]!.toUpperCase().replaceAll('-', ' ');
      const response = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: typed,
        newPassword: NEW_PASSWORD,
      });
      expect(response.statusCode).toBe(200);
    });

    it('a recovery code works only once', async () => {
      const account = await signUp(t);
      const body = {
        username: account.username,
        recoveryCode: account.recoveryCodes[0],
        newPassword: NEW_PASSWORD,
      };
      expect((await t.client().post('/api/v1/auth/recover', body)).statusCode).toBe(200);
      const again = await t
        .client()
        .post('/api/v1/auth/recover', { ...body, newPassword: 'yet another passphrase' });
      expect(again.statusCode).toBe(401);
      expect(again.json()).toMatchObject({ code: 'E_CREDENTIALS' });
    });

    it('answers E_CREDENTIALS alike for a wrong code and an unknown user, and changes nothing', async () => {
      const account = await signUp(t);
      const wrong = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: 'aaaa-bbbb-cccc',
        newPassword: NEW_PASSWORD,
      });
      const unknown = await t.client().post('/api/v1/auth/recover', {
        username: uniqueUsername('ghost'),
        recoveryCode: account.recoveryCodes[0],
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.body).toBe(wrong.body);
      expect(await sessionUser(account.client)).toMatchObject({ id: account.user.id });
      expect(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { username: account.username, password: account.password })
        ).statusCode,
      ).toBe(200);
    });

    it('refuses a weak new password before using up the code', async () => {
      const account = await signUp(t);
      const code = account.recoveryCodes[0];
      const weak = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: code,
        newPassword: 'aaaaaaaaaaaa',
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'E_WEAK_PASSWORD' });
      const good = await t.client().post('/api/v1/auth/recover', {
        username: account.username,
        recoveryCode: code,
        newPassword: NEW_PASSWORD,
      });
      expect(good.statusCode).toBe(200);
    });
  });

  describe('POST /api/v1/auth/reset', () => {
    let admin: TestAccount;
    beforeAll(async () => {
      admin = await signInAdmin(t);
    });
    const issue = async (userId: string): Promise<string> => {
      const response = await admin.client.post(`/api/v1/admin/users/${userId}/reset-link`);
      expect(response.statusCode).toBe(200);
      return new URL(response.json().url).searchParams.get('token') ?? '';
    };

    it('sets a new password with an admin-issued link, signs in and ends the other sessions', async () => {
      const account = await signUp(t);
      const token = await issue(account.user.id);
      const browser = t.client();
      const response = await browser.post('/api/v1/auth/reset', { token, newPassword: NEW_PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user: account.user });
      expect(await sessionUser(browser)).toMatchObject({ id: account.user.id });
      expect(await sessionUser(account.client)).toBeNull();
      expect(
        (await t.client().post('/api/v1/auth/login', { username: account.username, password: NEW_PASSWORD }))
          .statusCode,
      ).toBe(200);
    });

    it('a link works only once', async () => {
      const account = await signUp(t);
      const token = await issue(account.user.id);
      expect(
        (await t.client().post('/api/v1/auth/reset', { token, newPassword: NEW_PASSWORD })).statusCode,
      ).toBe(200);
      const again = await t
        .client()
        .post('/api/v1/auth/reset', { token, newPassword: 'yet another passphrase' });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ code: 'E_TOKEN_INVALID' });
    });

    it('refuses an expired link and an unknown token', async () => {
      const account = await signUp(t);
      const token = await issue(account.user.id);
      await t.database.db
        .update(resetTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(resetTokens.userId, account.user.id));
      const expired = await t.client().post('/api/v1/auth/reset', { token, newPassword: NEW_PASSWORD });
      expect(expired.statusCode).toBe(400);
      expect(expired.json()).toMatchObject({ code: 'E_TOKEN_INVALID' });
      const unknown = await t
        .client()
        .post('/api/v1/auth/reset', { token: 'not-a-token', newPassword: NEW_PASSWORD });
      expect(unknown.json()).toMatchObject({ code: 'E_TOKEN_INVALID' });
      expect(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { username: account.username, password: account.password })
        ).statusCode,
      ).toBe(200);
    });

    it('a weak new password leaves the link usable', async () => {
      const account = await signUp(t);
      const token = await issue(account.user.id);
      const weak = await t
        .client()
        .post('/api/v1/auth/reset', { token, newPassword: `${account.username}-secret` });
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'E_WEAK_PASSWORD' });
      expect(
        (await t.client().post('/api/v1/auth/reset', { token, newPassword: NEW_PASSWORD })).statusCode,
      ).toBe(200);
    });
  });

  describe('passkey sign-in (POST /api/v1/auth/passkey/options, /verify)', () => {
    let owner: TestAccount;
    let authenticator: SoftAuthenticator;
    beforeAll(async () => {
      owner = await signUp(t);
      authenticator = new SoftAuthenticator('http://localhost');
      expect((await addPasskey(owner, authenticator)).statusCode).toBe(201);
    });
    const start = async (client: TestClient) => {
      const response = await client.post('/api/v1/auth/passkey/options');
      expect(response.statusCode).toBe(200);
      return response.json() as { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON };
    };

    it('options ask for a discoverable passkey of this site, user verification preferred, and store the challenge for 5 minutes', async () => {
      const before = Date.now();
      const { challengeId, options } = await start(t.client());
      const after = Date.now();
      expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'preferred', timeout: 300_000 });
      expect(options.allowCredentials ?? []).toEqual([]);
      expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      const [row] = await t.database.db
        .select()
        .from(webauthnChallenges)
        .where(eq(webauthnChallenges.id, challengeId));
      expect(row).toMatchObject({ kind: 'authenticate', userId: null, challenge: options.challenge });
      expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 300_000);
      expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(after + 300_000);
    });

    it("signs in the passkey's owner and records the use", async () => {
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user: owner.user });
      expect(await sessionUser(browser)).toMatchObject({ id: owner.user.id });
      const [stored] = await t.database.db.select().from(passkeys).where(eq(passkeys.userId, owner.user.id));
      expect(stored?.lastUsedAt).toBeInstanceOf(Date);
      expect(stored?.counter).toBe(authenticator.credentials[0]?.counter);
    });

    it('a challenge is answered only once', async () => {
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      expect(
        (
          await browser.post('/api/v1/auth/passkey/verify', {
            challengeId,
            response: authenticator.authenticate(options),
          })
        ).statusCode,
      ).toBe(200);
      const again = await t
        .client()
        .post('/api/v1/auth/passkey/verify', { challengeId, response: authenticator.authenticate(options) });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
    });

    it('an expired challenge is refused', async () => {
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      await t.database.db
        .update(webauthnChallenges)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(webauthnChallenges.id, challengeId));
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
      expect(await sessionUser(browser)).toBeNull();
    });

    it.each([
      ['a forged signature', { wrongKey: true }],
      ['another origin', { origin: 'https://evil.example' }],
      ['an answer to another challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ])('refuses %s', async (_name, forgery) => {
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options, forgery),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'verification' } });
      expect(await sessionUser(browser)).toBeNull();
    });

    it('refuses a signature counter that did not move on (a cloned authenticator)', async () => {
      const first = await start(t.client());
      await t.client().post('/api/v1/auth/passkey/verify', {
        challengeId: first.challengeId,
        response: authenticator.authenticate(first.options),
      });
      const used = authenticator.credentials[0]!.counter;
      expect(used).toBeGreaterThan(0);
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options, { counter: used }),
      });
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'verification' } });
      expect(await sessionUser(browser)).toBeNull();
    });

    it("refuses a user handle that is not the passkey owner's", async () => {
      const other = await signUp(t);
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      const userHandle = Buffer.from(other.user.id).toString('base64url');
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options, { userHandle }),
      });
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'verification' } });
    });

    it('refuses a passkey that is not registered here', async () => {
      const stranger = new SoftAuthenticator('http://localhost');
      stranger.register({
        rp: { id: 'localhost', name: 'x' },
        user: { id: 'eA', name: 'x', displayName: 'x' },
        challenge: 'AAAA',
        pubKeyCredParams: [],
      });
      const browser = t.client();
      const { challengeId, options } = await start(browser);
      const response = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: stranger.authenticate(options),
      });
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'unknown-credential' } });
    });

    it('refuses a registration challenge used for signing in', async () => {
      const start = await owner.client.post('/api/v1/passkeys/register/options');
      const { challengeId, options } = start.json();
      const response = await t.client().post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate({ challenge: options.challenge, rpId: 'localhost' }),
      });
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
    });

    it('refuses a malformed response with E_VALIDATION', async () => {
      const { challengeId } = await start(t.client());
      const response = await t
        .client()
        .post('/api/v1/auth/passkey/verify', { challengeId, response: { id: 'x', type: 'password' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_VALIDATION' });
    });
  });
});

describe('auth routes behind https (PUBLIC_URL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: 'https://dystrack.example.org' } });
  });
  afterAll(() => t.close());

  it('marks the session cookie Secure', async () => {
    const response = await t
      .client()
      .post('/api/v1/auth/signup', { username: uniqueUsername(), password: TEST_PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.cookies.find((c) => c.name === 'dystrack_session')).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    });
  });

  it('binds passkeys to the public host name, not to the Host header', async () => {
    const response = await t
      .client()
      .request({ method: 'POST', url: '/api/v1/auth/passkey/options', headers: { host: 'evil.example' } });
    expect(response.json().options.rpId).toBe('dystrack.example.org');
  });
});

describe('credential rate limit (3 per minute)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { loginRateLimit: 3 } });
  });
  afterAll(() => t.close());

  it('answers 429 E_RATE_LIMITED to the fourth log-in with a user name from one address, even with the right password', async () => {
    const account = await signUp(t);
    for (let i = 0; i < 3; i++) {
      const response = await t
        .client()
        .post('/api/v1/auth/login', { username: account.username, password: 'wrong password' });
      expect(response.statusCode).toBe(401);
    }
    const fourth = await t
      .client()
      .post('/api/v1/auth/login', { username: account.username.toUpperCase(), password: account.password });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({ code: 'E_RATE_LIMITED' });
    expect(fourth.headers['retry-after']).toBeDefined();
    const otherName = await t
      .client()
      .post('/api/v1/auth/login', { username: uniqueUsername(), password: 'wrong password' });
    expect(otherName.statusCode).toBe(401);
  });

  it('limits recovery per user name', async () => {
    const username = uniqueUsername();
    const body = { username, recoveryCode: 'aaaa-bbbb-cccc', newPassword: NEW_PASSWORD };
    for (let i = 0; i < 3; i++)
      expect((await t.client().post('/api/v1/auth/recover', body)).statusCode).toBe(401);
    expect((await t.client().post('/api/v1/auth/recover', body)).json()).toMatchObject({
      code: 'E_RATE_LIMITED',
    });
  });

  it('limits reset links and passkey sign-in per address', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await t.client().post('/api/v1/auth/reset', { token: `t${i}`, newPassword: NEW_PASSWORD }))
          .statusCode,
      ).toBe(400);
    expect(
      (await t.client().post('/api/v1/auth/reset', { token: 'x', newPassword: NEW_PASSWORD })).statusCode,
    ).toBe(429);
    const response = {
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
      clientExtensionResults: {},
    };
    const verify = () =>
      t.client().post('/api/v1/auth/passkey/verify', { challengeId: crypto.randomUUID(), response });
    for (let i = 0; i < 3; i++) expect((await verify()).statusCode).toBe(400);
    const limited = await verify();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'E_RATE_LIMITED' });
  });
});
