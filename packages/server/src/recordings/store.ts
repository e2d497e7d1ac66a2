import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { recordings } from '../db/schema.js';
import type { PreparedRecording } from './prepare.js';
import type { RecordingSummaryRow } from './summary.js';

/** The columns of a summary: everything except the content. */
const summaryColumns = {
  id: recordings.id,
  taskId: recordings.taskId,
  taskVersion: recordings.taskVersion,
  schemaVersion: recordings.schemaVersion,
  hand: recordings.hand,
  startedAt: recordings.startedAt,
  durationMs: recordings.durationMs,
  flags: recordings.flags,
  sha256: recordings.sha256,
  byteLength: recordings.byteLength,
  receivedAt: recordings.receivedAt,
  erasedAt: recordings.erasedAt,
  // a recording another person uploaded for the patient: a clinician in the clinic (supervised)
  supervisedBy: sql<string | null>`nullif(${recordings.uploadedBy}, ${recordings.patientId})`,
};

/** A stored recording's summary row with its owner. */
export interface OwnedSummaryRow extends RecordingSummaryRow {
  patientId: string;
}

/** What an upload did: stored a new recording, or found the identical one already stored. */
export interface StoreOutcome {
  created: boolean;
  row: RecordingSummaryRow;
}

/**
 * The insert of every upload as a prepared statement (built once per database; on PostgreSQL each
 * pooled connection parses it once). Values go through the columns' encoders as in a plain insert.
 */
function prepareRecordingInsert(db: Db) {
  const p = sql.placeholder;
  return db
    .insert(recordings)
    .values({
      patientId: p('patientId'),
      id: p('id'),
      taskId: p('taskId'),
      taskVersion: p('taskVersion'),
      schemaVersion: p('schemaVersion'),
      hand: p('hand'),
      startedAt: p('startedAt'),
      durationMs: p('durationMs'),
      flags: p('flags'),
      sha256: p('sha256'),
      byteLength: p('byteLength'),
      content: p('content'),
      uploadedBy: p('uploadedBy'),
    })
    .onConflictDoNothing()
    .returning(summaryColumns)
    .prepare('dystrack_insert_recording');
}

const recordingInserts = new WeakMap<Db, ReturnType<typeof prepareRecordingInsert>>();

/**
 * Stores a recording once. Uploads are idempotent on the client's id: the same id with the same
 * canonical content (same SHA-256) returns the stored row; anything else with a taken id is refused.
 * One statement in the common case: `INSERT … ON CONFLICT DO NOTHING` against the primary key
 * (patient_id, id) and the unique index on id, so concurrent uploads of one id, by one patient or by
 * two, store it once; only an upload that hit an existing id reads the stored row to compare.
 * @param db - the database
 * @param recording - the validated recording
 * @param owner - whose recording it is and who uploads it
 * @throws CodedError `E_RECORDING_CONFLICT` when the id holds other content or belongs to another
 *   patient (the same answer either way, so nothing about the other patient is revealed),
 *   `E_RECORDING_ERASED` when the owner erased it
 */
export async function storeRecording(
  db: Db,
  recording: PreparedRecording,
  owner: { patientId: string; uploadedBy: string },
): Promise<StoreOutcome> {
  let insert = recordingInserts.get(db);
  if (!insert) recordingInserts.set(db, (insert = prepareRecordingInsert(db)));
  const inserted = await insert.execute({
    patientId: owner.patientId,
    id: recording.id,
    taskId: recording.taskId,
    taskVersion: recording.taskVersion,
    schemaVersion: recording.schemaVersion,
    hand: recording.hand,
    startedAt: recording.startedAt,
    durationMs: recording.durationMs,
    flags: recording.flags,
    sha256: recording.sha256,
    byteLength: recording.byteLength,
    content: recording.content,
    uploadedBy: owner.uploadedBy,
  });
  if (inserted[0]) return { created: true, row: inserted[0] };
  const stored = await db
    .select({ ...summaryColumns, patientId: recordings.patientId })
    .from(recordings)
    .where(eq(recordings.id, recording.id));
  const row = stored[0];
  if (!row) throw new Error(`recording ${recording.id} neither inserted nor found`);
  if (row.patientId !== owner.patientId) throw new CodedError('E_RECORDING_CONFLICT');
  if (row.erasedAt) throw new CodedError('E_RECORDING_ERASED');
  if (row.sha256 !== recording.sha256 || row.byteLength !== recording.byteLength) {
    throw new CodedError('E_RECORDING_CONFLICT');
  }
  const { patientId: _owner, ...summary } = row;
  return { created: false, row: summary };
}

/**
 * Finds a recording by id (ids are unique; the caller's own row first should a database distributed by
 * patient ever hold the same id twice).
 * @param db - the database
 * @param id - the recording id
 * @param preferPatientId - the caller, whose row wins if there were several
 */
export async function findRecording(
  db: Db,
  id: string,
  preferPatientId: string | null,
): Promise<OwnedSummaryRow | null> {
  const rows = await db
    .select({ ...summaryColumns, patientId: recordings.patientId })
    .from(recordings)
    .where(eq(recordings.id, id))
    .orderBy(
      desc(sql`${recordings.patientId} = ${preferPatientId ?? '00000000-0000-0000-0000-000000000000'}`),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** The stored canonical JSON of a recording, or null when erased or absent. */
export async function loadContent(db: Db, patientId: string, id: string): Promise<string | null> {
  const rows = await db
    .select({ content: recordings.content })
    .from(recordings)
    .where(and(eq(recordings.patientId, patientId), eq(recordings.id, id)));
  return rows[0]?.content ?? null;
}

/**
 * Erases a recording's content (the only change the database allows): the content becomes null and
 * `erased_at` is set; the summary and the id stay, so the id can never be reused. Erasing an erased
 * recording changes nothing.
 * @returns the summary row after erasure, or null if the patient has no such recording
 */
export async function eraseRecording(
  db: Db,
  patientId: string,
  id: string,
): Promise<RecordingSummaryRow | null> {
  const updated = await db
    .update(recordings)
    .set({ content: null, erasedAt: sql`now()` })
    .where(and(eq(recordings.patientId, patientId), eq(recordings.id, id), isNull(recordings.erasedAt)))
    .returning(summaryColumns);
  if (updated[0]) return updated[0];
  const rows = await db
    .select(summaryColumns)
    .from(recordings)
    .where(and(eq(recordings.patientId, patientId), eq(recordings.id, id)));
  return rows[0] ?? null;
}

/** A position in the newest-first list of recordings: the last row's start (µs since the epoch) and id. */
export interface RecordingCursor {
  startedAtUs: bigint;
  id: string;
}

/**
 * One page of a patient's recordings, newest first (by start, then id), erased ones included.
 * @param db - the database
 * @param patientId - whose recordings
 * @param options - page size and the cursor of the previous page's last row
 */
export async function listRecordings(
  db: Db,
  patientId: string,
  options: { limit: number; after?: RecordingCursor | undefined },
): Promise<{ rows: RecordingSummaryRow[]; next: RecordingCursor | null }> {
  const { limit, after } = options;
  // the cursor keeps the database's microseconds: a JS Date would round them to ms and skip rows
  const startedAtUs = sql<string>`(extract(epoch from ${recordings.startedAt}) * 1000000)::bigint::text`;
  const rows = await db
    .select({ ...summaryColumns, startedAtUs })
    .from(recordings)
    .where(
      and(
        eq(recordings.patientId, patientId),
        after
          ? sql`(${recordings.startedAt}, ${recordings.id}) < (timestamptz 'epoch' + ${after.startedAtUs.toString()}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(recordings.startedAt), desc(recordings.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map(({ startedAtUs: _us, ...row }) => row),
    next: rows.length > limit && last ? { startedAtUs: BigInt(last.startedAtUs), id: last.id } : null,
  };
}
