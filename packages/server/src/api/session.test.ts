import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

describe('GET /api/v1/session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers { user: null } when no one is signed in', async () => {
    const response = await t.client().get('/api/v1/session');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: null });
  });

  it('answers the signed-in user with role, approval and scope', async () => {
    const { client, username, user } = await signUp(t);
    const response = await client.get('/api/v1/session');
    expect(response.json()).toEqual({
      user: {
        id: user.id,
        username,
        displayName: username,
        role: 'patient',
        roleApproved: true,
        scope: 'full',
      },
    });
  });

  it('answers null again after log-out, and a stale cookie does not sign anyone in', async () => {
    const { client } = await signUp(t);
    const stale = client.cookies.get('dystrack_session');
    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/v1/session')).json()).toEqual({ user: null });
    const other = t.client();
    other.cookies.set('dystrack_session', stale ?? '');
    expect((await other.get('/api/v1/session')).json()).toEqual({ user: null });
  });
});
