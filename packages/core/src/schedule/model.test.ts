import { describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import { activityKind, emptySchedule, parseSchedule, scheduleSchema, SCHEDULE_VERSION } from './model.js';

const recurring = {
  id: 'typing-twice',
  type: 'recurring',
  activity: 'typing',
  repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
  time: '18:00',
};
const baseline = {
  id: 'baseline',
  type: 'baseline',
  activities: ['spiral', 'handwriting'],
  time: '10:00',
  nextInjectionDate: '2025-06-20',
};

/** The issue paths of a schedule that does not parse. */
function issuePaths(value: unknown): string[] {
  const result = scheduleSchema.safeParse(value);
  expect(result.success).toBe(false);
  return (result.error as ZodError).issues.map((issue) => issue.path.join('.'));
}

describe('schedule model', () => {
  it('parses a schedule and fills in the baseline defaults (3 sessions in 14 days)', () => {
    const schedule = parseSchedule({ version: 1, timeZone: 'Europe/Berlin', items: [recurring, baseline] });
    expect(schedule.items[1]).toMatchObject({ sessions: 3, daysBefore: 14, intervalDays: null });
    expect(schedule.version).toBe(SCHEDULE_VERSION);
    expect(emptySchedule('UTC')).toEqual(parseSchedule(emptySchedule('UTC')));
  });

  it('refuses what makes no schedule, naming the field', () => {
    const base = { version: 1, timeZone: 'Europe/Berlin' };
    expect(issuePaths({ ...base, timeZone: 'Nowhere/City', items: [] })).toEqual(['timeZone']);
    expect(issuePaths({ ...base, items: [{ ...recurring, time: '24:00' }] })).toEqual(['items.0.time']);
    expect(issuePaths({ ...base, items: [{ ...recurring, activity: 'juggling' }] })).toEqual([
      'items.0.activity',
    ]);
    expect(
      issuePaths({
        ...base,
        items: [{ ...recurring, repeat: { kind: 'weekdays', weekdays: ['mon', 'mon'] } }],
      }),
    ).toEqual(['items.0.repeat.weekdays']);
    expect(
      issuePaths({ ...base, items: [{ ...recurring, repeat: { kind: 'weekdays', weekdays: [] } }] }),
    ).toEqual(['items.0.repeat.weekdays']);
    expect(issuePaths({ ...base, items: [recurring, recurring] })).toEqual(['items']);
    expect(issuePaths({ ...base, items: [{ ...baseline, sessions: 5, daysBefore: 4 }] })).toEqual([
      'items.0.sessions',
    ]);
    expect(issuePaths({ ...base, items: [{ ...baseline, nextInjectionDate: null }] })).toEqual([
      'items.0.nextInjectionDate',
    ]);
    expect(issuePaths({ ...base, items: [], extra: true })).toEqual(['']);
    expect(issuePaths({ ...base, version: 2, items: [] })).toEqual(['version']);
  });

  it('tells tasks, the diary and questionnaires apart', () => {
    expect(activityKind('typing')).toBe('task');
    expect(activityKind('diary')).toBe('diary');
    expect(activityKind('phq-9')).toBe('questionnaire');
  });
});
