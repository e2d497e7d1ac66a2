import type { Schedule } from '@dystrack/core';
import { apiGet, apiPost, apiRequest } from '../api/client.js';

/*
 * Calls of the studies API (issue 11 contract, "Studies"): the researcher's studies and the patient's
 * participation. Shapes follow the contract exactly; the server checks every body.
 */

/** What happens to a participant's data on withdrawal, as a consent version promises it. */
export type WithdrawalData = 'keep' | 'delete' | 'participant-chooses';

/** What a participant chose (or the consent decided) for their data when they withdrew. */
export type WithdrawalChoice = 'keep' | 'delete';

/** A participant's state in a study. */
export type EnrolmentStatus = 'consenting' | 'awaiting-reconsent' | 'withdrawn';

/** One version of a study's consent text. */
export interface ConsentVersion {
  version: number;
  text: string;
  withdrawalData: WithdrawalData;
}

/** A study as its researcher sees it. */
export interface Study {
  id: string;
  title: string;
  description: string;
  tasks: string[];
  schedule: Schedule | null;
  /** 8 characters of Crockford base32, `XXXX-XXXX`; not a secret (printed on recruitment material). */
  enrolCode: string;
  status: 'open' | 'closed';
  consent: ConsentVersion & { createdAt: string };
  createdAt: string;
  counts: { consenting: number; awaitingReconsent: number; withdrawn: number };
}

/** A participant of a study, as its researcher sees them: no name, no dates. */
export interface Participant {
  pseudonym: string;
  status: EnrolmentStatus;
  consentVersion: number;
}

/** A study with its participants (`GET /api/v1/studies/:id`). */
export type StudyDetail = Study & { participants: Participant[] };

/** What a new study sends. */
export interface NewStudy {
  title: string;
  description: string;
  tasks: string[];
  schedule: Schedule | null;
  consent: { text: string; withdrawalData: WithdrawalData };
}

/** A study as a patient sees it before joining (`POST /api/v1/studies/lookup`). */
export interface StudyLookup {
  id: string;
  title: string;
  description: string;
  researcher: { displayName: string };
  tasks: string[];
  schedule: Schedule | null;
  status: 'open' | 'closed';
  consent: ConsentVersion;
  enrolment: Enrolment | null;
}

/** A patient's participation in one study. */
export interface Enrolment {
  study: {
    id: string;
    title: string;
    description: string;
    researcher: { displayName: string };
    tasks: string[];
    schedule: Schedule | null;
    status: 'open' | 'closed';
  };
  status: EnrolmentStatus;
  consentVersion: number;
  consentedAt: string | null;
  withdrawnAt: string | null;
  withdrawalData: WithdrawalChoice | null;
  currentConsent: ConsentVersion;
  /** The consent the participant agreed to: its promise decides what happens to the data on withdrawal. */
  agreedConsent: ConsentVersion;
}

function studyPath(id: string): string {
  return `/api/v1/studies/${encodeURIComponent(id)}`;
}

/** The researcher's studies. */
export async function listStudies(signal?: AbortSignal): Promise<Study[]> {
  return (await apiGet<{ items: Study[] }>('/api/v1/studies', { signal })).items;
}

/** Creates a study (its first consent version and enrol code come back). */
export function createStudy(study: NewStudy): Promise<Study> {
  return apiPost<Study>('/api/v1/studies', study);
}

/** One study with its participants. */
export function getStudy(id: string, signal?: AbortSignal): Promise<StudyDetail> {
  return apiGet<StudyDetail>(studyPath(id), { signal });
}

/** Publishes a new consent version: every participant must consent again. */
export function publishConsentVersion(
  id: string,
  consent: { text: string; withdrawalData: WithdrawalData },
): Promise<Study> {
  return apiPost<Study>(`${studyPath(id)}/consent-versions`, consent);
}

/** Closes enrolment: the code no longer lets anyone join. */
export function closeStudy(id: string): Promise<Study> {
  return apiPost<Study>(`${studyPath(id)}/close`);
}

/** The file name of an attachment from its Content-Disposition header, or null. */
export function attachmentName(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*\s*=\s*(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim() ?? null;
}

/**
 * The de-identified export of a study: its file name (the server's, or `study-<8 chars>-export.json`)
 * and its JSON text.
 */
export async function getStudyExport(id: string): Promise<{ fileName: string; text: string }> {
  const response = await apiRequest<unknown>(`${studyPath(id)}/export`);
  const fileName =
    attachmentName(response.headers.get('content-disposition')) ?? `study-${id.slice(0, 8)}-export.json`;
  // The client parses JSON answers; the file gets the same data, indented for reading.
  return { fileName, text: `${JSON.stringify(response.body, null, 2)}\n` };
}

/** Finds a study by its enrol code. */
export function lookupStudy(code: string): Promise<StudyLookup> {
  return apiPost<StudyLookup>('/api/v1/studies/lookup', { code });
}

/** Joins a study, agreeing to the consent version read. */
export function enrol(studyId: string, consentVersion: number): Promise<Enrolment> {
  return apiPost<Enrolment>(`${studyPath(studyId)}/enrol`, { consentVersion, agree: true });
}

/** The patient's studies. */
export async function listParticipation(signal?: AbortSignal): Promise<Enrolment[]> {
  return (await apiGet<{ items: Enrolment[] }>('/api/v1/participation', { signal })).items;
}

/** Agrees to the study's current consent version. */
export function reconsent(studyId: string, consentVersion: number): Promise<Enrolment> {
  return apiPost<Enrolment>(`/api/v1/participation/${encodeURIComponent(studyId)}/consent`, {
    consentVersion,
    agree: true,
  });
}

/**
 * Withdraws from a study. `data` is sent only when the consent lets the participant choose (the server
 * refuses it otherwise: the consent's promise decides).
 */
export function withdraw(studyId: string, data?: WithdrawalChoice): Promise<Enrolment> {
  return apiPost<Enrolment>(
    `/api/v1/participation/${encodeURIComponent(studyId)}/withdraw`,
    data ? { data } : {},
  );
}
