import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { passkeys, webauthnChallenges } from '../db/schema.js';
import { SoftAuthenticator } from '../test-utils/soft-authenticator.js';
import { addPasskey, signUp, type TestAccount } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

describe('passkey management (/api/v1/passkeys)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/v1/passkeys/register/options', () => {
    it('asks for a discoverable passkey bound to the Host of the request, with the account id as user handle', async () => {
      const account = await signUp(t);
      const before = Date.now();
      const response = await account.client.post('/api/v1/passkeys/register/options');
      const after = Date.now();
      expect(response.statusCode).toBe(200);
      const { challengeId, options } = response.json();
      expect(options).toMatchObject({
        rp: { id: 'localhost', name: 'Dystrack' },
        user: {
          id: Buffer.from(account.user.id).toString('base64url'),
          name: account.username,
          displayName: account.username,
        },
        attestation: 'none',
        timeout: 300_000,
        authenticatorSelection: {
          residentKey: 'required',
          requireResidentKey: true,
          userVerification: 'preferred',
        },
        excludeCredentials: [],
      });
      const [row] = await t.database.db
        .select()
        .from(webauthnChallenges)
        .where(eq(webauthnChallenges.id, challengeId));
      expect(row).toMatchObject({ kind: 'register', userId: account.user.id, challenge: options.challenge });
      expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 300_000);
      expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(after + 300_000);
    });

    it('takes the relying party from the Host header when no public URL is set', async () => {
      const account = await signUp(t);
      const response = await account.client.request({
        method: 'POST',
        url: '/api/v1/passkeys/register/options',
        headers: { host: 'dystrack.local:8080' },
      });
      expect(response.json().options.rp.id).toBe('dystrack.local');
    });

    it('lists the passkeys the account already has, so that one authenticator is not registered twice', async () => {
      const account = await signUp(t);
      const authenticator = new SoftAuthenticator('http://localhost');
      await addPasskey(account, authenticator);
      const { options } = (await account.client.post('/api/v1/passkeys/register/options')).json();
      expect(options.excludeCredentials).toEqual([
        { id: authenticator.credentials[0]!.id, type: 'public-key', transports: ['internal'] },
      ]);
    });

    it('needs a signed-in full session', async () => {
      const response = await t.client().post('/api/v1/passkeys/register/options');
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'E_UNAUTHENTICATED' });
    });
  });

  describe('POST /api/v1/passkeys/register/verify', () => {
    let account: TestAccount;
    beforeAll(async () => {
      account = await signUp(t);
    });

    it('stores the verified credential (public key only) and answers 201 with the passkey', async () => {
      const authenticator = new SoftAuthenticator('http://localhost');
      const response = await addPasskey(account, authenticator, 'My phone');
      expect(response.statusCode).toBe(201);
      const passkey = response.json();
      expect(passkey).toMatchObject({
        id: authenticator.credentials[0]!.id,
        name: 'My phone',
        lastUsedAt: null,
      });
      expect(Date.parse(passkey.createdAt)).not.toBeNaN();
      const [row] = await t.database.db.select().from(passkeys).where(eq(passkeys.id, passkey.id));
      expect(row).toMatchObject({ userId: account.user.id, counter: 0, transports: ['internal'] });
      expect(row!.publicKey.length).toBeGreaterThan(60);
    });

    it('names a passkey "Passkey" when no name is given', async () => {
      const authenticator = new SoftAuthenticator('http://localhost');
      const { challengeId, options } = (
        await account.client.post('/api/v1/passkeys/register/options')
      ).json();
      const response = await account.client.post('/api/v1/passkeys/register/verify', {
        challengeId,
        response: authenticator.register(options),
      });
      expect(response.json()).toMatchObject({ name: 'Passkey' });
    });

    it.each([
      ['another origin', { origin: 'https://evil.example' }],
      ['an answer to another challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ])('refuses a registration response for %s and stores nothing', async (_name, forgery) => {
      const authenticator = new SoftAuthenticator('http://localhost');
      const { challengeId, options } = (
        await account.client.post('/api/v1/passkeys/register/options')
      ).json();
      const response = await account.client.post('/api/v1/passkeys/register/verify', {
        challengeId,
        response: authenticator.register(options, forgery),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'verification' } });
      expect(
        await t.database.db.select().from(passkeys).where(eq(passkeys.id, authenticator.credentials[0]!.id)),
      ).toEqual([]);
    });

    it('refuses a credential created for another site (relying party id)', async () => {
      const authenticator = new SoftAuthenticator('http://localhost');
      const { challengeId, options } = (
        await account.client.post('/api/v1/passkeys/register/options')
      ).json();
      const response = authenticator.register({ ...options, rp: { ...options.rp, id: 'evil.example' } });
      const answer = await account.client.post('/api/v1/passkeys/register/verify', { challengeId, response });
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'verification' } });
    });

    it("refuses another account's challenge and a used one", async () => {
      const other = await signUp(t);
      const authenticator = new SoftAuthenticator('http://localhost');
      const { challengeId, options } = (await other.client.post('/api/v1/passkeys/register/options')).json();
      const response = authenticator.register(options);
      const stolen = await account.client.post('/api/v1/passkeys/register/verify', { challengeId, response });
      expect(stolen.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
      expect(
        (await other.client.post('/api/v1/passkeys/register/verify', { challengeId, response })).statusCode,
      ).toBe(201);
      const again = await other.client.post('/api/v1/passkeys/register/verify', { challengeId, response });
      expect(again.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
    });

    it('refuses an expired challenge', async () => {
      const authenticator = new SoftAuthenticator('http://localhost');
      const { challengeId, options } = (
        await account.client.post('/api/v1/passkeys/register/options')
      ).json();
      await t.database.db
        .update(webauthnChallenges)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(webauthnChallenges.id, challengeId));
      const response = await account.client.post('/api/v1/passkeys/register/verify', {
        challengeId,
        response: authenticator.register(options),
      });
      expect(response.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'challenge' } });
    });

    it('answers 409 E_CONFLICT for a credential id that is already registered, and keeps the first', async () => {
      const authenticator = new SoftAuthenticator('http://localhost');
      expect((await addPasskey(account, authenticator, 'Original')).statusCode).toBe(201);
      const credentialId = authenticator.credentials[0]!.id;
      const intruder = await signUp(t);
      const { challengeId, options } = (
        await intruder.client.post('/api/v1/passkeys/register/options')
      ).json();
      const response = new SoftAuthenticator('http://localhost').register(options, { credentialId });
      const answer = await intruder.client.post('/api/v1/passkeys/register/verify', {
        challengeId,
        response,
      });
      expect(answer.statusCode).toBe(409);
      expect(answer.json()).toMatchObject({ code: 'E_CONFLICT' });
      const rows = await t.database.db.select().from(passkeys).where(eq(passkeys.id, credentialId));
      expect(rows).toMatchObject([{ userId: account.user.id, name: 'Original' }]);
    });
  });

  describe('GET /api/v1/passkeys and DELETE /api/v1/passkeys/:id', () => {
    it("lists only the signed-in account's passkeys, oldest first", async () => {
      const account = await signUp(t);
      const other = await signUp(t);
      const authenticator = new SoftAuthenticator('http://localhost');
      await addPasskey(account, authenticator, 'First');
      await addPasskey(account, authenticator, 'Second');
      await addPasskey(other, new SoftAuthenticator('http://localhost'), 'Not mine');
      const response = await account.client.get('/api/v1/passkeys');
      expect(response.statusCode).toBe(200);
      expect(response.json().items.map((p: { name: string }) => p.name)).toEqual(['First', 'Second']);
    });

    it('removes a passkey, after which it no longer signs in', async () => {
      const account = await signUp(t);
      const authenticator = new SoftAuthenticator('http://localhost');
      const { id } = (await addPasskey(account, authenticator)).json();
      const removed = await account.client.delete(`/api/v1/passkeys/${id}`);
      expect(removed.statusCode).toBe(204);
      expect((await account.client.get('/api/v1/passkeys')).json().items).toEqual([]);
      const browser = t.client();
      const { challengeId, options } = (await browser.post('/api/v1/auth/passkey/options')).json();
      const signIn = await browser.post('/api/v1/auth/passkey/verify', {
        challengeId,
        response: authenticator.authenticate(options),
      });
      expect(signIn.json()).toMatchObject({ code: 'E_PASSKEY', details: { reason: 'unknown-credential' } });
    });

    it("answers 404 for another account's passkey and leaves it in place", async () => {
      const owner = await signUp(t);
      const intruder = await signUp(t);
      const { id } = (await addPasskey(owner, new SoftAuthenticator('http://localhost'))).json();
      const response = await intruder.client.delete(`/api/v1/passkeys/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'E_NOT_FOUND' });
      expect((await owner.client.get('/api/v1/passkeys')).json().items).toHaveLength(1);
    });

    it('needs a signed-in session', async () => {
      expect((await t.client().get('/api/v1/passkeys')).statusCode).toBe(401);
      expect((await t.client().delete('/api/v1/passkeys/abc')).statusCode).toBe(401);
    });
  });
});
