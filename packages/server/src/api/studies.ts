import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CodedError,
  TASK_IDS,
  activityKind,
  scheduleSchema,
  type Schedule,
  type TaskId,
} from '@dystrack/core';
import { and, eq } from 'drizzle-orm';
import { WITHDRAWAL_DATA, studyConsentVersions } from '../db/schema.js';
import { subjectOf } from '../http/security.js';
import { buildStudyExport } from '../studies/export.js';
import {
  addConsentVersion,
  closeStudy,
  consentVersion,
  createStudy,
  currentConsents,
  enrol,
  enrolmentsOf,
  findEnrolment,
  findStudy,
  findStudyByCode,
  listStudies,
  normaliseEnrolCode,
  participantStatus,
  patientEnrolments,
  reconsent,
  researcherNames,
  withdraw,
  type ConsentVersionRow,
  type EnrolmentRow,
  type StudyRow,
} from '../studies/store.js';
import { addressRateLimit } from './auth.js';
import { sendExport } from './export-formats.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

/*
 * Research studies. An approved researcher defines a study (tasks, routine, consent text with a version)
 * and exports its de-identified data; patients find a study by its enrol code, enrol by agreeing to the
 * current consent text, re-consent when it changes and withdraw at any time. Researchers never see a
 * patient's name or record: only pseudonyms and statuses, and the de-identified export (studies/export.ts).
 * Another researcher's study answers 404, as if it did not exist. Audit rows on the patient's log:
 * `study.enrol`, `study.consent`, `study.withdraw`, and one `study.export` row per participant whose data
 * went out in an export.
 */

const taskSchema = z.enum(TASK_IDS);
const withdrawalDataSchema = z
  .enum(WITHDRAWAL_DATA)
  .describe(
    'what happens to the data a participant gave when they withdraw: `keep` (it stays in the study, up to the ' +
      'withdrawal), `delete` (it leaves every later export), or `participant-chooses` (they choose when withdrawing)',
  );
const consentInputSchema = z.strictObject({
  text: z.string().trim().min(1).max(20_000).describe('the consent text participants agree to'),
  withdrawalData: withdrawalDataSchema,
});
const statusSchema = z
  .enum(['consenting', 'awaiting-reconsent', 'withdrawn'])
  .describe(
    '`consenting`: agreed to the current consent text; `awaiting-reconsent`: agreed to an older text and is left ' +
      'out of exports until they agree to the current one; `withdrawn`: left the study',
  );

const consentSchema = z.object({
  version: z.int().describe('1 for the first text, then 2, 3, …'),
  text: z.string(),
  withdrawalData: withdrawalDataSchema,
  createdAt: z.iso.datetime(),
});

const studySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  tasks: z.array(taskSchema),
  schedule: scheduleSchema.nullable().describe('the routine participants are asked to follow'),
  enrolCode: z
    .string()
    .describe('`XXXX-XXXX`: what patients type in to find the study (printed on recruitment material)'),
  status: z.enum(['open', 'closed']).describe('`closed`: takes no new participants'),
  consent: consentSchema,
  createdAt: z.iso.datetime(),
  counts: z.object({
    consenting: z.int(),
    awaitingReconsent: z.int(),
    withdrawn: z.int(),
  }),
});
type StudyBody = z.infer<typeof studySchema>;

const participantSchema = z.object({
  pseudonym: z.string().describe('the participant in exports, `P-XXXXXX`'),
  status: statusSchema,
  consentVersion: z.int().describe('the consent version the participant last agreed to'),
});

const publicStudySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  researcher: z.object({ displayName: z.string() }),
  tasks: z.array(taskSchema),
  schedule: scheduleSchema.nullable(),
  status: z.enum(['open', 'closed']),
});

const currentConsentSchema = z.object({
  version: z.int(),
  text: z.string(),
  withdrawalData: withdrawalDataSchema,
});

const enrolmentSchema = z.object({
  study: publicStudySchema,
  status: statusSchema,
  consentVersion: z.int().describe('the consent version agreed to'),
  consentedAt: z.iso.datetime().describe('when it was agreed to'),
  withdrawnAt: z.iso.datetime().nullable(),
  withdrawalData: z
    .enum(['keep', 'delete'])
    .nullable()
    .describe('what happens to the data given, once withdrawn'),
  currentConsent: currentConsentSchema.describe(
    'the current consent text (to agree to when `awaiting-reconsent`)',
  ),
  agreedConsent: currentConsentSchema.describe(
    'the consent text the participant agreed to (its promise decides what happens to the data on withdrawal)',
  ),
});
type EnrolmentBody = z.infer<typeof enrolmentSchema>;

const studyInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5_000).describe('what the study is about, as patients see it'),
  tasks: z
    .array(taskSchema)
    .min(1)
    .max(TASK_IDS.length)
    .refine((tasks) => new Set(tasks).size === tasks.length, 'each task at most once')
    .describe('the tasks whose recordings the study uses; no other recordings are ever exported'),
  schedule: scheduleSchema
    .nullable()
    .default(null)
    .describe("the routine participants are asked to follow (the same format as a patient's routine)"),
  consent: consentInputSchema,
});

const agreeSchema = z.strictObject({
  consentVersion: z.int().min(1).describe('the version of the consent text the patient read'),
  agree: z.literal(true).describe('the patient agrees to that text'),
});

const idParams = z.object({ id: z.uuid() });
const studyIdParams = z.object({ studyId: z.uuid() });

/** Task activities of a routine must be tasks of the study (diary and questionnaires are always fine). */
function checkScheduleTasks(schedule: Schedule | null, tasks: readonly TaskId[]): void {
  if (!schedule) return;
  const issues: { path: string; message: string }[] = [];
  schedule.items.forEach((item, index) => {
    const activities = item.type === 'recurring' ? [item.activity] : item.activities;
    for (const activity of activities)
      if (activityKind(activity) === 'task' && !tasks.includes(activity as TaskId))
        issues.push({
          path: `body.schedule.items.${index}`,
          message: `${activity} is not a task of the study`,
        });
  });
  if (issues.length > 0)
    throw new CodedError(
      'E_VALIDATION',
      'The routine asks for a task that is not one of the study’s tasks.',
      {
        issues,
      },
    );
}

function consentBody(row: ConsentVersionRow) {
  return {
    version: row.version,
    text: row.text,
    withdrawalData: row.withdrawalData,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Studies and their current consent, enrolments and counts, as the researcher sees them. */
async function studyBodies(
  db: ApiOptions['db'],
  rows: readonly StudyRow[],
): Promise<{ bodies: StudyBody[]; enrolments: Map<string, EnrolmentRow[]> }> {
  const consents = await currentConsents(db, rows);
  const all = await enrolmentsOf(
    db,
    rows.map((r) => r.id),
  );
  const enrolments = new Map<string, EnrolmentRow[]>(rows.map((r) => [r.id, []]));
  for (const e of all) enrolments.get(e.studyId)?.push(e);
  const bodies = rows.map((row) => {
    const counts = { consenting: 0, awaitingReconsent: 0, withdrawn: 0 };
    for (const e of enrolments.get(row.id)!) {
      const status = participantStatus(e, row);
      if (status === 'consenting') counts.consenting++;
      else if (status === 'awaiting-reconsent') counts.awaitingReconsent++;
      else counts.withdrawn++;
    }
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      tasks: row.tasks as TaskId[],
      schedule: (row.schedule as Schedule | null) ?? null,
      enrolCode: row.enrolCode,
      status: row.status,
      consent: consentBody(consents.get(row.id)!),
      createdAt: row.createdAt.toISOString(),
      counts,
    };
  });
  return { bodies, enrolments };
}

/** Research studies (researcher side) and participation in them (patient side). */
export async function studyRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;

  /** The caller's own study, or E_NOT_FOUND (another researcher's study is as if it did not exist). */
  async function ownStudy(request: FastifyRequest, id: string): Promise<StudyRow> {
    const study = await findStudy(db, id);
    if (!study || study.researcherId !== request.user?.id)
      throw new CodedError('E_NOT_FOUND', 'There is no such study.');
    return study;
  }

  async function oneStudy(study: StudyRow): Promise<StudyBody> {
    return (await studyBodies(db, [study])).bodies[0]!;
  }

  async function enrolmentBodies(rows: readonly EnrolmentRow[]): Promise<EnrolmentBody[]> {
    const studyRows: StudyRow[] = [];
    for (const row of rows) {
      const study = await findStudy(db, row.studyId);
      if (study) studyRows.push(study);
    }
    const consents = await currentConsents(db, studyRows);
    const names = await researcherNames(
      db,
      studyRows.map((s) => s.researcherId),
    );
    const byId = new Map(studyRows.map((s) => [s.id, s]));
    const agreed = new Map<
      string,
      { version: number; text: string; withdrawalData: (typeof WITHDRAWAL_DATA)[number] }
    >();
    for (const row of rows) {
      const [version] = await db
        .select({
          version: studyConsentVersions.version,
          text: studyConsentVersions.text,
          withdrawalData: studyConsentVersions.withdrawalData,
        })
        .from(studyConsentVersions)
        .where(
          and(
            eq(studyConsentVersions.studyId, row.studyId),
            eq(studyConsentVersions.version, row.consentVersion),
          ),
        );
      if (version) agreed.set(row.studyId, version);
    }
    return rows.flatMap((row) => {
      const study = byId.get(row.studyId);
      if (!study) return [];
      const consent = consents.get(study.id)!;
      return [
        {
          study: publicStudy(study, names.get(study.researcherId) ?? ''),
          status: participantStatus(row, study),
          consentVersion: row.consentVersion,
          consentedAt: row.consentedAt.toISOString(),
          withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
          withdrawalData: row.withdrawalData ?? null,
          currentConsent: {
            version: consent.version,
            text: consent.text,
            withdrawalData: consent.withdrawalData,
          },
          agreedConsent: agreed.get(row.studyId) ?? {
            version: consent.version,
            text: consent.text,
            withdrawalData: consent.withdrawalData,
          },
        },
      ];
    });
  }

  function publicStudy(study: StudyRow, researcher: string) {
    return {
      id: study.id,
      title: study.title,
      description: study.description,
      researcher: { displayName: researcher },
      tasks: study.tasks as TaskId[],
      schedule: (study.schedule as Schedule | null) ?? null,
      status: study.status,
    };
  }

  /** A study a patient acts on (by id): any study, open or closed; unknown answers 404. */
  async function studyForPatient(id: string): Promise<StudyRow> {
    const study = await findStudy(db, id);
    if (!study) throw new CodedError('E_NOT_FOUND', 'There is no such study.');
    return study;
  }

  // ---------------------------------------------------------------------------------------------
  // researcher

  const researcherErrors = {
    401: errorResponse('E_UNAUTHENTICATED'),
    403: errorResponse(
      'E_FORBIDDEN (not a researcher), E_NOT_APPROVED (researcher not approved yet), E_CSRF',
    ),
  };

  app.post(
    '/api/v1/studies',
    {
      config: { access: { action: 'study.write', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: 'Defines a study: its tasks, routine and first consent text',
        description:
          'For approved researchers. The study is open at once; patients find it by `enrolCode`. Task activities of the ' +
          'routine must be among `tasks`. The consent text is version 1; `withdrawalData` is what it promises about a ' +
          "withdrawing participant's data.",
        body: studyInputSchema,
        response: { 201: studySchema, 400: errorResponse('E_VALIDATION'), ...researcherErrors },
      },
    },
    async (request, reply) => {
      const input = request.body;
      checkScheduleTasks(input.schedule, input.tasks);
      const study = await createStudy(db, request.user!.id, input);
      return reply.code(201).send(await oneStudy(study));
    },
  );

  app.get(
    '/api/v1/studies',
    {
      config: { access: { action: 'study.read', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: "The researcher's own studies, newest first",
        response: { 200: z.object({ items: z.array(studySchema) }), ...researcherErrors },
      },
    },
    async (request) => {
      const rows = await listStudies(db, request.user!.id);
      return { items: (await studyBodies(db, rows)).bodies };
    },
  );

  app.get(
    '/api/v1/studies/:id',
    {
      config: { access: { action: 'study.read', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: 'One of the researcher’s studies, with its participants by pseudonym',
        description: 'Participants appear by pseudonym and status only: no names, no dates.',
        params: idParams,
        response: {
          200: studySchema.extend({ participants: z.array(participantSchema) }),
          400: errorResponse('E_VALIDATION'),
          ...researcherErrors,
          404: errorResponse('E_NOT_FOUND: no such study, or another researcher’s'),
        },
      },
    },
    async (request) => {
      const study = await ownStudy(request, request.params.id);
      const { bodies, enrolments } = await studyBodies(db, [study]);
      const participants = enrolments
        .get(study.id)!
        .map((e) => ({
          pseudonym: e.pseudonym,
          status: participantStatus(e, study),
          consentVersion: e.consentVersion,
        }))
        .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
      return { ...bodies[0]!, participants };
    },
  );

  app.post(
    '/api/v1/studies/:id/consent-versions',
    {
      config: { access: { action: 'study.write', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: 'Replaces the consent text with a new version: every participant must consent again',
        description:
          'Participants who agreed to an earlier version become `awaiting-reconsent` and are left out of exports until ' +
          'they agree to the new one. Earlier versions are kept.',
        params: idParams,
        body: consentInputSchema,
        response: {
          201: studySchema,
          400: errorResponse('E_VALIDATION'),
          ...researcherErrors,
          404: errorResponse('E_NOT_FOUND'),
          409: errorResponse('E_CONFLICT: changed by another request at the same time'),
        },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const updated = await addConsentVersion(db, study, request.body);
      return reply.code(201).send(await oneStudy(updated));
    },
  );

  app.post(
    '/api/v1/studies/:id/close',
    {
      config: { access: { action: 'study.write', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: 'Closes a study to new participants (those enrolled stay; closing again changes nothing)',
        params: idParams,
        response: {
          200: studySchema,
          400: errorResponse('E_VALIDATION'),
          ...researcherErrors,
          404: errorResponse('E_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const study = await ownStudy(request, request.params.id);
      return oneStudy(await closeStudy(db, study));
    },
  );

  app.get(
    '/api/v1/studies/:id/export',
    {
      config: { access: { action: 'study.export', patient: 'none' } },
      schema: {
        tags: ['studies'],
        summary: 'The de-identified data of the study, as a JSON file',
        description:
          'Participants consenting at the current consent version, and withdrawn ones whose data was to be kept (only ' +
          'data up to the withdrawal); nobody awaiting re-consent and nobody whose data was to be deleted. Only data ' +
          "from each participant's enrolment on, and only recordings of the study's tasks. Participants by pseudonym, " +
          "recordings by an id made for this export, every date shifted by the participant's secret number of days, no " +
          'time of day; no names, user names, real ids, free text, device, browser or MIDI port names, typed characters ' +
          'or wall-clock times (event times are relative to the recording). Each participant whose data went out gets ' +
          'a `study.export` row in their audit log. The file, `study-<8 chars>-export.json` (application/json), is ' +
          'streamed: the server reads one recording at a time, whatever the size of the study.',
        params: idParams,
        response: {
          400: errorResponse('E_VALIDATION'),
          ...researcherErrors,
          404: errorResponse('E_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      const enrolments = await enrolmentsOf(db, [study.id]);
      const { chunks, exported } = await buildStudyExport(db, study, enrolments);
      // the researcher's side: who exported which study, and how much (no patient named)
      request.audit({
        action: 'study.export',
        patientId: null,
        resource: `study:${study.id}`,
        details: {
          participants: exported.length,
          recordings: exported.reduce((sum, p) => sum + p.recordings, 0),
        },
      });
      for (const participant of exported)
        request.audit({
          action: 'study.export',
          patientId: participant.patientId,
          resource: `study:${study.id}`,
          details: {
            pseudonym: participant.pseudonym,
            recordings: participant.recordings,
            deidentified: true,
          },
        });
      return sendExport(reply, {
        fileName: `study-${study.id.slice(0, 8)}-export.json`,
        contentType: 'application/json; charset=utf-8',
        chunks,
      });
    },
  );

  // ---------------------------------------------------------------------------------------------
  // patient

  const patientErrors = {
    401: errorResponse('E_UNAUTHENTICATED'),
    403: errorResponse('E_FORBIDDEN (only patients take part in studies), E_CSRF'),
  };

  app.post(
    '/api/v1/studies/lookup',
    {
      config: {
        access: { action: 'study.participate', patient: 'subject' },
        rateLimit: addressRateLimit(config),
      },
      schema: {
        tags: ['studies'],
        summary: 'Finds a study by its enrol code, with its consent text',
        description:
          'Case, spaces and hyphens do not matter. `enrolment` is the patient’s own enrolment in the study, if any. ' +
          'Rate-limited per address.',
        body: z.strictObject({
          code: z.string().min(1).max(40).describe('`XXXX-XXXX`, from the recruitment material'),
        }),
        response: {
          200: publicStudySchema.extend({
            consent: currentConsentSchema,
            enrolment: enrolmentSchema.nullable(),
          }),
          400: errorResponse('E_VALIDATION'),
          ...patientErrors,
          404: errorResponse('E_NOT_FOUND: no study has this code'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const code = normaliseEnrolCode(request.body.code);
      const study = code ? await findStudyByCode(db, code) : undefined;
      if (!study) {
        request.auditAs('study.lookup', null, { found: false });
        throw new CodedError(
          'E_NOT_FOUND',
          'No study has this code. Check the code on the study’s information sheet.',
        );
      }
      request.auditAs('study.lookup', `study:${study.id}`);
      const consent = (await consentVersion(db, study.id, study.consentVersion))!;
      const names = await researcherNames(db, [study.researcherId]);
      const own = await findEnrolment(db, patientId, study.id);
      return {
        ...publicStudy(study, names.get(study.researcherId) ?? ''),
        consent: { version: consent.version, text: consent.text, withdrawalData: consent.withdrawalData },
        enrolment: own ? ((await enrolmentBodies([own]))[0] ?? null) : null,
      };
    },
  );

  app.post(
    '/api/v1/studies/:id/enrol',
    {
      config: { access: { action: 'study.participate', patient: 'subject' } },
      schema: {
        tags: ['studies'],
        summary: 'Enrols the patient in a study, agreeing to its current consent text',
        description:
          'The patient gets a random pseudonym for the study; their dates in exports are shifted by a secret number of ' +
          'days. 409 E_CONFLICT when `consentVersion` is not the current version (the text changed: read it again), ' +
          'when the study is closed, or when the patient is already enrolled or withdrew (withdrawing is final).',
        params: idParams,
        body: agreeSchema,
        response: {
          201: enrolmentSchema,
          400: errorResponse('E_VALIDATION (`agree` must be true)'),
          ...patientErrors,
          404: errorResponse('E_NOT_FOUND'),
          409: errorResponse('E_CONFLICT'),
        },
      },
    },
    async (request, reply) => {
      const patientId = subjectOf(request);
      const study = await studyForPatient(request.params.id);
      request.auditAs('study.enrol', `study:${study.id}`, { consentVersion: request.body.consentVersion });
      const row = await enrol(db, patientId, study, request.body.consentVersion, new Date());
      return reply.code(201).send((await enrolmentBodies([row]))[0]!);
    },
  );

  app.get(
    '/api/v1/participation',
    {
      config: { access: { action: 'study.participate', patient: 'subject' } },
      schema: {
        tags: ['studies'],
        summary: "The patient's studies, with each study's tasks and routine, newest first",
        response: { 200: z.object({ items: z.array(enrolmentSchema) }), ...patientErrors },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      request.auditAs('study.participation.read', null);
      return { items: await enrolmentBodies(await patientEnrolments(db, patientId)) };
    },
  );

  app.post(
    '/api/v1/participation/:studyId/consent',
    {
      config: { access: { action: 'study.participate', patient: 'subject' } },
      schema: {
        tags: ['studies'],
        summary: "Agrees to the study's current consent text (after it changed)",
        description:
          'Until then the participant is `awaiting-reconsent` and left out of exports. 409 E_CONFLICT when the version ' +
          'is not the current one or the patient withdrew; 404 when not enrolled.',
        params: studyIdParams,
        body: agreeSchema,
        response: {
          200: enrolmentSchema,
          400: errorResponse('E_VALIDATION'),
          ...patientErrors,
          404: errorResponse('E_NOT_FOUND'),
          409: errorResponse('E_CONFLICT'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const study = await studyForPatient(request.params.studyId);
      request.auditAs('study.consent', `study:${study.id}`, { consentVersion: request.body.consentVersion });
      const { enrolment } = await reconsent(db, patientId, study, request.body.consentVersion, new Date());
      return (await enrolmentBodies([enrolment]))[0]!;
    },
  );

  app.post(
    '/api/v1/participation/:studyId/withdraw',
    {
      config: { access: { action: 'study.participate', patient: 'subject' } },
      schema: {
        tags: ['studies'],
        summary: 'Withdraws from a study, at any time',
        description:
          'What happens to the data given so far is what the consent the patient agreed to promised: `keep` (it stays ' +
          'in the study, up to now) or `delete` (it leaves every later export). Only a consent that lets the ' +
          'participant choose takes `data` (then it is required); otherwise `data` is refused. Withdrawing is final.',
        params: studyIdParams,
        body: z
          .strictObject({
            data: z
              .enum(['keep', 'delete'])
              .optional()
              .describe('only when the consent lets the participant choose'),
          })
          .default({}),
        response: {
          200: enrolmentSchema,
          400: errorResponse('E_VALIDATION'),
          ...patientErrors,
          404: errorResponse('E_NOT_FOUND'),
          409: errorResponse('E_CONFLICT: already withdrawn'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const study = await studyForPatient(request.params.studyId);
      request.auditAs('study.withdraw', `study:${study.id}`);
      const row = await withdraw(db, patientId, study, request.body.data, new Date());
      request.auditAs('study.withdraw', `study:${study.id}`, { withdrawalData: row.withdrawalData });
      return (await enrolmentBodies([row]))[0]!;
    },
  );
}
