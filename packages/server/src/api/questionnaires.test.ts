import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { CRISIS_TITLE, checkRedFlags } from '@dystrack/core';
import { DEFAULT_CRISIS_RESOURCES, parseCrisisResources } from '../config.js';
import { auditLog } from '../db/schema.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

const RESPONSES = '/api/v1/questionnaires/responses';
const TOTALS = '/api/v1/clinician-scales/totals';

/** PHQ-9 answers: every item `code`, item 9 `item9`. */
function phq9(code: string, item9 = code): Record<string, string> {
  const answers: Record<string, string> = {};
  for (let i = 1; i <= 8; i++) answers[`phq9-${i}`] = code;
  answers['phq9-9'] = item9;
  return answers;
}

const COMPLETED_AT = '2026-03-02T10:00:00+01:00';

const RESOURCES = [
  { name: 'Samaritans', contact: '116 123', description: 'Free, day or night' },
  { name: 'Local crisis team', contact: '+44 20 0000 0000' },
];

describe('questionnaire responses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { crisisResources: RESOURCES } });
  });
  afterAll(() => t.close());

  it('scores a PHQ-9 with core and stores answers and score', async () => {
    const { client } = await signUp(t);
    const response = await client.post(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: { ...phq9('several-days', 'not-at-all'), 'phq9-difficulty': 'somewhat-difficult' },
      completedAt: COMPLETED_AT,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.data).toMatchObject({
      questionnaireId: 'phq-9',
      version: '1.0.0',
      answers: { 'phq9-1': 'several-days', 'phq9-9': 'not-at-all' },
      score: { total: 8, min: 0, max: 27, prorated: false, missing: [], band: { id: 'mild' } },
    });
    expect(body.crisis).toBeNull();
    expect((await client.get(`${RESPONSES}/${body.id}`)).json().data).toEqual(body.data);
  });

  it('a PHQ-9 with question 9 above 0 carries the crisis result with the configured resources', async () => {
    const { client } = await signUp(t);
    const response = await client.post(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: phq9('not-at-all', 'several-days'),
      completedAt: COMPLETED_AT,
    });
    expect(response.statusCode).toBe(201);
    const { crisis, data } = response.json();
    expect(data.score.total).toBe(1);
    expect(crisis).toMatchObject({ crisis: true, itemValue: 1, title: CRISIS_TITLE, resources: RESOURCES });
    expect(crisis.paragraphs.join(' ')).toContain('emergency number');
    // an edit that keeps question 9 above 0 carries it too; one that sets it to 0 does not
    const id = response.json().id;
    const same = await client.put(`${RESPONSES}/${id}`, {
      questionnaireId: 'phq-9',
      answers: phq9('not-at-all', 'nearly-every-day'),
      completedAt: COMPLETED_AT,
    });
    expect(same.json().crisis).toMatchObject({ crisis: true, itemValue: 3 });
    const cleared = await client.put(`${RESPONSES}/${id}`, {
      questionnaireId: 'phq-9',
      answers: phq9('not-at-all'),
      completedAt: COMPLETED_AT,
    });
    expect(cleared.json().crisis).toBeNull();
  });

  it('answers of 0 and an unanswered question 9 carry no crisis; GAD-7 and PGIC never do', async () => {
    const { client } = await signUp(t);
    const zeros = await client.post(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: phq9('not-at-all'),
      completedAt: COMPLETED_AT,
    });
    expect(zeros.json()).toMatchObject({ crisis: null, data: { score: { total: 0 } } });
    const { 'phq9-9': _skipped, ...without9 } = phq9('more-than-half-the-days');
    const unanswered = await client.post(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: without9,
      completedAt: COMPLETED_AT,
    });
    expect(unanswered.json()).toMatchObject({ crisis: null, data: { score: { total: 18, prorated: true } } });
    const gad: Record<string, string> = {};
    for (let i = 1; i <= 7; i++) gad[`gad7-${i}`] = 'nearly-every-day';
    const gad7 = await client.post(RESPONSES, {
      questionnaireId: 'gad-7',
      answers: gad,
      completedAt: COMPLETED_AT,
    });
    expect(gad7.json()).toMatchObject({
      crisis: null,
      data: { score: { total: 21, band: { id: 'severe' } } },
    });
    const pgic = await client.post(RESPONSES, {
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': 'much-better' },
      completedAt: COMPLETED_AT,
      reference: { kind: 'tracking-start', date: '2026-01-05' },
    });
    expect(pgic.json()).toMatchObject({ crisis: null, data: { score: { total: 2 } } });
    const onlyPhq = (await client.get(`${RESPONSES}?questionnaireId=phq-9`)).json();
    expect(onlyPhq.items).toHaveLength(2);
  });

  it('PGIC needs its reference point, stores it and answers it back; the others refuse one', async () => {
    const { client } = await signUp(t);
    const missing = await client.post(RESPONSES, {
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': 'a-little-better' },
      completedAt: COMPLETED_AT,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'E_VALIDATION' });
    expect(missing.json().message).toContain('reference point');

    const reference = { kind: 'injection', date: '2026-02-10', label: 'left forearm' };
    const stored = await client.post(RESPONSES, {
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': 'a-little-better' },
      completedAt: COMPLETED_AT,
      reference,
    });
    expect(stored.statusCode).toBe(201);
    expect(stored.json().data.reference).toEqual(reference);
    const read = await client.get(`${RESPONSES}/${stored.json().id}`);
    expect(read.json().data.reference).toEqual(reference);

    // a blank label is left out as null; a future date is refused
    const blank = await client.post(RESPONSES, {
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': 'no-change' },
      completedAt: COMPLETED_AT,
      reference: { kind: 'other', date: '2026-01-01', label: '  ' },
    });
    expect(blank.json().data.reference).toEqual({ kind: 'other', date: '2026-01-01', label: null });
    const future = await client.post(RESPONSES, {
      questionnaireId: 'pgic',
      answers: { 'pgic-overall': 'no-change' },
      completedAt: COMPLETED_AT,
      reference: { kind: 'therapy', date: '2999-01-01' },
    });
    expect(future.statusCode).toBe(400);

    const phq = await client.post(RESPONSES, {
      questionnaireId: 'phq-9',
      answers: phq9('not-at-all'),
      completedAt: COMPLETED_AT,
      reference,
    });
    expect(phq.statusCode).toBe(400);
    expect(phq.json()).toMatchObject({ code: 'E_VALIDATION' });
    expect(phq.json().message).toContain('reference');
  });

  it('GET /api/v1/crisis-resources answers the configured services to a signed-in user only', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/crisis-resources' });
    expect(anonymous.statusCode).toBe(401);
    const { client } = await signUp(t);
    const response = await client.get('/api/v1/crisis-resources');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ resources: RESOURCES });
  });

  it('the server default tells people to call their local emergency number', async () => {
    const other = await createTestApp();
    try {
      const { client } = await signUp(other);
      const response = await client.post(RESPONSES, {
        questionnaireId: 'phq-9',
        answers: phq9('not-at-all', 'several-days'),
        completedAt: COMPLETED_AT,
      });
      expect(response.json().crisis.resources).toEqual(DEFAULT_CRISIS_RESOURCES);
      expect(DEFAULT_CRISIS_RESOURCES[0]!.contact).toContain('local emergency number');
    } finally {
      await other.close();
    }
  });

  it.each([
    ['an unknown questionnaire', { questionnaireId: 'bdi-2', answers: {}, completedAt: COMPLETED_AT }],
    [
      'an unknown answer code (core)',
      { questionnaireId: 'phq-9', answers: phq9('sometimes'), completedAt: COMPLETED_AT },
    ],
    [
      'an unknown item (core)',
      { questionnaireId: 'gad-7', answers: { 'gad7-99': 'not-at-all' }, completedAt: COMPLETED_AT },
    ],
    [
      'a number as an answer',
      { questionnaireId: 'phq-9', answers: { 'phq9-1': 0 }, completedAt: COMPLETED_AT },
    ],
    ['no completion time', { questionnaireId: 'phq-9', answers: phq9('not-at-all') }],
    [
      'an unknown field',
      { questionnaireId: 'phq-9', answers: phq9('not-at-all'), completedAt: COMPLETED_AT, x: 1 },
    ],
  ])('refuses %s with 400 E_VALIDATION', async (_name, body) => {
    const { client } = await signUp(t);
    const response = await client.post(RESPONSES, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('E_VALIDATION');
    expect((await client.get(RESPONSES)).json().items).toEqual([]);
  });

  it('an edit re-scores and keeps the earlier answers in the history', async () => {
    const { client } = await signUp(t);
    const { id } = (
      await client.post(RESPONSES, {
        questionnaireId: 'phq-9',
        answers: phq9('not-at-all'),
        completedAt: COMPLETED_AT,
      })
    ).json();
    await client.put(`${RESPONSES}/${id}`, {
      questionnaireId: 'phq-9',
      answers: phq9('several-days', 'not-at-all'),
      completedAt: COMPLETED_AT,
    });
    const history = (await client.get(`${RESPONSES}/${id}/history`)).json();
    expect(history.revisions.map((r: { data: { score: { total: number } } }) => r.data.score.total)).toEqual([
      0, 8,
    ]);
  });

  it("another patient's response is 404; reads and writes are audited", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const { id } = (
      await alice.client.post(RESPONSES, {
        questionnaireId: 'phq-9',
        answers: phq9('not-at-all'),
        completedAt: COMPLETED_AT,
      })
    ).json();
    expect((await bob.client.get(`${RESPONSES}/${id}`)).statusCode).toBe(404);
    expect((await bob.client.delete(`${RESPONSES}/${id}`)).statusCode).toBe(404);
    expect((await alice.client.get(`${RESPONSES}/${id}`)).statusCode).toBe(200);
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.patientId, alice.user.id));
    expect(
      rows
        .filter((r) => r.resource === id)
        .map((r) => [r.action, r.actorId === alice.user.id ? 'alice' : 'bob', r.status])
        .sort(),
    ).toEqual(
      [
        ['questionnaire.create', 'alice', 201],
        ['questionnaire.read', 'alice', 200],
        ['questionnaire.read', 'bob', 404],
        ['questionnaire.delete', 'bob', 404],
      ].sort(),
    );
  });
});

describe('clinician-scale totals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const WCRS = {
    scaleId: 'wcrs',
    total: 12,
    date: '2025-11-03',
    rater: { role: 'clinician', name: 'Dr Rossi' },
  };

  it('stores a total validated by core, marked as entered by the patient', async () => {
    const { client } = await signUp(t);
    const response = await client.post(TOTALS, WCRS);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      at: '2025-11-03T00:00:00.000Z',
      data: { ...WCRS, enteredBy: 'self' },
    });
    const adds = await client.post(TOTALS, {
      scaleId: 'adds',
      total: 85.7,
      date: '2025-11-03',
      rater: { role: 'self' },
    });
    expect(adds.statusCode).toBe(201);
    expect((await client.get(`${TOTALS}?scaleId=adds`)).json().items).toHaveLength(1);
  });

  it.each([
    ['a total above the range', { ...WCRS, total: 31 }, 'total'],
    ['a fractional WCRS total', { ...WCRS, total: 12.5 }, 'total'],
    ['an ADDS total its formula cannot give', { ...WCRS, scaleId: 'adds', total: 50 }, 'total'],
    ['a date in the future', { ...WCRS, date: '2999-01-01' }, 'date'],
    ['a date that does not exist', { ...WCRS, date: '2025-02-30' }, 'date'],
    ['a self-rated WCRS', { ...WCRS, rater: { role: 'self' } }, 'rater'],
  ])("refuses %s with 400 E_VALIDATION and core's message", async (_name, body, field) => {
    const { client } = await signUp(t);
    const response = await client.post(TOTALS, body);
    expect(response.statusCode).toBe(400);
    const error = response.json();
    expect(error.code).toBe('E_VALIDATION');
    expect(error.details.issues).toContainEqual({ path: `body.${field}`, message: expect.any(String) });
    expect((await client.get(TOTALS)).json().items).toEqual([]);
  });

  it.each([
    ['an unknown scale', { ...WCRS, scaleId: 'wcis' }],
    ['an unknown rater role', { ...WCRS, rater: { role: 'nurse' } }],
    ['a total as text', { ...WCRS, total: '12' }],
    ['an unknown field', { ...WCRS, items: [1, 2, 3] }],
  ])('refuses %s with 400 E_VALIDATION at the boundary', async (_name, body) => {
    const { client } = await signUp(t);
    const response = await client.post(TOTALS, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('E_VALIDATION');
  });

  it('edits keep history; another patient gets 404', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const { id } = (await alice.client.post(TOTALS, WCRS)).json();
    expect((await alice.client.put(`${TOTALS}/${id}`, { ...WCRS, total: 10 })).json().revision).toBe(2);
    const history = (await alice.client.get(`${TOTALS}/${id}/history`)).json();
    expect(history.revisions.map((r: { data: { total: number } }) => r.data.total)).toEqual([12, 10]);
    expect((await bob.client.put(`${TOTALS}/${id}`, WCRS)).statusCode).toBe(404);
    expect((await bob.client.get(`${TOTALS}/${randomUUID()}/history`)).statusCode).toBe(404);
  });
});

describe('POST /api/v1/red-flags/check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("answers core's result for the answers given, and audits the check", async () => {
    const { client, user } = await signUp(t);
    const answers = {
      onset: 'months-or-years',
      weakness: true,
      otherSigns: ['vision'],
      seenDoctor: false,
    } as const;
    const response = await client.post('/api/v1/red-flags/check', answers);
    expect(response.statusCode).toBe(200);
    const result = checkRedFlags(answers);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(result)));
    expect(result.level).toBe('see-doctor');
    expect((await client.post('/api/v1/red-flags/check', { onset: 'minutes-or-hours' })).json().level).toBe(
      'urgent',
    );
    expect((await client.post('/api/v1/red-flags/check', {})).json()).toMatchObject({
      level: 'none',
      message: null,
    });
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, user.id), eq(auditLog.action, 'red-flags.check')));
    expect(rows.map((r) => r.details)).toEqual(
      expect.arrayContaining([{ level: 'see-doctor' }, { level: 'urgent' }, { level: 'none' }]),
    );
  });

  it('refuses unknown answers with 400 E_VALIDATION and needs a session', async () => {
    const { client } = await signUp(t);
    expect((await client.post('/api/v1/red-flags/check', { onset: 'yesterday' })).json().code).toBe(
      'E_VALIDATION',
    );
    expect((await client.post('/api/v1/red-flags/check', { fever: true })).statusCode).toBe(400);
    expect((await t.client().post('/api/v1/red-flags/check', {})).statusCode).toBe(401);
  });
});

describe('parseCrisisResources(CRISIS_RESOURCES)', () => {
  it('reads JSON, a file path, or gives the default; refuses anything else', async () => {
    expect(parseCrisisResources(undefined)).toEqual(DEFAULT_CRISIS_RESOURCES);
    expect(parseCrisisResources('  ')).toEqual(DEFAULT_CRISIS_RESOURCES);
    expect(parseCrisisResources(JSON.stringify(RESOURCES))).toEqual(RESOURCES);
    expect(parseCrisisResources('[]')).toEqual([]);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'crisis-')), 'resources.json');
    writeFileSync(file, JSON.stringify(RESOURCES));
    expect(parseCrisisResources(file)).toEqual(RESOURCES);
    expect(() => parseCrisisResources('[{"name":"x"}]')).toThrow(/CRISIS_RESOURCES/);
    expect(() => parseCrisisResources('[not json')).toThrow(/not valid JSON/);
    expect(() => parseCrisisResources('/no/such/file.json')).toThrow(/cannot read/);
  });
});
