import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, ne, sql } from 'drizzle-orm';
import { auditLog, shares, type ShareScope } from './db/schema.js';
import { appWithRoutes, type CollectedRoute } from './test-utils/route-table.js';
import { signedInClient, type SignedIn } from './test-utils/signed-in.js';
import { metricsJobFor } from './metrics/job.js';
import { typingRecording } from './metrics/test-utils/fixtures.js';
import type { TestApp } from './test-utils/test-app.js';
import { TestClient } from './test-utils/test-app.js';

/*
 * The authorization matrix: every route of Fastify's route table × every kind of caller, each asked to act
 * on one patient's data (P), against an explicit table of who may. A route missing from the table, or a
 * table row without a route, fails the test; so does any response that carries another patient's data.
 *
 * "Allowed" means the route's authorization passed (`request.authorized`, reported by a test hook); what the
 * route then does with an empty body (mostly 400) does not matter here. Public routes are listed as such
 * and are not asked (their access rule is checked to be public).
 */

/** Who asks, and how they relate to the patient P whose data every request targets. */
const CALLERS = [
  'anonymous',
  'owner', // P, signed in fully
  'owner-phone', // P, a phone signed in for recording only (hand-over)
  'patient-stranger', // another patient, Q
  'clinician-shared', // approved clinician, P shares every scope
  'clinician-tasks', // approved clinician, P shares tasks only
  'clinician-revoked', // approved clinician, P's share revoked
  'clinician-expired', // approved clinician, P's share ended
  'clinician-stranger', // approved clinician, no share
  'clinician-unapproved', // clinician not approved by an admin, with an accepted share from P
  'researcher', // approved researcher, no relation to P
  'admin',
] as const;
type Caller = (typeof CALLERS)[number];

const SIGNED_IN: readonly Caller[] = CALLERS.filter((c) => c !== 'anonymous' && c !== 'owner-phone');
const OWNER: readonly Caller[] = ['owner'];
/** P and the clinicians whose share covers the action (every scope, or tasks only). */
const TASKS: readonly Caller[] = ['owner', 'clinician-shared', 'clinician-tasks'];
const ANY_SHARE: readonly Caller[] = ['owner', 'clinician-shared', 'clinician-tasks'];
/** P and the clinician P shares every scope with (diary, scales, treatments, reports, add-entries). */
const FULL_SHARE: readonly Caller[] = ['owner', 'clinician-shared'];
const ADMIN: readonly Caller[] = ['admin'];
const RESEARCHER: readonly Caller[] = ['researcher'];
/** Every approved clinician, for the clinician's own side of sharing (whatever P shares). */
const CLINICIANS: readonly Caller[] = [
  'clinician-shared',
  'clinician-tasks',
  'clinician-revoked',
  'clinician-expired',
  'clinician-stranger',
];

/**
 * Who may call each route. `public`: anyone, signed in or not. Every other entry lists exactly the callers
 * that pass authorization; all others must be refused.
 */
const MATRIX: Record<string, 'public' | readonly Caller[]> = {
  'GET /api/docs/json': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/v1/health': 'public',
  'GET /api/v1/session': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'POST /api/v1/auth/passkey/options': 'public',
  'POST /api/v1/auth/passkey/verify': 'public',
  'POST /api/v1/auth/recover': 'public',
  'POST /api/v1/auth/reset': 'public',
  'POST /api/v1/auth/signup': 'public',
  'POST /api/v1/handover/redeem': 'public',
  'GET /calendar/:file': 'public',
  'GET /api/v1/attest/public-key': 'public',
  'POST /api/v1/attest/verify': 'public',
  'POST /api/v1/shared-reports/report.pdf': 'public',
  'POST /api/v1/shared-reports/verification': 'public',

  // the account itself: every fully signed-in user, for their own account
  'POST /api/v1/account/password': SIGNED_IN,
  'POST /api/v1/account/recovery-codes': SIGNED_IN,
  'GET /api/v1/passkeys': SIGNED_IN,
  'DELETE /api/v1/passkeys/:id': SIGNED_IN,
  'POST /api/v1/passkeys/register/options': SIGNED_IN,
  'POST /api/v1/passkeys/register/verify': SIGNED_IN,
  'GET /api/v1/push/public-key': SIGNED_IN,
  'POST /api/v1/push/subscriptions': SIGNED_IN,
  'DELETE /api/v1/push/subscriptions': SIGNED_IN,
  'POST /api/v1/push/test': SIGNED_IN,
  'GET /api/v1/crisis-resources': SIGNED_IN,
  // deleting an account: only P deletes P's
  'DELETE /api/v1/account': OWNER,

  'GET /api/v1/admin/users': ADMIN,
  'POST /api/v1/admin/users/:id/approve': ADMIN,
  'POST /api/v1/admin/users/:id/reset-link': ADMIN,

  // P's own settings and records that are never shared
  'GET /api/v1/audit': OWNER,
  'PUT /api/v1/profile': OWNER,
  'PUT /api/v1/schedule': OWNER,
  'GET /api/v1/calendar/token': OWNER,
  'POST /api/v1/calendar/token': OWNER,
  'DELETE /api/v1/calendar/token': OWNER,
  'GET /api/v1/export': OWNER,
  'GET /api/v1/export/csv': OWNER,
  'GET /api/v1/export/fhir': OWNER,
  'GET /api/v1/export/raw': OWNER,
  'POST /api/v1/handover': OWNER,
  'GET /api/v1/handover/:id': OWNER,
  'DELETE /api/v1/handover/:id': OWNER,
  'DELETE /api/v1/recordings/:id': OWNER,
  'POST /api/v1/attest/reports': OWNER,
  'GET /api/v1/attest/share-links': OWNER,
  'POST /api/v1/attest/share-links': OWNER,
  'DELETE /api/v1/attest/share-links/:id': OWNER,
  'POST /api/v1/red-flags/check': OWNER,
  'POST /api/v1/diary/entries': OWNER,
  'PUT /api/v1/diary/entries/:id': OWNER,
  'DELETE /api/v1/diary/entries/:id': OWNER,

  // the context every share gives: profile and routine
  'GET /api/v1/profile': ANY_SHARE,
  'GET /api/v1/schedule': ANY_SHARE,
  'GET /api/v1/schedule/due': ANY_SHARE,

  // tasks
  'POST /api/v1/recordings': [...TASKS, 'owner-phone'],
  'GET /api/v1/recordings': TASKS,
  'GET /api/v1/recordings/:id': TASKS,
  'GET /api/v1/recordings/:id/metrics': TASKS,
  'GET /api/v1/metrics/overview': TASKS,
  'GET /api/v1/metrics/:metricId/series': TASKS,

  // diary, scales, treatments, reports: the full share
  'GET /api/v1/diary/entries': FULL_SHARE,
  'GET /api/v1/diary/entries/:id': FULL_SHARE,
  'GET /api/v1/diary/entries/:id/history': FULL_SHARE,
  'GET /api/v1/questionnaires/responses': FULL_SHARE,
  'GET /api/v1/questionnaires/responses/:id': FULL_SHARE,
  'GET /api/v1/questionnaires/responses/:id/history': FULL_SHARE,
  'POST /api/v1/questionnaires/responses': FULL_SHARE,
  'PUT /api/v1/questionnaires/responses/:id': FULL_SHARE,
  'DELETE /api/v1/questionnaires/responses/:id': FULL_SHARE,
  'GET /api/v1/clinician-scales/totals': FULL_SHARE,
  'GET /api/v1/clinician-scales/totals/:id': FULL_SHARE,
  'GET /api/v1/clinician-scales/totals/:id/history': FULL_SHARE,
  'POST /api/v1/clinician-scales/totals': FULL_SHARE,
  'PUT /api/v1/clinician-scales/totals/:id': FULL_SHARE,
  'DELETE /api/v1/clinician-scales/totals/:id': FULL_SHARE,
  'GET /api/v1/treatments': FULL_SHARE,
  'GET /api/v1/treatments/:id': FULL_SHARE,
  'GET /api/v1/treatments/:id/history': FULL_SHARE,
  'POST /api/v1/treatments': FULL_SHARE,
  'PUT /api/v1/treatments/:id': FULL_SHARE,
  'DELETE /api/v1/treatments/:id': FULL_SHARE,
  'GET /api/v1/reports/clinician.pdf': FULL_SHARE,
  'GET /api/v1/attest/reports': FULL_SHARE,
  'GET /api/v1/attest/reports/:id/pdf': FULL_SHARE,

  // sharing: P manages P's shares; clinicians manage their side
  'GET /api/v1/shares': OWNER,
  'POST /api/v1/shares': OWNER,
  'PATCH /api/v1/shares/:id': OWNER,
  'POST /api/v1/shares/:id/revoke': OWNER,
  'POST /api/v1/shares/invitations/preview': OWNER,
  'POST /api/v1/shares/invitations/redeem': OWNER,
  'GET /api/v1/clinician/patients': CLINICIANS,
  'POST /api/v1/clinician/shares/redeem': CLINICIANS,
  'GET /api/v1/clinician/invitations': CLINICIANS,
  'POST /api/v1/clinician/invitations': CLINICIANS,
  'DELETE /api/v1/clinician/invitations/:id': CLINICIANS,
  // a visit with P: only a clinician P shares with (any scope)
  'POST /api/v1/clinician/patients/:patientId/visits': ['clinician-shared', 'clinician-tasks'],

  // studies: approved researchers run their own (another's study is 404 inside the route); patients take part
  'POST /api/v1/studies': RESEARCHER,
  'GET /api/v1/studies': RESEARCHER,
  'GET /api/v1/studies/:id': RESEARCHER,
  'POST /api/v1/studies/:id/consent-versions': RESEARCHER,
  'POST /api/v1/studies/:id/close': RESEARCHER,
  'GET /api/v1/studies/:id/export': RESEARCHER,
  'POST /api/v1/studies/lookup': OWNER,
  'POST /api/v1/studies/:id/enrol': OWNER,
  'GET /api/v1/participation': OWNER,
  'POST /api/v1/participation/:studyId/consent': OWNER,
  'POST /api/v1/participation/:studyId/withdraw': OWNER,
};

/** The pieces of P's data (and of the world around it) that route parameters point at. */
interface Fixture {
  patient: string;
  recordingId: string;
  diaryId: string;
  treatmentId: string;
  totalId: string;
  responseId: string;
  handoverId: string;
  /** An unapproved account for the admin routes to act on (approving it changes no caller). */
  spareUserId: string;
  /** A share of P with that account, for the routes that change or revoke a share. */
  spareShareId: string;
  /** The researcher's study. */
  studyId: string;
}

/** Parameter values of each route with parameters; a route with parameters missing here fails the test. */
function routeParams(f: Fixture): Record<string, Record<string, string>> {
  return {
    '/api/v1/recordings/:id': { id: f.recordingId },
    '/api/v1/recordings/:id/metrics': { id: f.recordingId },
    '/api/v1/metrics/:metricId/series': { metricId: 'hold_time_median_ms' },
    '/api/v1/diary/entries/:id': { id: f.diaryId },
    '/api/v1/diary/entries/:id/history': { id: f.diaryId },
    '/api/v1/treatments/:id': { id: f.treatmentId },
    '/api/v1/treatments/:id/history': { id: f.treatmentId },
    '/api/v1/clinician-scales/totals/:id': { id: f.totalId },
    '/api/v1/clinician-scales/totals/:id/history': { id: f.totalId },
    '/api/v1/questionnaires/responses/:id': { id: f.responseId },
    '/api/v1/questionnaires/responses/:id/history': { id: f.responseId },
    '/api/v1/handover/:id': { id: f.handoverId },
    '/api/v1/attest/share-links/:id': { id: randomUUID() },
    '/api/v1/attest/reports/:id/pdf': { id: randomUUID() },
    '/api/v1/passkeys/:id': { id: 'no-such-passkey' },
    '/api/v1/admin/users/:id/approve': { id: f.spareUserId },
    '/api/v1/admin/users/:id/reset-link': { id: f.spareUserId },
    '/api/v1/shares/:id': { id: f.spareShareId },
    '/api/v1/shares/:id/revoke': { id: f.spareShareId },
    '/api/v1/clinician/patients/:patientId/visits': { patientId: f.patient },
    '/api/v1/clinician/invitations/:id': { id: randomUUID() },
    '/api/v1/studies/:id': { id: f.studyId },
    '/api/v1/studies/:id/consent-versions': { id: f.studyId },
    '/api/v1/studies/:id/close': { id: f.studyId },
    '/api/v1/studies/:id/export': { id: f.studyId },
    '/api/v1/studies/:id/enrol': { id: f.studyId },
    '/api/v1/participation/:studyId/consent': { studyId: f.studyId },
    '/api/v1/participation/:studyId/withdraw': { studyId: f.studyId },
  };
}

/** Canary text in each patient's data: P's may reach P and those P shares with; Q's must reach nobody. */
const CANARY_P = 'canary-pia-7f3a';
const CANARY_Q = 'canary-quinn-91be';

/** Requests in this order: reads first, then writes, then deletions (which could remove what later requests read). */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Outcome {
  route: string;
  caller: Caller;
  status: number;
  allowed: boolean;
  body: string;
  contentType: string;
}

async function seedPatient(
  t: TestApp,
  canary: string,
): Promise<{ patient: SignedIn } & Omit<Fixture, 'spareUserId' | 'spareShareId' | 'studyId' | 'patient'>> {
  // the canary is in health data, not in the name: a name is rightly shown to an admin, and to P as the
  // name of someone who tried to read P's data
  const patient = await signedInClient(t);
  const c = patient.client;
  const ok = async (response: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
    const r = await response;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as { id: string };
  };
  await ok(
    c.put('/api/v1/profile', {
      affectedHands: 'right',
      dominantHand: 'right',
      dystoniaForms: ['writers-cramp'],
      occupation: `teacher ${canary}`,
      essentialHandTasks: [],
      instrument: null,
      onsetYear: 2019,
      diagnosisConfirmed: 'yes',
    }),
  );
  const recording = typingRecording();
  await ok(c.post('/api/v1/recordings', recording));
  const diary = await ok(
    c.post('/api/v1/diary/entries', { at: '2026-03-02T09:30:00+01:00', notes: `diary ${canary}` }),
  );
  const treatment = await ok(
    c.post('/api/v1/treatments', {
      type: 'therapy',
      therapy: 'sensorimotor-retraining',
      start: '2024-09-01',
      notes: `treatment ${canary}`,
    }),
  );
  const total = await ok(
    c.post('/api/v1/clinician-scales/totals', {
      scaleId: 'wcrs',
      total: 12,
      date: '2025-11-03',
      rater: { role: 'clinician', name: `Dr ${canary}` },
    }),
  );
  const answers: Record<string, string> = {};
  for (let i = 1; i <= 9; i++) answers[`phq9-${i}`] = 'not-at-all';
  const response = await ok(
    c.post('/api/v1/questionnaires/responses', {
      questionnaireId: 'phq-9',
      answers,
      completedAt: '2026-03-02T10:00:00+01:00',
    }),
  );
  const handover = await ok(c.post('/api/v1/handover', { task: 'tremor', hand: 'right' }));
  return {
    patient,
    recordingId: recording.id,
    diaryId: diary.id,
    treatmentId: treatment.id,
    totalId: total.id,
    responseId: response.id,
    handoverId: handover.id,
  };
}

describe('authorization matrix', () => {
  let built: Awaited<ReturnType<typeof appWithRoutes>>;
  let t: TestApp;
  let fixture: Fixture;
  const clients = new Map<Caller, () => Promise<TestClient>>();
  const ids = new Map<Caller, string>();
  let outcomes: Outcome[] = [];

  beforeAll(async () => {
    built = await appWithRoutes((app) => {
      // reports whether the route's authorization passed, for the test to read
      app.addHook('onSend', async (request, reply, payload) => {
        reply.header('x-test-authorized', request.authorized ? 'yes' : 'no');
        return payload;
      });
    });
    t = {
      app: built.app,
      database: built.database,
      client: () => new TestClient(built.app),
      close: async () => undefined,
    };
    const db = built.database.db;
    const p = await seedPatient(t, CANARY_P);
    const q = await seedPatient(t, CANARY_Q);
    const spare = await signedInClient(t, { role: 'clinician', approved: false });
    // the metrics of the uploads, so that the series and overview answers have values to compare
    await metricsJobFor(db).drain();
    const { patient: pSigned, ...pData } = p;
    fixture = {
      ...pData,
      patient: pSigned.user.id,
      spareUserId: spare.user.id,
      spareShareId: randomUUID(),
      studyId: randomUUID(),
    };
    ids.set('owner', p.patient.user.id);
    ids.set('patient-stranger', q.patient.user.id);

    // every caller gets a fresh session per request (a logout or a password change must not affect the next)
    const users: Partial<
      Record<Caller, { role: 'patient' | 'clinician' | 'researcher' | 'admin'; approved: boolean }>
    > = {
      'clinician-shared': { role: 'clinician', approved: true },
      'clinician-tasks': { role: 'clinician', approved: true },
      'clinician-revoked': { role: 'clinician', approved: true },
      'clinician-expired': { role: 'clinician', approved: true },
      'clinician-stranger': { role: 'clinician', approved: true },
      'clinician-unapproved': { role: 'clinician', approved: false },
      researcher: { role: 'researcher', approved: true },
      admin: { role: 'admin', approved: true },
    };
    for (const [caller, user] of Object.entries(users) as [
      Caller,
      { role: 'clinician'; approved: boolean },
    ][]) {
      const signed = await signedInClient(t, user);
      ids.set(caller, signed.user.id);
    }
    const share = async (
      caller: Caller,
      scopes: ShareScope[],
      extra: Partial<typeof shares.$inferInsert> = {},
    ) => {
      await db.insert(shares).values({
        patientId: fixture.patient,
        id: randomUUID(),
        clinicianId: ids.get(caller)!,
        scopes,
        createdBy: fixture.patient,
        acceptedAt: new Date(),
        ...extra,
      });
    };
    const all: ShareScope[] = ['tasks', 'diary', 'scales', 'treatments', 'reports', 'add-entries'];
    await share('clinician-shared', all);
    await share('clinician-tasks', ['tasks']);
    await share('clinician-revoked', all, { revokedAt: new Date(), revokedBy: fixture.patient });
    await share('clinician-expired', all, { expiresAt: new Date(Date.now() - 60_000) });
    await share('clinician-unapproved', all);
    await db.insert(shares).values({
      patientId: fixture.patient,
      id: fixture.spareShareId,
      clinicianId: fixture.spareUserId,
      scopes: ['tasks'],
      createdBy: fixture.patient,
      acceptedAt: new Date(),
    });

    const { createSession, SESSION_COOKIE } = await import('./auth/sessions.js');
    for (const caller of CALLERS) {
      clients.set(caller, async () => {
        const client = new TestClient(built.app);
        if (caller === 'anonymous') return client;
        const userId = caller === 'owner-phone' ? fixture.patient : ids.get(caller)!;
        const session = await createSession(db, userId, {
          hours: 1,
          scope: caller === 'owner-phone' ? 'record' : 'full',
        });
        client.cookies.set(SESSION_COOKIE, session.token);
        return client;
      });
    }
    // the researcher's study, which P takes part in (the study routes then act on a real study)
    const study = await (
      await clients.get('researcher')!()
    ).post('/api/v1/studies', {
      title: 'Typing rhythm',
      description: 'Weekly typing.',
      tasks: ['typing'],
      schedule: null,
      consent: { text: 'You agree to share de-identified typing data.', withdrawalData: 'keep' },
    });
    expect(study.statusCode, study.body).toBe(201);
    fixture.studyId = (study.json() as { id: string }).id;
    const enrolled = await (
      await clients.get('owner')!()
    ).post(`/api/v1/studies/${fixture.studyId}/enrol`, {
      consentVersion: 1,
      agree: true,
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    outcomes = await askEveryone(built.routes);
  }, 240_000);

  afterAll(async () => {
    await built?.app.close();
    await built?.database.close();
  });

  /** Sends every non-public route once per caller, aimed at P's data. */
  async function askEveryone(routes: CollectedRoute[]): Promise<Outcome[]> {
    const params = routeParams(fixture);
    const results: Outcome[] = [];
    const ordered = routes
      .filter((r) => r.method !== 'HEAD' && MATRIX[`${r.method} ${r.url}`] !== 'public')
      .sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
    for (const route of ordered) {
      const key = `${route.method} ${route.url}`;
      if (!MATRIX[key]) continue; // reported by the completeness test
      const values = params[route.url] ?? {};
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => values[name] ?? `:${name}`);
      if (path.includes('/:')) continue; // reported by the parameters test
      const access = route.options.config?.access;
      const subject = access && 'patient' in access && access.patient === 'subject';
      for (const caller of CALLERS) {
        const client = await clients.get(caller)!();
        // everybody but P names P as the patient; P's own requests need no parameter
        const aimed = subject && caller !== 'owner' && caller !== 'owner-phone';
        const url = aimed ? `${path}${path.includes('?') ? '&' : '?'}patient=${fixture.patient}` : path;
        const query = route.url.startsWith('/api/v1/metrics/:metricId/series') ? 'task=typing&hand=both' : '';
        const response = await client.request({
          method: route.method as 'GET',
          url: query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url,
          ...(route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { headers: { 'content-type': 'application/json' }, payload: '{}' }),
        });
        results.push({
          route: key,
          caller,
          status: response.statusCode,
          allowed: response.headers['x-test-authorized'] === 'yes',
          body: response.body,
          contentType: String(response.headers['content-type'] ?? ''),
        });
      }
    }
    return results;
  }

  it('lists every route of the route table, and only those', () => {
    const table = new Set(built.routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    expect(
      [...table].filter((route) => !(route in MATRIX)),
      'routes missing from the matrix',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((route) => !table.has(route)),
      'matrix rows without a route',
    ).toEqual([]);
  });

  it('public in the matrix is exactly public in the routes', () => {
    const problems: string[] = [];
    for (const route of built.routes) {
      const key = `${route.method} ${route.url}`;
      const access = route.options.config?.access;
      const isPublic = access !== undefined && 'public' in access;
      if (route.method !== 'HEAD' && MATRIX[key] !== undefined && isPublic !== (MATRIX[key] === 'public'))
        problems.push(`${key}: ${isPublic ? 'public' : 'not public'} in the routes`);
    }
    expect(problems).toEqual([]);
  });

  it('has parameter values for every route with parameters', () => {
    const params = routeParams(fixture);
    const missing = built.routes
      .filter(
        (r) => r.method !== 'HEAD' && r.url.includes('/:') && MATRIX[`${r.method} ${r.url}`] !== 'public',
      )
      .filter((r) => (r.url.match(/:([A-Za-z0-9_]+)/g) ?? []).some((p) => !params[r.url]?.[p.slice(1)]))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('allows exactly the callers the matrix lists, route by route', () => {
    const wrong: string[] = [];
    for (const outcome of outcomes) {
      const expected = MATRIX[outcome.route] as readonly Caller[];
      const shouldAllow = expected.includes(outcome.caller);
      if (shouldAllow !== outcome.allowed)
        wrong.push(
          `${outcome.route} as ${outcome.caller}: ${outcome.allowed ? 'allowed' : 'refused'} (${outcome.status}), expected ${shouldAllow ? 'allowed' : 'refused'}`,
        );
      if (!outcome.allowed && outcome.status < 400)
        wrong.push(`${outcome.route} as ${outcome.caller}: refused but answered ${outcome.status}`);
    }
    expect(wrong).toEqual([]);
    // the table was really asked: every caller of every non-public route
    const asked = Object.values(MATRIX).filter((v) => v !== 'public').length * CALLERS.length;
    expect(outcomes.length).toBe(asked);
  });

  it('a refused request answers 401, 403 or 404 and carries none of the patient’s data', () => {
    const leaks = outcomes
      .filter((o) => !o.allowed)
      .filter((o) => ![401, 403, 404].includes(o.status) || o.body.toLowerCase().includes(CANARY_P))
      .map((o) => `${o.route} as ${o.caller}: ${o.status}`);
    expect(leaks).toEqual([]);
  });

  it('zero cross-patient reads: nothing of the other patient reaches anyone, in answers or in the audit log', async () => {
    const leaks = outcomes
      .filter((o) => o.body.toLowerCase().includes(CANARY_Q))
      .map((o) => `${o.route} as ${o.caller}`);
    expect(leaks).toEqual([]);
    // nobody but Q acted on Q's data
    const q = ids.get('patient-stranger')!;
    const others = await built.database.db
      .select({ action: auditLog.action, actor: auditLog.actorId, status: auditLog.status })
      .from(auditLog)
      .where(and(eq(auditLog.patientId, q), ne(auditLog.actorId, q)));
    expect(others).toEqual([]);
    // on P's data, successful actions by others are the sharing clinicians', and the de-identified export
    // of the study P consented to
    const p = fixture.patient;
    const actions = await built.database.db
      .selectDistinct({ actor: auditLog.actorId, action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.patientId, p), ne(auditLog.actorId, p), sql`${auditLog.status} < 400`));
    const sharing = new Set([ids.get('clinician-shared'), ids.get('clinician-tasks')]);
    const unexpected = actions.filter(
      (a) => !sharing.has(a.actor!) && !(a.actor === ids.get('researcher') && a.action === 'study.export'),
    );
    expect(unexpected).toEqual([]);
    expect(new Set(actions.map((a) => a.actor))).toEqual(new Set([...sharing, ids.get('researcher')]));
  });

  it('a sharing clinician reads the very answer the patient reads (the route acts on the patient, not the caller)', () => {
    const differ: string[] = [];
    let compared = 0;
    for (const own of outcomes.filter((o) => o.caller === 'owner' && o.route.startsWith('GET '))) {
      const theirs = outcomes.find((o) => o.route === own.route && o.caller === 'clinician-shared');
      if (!theirs?.allowed || own.status !== 200 || !own.contentType.startsWith('application/json')) continue;
      compared++;
      if (theirs.status !== 200 || theirs.body !== own.body) differ.push(`${own.route}: ${theirs.status}`);
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it('the allowed reads of a sharing clinician really return the patient’s data (the test can see a leak)', () => {
    const read = outcomes.find(
      (o) => o.route === 'GET /api/v1/diary/entries' && o.caller === 'clinician-shared',
    );
    expect(read?.status).toBe(200);
    expect(read?.body.toLowerCase()).toContain(CANARY_P);
    const refused = outcomes.find(
      (o) => o.route === 'GET /api/v1/diary/entries' && o.caller === 'clinician-tasks',
    );
    expect(refused?.status).toBe(403);
  });
});
