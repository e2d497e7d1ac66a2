import { randomInt, randomUUID } from 'node:crypto';
import { formatShareCode, newShareCode, normaliseShareCode, randomCrockford } from '../sharing/codes.js';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { CodedError, type Schedule, type TaskId } from '@dystrack/core';
import type { Db } from '../db/database.js';
import type { WITHDRAWAL_DATA } from '../db/schema.js';
import { studies, studyConsentEvents, studyConsentVersions, studyEnrolments, users } from '../db/schema.js';

/*
 * Research studies: the researcher's definition, its consent versions, and the patients' enrolments.
 * Every consent and withdrawal is appended to study_consent_events (the enrolment row holds the current
 * state). A participant's status is derived, never stored:
 * - `withdrawn` once `withdrawn_at` is set (final: withdrawing cannot be undone by enrolling again, so that a
 *   promise to delete is never reversed by accident);
 * - `awaiting-reconsent` while the consent version they agreed to is older than the study's current one;
 * - `consenting` otherwise.
 */

export type WithdrawalData = (typeof WITHDRAWAL_DATA)[number];
export type ParticipantStatus = 'consenting' | 'awaiting-reconsent' | 'withdrawn';
export type StudyRow = typeof studies.$inferSelect;
export type EnrolmentRow = typeof studyEnrolments.$inferSelect;
export type ConsentVersionRow = typeof studyConsentVersions.$inferSelect;

/** A study's enrol code, `XXXX-XXXX` (40 bits; not a secret: it is on the recruitment material). */
export function newEnrolCode(): string {
  return newShareCode(8);
}

/** An enrol code as typed (case, hyphens and spaces ignored, look-alike letters read as digits), or null. */
export function normaliseEnrolCode(code: string): string | null {
  const normalised = normaliseShareCode(code, 8);
  return normalised === null ? null : formatShareCode(normalised);
}

/** A participant's pseudonym, `P-XXXXXX` (30 bits; unique per study, retried on a clash). */
export function newPseudonym(): string {
  return `P-${randomCrockford(6)}`;
}

/** Largest date shift, days either way. */
export const MAX_DATE_SHIFT_DAYS = 180;

/** A participant's secret date shift: uniform in −180…+180 days, never 0 (a zero shift would be no shift). */
export function newDateShift(): number {
  const shift = randomInt(-MAX_DATE_SHIFT_DAYS, MAX_DATE_SHIFT_DAYS); // −180…+179
  return shift >= 0 ? shift + 1 : shift; // −180…−1, 1…180
}

/** The status of an enrolment in a study. */
export function participantStatus(
  enrolment: Pick<EnrolmentRow, 'withdrawnAt' | 'consentVersion'>,
  study: Pick<StudyRow, 'consentVersion'>,
): ParticipantStatus {
  if (enrolment.withdrawnAt) return 'withdrawn';
  return enrolment.consentVersion < study.consentVersion ? 'awaiting-reconsent' : 'consenting';
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** What a researcher gives to define a study. */
export interface StudyInput {
  title: string;
  description: string;
  tasks: TaskId[];
  schedule: Schedule | null;
  consent: { text: string; withdrawalData: WithdrawalData };
}

/** Creates a study with consent version 1 (a new enrol code on the rare clash). */
export async function createStudy(db: Db, researcherId: string, input: StudyInput): Promise<StudyRow> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const id = randomUUID();
        const [row] = await tx
          .insert(studies)
          .values({
            id,
            researcherId,
            title: input.title,
            description: input.description,
            enrolCode: newEnrolCode(),
            tasks: input.tasks,
            schedule: input.schedule,
            consentVersion: 1,
          })
          .returning();
        await tx.insert(studyConsentVersions).values({
          studyId: id,
          version: 1,
          text: input.consent.text,
          withdrawalData: input.consent.withdrawalData,
        });
        return row!;
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

/** A study by id, or undefined. */
export async function findStudy(db: Db, id: string): Promise<StudyRow | undefined> {
  const [row] = await db.select().from(studies).where(eq(studies.id, id));
  return row;
}

/** A study by its enrol code (normalised), or undefined. */
export async function findStudyByCode(db: Db, code: string): Promise<StudyRow | undefined> {
  const [row] = await db.select().from(studies).where(eq(studies.enrolCode, code));
  return row;
}

/** The researcher's studies, newest first. */
export async function listStudies(db: Db, researcherId: string): Promise<StudyRow[]> {
  return db
    .select()
    .from(studies)
    .where(eq(studies.researcherId, researcherId))
    .orderBy(desc(studies.createdAt), desc(studies.id));
}

/** The current consent version of each study. */
export async function currentConsents(
  db: Db,
  rows: readonly StudyRow[],
): Promise<Map<string, ConsentVersionRow>> {
  const out = new Map<string, ConsentVersionRow>();
  if (rows.length === 0) return out;
  const versions = await db
    .select()
    .from(studyConsentVersions)
    .where(
      inArray(
        studyConsentVersions.studyId,
        rows.map((r) => r.id),
      ),
    );
  const wanted = new Map(rows.map((r) => [r.id, r.consentVersion]));
  for (const v of versions) if (wanted.get(v.studyId) === v.version) out.set(v.studyId, v);
  return out;
}

/** One consent version of a study, or undefined. */
export async function consentVersion(
  db: Db,
  studyId: string,
  version: number,
): Promise<ConsentVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(studyConsentVersions)
    .where(and(eq(studyConsentVersions.studyId, studyId), eq(studyConsentVersions.version, version)));
  return row;
}

/** The enrolments of studies, oldest first. */
export async function enrolmentsOf(db: Db, studyIds: readonly string[]): Promise<EnrolmentRow[]> {
  if (studyIds.length === 0) return [];
  return db
    .select()
    .from(studyEnrolments)
    .where(inArray(studyEnrolments.studyId, [...studyIds]))
    .orderBy(asc(studyEnrolments.enrolledAt), asc(studyEnrolments.pseudonym));
}

/** A patient's enrolment in a study, or undefined. */
export async function findEnrolment(
  db: Db,
  patientId: string,
  studyId: string,
): Promise<EnrolmentRow | undefined> {
  const [row] = await db
    .select()
    .from(studyEnrolments)
    .where(and(eq(studyEnrolments.patientId, patientId), eq(studyEnrolments.studyId, studyId)));
  return row;
}

/** A patient's enrolments, newest first. */
export async function patientEnrolments(db: Db, patientId: string): Promise<EnrolmentRow[]> {
  return db
    .select()
    .from(studyEnrolments)
    .where(eq(studyEnrolments.patientId, patientId))
    .orderBy(desc(studyEnrolments.enrolledAt));
}

/** Researchers' display names by id (what a patient sees of who runs a study). */
export async function researcherNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

/** Adds a consent version; everyone enrolled must consent to it again. */
export async function addConsentVersion(
  db: Db,
  study: StudyRow,
  consent: { text: string; withdrawalData: WithdrawalData },
): Promise<StudyRow> {
  try {
    return await db.transaction(async (tx) => {
      const version = study.consentVersion + 1;
      await tx.insert(studyConsentVersions).values({ studyId: study.id, version, ...consent });
      const [row] = await tx
        .update(studies)
        .set({ consentVersion: version })
        .where(and(eq(studies.id, study.id), eq(studies.consentVersion, study.consentVersion)))
        .returning();
      if (!row)
        throw new CodedError('E_CONFLICT', 'The consent was changed by another request at the same time.');
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CodedError('E_CONFLICT', 'The consent was changed by another request at the same time.');
    throw error;
  }
}

/** Closes a study to new enrolments (idempotent). */
export async function closeStudy(db: Db, study: StudyRow): Promise<StudyRow> {
  const [row] = await db
    .update(studies)
    .set({ status: 'closed' })
    .where(eq(studies.id, study.id))
    .returning();
  return row!;
}

/**
 * Enrols a patient who agreed to the study's current consent version: a new random pseudonym (retried on
 * a clash within the study) and a secret date shift; the consent is recorded as an event.
 * @throws CodedError E_CONFLICT when the study is closed, the version is not the current one, or the patient
 *   is already enrolled (or withdrew)
 */
export async function enrol(
  db: Db,
  patientId: string,
  study: StudyRow,
  version: number,
  now: Date,
): Promise<EnrolmentRow> {
  if (study.status !== 'open')
    throw new CodedError('E_CONFLICT', 'This study is closed: it takes no new participants.');
  checkCurrentVersion(study, version);
  const existing = await findEnrolment(db, patientId, study.id);
  if (existing)
    throw new CodedError(
      'E_CONFLICT',
      existing.withdrawnAt
        ? 'You withdrew from this study; withdrawing is final. Ask the researcher if you want to take part again.'
        : 'You are already taking part in this study.',
    );
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(studyEnrolments)
          .values({
            patientId,
            studyId: study.id,
            pseudonym: newPseudonym(),
            dateShiftDays: newDateShift(),
            consentVersion: version,
            consentedAt: now,
            enrolledAt: now,
          })
          .returning();
        await tx
          .insert(studyConsentEvents)
          .values({ patientId, studyId: study.id, event: 'consent', consentVersion: version, at: now });
        return row!;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // enrolled by another request at the same moment, or a pseudonym clash (retried)
      if (await findEnrolment(db, patientId, study.id))
        throw new CodedError('E_CONFLICT', 'You are already taking part in this study.');
      if (attempt >= 4) throw error;
    }
  }
}

function checkCurrentVersion(study: StudyRow, version: number): void {
  if (version !== study.consentVersion)
    throw new CodedError(
      'E_CONFLICT',
      `The consent text has changed (now version ${study.consentVersion}). Please read the current text and agree to it.`,
      { currentVersion: study.consentVersion },
    );
}

/**
 * Records a participant's consent to the study's current version (re-consent after a change; consenting
 * again to the version already agreed to changes nothing and records nothing).
 * @throws CodedError E_NOT_FOUND when not enrolled, E_CONFLICT when withdrawn or not the current version
 */
export async function reconsent(
  db: Db,
  patientId: string,
  study: StudyRow,
  version: number,
  now: Date,
): Promise<{ enrolment: EnrolmentRow; changed: boolean }> {
  const enrolment = await findEnrolment(db, patientId, study.id);
  if (!enrolment) throw new CodedError('E_NOT_FOUND', 'You are not taking part in this study.');
  if (enrolment.withdrawnAt) throw new CodedError('E_CONFLICT', 'You withdrew from this study.');
  checkCurrentVersion(study, version);
  if (enrolment.consentVersion === version) return { enrolment, changed: false };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(studyEnrolments)
      .set({ consentVersion: version, consentedAt: now })
      .where(and(eq(studyEnrolments.patientId, patientId), eq(studyEnrolments.studyId, study.id)))
      .returning();
    await tx
      .insert(studyConsentEvents)
      .values({ patientId, studyId: study.id, event: 'consent', consentVersion: version, at: now });
    return { enrolment: row!, changed: true };
  });
}

/**
 * Withdraws a participant. What happens to the data is what the consent they agreed to promised; only a
 * consent that lets the participant choose takes `data`.
 * @throws CodedError E_NOT_FOUND when not enrolled, E_CONFLICT when already withdrawn, E_VALIDATION when
 *   `data` is missing although the consent lets the participant choose, or given although it does not
 */
export async function withdraw(
  db: Db,
  patientId: string,
  study: StudyRow,
  data: 'keep' | 'delete' | undefined,
  now: Date,
): Promise<EnrolmentRow> {
  const enrolment = await findEnrolment(db, patientId, study.id);
  if (!enrolment) throw new CodedError('E_NOT_FOUND', 'You are not taking part in this study.');
  if (enrolment.withdrawnAt)
    throw new CodedError('E_CONFLICT', 'You have already withdrawn from this study.');
  // the promise of the text the participant agreed to (not of a newer text they have not agreed to)
  const agreed = await consentVersion(db, study.id, enrolment.consentVersion);
  const promise = agreed?.withdrawalData ?? 'delete';
  let choice: 'keep' | 'delete';
  if (promise === 'participant-chooses') {
    if (!data)
      throw new CodedError('E_VALIDATION', 'Choose whether the study may keep the data you gave so far.', {
        issues: [{ path: 'body.data', message: 'required: the consent lets you choose `keep` or `delete`' }],
      });
    choice = data;
  } else {
    if (data !== undefined)
      throw new CodedError(
        'E_VALIDATION',
        promise === 'keep'
          ? 'The consent you agreed to says that the data you gave so far stays in the study; there is no choice to make.'
          : 'The consent you agreed to says that your data is deleted from the study; there is no choice to make.',
        { issues: [{ path: 'body.data', message: `not allowed: the consent decides (${promise})` }] },
      );
    choice = promise;
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(studyEnrolments)
      .set({ withdrawnAt: now, withdrawalData: choice })
      .where(and(eq(studyEnrolments.patientId, patientId), eq(studyEnrolments.studyId, study.id)))
      .returning();
    await tx.insert(studyConsentEvents).values({
      patientId,
      studyId: study.id,
      event: 'withdraw',
      consentVersion: enrolment.consentVersion,
      withdrawalData: choice,
      at: now,
    });
    return row!;
  });
}
