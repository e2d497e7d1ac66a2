import { and, eq, isNull } from 'drizzle-orm';
import { emptySchedule, parseSchedule, type Schedule } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { studies, studyEnrolments } from '../db/schema.js';

/**
 * The routines of the studies a patient takes part in (consenting at the current consent version: someone
 * awaiting re-consent is not asked to do study tasks until they agreed to the changed text), for the
 * patient's due list. Withdrawn participants get no study reminders.
 */
export async function studySchedulesOf(
  db: Db,
  patientId: string,
): Promise<{ studyId: string; schedule: Schedule }[]> {
  const rows = await db
    .select({
      studyId: studies.id,
      schedule: studies.schedule,
      current: studies.consentVersion,
      agreed: studyEnrolments.consentVersion,
    })
    .from(studyEnrolments)
    .innerJoin(studies, eq(studies.id, studyEnrolments.studyId))
    .where(and(eq(studyEnrolments.patientId, patientId), isNull(studyEnrolments.withdrawnAt)));
  const out: { studyId: string; schedule: Schedule }[] = [];
  for (const row of rows) {
    if (row.schedule === null || row.agreed !== row.current) continue;
    try {
      out.push({ studyId: row.studyId, schedule: parseSchedule(row.schedule) });
    } catch {
      // validated when the study was saved; a routine of an older format is skipped, not fatal
    }
  }
  return out;
}

/** Longest schedule item id (core's item id pattern). */
const ITEM_ID_MAX = 40;

/**
 * The patient's own routine with the items of their studies' routines added, for the due list: study
 * items get ids of their own (`s<6 chars of the study id>-<item id>`, so they never clash with the
 * patient's items) and their local times are meant in the patient's time zone (the patient's routine's,
 * or the first study's when the patient has none).
 * @param own - the patient's routine, or null
 * @param studyRoutines - from {@link studySchedulesOf}
 * @returns the combined routine, or null when there is neither
 */
export function withStudySchedules(
  own: Schedule | null,
  studyRoutines: readonly { studyId: string; schedule: Schedule }[],
): Schedule | null {
  if (studyRoutines.length === 0) return own;
  const base = own ?? emptySchedule(studyRoutines[0]!.schedule.timeZone);
  const items = [...base.items];
  const taken = new Set(items.map((item) => item.id));
  for (const { studyId, schedule } of studyRoutines) {
    for (const item of schedule.items) {
      const id = `s${studyId.replace(/-/g, '').slice(0, 6)}-${item.id}`.slice(0, ITEM_ID_MAX);
      if (taken.has(id)) continue;
      taken.add(id);
      items.push({ ...item, id });
    }
  }
  return { ...base, items };
}
