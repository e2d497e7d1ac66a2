import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { metricRuns, metricValues, recordings } from '../db/schema.js';
import type { ComputedMetrics } from './analyzer.js';

/** A stored recording, by owner and id. */
export interface RecordingRef {
  patientId: string;
  recordingId: string;
}

/** A recording to analyse: its task and stored canonical JSON. */
export interface RecordingContent {
  taskId: string;
  content: string;
}

/**
 * Recordings to analyse, in one query: their task and stored canonical JSON, by recording id; a
 * recording that is gone, erased or not its patient's is missing from the map.
 */
export async function loadForAnalysis(
  db: Db,
  refs: readonly RecordingRef[],
): Promise<Map<string, RecordingContent>> {
  const out = new Map<string, RecordingContent>();
  if (refs.length === 0) return out;
  const owner = new Map(refs.map((ref) => [ref.recordingId, ref.patientId]));
  const rows = await db
    .select({
      patientId: recordings.patientId,
      id: recordings.id,
      taskId: recordings.taskId,
      content: recordings.content,
    })
    .from(recordings)
    .where(and(inArray(recordings.id, [...owner.keys()]), isNull(recordings.erasedAt)));
  for (const row of rows) {
    if (row.content !== null && owner.get(row.id) === row.patientId) {
      out.set(row.id, { taskId: row.taskId, content: row.content });
    }
  }
  return out;
}

/** Most bound parameters of one statement (PostgreSQL's protocol allows 65,535). */
const MAX_PARAMETERS = 30_000;

/**
 * Stores the outcomes of several analyses for one analysis version, replacing that version's rows of
 * each recording (rows of other versions stay), in one transaction that first locks the recordings'
 * rows FOR SHARE and keeps those that are not erased: an erasure running at the same time either waits
 * and then deletes these rows (trigger of migration 0004), or committed first and nothing is stored for
 * that recording. A handful of statements for the whole batch, whatever its size.
 * @returns the ids of the recordings that were erased or deleted meanwhile (nothing stored for them)
 */
export async function saveMetrics(
  db: Db,
  analysisVersion: string,
  items: readonly { ref: RecordingRef; computed: ComputedMetrics }[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  return db.transaction(async (tx) => {
    const owner = new Map(items.map(({ ref }) => [ref.recordingId, ref.patientId]));
    const locked = await tx
      .select({ patientId: recordings.patientId, id: recordings.id })
      .from(recordings)
      .where(and(inArray(recordings.id, [...owner.keys()]), isNull(recordings.erasedAt)))
      .for('share');
    const live = new Set(locked.filter((row) => owner.get(row.id) === row.patientId).map((row) => row.id));
    const gone = new Set([...owner.keys()].filter((id) => !live.has(id)));
    const kept = items.filter(({ ref }) => live.has(ref.recordingId));
    if (kept.length === 0) return gone;
    // patient ids too: the primary keys lead with patient_id
    const patients = [...new Set(kept.map(({ ref }) => ref.patientId))];
    const ids = kept.map(({ ref }) => ref.recordingId);
    const ofThisVersion = (table: typeof metricValues | typeof metricRuns) =>
      and(
        inArray(table.patientId, patients),
        inArray(table.recordingId, ids),
        eq(table.analysisVersion, analysisVersion),
      );
    await tx.delete(metricValues).where(ofThisVersion(metricValues));
    await tx.delete(metricRuns).where(ofThisVersion(metricRuns));
    const values = kept.flatMap(({ ref, computed }) =>
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
    const rowsPerInsert = Math.floor(MAX_PARAMETERS / 7);
    for (let i = 0; i < values.length; i += rowsPerInsert) {
      await tx.insert(metricValues).values(values.slice(i, i + rowsPerInsert));
    }
    await tx.insert(metricRuns).values(
      kept.map(({ ref, computed }) => ({
        patientId: ref.patientId,
        recordingId: ref.recordingId,
        analysisVersion,
        status: computed.status,
        errorCode: computed.error?.code ?? null,
        errorMessage: computed.error?.message ?? null,
        setupKey: computed.setupKey,
      })),
    );
    return gone;
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
