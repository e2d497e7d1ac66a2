import { createHmac, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  CLINICIAN_SCALES,
  INJECTED_MUSCLES,
  INJECTION_GUIDANCE,
  INJECTION_SIDES,
  RATER_ROLES,
  SURGERIES,
  SURGERY_SIDES,
  TASK_MODIFICATIONS,
  THERAPIES,
  TOXIN_PRODUCTS,
  TOXIN_SIDE_EFFECTS,
  deidentifyRecording,
  parseRecording,
  shiftDay,
  type DeidentifiedRecording,
  type Recording,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { entryRevisions, metricValues, recordings } from '../db/schema.js';
import { participantStatus, type EnrolmentRow, type StudyRow } from './store.js';

/*
 * The de-identified export of a study. Who is in it:
 * - participants consenting at the study's current consent version;
 * - participants who withdrew and chose (or were promised) `keep`: their data up to the withdrawal;
 * - nobody else: not those who withdrew with `delete`, and not those awaiting re-consent to a changed
 *   consent text (they are left out entirely until they agree to the new text; then everything from their
 *   enrolment on is in again, as the new text covers their whole participation).
 * What: only data from the participant's enrolment on (and before the withdrawal), recordings of the study's
 * tasks only. Every date is the participant's day shifted by their secret shift (never exported); no time of
 * day, no names, user names, real ids, free text, device or browser names, addresses or user agents.
 */

/** Format version of the export file. */
export const STUDY_EXPORT_FORMAT_VERSION = 1;

/** One participant's data window and what identifies them in the export. */
interface Participant {
  enrolment: EnrolmentRow;
  from: Date;
  until: Date | null;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A recording of a participant in the export, before its content is read. */
interface RecordingRow {
  id: string;
  taskId: string;
  hand: string;
  startedAt: Date;
  durationMs: number;
}

/** The export file's content. */
export interface StudyExport {
  format: 'dystrack-study-export';
  /* no export date: with the shifted days it would bound each participant's shift */
  formatVersion: number;
  study: { title: string; tasks: string[]; consentVersion: number };
  deidentification: Record<string, string>;
  participants: { pseudonym: string; consentVersion: number; status: 'consenting' | 'withdrawn' }[];
  recordings: {
    id: string;
    participant: string;
    taskId: string;
    hand: string;
    day: string;
    durationMs: number;
    content: DeidentifiedRecording | null;
  }[];
  metrics: {
    participant: string;
    recording: string;
    taskId: string;
    hand: string;
    day: string;
    metricId: string;
    value: number | null;
    analysisVersion: string;
  }[];
  scaleTotals: { participant: string; scaleId: string; total: number; day: string; raterRole: string }[];
  treatments: ({ participant: string; kind: string; day: string } & Record<string, Json>)[];
}

const SCALE_IDS = new Set(CLINICIAN_SCALES.map((scale) => scale.id as string));

/** The patients whose data an export of the study holds (and each one's data window). */
export function exportedParticipants(study: StudyRow, enrolments: readonly EnrolmentRow[]): Participant[] {
  const out: Participant[] = [];
  for (const enrolment of enrolments) {
    const status = participantStatus(enrolment, study);
    if (status === 'consenting') out.push({ enrolment, from: enrolment.enrolledAt, until: null });
    else if (status === 'withdrawn' && enrolment.withdrawalData === 'keep')
      out.push({ enrolment, from: enrolment.enrolledAt, until: enrolment.withdrawnAt });
  }
  // ordered by pseudonym (random), not by enrolment, so that the order says nothing about who came when
  return out.sort((a, b) => a.enrolment.pseudonym.localeCompare(b.enrolment.pseudonym));
}

function inWindow(at: Date, participant: Participant): boolean {
  return (
    at.getTime() >= participant.from.getTime() &&
    (!participant.until || at.getTime() < participant.until.getTime())
  );
}

/** A value from a fixed list, or `other`. */
function oneOf(value: unknown, allowed: readonly string[]): string {
  return typeof value === 'string' && allowed.includes(value) ? value : 'other';
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A stored YYYY-MM-DD shifted, or null when it is not a day. */
function shifted(day: unknown, shift: number): string | null {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  try {
    return shiftDay(day, shift);
  } catch {
    return null;
  }
}

/** A treatment's fixed-list fields and numbers only (names, doses as typed, notes and `other` texts stay out). */
function treatmentFields(data: Record<string, unknown>, shift: number): Record<string, Json> | null {
  const type = data.type;
  const day = shifted(data.date ?? data.start, shift);
  if (day === null) return null;
  switch (type) {
    case 'botulinum-toxin': {
      const injections = Array.isArray(data.injections) ? (data.injections as Record<string, unknown>[]) : [];
      return {
        kind: type,
        day,
        product: oneOf(data.product, TOXIN_PRODUCTS),
        guidance: data.guidance === null ? null : oneOf(data.guidance, INJECTION_GUIDANCE),
        sideEffects: Array.isArray(data.sideEffects)
          ? (data.sideEffects as unknown[]).map((s) => oneOf(s, TOXIN_SIDE_EFFECTS))
          : [],
        injections: injections.map((row) => ({
          muscle: oneOf(row.muscle, INJECTED_MUSCLES),
          side: oneOf(row.side, INJECTION_SIDES),
          units: finiteOrNull(row.units),
        })),
      };
    }
    case 'medication':
      // the name, dose and schedule are typed text: only that there was a medication, and when
      return { kind: type, day, stopDay: shifted(data.stop, shift) };
    case 'therapy':
      return { kind: type, day, therapy: oneOf(data.therapy, THERAPIES), stopDay: shifted(data.stop, shift) };
    case 'task-modification':
      return {
        kind: type,
        day,
        modification: oneOf(data.modification, TASK_MODIFICATIONS),
        stopDay: shifted(data.stop, shift),
      };
    case 'surgery':
      return {
        kind: type,
        day,
        procedure: oneOf(data.procedure, SURGERIES),
        side: data.side === null ? null : oneOf(data.side, SURGERY_SIDES),
      };
    case 'dbs-settings':
      return { kind: type, day };
    default:
      return null;
  }
}

/** The current (latest, not deleted) entries of a kind of a patient. */
async function currentEntries(db: Db, patientId: string, kind: 'clinician-scale-total' | 'treatment') {
  return db
    .select({ at: entryRevisions.at, data: entryRevisions.data })
    .from(entryRevisions)
    .where(
      and(
        eq(entryRevisions.patientId, patientId),
        eq(entryRevisions.kind, kind),
        eq(entryRevisions.deleted, false),
        sql`not exists (select 1 from "entry_revisions" as "newer" where "newer"."patient_id" = "entry_revisions"."patient_id" and "newer"."entry_id" = "entry_revisions"."entry_id" and "newer"."revision" > "entry_revisions"."revision")`,
      ),
    );
}

/** A participant exported, for the audit log: each patient's log shows that their de-identified data went out. */
export interface ExportedParticipant {
  patientId: string;
  pseudonym: string;
  recordings: number;
}

/**
 * Builds the de-identified export of a study as JSON text in pieces (a {@link StudyExport}), so that a study
 * of any size goes out without the server holding it whole: the recordings' contents are read one at a time
 * as the pieces are taken. Who is in it and how many recordings of each is known before the first piece.
 * @param db - the database
 * @param study - the study
 * @param enrolments - every enrolment of the study
 * @returns the patients whose data is in it, and the export's text in pieces (read them once)
 */
export async function buildStudyExport(
  db: Db,
  study: StudyRow,
  enrolments: readonly EnrolmentRow[],
): Promise<{ exported: ExportedParticipant[]; chunks: AsyncGenerator<string> }> {
  // recording ids are replaced by an HMAC under a key made for this export and then forgotten: they cannot
  // be traced back to the stored ids, nor linked across exports
  const key = randomBytes(32);
  const recordingId = (id: string) => `R-${createHmac('sha256', key).update(id).digest('hex').slice(0, 16)}`;
  const participants = exportedParticipants(study, enrolments);
  // each participant's recordings in the export, without their content (read when their piece is made)
  const recordingsOf = new Map<Participant, RecordingRow[]>();
  for (const participant of participants) {
    const rows = await db
      .select({
        id: recordings.id,
        taskId: recordings.taskId,
        hand: recordings.hand,
        startedAt: recordings.startedAt,
        durationMs: recordings.durationMs,
        stored: sql<boolean>`${recordings.content} is not null`,
      })
      .from(recordings)
      .where(
        and(
          eq(recordings.patientId, participant.enrolment.patientId),
          inArray(recordings.taskId, study.tasks),
          isNull(recordings.erasedAt),
        ),
      )
      .orderBy(recordings.startedAt, recordings.id);
    recordingsOf.set(
      participant,
      rows.filter((row) => row.stored && inWindow(row.startedAt, participant)),
    );
  }
  const exported = participants.map((participant) => ({
    patientId: participant.enrolment.patientId,
    pseudonym: participant.enrolment.pseudonym,
    recordings: recordingsOf.get(participant)!.length,
  }));
  const head: Omit<StudyExport, 'recordings' | 'metrics' | 'scaleTotals' | 'treatments'> = {
    format: 'dystrack-study-export',
    formatVersion: STUDY_EXPORT_FORMAT_VERSION,
    study: { title: study.title, tasks: [...study.tasks], consentVersion: study.consentVersion },
    deidentification: {
      participants:
        'Consenting participants at the current consent version, and withdrawn ones whose data was to be kept (data up to the withdrawal). Participants awaiting consent to a changed text are left out until they agree.',
      ids: 'Participants by a random pseudonym; recordings by an id made for this export only.',
      dates:
        "Every date is shifted by the participant's own secret number of days (−180 to +180, never 0); no time of day. Intervals within a participant are exact.",
      recordings:
        'Event times relative to the first event of the recording; no device, browser, MIDI port or file names; typed keys as coarse classes only; free text removed.',
      omitted:
        'Names, user names, real ids, free text (notes, medication names, rater names), addresses, user agents.',
    },
    participants: participants.map(({ enrolment, until }) => ({
      pseudonym: enrolment.pseudonym,
      consentVersion: enrolment.consentVersion,
      status: until ? ('withdrawn' as const) : ('consenting' as const),
    })),
  };

  /** The recording's export id and shifted day, by stored id: what its metric values are exported with. */
  const exportedRecordings = new Map<string, { id: string; day: string; taskId: string; hand: string }>();

  async function* recordingItems(): AsyncGenerator<StudyExport['recordings'][number]> {
    for (const participant of participants) {
      const { enrolment } = participant;
      // in the participant's days (their own calendar day, which a time-zone change can reorder), then time
      const items: StudyExport['recordings'][number][] = [];
      for (const row of recordingsOf.get(participant)!) {
        const [stored] = await db
          .select({ content: recordings.content })
          .from(recordings)
          .where(
            and(
              eq(recordings.patientId, enrolment.patientId),
              eq(recordings.id, row.id),
              isNull(recordings.erasedAt),
            ),
          );
        // erased since the export began: it does not go out
        if (stored?.content == null) continue;
        let recording: Recording | null;
        try {
          recording = parseRecording<Recording>(JSON.parse(stored.content)).current;
        } catch {
          recording = null; // a stored recording no longer valid: its summary goes out, not its content
        }
        // the person's own calendar day (the offset they recorded in), shifted
        const localDay = recording?.startedAt.slice(0, 10) ?? row.startedAt.toISOString().slice(0, 10);
        const day = shiftDay(localDay, enrolment.dateShiftDays);
        const id = recordingId(row.id);
        exportedRecordings.set(row.id, { id, day, taskId: row.taskId, hand: row.hand });
        const item = {
          id,
          participant: enrolment.pseudonym,
          taskId: row.taskId,
          hand: row.hand,
          day,
          durationMs: row.durationMs,
          content: recording ? deidentifyRecording(recording, { pseudonymousId: id, day }) : null,
        };
        // a recording goes out as soon as no later one of this participant can fall on an earlier day
        // (local days run at most a day apart from UTC ones); only those few wait
        items.push(item);
        items.sort((a, b) => a.day.localeCompare(b.day));
        const horizon = shiftDay(row.startedAt.toISOString().slice(0, 10), enrolment.dateShiftDays - 1);
        while (items.length > 0 && items[0]!.day < horizon) yield items.shift()!;
      }
      yield* items;
    }
  }

  async function* metricItems(): AsyncGenerator<StudyExport['metrics'][number]> {
    for (const participant of participants) {
      const ids = recordingsOf.get(participant)!.map((row) => row.id);
      if (ids.length === 0) continue;
      const values = await db
        .select({
          recordingId: metricValues.recordingId,
          metricId: metricValues.metricId,
          value: metricValues.value,
          analysisVersion: metricValues.analysisVersion,
        })
        .from(metricValues)
        .where(
          and(
            eq(metricValues.patientId, participant.enrolment.patientId),
            inArray(metricValues.recordingId, ids),
          ),
        )
        .orderBy(metricValues.recordingId, metricValues.metricId, metricValues.analysisVersion);
      for (const value of values) {
        const recording = exportedRecordings.get(value.recordingId)!;
        yield {
          participant: participant.enrolment.pseudonym,
          recording: recording.id,
          taskId: recording.taskId,
          hand: recording.hand,
          day: recording.day,
          metricId: value.metricId,
          value: value.value,
          analysisVersion: value.analysisVersion,
        };
      }
    }
  }

  async function* scaleTotalItems(): AsyncGenerator<StudyExport['scaleTotals'][number]> {
    for (const participant of participants) {
      const { enrolment } = participant;
      for (const entry of await currentEntries(db, enrolment.patientId, 'clinician-scale-total')) {
        if (!inWindow(entry.at, participant)) continue;
        const data = (entry.data ?? {}) as Record<string, unknown>;
        const day = shifted(data.date, enrolment.dateShiftDays);
        const total = finiteOrNull(data.total);
        if (day === null || total === null) continue;
        const rater = (data.rater ?? {}) as Record<string, unknown>;
        yield {
          participant: enrolment.pseudonym,
          scaleId: SCALE_IDS.has(String(data.scaleId)) ? String(data.scaleId) : 'other',
          total,
          day,
          raterRole: oneOf(rater.role, RATER_ROLES),
        };
      }
    }
  }

  async function* treatmentItems(): AsyncGenerator<StudyExport['treatments'][number]> {
    for (const participant of participants) {
      const { enrolment } = participant;
      for (const entry of await currentEntries(db, enrolment.patientId, 'treatment')) {
        if (!inWindow(entry.at, participant)) continue;
        const fields = treatmentFields(
          (entry.data ?? {}) as Record<string, unknown>,
          enrolment.dateShiftDays,
        );
        if (fields)
          yield { participant: enrolment.pseudonym, ...fields } as StudyExport['treatments'][number];
      }
    }
  }

  async function* chunks(): AsyncGenerator<string> {
    // the head object's text without its closing brace, then each list in turn
    yield JSON.stringify(head).slice(0, -1);
    const lists: [keyof StudyExport, () => AsyncGenerator<unknown>][] = [
      ['recordings', recordingItems],
      ['metrics', metricItems],
      ['scaleTotals', scaleTotalItems],
      ['treatments', treatmentItems],
    ];
    for (const [name, items] of lists) {
      yield `,${JSON.stringify(name)}:[`;
      let first = true;
      for await (const item of items()) {
        yield `${first ? '' : ','}${JSON.stringify(item)}`;
        first = false;
      }
      yield ']';
    }
    yield '}';
  }

  return { exported, chunks: chunks() };
}
