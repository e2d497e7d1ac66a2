import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { signUp } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

const PATH = '/api/v1/treatments';

const INJECTION = {
  type: 'botulinum-toxin',
  date: '2025-10-14',
  product: 'incobotulinumtoxinA',
  injections: [
    { muscle: 'flexor-digitorum-superficialis', side: 'right', units: 20, detail: 'to the index finger' },
    { muscle: 'flexor-pollicis-longus', side: 'right', units: 10 },
  ],
  guidance: 'emg',
  sideEffects: ['weakness'],
  sideEffectsText: 'Weak index finger for two weeks.',
};

const OTHERS = [
  {
    type: 'medication',
    name: 'trihexyphenidyl',
    dose: '2 mg',
    schedule: 'three times a day',
    start: '2024-01-10',
    stop: '2024-06-01',
  },
  { type: 'therapy', therapy: 'sensorimotor-retraining', start: '2024-09-01' },
  { type: 'task-modification', modification: 'other', otherText: 'pen grip', start: '2023-05-05' },
  { type: 'surgery', date: '2022-02-02', procedure: 'deep-brain-stimulation-implant', side: 'left' },
  { type: 'dbs-settings', date: '2022-03-01', settings: 'C+ 1-, 2.5 V, 60 µs, 130 Hz' },
];

describe('treatments', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores a botulinum-toxin injection with its muscles, units, guidance and side effects', async () => {
    const { client } = await signUp(t);
    const response = await client.post(PATH, INJECTION);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ revision: 1, at: '2025-10-14T00:00:00.000Z' });
    expect(body.data).toEqual({
      ...INJECTION,
      otherText: null,
      injections: [
        { ...INJECTION.injections[0], otherText: null },
        { ...INJECTION.injections[1], otherText: null, detail: null },
      ],
      notes: null,
    });
    expect((await client.get(`${PATH}/${body.id}`)).json()).toEqual(body);
  });

  it('stores every other kind and lists them by date, filtered by type', async () => {
    const { client } = await signUp(t);
    for (const treatment of [INJECTION, ...OTHERS]) {
      const response = await client.post(PATH, treatment);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().data).toMatchObject(treatment);
    }
    const all = (await client.get(PATH)).json();
    expect(all.items.map((i: { data: { type: string } }) => i.data.type)).toEqual([
      'botulinum-toxin',
      'therapy',
      'medication',
      'task-modification',
      'dbs-settings',
      'surgery',
    ]);
    const meds = (await client.get(`${PATH}?type=medication`)).json();
    expect(meds.items.map((i: { data: { name: string } }) => i.data.name)).toEqual(['trihexyphenidyl']);
    const since2024 = (await client.get(`${PATH}?from=2024-01-01T00:00:00Z`)).json();
    expect(since2024.items).toHaveLength(3);
    expect((await client.get(`${PATH}?type=vitamins`)).statusCode).toBe(400);
  });

  it('an edit (a stop date, a corrected dose) keeps the earlier revision; a delete is a revision too', async () => {
    const { client } = await signUp(t);
    const medication = OTHERS[0]!;
    const { id } = (await client.post(PATH, { ...medication, stop: null })).json();
    const edited = await client.put(`${PATH}/${id}`, { ...medication, dose: '1 mg' });
    expect(edited.json()).toMatchObject({ revision: 2, data: { dose: '1 mg', stop: '2024-06-01' } });
    expect((await client.delete(`${PATH}/${id}`)).statusCode).toBe(204);
    const history = (await client.get(`${PATH}/${id}/history`)).json();
    expect(
      history.revisions.map((r: { deleted: boolean; data: { dose: string; stop: string | null } | null }) => [
        r.deleted,
        r.data?.dose ?? null,
        r.data?.stop ?? null,
      ]),
    ).toEqual([
      [false, '2 mg', null],
      [false, '1 mg', '2024-06-01'],
      [true, null, null],
    ]);
    expect((await client.get(PATH)).json().items).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'acupuncture', date: '2025-01-01' }],
    ['an unknown product', { ...INJECTION, product: 'toxin-x' }],
    ['"other" product without saying which', { ...INJECTION, product: 'other' }],
    ['a product name next to a listed product', { ...INJECTION, otherText: 'Botox' }],
    ['an unknown muscle', { ...INJECTION, injections: [{ muscle: 'deltoid', side: 'right', units: 5 }] }],
    ['no injected muscle', { ...INJECTION, injections: [] }],
    ['zero units', { ...INJECTION, injections: [{ muscle: 'lumbricals', side: 'left', units: 0 }] }],
    [
      'a side that is not left or right',
      { ...INJECTION, injections: [{ muscle: 'lumbricals', side: 'both', units: 5 }] },
    ],
    ['an unknown guidance', { ...INJECTION, guidance: 'x-ray' }],
    ['an unknown side effect', { ...INJECTION, sideEffects: ['headache'] }],
    ['an injection date in the future', { ...INJECTION, date: '2999-01-01' }],
    ['a date that does not exist', { ...INJECTION, date: '2025-02-30' }],
    ['a medication stopped before it started', { ...OTHERS[0], stop: '2023-01-01' }],
    ['a medication without a dose', { ...OTHERS[0], dose: '' }],
    ['an unknown therapy', { type: 'therapy', therapy: 'yoga', start: '2024-09-01' }],
    ['a field of another type', { ...OTHERS[4], product: 'incobotulinumtoxinA' }],
    ['DBS settings without settings', { type: 'dbs-settings', date: '2022-03-01', settings: ' ' }],
  ])('refuses %s with 400 E_VALIDATION and stores nothing', async (_name, body) => {
    const { client } = await signUp(t);
    const response = await client.post(PATH, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'E_VALIDATION', details: { issues: expect.any(Array) } });
    expect((await client.get(PATH)).json().items).toEqual([]);
  });

  it("another patient's treatment is 404 for read, edit, delete and history; the owner's log shows the attempts", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const { id } = (await alice.client.post(PATH, INJECTION)).json();
    expect((await bob.client.get(`${PATH}/${id}`)).statusCode).toBe(404);
    expect((await bob.client.put(`${PATH}/${id}`, INJECTION)).statusCode).toBe(404);
    expect((await bob.client.delete(`${PATH}/${id}`)).statusCode).toBe(404);
    expect((await bob.client.get(`${PATH}/${id}/history`)).statusCode).toBe(404);
    expect((await bob.client.get(`${PATH}/${randomUUID()}`)).statusCode).toBe(404);
    expect((await alice.client.get(`${PATH}/${id}`)).json().revision).toBe(1);
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.resource, id)));
    expect(rows.map((r) => [r.action, r.actorId === bob.user.id ? 'bob' : 'alice', r.status]).sort()).toEqual(
      [
        ['treatment.create', 'alice', 201],
        ['treatment.read', 'bob', 404],
        ['treatment.update', 'bob', 404],
        ['treatment.delete', 'bob', 404],
        ['treatment.history', 'bob', 404],
        ['treatment.read', 'alice', 200],
      ].sort(),
    );
  });
});
