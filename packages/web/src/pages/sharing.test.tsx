import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { Share } from '../sharing/api.js';
import { durationEnd, formatCode, scheduleWords, scopesProblem, scopesWords } from '../sharing/labels.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { SharingPage, SharingRedeemPage } from './sharing.js';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const DAY = 86_400_000;

const ACTIVE: Share = {
  id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  status: 'active',
  clinician: { id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', displayName: 'Dr Lee', username: 'lee' },
  scopes: ['tasks', 'diary'],
  createdAt: '2026-10-01T09:00:00Z',
  createdBy: 'patient',
  inviteExpiresAt: null,
  acceptedAt: '2026-10-02T09:00:00Z',
  expiresAt: null,
  revokedAt: null,
  lastVisitAt: null,
};

const PENDING: Share = {
  ...ACTIVE,
  id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  status: 'pending',
  clinician: null,
  scopes: ['reports'],
  createdAt: new Date(Date.now() - DAY).toISOString(),
  inviteExpiresAt: new Date(Date.now() + 6 * DAY + 2 * 3_600_000 + 60_000).toISOString(),
  acceptedAt: null,
};

const ENDED: Share = {
  ...ACTIVE,
  id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
  status: 'revoked',
  clinician: { id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', displayName: 'Dr Moss', username: 'moss' },
  scopes: ['treatments'],
  revokedAt: '2026-11-01T09:00:00Z',
};

type Call = { url: string; method: string; body: unknown };

/** A fake server: answers by method and path, records every call. */
function fakeServer(routes: Record<string, (body: unknown) => Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    calls.push({ url, method, body });
    const route = routes[`${method} ${url}`];
    if (!route) return json({ code: 'E_ROUTE_NOT_FOUND', message: `no route ${method} ${url}` }, 404);
    return route(body);
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
  return calls;
}

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('sharing words', () => {
  it('names scopes in a sentence and refuses adding entries alone', () => {
    expect(scopesWords(['tasks', 'diary', 'treatments'])).toBe('task recordings, diary and treatments');
    expect(scopesProblem([])).toMatch(/at least one/);
    expect(scopesProblem(['add-entries'])).toMatch(/only together with/);
    expect(scopesProblem(['add-entries', 'tasks'])).toMatch(/only together with/);
    expect(scopesProblem(['add-entries', 'treatments'])).toBeNull();
  });

  it('computes the end of a share: months from now, a chosen day to its end, or none', () => {
    const now = new Date(2026, 10, 27, 10, 0, 0);
    expect(durationEnd('open', '', now)).toBeNull();
    expect(new Date(durationEnd('3m', '', now)!).getMonth()).toBe(1);
    expect(new Date(durationEnd('1y', '', now)!).getFullYear()).toBe(2027);
    const end = new Date(durationEnd('date', '2027-03-03', now)!);
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours()]).toEqual([2027, 2, 3, 23]);
    expect(() => durationEnd('date', '2026-11-27', now)).toThrow(/after today/);
    expect(() => durationEnd('date', '2029-01-01', now)).toThrow(/2 years/);
    // the end of the last allowed day is still within two years of now, as the server requires
    const latest = Date.parse(durationEnd('date', '2028-11-26', now)!);
    expect(latest).toBeLessThanOrEqual(new Date(2028, 10, 27, 10, 0, 0).getTime());
    expect(() => durationEnd('date', '2028-11-27', now)).toThrow(/2 years/);
    expect(() => durationEnd('date', '', now)).toThrow(/last day/);
  });

  it('shows codes in groups of four whatever the case and spacing', () => {
    expect(formatCode('abcd efgh-jkmn')).toBe('ABCD-EFGH-JKMN');
    expect(formatCode('short')).toBe('short');
  });
});

describe('the sharing page', () => {
  it('lists active, waiting and ended shares in plain words', async () => {
    fakeServer({ 'GET /api/v1/shares': () => json({ items: [PENDING, ACTIVE, ENDED] }) });
    renderAt('/sharing', <SharingPage />, PATIENT_SESSION);
    const now = await screen.findByRole('region', { name: 'Sharing now' });
    expect(within(now).getByRole('heading', { name: /Dr Lee/ }).textContent).toMatch(/\(lee\)/);
    expect(now.textContent).toMatch(/task recordings and diary/);
    expect(now.textContent).toMatch(/you stop it/);
    expect(now.textContent).toMatch(/none marked yet/);
    const waiting = screen.getByRole('region', { name: 'Waiting for the clinician' });
    expect(waiting.textContent).toMatch(/clinician report/);
    expect(waiting.textContent).toMatch(/6 days and 2 hours more/);
    const ended = screen.getByRole('region', { name: 'Ended' });
    expect(ended.textContent).toMatch(/Dr Moss \(moss\).*treatments.*You stopped it/);
    expect(screen.getByRole('link', { name: 'I have a code from my clinician' }).getAttribute('href')).toBe(
      '/sharing/redeem',
    );
  });

  it('invites a clinician with the ticked scopes and length, then shows the code, link and QR code', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const created: Share = {
      ...PENDING,
      id: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
      scopes: ['tasks', 'scales'],
      inviteExpiresAt: new Date(Date.now() + 7 * DAY).toISOString(),
    };
    const calls = fakeServer({
      'GET /api/v1/shares': () => json({ items: [] }),
      'POST /api/v1/shares': () =>
        json(
          { share: created, code: 'ABCDEFGHJKMN', link: 'https://dys.example/clinic/redeem#ABCDEFGHJKMN' },
          201,
        ),
    });
    renderAt('/sharing', <SharingPage />, PATIENT_SESSION);
    await screen.findByText('You share nothing with anyone at the moment.');
    fireEvent.click(screen.getByRole('button', { name: 'Invite a clinician' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Task recordings/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Questionnaires and rating scales/ }));
    fireEvent.click(screen.getByRole('radio', { name: /For 1 year from today/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Make the code for my clinician' }));

    expect(await screen.findByText('ABCD-EFGH-JKMN')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    const body = post.body as { scopes: string[]; expiresAt: string };
    expect(body.scopes).toEqual(['tasks', 'scales']);
    const days = (Date.parse(body.expiresAt) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThan(370);
    expect(screen.getByText(/Valid for 7 days/)).toBeTruthy();
    expect((screen.getByLabelText('Or send this link to your clinician') as HTMLInputElement).value).toBe(
      'https://dys.example/clinic/redeem#ABCDEFGHJKMN',
    );
    const image = await screen.findByRole('img', { name: /QR code of the link/ });
    expect(image.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    fireEvent.click(screen.getByRole('button', { name: 'Copy the code' }));
    await screen.findByText('Code copied.');
    expect(writeText).toHaveBeenCalledWith('ABCD-EFGH-JKMN');
  });

  it('does not send an invitation that only lets the clinician add entries, and says why', async () => {
    const calls = fakeServer({ 'GET /api/v1/shares': () => json({ items: [] }) });
    renderAt('/sharing', <SharingPage />, PATIENT_SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Invite a clinician' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Let the clinician add entries/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Make the code for my clinician' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toMatch(/only together with/);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('changes what an active share gives (PATCH with the new scopes only)', async () => {
    const calls = fakeServer({
      'GET /api/v1/shares': () => json({ items: [ACTIVE] }),
      [`PATCH /api/v1/shares/${ACTIVE.id}`]: (body) => json({ ...ACTIVE, ...(body as object) }),
    });
    renderAt('/sharing', <SharingPage />, PATIENT_SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Change what is shared with Dr Lee' }));
    expect((screen.getByRole('checkbox', { name: /Diary/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: /Keep the end as it is/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('checkbox', { name: /Diary/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Treatments/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
    await screen.findByText(/Saved: Dr Lee now sees task recordings and treatments, until you stop it/);
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ scopes: ['tasks', 'treatments'] });
  });

  it('stops sharing only after confirmation, at once, and moves the share to the ended ones', async () => {
    const calls = fakeServer({
      'GET /api/v1/shares': () => json({ items: [ACTIVE] }),
      [`POST /api/v1/shares/${ACTIVE.id}/revoke`]: () =>
        json({ ...ACTIVE, status: 'revoked', revokedAt: new Date().toISOString() }),
    });
    renderAt('/sharing', <SharingPage />, PATIENT_SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Stop sharing with Dr Lee' }));
    const question = screen.getByRole('group', { name: /Stop sharing with Dr Lee\?/ });
    expect(question.textContent).toMatch(/takes effect at once/);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(within(question).getByRole('button', { name: 'No, go back' }));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Stop sharing with Dr Lee' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, stop sharing with Dr Lee' }));
    await screen.findByText(/Sharing with Dr Lee has stopped/);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual([
      `/api/v1/shares/${ACTIVE.id}/revoke`,
    ]);
    expect(screen.getByRole('region', { name: 'Ended' }).textContent).toMatch(/Dr Lee/);
    expect(screen.getByRole('region', { name: 'Sharing now' }).textContent).toMatch(/share nothing/);
  });
});

const PREVIEW = {
  clinician: { displayName: 'Dr Lee', username: 'lee' },
  note: 'Please record before each visit.',
  schedule: {
    version: 1,
    timeZone: 'Europe/Berlin',
    items: [
      {
        id: 'a',
        type: 'recurring',
        activity: 'typing',
        repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
        time: '18:00',
      },
    ],
  },
  expiresAt: new Date(Date.now() + 10 * DAY).toISOString(),
};

describe('the page of a clinician’s code', () => {
  it('summarises a proposed routine in words', () => {
    expect(scheduleWords(PREVIEW.schedule as Parameters<typeof scheduleWords>[0])).toEqual([
      'Typing on Monday and Thursday at 18:00',
    ]);
  });

  it('takes the code from the link, previews the invitation, and shares without the routine by default', async () => {
    window.history.replaceState(null, '', '/sharing/redeem#abcd-efgh-jkmn');
    const calls = fakeServer({
      'POST /api/v1/shares/invitations/preview': () => json(PREVIEW),
      'POST /api/v1/shares/invitations/redeem': (body) =>
        json(
          { share: { ...ACTIVE, scopes: (body as { scopes: string[] }).scopes }, scheduleApplied: false },
          201,
        ),
    });
    renderAt('/sharing/redeem', <SharingRedeemPage />, PATIENT_SESSION);
    expect(window.location.hash).toBe('');
    expect((screen.getByLabelText('The code') as HTMLInputElement).value).toBe('ABCD-EFGH-JKMN');
    await screen.findByRole('heading', { name: /Invitation from Dr Lee/ });
    expect(calls[0]).toMatchObject({
      url: '/api/v1/shares/invitations/preview',
      body: { code: 'abcd-efgh-jkmn' },
    });
    expect(screen.getByText('Please record before each visit.')).toBeTruthy();
    expect(screen.getByText('Typing on Monday and Thursday at 18:00')).toBeTruthy();
    const routine = screen.getByRole('checkbox', {
      name: /Use Dr Lee’s proposed routine/,
    }) as HTMLInputElement;
    expect(routine.checked).toBe(false);

    fireEvent.click(screen.getByRole('checkbox', { name: /Task recordings/ }));
    fireEvent.click(screen.getByRole('radio', { name: /^Until I stop it/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Share with Dr Lee' }));
    await screen.findByRole('heading', { name: 'Sharing has started' });
    const redeem = calls.find((c) => c.url === '/api/v1/shares/invitations/redeem')!;
    expect(redeem.body).toEqual({
      code: 'abcd-efgh-jkmn',
      scopes: ['tasks'],
      expiresAt: null,
      acceptSchedule: false,
    });
    expect(screen.getByRole('status').textContent).toMatch(/task recordings with Dr Lee, until you stop it/);
    expect(screen.getByRole('link', { name: 'Go to your sharing' }).getAttribute('href')).toBe('/sharing');
  });

  it('sends acceptSchedule only when the person ticks it', async () => {
    const calls = fakeServer({
      'POST /api/v1/shares/invitations/preview': () => json(PREVIEW),
      'POST /api/v1/shares/invitations/redeem': () => json({ share: ACTIVE, scheduleApplied: true }, 201),
    });
    renderAt('/sharing/redeem', <SharingRedeemPage />, PATIENT_SESSION);
    expect(calls).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('The code'), { target: { value: 'WXYZ 2345 6789' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show the invitation' }));
    await screen.findByRole('heading', { name: /Invitation from Dr Lee/ });
    fireEvent.click(screen.getByRole('checkbox', { name: /Diary/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Use Dr Lee’s proposed routine/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Share with Dr Lee' }));
    await screen.findByText(/Dr Lee’s routine is now your routine/);
    const redeem = calls.find((c) => c.url === '/api/v1/shares/invitations/redeem')!;
    expect(redeem.body).toMatchObject({ code: 'WXYZ 2345 6789', scopes: ['diary'], acceptSchedule: true });
  });

  it('says clearly when a code is used, expired or unknown, and checks the form of a typed code first', async () => {
    const calls = fakeServer({
      'POST /api/v1/shares/invitations/preview': () =>
        json(
          {
            code: 'E_NOT_FOUND',
            message:
              'This code has already been used. Each code works once: ask your clinician for a new code.',
            details: { reason: 'used' },
          },
          404,
        ),
    });
    renderAt('/sharing/redeem', <SharingRedeemPage />, PATIENT_SESSION);
    fireEvent.change(screen.getByLabelText('The code'), { target: { value: 'ABC' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show the invitation' }));
    expect(screen.getByText(/A code has 12 letters and digits/)).toBeTruthy();
    expect(calls).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('The code'), { target: { value: 'ABCD-EFGH-JKMN' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show the invitation' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'This code has already been used' })).toBeTruthy();
    expect(alert.textContent).toMatch(/Each code works once: ask your clinician for a new code/);
    expect(screen.queryByRole('button', { name: /Share with/ })).toBeNull();
  });

  it('shows a refusal of the redeem itself (the code was used meanwhile)', async () => {
    fakeServer({
      'POST /api/v1/shares/invitations/preview': () => json({ ...PREVIEW, schedule: null, note: null }),
      'POST /api/v1/shares/invitations/redeem': () =>
        json(
          { code: 'E_NOT_FOUND', message: 'This code has expired (codes work for 14 days).', details: null },
          404,
        ),
    });
    window.history.replaceState(null, '', '/sharing/redeem#ABCDEFGHJKMN');
    renderAt('/sharing/redeem', <SharingRedeemPage />, PATIENT_SESSION);
    await screen.findByText('They propose no routine.');
    expect(screen.queryByRole('checkbox', { name: /proposed routine/ })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: /Task recordings/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Share with Dr Lee' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/This code cannot be used.*has expired \(codes work for 14 days\)/);
  });
});
