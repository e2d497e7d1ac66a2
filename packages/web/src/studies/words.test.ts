import { describe, expect, it } from 'vitest';
import type { Schedule } from '@dystrack/core';
import { attachmentName } from './api.js';
import { listWords, scheduleWords, weekdaysWords } from './words.js';

describe('studies in words', () => {
  it('lists and names weekdays', () => {
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(weekdaysWords(['thu', 'mon'])).toBe('on Mondays and Thursdays');
    expect(weekdaysWords(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('on weekdays (Monday to Friday)');
    expect(weekdaysWords(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBe('every day');
  });

  it('describes every kind of routine item, and the zone when it is not this device’s', () => {
    const schedule: Schedule = {
      version: 1,
      timeZone: 'Europe/Berlin',
      items: [
        {
          id: 'a',
          type: 'recurring',
          activity: 'spiral',
          repeat: { kind: 'interval', everyDays: 3, startDate: '2026-12-01' },
          time: '08:00',
        },
        {
          id: 'b',
          type: 'baseline',
          activities: ['tapping', 'diary'],
          sessions: 3,
          daysBefore: 14,
          time: '18:00',
          nextInjectionDate: null,
          intervalDays: 90,
        },
      ],
    };
    expect(scheduleWords(schedule, 'UTC')).toEqual([
      'Spiral drawing: every 3 days from 1 December 2026, around 08:00',
      'Finger tapping and Diary entry: 3 sessions in the 14 days before each planned botulinum-toxin injection, around 18:00',
      'Times are in the Europe/Berlin time zone.',
    ]);
    expect(scheduleWords(schedule, 'Europe/Berlin')).toHaveLength(2);
    expect(scheduleWords(null)).toEqual([
      'No fixed routine: the study asks for its tasks whenever suits you.',
    ]);
  });

  it('reads the file name of an attachment', () => {
    expect(attachmentName('attachment; filename="study-ABCD1234-export.json"')).toBe(
      'study-ABCD1234-export.json',
    );
    expect(attachmentName("attachment; filename*=UTF-8''study%20x.json")).toBe('study x.json');
    expect(attachmentName(null)).toBeNull();
  });
});
