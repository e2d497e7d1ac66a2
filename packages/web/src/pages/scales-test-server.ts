import {
  checkPhq9Crisis,
  checkRedFlags,
  getQuestionnaire,
  scoreQuestionnaire,
  treatmentDate,
  treatmentInputSchema,
  validateClinicianScaleEntry,
  type CrisisResource,
  type RedFlagAnswers,
} from '@dystrack/core';
import { vi } from 'vitest';
import { setClientDeps } from '../api/client.js';

/*
 * An in-memory stand-in for the entry routes of the server (questionnaire responses, clinician-scale
 * totals, treatments) and the red-flag check, for the page tests. It prepares entries with the same core
 * functions as the real server, keeps every revision, and honours `Idempotency-Key` like the real one
 * (same key and body 200, another body 409).
 */

export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

interface Revision {
  revision: number;
  at: string;
  deleted: boolean;
  revisedAt: string;
  revisedBy: string;
  data: unknown;
}

/** How the next write (POST, PUT, DELETE) fails: the server is down, or the answer is lost after storing. */
export type WriteFailure = 'down' | 'lose-answer';

const PATIENT = '11111111-1111-4111-8111-111111111111';

type Prepared = { at: string; data: unknown } | { issues: { path: string; message: string }[] };

function prepareResponse(body: unknown): Prepared {
  const input = body as {
    questionnaireId: string;
    answers: Record<string, string | null>;
    completedAt: string;
    reference?: { kind: string; date: string; label?: string | null };
  };
  const def = getQuestionnaire(input.questionnaireId)!;
  // the real server's rule: PGIC needs its reference point, the others refuse one
  if ((def.id === 'pgic') !== Boolean(input.reference)) {
    return {
      issues: [{ path: 'body.reference', message: 'PGIC needs a reference point; the others refuse one.' }],
    };
  }
  const answers: Record<string, string> = {};
  for (const [linkId, answer] of Object.entries(input.answers)) {
    if (answer !== null && answer.trim() !== '') answers[linkId] = answer;
  }
  const score = scoreQuestionnaire(def, answers);
  return {
    at: new Date(input.completedAt).toISOString(),
    data: {
      questionnaireId: def.id,
      version: def.version,
      completedAt: input.completedAt,
      answers,
      score,
      ...(input.reference
        ? { reference: { ...input.reference, label: input.reference.label?.trim() || null } }
        : {}),
    },
  };
}

function prepareTotal(body: unknown): Prepared {
  const result = validateClinicianScaleEntry(body, { today: '2100-01-01' });
  if (!result.ok)
    return { issues: result.issues.map((i) => ({ path: `body.${i.field}`, message: i.message })) };
  return { at: `${result.entry.date}T00:00:00.000Z`, data: { ...result.entry, enteredBy: 'self' } };
}

function prepareTreatment(body: unknown): Prepared {
  const parsed = treatmentInputSchema.safeParse(body);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => ({
        path: `body.${issue.path.join('.')}`,
        message: issue.message,
      })),
    };
  }
  return { at: `${treatmentDate(parsed.data)}T00:00:00.000Z`, data: parsed.data };
}

const COLLECTIONS: Record<string, (body: unknown) => Prepared> = {
  '/api/v1/questionnaires/responses': prepareResponse,
  '/api/v1/clinician-scales/totals': prepareTotal,
  '/api/v1/treatments': prepareTreatment,
};

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** Starts the fake server as the API client's fetch; returns what it saw and ways to steer it. */
export function fakeRecordsServer(
  options: { crisisResources?: CrisisResource[]; crisisResourcesDown?: boolean } = {},
) {
  const resources = options.crisisResources ?? [
    { name: 'Test crisis line', contact: '0800 111 222', description: 'Free, day and night.' },
  ];
  const calls: FakeCall[] = [];
  const stores = new Map<string, Map<string, { body: unknown; revisions: Revision[] }>>();
  const failures: WriteFailure[] = [];
  let clock = Date.parse('2026-03-10T10:00:00Z');
  let idCounter = 0;
  const newId = () => {
    idCounter += 1;
    return `00000000-0000-4000-8000-${String(idCounter).padStart(12, '0')}`;
  };
  const storeOf = (collection: string) => {
    let store = stores.get(collection);
    if (!store) stores.set(collection, (store = new Map()));
    return store;
  };
  const current = (id: string, revision: Revision) => ({
    id,
    revision: revision.revision,
    at: revision.at,
    revisedAt: revision.revisedAt,
    revisedBy: revision.revisedBy,
    data: revision.data,
  });
  const written = (collection: string, id: string, revision: Revision) => {
    const entry = current(id, revision);
    if (collection !== '/api/v1/questionnaires/responses') return entry;
    const data = revision.data as { questionnaireId: string; answers: Record<string, string> };
    const check =
      data.questionnaireId === 'phq-9' ? checkPhq9Crisis(data.answers, resources) : { crisis: false };
    return { ...entry, crisis: check.crisis ? check : null };
  };
  const append = (collection: string, id: string, prepared: { at: string; data: unknown }, body: unknown) => {
    const store = storeOf(collection);
    const existing = store.get(id);
    clock += 60_000;
    const revision: Revision = {
      revision: (existing?.revisions.at(-1)?.revision ?? 0) + 1,
      at: prepared.at,
      deleted: false,
      revisedAt: new Date(clock).toISOString(),
      revisedBy: PATIENT,
      data: prepared.data,
    };
    if (existing) existing.revisions.push(revision);
    else store.set(id, { body, revisions: [revision] });
    return revision;
  };

  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path: url.pathname + url.search, headers, body });
    const write = method !== 'GET';
    const failure = write && url.pathname !== '/api/v1/red-flags/check' ? failures.shift() : undefined;
    if (failure === 'down') throw new TypeError('Failed to fetch');

    if (url.pathname === '/api/v1/red-flags/check') return json(200, checkRedFlags(body as RedFlagAnswers));
    if (url.pathname === '/api/v1/crisis-resources') {
      if (options.crisisResourcesDown) throw new TypeError('Failed to fetch');
      return json(200, { resources });
    }

    const collection = Object.keys(COLLECTIONS).find((path) => url.pathname.startsWith(path));
    if (!collection) return json(404, { code: 'E_NOT_FOUND', message: 'Not found.' });
    const rest = url.pathname.slice(collection.length).split('/').filter(Boolean);
    const store = storeOf(collection);
    const prepare = COLLECTIONS[collection]!;
    let response: Response;

    if (rest.length === 0 && method === 'GET') {
      const items = [...store.entries()]
        .map(([id, entry]) => ({ id, latest: entry.revisions.at(-1)! }))
        .filter(({ latest }) => !latest.deleted)
        .sort((a, b) => b.latest.at.localeCompare(a.latest.at) || b.id.localeCompare(a.id))
        .map(({ id, latest }) => current(id, latest));
      response = json(200, { items, nextCursor: null });
    } else if (rest.length === 0 && method === 'POST') {
      const prepared = prepare(body);
      if ('issues' in prepared) {
        response = json(400, {
          code: 'E_VALIDATION',
          message: prepared.issues.map((i) => i.message).join(' '),
          details: { issues: prepared.issues },
        });
      } else {
        const key = headers['idempotency-key'];
        const id = key ?? newId();
        const existing = store.get(id);
        if (existing) {
          response =
            JSON.stringify(existing.body) === JSON.stringify(body)
              ? json(200, written(collection, id, existing.revisions[0]!))
              : json(409, { code: 'E_CONFLICT', message: 'This Idempotency-Key was already used.' });
        } else {
          response = json(201, written(collection, id, append(collection, id, prepared, body)));
        }
      }
    } else {
      const id = rest[0]!;
      const entry = store.get(id);
      const latest = entry?.revisions.at(-1);
      if (!entry || !latest) {
        response = json(404, { code: 'E_NOT_FOUND', message: 'Not found.' });
      } else if (rest[1] === 'history' && method === 'GET') {
        response = json(200, { id, revisions: entry.revisions });
      } else if (latest.deleted && method !== 'DELETE') {
        response = json(404, { code: 'E_NOT_FOUND', message: 'This entry was deleted.' });
      } else if (method === 'GET') {
        response = json(200, current(id, latest));
      } else if (method === 'PUT') {
        const prepared = prepare(body);
        response =
          'issues' in prepared
            ? json(400, { code: 'E_VALIDATION', message: 'Invalid.', details: { issues: prepared.issues } })
            : json(200, written(collection, id, append(collection, id, prepared, body)));
      } else if (method === 'DELETE') {
        if (!latest.deleted) {
          clock += 60_000;
          entry.revisions.push({
            ...latest,
            revision: latest.revision + 1,
            deleted: true,
            data: null,
            revisedAt: new Date(clock).toISOString(),
          });
        }
        response = new Response(null, { status: 204 });
      } else {
        response = json(405, { code: 'E_VALIDATION', message: 'Method not allowed.' });
      }
    }
    if (failure === 'lose-answer') throw new TypeError('The connection was reset');
    return response;
  });

  setClientDeps({ fetch: fetch as unknown as typeof globalThis.fetch, csrfToken: () => 'csrf-token' });

  return {
    calls,
    fetch,
    /** Writes of one method to one collection (the path starts with it). */
    writes(method: string, collection: string): FakeCall[] {
      return calls.filter((call) => call.method === method && call.path.startsWith(collection));
    },
    /** Makes the next writes fail, in order. */
    failNextWrites(...modes: WriteFailure[]): void {
      failures.push(...modes);
    },
    /** Stores an entry as if it had been created earlier; returns its id. */
    seed(collection: string, body: unknown): string {
      const prepared = COLLECTIONS[collection]!(body);
      if ('issues' in prepared) throw new Error(`invalid seed: ${JSON.stringify(prepared.issues)}`);
      const id = newId();
      append(collection, id, prepared, body);
      return id;
    },
  };
}
