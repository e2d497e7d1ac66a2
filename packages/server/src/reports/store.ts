import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { metricRuns, metricValues, recordings } from '../db/schema.js';
import type { SeriesRow } from '../metrics/store.js';

/** A stored value of one metric of one recording in a report's period. */
export interface PeriodValueRow extends SeriesRow {
  taskId: string;
  hand: string;
  metricId: string;
  /** Uploaded by someone other than the patient (a supervised session). */
  supervised: boolean;
}

/**
 * The values of the given metrics of every recording a patient started in [start, end), oldest first:
 * the same rows as `loadSeries` of each task, metric and hand, cut to the period. Three single-table
 * queries (the recordings of the period by `recordings_patient_started_idx`, then their runs and values
 * by primary key) joined here: a join in SQL was planned as nested loops over the whole metric table on
 * a database without planner statistics (PGlite runs no autovacuum), seconds for a year of data.
 */
export async function loadPeriodValues(
  db: Db,
  query: { patientId: string; analysisVersion: string; metricIds: readonly string[]; start: Date; end: Date },
): Promise<PeriodValueRow[]> {
  if (query.metricIds.length === 0) return [];
  const periodRecordings = await db
    .select({
      id: recordings.id,
      taskId: recordings.taskId,
      hand: recordings.hand,
      startedAt: recordings.startedAt,
      uploadedBy: recordings.uploadedBy,
      flags: recordings.flags,
    })
    .from(recordings)
    .where(
      and(
        eq(recordings.patientId, query.patientId),
        gte(recordings.startedAt, query.start),
        lt(recordings.startedAt, query.end),
        isNull(recordings.erasedAt),
      ),
    )
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  if (periodRecordings.length === 0) return [];
  const ids = periodRecordings.map((r) => r.id);
  const [runs, values] = await Promise.all([
    db
      .select({ recordingId: metricRuns.recordingId, setupKey: metricRuns.setupKey })
      .from(metricRuns)
      .where(
        and(
          eq(metricRuns.patientId, query.patientId),
          inArray(metricRuns.recordingId, ids),
          eq(metricRuns.analysisVersion, query.analysisVersion),
        ),
      ),
    db
      .select({
        recordingId: metricValues.recordingId,
        metricId: metricValues.metricId,
        value: metricValues.value,
        flags: metricValues.flags,
      })
      .from(metricValues)
      .where(
        and(
          eq(metricValues.patientId, query.patientId),
          inArray(metricValues.recordingId, ids),
          inArray(metricValues.metricId, [...query.metricIds]),
          eq(metricValues.analysisVersion, query.analysisVersion),
        ),
      ),
  ]);
  const setupOf = new Map(runs.map((run) => [run.recordingId, run.setupKey ?? '']));
  const valuesOf = new Map<string, typeof values>();
  for (const value of values) {
    const list = valuesOf.get(value.recordingId) ?? [];
    list.push(value);
    valuesOf.set(value.recordingId, list);
  }
  return periodRecordings.flatMap((recording) => {
    const setupKey = setupOf.get(recording.id);
    if (setupKey === undefined) return [];
    return (valuesOf.get(recording.id) ?? []).map((value) => ({
      recordingId: recording.id,
      taskId: recording.taskId,
      hand: recording.hand,
      startedAt: recording.startedAt,
      metricId: value.metricId,
      value: value.value,
      flags: [...new Set([...value.flags, ...recording.flags])].sort(),
      setupKey,
      supervised: recording.uploadedBy !== query.patientId,
    }));
  });
}
