/*
 * Local calendar dates and wall-clock times in an IANA time zone, with Intl alone (ECMAScript, so it runs
 * in the browser, the server and the CLI). No date library is installed; what the schedule needs is small:
 * the local date of an instant, the instant of a local date and time (with the DST gap and overlap
 * resolved like Temporal's `disambiguation: 'compatible'`), and day arithmetic on calendar dates, which is
 * done on day numbers (days since 1970-01-01) so that it never touches a time zone.
 */

const DAY_MS = 86_400_000;

/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

/** Weekdays, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: creating them is slow, and the schedule asks many times. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone (or `UTC`) that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an instant in a zone, as if it were UTC (ms), whole seconds. */
function wallMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The zone's offset from UTC at an instant, in ms (east positive), to the minute. */
export function offsetMs(instantMs: number, timeZone: string): number {
  const floored = Math.floor(instantMs / 1000) * 1000;
  return wallMs(floored, timeZone) - floored;
}

/** Day number (days since 1970-01-01) of a calendar date. */
export function dayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** The calendar date of a day number. */
export function dateOfDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A calendar date plus (or minus) whole days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDay(dayNumber(date) + days);
}

/** Days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** The weekday of a calendar date. */
export function weekdayOf(date: IsoDate): Weekday {
  // 1970-01-01 was a Thursday (index 3, Monday = 0)
  const index = (((dayNumber(date) + 3) % 7) + 7) % 7;
  return WEEKDAYS[index]!;
}

/** The local calendar date of an instant in a zone. */
export function localDate(instantMs: number, timeZone: string): IsoDate {
  return new Date(wallMs(instantMs, timeZone)).toISOString().slice(0, 10);
}

/** The local wall-clock time `HH:MM` of an instant in a zone. */
export function localTime(instantMs: number, timeZone: string): string {
  return new Date(wallMs(instantMs, timeZone)).toISOString().slice(11, 16);
}

/**
 * The instant of a local date and wall-clock time in a zone. A time that does not exist (skipped when
 * clocks go forward) moves forward by the gap, e.g. 02:30 becomes 03:30; a time that happens twice (clocks
 * go back) is its earlier occurrence: Temporal's `compatible` rule, which calendar programs follow too.
 * @param date - `YYYY-MM-DD`
 * @param time - `HH:MM`
 * @param timeZone - IANA zone
 * @returns ms since the Unix epoch
 */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const wall = dayNumber(date) * DAY_MS + (hours * 60 + minutes) * 60_000;
  // the offsets a day before and after: a zone changes its offset at most once in two days
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => wallMs(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // in the gap: with the offset before the change the wall time lands after the gap
  return wall - before;
}

/** The instant a local calendar day begins in a zone. */
export function startOfLocalDay(date: IsoDate, timeZone: string): number {
  return zonedInstant(date, '00:00', timeZone);
}
