import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { createEvents, type EventAttributes } from 'ics';
import {
  CodedError,
  activityMinutes,
  upcomingOccurrences,
  type DoneRecord,
  type Occurrence,
  type Schedule,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { calendarTokens } from '../db/schema.js';

/*
 * The calendar feed: a secret link (`/calendar/<token>.ics`) that a calendar program subscribes to. The
 * token is the credential, so only its SHA-256 is stored, there is at most one active link per person, and
 * revoking it makes the old link answer 404 at once. Anyone holding the link sees when the reminders are,
 * never what they are about: every event is called "Dystrack: N-minute check" and links back to the app.
 */

/** How far ahead the feed lists reminders. */
export const CALENDAR_DAYS = 56;

/** The length of a token in bytes (base64url in the link): 256 bits, not guessable. */
const TOKEN_BYTES = 32;

/** What a token looks like in a link (base64url of {@link TOKEN_BYTES} bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a new calendar token for a person, revoking the one before (one active link per person).
 * @returns the token, to be shown once
 * @throws CodedError `E_CONFLICT` when another request created one at the same moment
 */
export async function createCalendarToken(
  db: Db,
  patientId: string,
): Promise<{ token: string; createdAt: Date }> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  try {
    const row = await db.transaction(async (tx) => {
      await tx
        .update(calendarTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(calendarTokens.patientId, patientId), isNull(calendarTokens.revokedAt)));
      const inserted = await tx
        .insert(calendarTokens)
        .values({ tokenHash: hashToken(token), patientId })
        .returning();
      return inserted[0]!;
    });
    return { token, createdAt: row.createdAt };
  } catch (error) {
    // the partial unique index allows one active link: a concurrent creation lost the race
    if (isUniqueViolation(error))
      throw new CodedError('E_CONFLICT', 'A calendar link was created by another request at the same time.');
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Revokes a person's active calendar link, if any.
 * @returns whether there was one
 */
export async function revokeCalendarToken(db: Db, patientId: string): Promise<boolean> {
  const rows = await db
    .update(calendarTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(calendarTokens.patientId, patientId), isNull(calendarTokens.revokedAt)))
    .returning({ tokenHash: calendarTokens.tokenHash });
  return rows.length > 0;
}

/** Whether a person has an active calendar link, and since when. */
export async function calendarTokenStatus(
  db: Db,
  patientId: string,
): Promise<{ active: boolean; createdAt: Date | null }> {
  const rows = await db
    .select({ createdAt: calendarTokens.createdAt })
    .from(calendarTokens)
    .where(and(eq(calendarTokens.patientId, patientId), isNull(calendarTokens.revokedAt)))
    .limit(1);
  return { active: rows.length > 0, createdAt: rows[0]?.createdAt ?? null };
}

/** The person whose active link this token is, or null (unknown, malformed or revoked). */
export async function calendarTokenOwner(db: Db, token: string): Promise<string | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const rows = await db
    .select({ patientId: calendarTokens.patientId })
    .from(calendarTokens)
    .where(and(eq(calendarTokens.tokenHash, hashToken(token)), isNull(calendarTokens.revokedAt)))
    .limit(1);
  return rows[0]?.patientId ?? null;
}

/** A calendar event's title: its length only, never what it is about. */
export function eventTitle(minutes: number): string {
  return `Dystrack: ${minutes}-minute check`;
}

function utcArray(iso: string): [number, number, number, number, number] {
  const d = new Date(iso);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/**
 * The feed as iCalendar text: one event per planned time (activities planned at the same time share
 * it), lasting about as long as they take, rounded up to 5 minutes. UIDs are hashes, so they stay the same
 * between fetches (calendar programs update rather than duplicate) and say nothing.
 * @param occurrences - the upcoming occurrences
 * @param appUrl - the app's address, without a trailing slash
 * @param uidSalt - makes UIDs differ between people (their id; hashed, never shown)
 */
export function calendarIcs(occurrences: readonly Occurrence[], appUrl: string, uidSalt: string): string {
  const groups = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const group = groups.get(occurrence.at);
    if (group) group.push(occurrence);
    else groups.set(occurrence.at, [occurrence]);
  }
  const link = `${appUrl}/`;
  const events: EventAttributes[] = [...groups].map(([at, group]) => {
    const minutes = Math.max(
      5,
      Math.ceil(group.reduce((sum, o) => sum + activityMinutes(o.activity), 0) / 5) * 5,
    );
    const key = group
      .map((o) => `${o.itemId}/${o.activity}`)
      .sort()
      .join(',');
    return {
      uid: `${createHash('sha256').update(`${uidSalt}|${at}|${key}`).digest('hex').slice(0, 32)}@dystrack`,
      start: utcArray(at),
      startInputType: 'utc',
      startOutputType: 'utc',
      duration: { minutes },
      title: eventTitle(minutes),
      description: `A reminder you planned in Dystrack. Open Dystrack to see what it is: ${link}`,
      url: link,
      classification: 'PRIVATE',
      busyStatus: 'FREE',
      transp: 'TRANSPARENT',
      // an alert at the planned time itself (a zero duration is not written correctly by `ics`)
      alarms: [{ action: 'display', description: eventTitle(minutes), trigger: Date.parse(at) }],
    };
  });
  const result = createEvents(events, { productId: 'dystrack/calendar', calName: 'Dystrack reminders' });
  if (result.error || result.value === null) throw result.error ?? new Error('calendar could not be built');
  return result.value;
}

/**
 * The feed of a schedule at `now`: the next {@link CALENDAR_DAYS} days.
 * @param schedule - the person's schedule
 * @param done - what the person did (for the baseline block's injection date)
 */
export function scheduleIcs(
  schedule: Schedule,
  done: DoneRecord,
  now: Date,
  appUrl: string,
  uidSalt: string,
): string {
  return calendarIcs(
    upcomingOccurrences(schedule, done, now, schedule.timeZone, CALENDAR_DAYS),
    appUrl,
    uidSalt,
  );
}
