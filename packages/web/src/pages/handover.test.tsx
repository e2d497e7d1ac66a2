import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { User } from '../api/types.js';
import { Layout } from '../components/layout.js';
import { PATIENT_SESSION, TEST_PATIENT, renderAt } from '../test/session.js';
import { HandoverPage, PhonePage, countdownText, isLoopbackUrl } from './handover.js';

const PHONE_USER: User = { ...TEST_PATIENT, scope: 'record' };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('countdown and address helpers', () => {
  it('shows minutes and seconds, rounding up, never below zero', () => {
    expect(countdownText(300_000)).toBe('5:00');
    expect(countdownText(64_001)).toBe('1:05');
    expect(countdownText(999)).toBe('0:01');
    expect(countdownText(-5000)).toBe('0:00');
  });

  it('knows the addresses a phone cannot reach', () => {
    expect(isLoopbackUrl('http://localhost:8080/phone#x')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1:8080/phone#x')).toBe(true);
    expect(isLoopbackUrl('http://192.168.1.20:8080/phone#x')).toBe(false);
    expect(isLoopbackUrl('https://dystrack.example.org/phone#x')).toBe(false);
  });
});

describe('the phone page', () => {
  it('takes the token from the fragment, clears the address bar, and opens the chosen task', async () => {
    window.history.replaceState(null, '', '/phone#token-for-the-task');
    const fetch = vi.fn(async () => json({ user: PHONE_USER, task: 'tremor', hand: 'left' }));
    setClientDeps({ fetch, csrfToken: () => 'csrf' });
    const { location } = renderAt('/phone', <PhonePage />, { user: null });
    expect(window.location.hash).toBe('');
    await waitFor(() => expect(location.history.at(-1)).toBe('/tasks/tremor/left'));
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/handover/redeem');
    expect(JSON.parse(String(init.body))).toEqual({ token: 'token-for-the-task' });
  });

  it.each([
    ['used', 'This code has already been used'],
    ['expired', 'This code has expired'],
    ['unknown', 'This code is not valid'],
  ])('a %s code says so, with what to do', async (reason, title) => {
    window.history.replaceState(null, '', `/phone#token-${reason}`);
    setClientDeps({
      fetch: vi.fn(async () =>
        json(
          {
            code: 'E_TOKEN_INVALID',
            message: 'Each code works once: ask for a new code on your computer.',
            details: { reason },
          },
          400,
        ),
      ),
    });
    renderAt('/phone', <PhonePage />, { user: null });
    await screen.findByRole('heading', { name: title });
    expect(screen.getByRole('alert').textContent).toMatch(/new code on your computer/);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('without a token: explains how the page is opened, and asks the server nothing', () => {
    window.history.replaceState(null, '', '/phone');
    const fetch = vi.fn();
    setClientDeps({ fetch });
    renderAt('/phone', <PhonePage />, { user: null });
    expect(screen.getByRole('heading', { name: 'No code in this link' })).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a browser fully signed in asks before the code replaces that session', async () => {
    window.history.replaceState(null, '', '/phone#token-while-signed-in');
    const fetch = vi.fn(async () => json({ user: PHONE_USER, task: 'typing', hand: 'right' }));
    setClientDeps({ fetch });
    const { location } = renderAt('/phone', <PhonePage />, PATIENT_SESSION);
    expect(screen.getByText(/already signed in as/).textContent).toMatch(/Ada/);
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Use the code here' }));
    await waitFor(() => expect(location.history.at(-1)).toBe('/tasks/typing/right'));
  });
});

describe('the desk page', () => {
  it('makes a code for the chosen task and hand, draws it, and explains what is missing without https', async () => {
    const fetch = vi.fn(async () =>
      json(
        {
          id: '22222222-2222-4222-8222-222222222222',
          url: 'http://localhost:8080/phone#secret-token',
          expiresAt: new Date(Date.now() + 300_000).toISOString(),
          state: 'waiting',
          task: 'tremor',
          hand: 'left',
          usedAt: null,
          https: false,
          publicUrlSet: false,
        },
        201,
      ),
    );
    setClientDeps({ fetch, csrfToken: () => 'csrf' });
    renderAt('/handover', <HandoverPage />, PATIENT_SESSION);
    // tremor is chosen by default; the right hand is the profile's affected one
    expect((screen.getByRole('radio', { name: 'Phone tremor' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: /The right hand/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /The left hand/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Show the code' }));
    const image = await screen.findByRole('img', { name: /QR code: opens Dystrack on your phone/ });
    expect(image.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({ task: 'tremor', hand: 'left' });
    expect((screen.getByLabelText('Or open this link on your phone') as HTMLInputElement).value).toBe(
      'http://localhost:8080/phone#secret-token',
    );
    expect(screen.getByRole('timer').textContent).toMatch(/Valid for [45]:\d\d more minutes/);
    expect(screen.getByRole('note').textContent).toMatch(/Phones, HTTPS and reverse proxies/);
    expect(screen.getByRole('note').textContent).toMatch(/only works on this computer/);
  });
});

describe('the layout of a phone signed in for recording only', () => {
  it('shows whose recordings the phone makes, a sign-out for the phone, and only the tasks', () => {
    renderAt(
      '/',
      <Layout>
        <p>page</p>
      </Layout>,
      { user: PHONE_USER },
    );
    expect(screen.getByText('Recording for Ada on this phone')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out of this phone' })).toBeTruthy();
    const links = screen.getByRole('navigation', { name: 'Main' }).querySelectorAll('a');
    expect([...links].map((a) => a.textContent)).toEqual(['Tasks', 'Learn']);
  });
});
