import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import type { RecordingV1 } from '@dystrack/core';
import { createSession, SESSION_COOKIE } from '../auth/sessions.js';
import { createUser } from '../auth/users.js';
import { auditLog, metricValues, studyConsentEvents, studyEnrolments } from '../db/schema.js';
import { createMetricsTestApp, typingRecording } from '../metrics/test-utils/fixtures.js';
import { sampleRecording } from '../test-utils/recordings.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import type { TestClient } from '../test-utils/test-app.js';

type App = Awaited<ReturnType<typeof createMetricsTestApp>>;

const CROCKFORD_CHAR = '[0-9A-HJKMNP-TV-Z]';
const consent = (withdrawalData: 'keep' | 'delete' | 'participant-chooses' = 'keep') => ({
  text: `You agree that the study uses your task recordings. On withdrawal your data: ${withdrawalData}.`,
  withdrawalData,
});

interface StudyBody {
  id: string;
  enrolCode: string;
  status: string;
  consent: { version: number; withdrawalData: string };
  counts: { consenting: number; awaitingReconsent: number; withdrawn: number };
}

interface ExportFile {
  participants: { pseudonym: string; consentVersion: number; status: string }[];
  recordings: { id: string; participant: string; taskId: string; day: string; content: unknown }[];
  metrics: { participant: string; recording: string; metricId: string; value: number | null }[];
  scaleTotals: { participant: string; scaleId: string; total: number; day: string }[];
  treatments: { participant: string; kind: string; day: string }[];
}

describe('studies API', () => {
  let t: App;
  let researcher: SignedIn;
  beforeAll(async () => {
    t = await createMetricsTestApp();
    researcher = await signedInClient(t, { role: 'researcher', approved: true });
  });
  afterAll(() => t.close());

  async function newStudy(
    who: SignedIn = researcher,
    overrides: Record<string, unknown> = {},
  ): Promise<StudyBody> {
    const response = await who.client.post('/api/v1/studies', {
      title: 'Typing in musicians',
      description: 'We compare typing and scales over six months.',
      tasks: ['typing', 'scale'],
      consent: consent(),
      ...overrides,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as StudyBody;
  }

  async function enrol(patient: SignedIn, study: StudyBody, version = study.consent.version) {
    const response = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
      consentVersion: version,
      agree: true,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { status: string; consentVersion: number };
  }

  async function exportOf(
    study: StudyBody,
    who: SignedIn = researcher,
  ): Promise<{ text: string; file: ExportFile }> {
    const response = await who.client.get(`/api/v1/studies/${study.id}/export`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="study-${study.id.slice(0, 8)}-export.json"`,
    );
    return { text: response.body, file: response.json() as ExportFile };
  }

  async function upload(
    patient: SignedIn | { client: TestClient },
    recording: RecordingV1,
  ): Promise<RecordingV1> {
    const response = await patient.client.post('/api/v1/recordings', recording);
    expect(response.statusCode, response.body).toBe(201);
    return recording;
  }

  async function pseudonymOf(patientId: string, studyId: string): Promise<string> {
    const [row] = await t.database.db
      .select()
      .from(studyEnrolments)
      .where(and(eq(studyEnrolments.patientId, patientId), eq(studyEnrolments.studyId, studyId)));
    return row!.pseudonym;
  }

  it('documents every route of the contract under the `studies` tag', async () => {
    const response = await t.client().get('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths as Record<string, Record<string, { tags?: string[] }>>;
    const expected: [string, string][] = [
      ['/api/v1/studies', 'post'],
      ['/api/v1/studies', 'get'],
      ['/api/v1/studies/{id}', 'get'],
      ['/api/v1/studies/{id}/consent-versions', 'post'],
      ['/api/v1/studies/{id}/close', 'post'],
      ['/api/v1/studies/{id}/export', 'get'],
      ['/api/v1/studies/lookup', 'post'],
      ['/api/v1/studies/{id}/enrol', 'post'],
      ['/api/v1/participation', 'get'],
      ['/api/v1/participation/{studyId}/consent', 'post'],
      ['/api/v1/participation/{studyId}/withdraw', 'post'],
    ];
    for (const [path, method] of expected)
      expect(paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['studies']);
  });

  describe('who may do what', () => {
    it('refuses patients, clinicians and unapproved researchers, and hides other researchers’ studies', async () => {
      const study = await newStudy();
      const unapproved = await signedInClient(t, { role: 'researcher', approved: false });
      const patient = await signedInClient(t);
      const clinician = await signedInClient(t, { role: 'clinician', approved: true });
      const other = await signedInClient(t, { role: 'researcher', approved: true });

      const refused = await unapproved.client.post('/api/v1/studies', {
        title: 'x',
        description: 'y',
        tasks: ['typing'],
        consent: consent(),
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('E_NOT_APPROVED');
      expect((await unapproved.client.get('/api/v1/studies')).json().code).toBe('E_NOT_APPROVED');
      for (const who of [patient, clinician]) {
        const list = await who.client.get('/api/v1/studies');
        expect(list.statusCode).toBe(403);
        expect(list.json().code).toBe('E_FORBIDDEN');
        expect((await who.client.get(`/api/v1/studies/${study.id}/export`)).statusCode).toBe(403);
      }
      expect((await t.client().get('/api/v1/studies')).statusCode).toBe(401);

      // another researcher: as if the study did not exist
      for (const url of [`/api/v1/studies/${study.id}`, `/api/v1/studies/${study.id}/export`]) {
        const response = await other.client.get(url);
        expect(response.statusCode).toBe(404);
        expect(response.json().code).toBe('E_NOT_FOUND');
      }
      expect((await other.client.post(`/api/v1/studies/${study.id}/close`)).statusCode).toBe(404);
      expect(
        (await other.client.post(`/api/v1/studies/${study.id}/consent-versions`, consent())).statusCode,
      ).toBe(404);
      expect((await other.client.get('/api/v1/studies')).json().items).toEqual([]);
      const own = (await researcher.client.get('/api/v1/studies')).json().items as { id: string }[];
      expect(own.map((s) => s.id)).toContain(study.id);

      // researchers and clinicians do not take part in studies
      const lookup = await other.client.post('/api/v1/studies/lookup', { code: study.enrolCode });
      expect(lookup.statusCode).toBe(403);
      expect((await clinician.client.get('/api/v1/participation')).statusCode).toBe(403);
    });
  });

  describe('defining a study', () => {
    it('answers the study with a Crockford enrol code, consent version 1 and no participants', async () => {
      const schedule = {
        version: 1,
        timeZone: 'Europe/Berlin',
        items: [
          {
            id: 'typing-weekly',
            type: 'recurring',
            activity: 'typing',
            repeat: { kind: 'weekdays', weekdays: ['mon'] },
            time: '09:00',
          },
        ],
      };
      const study = await newStudy(researcher, { schedule });
      expect(study.enrolCode).toMatch(new RegExp(`^${CROCKFORD_CHAR}{4}-${CROCKFORD_CHAR}{4}$`));
      expect(study).toMatchObject({
        status: 'open',
        tasks: ['typing', 'scale'],
        schedule,
        consent: { version: 1, withdrawalData: 'keep' },
        counts: { consenting: 0, awaitingReconsent: 0, withdrawn: 0 },
      });
    });

    it('refuses a routine with a task the study does not use, and an invalid routine', async () => {
      const bad = await researcher.client.post('/api/v1/studies', {
        title: 'x',
        description: 'y',
        tasks: ['typing'],
        consent: consent(),
        schedule: {
          version: 1,
          timeZone: 'UTC',
          items: [
            {
              id: 'a',
              type: 'recurring',
              activity: 'spiral',
              repeat: { kind: 'weekdays', weekdays: ['mon'] },
              time: '09:00',
            },
          ],
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('E_VALIDATION');
      const invalid = await researcher.client.post('/api/v1/studies', {
        title: 'x',
        description: 'y',
        tasks: ['typing'],
        consent: consent(),
        schedule: { version: 1, timeZone: 'UTC', items: [{ id: 'a', type: 'sometimes' }] },
      });
      expect(invalid.statusCode).toBe(400);
    });
  });

  describe('enrolling', () => {
    it('the study’s routine joins the participant’s due list while they take part, and leaves it on withdrawal', async () => {
      const schedule = {
        version: 1,
        timeZone: 'UTC',
        items: [
          {
            id: 'typing-daily',
            type: 'recurring',
            activity: 'typing',
            repeat: { kind: 'weekdays', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
            time: '00:00',
          },
        ],
      };
      const study = await newStudy(researcher, { schedule });
      const patient = await signedInClient(t);
      expect((await patient.client.get('/api/v1/schedule/due')).json()).toEqual({ due: null });
      await enrol(patient, study);
      const due = (await patient.client.get('/api/v1/schedule/due')).json().due;
      expect(due).not.toBeNull();
      const itemId = `s${study.id.replace(/-/g, '').slice(0, 6)}-typing-daily`;
      expect(JSON.stringify(due)).toContain(itemId);
      expect((await patient.client.post(`/api/v1/participation/${study.id}/withdraw`, {})).statusCode).toBe(
        200,
      );
      expect((await patient.client.get('/api/v1/schedule/due')).json()).toEqual({ due: null });
    });

    it('finds the study by code, needs the current version and agree: true, and shows the routine', async () => {
      const study = await newStudy();
      const patient = await signedInClient(t);
      const typed = study.enrolCode.toLowerCase().replace('-', ' ');
      const lookup = await patient.client.post('/api/v1/studies/lookup', { code: typed });
      expect(lookup.statusCode, lookup.body).toBe(200);
      expect(lookup.json()).toMatchObject({
        id: study.id,
        researcher: { displayName: researcher.user.displayName },
        consent: { version: 1, withdrawalData: 'keep' },
        enrolment: null,
      });
      expect((await patient.client.post('/api/v1/studies/lookup', { code: 'ZZZZ-ZZZZ' })).statusCode).toBe(
        404,
      );

      const wrongVersion = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 2,
        agree: true,
      });
      expect(wrongVersion.statusCode).toBe(409);
      const notAgreed = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 1,
        agree: false,
      });
      expect(notAgreed.statusCode).toBe(400);

      const enrolment = await enrol(patient, study);
      expect(enrolment).toMatchObject({
        status: 'consenting',
        consentVersion: 1,
        withdrawnAt: null,
        study: { id: study.id, tasks: ['typing', 'scale'], status: 'open' },
        currentConsent: { version: 1 },
      });
      const again = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 1,
        agree: true,
      });
      expect(again.statusCode).toBe(409);

      const participation = (await patient.client.get('/api/v1/participation')).json().items;
      expect(participation).toHaveLength(1);
      expect(participation[0].study.id).toBe(study.id);

      // the researcher sees a pseudonym and a status: no name, user name or date
      const detail = await researcher.client.get(`/api/v1/studies/${study.id}`);
      expect(detail.statusCode).toBe(200);
      const participants = detail.json().participants;
      expect(participants).toEqual([
        {
          pseudonym: expect.stringMatching(new RegExp(`^P-${CROCKFORD_CHAR}{6}$`)),
          status: 'consenting',
          consentVersion: 1,
        },
      ]);
      expect(detail.body).not.toContain(patient.user.username);
      expect(detail.body).not.toContain(patient.user.id);
      expect(detail.json().counts).toEqual({ consenting: 1, awaitingReconsent: 0, withdrawn: 0 });

      // the patient's audit log and the consent record
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.patientId, patient.user.id));
      expect(audit.filter((r) => r.action === 'study.enrol' && r.status === 201)).toEqual([
        expect.objectContaining({ resource: `study:${study.id}`, details: { consentVersion: 1 } }),
      ]);
      const events = await t.database.db
        .select()
        .from(studyConsentEvents)
        .where(eq(studyConsentEvents.patientId, patient.user.id));
      expect(events.map((e) => [e.event, e.consentVersion])).toEqual([['consent', 1]]);
      const [row] = await t.database.db
        .select()
        .from(studyEnrolments)
        .where(eq(studyEnrolments.patientId, patient.user.id));
      expect(Math.abs(row!.dateShiftDays)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(row!.dateShiftDays)).toBeLessThanOrEqual(180);
    });

    it('a closed study takes no new participants', async () => {
      const study = await newStudy();
      const closed = await researcher.client.post(`/api/v1/studies/${study.id}/close`);
      expect(closed.statusCode).toBe(200);
      expect(closed.json().status).toBe('closed');
      expect((await researcher.client.post(`/api/v1/studies/${study.id}/close`)).json().status).toBe(
        'closed',
      );
      const patient = await signedInClient(t);
      const refused = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 1,
        agree: true,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(/closed/);
    });
  });

  describe('a changed consent text', () => {
    it('makes participants await re-consent and leaves them out of exports until they agree', async () => {
      const study = await newStudy();
      const patient = await signedInClient(t);
      await enrol(patient, study);
      await upload(patient, typingRecording({ startedAt: new Date().toISOString() }));
      expect((await exportOf(study)).file.participants).toHaveLength(1);

      const changed = await researcher.client.post(
        `/api/v1/studies/${study.id}/consent-versions`,
        consent('delete'),
      );
      expect(changed.statusCode).toBe(201);
      expect(changed.json()).toMatchObject({
        consent: { version: 2, withdrawalData: 'delete' },
        counts: { consenting: 0, awaitingReconsent: 1, withdrawn: 0 },
      });
      const participation = (await patient.client.get('/api/v1/participation')).json().items[0];
      expect(participation).toMatchObject({
        status: 'awaiting-reconsent',
        consentVersion: 1,
        currentConsent: { version: 2, withdrawalData: 'delete' },
        // the promise of the text agreed to still decides until the participant agrees to the new one
        agreedConsent: { version: 1, withdrawalData: 'keep' },
      });
      const excluded = await exportOf(study);
      expect(excluded.file.participants).toEqual([]);
      expect(excluded.file.recordings).toEqual([]);

      const stale = await patient.client.post(`/api/v1/participation/${study.id}/consent`, {
        consentVersion: 1,
        agree: true,
      });
      expect(stale.statusCode).toBe(409);
      const agreed = await patient.client.post(`/api/v1/participation/${study.id}/consent`, {
        consentVersion: 2,
        agree: true,
      });
      expect(agreed.statusCode, agreed.body).toBe(200);
      expect(agreed.json()).toMatchObject({ status: 'consenting', consentVersion: 2 });
      const back = await exportOf(study);
      expect(back.file.participants).toEqual([
        { pseudonym: await pseudonymOf(patient.user.id, study.id), consentVersion: 2, status: 'consenting' },
      ]);
      expect(back.file.recordings).toHaveLength(1);

      const events = await t.database.db
        .select()
        .from(studyConsentEvents)
        .where(eq(studyConsentEvents.patientId, patient.user.id));
      expect(events.map((e) => [e.event, e.consentVersion])).toEqual([
        ['consent', 1],
        ['consent', 2],
      ]);
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.patientId, patient.user.id));
      expect(audit.some((r) => r.action === 'study.consent' && r.status === 200)).toBe(true);
    });
  });

  describe('withdrawing', () => {
    it('keep: only data up to the withdrawal stays in exports; `data` is refused', async () => {
      const study = await newStudy(researcher, { consent: consent('keep') });
      const patient = await signedInClient(t);
      await enrol(patient, study);
      const before = await upload(patient, typingRecording({ startedAt: new Date().toISOString() }));
      const refused = await patient.client.post(`/api/v1/participation/${study.id}/withdraw`, {
        data: 'delete',
      });
      expect(refused.statusCode).toBe(400);
      const withdrawn = await patient.client.post(`/api/v1/participation/${study.id}/withdraw`, {});
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawalData: 'keep' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const after = await upload(patient, typingRecording({ startedAt: new Date().toISOString() }));

      const { file, text } = await exportOf(study);
      expect(file.participants).toEqual([expect.objectContaining({ status: 'withdrawn' })]);
      expect(file.recordings).toHaveLength(1);
      expect(text).not.toContain(before.id);
      expect(text).not.toContain(after.id);
      expect((await patient.client.post(`/api/v1/participation/${study.id}/withdraw`, {})).statusCode).toBe(
        409,
      );
      // withdrawing is final
      const again = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 1,
        agree: true,
      });
      expect(again.statusCode).toBe(409);
      const events = await t.database.db
        .select()
        .from(studyConsentEvents)
        .where(eq(studyConsentEvents.patientId, patient.user.id));
      expect(events.map((e) => [e.event, e.withdrawalData])).toEqual([
        ['consent', null],
        ['withdraw', 'keep'],
      ]);
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.patientId, patient.user.id));
      expect(audit.find((r) => r.action === 'study.withdraw' && r.status === 200)?.details).toEqual({
        withdrawalData: 'keep',
      });
    });

    it('delete: nothing of the participant is exported any more', async () => {
      const study = await newStudy(researcher, { consent: consent('delete') });
      const patient = await signedInClient(t);
      await enrol(patient, study);
      await upload(patient, typingRecording({ startedAt: new Date().toISOString() }));
      expect((await exportOf(study)).file.recordings).toHaveLength(1);
      const withdrawn = await patient.client.post(`/api/v1/participation/${study.id}/withdraw`, {});
      expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawalData: 'delete' });
      const { file, text } = await exportOf(study);
      expect(file.participants).toEqual([]);
      expect(file.recordings).toEqual([]);
      expect(text).not.toContain(await pseudonymOf(patient.user.id, study.id));
    });

    it('participant-chooses: the choice is required and decides', async () => {
      const study = await newStudy(researcher, { consent: consent('participant-chooses') });
      const keeper = await signedInClient(t);
      const deleter = await signedInClient(t);
      await enrol(keeper, study);
      await enrol(deleter, study);
      const missing = await keeper.client.post(`/api/v1/participation/${study.id}/withdraw`, {});
      expect(missing.statusCode).toBe(400);
      expect(missing.json().code).toBe('E_VALIDATION');
      expect(
        (await keeper.client.post(`/api/v1/participation/${study.id}/withdraw`, { data: 'keep' })).json(),
      ).toMatchObject({ withdrawalData: 'keep' });
      expect(
        (await deleter.client.post(`/api/v1/participation/${study.id}/withdraw`, { data: 'delete' })).json(),
      ).toMatchObject({ withdrawalData: 'delete' });
      const { file } = await exportOf(study);
      expect(file.participants.map((p) => p.pseudonym)).toEqual([
        await pseudonymOf(keeper.user.id, study.id),
      ]);
      const detail = (await researcher.client.get(`/api/v1/studies/${study.id}`)).json();
      expect(detail.counts).toEqual({ consenting: 0, awaitingReconsent: 0, withdrawn: 2 });
    });
  });

  describe('the export', () => {
    it('streams a whole, valid file; a participant’s recordings in their own calendar days, also across a time-zone change', async () => {
      const study = await newStudy(researcher, { tasks: ['typing'] });
      const traveller = await signedInClient(t);
      await enrol(traveller, study);
      // tomorrow (UTC) at 23:30 in a zone 2 h ahead is the day after in the traveller's calendar; 90 minutes
      // later (UTC), 5 h behind, it is still tomorrow there: the later recording is on the earlier day
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const next = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const ahead = new Date(Date.parse(`${tomorrow}T23:30:00Z`));
      const behind = new Date(ahead.getTime() + 90 * 60_000);
      const local = (at: Date, hours: number, zone: string) =>
        `${new Date(at.getTime() + hours * 3_600_000).toISOString().slice(0, 19)}.000${zone}`;
      const first = await upload(traveller, typingRecording({ startedAt: local(ahead, 2, '+02:00') }));
      const second = await upload(traveller, typingRecording({ startedAt: local(behind, -5, '-05:00') }));
      expect(first.startedAt.slice(0, 10)).toBe(next);
      expect(second.startedAt.slice(0, 10)).toBe(tomorrow);
      const many = [];
      for (let i = 0; i < 5; i++)
        many.push(
          await upload(
            traveller,
            typingRecording({ startedAt: new Date(Date.now() + (i + 3) * 86_400_000).toISOString() }),
          ),
        );
      await t.job.drain();

      const { file, text } = await exportOf(study);
      expect(text.endsWith(']}')).toBe(true);
      expect(file.recordings).toHaveLength(7);
      const days = file.recordings.map((r) => r.day);
      expect(days).toEqual([...days].sort());
      const shift = (
        await t.database.db
          .select()
          .from(studyEnrolments)
          .where(and(eq(studyEnrolments.patientId, traveller.user.id), eq(studyEnrolments.studyId, study.id)))
      )[0]!.dateShiftDays;
      const shifted = (day: string) =>
        new Date(Date.parse(`${day}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
      expect(days.slice(0, 2)).toEqual([shifted(tomorrow), shifted(next)]);
      // every recording's metrics name a recording of the export
      const ids = new Set(file.recordings.map((r) => r.id));
      expect(file.metrics.length).toBeGreaterThan(0);
      expect(file.metrics.every((m) => ids.has(m.recording))).toBe(true);
      for (const recording of [first, second, ...many]) expect(text).not.toContain(recording.id);
    });

    it('holds only enrolled participants, only the study’s tasks from enrolment on, and audits each participant', async () => {
      const study = await newStudy(researcher, { tasks: ['typing'] });
      const enrolled = await signedInClient(t);
      const outsider = await signedInClient(t);
      // before enrolment, and another task: never exported
      const early = await upload(
        enrolled,
        typingRecording({ startedAt: new Date(Date.now() - 3_600_000).toISOString() }),
      );
      await enrol(enrolled, study);
      const kept = await upload(enrolled, typingRecording({ startedAt: new Date().toISOString() }));
      const spiral = await upload(
        enrolled,
        sampleRecording('spiral', { startedAt: new Date().toISOString() }),
      );
      // a patient who only looked the study up
      expect(
        (await outsider.client.post('/api/v1/studies/lookup', { code: study.enrolCode })).statusCode,
      ).toBe(200);
      const foreign = await upload(outsider, typingRecording({ startedAt: new Date().toISOString() }));
      await t.job.drain();

      const { file, text } = await exportOf(study);
      expect(file.participants).toHaveLength(1);
      expect(file.recordings).toHaveLength(1);
      expect(file.recordings[0]).toMatchObject({
        taskId: 'typing',
        participant: file.participants[0]!.pseudonym,
      });
      for (const id of [early.id, kept.id, spiral.id, foreign.id, enrolled.user.id, outsider.user.id])
        expect(text).not.toContain(id);
      const stored = await t.database.db
        .select()
        .from(metricValues)
        .where(and(eq(metricValues.patientId, enrolled.user.id), eq(metricValues.recordingId, kept.id)));
      expect(stored.length).toBeGreaterThan(0);
      expect(file.metrics).toHaveLength(stored.length);
      expect(new Set(file.metrics.map((m) => m.recording))).toEqual(new Set([file.recordings[0]!.id]));

      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'study.export'), eq(auditLog.resource, `study:${study.id}`)));
      expect(audit.filter((r) => r.patientId !== null).map((r) => r.patientId)).toEqual([enrolled.user.id]);
      expect(audit.find((r) => r.patientId !== null)).toMatchObject({
        actorId: researcher.user.id,
        status: 200,
      });
      // and one row for the researcher's side, naming no patient
      expect(audit.filter((r) => r.patientId === null)).toEqual([
        expect.objectContaining({ actorId: researcher.user.id, details: { participants: 1, recordings: 1 } }),
      ]);
      // the patient sees it in their own audit log
      const own = await enrolled.client.get('/api/v1/audit');
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('study.export');
    });

    it('canary: no name, user name, id, free text, device or port name, typed text or real date gets out', async () => {
      const tag = randomUUID().slice(0, 6);
      const username = `canary-zebedee-${tag}`;
      const created = await createUser(t.database.db, {
        username,
        password: 'correct horse battery staple',
        displayName: 'Canaryname Zebedee',
        role: 'patient',
        approved: false,
      });
      const session = await createSession(t.database.db, created.id, { hours: 1, scope: 'full' });
      const client = t.client();
      client.cookies.set(SESSION_COOKIE, session.token);
      const patient = { client };
      const study = await newStudy();

      const profile = await client.put('/api/v1/profile', {
        affectedHands: 'right',
        dominantHand: 'right',
        dystoniaForms: ['musicians'],
        occupation: 'canaryoccupation violinist',
        essentialHandTasks: ['canarytask bowing'],
        instrument: 'canaryinstrument Stradivarius',
        onsetYear: 2010,
        diagnosisConfirmed: 'yes',
      });
      expect(profile.statusCode, profile.body).toBe(200);
      await enrol({ client } as SignedIn, study);
      // the patient enrolled long ago, so that data from 1987 is within the study
      await t.database.db
        .update(studyEnrolments)
        .set({ enrolledAt: new Date('1980-01-01T00:00:00Z') })
        .where(eq(studyEnrolments.patientId, created.id));

      const startedAt = '1987-03-14T15:09:26.535+01:00';
      const timeOriginMs = Date.parse(startedAt) - 1000;
      const typed = 'canarytyped';
      const typing = typingRecording({ startedAt, inputDevice: 'canarydevice Keychron K2', presses: 40 });
      const keyValues = typing.streams.keyboard!.columns.type!.values.map(
        (_, i) => typed[Math.floor(i / 2) % typed.length]!,
      );
      typing.streams.keyboard!.columns.key = { type: 'str', values: keyValues };
      typing.device = {
        ...typing.device,
        userAgent: 'CanaryAgent/1.0 (canarydevice)',
        platform: 'canarydevice OS',
      };
      typing.timing = { ...typing.timing, timeOriginMs };
      typing.params = {
        mode: 'copy',
        text: 'canarytext-param',
        copy: { typed: `${typed} words`, errors: 1 },
      };
      typing.context = { ...typing.context, medication: 'canarytext-medication 2 mg' };
      await upload(patient, typing);

      const scale = sampleRecording('scale', {
        startedAt: '1987-03-15T10:00:00.000+01:00',
        params: {
          block: 'a-120',
          midiInput: { name: 'canaryport Roland FP-30', manufacturer: 'canarydevice' },
        },
      });
      scale.timing = { ...scale.timing, timeOriginMs };
      scale.device = { ...scale.device, inputDevice: 'canaryport Roland' };
      scale.streams.midi = {
        columns: {
          timeStampMs: { type: 'f64', values: [1000, 1100, 1200, 1300] },
          bytesHex: { type: 'str', values: ['903c64', '803c00', 'f07e7f0601f7', '903e64'] },
          inputId: { type: 'str', values: ['canaryport-1', 'canaryport-1', 'canaryport-1', 'canaryport-1'] },
        },
      };
      await upload(patient, scale);

      const diary = await client.post('/api/v1/diary/entries', {
        at: '1987-03-14T18:00:00+01:00',
        notes: 'canarytext-diary I felt awful',
      });
      expect(diary.statusCode, diary.body).toBe(201);
      const toxin = await client.post('/api/v1/treatments', {
        type: 'botulinum-toxin',
        date: '1987-03-20',
        product: 'other',
        otherText: 'canarytext-product',
        injections: [
          {
            muscle: 'other',
            otherText: 'canarytext-muscle',
            side: 'right',
            units: 40,
            detail: 'canarytext-detail',
          },
        ],
        sideEffectsText: 'canarytext-sideeffects',
        notes: 'canarytext-treatment',
      });
      expect(toxin.statusCode, toxin.body).toBe(201);
      const medication = await client.post('/api/v1/treatments', {
        type: 'medication',
        name: 'canarytext-medname',
        dose: '2 mg canarytext',
        schedule: 'canarytext daily',
        start: '1987-03-01',
      });
      expect(medication.statusCode, medication.body).toBe(201);
      const total = await client.post('/api/v1/clinician-scales/totals', {
        scaleId: 'wcrs',
        total: 12,
        date: '1987-03-16',
        rater: { role: 'clinician', name: 'canaryname Dr Rater' },
      });
      expect(total.statusCode, total.body).toBe(201);
      await t.job.drain();

      const { text, file } = await exportOf(study);
      const canaries = [
        'Canaryname',
        'Zebedee',
        username,
        'canaryoccupation',
        'canaryinstrument',
        'canarytask',
        'canarytext',
        typed,
        'canarydevice',
        'canaryport',
        'CanaryAgent',
        created.id,
        typing.id,
        scale.id,
        '1987-03-14',
        '1987-03-15',
        '1987-03-16',
        '1987-03-20',
        '1987-03-01',
        '14.03.1987',
        '03/14/1987',
        '15:09',
        '14:09',
        String(Math.trunc(timeOriginMs)),
        String(Math.trunc(timeOriginMs / 1000)),
        String(Date.parse(startedAt)),
        researcher.user.username,
      ];
      for (const canary of canaries) expect(text.toLowerCase(), canary).not.toContain(canary.toLowerCase());
      expect(text).not.toMatch(/canary/i);

      // and the data is there (so that the test can fail): 2 recordings with content, their metrics, 1 scale
      // total, 2 treatments, days shifted by the participant's secret shift
      const [row] = await t.database.db
        .select()
        .from(studyEnrolments)
        .where(eq(studyEnrolments.patientId, created.id));
      const shift = row!.dateShiftDays;
      const shifted = (day: string) =>
        new Date(Date.parse(`${day}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
      expect(file.participants).toEqual([
        { pseudonym: row!.pseudonym, consentVersion: 1, status: 'consenting' },
      ]);
      expect(file.recordings.map((r) => [r.taskId, r.day]).sort()).toEqual(
        [
          ['scale', shifted('1987-03-15')],
          ['typing', shifted('1987-03-14')],
        ].sort(),
      );
      expect(file.recordings.every((r) => r.content !== null)).toBe(true);
      const stored = await t.database.db
        .select()
        .from(metricValues)
        .where(
          and(
            eq(metricValues.patientId, created.id),
            inArray(metricValues.recordingId, [typing.id, scale.id]),
          ),
        );
      expect(stored.length).toBeGreaterThan(0);
      expect(file.metrics).toHaveLength(stored.length);
      expect(file.scaleTotals).toEqual([
        {
          participant: row!.pseudonym,
          scaleId: 'wcrs',
          total: 12,
          day: shifted('1987-03-16'),
          raterRole: 'clinician',
        },
      ]);
      expect(file.treatments.map((x) => [x.kind, x.day]).sort()).toEqual(
        [
          ['botulinum-toxin', shifted('1987-03-20')],
          ['medication', shifted('1987-03-01')],
        ].sort(),
      );
      const typingContent = file.recordings.find((r) => r.taskId === 'typing')!.content as {
        streams: { keyboard: { columns: Record<string, { values: unknown[] }> } };
      };
      expect(Object.keys(typingContent.streams.keyboard.columns)).not.toContain('code');
      expect(typingContent.streams.keyboard.columns.keyClass!.values[0]).toBe('letter');
    });
  });
});
