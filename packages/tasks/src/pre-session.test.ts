import { sessionContextSchemaV1 } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import {
  checkPreSession,
  EMPTY_SESSION_CONTEXT,
  PRE_SESSION_QUESTIONS,
  PreSessionError,
  validatePreSession,
} from './pre-session';

const today = new Date(2026, 4, 20); // 20 May 2026, local time

describe('PRE_SESSION_QUESTIONS', () => {
  it('answers every field of core session context, each question with a label and help', () => {
    // the injection question answers two fields: whether (botulinumToxin) and how long ago
    const answered = PRE_SESSION_QUESTIONS.flatMap((q) =>
      q.kind === 'days-or-choice' ? [q.id, 'botulinumToxin'] : [q.id],
    );
    expect(answered.sort()).toEqual(Object.keys(sessionContextSchemaV1.shape).sort());
    for (const question of PRE_SESSION_QUESTIONS) {
      expect(question.label.length).toBeGreaterThan(10);
      expect(question.help.length).toBeGreaterThan(10);
    }
  });

  it('has ranges matching the schema', () => {
    const rating = PRE_SESSION_QUESTIONS.find((q) => q.kind === 'scale')!;
    expect([rating.min, rating.max]).toEqual([0, 10]);
    const hours = PRE_SESSION_QUESTIONS.find((q) => q.kind === 'number')!;
    expect([hours.min, hours.max]).toEqual([0, 24]);
  });
});

describe('validatePreSession', () => {
  it('turns skipped answers into nulls', () => {
    expect(validatePreSession({})).toEqual(EMPTY_SESSION_CONTEXT);
    expect(
      validatePreSession({ selfRating0to10: '', medication: '   ', taskLoadHoursLast24h: null }),
    ).toEqual(EMPTY_SESSION_CONTEXT);
  });

  it('converts form text to numbers, accepting a decimal comma', () => {
    const value = validatePreSession({
      selfRating0to10: '7',
      taskLoadHoursLast24h: '2,5',
      daysSinceBotulinumToxin: ' 45 ',
      medication: '  trihexyphenidyl 2 mg  ',
    });
    expect(value).toEqual({
      selfRating0to10: 7,
      taskLoadHoursLast24h: 2.5,
      botulinumToxin: 'received',
      daysSinceBotulinumToxin: 45,
      medication: 'trihexyphenidyl 2 mg',
    });
    expect(sessionContextSchemaV1.parse(value)).toEqual(value);
  });

  it('keeps "never" and "unknown" injections apart, without a number of days', () => {
    const never = validatePreSession({ daysSinceBotulinumToxin: 'never' });
    const unknown = validatePreSession({ daysSinceBotulinumToxin: 'unknown' });
    expect([never.botulinumToxin, never.daysSinceBotulinumToxin]).toEqual(['never', null]);
    expect([unknown.botulinumToxin, unknown.daysSinceBotulinumToxin]).toEqual(['unknown', null]);
    expect(validatePreSession({}).botulinumToxin).toBeNull();
  });

  it('converts an injection date to days before today', () => {
    expect(
      validatePreSession({ daysSinceBotulinumToxin: '2026-05-20' }, { today }).daysSinceBotulinumToxin,
    ).toBe(0);
    expect(
      validatePreSession({ daysSinceBotulinumToxin: '2026-03-01' }, { today }).daysSinceBotulinumToxin,
    ).toBe(80);
  });

  it('rejects out-of-range and malformed answers, one issue per question', () => {
    const result = checkPreSession(
      {
        selfRating0to10: 11,
        taskLoadHoursLast24h: '25',
        daysSinceBotulinumToxin: '2026-06-01',
        medication: 'x'.repeat(2001),
      },
      { today },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.id)).toEqual([
        'selfRating0to10',
        'taskLoadHoursLast24h',
        'daysSinceBotulinumToxin',
        'medication',
      ]);
    }
    for (const bad of [
      { selfRating0to10: 4.5 },
      { selfRating0to10: 'four' },
      { daysSinceBotulinumToxin: '2026-02-30' },
      { daysSinceBotulinumToxin: -3 },
    ]) {
      expect(() => validatePreSession(bad, { today })).toThrow(PreSessionError);
    }
  });
});
