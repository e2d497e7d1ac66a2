import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { EMPTY_PROFILE, isProfileComplete, type ProfileInput } from './profile.js';

const COMPLETE: ProfileInput = {
  affectedHands: 'right',
  dominantHand: 'right',
  dystoniaForms: ['musicians', 'writers-cramp'],
  occupation: 'violinist',
  essentialHandTasks: ['bowing', 'fingering'],
  instrument: 'violin',
  onsetYear: 2012,
  diagnosisConfirmed: 'yes',
};

const INCOMPLETE: ProfileInput = {
  affectedHands: null,
  dominantHand: 'left',
  dystoniaForms: [],
  occupation: 'typist',
  essentialHandTasks: [],
  instrument: null,
  onsetYear: null,
  diagnosisConfirmed: null,
};

describe('isProfileComplete(profile)', () => {
  it('needs affected hand(s), dominant hand, a form of dystonia and the diagnosis answer, nothing else', () => {
    expect(isProfileComplete(COMPLETE)).toBe(true);
    expect(
      isProfileComplete({
        ...COMPLETE,
        occupation: null,
        essentialHandTasks: [],
        instrument: null,
        onsetYear: null,
      }),
    ).toBe(true);
    expect(isProfileComplete({ ...COMPLETE, affectedHands: null })).toBe(false);
    expect(isProfileComplete({ ...COMPLETE, dominantHand: null })).toBe(false);
    expect(isProfileComplete({ ...COMPLETE, dystoniaForms: [] })).toBe(false);
    expect(isProfileComplete({ ...COMPLETE, diagnosisConfirmed: null })).toBe(false);
  });
});

describe('GET/PUT /api/v1/profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers empty fields before the first save', async () => {
    const { client } = await signUp(t);
    const response = await client.get('/api/v1/profile');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EMPTY_PROFILE);
  });

  it('stores the whole profile and answers it as stored', async () => {
    const { client } = await signUp(t);
    const response = await client.put('/api/v1/profile', COMPLETE);
    expect(response.statusCode).toBe(200);
    const stored = response.json();
    expect(stored).toMatchObject(COMPLETE);
    expect(Date.parse(stored.updatedAt)).not.toBeNaN();
    expect((await client.get('/api/v1/profile')).json()).toEqual(stored);
  });

  it('sets onboardedAt on the first complete save and keeps it through later saves, complete or not', async () => {
    const { client } = await signUp(t);
    const incomplete = (await client.put('/api/v1/profile', INCOMPLETE)).json();
    expect(incomplete.onboardedAt).toBeNull();
    const complete = (await client.put('/api/v1/profile', COMPLETE)).json();
    expect(complete.onboardedAt).toEqual(expect.any(String));
    const later = (await client.put('/api/v1/profile', { ...COMPLETE, occupation: 'teacher' })).json();
    expect(later.onboardedAt).toBe(complete.onboardedAt);
    const cleared = (await client.put('/api/v1/profile', INCOMPLETE)).json();
    expect(cleared).toMatchObject({
      affectedHands: null,
      occupation: 'typist',
      onboardedAt: complete.onboardedAt,
    });
  });

  it('trims text and answers the trimmed values', async () => {
    const { client } = await signUp(t);
    const response = await client.put('/api/v1/profile', {
      ...COMPLETE,
      occupation: '  pianist ',
      essentialHandTasks: [' scales '],
    });
    expect(response.json()).toMatchObject({ occupation: 'pianist', essentialHandTasks: ['scales'] });
  });

  it.each([
    ['an unknown field', { ...COMPLETE, email: 'a@b.c' }],
    ['a missing field', (({ instrument: _omitted, ...rest }) => rest)(COMPLETE)],
    ['an unknown form of dystonia', { ...COMPLETE, dystoniaForms: ['cervical'] }],
    ['a form listed twice', { ...COMPLETE, dystoniaForms: ['typists', 'typists'] }],
    ['a year of onset before 1900', { ...COMPLETE, onsetYear: 1899 }],
    ['a year of onset in the future', { ...COMPLETE, onsetYear: new Date().getUTCFullYear() + 2 }],
    ['a fractional year', { ...COMPLETE, onsetYear: 2001.5 }],
    ['an unknown diagnosis answer', { ...COMPLETE, diagnosisConfirmed: 'maybe' }],
    ['an empty occupation', { ...COMPLETE, occupation: '   ' }],
  ])('refuses %s with 400 E_VALIDATION and keeps the stored profile', async (_name, body) => {
    const { client } = await signUp(t);
    await client.put('/api/v1/profile', COMPLETE);
    const response = await client.put('/api/v1/profile', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'E_VALIDATION' });
    expect((await client.get('/api/v1/profile')).json()).toMatchObject(COMPLETE);
  });

  it('accepts the current year and 1900 as years of onset', async () => {
    const { client } = await signUp(t);
    expect(
      (await client.put('/api/v1/profile', { ...COMPLETE, onsetYear: new Date().getFullYear() })).statusCode,
    ).toBe(200);
    expect((await client.put('/api/v1/profile', { ...COMPLETE, onsetYear: 1900 })).statusCode).toBe(200);
  });

  it('shows each patient only their own profile', async () => {
    const first = await signUp(t);
    const second = await signUp(t);
    await first.client.put('/api/v1/profile', COMPLETE);
    expect((await second.client.get('/api/v1/profile')).json()).toEqual(EMPTY_PROFILE);
  });

  it("records reads and writes in the patient's audit trail", async () => {
    const { client, user } = await signUp(t);
    await client.put('/api/v1/profile', COMPLETE);
    await client.get('/api/v1/profile');
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, user.id), eq(auditLog.actorId, user.id)));
    expect(rows.map((r) => [r.action, r.status]).sort()).toEqual([
      ['profile.read', 200],
      ['profile.write', 200],
    ]);
  });

  it('needs a signed-in session', async () => {
    expect((await t.client().get('/api/v1/profile')).statusCode).toBe(401);
    const response = await t.client().put('/api/v1/profile', COMPLETE);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'E_UNAUTHENTICATED' });
  });
});
