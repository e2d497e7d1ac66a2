import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { MetricSeries } from '../api/types.js';
import { makeRecording, seriesBefore, seriesWithChange } from '../test/fixtures.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { TrendsPage } from './trends.js';

const METRIC = 'hold_time_median_ms';
const typing = makeRecording({ taskId: 'typing', hand: 'right', startedAt: '2026-01-10T09:00:00.000Z' });

/** Right-hand hold times a day apart, the last of them on 9 January 2026. */
function rightSeries(values: number[]): MetricSeries {
  return seriesBefore(typing, values);
}

/** A fake server with an overview of the given series, and empty diary and treatments unless given. */
function serve(
  byHand: Record<string, MetricSeries>,
  options: { diary?: unknown[]; treatments?: unknown[] } = {},
) {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/api/v1/metrics/overview')
      return json({
        analysisVersion: '1.0.0',
        items: Object.entries(byHand).map(([hand, series]) => ({
          task: 'typing',
          metricId: METRIC,
          hand,
          sessions: series.points.length,
          first: series.points[0]!.startedAt,
          last: series.points.at(-1)!.startedAt,
          metric: null,
        })),
      });
    if (url.pathname === `/api/v1/metrics/${METRIC}/series`) {
      const series = byHand[url.searchParams.get('hand') ?? ''];
      if (!series || url.searchParams.get('task') !== 'typing')
        return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
      return json(seriesWithChange(series, 'typing', METRIC));
    }
    if (url.pathname === '/api/v1/diary/entries')
      return json({ items: options.diary ?? [], nextCursor: null });
    if (url.pathname === '/api/v1/treatments')
      return json({ items: options.treatments ?? [], nextCursor: null });
    return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
  return fetch;
}

function renderPage() {
  return renderAt('/trends', <TrendsPage />, PATIENT_SESSION);
}

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('TrendsPage', () => {
  it('says the baseline, the latest value and the reliable change in words under the chart', async () => {
    // baseline 90, 100, 110 ms (mean 100, S_w 10, SDC95 49.7 ms), then 160 ms: a reliable change, worse
    serve({ right: rightSeries([90, 100, 110, 160]) });
    const { container } = renderPage();
    const section = await screen.findByRole('region', { name: 'Key hold time, Right hand (affected)' });
    const figure = within(section).getByRole('figure', { name: 'Key hold time over time, right hand' });
    expect(figure.textContent).toContain(
      'Baseline: 100 ms, the average of 3 sessions on the current device and browser. Values from 50.3 ms to 150 ms are within your usual day-to-day variation',
    );
    expect(figure.textContent).toMatch(/Latest session judged \([^)]+\): 160 ms\./);
    expect(section.textContent).toContain(
      '60 ms higher than the baseline: more than day-to-day variation explains, a reliable change; for this measure that is the direction counted as worse.',
    );
    expect(section.textContent).toContain(
      '1 session was reliably different from the baseline before it: 1 worse (triangles).',
    );
    expect(section.textContent).toContain('The first 2 sessions are marked P for practice');
    // the chart is drawn (Observable Plot SVG): circles for the sessions, one triangle (a path) for the change
    // the chart is drawn in an effect after the section is on the page
    await waitFor(() => expect(container.querySelector('.trends__plot svg')).not.toBeNull());
    expect(container.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(3);
    expect(container.querySelectorAll('g[aria-label="dot"] path')).toHaveLength(1);
    expect((screen.getByRole('radio', { name: 'Typing' }) as HTMLInputElement).checked).toBe(true);
  });

  it('shows flagged sessions but leaves them out of the baseline and the change', async () => {
    const series = rightSeries([90, 400, 100, 110, 160]);
    series.points[1] = { ...series.points[1]!, flags: ['TOO_FEW_EVENTS'], excluded: true };
    serve({ right: series });
    renderPage();
    const section = await screen.findByRole('region', { name: /Key hold time, Right hand/ });
    // still the baseline of 90, 100, 110: the flagged 400 ms neither widened the band nor counted
    expect(section.textContent).toContain('Baseline: 100 ms, the average of 3 sessions');
    expect(section.textContent).toContain('5 sessions with a value');
    expect(section.textContent).toContain('1 of them left out of the statistics for quality notes');
    expect(section.textContent).toContain('a reliable change');
    fireEvent.click(within(section).getByRole('button', { name: 'Show as table' }));
    const rows = within(within(section).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows[1]!.textContent).toContain('400 ms');
    expect(rows[1]!.textContent).toContain('Left out of the statistics (quality notes)');
    expect(rows[1]!.textContent).toContain('Quality notes:');
    expect(rows[4]!.textContent).toContain('Reliable change, worse');
  });

  it('starts a new line segment and a new baseline where the device changes', async () => {
    const series = rightSeries([90, 100, 110, 105, 300, 310]);
    for (const i of [4, 5])
      series.points[i] = { ...series.points[i]!, setupKey: 'Safari|iPhone|', segment: 1 };
    serve({ right: series });
    const { container } = renderPage();
    const section = await screen.findByRole('region', { name: /Key hold time, Right hand/ });
    expect(section.textContent).toMatch(
      /On [^.]+ the device or browser changed \(dashed line\): a new baseline starts there\./,
    );
    // one line per setup segment
    await waitFor(() => expect(container.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2));
    // the phone's two sessions have no baseline of their own yet: no reliable change is called on them
    expect(section.textContent).toContain('No session was reliably different from its baseline.');
    expect(section.textContent).toContain(
      'Baseline: 300 ms, the average of 1 session on the current device and browser.',
    );
    expect(section.textContent).toContain('there are not yet enough sessions to tell a real change');
  });

  it('opens and closes the data table from the keyboard-reachable button', async () => {
    serve({ right: rightSeries([90, 100, 110, 160]) });
    renderPage();
    const section = await screen.findByRole('region', { name: /Key hold time, Right hand/ });
    const toggle = within(section).getByRole('button', { name: 'Show as table' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(section).queryByRole('table')).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const table = within(section).getByRole('table', { name: /Key hold time, right hand: every session/ });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(5);
    expect(rows[1]!.textContent).toContain('Practice session');
    expect(rows[4]!.textContent).toContain('160 ms');
    fireEvent.click(within(section).getByRole('button', { name: 'Hide the table' }));
    expect(within(section).queryByRole('table')).toBeNull();
  });

  it('compares the affected hand with the other and overlays treatments', async () => {
    const left = seriesBefore({ ...typing, hand: 'left' }, [50, 50, 50, 50]);
    serve(
      { left, right: rightSeries([90, 100, 110, 160]) },
      {
        treatments: [
          {
            id: 't1',
            revision: 1,
            at: '2026-01-07T00:00:00Z',
            revisedAt: '2026-01-07T00:00:00Z',
            revisedBy: 'me',
            data: { type: 'botulinum-toxin', date: '2026-01-07', injections: [] },
          },
        ],
      },
    );
    renderPage();
    const ratio = await screen.findByRole('region', { name: 'Affected hand against the other hand' });
    expect(ratio.textContent).toContain(
      'On 4 days with both hands, the value of the right hand (affected) was on average',
    );
    // the latest day: 160 ms against 50 ms
    expect(ratio.textContent).toMatch(/it was 3\.2 times\./);
    const right = screen.getByRole('region', { name: /Key hold time, Right hand/ });
    await waitFor(() => expect(right.textContent).toMatch(/Treatments: botulinum toxin injection on /));
    // both hands are offered, and one can be chosen
    fireEvent.click(screen.getByRole('radio', { name: 'Left hand' }));
    expect(screen.queryByRole('region', { name: /Key hold time, Right hand/ })).toBeNull();
    expect(screen.getByRole('region', { name: /Key hold time, Left hand/ })).toBeTruthy();
  });

  it('says what to record when there is no data yet, with a link to the tasks', async () => {
    serve({});
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No trends yet' })).toBeTruthy();
    expect(screen.getByText(/do a task on at least 3 different days/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Choose a task to record' }).getAttribute('href')).toBe('/');
  });
});
