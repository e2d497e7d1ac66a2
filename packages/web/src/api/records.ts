import type {
  CrisisResource,
  RaterRole,
  RedFlagAnswers,
  RedFlagResult,
  ScoreBand,
  TreatmentBody,
  TreatmentInput,
} from '@dystrack/core';
import { randomUuid } from '@dystrack/tasks';
import { ApiError, apiGet, apiPost, apiPut, apiRequest } from './client.js';

/*
 * Typed calls of the patient's records: questionnaire responses, clinician-scale totals and treatments
 * (entries with history on the server), and the red-flag check. Each throws `ApiError` on failure.
 */

/** One entry as the server answers it: its latest revision. */
export interface Entry<Data> {
  id: string;
  /** 1 as created, +1 per edit. */
  revision: number;
  /** The time the entry is about (UTC ISO). */
  at: string;
  revisedAt: string;
  revisedBy: string;
  /** Whether this revision was written by a clinician the patient shares with (not the patient). */
  clinicianEntered?: boolean;
  data: Data;
}

export interface EntryPage<Data> {
  items: Entry<Data>[];
  nextCursor: string | null;
}

/** One revision in an entry's history; a deletion has `deleted` and no data. */
export interface EntryRevision<Data> {
  revision: number;
  at: string;
  deleted: boolean;
  revisedAt: string;
  revisedBy: string;
  data: Data | null;
}

export interface EntryHistory<Data> {
  id: string;
  revisions: EntryRevision<Data>[];
}

export interface ListQuery {
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/**
 * A new idempotency key for one form: generated when the form opens and sent with every try to save
 * it, so that a save whose answer was lost cannot store the entry twice (the server makes the key the
 * entry's id: same key and body answer 200, another body 409).
 */
export function newIdempotencyKey(): string {
  return randomUuid();
}

/** The routes of one kind of entry (`path` is the collection, e.g. `/api/v1/treatments`). */
export interface EntryClient<Body, Data, Written extends Entry<Data> = Entry<Data>> {
  list(
    query?: ListQuery & Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ): Promise<EntryPage<Data>>;
  /** Creates the entry with the form's idempotency key (its id). */
  create(body: Body, idempotencyKey: string): Promise<Written>;
  /**
   * Saves a new entry: creates it with the form's key; when the key is already stored with another body
   * (an earlier try was stored but its answer was lost, and the form was changed since), stores the
   * form as the next revision of that entry (its id is the key).
   */
  saveNew(body: Body, idempotencyKey: string): Promise<Written>;
  get(id: string, signal?: AbortSignal): Promise<Entry<Data>>;
  /** Stores the whole entry again as a new revision. */
  update(id: string, body: Body): Promise<Written>;
  remove(id: string): Promise<void>;
  history(id: string, signal?: AbortSignal): Promise<EntryHistory<Data>>;
}

/**
 * The client of one kind of entry: the signed-in patient's own, or (`patientId`) the entries of a patient who
 * shares them with the signed-in clinician (every request names the patient with `?patient=`).
 */
function entryClient<Body, Data, Written extends Entry<Data> = Entry<Data>>(
  path: string,
  patientId?: string,
): EntryClient<Body, Data, Written> {
  const one = (id: string) => `${path}/${encodeURIComponent(id)}`;
  const patient = patientId ? { patient: patientId } : {};
  const client: EntryClient<Body, Data, Written> = {
    list: (query = {}, signal) => apiGet<EntryPage<Data>>(path, { query: { ...query, ...patient }, signal }),
    create: async (body, idempotencyKey) =>
      (
        await apiRequest<Written>(path, {
          method: 'POST',
          body,
          headers: { 'idempotency-key': idempotencyKey },
          query: patient,
        })
      ).body,
    saveNew: async (body, idempotencyKey) => {
      try {
        return await client.create(body, idempotencyKey);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) throw error;
        return client.update(idempotencyKey, body);
      }
    },
    get: (id, signal) => apiGet<Entry<Data>>(one(id), { signal, query: patient }),
    update: (id, body) => apiPut<Written>(one(id), body, { query: patient }),
    remove: async (id) => {
      await apiRequest(one(id), { method: 'DELETE', query: patient });
    },
    history: (id, signal) => apiGet<EntryHistory<Data>>(`${one(id)}/history`, { signal, query: patient }),
  };
  return client;
}

// ---------------------------------------------------------------------------------------------
// questionnaires

/** What a change question (PGIC) compares with: an injection, a therapy's start, tracking's start, another date. */
export type ReferenceKind = 'injection' | 'therapy' | 'tracking-start' | 'other';

/** The reference point of a PGIC response; `date` is `YYYY-MM-DD`. */
export interface ReferencePoint {
  kind: ReferenceKind;
  date: string;
  label?: string | null;
}

/** A response as sent: answers by linkId (option code, or text); PGIC also names its reference point. */
export interface QuestionnaireBody {
  questionnaireId: string;
  answers: Record<string, string | null>;
  completedAt: string;
  reference?: ReferencePoint;
}

/** The score the server computed with core (core's `ScoreResult`, as JSON). */
export interface StoredScore {
  questionnaireId: string;
  version: string;
  total: number | null;
  min: number;
  max: number;
  prorated: boolean;
  missing: string[];
  band: ScoreBand | null;
  noTotalReason: string | null;
}

export interface QuestionnaireData {
  questionnaireId: string;
  version: string;
  completedAt: string;
  answers: Record<string, string>;
  score: StoredScore;
  /** PGIC only (older responses have none). */
  reference?: { kind: ReferenceKind; date: string; label: string | null };
}

/** The crisis message of a PHQ-9 response whose question 9 is above 0, with the configured services. */
export interface CrisisMessage {
  crisis: true;
  itemValue: number;
  title: string;
  paragraphs: string[];
  resources: CrisisResource[];
}

export type QuestionnaireWritten = Entry<QuestionnaireData> & { crisis: CrisisMessage | null };

export const questionnaireResponses = entryClient<QuestionnaireBody, QuestionnaireData, QuestionnaireWritten>(
  '/api/v1/questionnaires/responses',
);

// The administrator's list changes only when the server restarts: one fetch per session is enough.
let crisisResourcesCache: Promise<CrisisResource[]> | null = null;

/**
 * The support services the server's administrator configured, fetched once per session so that the
 * crisis message can show them the moment PHQ-9 question 9 is answered. A failed fetch is forgotten, so
 * that the next page opening tries again.
 */
export function crisisResources(): Promise<CrisisResource[]> {
  crisisResourcesCache ??= apiGet<{ resources: CrisisResource[] }>('/api/v1/crisis-resources').then(
    (body) => body.resources,
    (error: unknown) => {
      crisisResourcesCache = null;
      throw error;
    },
  );
  return crisisResourcesCache;
}

/** Forgets the fetched services (tests; a new session). */
export function forgetCrisisResources(): void {
  crisisResourcesCache = null;
}

// ---------------------------------------------------------------------------------------------
// clinician-scale totals

export interface ScaleTotalBody {
  scaleId: string;
  total: number;
  /** `YYYY-MM-DD`. */
  date: string;
  rater: { role: RaterRole; name?: string };
}

export interface ScaleTotalData extends ScaleTotalBody {
  enteredBy: 'self' | 'clinician';
}

export const scaleTotals = entryClient<ScaleTotalBody, ScaleTotalData>('/api/v1/clinician-scales/totals');

/** The rating-scale totals of a patient who shares them with the signed-in clinician. */
export function scaleTotalsOf(patientId: string): EntryClient<ScaleTotalBody, ScaleTotalData> {
  return entryClient<ScaleTotalBody, ScaleTotalData>('/api/v1/clinician-scales/totals', patientId);
}

// ---------------------------------------------------------------------------------------------
// red flags

/** Runs the red-flag rule on the server (nothing is stored). */
export function checkRedFlags(answers: RedFlagAnswers): Promise<RedFlagResult> {
  return apiPost<RedFlagResult>('/api/v1/red-flags/check', answers);
}

// ---------------------------------------------------------------------------------------------
// treatments

export const treatments = entryClient<TreatmentBody, TreatmentInput>('/api/v1/treatments');

/** The treatments of a patient who shares them with the signed-in clinician. */
export function treatmentsOf(patientId: string): EntryClient<TreatmentBody, TreatmentInput> {
  return entryClient<TreatmentBody, TreatmentInput>('/api/v1/treatments', patientId);
}
