import type { Schedule, TreatmentInput } from '@dystrack/core';
import { apiDelete, apiGet, apiPost } from '../api/client.js';
import type { EntryPage, ScaleTotalData } from '../api/records.js';
import type { DiaryEntry } from '../api/diary.js';
import type { Page } from '../api/types.js';
import type { MetricsOverview, TrendSeries } from '../trends/api.js';

/*
 * Typed calls of the clinician's side of sharing (issue 11 contract): the patients who share with the
 * signed-in clinician, visits, invitations, redeeming a patient's code, and the patient's data read or
 * added with `?patient=<id>` (the patient's active shares decide, on every request). Each throws ApiError.
 */

/** What a patient can share (the server's SHARE_SCOPES). */
export const SHARE_SCOPES = ['tasks', 'diary', 'scales', 'treatments', 'reports', 'add-entries'] as const;
export type ShareScope = (typeof SHARE_SCOPES)[number];

/** One reliable change of a metric since the last visit. */
export interface ChangeItem {
  task: string;
  hand: string;
  metricId: string;
  label: string;
  unit: string;
  direction: 'worse' | 'better';
  before: number;
  latest: number;
  latestAt: string;
}

/** Reliable changes since `since` (the last visit, or the start of sharing). */
export interface Changes {
  since: string;
  worse: number;
  better: number;
  items: ChangeItem[];
}

/** A patient who shares with the clinician (`GET /api/v1/clinician/patients`). */
export interface ClinicPatient {
  patientId: string;
  displayName: string;
  username: string;
  /** The union of the patient's active shares with this clinician. */
  scopes: ShareScope[];
  sharedSince: string;
  expiresAt: string | null;
  lastVisitAt: string | null;
  /** Null without the `tasks` scope. */
  changes: Changes | null;
}

export interface ClinicInvitation {
  id: string;
  note: string | null;
  hasSchedule: boolean;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  patient: { id: string; displayName: string } | null;
  cancelledAt: string | null;
  status: 'open' | 'used' | 'expired' | 'cancelled';
}

export interface RedeemedShare {
  patientId: string;
  displayName: string;
  scopes: ShareScope[];
  expiresAt: string | null;
}

const enc = encodeURIComponent;

export async function listClinicPatients(signal?: AbortSignal): Promise<ClinicPatient[]> {
  return (await apiGet<{ items: ClinicPatient[] }>('/api/v1/clinician/patients', { signal })).items;
}

/** Records that the clinician saw the patient today: the change flags count from now on. */
export function recordVisit(patientId: string): Promise<{ lastVisitAt: string }> {
  return apiPost(`/api/v1/clinician/patients/${enc(patientId)}/visits`);
}

export function redeemPatientCode(code: string): Promise<RedeemedShare> {
  return apiPost('/api/v1/clinician/shares/redeem', { code });
}

export async function listInvitations(signal?: AbortSignal): Promise<ClinicInvitation[]> {
  return (await apiGet<{ items: ClinicInvitation[] }>('/api/v1/clinician/invitations', { signal })).items;
}

export function createInvitation(input: {
  note?: string;
  schedule?: Schedule;
}): Promise<{ invitation: ClinicInvitation; code: string; link: string }> {
  return apiPost('/api/v1/clinician/invitations', input);
}

export function cancelInvitation(id: string): Promise<void> {
  return apiDelete(`/api/v1/clinician/invitations/${enc(id)}`);
}

// ---------------------------------------------------------------------------------------------
// the patient's data, as the clinician reads and adds it

export function patientOverview(patientId: string, signal?: AbortSignal): Promise<MetricsOverview> {
  return apiGet('/api/v1/metrics/overview', { query: { patient: patientId }, signal });
}

export function patientSeries(
  patientId: string,
  metricId: string,
  query: { task: string; hand: string },
  signal?: AbortSignal,
): Promise<TrendSeries> {
  return apiGet(`/api/v1/metrics/${enc(metricId)}/series`, {
    query: { ...query, patient: patientId },
    signal,
  });
}

export function patientTreatments(
  patientId: string,
  signal?: AbortSignal,
): Promise<EntryPage<TreatmentInput>> {
  return apiGet('/api/v1/treatments', { query: { patient: patientId, limit: 500 }, signal });
}

export function patientScaleTotals(
  patientId: string,
  signal?: AbortSignal,
): Promise<EntryPage<ScaleTotalData>> {
  return apiGet('/api/v1/clinician-scales/totals', { query: { patient: patientId, limit: 500 }, signal });
}

export function patientDiary(patientId: string, signal?: AbortSignal): Promise<Page<DiaryEntry>> {
  return apiGet('/api/v1/diary/entries', { query: { patient: patientId, limit: 100 }, signal });
}
