// this test (in Node, not the browser) reads the server's sources, to check the words against its actions
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { join } from 'node:path';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { AuditItem } from '../sharing/api.js';
import { actionWords, actorWords, isRefused, userAgentWords } from '../sharing/labels.js';
import { PATIENT_SESSION, TEST_PATIENT, renderAt } from '../test/session.js';
import { ActivityPage } from './activity.js';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CLINICIAN = { id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', role: 'clinician', displayName: 'Dr Lee' };

/** Noon today: rows a few minutes before it are today whenever the test runs. */
function noonToday(): number {
  const noon = new Date();
  noon.setHours(12, 0, 0, 0);
  return noon.getTime();
}

/** An audit row `minutesAgo` minutes before noon today. */
function row(id: string, minutesAgo: number, extra: Partial<AuditItem>): AuditItem {
  return {
    id,
    at: new Date(noonToday() - minutesAgo * 60_000).toISOString(),
    actor: CLINICIAN,
    action: 'recording.read',
    resource: null,
    method: 'GET',
    route: '/api/v1/recordings/:id',
    status: 200,
    ip: '203.0.113.7',
    userAgent: FIREFOX,
    details: null,
    ...extra,
  };
}

function serve(pages: Record<string, { items: AuditItem[]; nextCursor: string | null }>) {
  const urls: string[] = [];
  const fetch = vi.fn(async (url: string) => {
    urls.push(url);
    const cursor = new URL(url, 'http://x').searchParams.get('cursor') ?? '';
    const page = pages[cursor];
    return page ? json(page) : json({ code: 'E_VALIDATION', message: 'bad cursor' }, 400);
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch });
  return urls;
}

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
});

describe('activity words', () => {
  it('turns action ids into plain phrases, and keeps unknown ones as they are', () => {
    expect(actionWords('recording.read')).toBe('opened one of your task recordings');
    expect(actionWords('diary.list')).toBe('looked at your diary entries');
    expect(actionWords('treatment.create')).toBe('added a treatment');
    expect(actionWords('clinician-scale.update')).toBe('changed a rating-scale total');
    expect(actionWords('share.revoke')).toBe('stopped sharing with a clinician');
    expect(actionWords('report.create')).toBe('made a clinician report (PDF)');
    expect(actionWords('report.attest')).toBe('made a signed work-capacity report (PDF)');
    expect(actionWords('study.participation.read')).toBe('looked at the studies you take part in');
    expect(actionWords('handover.redeem')).toBe('used a code to record on a phone');
    expect(actionWords('study.export')).toMatch(/de-identified/);
    expect(actionWords('frobnicate.now')).toBe('did “frobnicate.now”');
  });

  it('has words for every action the server writes into a patient’s log', () => {
    // the server's sources, read as text: the patient-data actions of authz.ts, and the actions its routes
    // name (`request.auditAs('…'`, `audit({ action: '…'`); entry kinds' `<kind>.<verb>` are built in code
    const server = join(import.meta.dirname, '../../../server/src/');
    const sources = (readdirSync(server, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-utils'))
      .map((file) => readFileSync(join(server, file), 'utf8'));
    const authz = readFileSync(join(server, 'authz.ts'), 'utf8');
    const actions = new Set([
      ...[...authz.matchAll(/^ {2}'([a-z.-]+)': \{ patientData: true/gm)].map((m) => m[1]!),
      ...sources.flatMap((text) => [...text.matchAll(/auditAs\(\s*'([a-z.-]+)'/g)].map((m) => m[1]!)),
      ...sources.flatMap((text) => [...text.matchAll(/audit\(\{\s*action: '([a-z.-]+)'/g)].map((m) => m[1]!)),
    ]);
    // the reading found the actions (a changed layout of authz.ts must not make this test pass on nothing)
    expect(actions.size).toBeGreaterThan(40);
    expect(actions).toContain('report.attest');
    expect([...actions].filter((action) => actionWords(action).startsWith('did “'))).toEqual([]);
  });

  it('names who did it', () => {
    expect(actorWords(null, TEST_PATIENT.id)).toBe('Someone not signed in');
    expect(actorWords({ id: TEST_PATIENT.id, role: 'patient', displayName: 'Ada' }, TEST_PATIENT.id)).toBe(
      'You',
    );
    expect(actorWords(CLINICIAN, TEST_PATIENT.id)).toBe('Dr Lee (clinician)');
    expect(actorWords({ id: 'x', role: 'admin', displayName: null }, TEST_PATIENT.id)).toBe(
      'An administrator',
    );
  });

  it('knows refused attempts and shortens browsers', () => {
    expect(isRefused({ status: 200, details: null })).toBe(false);
    expect(isRefused({ status: 403, details: null })).toBe(true);
    expect(isRefused({ status: 200, details: { denied: 'forbidden' } })).toBe(true);
    expect(userAgentWords(FIREFOX)).toBe('Firefox on Windows');
    expect(
      userAgentWords(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iPhone');
    expect(userAgentWords('curl/8.0')).toBe('curl/8.0');
    expect(userAgentWords(null)).toBeNull();
  });
});

describe('the activity page', () => {
  it('shows what others did in plain sentences, marks refused attempts, and hides my own by default', async () => {
    serve({
      '': {
        items: [
          row('5', 1, {
            actor: { id: TEST_PATIENT.id, role: 'patient', displayName: 'Ada' },
            action: 'diary.list',
          }),
          row('4', 2, {}),
          row('3', 3, {
            actor: null,
            action: 'recording.list',
            status: 401,
            ip: '198.51.100.9',
            userAgent: null,
          }),
          row('2', 4, { action: 'diary.read', status: 403, details: { denied: 'forbidden' } }),
          row('1', 5, { action: 'something.new' }),
        ],
        nextCursor: null,
      },
    });
    renderAt('/activity', <ActivityPage />, PATIENT_SESSION);
    const today = await screen.findByRole('region', { name: 'Today' });
    const rows = within(today).getAllByRole('listitem');
    expect(rows).toHaveLength(4);
    expect(rows[0]!.textContent).toMatch(/Dr Lee \(clinician\) opened one of your task recordings\./);
    expect(rows[0]!.textContent).toMatch(/From address 203\.0\.113\.7, Firefox on Windows/);
    expect(rows[0]!.textContent).not.toMatch(/Refused/);
    expect(rows[1]!.textContent).toMatch(
      /Refused: Someone not signed in tried: looked at the list of your task recordings\./,
    );
    expect(rows[1]!.className).toMatch(/refused/);
    expect(rows[2]!.textContent).toMatch(/Refused: Dr Lee \(clinician\) tried: opened a diary entry\./);
    expect(rows[3]!.textContent).toMatch(/did “something\.new”/);
    expect(screen.queryByText(/You looked at your diary entries/)).toBeNull();
    expect(screen.getByText(/1 thing you did yourself is hidden/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();

    const filter = screen.getByRole('checkbox', { name: 'Only other people' }) as HTMLInputElement;
    expect(filter.checked).toBe(true);
    fireEvent.click(filter);
    expect(screen.getByText(/You looked at your diary entries\./)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Today' })).getAllByRole('listitem')).toHaveLength(5);
  });

  it('loads earlier entries with the cursor of the previous page', async () => {
    const urls = serve({
      '': { items: [row('9', 1, {})], nextCursor: 'page-2' },
      'page-2': { items: [row('8', 2, { action: 'treatment.create' })], nextCursor: null },
    });
    renderAt('/activity', <ActivityPage />, PATIENT_SESSION);
    await screen.findByText(/opened one of your task recordings/);
    expect(urls).toEqual(['/api/v1/audit?limit=100']);
    fireEvent.click(screen.getByRole('button', { name: 'Load more (earlier)' }));
    await screen.findByText(/Dr Lee \(clinician\) added a treatment\./);
    expect(urls[1]).toBe('/api/v1/audit?limit=100&cursor=page-2');
    expect(screen.getByText(/opened one of your task recordings/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
  });

  it('says when there is nothing, or nothing by anyone else', async () => {
    serve({ '': { items: [], nextCursor: null } });
    renderAt('/activity', <ActivityPage />, PATIENT_SESSION);
    expect(await screen.findByText('Nothing has been recorded yet.')).toBeTruthy();
    cleanup();
    serve({
      '': {
        items: [row('1', 1, { actor: { id: TEST_PATIENT.id, role: 'patient', displayName: 'Ada' } })],
        nextCursor: 'more',
      },
    });
    renderAt('/activity', <ActivityPage />, PATIENT_SESSION);
    expect(
      await screen.findByText(/Nobody else has done anything with your data in the 1 most recent/),
    ).toBeTruthy();
    expect(screen.getByText(/Load more to look further back/)).toBeTruthy();
  });

  it('shows a failure to load, with a way to try again', async () => {
    setClientDeps({
      fetch: vi.fn(async () =>
        json({ code: 'E_INTERNAL', message: 'Something went wrong on the server.' }, 500),
      ),
    });
    renderAt('/activity', <ActivityPage />, PATIENT_SESSION);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/could not be loaded: Something went wrong on the server/);
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
