import { describe, expect, it } from 'vitest';
import {
  DONE_LOOKBACK_DAYS,
  NOTHING_DONE,
  baselineSessionDates,
  dueItems,
  plannedInjection,
  upcomingOccurrences,
  type DoneRecord,
  type Occurrence,
} from './due.js';
import { parseSchedule, type BaselineItem, type ScheduleInput } from './model.js';
import { addDays } from './zoned.js';

const BERLIN = 'Europe/Berlin';

function schedule(items: ScheduleInput['items'], timeZone = BERLIN) {
  return parseSchedule({ version: 1, timeZone, items });
}

/** "Tasks twice a week, diary daily": typing Monday and Thursday at 18:00, the diary every day at 21:00. */
const twiceAWeek = schedule([
  {
    id: 'typing',
    type: 'recurring',
    activity: 'typing',
    repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
    time: '18:00',
  },
  {
    id: 'diary',
    type: 'recurring',
    activity: 'diary',
    repeat: { kind: 'interval', everyDays: 1, startDate: '2025-01-01' },
    time: '21:00',
  },
]);

const brief = (list: Occurrence[]) =>
  list.map((o) => `${o.activity} ${o.date} ${o.at}${o.doneAt ? ' done' : ''}`);

function done(partial: Partial<DoneRecord>): DoneRecord {
  return { ...NOTHING_DONE, ...partial };
}

describe('dueItems: tasks twice a week, diary daily (Berlin)', () => {
  it('on a Monday morning: typing at 18:00 and the diary at 21:00 are due; next are Tuesday and Thursday', () => {
    // Monday 2025-03-24 10:00 CET = 09:00Z
    const due = dueItems(twiceAWeek, NOTHING_DONE, '2025-03-24T09:00:00Z', BERLIN);
    expect(due.date).toBe('2025-03-24');
    expect(brief(due.today)).toEqual([
      'typing 2025-03-24 2025-03-24T17:00:00.000Z',
      'diary 2025-03-24 2025-03-24T20:00:00.000Z',
    ]);
    expect(due.overdue).toEqual([]);
    expect(brief(due.next)).toEqual([
      'diary 2025-03-25 2025-03-25T20:00:00.000Z',
      'typing 2025-03-27 2025-03-27T17:00:00.000Z',
    ]);
  });

  it('counts a recording made that morning, before the reminder time, as done', () => {
    const due = dueItems(
      twiceAWeek,
      done({
        recordings: [
          { taskId: 'typing', at: '2025-03-24T07:00:00Z' },
          { taskId: 'spiral', at: '2025-03-24T07:10:00Z' },
        ],
      }),
      '2025-03-24T09:00:00Z',
      BERLIN,
    );
    expect(due.today.find((o) => o.activity === 'typing')!.doneAt).toBe('2025-03-24T07:00:00.000Z');
    expect(due.today.find((o) => o.activity === 'diary')!.doneAt).toBeNull();
  });

  it('keeps a missed Monday overdue until Thursday begins, and drops it then', () => {
    // Wednesday 2025-03-26 12:00
    const wednesday = dueItems(twiceAWeek, NOTHING_DONE, '2025-03-26T11:00:00Z', BERLIN);
    expect(brief(wednesday.overdue)).toEqual(['typing 2025-03-24 2025-03-24T17:00:00.000Z']);
    // open until Thursday 00:00 CET
    expect(wednesday.overdue[0]!.until).toBe('2025-03-26T23:00:00.000Z');
    // a diary day missed is not overdue: the next one has begun
    expect(wednesday.overdue.some((o) => o.activity === 'diary')).toBe(false);
    // done on Tuesday: no longer overdue
    const caughtUp = dueItems(
      twiceAWeek,
      done({ recordings: [{ taskId: 'typing', at: '2025-03-25T19:00:00Z' }] }),
      '2025-03-26T11:00:00Z',
      BERLIN,
    );
    expect(caughtUp.overdue).toEqual([]);
    // Thursday 00:30: Monday is dropped, Thursday is due
    const thursday = dueItems(twiceAWeek, NOTHING_DONE, '2025-03-26T23:30:00Z', BERLIN);
    expect(thursday.overdue).toEqual([]);
    expect(brief(thursday.today)[0]).toBe('typing 2025-03-27 2025-03-27T17:00:00.000Z');
  });

  it('a recording done on Monday does not also count for Thursday', () => {
    const due = dueItems(
      twiceAWeek,
      done({ recordings: [{ taskId: 'typing', at: '2025-03-24T17:05:00Z' }] }),
      '2025-03-27T09:00:00Z',
      BERLIN,
    );
    expect(due.today.find((o) => o.activity === 'typing')!.doneAt).toBeNull();
  });

  it('counts the diary by the time the entry is about and questionnaires by their own id', () => {
    const s = schedule([
      {
        id: 'diary',
        type: 'recurring',
        activity: 'diary',
        repeat: { kind: 'interval', everyDays: 1, startDate: '2025-01-01' },
        time: '21:00',
      },
      {
        id: 'phq',
        type: 'recurring',
        activity: 'phq-9',
        repeat: { kind: 'interval', everyDays: 28, startDate: '2025-03-01' },
        time: '09:00',
      },
    ]);
    const due = dueItems(
      s,
      done({
        diary: ['2025-03-29T20:00:00+01:00'],
        questionnaires: [{ questionnaireId: 'gad-7', at: '2025-03-29T08:00:00Z' }],
      }),
      '2025-03-29T21:00:00Z',
      BERLIN,
    );
    expect(brief(due.today)).toEqual([
      'phq-9 2025-03-29 2025-03-29T08:00:00.000Z',
      'diary 2025-03-29 2025-03-29T20:00:00.000Z done',
    ]);
  });
});

describe('dueItems: time zones and DST', () => {
  const diary = schedule([
    {
      id: 'diary',
      type: 'recurring',
      activity: 'diary',
      repeat: { kind: 'interval', everyDays: 1, startDate: '2025-01-01' },
      time: '21:00',
    },
  ]);

  it('"today" is the local day of the zone asked for', () => {
    // 20:00Z on Monday 2 June is 22:00 in Berlin and 13:00 in Los Angeles; now, 23:30Z, is Tuesday in
    // Berlin and still Monday in Los Angeles
    const entry = done({ diary: ['2025-06-02T20:00:00Z'] });
    const berlin = dueItems(diary, entry, '2025-06-02T23:30:00Z', BERLIN);
    expect(berlin.date).toBe('2025-06-03');
    expect(berlin.today[0]!.doneAt).toBeNull();
    const la = dueItems(diary, entry, '2025-06-02T23:30:00Z', 'America/Los_Angeles');
    expect(la.date).toBe('2025-06-02');
    expect(la.today[0]).toMatchObject({ at: '2025-06-03T04:00:00.000Z', doneAt: '2025-06-02T20:00:00.000Z' });
    // UTC+14 and UTC-11 are a day apart for most of the day
    expect(dueItems(diary, NOTHING_DONE, '2025-06-02T12:00:00Z', 'Pacific/Kiritimati').date).toBe(
      '2025-06-03',
    );
    expect(dueItems(diary, NOTHING_DONE, '2025-06-02T10:00:00Z', 'Pacific/Pago_Pago').date).toBe(
      '2025-06-01',
    );
  });

  it('keeps the local time across the change to summer time and back', () => {
    const sunday = schedule([
      {
        id: 'early',
        type: 'recurring',
        activity: 'tapping',
        repeat: { kind: 'weekdays', weekdays: ['sun'] },
        time: '02:30',
      },
      {
        id: 'evening',
        type: 'recurring',
        activity: 'tapping',
        repeat: { kind: 'weekdays', weekdays: ['sun'] },
        time: '18:00',
      },
    ]);
    const occurrences = upcomingOccurrences(sunday, NOTHING_DONE, '2025-03-22T12:00:00Z', BERLIN, 9);
    expect(brief(occurrences)).toEqual([
      'tapping 2025-03-23 2025-03-23T01:30:00.000Z', // 02:30 CET
      'tapping 2025-03-23 2025-03-23T17:00:00.000Z', // 18:00 CET
      'tapping 2025-03-30 2025-03-30T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      'tapping 2025-03-30 2025-03-30T16:00:00.000Z', // 18:00 CEST
    ]);
    const autumn = upcomingOccurrences(sunday, NOTHING_DONE, '2025-10-25T12:00:00Z', BERLIN, 2);
    expect(brief(autumn)).toEqual([
      'tapping 2025-10-26 2025-10-26T00:30:00.000Z', // 02:30 happens twice: the first, CEST
      'tapping 2025-10-26 2025-10-26T17:00:00.000Z', // 18:00 CET
    ]);
  });

  it('a week-long window across the change is 167 hours, and a late-evening entry on the short day counts', () => {
    const monday = schedule([
      {
        id: 'm',
        type: 'recurring',
        activity: 'scale',
        repeat: { kind: 'weekdays', weekdays: ['mon'] },
        time: '19:00',
      },
    ]);
    const due = dueItems(monday, NOTHING_DONE, '2025-03-29T10:00:00Z', BERLIN);
    const open = due.overdue[0]!;
    expect(open.date).toBe('2025-03-24');
    expect(open.until).toBe('2025-03-30T22:00:00.000Z'); // Monday 31 March 00:00 CEST
    expect((Date.parse(open.until) - Date.parse('2025-03-23T23:00:00Z')) / 3600_000).toBe(167);
    // 23:30 CEST on Sunday 30 March is 21:30Z: still in the window
    const late = dueItems(
      monday,
      done({ recordings: [{ taskId: 'scale', at: '2025-03-30T21:30:00Z' }] }),
      '2025-03-30T21:45:00Z',
      BERLIN,
    );
    expect(late.overdue).toEqual([]);
  });
});

describe('dueItems: every N days', () => {
  const everyThree = schedule(
    [
      {
        id: 'spiral',
        type: 'recurring',
        activity: 'spiral',
        repeat: { kind: 'interval', everyDays: 3, startDate: '2025-01-01' },
        time: '08:00',
      },
    ],
    'UTC',
  );

  it('plans from the start date: 1, 4, 7 January …; a missed day stays overdue until the next', () => {
    const due = dueItems(everyThree, NOTHING_DONE, '2025-01-05T12:00:00Z', 'UTC');
    expect(due.today).toEqual([]);
    expect(brief(due.overdue)).toEqual(['spiral 2025-01-04 2025-01-04T08:00:00.000Z']);
    expect(due.overdue[0]!.until).toBe('2025-01-07T00:00:00.000Z');
    expect(brief(due.next)).toEqual(['spiral 2025-01-07 2025-01-07T08:00:00.000Z']);
  });

  it('plans nothing before the start date, and the start date next', () => {
    const due = dueItems(everyThree, NOTHING_DONE, '2024-12-20T12:00:00Z', 'UTC');
    expect([...due.today, ...due.overdue]).toEqual([]);
    expect(due.next.map((o) => o.date)).toEqual(['2025-01-01']);
  });

  it('keeps the longest interval overdue for all of its window (the look-back reaches it)', () => {
    const today = '2025-06-01';
    const longest = schedule(
      [
        {
          id: 'x',
          type: 'recurring',
          activity: 'precision',
          repeat: { kind: 'interval', everyDays: 90, startDate: addDays(today, -89) },
          time: '08:00',
        },
      ],
      'UTC',
    );
    const due = dueItems(longest, NOTHING_DONE, `${today}T12:00:00Z`, 'UTC');
    expect(due.overdue.map((o) => o.date)).toEqual([addDays(today, -89)]);
    expect(DONE_LOOKBACK_DAYS).toBeGreaterThan(89);
  });
});

describe('baseline block before a botulinum-toxin injection', () => {
  const item = (over: Partial<BaselineItem>): BaselineItem =>
    parseSchedule({
      version: 1,
      timeZone: BERLIN,
      items: [
        {
          id: 'b',
          type: 'baseline',
          activities: ['spiral', 'handwriting'],
          time: '10:00',
          nextInjectionDate: '2025-06-20',
          ...over,
        },
      ],
    }).items[0] as BaselineItem;

  it('spreads the sessions over the days before the injection, the last on the day before', () => {
    expect(baselineSessionDates(item({}), '2025-06-20')).toEqual(['2025-06-06', '2025-06-13', '2025-06-19']);
    expect(baselineSessionDates(item({ sessions: 1, daysBefore: 7 }), '2025-06-20')).toEqual(['2025-06-19']);
    expect(baselineSessionDates(item({ sessions: 3, daysBefore: 3 }), '2025-06-20')).toEqual([
      '2025-06-17',
      '2025-06-18',
      '2025-06-19',
    ]);
  });

  it('plans towards the entered date, or the last logged injection plus the interval', () => {
    expect(plannedInjection(item({}), [], '2025-06-01')).toEqual({
      itemId: 'b',
      date: '2025-06-20',
      source: 'entered',
    });
    // no date entered: the last injection (1 March) + 90 days
    expect(
      plannedInjection(
        item({ nextInjectionDate: null, intervalDays: 90 }),
        ['2024-12-01', '2025-03-01'],
        '2025-04-01',
      ),
    ).toEqual({
      itemId: 'b',
      date: '2025-05-30',
      source: 'treatment-log',
    });
    // the entered date has passed and the injection was logged: the next one from the interval
    expect(plannedInjection(item({ intervalDays: 84 }), ['2025-06-20'], '2025-06-25').date).toBe(
      '2025-09-12',
    );
    // injected early (15 June, inside the window before the entered 20 June): that block is over
    expect(plannedInjection(item({}), ['2025-06-15'], '2025-06-16')).toEqual({
      itemId: 'b',
      date: null,
      source: null,
    });
    expect(plannedInjection(item({ intervalDays: 90 }), ['2025-06-15'], '2025-06-16').date).toBe(
      '2025-09-13',
    );
  });

  it('a session is due on its day for each activity, overdue until the next session, and closes at the injection', () => {
    const s = parseSchedule({
      version: 1,
      timeZone: BERLIN,
      items: [
        {
          id: 'b',
          type: 'baseline',
          activities: ['spiral', 'handwriting'],
          time: '10:00',
          nextInjectionDate: '2025-06-20',
        },
      ],
    });
    const first = dueItems(s, NOTHING_DONE, '2025-06-06T06:00:00Z', BERLIN);
    expect(first.today.map((o) => [o.activity, o.at, o.baseline])).toEqual([
      ['handwriting', '2025-06-06T08:00:00.000Z', { session: 1, sessions: 3, injectionDate: '2025-06-20' }],
      ['spiral', '2025-06-06T08:00:00.000Z', { session: 1, sessions: 3, injectionDate: '2025-06-20' }],
    ]);
    expect(first.injections).toEqual([{ itemId: 'b', date: '2025-06-20', source: 'entered' }]);
    // two days later, spiral done the day after: only handwriting is overdue
    const later = dueItems(
      s,
      done({ recordings: [{ taskId: 'spiral', at: '2025-06-07T15:00:00Z' }] }),
      '2025-06-08T10:00:00Z',
      BERLIN,
    );
    expect(later.overdue.map((o) => `${o.activity} ${o.date} until ${o.until}`)).toEqual([
      'handwriting 2025-06-06 until 2025-06-12T22:00:00.000Z',
    ]);
    expect(later.next.map((o) => `${o.activity} ${o.date} ${o.baseline?.session}`)).toEqual([
      'handwriting 2025-06-13 2',
      'spiral 2025-06-13 2',
    ]);
    // the last session closes when the injection day begins
    const last = dueItems(s, NOTHING_DONE, '2025-06-19T20:00:00Z', BERLIN);
    expect(last.today.map((o) => o.until)).toEqual(['2025-06-19T22:00:00.000Z', '2025-06-19T22:00:00.000Z']);
    expect(dueItems(s, NOTHING_DONE, '2025-06-20T06:00:00Z', BERLIN).overdue).toEqual([]);
  });

  it('lists the upcoming sessions for a calendar over the next weeks', () => {
    const s = parseSchedule({
      version: 1,
      timeZone: BERLIN,
      items: [
        {
          id: 'b',
          type: 'baseline',
          activities: ['tapping'],
          time: '10:00',
          nextInjectionDate: null,
          intervalDays: 90,
        },
      ],
    });
    const occurrences = upcomingOccurrences(
      s,
      done({ injections: ['2025-03-01'] }),
      '2025-05-01T12:00:00Z',
      BERLIN,
      56,
    );
    // injection expected 30 May: sessions 16, 23 and 29 May
    expect(occurrences.map((o) => o.date)).toEqual(['2025-05-16', '2025-05-23', '2025-05-29']);
  });
});
