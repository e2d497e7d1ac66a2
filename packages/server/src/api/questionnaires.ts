import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CLINICIAN_SCALES,
  CodedError,
  QUESTIONNAIRES,
  RATER_ROLES,
  checkPhq9Crisis,
  checkRedFlags,
  freeText,
  getQuestionnaire,
  pastDate,
  scoreQuestionnaire,
  validateClinicianScaleEntry,
  type ClinicianScaleEntry,
  type CrisisCheck,
  type Onset,
  type OtherSign,
  type RedFlagCode,
  type ScoreResult,
} from '@dystrack/core';
import { errorBodySchema } from '../http/errors.js';
import { dateInstant, latestToday, registerEntryRoutes } from './diary.js';
import type { ApiOptions } from './index.js';
import type { Action } from '../authz.js';

/** Questionnaire responses and clinician-scale totals are shared together, as the patient's scales. */
const SCALE_ACTIONS: { read: Action; write: Action } = { read: 'scale.read', write: 'scale.write' };

/*
 * Questionnaire responses (PHQ-9, GAD-7, PGIC: scored by core), totals of licensed clinician scales
 * (WCRS, ADDS, …: validated by core; no item wording anywhere) and the red-flag check. Responses and
 * totals are entries with history (diary.ts).
 */

const QUESTIONNAIRE_IDS = Object.keys(QUESTIONNAIRES) as [string, ...string[]];
const SCALE_IDS = CLINICIAN_SCALES.map((scale) => scale.id) as [string, ...string[]];

/** Most answers a response may hold (the longest questionnaire has 10 items). */
const MAX_ANSWERS = 50;

/** Questionnaires whose question compares with a reference point, which the response must then name. */
const NEEDS_REFERENCE = new Set(['pgic']);

export const REFERENCE_KINDS = ['injection', 'therapy', 'tracking-start', 'other'] as const;

/** The point in time a change question (PGIC) compares with, as the person chose it. */
export const referenceInputSchema = z.strictObject({
  kind: z
    .enum(REFERENCE_KINDS)
    .describe('a botulinum-toxin injection, the start of a therapy, the start of tracking, or another date'),
  date: pastDate.describe('the reference date, YYYY-MM-DD'),
  label: freeText(120).describe('optional words for the reference, e.g. "started the new splint"'),
});

/** A questionnaire response as submitted: answers by item linkId (option code, or text for text items). */
export const questionnaireInputSchema = z.strictObject({
  questionnaireId: z.enum(QUESTIONNAIRE_IDS),
  answers: z
    .record(z.string().min(1).max(64), z.string().max(4000).nullable())
    .refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, `at most ${MAX_ANSWERS} answers`)
    .describe('linkId → option code (choice items) or text (text items); null or absent = unanswered'),
  completedAt: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) <= Date.now() + 3600_000, 'the time cannot be in the future')
    .describe('when the questionnaire was completed, ISO 8601 with offset'),
  reference: referenceInputSchema
    .optional()
    .describe('required for PGIC (the point its question compares with), refused for the others'),
});

export type QuestionnaireInput = z.output<typeof questionnaireInputSchema>;

const bandSchema = z.object({
  id: z.string(),
  label: z.string(),
  min: z.number(),
  max: z.number(),
  meaning: z.string(),
});

const scoreSchema = z.object({
  questionnaireId: z.string(),
  version: z.string(),
  total: z.number().nullable(),
  min: z.number(),
  max: z.number(),
  prorated: z.boolean(),
  missing: z.array(z.string()),
  band: bandSchema.nullable(),
  noTotalReason: z.string().nullable(),
});

/** A stored response: the answers as given (unanswered left out), the definition's version and core's score. */
export const questionnaireDataSchema = z.object({
  questionnaireId: z.string(),
  version: z.string().describe("the definition's version the answers were scored with"),
  completedAt: z.string(),
  answers: z.record(z.string(), z.string()),
  score: scoreSchema,
  reference: z
    .object({ kind: z.enum(REFERENCE_KINDS), date: z.string(), label: z.string().nullable() })
    .optional()
    .describe('PGIC: the point in time the answer compares with'),
});

type QuestionnaireData = z.output<typeof questionnaireDataSchema>;

/** The crisis result of a PHQ-9 response whose item 9 is above 0 (core's `checkPhq9Crisis`). */
export const crisisSchema = z.object({
  crisis: z.literal(true),
  itemValue: z.number(),
  title: z.string(),
  paragraphs: z.array(z.string()),
  resources: z.array(z.object({ name: z.string(), contact: z.string(), description: z.string().optional() })),
});

/**
 * Scores a response with core. Unknown items or options answer 400 E_VALIDATION with core's issues.
 * @param input - the validated body
 */
export function prepareResponse(input: QuestionnaireInput): { at: Date; data: QuestionnaireData } {
  const def = getQuestionnaire(input.questionnaireId);
  if (!def) throw new CodedError('E_VALIDATION', `"${input.questionnaireId}" is not a known questionnaire.`);
  // A change answered without knowing "compared with when" cannot be read later, so PGIC needs it; the
  // other questionnaires ask about the last two weeks and have no use for one.
  if (NEEDS_REFERENCE.has(def.id) && !input.reference) {
    const message = `${def.title} needs the reference point its question compares with (kind and date).`;
    throw new CodedError('E_VALIDATION', message, { issues: [{ path: 'body.reference', message }] });
  }
  if (!NEEDS_REFERENCE.has(def.id) && input.reference) {
    const message = `${def.title} does not compare with a reference point; leave "reference" out.`;
    throw new CodedError('E_VALIDATION', message, { issues: [{ path: 'body.reference', message }] });
  }
  const answers: Record<string, string> = {};
  for (const [linkId, answer] of Object.entries(input.answers)) {
    if (answer !== null && answer.trim() !== '') answers[linkId] = answer;
  }
  const score: ScoreResult = scoreQuestionnaire(def, answers);
  return {
    at: new Date(input.completedAt),
    data: {
      questionnaireId: def.id,
      version: def.version,
      completedAt: input.completedAt,
      answers,
      score: { ...score, missing: [...score.missing], band: score.band ? { ...score.band } : null },
      ...(input.reference ? { reference: { ...input.reference } } : {}),
    },
  };
}

/**
 * The crisis result of a stored response: PHQ-9 with item 9 above 0 gives core's message with the
 * administrator's resources; everything else gives null.
 */
export function crisisOf(
  data: QuestionnaireData,
  resources: ApiOptions['config']['crisisResources'],
): z.output<typeof crisisSchema> | null {
  if (data.questionnaireId !== 'phq-9') return null;
  const check: CrisisCheck = checkPhq9Crisis(data.answers, resources);
  if (!check.crisis) return null;
  return {
    crisis: true,
    itemValue: check.itemValue,
    title: check.title,
    paragraphs: [...check.paragraphs],
    resources: check.resources.map((r) => ({ ...r })),
  };
}

// ---------------------------------------------------------------------------------------------
// clinician-scale totals

/** A total as entered; the details (range, step, date, rater) are checked by core's validator. */
export const scaleTotalInputSchema = z.strictObject({
  scaleId: z.enum(SCALE_IDS),
  total: z.number().describe("the scale's total as the rater gave it"),
  date: z.string().max(40).describe('date of the rating, YYYY-MM-DD'),
  rater: z.strictObject({
    role: z.enum(RATER_ROLES),
    name: z.string().max(1000).optional().describe('optional, e.g. the neurologist'),
  }),
});

/** A stored total. `enteredBy` says who typed it in: the patient (`self`) for now, a clinician later. */
export const scaleTotalDataSchema = z.object({
  scaleId: z.string(),
  total: z.number(),
  date: z.string(),
  rater: z.object({ role: z.enum(RATER_ROLES), name: z.string().optional() }),
  enteredBy: z.enum(['self', 'clinician']),
});

type ScaleTotalData = z.output<typeof scaleTotalDataSchema>;

/**
 * Validates an entered total with core. Problems answer 400 E_VALIDATION with core's issues (messages
 * meant to be shown as they are).
 */
export function prepareScaleTotal(input: z.output<typeof scaleTotalInputSchema>): {
  at: Date;
  data: ScaleTotalData;
} {
  const result = validateClinicianScaleEntry(input, { today: latestToday() });
  if (!result.ok) {
    throw new CodedError('E_VALIDATION', result.issues.map((issue) => issue.message).join(' '), {
      issues: result.issues.map((issue) => ({ path: `body.${issue.field}`, message: issue.message })),
    });
  }
  const entry: ClinicianScaleEntry = result.entry;
  return {
    at: dateInstant(entry.date),
    data: {
      scaleId: entry.scaleId,
      total: entry.total,
      date: entry.date,
      rater: entry.rater.name
        ? { role: entry.rater.role, name: entry.rater.name }
        : { role: entry.rater.role },
      enteredBy: 'self',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// red flags

const ONSETS = [
  'minutes-or-hours',
  'days-or-weeks',
  'months-or-years',
  'unknown',
] as const satisfies readonly Onset[];
const OTHER_SIGNS = [
  'speech-or-swallowing',
  'face',
  'vision',
  'balance-or-walking',
  'numbness',
  'thinking-or-memory',
] as const satisfies readonly OtherSign[];

/** The answers core's red-flag rule reads; each optional (unanswered raises no flag). */
export const redFlagInputSchema = z.strictObject({
  onset: z.enum(ONSETS).optional().describe('how the hand symptoms began'),
  spreadQuickly: z.boolean().optional().describe('spread to other body parts within weeks or a few months'),
  weakness: z.boolean().optional().describe('weakness, not only cramping, curling or slowness'),
  presentAtRest: z.boolean().optional().describe('symptoms also when not doing the task'),
  otherSigns: z
    .array(z.enum(OTHER_SIGNS))
    .max(OTHER_SIGNS.length)
    .refine((signs) => new Set(signs).size === signs.length, 'each sign at most once')
    .optional(),
  startedAfterNewMedicine: z.boolean().optional(),
  startedAfterHeadInjury: z.boolean().optional(),
  seenDoctor: z.boolean().optional().describe('has seen a doctor about the hand symptoms'),
});

export const redFlagResultSchema = z.object({
  level: z.enum(['none', 'see-doctor', 'urgent']),
  flags: z.array(z.object({ code: z.string() as z.ZodType<RedFlagCode>, text: z.string() })),
  title: z.string().nullable(),
  message: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// routes

/** Questionnaire responses, clinician-scale totals and the red-flag check. */
export async function questionnaireRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  registerEntryRoutes(fastify, options, {
    kind: 'questionnaire-response',
    path: '/api/v1/questionnaires/responses',
    tag: 'questionnaires',
    noun: 'questionnaire response',
    auditPrefix: 'questionnaire',
    actions: SCALE_ACTIONS,
    input: questionnaireInputSchema,
    data: questionnaireDataSchema,
    inputDescription:
      `Answers to one questionnaire (${QUESTIONNAIRE_IDS.join(', ')}), scored on the server by the core ` +
      'definitions (missing answers follow the definition’s rule). An unknown item or option answers 400 ' +
      'E_VALIDATION. The answer to a PHQ-9 response whose question 9 is above 0 carries `crisis`: the message ' +
      'to show at once, with the support services the administrator configured. PGIC needs `reference`, the ' +
      'point in time its question compares with; the other questionnaires refuse one.',
    prepare: (input) => prepareResponse(input),
    filter: {
      field: 'questionnaireId',
      values: QUESTIONNAIRE_IDS,
      description: 'only responses to this questionnaire',
    },
    extra: {
      shape: {
        crisis: crisisSchema
          .nullable()
          .describe('PHQ-9 question 9 above 0: show this at once, before anything else; otherwise null'),
      },
      compute: (data, config) => ({ crisis: crisisOf(data, config.crisisResources) }),
      description: 'The stored response with its score, and the crisis result of PHQ-9 question 9.',
    },
  });

  registerEntryRoutes(fastify, options, {
    kind: 'clinician-scale-total',
    path: '/api/v1/clinician-scales/totals',
    tag: 'questionnaires',
    noun: 'clinician-scale total',
    auditPrefix: 'clinician-scale',
    actions: SCALE_ACTIONS,
    input: scaleTotalInputSchema,
    data: scaleTotalDataSchema,
    inputDescription:
      `The total a rater gave on a licensed scale (${SCALE_IDS.join(', ')}), its date and the rater (role, name ` +
      'optional). Range, step, date (not in the future) and who may rate are checked by the core validator; its ' +
      'messages come back in `details.issues`. Item wording is never stored or shown.',
    prepare: (input) => prepareScaleTotal(input),
    filter: { field: 'scaleId', values: SCALE_IDS, description: 'only totals of this scale' },
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/crisis-resources',
    {
      // The administrator's list is the same for everyone and holds no patient data; a signed-in user reads
      // it so that the questionnaire page can show it the moment PHQ-9 question 9 is answered above 0.
      config: { access: { action: 'account.read', patient: 'none' } },
      schema: {
        tags: ['questionnaires'],
        summary: 'The support services the administrator configured for a crisis',
        description:
          'The services shown with the crisis message of PHQ-9 question 9 (`CRISIS_RESOURCES`), so that a page ' +
          'can show them at once, before the response is saved.',
        response: {
          200: z.object({ resources: crisisSchema.shape.resources }),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_FORBIDDEN'),
        },
      },
    },
    async () => ({ resources: options.config.crisisResources.map((r) => ({ ...r })) }),
  );

  app.post(
    '/api/v1/red-flags/check',
    {
      // part of entering a diary entry or the intake (the patient's own; nothing is read or stored)
      config: { access: { action: 'diary.write', patient: 'subject' } },
      schema: {
        tags: ['questionnaires'],
        summary: 'Check intake or diary answers for signs that need a doctor (nothing is stored)',
        description:
          'Runs the core red-flag rule on the answers given: `urgent` (symptoms that began within minutes or ' +
          'hours), `see-doctor` (signs not typical of a focal hand dystonia, or no doctor seen yet) or `none`, with ' +
          'the plain message to show.',
        body: redFlagInputSchema,
        response: {
          200: redFlagResultSchema,
          400: errorBodySchema.describe('E_VALIDATION'),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
        },
      },
    },
    async (request) => {
      const result = checkRedFlags(request.body);
      request.auditAs('red-flags.check', null, { level: result.level });
      return { ...result, flags: [...result.flags] };
    },
  );
}
