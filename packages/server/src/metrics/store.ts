import { and, asc, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { metricRuns, metricValues, recordings } from '../db/schema.js';
import type { ComputedMetrics } from './analyzer.js';

/** A stored recording, by owner and id. */
export interface RecordingRef {
  patientId: string;
  recordingId: string;
}

/** A recording to analyse: its task and stored canonical JSON; null when it is gone or erased. */
export async function loadForAnalysis(
  db: Db,
  ref: RecordingRef,
): Promise<{ taskId: string; content: string } | null> {
  const rows = await db
    .select({ taskId: recordings.taskId, content: recordings.content })
    .from(recordings)
    .where(
      and(
        eq(recordings.patientId, ref.patientId),
        eq(recordings.id, ref.recordingId),
        isNull(recordings.erasedAt),
      ),
    );
  const row = rows[0];
  return row && row.content !== null ? { taskId: row.taskId, content: row.content } : null;
}

/**
 * Stores the outcome of one analysis for one analysis version, replacing that version's rows of the
 * recording (rows of other versions stay). In one transaction that first locks the recording row
 * FOR SHARE and checks that it is not erased: an erasure running at the same time either waits and then
 * deletes these rows (trigger of migration 0004), or committed first and nothing is stored.
 * @returns `saved`, or `gone` when the recording was erased or deleted meanwhile
 */
export async function saveMetrics(
  db: Db,
  ref: RecordingRef,
  analysisVersion: string,
  computed: ComputedMetrics,
): Promise<'saved' | 'gone'> {
  return db.transaction(async (tx) => {
    const live = await tx
      .select({ id: recordings.id })
      .from(recordings)
      .where(
        and(
          eq(recordings.patientId, ref.patientId),
          eq(recordings.id, ref.recordingId),
          isNull(recordings.erasedAt),
        ),
      )
      .for('share');
    if (live.length === 0) return 'gone';
    const ofThisVersion = (table: typeof metricValues | typeof metricRuns) =>
      and(
        eq(table.patientId, ref.patientId),
        eq(table.recordingId, ref.recordingId),
        eq(table.analysisVersion, analysisVersion),
      );
    await tx.delete(metricValues).where(ofThisVersion(metricValues));
    await tx.delete(metricRuns).where(ofThisVersion(metricRuns));
    if (computed.values.length > 0) {
      await tx.insert(metricValues).values(
        computed.values.map((v) => ({
          patientId: ref.patientId,
          recordingId: ref.recordingId,
          metricId: v.metricId,
          analysisVersion,
          metricVersion: v.metricVersion,
          value: v.value,
          flags: computed.flags,
        })),
      );
    }
    await tx.insert(metricRuns).values({
      patientId: ref.patientId,
      recordingId: ref.recordingId,
      analysisVersion,
      status: computed.status,
      errorCode: computed.error?.code ?? null,
      errorMessage: computed.error?.message ?? null,
      setupKey: computed.setupKey,
    });
    return 'saved';
  });
}

/**
 * Stored (not erased) recordings to analyse for an analysis version, oldest upload first: those without
 * a run of that version, or with `all` every one.
 * @param db - the database
 * @param analysisVersion - the version to compute
 * @param options - `all`: every recording; `task`: only this task's
 */
export async function recordingsToAnalyse(
  db: Db,
  analysisVersion: string,
  options: { all?: boolean; task?: string } = {},
): Promise<(RecordingRef & { taskId: string })[]> {
  const missingRun = notExists(
    db
      .select({ one: sql`1` })
      .from(metricRuns)
      .where(
        and(
          eq(metricRuns.patientId, recordings.patientId),
          eq(metricRuns.recordingId, recordings.id),
          eq(metricRuns.analysisVersion, analysisVersion),
        ),
      ),
  );
  return db
    .select({ patientId: recordings.patientId, recordingId: recordings.id, taskId: recordings.taskId })
    .from(recordings)
    .where(
      and(
        isNull(recordings.erasedAt),
        options.task ? eq(recordings.taskId, options.task) : undefined,
        options.all ? undefined : missingRun,
      ),
    )
    .orderBy(asc(recordings.receivedAt), asc(recordings.id));
}

/** A recording's run and values of one analysis version. */
export interface RecordingMetrics {
  run: typeof metricRuns.$inferSelect | null;
  values: (typeof metricValues.$inferSelect)[];
}

/** The run and metric values of one recording for one analysis version (values by metric id). */
export async function loadRecordingMetrics(
  db: Db,
  ref: RecordingRef,
  analysisVersion: string,
): Promise<RecordingMetrics> {
  const [runs, values] = await Promise.all([
    db
      .select()
      .from(metricRuns)
      .where(
        and(
          eq(metricRuns.patientId, ref.patientId),
          eq(metricRuns.recordingId, ref.recordingId),
          eq(metricRuns.analysisVersion, analysisVersion),
        ),
      ),
    db
      .select()
      .from(metricValues)
      .where(
        and(
          eq(metricValues.patientId, ref.patientId),
          eq(metricValues.recordingId, ref.recordingId),
          eq(metricValues.analysisVersion, analysisVersion),
        ),
      )
      .orderBy(asc(metricValues.metricId)),
  ]);
  return { run: runs[0] ?? null, values };
}

/** One point of a metric's series: a recording's value with what the change statistics need. */
export interface SeriesRow {
  recordingId: string;
  startedAt: Date;
  value: number | null;
  /** The analysis's flags and the recording's capture flags. */
  flags: string[];
  setupKey: string;
}

/**
 * A patient's values of one metric for one task, hand and analysis version, oldest first (erased
 * recordings have no rows).
 */
export async function loadSeries(
  db: Db,
  query: { patientId: string; taskId: string; metricId: string; hand: string; analysisVersion: string },
): Promise<SeriesRow[]> {
  const rows = await db
    .select({
      recordingId: metricValues.recordingId,
      startedAt: recordings.startedAt,
      value: metricValues.value,
      flags: metricValues.flags,
      recordingFlags: recordings.flags,
      setupKey: metricRuns.setupKey,
    })
    .from(metricValues)
    .innerJoin(
      recordings,
      and(eq(recordings.patientId, metricValues.patientId), eq(recordings.id, metricValues.recordingId)),
    )
    .innerJoin(
      metricRuns,
      and(
        eq(metricRuns.patientId, metricValues.patientId),
        eq(metricRuns.recordingId, metricValues.recordingId),
        eq(metricRuns.analysisVersion, metricValues.analysisVersion),
      ),
    )
    .where(
      and(
        eq(metricValues.patientId, query.patientId),
        eq(metricValues.metricId, query.metricId),
        eq(metricValues.analysisVersion, query.analysisVersion),
        eq(recordings.taskId, query.taskId),
        eq(recordings.hand, query.hand),
        isNull(recordings.erasedAt),
      ),
    )
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  return rows.map((row) => ({
    recordingId: row.recordingId,
    startedAt: row.startedAt,
    value: row.value,
    flags: [...new Set([...row.flags, ...row.recordingFlags])].sort(),
    setupKey: row.setupKey ?? '',
  }));
}
