import { randomUUID } from 'node:crypto';
import { createUser } from '../auth/users.js';
import { createSession, SESSION_COOKIE } from '../auth/sessions.js';
import type { Role } from '../db/schema.js';
import type { TestApp, TestClient } from './test-app.js';

/** A signed-in test user and the client whose cookie jar holds the session. */
export interface SignedIn {
  client: TestClient;
  user: { id: string; username: string; displayName: string; role: Role };
}

/**
 * Creates a user (argon2id password, as real accounts have) and a session for it, and returns a
 * client that sends the session cookie (and the CSRF header on state-changing requests).
 * @param t - the test app
 * @param options - role (default patient), an approved clinician/researcher role, the session scope
 */
export async function signedInClient(
  t: TestApp,
  options: { role?: Role; approved?: boolean; scope?: 'full' | 'record'; displayName?: string } = {},
): Promise<SignedIn> {
  const username = `user-${randomUUID().slice(0, 8)}`;
  const displayName = options.displayName ?? `Test ${username}`;
  const created = await createUser(t.database.db, {
    username,
    password: 'correct horse battery staple',
    displayName,
    role: options.role ?? 'patient',
    approved: options.approved ?? false,
  });
  const session = await createSession(t.database.db, created.id, {
    hours: 1,
    scope: options.scope ?? 'full',
  });
  const client = t.client();
  client.cookies.set(SESSION_COOKIE, session.token);
  return { client, user: { id: created.id, username, displayName, role: created.role } };
}
