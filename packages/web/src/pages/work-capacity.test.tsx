import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import {
  VerifyPage,
  WorkCapacityPage,
  reportPdfUrl,
  type ShareLink,
  type Verification,
} from './work-capacity.js';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const REPORT = {
  id: '11111111-1111-4111-8111-111111111111',
  issuedAt: '2026-04-01T08:00:00.000Z',
  period: { from: '2026-03-01', to: '2026-03-31' },
  recordings: 2,
  code: 'ABCD-EFGH-JKMN-PQRS-TVWX',
};

const VERIFICATION: Verification = {
  overall: 'erased',
  summary:
    'The report is as the server signed it, but 1 of its 2 recordings was erased by their owner since.',
  signature: 'valid',
  chainIntact: true,
  checkedAgainstServer: true,
  problems: [],
  code: REPORT.code,
  reportId: REPORT.id,
  issuedAt: REPORT.issuedAt,
  period: REPORT.period,
  analysisVersion: '1.4.0',
  recordings: [
    {
      id: 'a',
      taskId: 'typing',
      hand: 'right',
      startedAt: '2026-03-02T09:00:00.000Z',
      provenance: 'self',
      status: 'matches',
      words: 'matches',
    },
    {
      id: 'b',
      taskId: 'typing',
      hand: 'right',
      startedAt: '2026-03-03T09:00:00.000Z',
      provenance: 'supervised',
      status: 'erased',
      words: 'recording erased by its owner on 2026-04-10',
    },
  ],
};

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('the work-capacity page', () => {
  it('lists issued reports, makes a read-only link and withdraws an open one', async () => {
    let links: ShareLink[] = [
      {
        id: 'l1',
        reportId: REPORT.id,
        createdAt: '2026-04-02T08:00:00.000Z',
        expiresAt: '2099-04-16T08:00:00.000Z',
        revokedAt: null,
        state: 'open',
      },
    ];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/v1/attest/reports') return json({ reports: [REPORT] });
      if (url === '/api/v1/attest/share-links' && init?.method === 'POST')
        return json(
          {
            ...links[0],
            id: 'l2',
            expiresAt: '2099-04-08T08:00:00.000Z',
            url: 'https://dystrack.example/verify#share=tok',
          },
          201,
        );
      if (url === '/api/v1/attest/share-links') return json({ links });
      if (url === '/api/v1/attest/share-links/l1' && init?.method === 'DELETE') {
        links = [{ ...links[0]!, state: 'revoked', revokedAt: '2026-04-03T08:00:00.000Z' }];
        return new Response(null, { status: 204 });
      }
      return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
    });
    setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
    renderAt('/reports/work-capacity', <WorkCapacityPage />, PATIENT_SESSION);
    expect(screen.getByText(/effort is not verified/)).toBeTruthy();
    expect(screen.getByText(/not a diagnosis and not legal advice/)).toBeTruthy();
    await screen.findByText(REPORT.code);
    const item = screen.getByRole('heading', { name: '1 March 2026 to 31 March 2026' }).closest('li')!;
    expect(within(item).getByRole('link', { name: 'Download this report (PDF)' }).getAttribute('href')).toBe(
      '/api/v1/attest/reports/11111111-1111-4111-8111-111111111111/pdf',
    );

    fireEvent.click(screen.getByRole('radio', { name: '1 week' }));
    fireEvent.click(screen.getByRole('button', { name: 'Make a read-only link to this report' }));
    const shown = await screen.findByLabelText('Read-only link');
    expect((shown as HTMLInputElement).value).toBe('https://dystrack.example/verify#share=tok');
    const post = fetch.mock.calls.find(
      ([url, init]) => url === '/api/v1/attest/share-links' && init?.method === 'POST',
    );
    expect(JSON.parse(String(post![1]!.body))).toEqual({ reportId: REPORT.id, days: 7 });

    const list = screen.getByRole('list', { name: 'Links to this report' });
    fireEvent.click(within(list).getByRole('button', { name: 'Withdraw this link' }));
    await waitFor(() => expect(within(list).getByText(/withdrawn/)).toBeTruthy());
  });

  it('issues a report of the chosen period with a POST, downloads its PDF and lists it; nothing is issued on a bad period', async () => {
    const NEW = { ...REPORT, id: '22222222-2222-4222-8222-222222222222', code: 'WXYZ-2345-6789-ABCD-EFGH' };
    let reports = [REPORT];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/v1/attest/reports' && init?.method === 'POST') {
        reports = [NEW, ...reports];
        return json({ ...NEW, pdf: reportPdfUrl(NEW.id) }, 201);
      }
      if (url === '/api/v1/attest/reports') return json({ reports });
      if (url === '/api/v1/attest/share-links') return json({ links: [] });
      return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
    });
    setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href')!);
    });
    renderAt('/reports/work-capacity', <WorkCapacityPage />, PATIENT_SESSION);
    await screen.findByText(REPORT.code);
    const make = screen.getByRole('button', { name: 'Make and download the signed report (PDF)' });

    fireEvent.change(screen.getByLabelText(/^First day/), { target: { value: '2026-04-01' } });
    fireEvent.change(screen.getByLabelText(/^Last day/), { target: { value: '2026-03-01' } });
    expect((make as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText(/^First day/), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText(/^Last day/), { target: { value: '2026-03-31' } });
    fireEvent.click(make);
    expect(await screen.findByText(/^Made the report of 1 March 2026 to 31 March 2026/)).toBeTruthy();
    expect(clicked).toEqual([reportPdfUrl(NEW.id)]);
    const posts = fetch.mock.calls.filter(([, init]) => init?.method === 'POST');
    expect(posts.map(([url, init]) => [url, JSON.parse(String(init!.body))])).toEqual([
      ['/api/v1/attest/reports', { from: '2026-03-01', to: '2026-03-31' }],
    ]);
    // the new report is in the list, with its code
    expect(await screen.findAllByText(NEW.code)).toHaveLength(2);
  });
});

describe('the verification page', () => {
  it('sends a chosen PDF and shows each recording as matches or erased with its date', async () => {
    const fetch = vi.fn(async () => json(VERIFICATION));
    setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
    renderAt('/verify', <VerifyPage />, { user: null });
    const file = new File(['%PDF-1.3 test'], 'report.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('Report PDF'), { target: { files: [file] } });
    await screen.findByRole('heading', { name: 'Unaltered, but recordings were erased since' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/attest/verify');
    expect(JSON.parse(String(init.body))).toEqual({ pdf: btoa('%PDF-1.3 test') });
    const rows = screen.getAllByRole('row');
    expect(rows[1]!.textContent).toContain('self-recorded at home');
    expect(rows[1]!.textContent).toContain('matches');
    expect(rows[2]!.textContent).toContain('supervised in clinic');
    expect(rows[2]!.textContent).toContain('recording erased by its owner on 2026-04-10');
    expect(screen.getByText(REPORT.code)).toBeTruthy();
  });

  it('shows the server’s words for a file that is not a report', async () => {
    setClientDeps({
      fetch: vi.fn(async () =>
        json({ code: 'E_VALIDATION', message: 'This PDF holds no Dystrack signed manifest.' }, 400),
      ) as unknown as typeof globalThis.fetch,
      csrfToken: () => 'csrf',
    });
    renderAt('/verify', <VerifyPage />, { user: null });
    fireEvent.change(screen.getByLabelText('Report PDF'), {
      target: { files: [new File(['x'], 'x.pdf', { type: 'application/pdf' })] },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('holds no Dystrack signed manifest');
  });

  it('opens a shared report from its link, clears the token from the address, and says when it was withdrawn', async () => {
    window.history.replaceState(null, '', '/verify#share=abcdefghijklmnopqrstuvwxyz012345');
    const fetch = vi.fn(async () => json(VERIFICATION));
    setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
    renderAt('/verify', <VerifyPage />, { user: null });
    expect(window.location.hash).toBe('');
    await screen.findByRole('button', { name: 'Download the report (PDF)' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/shared-reports/verification');
    expect(JSON.parse(String(init.body))).toEqual({ token: 'abcdefghijklmnopqrstuvwxyz012345' });
    cleanup();

    window.history.replaceState(null, '', '/verify#share=abcdefghijklmnopqrstuvwxyz012345');
    setClientDeps({
      fetch: vi.fn(async () =>
        json(
          {
            code: 'E_TOKEN_INVALID',
            message: 'The person withdrew this link on 2026-04-03.',
            details: { reason: 'revoked' },
          },
          400,
        ),
      ) as unknown as typeof globalThis.fetch,
    });
    renderAt('/verify', <VerifyPage />, { user: null });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The person withdrew this link on 2026-04-03.',
    );
    expect(screen.queryByRole('button', { name: 'Download the report (PDF)' })).toBeNull();
  });
});
