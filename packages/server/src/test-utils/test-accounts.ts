import { randomUUID } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { AuthUser } from '../authz.js';
import type { TestApp, TestClient } from './test-app.js';
import type { SoftAuthenticator } from './soft-authenticator.js';
import { createAdmin } from '../auth/users.js';

/** A password that passes the strength rules, for tests. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A signed-in test account: its browser, its user and what was shown at sign-up. */
export interface TestAccount {
  client: TestClient;
  user: AuthUser;
  username: string;
  password: string;
  recoveryCodes: string[];
}

/** A user name no other test uses. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Signs up a new account through the API in a browser of its own (signed in afterwards).
 * @param t - the test app
 * @param options - role, user name and password (defaults: a patient with a unique name)
 */
export async function signUp(
  t: TestApp,
  options: { role?: 'patient' | 'clinician' | 'researcher'; username?: string; password?: string } = {},
): Promise<TestAccount> {
  const client = t.client();
  const username = options.username ?? uniqueUsername(options.role ?? 'patient');
  const password = options.password ?? TEST_PASSWORD;
  const response = await client.post('/api/v1/auth/signup', {
    username,
    password,
    role: options.role ?? 'patient',
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as { user: AuthUser; recoveryCodes: string[] };
  return { client, user: body.user, username, password, recoveryCodes: body.recoveryCodes };
}

/**
 * Creates an admin the way the command line does and signs it in, in a browser of its own.
 * @param t - the test app
 */
export async function signInAdmin(t: TestApp): Promise<TestAccount> {
  const username = uniqueUsername('admin');
  const created = await createAdmin(t.database.db, { username, password: TEST_PASSWORD });
  const client = t.client();
  const response = await client.post('/api/v1/auth/login', { username, password: TEST_PASSWORD });
  if (response.statusCode !== 200)
    throw new Error(`admin log-in failed: ${response.statusCode} ${response.body}`);
  return {
    client,
    user: (response.json() as { user: AuthUser }).user,
    username,
    password: TEST_PASSWORD,
    recoveryCodes: created.recoveryCodes,
  };
}

/**
 * Adds a passkey to a signed-in account through the API, answered by a software authenticator.
 * @param account - the signed-in account
 * @param authenticator - the authenticator that creates the credential
 * @returns the response of the registration's verify step
 */
export async function addPasskey(account: TestAccount, authenticator: SoftAuthenticator, name = 'Phone') {
  const start = await account.client.post('/api/v1/passkeys/register/options');
  if (start.statusCode !== 200)
    throw new Error(`registration options failed: ${start.statusCode} ${start.body}`);
  const { challengeId, options } = start.json() as {
    challengeId: string;
    options: PublicKeyCredentialCreationOptionsJSON;
  };
  return account.client.post('/api/v1/passkeys/register/verify', {
    challengeId,
    response: authenticator.register(options),
    name,
  });
}
