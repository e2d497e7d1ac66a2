import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import {
  CodedError,
  DONE_LOOKBACK_DAYS,
  dueItems,
  parseSchedule,
  type DoneRecord,
  type DueResult,
  type Schedule,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { studySchedulesOf, withStudySchedules } from '../studies/schedule.js';
import { entryRevisions, recordings, schedules } from '../db/schema.js';

/*
 * The person's schedule (routine) in the database: every save is a new version (append-only history),
 * the current one is the highest. And what the person did, read for the core's `dueItems`.
 */

/** The current schedule of a person, with its version number and save time. */
export interface StoredSchedule {
  schedule: Schedule;
  /** 1 for the first save, then 2, 3, … */
  revision: number;
  updatedAt: Date;
}

/**
 * The current schedule of a person, or null before the first save.
 * @param db - the database
 * @param patientId - whose schedule
 */
export async function readSchedule(db: Db, patientId: string): Promise<StoredSchedule | null> {
  const rows = await db
    .select()
    .from(schedules)
    .where(eq(schedules.patientId, patientId))
    .orderBy(desc(schedules.version))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  // stored rows were valid when written; parsing migrates an older model version forward
  return { schedule: parseSchedule(row.data), revision: row.version, updatedAt: row.createdAt };
}

/**
 * Saves a schedule as the person's next version. Two saves that read the same latest version both try
 * the next number: one wins, the other gets 409 `E_CONFLICT`.
 * @param db - the database
 * @param patientId - whose schedule
 * @param schedule - a valid schedule (validated by the route)
 * @param createdBy - who saved it
 */
export async function writeSchedule(
  db: Db,
  patientId: string,
  schedule: Schedule,
  createdBy: string,
): Promise<StoredSchedule> {
  const current = await readSchedule(db, patientId);
  const rows = await db
    .insert(schedules)
    .values({ patientId, version: (current?.revision ?? 0) + 1, data: schedule, createdBy })
    .onConflictDoNothing()
    .returning();
  const row = rows[0];
  if (!row) {
    throw new CodedError(
      'E_CONFLICT',
      'The routine was saved by another request at the same time. Reload it and try again.',
    );
  }
  return { schedule, revision: row.version, updatedAt: row.createdAt };
}

// the latest revision of each entry: no revision of the same entry above it (as in api/diary.ts)
const isLatest = sql`not exists (select 1 from "entry_revisions" as "newer" where "newer"."patient_id" = "entry_revisions"."patient_id" and "newer"."entry_id" = "entry_revisions"."entry_id" and "newer"."revision" > "entry_revisions"."revision")`;

/** Most botulinum-toxin injection dates read (only the last one is used; a few guard against bad dates). */
const INJECTIONS_READ = 20;

/**
 * What a person did since `since`: recordings by task (erased ones left out), diary entries and
 * questionnaire responses (current, not deleted), and the dates of the botulinum-toxin injections in the
 * treatment log (the latest few, any age).
 * @param db - the database
 * @param patientId - whose record
 * @param since - the earliest time that matters
 */
export async function readDone(db: Db, patientId: string, since: Date): Promise<DoneRecord> {
  const [recorded, entries, injections] = await Promise.all([
    db
      .select({ taskId: recordings.taskId, at: recordings.startedAt })
      .from(recordings)
      .where(
        and(
          eq(recordings.patientId, patientId),
          gte(recordings.startedAt, since),
          isNull(recordings.erasedAt),
        ),
      ),
    db
      .select({
        kind: entryRevisions.kind,
        at: entryRevisions.at,
        questionnaireId: sql<string | null>`${entryRevisions.data} ->> 'questionnaireId'`,
      })
      .from(entryRevisions)
      .where(
        and(
          eq(entryRevisions.patientId, patientId),
          sql`${entryRevisions.kind} in ('diary', 'questionnaire-response')`,
          eq(entryRevisions.deleted, false),
          gte(entryRevisions.at, since),
          isLatest,
        ),
      ),
    db
      .select({ date: sql<string | null>`${entryRevisions.data} ->> 'date'` })
      .from(entryRevisions)
      .where(
        and(
          eq(entryRevisions.patientId, patientId),
          eq(entryRevisions.kind, 'treatment'),
          eq(entryRevisions.deleted, false),
          sql`${entryRevisions.data} ->> 'type' = 'botulinum-toxin'`,
          isLatest,
        ),
      )
      .orderBy(desc(entryRevisions.at))
      .limit(INJECTIONS_READ),
  ]);
  return {
    recordings: recorded,
    diary: entries.filter((e) => e.kind === 'diary').map((e) => e.at),
    questionnaires: entries.flatMap((e) =>
      e.kind === 'questionnaire-response' && e.questionnaireId
        ? [{ questionnaireId: e.questionnaireId, at: e.at }]
        : [],
    ),
    injections: injections.flatMap((row) =>
      row.date && /^\d{4}-\d{2}-\d{2}$/.test(row.date) ? [row.date] : [],
    ),
  };
}

/** The earliest time {@link readDone} must reach for what is due at `now`. */
export function doneSince(now: Date): Date {
  return new Date(now.getTime() - DONE_LOOKBACK_DAYS * 86_400_000);
}

/**
 * What is due for a person at `now` (today, overdue, next), in the schedule's time zone or the one
 * given, with the routines of the studies the person takes part in; null when there is neither. For the
 * API and for reminders (Web Push).
 * @param db - the database
 * @param userId - the person
 * @param now - the current time
 * @param timeZone - another zone to count days in (e.g. the browser's while travelling)
 */
export async function dueForUser(
  db: Db,
  userId: string,
  now: Date = new Date(),
  timeZone?: string,
): Promise<DueResult | null> {
  const stored = await readSchedule(db, userId);
  // the routines of the studies the patient takes part in are due too
  const schedule = withStudySchedules(stored?.schedule ?? null, await studySchedulesOf(db, userId));
  if (!schedule) return null;
  const done = await readDone(db, userId, doneSince(now));
  return dueItems(schedule, done, now, timeZone ?? schedule.timeZone);
}
