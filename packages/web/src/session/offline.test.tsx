import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { queueSender } from '../queue/index.js';
import { TEST_PATIENT, TEST_PROFILE } from '../test/session.js';
import { lastSession, rememberSession, signOutPending } from './last-session.js';
import { SessionProvider, useSession } from './session.js';

/*
 * The session when the server cannot be reached: the person the server last confirmed on this device goes
 * on using the app (offline), until the server answers again or says the session has ended.
 */

let server: 'up' | 'down' | 'signed-out' = 'up';
/** Whether the fake server's session was ended by a sign-out. */
let ended = false;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const fakeFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = String(input);
  if (server === 'down') throw new TypeError('Failed to fetch');
  if (server === 'signed-out') return json(401, { code: 'E_UNAUTHENTICATED', message: 'Please sign in.' });
  if (init?.method === 'POST') {
    if (url.endsWith('/api/v1/auth/logout')) ended = true;
    return new Response(null, { status: 204 });
  }
  if (url.endsWith('/api/v1/session')) return json(200, { user: ended ? null : TEST_PATIENT });
  if (url.endsWith('/api/v1/profile')) return json(200, TEST_PROFILE);
  return json(404, { code: 'E_ROUTE_NOT_FOUND', message: 'Not here.' });
});

function Probe() {
  const session = useSession();
  return (
    <>
      <p data-testid="session">
        {session.status} {session.user?.displayName ?? 'nobody'} {session.profile ? 'with profile' : ''}
      </p>
      <button type="button" onClick={() => void session.refresh()}>
        Ask again
      </button>
      <button type="button" onClick={() => void session.signOut()}>
        Sign out
      </button>
    </>
  );
}

function start() {
  return render(
    <SessionProvider>
      <Probe />
    </SessionProvider>,
  );
}

const shown = () => screen.getByTestId('session').textContent?.trim();

beforeEach(() => {
  server = 'up';
  ended = false;
  setClientDeps({ fetch: fakeFetch });
});
afterEach(() => {
  cleanup();
  setClientDeps();
  localStorage.clear();
  vi.restoreAllMocks();
});

describe('the session without the server', () => {
  it('opens for the person last confirmed on this device, with their profile, marked as unreachable', async () => {
    start();
    await waitFor(() => expect(shown()).toBe('ready Ada with profile'));
    cleanup();

    server = 'down';
    start();
    await waitFor(() => expect(shown()).toBe('error Ada with profile'));
  });

  it('signs nobody in when nobody was confirmed on this device', async () => {
    server = 'down';
    start();
    await waitFor(() => expect(shown()).toBe('error nobody'));
  });

  it('forgets the person when the server says the session has ended, or when they sign out', async () => {
    rememberSession(TEST_PATIENT, TEST_PROFILE);
    server = 'signed-out';
    start();
    await waitFor(() => expect(shown()).toBe('ready nobody'));
    expect(lastSession()).toBeNull();
    cleanup();

    server = 'up';
    start();
    await waitFor(() => expect(shown()).toBe('ready Ada with profile'));
    expect(lastSession()?.user.id).toBe(TEST_PATIENT.id);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(shown()).toBe('ready nobody'));
    expect(lastSession()).toBeNull();
  });

  it('signing out without the server forgets the person here at once, and ends the server session at its next answer', async () => {
    start();
    await waitFor(() => expect(shown()).toBe('ready Ada with profile'));
    server = 'down';
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(shown()).toBe('ready nobody'));
    expect(lastSession()).toBeNull();
    expect(signOutPending()).toBe(true);
    cleanup();

    // still offline: the app does not open for the person who signed out
    start();
    await waitFor(() => expect(shown()).toBe('error nobody'));
    cleanup();

    // the server answers: the sign-out reaches it first, and nobody is signed in
    server = 'up';
    fakeFetch.mockClear();
    start();
    await waitFor(() => expect(shown()).toBe('ready nobody'));
    expect(ended).toBe(true);
    expect(String(fakeFetch.mock.calls[0]![0])).toContain('/api/v1/auth/logout');
    expect(signOutPending()).toBe(false);
  });

  it('sends what waited at once when the server answers again', async () => {
    const flush = vi.spyOn(queueSender(), 'flush');
    rememberSession(TEST_PATIENT, TEST_PROFILE);
    server = 'down';
    start();
    await waitFor(() => expect(shown()).toBe('error Ada with profile'));
    flush.mockClear();

    server = 'up';
    fireEvent.click(screen.getByRole('button', { name: 'Ask again' }));
    await waitFor(() => expect(shown()).toBe('ready Ada with profile'));
    expect(flush).toHaveBeenCalledWith({ force: true });
  });
});
