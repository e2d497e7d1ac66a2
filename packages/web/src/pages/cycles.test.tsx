import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { MetricSeries } from '../api/types.js';
import { seriesWithChange, toxinEntry } from '../test/fixtures.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { CyclesPage } from './cycles.js';

const METRIC = 'hold_time_median_ms';
const DAY = 86_400_000;
const INJECTION = '2026-03-02';
const START = new Date(2026, 2, 2).getTime();

/** Right-hand hold times at 10:00 on days since the injection day. */
function series(values: [day: number, ms: number][]): MetricSeries {
  return {
    hand: 'right',
    analysisVersion: '1.0.0',
    points: values.map(([day, value], i) => ({
      recordingId: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      startedAt: new Date(START + day * DAY + 10 * 3_600_000).toISOString(),
      value,
      flags: [],
      excluded: false,
      segment: 0,
      setupKey: 'laptop',
    })),
  };
}

/** A fake server with one right-hand series of the typing hold time and the given treatments. */
function serve(right: MetricSeries, treatments: unknown[] | 'fail') {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/api/v1/metrics/overview')
      return json({
        analysisVersion: '1.0.0',
        items: [
          {
            task: 'typing',
            metricId: METRIC,
            hand: 'right',
            sessions: right.points.length,
            first: right.points[0]!.startedAt,
            last: right.points.at(-1)!.startedAt,
            metric: null,
          },
        ],
      });
    if (url.pathname === `/api/v1/metrics/${METRIC}/series`)
      return json(seriesWithChange(right, 'typing', METRIC));
    if (url.pathname === '/api/v1/treatments') {
      if (treatments === 'fail') return json({ code: 'E_INTERNAL', message: 'The server failed.' }, 500);
      expect(url.searchParams.get('type')).toBe('botulinum-toxin');
      return json({ items: treatments, nextCursor: null });
    }
    return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
  return fetch;
}

const renderPage = () => renderAt('/trends/cycles', <CyclesPage />, PATIENT_SESSION);

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('CyclesPage', () => {
  it('overlays the cycle on days since the injection and says its best effect, onset and wearing off', async () => {
    // before: 90, 100, 110 ms (mean 100, S_w 10, SDC95 49.7 ms); after: 95 (day 3), 40 (day 20), 120 (day 70)
    serve(
      series([
        [-9, 90],
        [-5, 100],
        [-2, 110],
        [3, 95],
        [20, 40],
        [70, 120],
      ]),
      [toxinEntry('t1', INJECTION, [['flexor-digitorum-superficialis', 'right', 25]])],
    );
    const { container } = renderPage();
    const chart = await screen.findByRole('region', { name: 'Key hold time, right hand, cycles overlaid' });
    // the chart is drawn in an effect after the section is on the page
    await waitFor(() => expect(container.querySelector('.trends__plot svg')).not.toBeNull());
    // one line for the one cycle
    expect(container.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    const figure = within(chart).getByRole('figure', {
      name: 'Key hold time by days since each injection, right hand',
    });
    expect(figure.textContent).toContain('3 sessions before and 3 after, up to day 70.');
    expect(within(chart).getByRole('list', { name: 'Cycles' }).textContent).toMatch(/Injection on /);

    const card = screen.getByRole('region', { name: /^Injection on / });
    expect(card.textContent).toContain('25 units of Botox (onabotulinumtoxinA)');
    expect(card.textContent).toContain('Flexor digitorum superficialis, right: 25 units');
    expect(card.textContent).toContain('Before: 3, Onset: 1, Peak: 1, Wearing off: 1.');
    expect(card.textContent).toContain('Before the injection: 100 ms, the average of 3 sessions');
    expect(card.textContent).toContain('Best session: day 20');
    expect(card.textContent).toContain(
      '60 ms lower than before the injection (95 % range from 110 ms lower to 10.3 ms lower)',
    );
    expect(card.textContent).toContain('a reliable improvement');
    expect(card.textContent).toContain('First reliable improvement: day 20');
    expect(card.textContent).toContain('The session before it, on day 3, did not show one');
    expect(card.textContent).toContain(
      'Back within your day-to-day variation of the level before the injection by day 70',
    );

    fireEvent.click(within(chart).getByRole('button', { name: 'Show as table' }));
    const rows = within(within(chart).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(6);
    expect(rows[0]!.textContent).toContain('Part of the level before the injection');
    expect(rows[4]!.textContent).toContain('20Peak40 ms60 ms lower: reliable change, better');
  });

  it('says what is needed when no injection is logged', async () => {
    serve(series([[-2, 100]]), []);
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No injection cycles yet' })).toBeDefined();
    expect(screen.getByText(/No injection is logged yet\./)).toBeDefined();
    expect(screen.getByRole('link', { name: 'Log an injection' }).getAttribute('href')).toBe('/treatments');
  });

  it('says so when no injection has sessions before and after it', async () => {
    serve(
      series([
        [-40, 100],
        [-30, 100],
      ]),
      [toxinEntry('t1', INJECTION, [['supinator', 'right', 10]])],
    );
    renderPage();
    expect(
      await screen.findByRole('heading', { name: 'Not enough sessions around an injection' }),
    ).toBeDefined();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('reports a failure to load the treatments', async () => {
    serve(series([[-2, 100]]), 'fail');
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Your injection cycles could not be loaded',
    );
  });
});
