import { z } from 'zod';

/*
 * Field schemas shared by the patient-entered entries (diary, treatments, questionnaires): the browser
 * checks a form with the same definition the server validates it with.
 */

/** The current date where it is latest on Earth (UTC+14), as `YYYY-MM-DD`: no one's today is refused. */
export function latestToday(now = Date.now()): string {
  return new Date(now + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A calendar date `YYYY-MM-DD`, from 1900 to today (wherever it is latest). */
export const pastDate = z.iso
  .date()
  .refine((date) => date >= '1900-01-01', 'the date cannot be before 1900')
  .refine((date) => date <= latestToday(), 'the date cannot be in the future');

/** Free text: trimmed, at most `max` characters, null when not given or blank. */
export function freeText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .transform((text) => (text === '' ? null : text))
    .nullable()
    .default(null);
}

/** A list of distinct values of an enum. */
export function distinctEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .array(z.enum(values))
    .max(values.length)
    .refine((list) => new Set(list).size === list.length, 'each value at most once')
    .default([]);
}
