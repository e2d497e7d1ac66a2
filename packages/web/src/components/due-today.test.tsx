import { cleanup, configure, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { DueResult, Occurrence } from '@dystrack/core';
import { TASK_DEFINITIONS } from '@dystrack/tasks';
import { setClientDeps } from '../api/client.js';
import { DueToday, activityWords } from './due-today.js';

function occurrence(over: Partial<Occurrence>): Occurrence {
  return {
    itemId: 'i',
    itemType: 'recurring',
    activity: 'typing',
    date: '2025-03-26',
    time: '18:00',
    at: '2025-03-26T17:00:00.000Z',
    until: '2025-03-26T23:00:00.000Z',
    doneAt: null,
    baseline: null,
    ...over,
  };
}

/** Wednesday 26 March 2025 in Berlin: typing due at 18:00, the diary done, spiral (baseline) missed. */
const DUE: DueResult = {
  timeZone: 'Europe/Berlin',
  date: '2025-03-26',
  now: '2025-03-26T11:00:00.000Z',
  today: [
    occurrence({ itemId: 'typing' }),
    occurrence({
      itemId: 'diary',
      activity: 'diary',
      time: '21:00',
      at: '2025-03-26T20:00:00.000Z',
      doneAt: '2025-03-26T07:00:00.000Z',
    }),
    occurrence({ itemId: 'phq', activity: 'phq-9', time: '09:00', at: '2025-03-26T08:00:00.000Z' }),
  ],
  overdue: [
    occurrence({
      itemId: 'baseline',
      itemType: 'baseline',
      activity: 'spiral',
      date: '2025-03-25',
      time: '10:00',
      at: '2025-03-25T09:00:00.000Z',
      until: '2025-03-30T22:00:00.000Z',
      baseline: { session: 2, sessions: 3, injectionDate: '2025-04-01' },
    }),
  ],
  next: [occurrence({ date: '2025-03-27', at: '2025-03-27T17:00:00.000Z' })],
  injections: [{ itemId: 'baseline', date: '2025-04-01', source: 'treatment-log' }],
};

/** A time or date as the reader's locale writes it, in Berlin (the routine's zone). */
function berlin(iso: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'Europe/Berlin' }).format(new Date(iso));
}

function serve(body: unknown, status = 200) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  setClientDeps({ fetch });
  return fetch;
}

function renderDue() {
  const location = memoryLocation({ path: '/', record: true });
  return render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <DueToday />
    </Router>,
  );
}

// the machine may be busy: waiting longer for the fake server's answers changes no result
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  setClientDeps();
});

describe('DueToday', { timeout: 30_000 }, () => {
  it('lists what is due today (open first) and what was missed, each with a link to do it', async () => {
    const fetch = serve({ due: DUE });
    renderDue();
    const section = await screen.findByRole('region', { name: 'Your routine today' });
    expect(fetch).toHaveBeenCalledWith('/api/v1/schedule/due', expect.objectContaining({ method: 'GET' }));
    expect(within(section).getByRole('heading', { name: 'Due today (1 of 3 done)' })).toBeTruthy();
    const today = within(section).getByRole('list', { name: /Due today/ });
    const rows = within(today).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('strong')!.textContent)).toEqual([
      'Typing',
      'PHQ-9 questionnaire',
      'Diary entry',
    ]);
    // typing: one link per hand the task offers, to the task page; at 18:00 Berlin time (17:00Z)
    expect(rows[0]!.textContent).toContain(`at ${berlin(DUE.today[0]!.at, { timeStyle: 'short' })}`);
    const typingLinks = within(rows[0]!).getAllByRole('link');
    const hands = TASK_DEFINITIONS.find((d) => d.id === 'typing')!.hands;
    expect(typingLinks.map((a) => a.getAttribute('href'))).toEqual(
      hands.map((hand) => `/tasks/typing/${hand}`),
    );
    expect(typingLinks[hands.indexOf('left')]!.textContent).toBe('Typing: Start with the left hand');
    expect(
      within(rows[1]!).getByRole('link', { name: 'Fill it in: PHQ-9 questionnaire' }).getAttribute('href'),
    ).toBe('/scales');
    // done: no link, the time it was done (08:00 in Berlin)
    expect(within(rows[2]!).queryByRole('link')).toBeNull();
    expect(rows[2]!.textContent).toContain(
      `Done at ${berlin('2025-03-26T07:00:00.000Z', { timeStyle: 'short' })}`,
    );
    expect(berlin('2025-03-26T07:00:00.000Z', { hour: 'numeric', hourCycle: 'h23' })).toMatch(/^0?8$/);

    const missed = within(section).getByRole('list', { name: 'Missed, still possible' });
    const spiral = within(missed).getByRole('listitem');
    expect(spiral.textContent).toMatch(/Spiral drawing/);
    const april1 = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' }).format(
      new Date(2025, 3, 1),
    );
    expect(spiral.textContent).toContain(`Baseline session 2 of 3 before the injection on ${april1}`);
    // open until Monday 00:00 Berlin time: the last day is Sunday 30 March
    const sunday = berlin('2025-03-30T12:00:00Z', { weekday: 'long', day: 'numeric', month: 'long' });
    expect(spiral.textContent).toContain(`until the end of ${sunday}`);
    expect(within(spiral).getAllByRole('link')[0]!.getAttribute('href')).toBe('/tasks/spiral/left');
    expect(within(section).getByRole('link', { name: 'Change your routine' }).getAttribute('href')).toBe(
      '/routine',
    );
  });

  it('says when everything of today is done and what comes next', async () => {
    serve({
      due: {
        ...DUE,
        today: DUE.today.map((o) => ({ ...o, doneAt: '2025-03-26T10:00:00.000Z' })),
        overdue: [],
      },
    });
    renderDue();
    const section = await screen.findByRole('region', { name: 'Your routine today' });
    const thursday = berlin('2025-03-27T17:00:00.000Z', { weekday: 'long', day: 'numeric', month: 'long' });
    expect(section.textContent).toContain(`Everything planned for today is done. Next: Typing, ${thursday}`);
    expect(within(section).queryAllByRole('link', { name: /Start with/ })).toEqual([]);
  });

  it('offers to plan a routine when none is saved', async () => {
    serve({ due: null });
    renderDue();
    const link = await screen.findByRole('link', { name: 'Plan a routine' });
    expect(link.getAttribute('href')).toBe('/routine');
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('stays quiet when the routine cannot be loaded', async () => {
    serve({ code: 'E_INTERNAL', message: 'Something went wrong on the server.' }, 500);
    renderDue();
    expect((await screen.findByRole('status')).textContent).toMatch(
      /could not be loaded\. The tasks below work/,
    );
  });

  it('names activities without jargon', () => {
    expect(activityWords('diary')).toBe('Diary entry');
    expect(activityWords('gad-7')).toBe('GAD-7 questionnaire');
    expect(activityWords('tapping')).toBe('Finger tapping');
  });
});
