import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isValidTimeZone,
  localDate,
  localTime,
  offsetMs,
  startOfLocalDay,
  weekdayOf,
  zonedInstant,
} from './zoned.js';

const at = (date: string, time: string, zone: string) =>
  new Date(zonedInstant(date, time, zone)).toISOString();

describe('local dates and times in a zone', () => {
  it('converts a wall-clock time to its instant with the offset of that day', () => {
    // Berlin is UTC+1 in winter, UTC+2 in summer
    expect(at('2025-01-15', '18:00', 'Europe/Berlin')).toBe('2025-01-15T17:00:00.000Z');
    expect(at('2025-07-15', '18:00', 'Europe/Berlin')).toBe('2025-07-15T16:00:00.000Z');
    // half-hour zone without DST
    expect(at('2025-06-01', '08:00', 'Asia/Kolkata')).toBe('2025-06-01T02:30:00.000Z');
    // west of UTC: the instant is on the next UTC day
    expect(at('2025-06-01', '21:00', 'America/Los_Angeles')).toBe('2025-06-02T04:00:00.000Z');
    expect(at('2025-06-01', '00:00', 'UTC')).toBe('2025-06-01T00:00:00.000Z');
  });

  it('moves a time skipped when clocks go forward by the gap (02:30 becomes 03:30)', () => {
    // Europe: last Sunday of March, 02:00 CET -> 03:00 CEST
    expect(at('2025-03-30', '02:30', 'Europe/Berlin')).toBe('2025-03-30T01:30:00.000Z');
    expect(localTime(zonedInstant('2025-03-30', '02:30', 'Europe/Berlin'), 'Europe/Berlin')).toBe('03:30');
    // United States: second Sunday of March, 02:00 EST -> 03:00 EDT
    expect(at('2025-03-09', '02:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z');
    // Chile skips midnight itself: the day begins at 01:00
    expect(new Date(startOfLocalDay('2024-09-08', 'America/Santiago')).toISOString()).toBe(
      '2024-09-08T04:00:00.000Z',
    );
  });

  it('takes the earlier of a time that happens twice when clocks go back', () => {
    // Europe: last Sunday of October, 03:00 CEST -> 02:00 CET: 02:30 happens at 00:30Z and at 01:30Z
    expect(at('2025-10-26', '02:30', 'Europe/Berlin')).toBe('2025-10-26T00:30:00.000Z');
    expect(at('2025-11-02', '01:30', 'America/New_York')).toBe('2025-11-02T05:30:00.000Z');
    // Lord Howe Island changes by 30 minutes (02:00 -> 01:30): 02:15 is after the overlap, at +10:30
    expect(at('2025-04-06', '02:15', 'Australia/Lord_Howe')).toBe('2025-04-05T15:45:00.000Z');
  });

  it('gives every existing wall time of a DST day back unchanged, every 15 minutes', () => {
    for (const [zone, date, gap] of [
      ['Europe/Berlin', '2025-03-30', ['02:00', '02:15', '02:30', '02:45']],
      ['Europe/Berlin', '2025-10-26', []],
      ['America/New_York', '2025-03-09', ['02:00', '02:15', '02:30', '02:45']],
    ] as const) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const instant = zonedInstant(date, time, zone);
        expect(localDate(instant, zone)).toBe(date);
        if (!(gap as readonly string[]).includes(time)) expect(localTime(instant, zone)).toBe(time);
      }
    }
  });

  it('reads the local date of an instant, which differs between zones', () => {
    const instant = Date.parse('2025-06-02T23:30:00Z');
    expect(localDate(instant, 'Europe/Berlin')).toBe('2025-06-03');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2025-06-02');
    expect(localDate(instant, 'Pacific/Kiritimati')).toBe('2025-06-03'); // UTC+14
    expect(localDate(Date.parse('2025-06-02T10:30:00Z'), 'Pacific/Pago_Pago')).toBe('2025-06-01'); // UTC-11
    expect(offsetMs(instant, 'Asia/Kathmandu')).toBe((5 * 60 + 45) * 60_000);
  });

  it('does day arithmetic on calendar dates, across month, year and DST boundaries', () => {
    expect(addDays('2025-01-31', 1)).toBe('2025-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(daysBetween('2025-03-01', '2025-05-30')).toBe(90);
    expect(weekdayOf('2025-01-01')).toBe('wed');
    expect(weekdayOf('2025-03-30')).toBe('sun');
    expect(weekdayOf('1969-12-29')).toBe('mon');
  });

  it('knows which time zones exist', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
