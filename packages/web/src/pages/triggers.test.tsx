import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import type { DiaryEntry } from '../api/diary.js';
import type { MetricSeries } from '../api/types.js';
import { diaryEntryWith, makeRecording, seriesBefore, seriesWithChange } from '../test/fixtures.js';
import { PATIENT_SESSION, renderAt } from '../test/session.js';
import { TriggersPage } from './triggers.js';

const typing = makeRecording({ taskId: 'typing', hand: 'right', startedAt: '2026-01-10T09:00:00.000Z' });

/** A fake server with the right hand's series of `metricId` (if any) and the given diary. */
function serve(metricId: string, series: MetricSeries | null, diary: DiaryEntry[]) {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/api/v1/metrics/overview')
      return json({
        analysisVersion: '1.0.0',
        items: series
          ? [
              {
                task: 'typing',
                metricId,
                hand: 'right',
                sessions: series.points.length,
                first: series.points[0]!.startedAt,
                last: series.points.at(-1)!.startedAt,
                metric: null,
              },
            ]
          : [],
      });
    if (series && url.pathname === `/api/v1/metrics/${metricId}/series`)
      return json(seriesWithChange(series, 'typing', metricId));
    if (url.pathname === '/api/v1/diary/entries') return json({ items: diary, nextCursor: null });
    return json({ code: 'E_NOT_FOUND', message: 'Not found.' }, 404);
  });
  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf' });
  return fetch;
}

/**
 * 20 daily sessions: on the even days high stress (8 of 10) and a value about `high`, on the odd days
 * stress 2 and a value about `low`; sleep noted every day, short on every third; cold noted on 3 days.
 * Each day's diary entry is an hour before its session.
 */
function plantedStress(metricId: string, low: number, high: number) {
  const wobble = [-5, -2, 0, 2, 5];
  const values = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? high : low) + wobble[(i >> 1) % 5]!);
  const series = seriesBefore(typing, values);
  const diary = series.points.map((p, i) =>
    diaryEntryWith(new Date(Date.parse(p.startedAt) - 3_600_000).toISOString(), {
      stress: i % 2 === 0 ? 8 : 2,
      sleepHours: i % 3 === 0 ? 5 : 8,
      ...(i < 3 ? { cold: true } : {}),
    }),
  );
  serve(metricId, series, diary);
}

function renderPage() {
  return renderAt('/trends/triggers', <TriggersPage />, PATIENT_SESSION);
}

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('TriggersPage', () => {
  it('says a planted stress difference in words, with its corrected interval and the counts', async () => {
    plantedStress('hold_time_median_ms', 100, 120);
    const { container } = renderPage();
    const results = await screen.findByRole('region', { name: 'Key hold time, right hand' });
    const finding = within(results)
      .getAllByRole('listitem')
      .find((li) => li.textContent?.includes('high stress'))!;
    // means 120 and 100 ms, each group SD 3.59 ms over 10 sessions: SE 1.61 ms, df 18, and with 2 triggers
    // the 97.5 % interval uses t(0.9875, 18) = 2.445: 20 ± 3.93 ms
    expect(finding.textContent).toMatch(
      /^On days you noted high stress \(6 of 10 or more\), your result for key hold time was 20 ms higher than on days with lower stress \(0 to 5 of 10\) \(95 % interval, corrected for 2 triggers: 16\.1 ms to 23\.9 ms higher\), from 10 sessions with it and 10 sessions without\./,
    );
    expect(finding.textContent).toContain('unlikely to be chance alone');
    expect(finding.textContent).toContain('does not show that this trigger causes it');
    // cold was noted on 3 days only, never as "no cold": listed with what it still needs
    expect(results.textContent).toContain(
      'Cold hands or a cold room: 3 sessions with it, 0 sessions without. Needs at least 5 of each: 2 more with cold hands or a cold room and 5 more with no cold.',
    );
    expect(results.textContent).toContain('20 sessions of your right hand had a diary note');
    // the interval chart: one row per compared trigger (stress, sleep)
    // the chart is drawn in an effect after the section is on the page
    await waitFor(() => expect(container.querySelector('.triggers__plot svg')).not.toBeNull());
    expect(container.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
    // the caution is always there
    expect(screen.getByRole('heading', { name: 'An association is not a cause' })).toBeTruthy();
    expect(screen.getByText(/Talk to your doctor or therapist before you change a treatment/)).toBeTruthy();
  });

  it('lists every compared trigger in a table for screen readers', async () => {
    plantedStress('hold_time_median_ms', 100, 120);
    renderPage();
    const results = await screen.findByRole('region', { name: 'Key hold time, right hand' });
    const toggle = within(results).getByRole('button', { name: 'Show as table' });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const table = within(results).getByRole('table', { name: /corrected for 2 triggers/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual([
      'High stress (6 of 10 or more)',
      'Short sleep (less than 6 hours)',
    ]);
    expect(rows[0]!.textContent).toContain('10 / 10');
    expect(rows[0]!.textContent).toContain('20 ms higher');
  });

  it('gives a log-scaled measure as a percentage', async () => {
    plantedStress('hold_time_iqr_ms', 20, 30);
    renderPage();
    const results = await screen.findByRole('region', { name: /right hand/ });
    expect(results.textContent).toMatch(
      /On days you noted high stress \(6 of 10 or more\), your result for [a-z ]+ was 5\d % higher than on days with lower stress/,
    );
    expect(results.textContent).toMatch(/corrected for 2 triggers: \d+ % to \d+ % higher\)/);
  });

  it('asks for diary entries when there are none', async () => {
    serve('hold_time_median_ms', seriesBefore(typing, [100, 110, 120]), []);
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No diary entries yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the diary' }).getAttribute('href')).toBe('/diary');
    expect(screen.getByRole('heading', { name: 'An association is not a cause' })).toBeTruthy();
  });

  it('asks for recordings when there are no sessions', async () => {
    serve('hold_time_median_ms', null, [diaryEntryWith('2026-01-05T08:00:00.000Z', { stress: 5 })]);
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No measurements yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Choose a task to record' })).toBeTruthy();
  });
});
