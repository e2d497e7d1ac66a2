import { and, asc, count, eq, inArray, isNotNull, isNull, max, min, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { insertByUnnest } from '../db/unnest-insert.js';
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
    const values = kept.flatMap(({ ref, computed }) => {
      const flags = JSON.stringify(computed.flags);
      return computed.values.map((v) => ({
        ref,
        metricId: v.metricId,
        metricVersion: v.metricVersion,
        value: v.value,
        flags,
      }));
    });
    // one statement for every value of the batch (drizzle's multi-row insert cost about 50 µs a row)
    await insertByUnnest(tx, 'metric_values', [
      { name: 'patient_id', arrayType: 'uuid[]', values: values.map((v) => v.ref.patientId) },
      { name: 'recording_id', arrayType: 'uuid[]', values: values.map((v) => v.ref.recordingId) },
      { name: 'metric_id', arrayType: 'text[]', values: values.map((v) => v.metricId) },
      { name: 'analysis_version', arrayType: 'text[]', values: values.map(() => analysisVersion) },
      { name: 'metric_version', arrayType: 'text[]', values: values.map((v) => v.metricVersion) },
      { name: 'value', arrayType: 'float8[]', values: values.map((v) => v.value) },
      {
        name: 'flags',
        arrayType: 'text[]',
        values: values.map((v) => v.flags),
        // the flags of each row go as a JSON array (a 2-D array parameter would need rows of one length)
        expression:
          'array(select f from jsonb_array_elements_text(flags::jsonb) with ordinality as e(f, n) order by n)',
      },
    ]);
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

/** One task, metric and hand the patient has values of. */
export interface OverviewRow {
  taskId: string;
  metricId: string;
  hand: string;
  /** Sessions with a value. */
  sessions: number;
  first: Date;
  last: Date;
}

/**
 * Which metrics of which tasks and hands have values for the current analysis version, in one grouped
 * query over the patient's rows (index `metric_values_patient_metric_idx` leads with the patient).
 */
export async function loadOverview(
  db: Db,
  query: { patientId: string; analysisVersion: string },
): Promise<OverviewRow[]> {
  const rows = await db
    .select({
      taskId: recordings.taskId,
      metricId: metricValues.metricId,
      hand: recordings.hand,
      sessions: count(),
      first: min(recordings.startedAt),
      last: max(recordings.startedAt),
    })
    .from(metricValues)
    .innerJoin(
      recordings,
      and(eq(recordings.patientId, metricValues.patientId), eq(recordings.id, metricValues.recordingId)),
    )
    .where(
      and(
        eq(metricValues.patientId, query.patientId),
        eq(metricValues.analysisVersion, query.analysisVersion),
        isNotNull(metricValues.value),
        isNull(recordings.erasedAt),
      ),
    )
    .groupBy(recordings.taskId, metricValues.metricId, recordings.hand)
    .orderBy(asc(recordings.taskId), asc(metricValues.metricId), asc(recordings.hand));
  return rows.map((row) => ({
    taskId: row.taskId,
    metricId: row.metricId,
    hand: row.hand,
    sessions: Number(row.sessions),
    first: new Date(row.first ?? 0),
    last: new Date(row.last ?? 0),
  }));
}
