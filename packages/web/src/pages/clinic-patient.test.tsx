import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { User } from '../api/types.js';
import type { ShareScope } from '../clinic/api.js';
import { clinicPatient, mockApi, type Routes } from '../clinic/test-api.js';
import { makeRecording, seriesBefore, seriesWithChange } from '../test/fixtures.js';
import { renderAt } from '../test/session.js';
import { ClinicPatientPage } from './clinic-patient.js';

const CLINICIAN: User = {
  id: '77777777-7777-4777-8777-777777777777',
  username: 'dr',
  displayName: 'Dr Who',
  role: 'clinician',
  roleApproved: true,
  scope: 'full',
};
const SESSION = { user: CLINICIAN, profile: null };
const ID = '66666666-6666-4666-8666-666666666666';

const treatment = {
  id: 't1',
  revision: 1,
  at: '2026-10-01T00:00:00Z',
  revisedAt: '2026-10-01T10:00:00Z',
  revisedBy: CLINICIAN.id,
  clinicianEntered: true,
  data: {
    type: 'therapy',
    therapy: 'physiotherapy',
    otherText: null,
    start: '2026-10-01',
    stop: null,
    notes: null,
  },
};

function routes(scopes: ShareScope[], extra: Routes = {}): Routes {
  return {
    'GET /api/v1/clinician/patients': {
      status: 200,
      body: {
        items: [
          clinicPatient({ patientId: ID, scopes, changes: scopes.includes('tasks') ? undefined : null }),
        ],
      },
    },
    'GET /api/v1/metrics/overview': { status: 200, body: { analysisVersion: '1', items: [] } },
    'GET /api/v1/treatments': { status: 200, body: { items: [treatment], nextCursor: null } },
    'GET /api/v1/clinician-scales/totals': { status: 200, body: { items: [], nextCursor: null } },
    ...extra,
  };
}

function renderPage(section?: string) {
  return renderAt(
    `/clinic/patients/${ID}${section ? `/${section}` : ''}`,
    <ClinicPatientPage patientId={ID} section={section} />,
    SESSION,
  );
}

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('patient page', () => {
  it('shows the name, what is shared and until when, and marks unshared sections as not shared', async () => {
    const seen = mockApi(routes(['tasks', 'diary']));
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Jane Doe @jane' })).toBeTruthy();
    expect(screen.getByText('tasks and diary')).toBeTruthy();
    expect(screen.getByText('since 1 Sept 2026, until 1 Sept 2027')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Jane Doe’s records' });
    expect(within(nav).getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Treatments (not shared)' })).toBeTruthy();
    expect(within(nav).getByRole('link', { name: 'Diary' })).toBeTruthy();
    // the overview reads the patient's metrics, naming the patient
    expect(await screen.findByText('No measurements yet: the patient has not recorded a task.')).toBeTruthy();
    expect(seen.find((r) => r.path === '/api/v1/metrics/overview')!.query.get('patient')).toBe(ID);
  });

  it('an unshared section says “not shared”, never an error, and reads nothing', async () => {
    const seen = mockApi(routes(['tasks', 'diary']));
    renderPage('treatments');
    expect(
      await screen.findByText('Not shared: Jane Doe does not share their treatment log with you.'),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(seen.some((r) => r.path === '/api/v1/treatments')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Run a task in the clinic' })).toBeNull();
  });

  it('lists treatments without an add form when the patient does not allow adding entries', async () => {
    const seen = mockApi(routes(['treatments']));
    renderPage('treatments');
    expect(await screen.findByText('entered by clinician')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Add a treatment' })).toBeNull();
    expect(seen.find((r) => r.path === '/api/v1/treatments')!.query.get('patient')).toBe(ID);
  });

  it('with add-entries, adds a treatment to the patient’s record with ?patient=', async () => {
    const seen = mockApi(
      routes(['treatments', 'add-entries'], {
        'POST /api/v1/treatments': (request) => ({
          status: 201,
          body: {
            ...treatment,
            id: 't2',
            data: { ...(request.body as object), otherText: null, stop: null },
          },
        }),
      }),
    );
    renderPage('treatments');
    expect(await screen.findByRole('heading', { name: 'Add a treatment' })).toBeTruthy();
    // the list is on the page too (its article is labelled “Therapy, since …”): wait for it, so
    // that what the form's queries find does not depend on which request answers first
    expect(await screen.findByText('entered by clinician')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Therapy' }));
    fireEvent.click(screen.getByLabelText('Physiotherapy'));
    fireEvent.change(screen.getByLabelText('Started on'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the treatment' }));
    expect(await screen.findByText(/^Saved: /)).toBeTruthy();
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/v1/treatments');
    expect(post.query.get('patient')).toBe(ID);
    expect(post.body).toMatchObject({ type: 'therapy', therapy: 'physiotherapy', start: '2026-11-02' });
  });

  it('scale totals: the add form only with add-entries and scales', async () => {
    mockApi(routes(['scales']));
    renderPage('scales');
    expect(await screen.findByText('No rating-scale totals entered yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save the total' })).toBeNull();
    cleanup();

    const seen = mockApi(
      routes(['scales', 'add-entries'], {
        'POST /api/v1/clinician-scales/totals': (request) => ({
          status: 201,
          body: {
            id: 's1',
            revision: 1,
            at: '2026-11-02T00:00:00Z',
            revisedAt: '2026-11-02T10:00:00Z',
            revisedBy: CLINICIAN.id,
            clinicianEntered: true,
            data: { ...(request.body as object), enteredBy: 'clinician' },
          },
        }),
      }),
    );
    renderPage('scales');
    fireEvent.click(await screen.findByLabelText(/^Arm Dystonia Disability Scale/));
    fireEvent.change(screen.getByLabelText(/^Total of the ADDS/), { target: { value: '90' } });
    fireEvent.click(screen.getByLabelText(/A clinician/));
    fireEvent.click(screen.getByRole('button', { name: 'Save the total' }));
    expect(await screen.findByText(/^Saved: ADDS total 90/)).toBeTruthy();
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.query.get('patient')).toBe(ID);
    expect(post.body).toMatchObject({ scaleId: 'adds', total: 90, rater: { role: 'clinician' } });
  });

  it('records a visit and shows the new last-visit date', async () => {
    const seen = mockApi(
      routes(['diary'], {
        'POST /api/v1/clinician/patients/66666666-6666-4666-8666-666666666666/visits': {
          status: 200,
          body: { lastVisitAt: '2026-11-27T09:30:00Z' },
        },
        'GET /api/v1/diary/entries': { status: 200, body: { items: [], nextCursor: null } },
      }),
    );
    renderPage('diary');
    expect(await screen.findByText('3 Oct 2026')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Record a visit today' }));
    expect(await screen.findByText('Visit recorded: last visit 27 Nov 2026.')).toBeTruthy();
    expect(screen.getByText('27 Nov 2026')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('offers tasks to run in the clinic only when tasks are shared, linking to the in-clinic task page', async () => {
    mockApi(routes(['tasks']));
    renderPage('tasks');
    const link = await screen.findByRole('link', { name: 'Finger tapping, right hand' });
    expect(link.getAttribute('href')).toBe(`/clinic/patients/${ID}/tasks/tapping/right`);
    cleanup();
    mockApi(routes(['diary']));
    renderPage('tasks');
    expect(
      await screen.findByText(
        'Not shared: Jane Doe does not share their task recordings and trends with you.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Finger tapping, right hand' })).toBeNull();
  });

  it('a patient who no longer shares gets a calm notice, not an error page', async () => {
    mockApi({ 'GET /api/v1/clinician/patients': { status: 200, body: { items: [] } } });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Not shared with you' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('the reports section downloads the clinician report for the patient and period', async () => {
    mockApi(routes(['reports']));
    renderPage('reports');
    const link = await screen.findByRole('link', { name: 'Download the clinician report (PDF)' });
    const url = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/api/v1/reports/clinician.pdf');
    expect(url.searchParams.get('patient')).toBe(ID);
    expect(url.searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  const METRIC = 'hold_time_median_ms';
  const typing = makeRecording({ taskId: 'typing', hand: 'right', startedAt: '2026-01-10T09:00:00.000Z' });
  const series = seriesBefore(typing, [120, 122, 119, 121, 120, 150]);
  /** The overview and series routes of a patient with one typing trend (right hand, 4–9 January 2026). */
  function trendRoutes(): Routes {
    return {
      'GET /api/v1/metrics/overview': {
        status: 200,
        body: {
          analysisVersion: '1',
          items: [
            {
              task: 'typing',
              metricId: METRIC,
              hand: 'right',
              sessions: 6,
              first: series.points[0]!.startedAt,
              last: series.points.at(-1)!.startedAt,
              metric: null,
            },
          ],
        },
      },
      [`GET /api/v1/metrics/${METRIC}/series`]: {
        status: 200,
        body: seriesWithChange(series, 'typing', METRIC),
      },
    };
  }

  it('the overview marks the treatments the patient shares on the chart, in the clinician’s words, and reads no unshared diary', async () => {
    const seen = mockApi(
      routes(['tasks', 'treatments'], {
        ...trendRoutes(),
        'GET /api/v1/treatments': {
          status: 200,
          body: {
            items: [{ ...treatment, data: { ...treatment.data, start: '2026-01-07' } }],
            nextCursor: null,
          },
        },
      }),
    );
    renderPage();
    const right = await screen.findByRole('region', { name: /Key hold time, Right hand/ });
    await waitFor(() => expect(right.textContent).toMatch(/Treatments: therapy on /));
    expect(right.textContent).toContain('the patient’s usual day-to-day variation');
    expect(within(right).getByRole('heading', { level: 3, name: 'Right hand' })).toBeTruthy();
    expect(screen.getByText('The patient’s usual day-to-day variation (baseline band)')).toBeTruthy();
    // the legend names the treatment line, and no diary ratings, which are not shared
    const legend = screen.getByRole('region', { name: 'How to read the charts' });
    expect(within(legend).getByText('Treatment')).toBeTruthy();
    expect(within(legend).queryByText('Diary severity (0–10)')).toBeNull();
    expect(
      screen.getByText('The patient does not share their diary, so the charts show no diary ratings.'),
    ).toBeTruthy();
    expect(seen.find((r) => r.path === '/api/v1/treatments')!.query.get('patient')).toBe(ID);
    expect(seen.some((r) => r.path === '/api/v1/diary/entries')).toBe(false);
  });

  it('the overview draws the patient’s trend from the overview and series endpoints with ?patient=', async () => {
    const seen = mockApi(routes(['tasks'], trendRoutes()));
    renderPage();
    // the chart has its text alternative: a caption and a summary in words, and a table on request
    expect(await screen.findByText(/over time, right hand$/)).toBeTruthy();
    expect(screen.getByText(/6 sessions with a value/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show as table' })).toBeTruthy();
    const request = seen.find((r) => r.path === `/api/v1/metrics/${METRIC}/series`)!;
    expect(Object.fromEntries(request.query)).toEqual({ task: 'typing', hand: 'right', patient: ID });
  });
});
