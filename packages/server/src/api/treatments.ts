import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dateInstant, distinctEnum, freeText, pastDate, registerEntryRoutes } from './diary.js';
import type { ApiOptions } from './index.js';

/*
 * Treatments as the patient enters them (or copies them from a clinic letter): botulinum-toxin
 * injections, medications, therapies, task modifications and aids, surgery and deep-brain-stimulation
 * setting changes. Entries with history (diary.ts). Day 0 of a botulinum-toxin cycle is the injection
 * date (measures.md section 10.2).
 */

/** Botulinum-toxin products (generic name, brand in the comment), and `other`. */
export const TOXIN_PRODUCTS = [
  'onabotulinumtoxinA', // Botox
  'abobotulinumtoxinA', // Dysport
  'incobotulinumtoxinA', // Xeomin
  'rimabotulinumtoxinB', // Myobloc, NeuroBloc
  'daxibotulinumtoxinA', // Daxxify
  'letibotulinumtoxinA', // Letybo, Relfydess
  'prabotulinumtoxinA', // Jeuveau, Nuceiva
  'other',
] as const;

/** Forearm and hand muscles injected in focal hand dystonia, and `other`. */
export const INJECTED_MUSCLES = [
  'flexor-digitorum-superficialis',
  'flexor-digitorum-profundus',
  'flexor-pollicis-longus',
  'flexor-pollicis-brevis',
  'flexor-carpi-radialis',
  'flexor-carpi-ulnaris',
  'palmaris-longus',
  'pronator-teres',
  'pronator-quadratus',
  'supinator',
  'brachioradialis',
  'extensor-digitorum',
  'extensor-indicis',
  'extensor-digiti-minimi',
  'extensor-pollicis-longus',
  'extensor-pollicis-brevis',
  'abductor-pollicis-longus',
  'extensor-carpi-radialis-longus',
  'extensor-carpi-radialis-brevis',
  'extensor-carpi-ulnaris',
  'lumbricals',
  'dorsal-interossei',
  'first-dorsal-interosseous',
  'palmar-interossei',
  'adductor-pollicis',
  'abductor-pollicis-brevis',
  'opponens-pollicis',
  'abductor-digiti-minimi',
  'biceps-brachii',
  'triceps-brachii',
  'other',
] as const;

export const INJECTION_GUIDANCE = [
  'emg',
  'ultrasound',
  'electrical-stimulation',
  'palpation',
  'none',
] as const;

export const TOXIN_SIDE_EFFECTS = [
  'weakness',
  'pain-at-injection-site',
  'bruising',
  'flu-like-symptoms',
  'other',
] as const;

export const THERAPIES = [
  'sensorimotor-retraining',
  'physiotherapy',
  'occupational-therapy',
  'other',
] as const;

export const TASK_MODIFICATIONS = [
  'thicker-pen',
  'ergonomic-keyboard',
  'instrument-change',
  'rest-periods',
  'other',
] as const;

export const SURGERIES = [
  'deep-brain-stimulation-implant',
  'thalamotomy',
  'focused-ultrasound',
  'other',
] as const;

const name = z.string().trim().min(1).max(200);
const notes = freeText(2000);

/** `other` needs its text; a named choice needs none. */
function otherNeedsText<T extends { otherText: string | null }>(choice: (t: T) => string, path: string) {
  return (value: T, ctx: z.RefinementCtx) => {
    if (choice(value) === 'other' && value.otherText === null)
      ctx.addIssue({ code: 'custom', path: [path], message: 'say what it is when choosing "other"' });
    if (choice(value) !== 'other' && value.otherText !== null)
      ctx.addIssue({ code: 'custom', path: [path], message: 'only with "other"' });
  };
}

function stopAfterStart(value: { start: string; stop: string | null }, ctx: z.RefinementCtx): void {
  if (value.stop !== null && value.stop < value.start)
    ctx.addIssue({ code: 'custom', path: ['stop'], message: 'the stop date is before the start date' });
}

const injectionSchema = z
  .strictObject({
    muscle: z.enum(INJECTED_MUSCLES),
    otherText: freeText(200).describe('the muscle, when `other`'),
    side: z.enum(['left', 'right']),
    units: z
      .number()
      .positive()
      .max(50_000)
      .describe("units of the product (units differ between products; as on the clinic's record)"),
    detail: freeText(200).describe('e.g. the fascicle: "to the index finger"'),
  })
  .superRefine(otherNeedsText((v) => v.muscle, 'otherText'));

export const botulinumToxinSchema = z
  .strictObject({
    type: z.literal('botulinum-toxin'),
    date: pastDate.describe('injection date, YYYY-MM-DD (day 0 of the cycle)'),
    product: z.enum(TOXIN_PRODUCTS),
    otherText: freeText(200).describe('the product, when `other`'),
    injections: z.array(injectionSchema).min(1).max(40).describe('one row per muscle and side'),
    guidance: z.enum(INJECTION_GUIDANCE).nullable().default(null),
    sideEffects: distinctEnum(TOXIN_SIDE_EFFECTS),
    sideEffectsText: freeText(2000).describe('the side effects in your own words'),
    notes,
  })
  .superRefine(otherNeedsText((v) => v.product, 'otherText'));

export const medicationSchema = z
  .strictObject({
    type: z.literal('medication'),
    name: name.describe('e.g. trihexyphenidyl'),
    dose: z.string().trim().min(1).max(100).describe('e.g. "2 mg"'),
    schedule: z.string().trim().min(1).max(200).describe('e.g. "three times a day"'),
    start: pastDate,
    stop: pastDate.nullable().default(null).describe('null while still taken'),
    notes,
  })
  .superRefine(stopAfterStart);

export const therapySchema = z
  .strictObject({
    type: z.literal('therapy'),
    therapy: z.enum(THERAPIES),
    otherText: freeText(200),
    start: pastDate,
    stop: pastDate.nullable().default(null),
    notes,
  })
  .superRefine(otherNeedsText((v) => v.therapy, 'otherText'))
  .superRefine(stopAfterStart);

export const taskModificationSchema = z
  .strictObject({
    type: z.literal('task-modification'),
    modification: z.enum(TASK_MODIFICATIONS),
    otherText: freeText(200),
    start: pastDate,
    stop: pastDate.nullable().default(null),
    notes,
  })
  .superRefine(otherNeedsText((v) => v.modification, 'otherText'))
  .superRefine(stopAfterStart);

export const surgerySchema = z
  .strictObject({
    type: z.literal('surgery'),
    date: pastDate,
    procedure: z.enum(SURGERIES),
    otherText: freeText(200),
    side: z.enum(['left', 'right', 'both']).nullable().default(null),
    notes,
  })
  .superRefine(otherNeedsText((v) => v.procedure, 'otherText'));

export const dbsSettingsSchema = z.strictObject({
  type: z.literal('dbs-settings'),
  date: pastDate.describe('date of the setting change'),
  settings: z.string().trim().min(1).max(4000).describe('the settings as the clinic wrote them'),
  notes,
});

/** A treatment as entered, by `type`. Unknown fields answer 400 E_VALIDATION. */
export const treatmentInputSchema = z.discriminatedUnion('type', [
  botulinumToxinSchema,
  medicationSchema,
  therapySchema,
  taskModificationSchema,
  surgerySchema,
  dbsSettingsSchema,
]);

export type TreatmentInput = z.output<typeof treatmentInputSchema>;

export const TREATMENT_TYPES = [
  'botulinum-toxin',
  'medication',
  'therapy',
  'task-modification',
  'surgery',
  'dbs-settings',
] as const satisfies readonly TreatmentInput['type'][];

/** The time a treatment entry is about: its date, or its start. */
export function treatmentDate(input: TreatmentInput): string {
  return 'date' in input ? input.date : input.start;
}

/** Treatments: list, create, edit with history, delete. */
export async function treatmentRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  registerEntryRoutes(fastify, options, {
    kind: 'treatment',
    path: '/api/v1/treatments',
    tag: 'treatments',
    noun: 'treatment',
    auditPrefix: 'treatment',
    input: treatmentInputSchema,
    // stored as validated: the output of the same schema (defaults filled in)
    data: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('botulinum-toxin') }).loose(),
        z.object({ type: z.literal('medication') }).loose(),
        z.object({ type: z.literal('therapy') }).loose(),
        z.object({ type: z.literal('task-modification') }).loose(),
        z.object({ type: z.literal('surgery') }).loose(),
        z.object({ type: z.literal('dbs-settings') }).loose(),
      ])
      .describe('the treatment as entered (the fields of the request body of its type), defaults filled in'),
    inputDescription:
      'One treatment by `type`: `botulinum-toxin` (date, product, injections per muscle with side and units, ' +
      'guidance, side effects), `medication` (name, dose, schedule, start, stop), `therapy` and `task-modification` ' +
      '(kind, start, stop), `surgery` (date, procedure) or `dbs-settings` (date, settings as free text). Choosing ' +
      '"other" needs `otherText`. Dates are YYYY-MM-DD, not in the future.',
    prepare: (input) => ({ at: dateInstant(treatmentDate(input)), data: input }),
    filter: { field: 'type', values: TREATMENT_TYPES, description: 'only treatments of this type' },
  });
}
