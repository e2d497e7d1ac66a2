import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { ReportsPage, monthsBefore, periodProblem, reportUrl } from './reports.js';
import { localToday } from './scales-entry-parts.js';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A server whose treatment log holds the given botulinum-toxin injection dates. */
function treatmentLog(dates: string[]) {
  const fetch = vi.fn(async () =>
    json({
      items: dates.map((date, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        revision: 1,
        at: `${date}T00:00:00.000Z`,
        revisedAt: `${date}T00:00:00.000Z`,
        revisedBy: 'x',
        data: { type: 'botulinum-toxin', date },
      })),
      next: null,
    }),
  );
  setClientDeps({ fetch, csrfToken: () => 'csrf' });
  return fetch;
}

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
});

describe('period helpers', () => {
  it('goes back whole calendar months, keeping the day where the month has it', () => {
    expect(monthsBefore('2026-11-26', 3)).toBe('2026-08-26');
    expect(monthsBefore('2026-05-31', 3)).toBe('2026-02-28');
    expect(monthsBefore('2026-01-15', 12)).toBe('2025-01-15');
  });

  it('says what is wrong with a period the server would refuse', () => {
    expect(periodProblem('2026-01-01', '2026-03-31')).toBeNull();
    expect(periodProblem('', '2026-03-31')).toBe('Choose both dates.');
    expect(periodProblem('2026-04-01', '2026-03-31')).toMatch(/after the last day/);
    expect(periodProblem('2020-01-01', '2026-03-31')).toMatch(/at most 5 years/);
  });

  it('builds the report address with the period', () => {
    expect(reportUrl('2026-01-01', '2026-03-31')).toBe(
      '/api/v1/reports/clinician.pdf?from=2026-01-01&to=2026-03-31',
    );
  });
});

describe('the reports page', () => {
  it('offers the last 3 months by default, explains the report, and links the PDF of that period', async () => {
    treatmentLog([]);
    renderAt('/reports', <ReportsPage />, PATIENT_SESSION);
    expect(screen.getByRole('heading', { name: 'The clinician report' })).toBeTruthy();
    expect(screen.getByText(/It does not diagnose/)).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'The last 3 months' }) as HTMLInputElement).checked).toBe(true);
    const today = localToday();
    const link = screen.getByRole('link', { name: 'Download the clinician report (PDF)' });
    expect(link.getAttribute('href')).toBe(reportUrl(monthsBefore(today, 3), today));
    expect(link.hasAttribute('download')).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'The last year' }));
    expect(
      screen.getByRole('link', { name: 'Download the clinician report (PDF)' }).getAttribute('href'),
    ).toBe(reportUrl(monthsBefore(today, 12), today));
    // no injection in the log: no such choice
    await waitFor(() => expect(screen.queryByRole('radio', { name: /Since the last injection/ })).toBeNull());
  });

  it('offers the period since the latest injection when the log has one', async () => {
    const fetch = treatmentLog(['2026-03-02', '2026-06-01']);
    renderAt('/reports', <ReportsPage />, PATIENT_SESSION);
    const choice = await screen.findByRole('radio', { name: /Since the last injection/ });
    expect(screen.getByText('From 1 June 2026')).toBeTruthy();
    fireEvent.click(choice);
    expect(
      screen.getByRole('link', { name: 'Download the clinician report (PDF)' }).getAttribute('href'),
    ).toBe(reportUrl('2026-06-01', localToday()));
    expect(String((fetch.mock.calls[0] as unknown as [string])[0])).toContain('/api/v1/treatments');
  });

  it('takes two dates and refuses a period that ends before it starts', () => {
    treatmentLog([]);
    renderAt('/reports', <ReportsPage />, PATIENT_SESSION);
    fireEvent.click(screen.getByRole('radio', { name: 'Dates I choose' }));
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2026-02-01' } });
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2026-04-30' } });
    expect(
      screen.getByRole('link', { name: 'Download the clinician report (PDF)' }).getAttribute('href'),
    ).toBe(reportUrl('2026-02-01', '2026-04-30'));
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2026-01-15' } });
    expect(screen.queryByRole('link', { name: 'Download the clinician report (PDF)' })).toBeNull();
    expect(
      (screen.getByRole('button', { name: 'Download the clinician report (PDF)' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    expect(screen.getByText('The first day is after the last day: swap them.')).toBeTruthy();
  });
});
