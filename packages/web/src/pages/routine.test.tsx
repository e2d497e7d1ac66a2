import 'fake-indexeddb/auto';
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduleSchema, type ScheduleInput } from '@dystrack/core';
import { setClientDeps } from '../api/client.js';
import type { Profile } from '../api/types.js';
import { TEST_PATIENT, TEST_PROFILE as writersCramp, renderAt } from '../test/session.js';
import { RoutinePage, suggestedTasks } from './routine.js';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** An in-memory stand-in for the routine API, recording each call. */
class FakeRoutineServer {
  calls: Call[] = [];
  schedule: ScheduleInput | null = null;
  calendarActive = false;
  /** Answers the next PUT with this error instead of saving. */
  putError: { status: number; body: unknown } | null = null;

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    this.calls.push({ method, url, body });
    const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status });
    if (url === '/api/v1/schedule' && method === 'GET')
      return json({ schedule: this.schedule, revision: this.schedule ? 1 : null, updatedAt: null });
    if (url === '/api/v1/schedule' && method === 'PUT') {
      if (this.putError) return json(this.putError.body, this.putError.status);
      // stored as the server stores it: validated, defaults filled in
      this.schedule = scheduleSchema.parse(body);
      return json({ schedule: this.schedule, revision: 2, updatedAt: '2026-11-02T10:00:00Z' });
    }
    if (url === '/api/v1/schedule/due') return json({ due: null });
    if (url === '/api/v1/calendar/token' && method === 'GET')
      return json({
        active: this.calendarActive,
        createdAt: this.calendarActive ? '2026-11-01T10:00:00Z' : null,
      });
    if (url === '/api/v1/calendar/token' && method === 'POST') {
      this.calendarActive = true;
      return json(
        {
          url: `https://dystrack.example.org/calendar/${'x'.repeat(43)}.ics`,
          createdAt: '2026-11-02T10:00:00Z',
        },
        201,
      );
    }
    if (url === '/api/v1/calendar/token' && method === 'DELETE') {
      this.calendarActive = false;
      return new Response(null, { status: 204 });
    }
    return json({ code: 'E_ROUTE_NOT_FOUND', message: 'no such route' }, 404);
  };

  puts(): ScheduleInput[] {
    return this.calls.filter((c) => c.method === 'PUT').map((c) => c.body as ScheduleInput);
  }
}

let server: FakeRoutineServer;

function renderRoutine(profile: Profile = writersCramp) {
  return renderAt('/routine', <RoutinePage />, { user: TEST_PATIENT, profile });
}

beforeEach(() => {
  server = new FakeRoutineServer();
  setClientDeps({ fetch: vi.fn(server.fetch) });
});
// the machine may be busy: waiting longer for the fake server's answers changes no result
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  setClientDeps();
});

const reminder = (n: number) => screen.getByRole('group', { name: new RegExp(`^Reminder ${n}:`) });

describe('routine page', { timeout: 30_000 }, () => {
  it('fills in "tasks twice a week, diary daily" from the profile, edits the days with toggle buttons and saves', async () => {
    renderRoutine();
    fireEvent.click(await screen.findByRole('button', { name: /Tasks twice a week, diary daily/ }));
    expect(screen.getByText(/Added 3 reminders \(tasks twice a week and the diary daily\)/)).toBeTruthy();
    // writer's cramp: handwriting and spiral on Monday and Thursday, the diary daily
    expect(suggestedTasks(writersCramp)).toEqual(['handwriting', 'spiral']);
    expect(reminder(1).querySelector('legend')!.textContent).toBe('Reminder 1: Handwriting');
    expect(reminder(2).querySelector('legend')!.textContent).toBe('Reminder 2: Spiral drawing');
    expect(reminder(3).querySelector('legend')!.textContent).toBe('Reminder 3: Diary entry');
    const monday = within(reminder(1)).getByRole('button', { name: 'Monday' });
    const tuesday = within(reminder(1)).getByRole('button', { name: 'Tuesday' });
    expect(monday.getAttribute('aria-pressed')).toBe('true');
    expect(tuesday.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(tuesday);
    expect(tuesday.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(reminder(1)).getByRole('button', { name: 'Thursday' }));

    fireEvent.click(screen.getByRole('button', { name: 'Save the routine' }));
    await screen.findByText(/Your routine is saved/);
    const [saved] = server.puts();
    expect(saved!.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(saved!.items.map((i) => (i.type === 'recurring' ? [i.activity, i.repeat, i.time] : null))).toEqual(
      [
        ['handwriting', { kind: 'weekdays', weekdays: ['mon', 'tue'] }, '18:00'],
        ['spiral', { kind: 'weekdays', weekdays: ['mon', 'thu'] }, '18:00'],
        [
          'diary',
          { kind: 'interval', everyDays: 1, startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
          '20:00',
        ],
      ],
    );
    // the same preset again adds nothing twice
    fireEvent.click(screen.getByRole('button', { name: /Tasks twice a week, diary daily/ }));
    expect(screen.getAllByRole('group', { name: /^Reminder \d+:/ })).toHaveLength(3);
    expect(screen.getByText(/Nothing added/)).toBeTruthy();
  });

  it('asks for an injection date or interval in a baseline block before sending anything, and links to the field', async () => {
    renderRoutine({ ...writersCramp, dystoniaForms: ['typists'] });
    fireEvent.click(await screen.findByRole('button', { name: /Baseline block before injections/ }));
    const block = reminder(1);
    expect(within(block).getByRole('checkbox', { name: 'Typing' })).toHaveProperty('checked', true);
    expect(within(block).getByRole('spinbutton', { name: 'Sessions before each injection' })).toHaveProperty(
      'value',
      '3',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save the routine' }));
    const summary = await screen.findByRole('alert');
    const link = within(summary).getByRole('link', {
      name: /Reminder 1: Enter the next planned injection date/,
    });
    expect(link.getAttribute('href')).toBe('#routine-items-0-nextInjectionDate');
    expect(server.puts()).toEqual([]);
    // the + button starts the interval at its smallest value; more sessions than days is refused too
    fireEvent.click(within(block).getByRole('button', { name: 'Days between your injections: one more' }));
    expect(within(block).getByRole('spinbutton', { name: 'Days between your injections' })).toHaveProperty(
      'value',
      '14',
    );
    fireEvent.change(within(block).getByLabelText('Date of your next planned injection'), {
      target: { value: '2026-12-01' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save the routine' }));
    await screen.findByText(/Your routine is saved/);
    expect(server.puts()[0]!.items[0]).toMatchObject({
      type: 'baseline',
      activities: ['typing'],
      sessions: 3,
      daysBefore: 14,
      nextInjectionDate: '2026-12-01',
      intervalDays: 14,
    });
  });

  it("shows the server's field errors at their fields", async () => {
    server.schedule = {
      version: 1,
      timeZone: 'UTC',
      items: [
        {
          id: 'a',
          type: 'recurring',
          activity: 'typing',
          repeat: { kind: 'weekdays', weekdays: ['mon'] },
          time: '18:00',
        },
      ],
    };
    server.putError = {
      status: 400,
      body: {
        code: 'E_VALIDATION',
        message: 'The request is not valid.',
        details: {
          issues: [{ path: 'body.items.0.time', message: 'choose a time of day (HH:MM, 00:00 to 23:59)' }],
        },
      },
    };
    renderRoutine();
    expect((await screen.findByText(/planned in UTC|Times are in/)).textContent).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save the routine' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link').textContent).toBe(
      'Reminder 1: Choose a time of day (HH:MM, 00:00 to 23:59)',
    );
    const time = within(reminder(1)).getByLabelText('Time');
    expect(time.getAttribute('aria-invalid')).toBe('true');
  });

  it('switches an item to every few days with a stepper, and removes one only after a confirmation', async () => {
    server.schedule = {
      version: 1,
      timeZone: 'UTC',
      items: [
        {
          id: 'a',
          type: 'recurring',
          activity: 'typing',
          repeat: { kind: 'weekdays', weekdays: ['mon'] },
          time: '18:00',
        },
        {
          id: 'b',
          type: 'recurring',
          activity: 'diary',
          repeat: { kind: 'weekdays', weekdays: ['sun'] },
          time: '20:00',
        },
      ],
    };
    renderRoutine();
    await screen.findByRole('group', { name: /^Reminder 2:/ });
    fireEvent.click(within(reminder(1)).getByRole('radio', { name: 'Every few days' }));
    const every = within(reminder(1)).getByRole('spinbutton', { name: 'Every' });
    expect(every).toHaveProperty('value', '3');
    fireEvent.click(within(reminder(1)).getByRole('button', { name: 'Every: one less' }));
    expect(every).toHaveProperty('value', '2');

    fireEvent.click(within(reminder(2)).getByRole('button', { name: 'Remove Reminder 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(screen.getAllByRole('group', { name: /^Reminder \d+:/ })).toHaveLength(2);
    fireEvent.click(within(reminder(2)).getByRole('button', { name: 'Remove Reminder 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove Reminder 2' }));
    expect(screen.getAllByRole('group', { name: /^Reminder \d+:/ })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Save the routine' }));
    await screen.findByText(/Your routine is saved/);
    expect(server.puts()[0]!.items).toEqual([
      {
        id: 'a',
        type: 'recurring',
        activity: 'typing',
        repeat: { kind: 'interval', everyDays: 2, startDate: expect.any(String) },
        time: '18:00',
      },
    ]);
  });

  it('creates the calendar link, copies it, and turns it off after a confirmation', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderRoutine();
    const section = await screen.findByRole('region', { name: 'Calendar' });
    expect(section.textContent).toMatch(/sees the times of your reminders, but no health details/);
    fireEvent.click(await within(section).findByRole('button', { name: 'Create a calendar link' }));
    const url = (await within(section).findByLabelText('Your calendar link')) as HTMLTextAreaElement;
    expect(url.value).toMatch(/^https:\/\/dystrack\.example\.org\/calendar\/x{43}\.ics$/);
    fireEvent.click(within(section).getByRole('button', { name: 'Copy the link' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(url.value));
    expect(within(section).getByRole('status').textContent).toMatch(/The link is copied/);

    fireEvent.click(within(section).getByRole('button', { name: 'Turn the calendar link off' }));
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(section).getByRole('button', { name: 'Yes, turn it off' }));
    await within(section).findByText('No calendar link is on.');
    expect(server.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(within(section).queryByLabelText('Your calendar link')).toBeNull();
  });
});
