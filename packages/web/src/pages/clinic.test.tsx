import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { User } from '../api/types.js';
import type { ClinicInvitation } from '../clinic/api.js';
import { clinicPatient, mockApi } from '../clinic/test-api.js';
import { renderAt } from '../test/session.js';
import { ClinicPage, ClinicRedeemPage } from './clinic.js';
import { normaliseCode } from '../sharing/labels.js';

const CLINICIAN: User = {
  id: '77777777-7777-4777-8777-777777777777',
  username: 'dr',
  displayName: 'Dr Who',
  role: 'clinician',
  roleApproved: true,
  scope: 'full',
};
const SESSION = { user: CLINICIAN, profile: null };

const steady = clinicPatient({
  patientId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  displayName: 'Anna Steady',
  username: 'anna',
});
const worse = clinicPatient({
  patientId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  displayName: 'Zoe Worse',
  username: 'zoe',
  scopes: ['tasks', 'treatments', 'add-entries'],
  changes: {
    since: '2026-10-03T09:00:00Z',
    worse: 2,
    better: 1,
    items: [
      {
        task: 'tapping',
        hand: 'right',
        metricId: 'tap_rate',
        label: 'Tapping speed',
        unit: 'taps/s',
        direction: 'worse',
        before: 5.1,
        latest: 3.9,
        latestAt: '2026-11-20T10:00:00Z',
      },
      {
        task: 'spiral',
        hand: 'right',
        metricId: 'spiral_time',
        label: 'Drawing time',
        unit: 's',
        direction: 'worse',
        before: 12,
        latest: 15,
        latestAt: '2026-11-20T10:00:00Z',
      },
      {
        task: 'tapping',
        hand: 'left',
        metricId: 'tap_rate',
        label: 'Tapping speed',
        unit: 'taps/s',
        direction: 'better',
        before: 4,
        latest: 5,
        latestAt: '2026-11-20T10:00:00Z',
      },
    ],
  },
});
const noTasks = clinicPatient({
  patientId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
  displayName: 'Bert Diary',
  username: 'bert',
  scopes: ['diary'],
  changes: null,
});

const openInvitation: ClinicInvitation = {
  id: 'inv-1',
  note: 'See you soon',
  hasSchedule: false,
  createdAt: '2026-11-20T10:00:00Z',
  expiresAt: '2026-12-04T10:00:00Z',
  usedAt: null,
  patient: null,
  cancelledAt: null,
  status: 'open',
};

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('clinician dashboard', () => {
  it('lists the patients with reliable worsening first, with their change flags and what they share', async () => {
    mockApi({
      'GET /api/v1/clinician/patients': { status: 200, body: { items: [steady, noTasks, worse] } },
      'GET /api/v1/clinician/invitations': { status: 200, body: { items: [] } },
    });
    renderAt('/clinic', <ClinicPage />, SESSION);
    const items = await screen.findAllByRole('article');
    expect(items.map((a) => within(a).getByRole('heading').textContent)).toEqual([
      'Zoe Worse @zoe',
      'Anna Steady @anna',
      'Bert Diary @bert',
    ]);
    const first = items[0]!;
    expect(within(first).getByText('2 reliably worse, 1 reliably better since 3 Oct 2026')).toBeTruthy();
    expect(
      within(first).getByText(
        'Tapping speed, right hand: 5.1 taps/s → 3.9 taps/s (reliably worse; latest 20 Nov 2026)',
      ),
    ).toBeTruthy();
    expect(within(first).getByText('tasks, treatments and adding entries')).toBeTruthy();
    expect(within(items[1]!).getByText('No reliable change since 3 Oct 2026')).toBeTruthy();
    expect(within(items[2]!).getByText('Task results are not shared')).toBeTruthy();
    // what reliable change means, in one line, without diagnostic words
    expect(screen.getByText(/larger than the measurement’s own session-to-session variation/)).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'Open Zoe Worse’s page' }).getAttribute('href')).toBe(
      `/clinic/patients/${worse.patientId}`,
    );
    expect(screen.getByRole('link', { name: 'I have a patient’s code' }).getAttribute('href')).toBe(
      '/clinic/redeem',
    );
  });

  it('makes an invitation with a note and a proposed weekly routine, and shows the code, link and validity', async () => {
    const seen = mockApi({
      'GET /api/v1/clinician/patients': { status: 200, body: { items: [] } },
      'GET /api/v1/clinician/invitations': { status: 200, body: { items: [] } },
      'POST /api/v1/clinician/invitations': {
        status: 201,
        body: {
          invitation: { ...openInvitation, id: 'inv-2', hasSchedule: true },
          code: 'ABCD-EFGH-JKMN',
          link: 'https://dystrack.test/sharing/redeem#ABCD-EFGH-JKMN',
        },
      },
    });
    renderAt('/clinic', <ClinicPage />, SESSION);
    expect(
      await screen.findByText(
        'No patient shares with you yet. Invite a patient, or enter the code a patient gave you.',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Invite a patient' }));
    fireEvent.change(screen.getByLabelText('Note to the patient (optional)'), {
      target: { value: 'Please record twice a week.' },
    });
    fireEvent.click(screen.getByLabelText('Propose a routine (which tasks, how often)'));
    fireEvent.change(screen.getByLabelText('What'), { target: { value: 'spiral' } });
    fireEvent.click(screen.getByRole('button', { name: 'Make the invitation code' }));

    expect(await screen.findByText('ABCD-EFGH-JKMN')).toBeTruthy();
    expect(screen.getByText(/Valid until 4 Dec 2026 \(14 days\)/)).toBeTruthy();
    expect((screen.getByLabelText('Link of the invitation') as HTMLInputElement).value).toBe(
      'https://dystrack.test/sharing/redeem#ABCD-EFGH-JKMN',
    );
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/v1/clinician/invitations');
    expect(post.body).toMatchObject({
      note: 'Please record twice a week.',
      schedule: {
        version: 1,
        items: [
          {
            type: 'recurring',
            activity: 'spiral',
            repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
            time: '18:00',
          },
        ],
      },
    });
    expect(typeof (post.body as { schedule: { timeZone: string } }).schedule.timeZone).toBe('string');
    // the list of invitations is read again
    await waitFor(() =>
      expect(
        seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/clinician/invitations'),
      ).toHaveLength(2),
    );
  });

  it('an invitation without a routine sends no schedule', async () => {
    const seen = mockApi({
      'GET /api/v1/clinician/patients': { status: 200, body: { items: [] } },
      'GET /api/v1/clinician/invitations': { status: 200, body: { items: [] } },
      'POST /api/v1/clinician/invitations': {
        status: 201,
        body: { invitation: openInvitation, code: 'ABCD-EFGH-JKMN', link: 'https://x/sharing/redeem#ABCD' },
      },
    });
    renderAt('/clinic', <ClinicPage />, SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Invite a patient' }));
    fireEvent.click(screen.getByRole('button', { name: 'Make the invitation code' }));
    await screen.findByText('ABCD-EFGH-JKMN');
    expect(seen.find((r) => r.method === 'POST')!.body).toEqual({});
  });

  it('cancelling an invitation asks first, then deletes it', async () => {
    let cancelled = false;
    const seen = mockApi({
      'GET /api/v1/clinician/patients': { status: 200, body: { items: [] } },
      'GET /api/v1/clinician/invitations': () => ({
        status: 200,
        body: { items: [cancelled ? { ...openInvitation, status: 'cancelled' } : openInvitation] },
      }),
      'DELETE /api/v1/clinician/invitations/inv-1': () => {
        cancelled = true;
        return { status: 204 };
      },
    });
    renderAt('/clinic', <ClinicPage />, SESSION);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel the invitation of 20 Nov 2026' }));
    fireEvent.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the invitation of 20 Nov 2026' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the invitation' }));
    expect(await screen.findByText(/its code no longer works/)).toBeTruthy();
    expect(await screen.findByText('Cancelled')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/api/v1/clinician/invitations/inv-1',
    ]);
  });
});

describe('redeeming a patient’s code', () => {
  it('normalises the code: case, spaces and hyphens do not matter', () => {
    expect(normaliseCode(' abcd-efgh jkmn ')).toBe('ABCDEFGHJKMN');
  });

  it('takes the code from the link’s fragment, redeems it and says what is shared until when', async () => {
    window.history.replaceState(null, '', '/clinic/redeem#abcd-efgh-jkmn');
    const seen = mockApi({
      'POST /api/v1/clinician/shares/redeem': {
        status: 200,
        body: {
          patientId: worse.patientId,
          displayName: 'Jane Doe',
          scopes: ['tasks', 'diary', 'add-entries'],
          expiresAt: '2027-03-01T00:00:00Z',
        },
      },
    });
    renderAt('/clinic/redeem', <ClinicRedeemPage />, SESSION);
    // the code left the address bar at once
    expect(window.location.hash).toBe('');
    expect((screen.getByLabelText(/The code/) as HTMLInputElement).value).toBe('abcd-efgh-jkmn');
    fireEvent.click(screen.getByRole('button', { name: 'Use the code' }));
    expect(
      await screen.findByText(
        /Jane Doe now shares task recordings and trends and diary with you until 1 Mar 2027\. You may also add/,
      ),
    ).toBeTruthy();
    expect(seen[0]!.body).toEqual({ code: 'ABCDEFGHJKMN' });
    expect(screen.getByRole('link', { name: 'Open Jane Doe’s page' }).getAttribute('href')).toBe(
      `/clinic/patients/${worse.patientId}`,
    );
  });

  it('says why a code was refused, and checks the form of a typed code before sending', async () => {
    const seen = mockApi({
      'POST /api/v1/clinician/shares/redeem': {
        status: 404,
        body: { code: 'E_NOT_FOUND', message: 'This code was already used.' },
      },
    });
    renderAt('/clinic/redeem', <ClinicRedeemPage />, SESSION);
    const field = screen.getByLabelText(/The code/);
    fireEvent.change(field, { target: { value: 'ABC' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use the code' }));
    expect(screen.getByText(/A code has 12 letters and digits/)).toBeTruthy();
    expect(seen).toHaveLength(0);
    fireEvent.change(field, { target: { value: 'ABCD EFGH JKMN' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use the code' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This code was already used. Ask the patient for a new code.',
    );
  });
});
