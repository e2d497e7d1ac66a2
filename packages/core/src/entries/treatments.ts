import { z } from 'zod';
import { distinctEnum, freeText, pastDate } from './fields.js';

/*
 * Treatments as the patient enters them (or copies them from a clinic letter): botulinum-toxin
 * injections, medications, therapies, task modifications and aids, surgery and deep-brain-stimulation
 * setting changes. The server validates with these schemas; the web app builds its forms from the same
 * codes and shows their labels. Day 0 of a botulinum-toxin cycle is the injection date (measures.md
 * section 10.2).
 */

// ---------------------------------------------------------------------------------------------
// vocabulary

/** Botulinum-toxin products (generic names), and `other`. */
export const TOXIN_PRODUCTS = [
  'onabotulinumtoxinA',
  'abobotulinumtoxinA',
  'incobotulinumtoxinA',
  'rimabotulinumtoxinB',
  'daxibotulinumtoxinA',
  'letibotulinumtoxinA',
  'prabotulinumtoxinA',
  'other',
] as const;
export type ToxinProduct = (typeof TOXIN_PRODUCTS)[number];

/** Each product as a clinic letter names it: the brand names first (what people know), then the generic name. */
export const TOXIN_PRODUCT_LABELS: Readonly<Record<ToxinProduct, string>> = {
  onabotulinumtoxinA: 'Botox (onabotulinumtoxinA)',
  abobotulinumtoxinA: 'Dysport (abobotulinumtoxinA)',
  incobotulinumtoxinA: 'Xeomin (incobotulinumtoxinA)',
  rimabotulinumtoxinB: 'Myobloc, NeuroBloc (rimabotulinumtoxinB)',
  daxibotulinumtoxinA: 'Daxxify (daxibotulinumtoxinA)',
  letibotulinumtoxinA: 'Letybo, Relfydess (letibotulinumtoxinA)',
  prabotulinumtoxinA: 'Jeuveau, Nuceiva (prabotulinumtoxinA)',
  other: 'Another product',
};

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
export type InjectedMuscle = (typeof INJECTED_MUSCLES)[number];

/** Where a muscle lies, to group a long list. */
export type MuscleRegion = 'forearm-flexors' | 'forearm-extensors' | 'hand' | 'upper-arm' | 'other';

export const MUSCLE_REGION_LABELS: Readonly<Record<MuscleRegion, string>> = {
  'forearm-flexors': 'Forearm, palm side (flexors and pronators)',
  'forearm-extensors': 'Forearm, back of the arm (extensors and supinator)',
  hand: 'Hand and thumb',
  'upper-arm': 'Upper arm',
  other: 'Other',
};

export interface MuscleInfo {
  /** The name as a clinician writes it. */
  readonly label: string;
  /** Abbreviations used on injection charts (searchable). */
  readonly abbreviations: readonly string[];
  readonly region: MuscleRegion;
}

/** Each muscle's name as clinicians write it, its chart abbreviations and its region. */
export const MUSCLES: Readonly<Record<InjectedMuscle, MuscleInfo>> = {
  'flexor-digitorum-superficialis': {
    label: 'Flexor digitorum superficialis',
    abbreviations: ['FDS'],
    region: 'forearm-flexors',
  },
  'flexor-digitorum-profundus': {
    label: 'Flexor digitorum profundus',
    abbreviations: ['FDP'],
    region: 'forearm-flexors',
  },
  'flexor-pollicis-longus': {
    label: 'Flexor pollicis longus',
    abbreviations: ['FPL'],
    region: 'forearm-flexors',
  },
  'flexor-pollicis-brevis': { label: 'Flexor pollicis brevis', abbreviations: ['FPB'], region: 'hand' },
  'flexor-carpi-radialis': {
    label: 'Flexor carpi radialis',
    abbreviations: ['FCR'],
    region: 'forearm-flexors',
  },
  'flexor-carpi-ulnaris': {
    label: 'Flexor carpi ulnaris',
    abbreviations: ['FCU'],
    region: 'forearm-flexors',
  },
  'palmaris-longus': { label: 'Palmaris longus', abbreviations: ['PL'], region: 'forearm-flexors' },
  'pronator-teres': { label: 'Pronator teres', abbreviations: ['PT'], region: 'forearm-flexors' },
  'pronator-quadratus': { label: 'Pronator quadratus', abbreviations: ['PQ'], region: 'forearm-flexors' },
  supinator: { label: 'Supinator', abbreviations: ['SUP'], region: 'forearm-extensors' },
  brachioradialis: { label: 'Brachioradialis', abbreviations: ['BR'], region: 'forearm-extensors' },
  'extensor-digitorum': {
    label: 'Extensor digitorum (communis)',
    abbreviations: ['ED', 'EDC'],
    region: 'forearm-extensors',
  },
  'extensor-indicis': {
    label: 'Extensor indicis (proprius)',
    abbreviations: ['EI', 'EIP'],
    region: 'forearm-extensors',
  },
  'extensor-digiti-minimi': {
    label: 'Extensor digiti minimi',
    abbreviations: ['EDM'],
    region: 'forearm-extensors',
  },
  'extensor-pollicis-longus': {
    label: 'Extensor pollicis longus',
    abbreviations: ['EPL'],
    region: 'forearm-extensors',
  },
  'extensor-pollicis-brevis': {
    label: 'Extensor pollicis brevis',
    abbreviations: ['EPB'],
    region: 'forearm-extensors',
  },
  'abductor-pollicis-longus': {
    label: 'Abductor pollicis longus',
    abbreviations: ['APL'],
    region: 'forearm-extensors',
  },
  'extensor-carpi-radialis-longus': {
    label: 'Extensor carpi radialis longus',
    abbreviations: ['ECRL'],
    region: 'forearm-extensors',
  },
  'extensor-carpi-radialis-brevis': {
    label: 'Extensor carpi radialis brevis',
    abbreviations: ['ECRB'],
    region: 'forearm-extensors',
  },
  'extensor-carpi-ulnaris': {
    label: 'Extensor carpi ulnaris',
    abbreviations: ['ECU'],
    region: 'forearm-extensors',
  },
  lumbricals: { label: 'Lumbricals', abbreviations: ['LUM'], region: 'hand' },
  'dorsal-interossei': { label: 'Dorsal interossei', abbreviations: ['DI'], region: 'hand' },
  'first-dorsal-interosseous': {
    label: 'First dorsal interosseous',
    abbreviations: ['FDI', '1st DI'],
    region: 'hand',
  },
  'palmar-interossei': { label: 'Palmar interossei', abbreviations: ['PI'], region: 'hand' },
  'adductor-pollicis': { label: 'Adductor pollicis', abbreviations: ['ADP'], region: 'hand' },
  'abductor-pollicis-brevis': { label: 'Abductor pollicis brevis', abbreviations: ['APB'], region: 'hand' },
  'opponens-pollicis': { label: 'Opponens pollicis', abbreviations: ['OP'], region: 'hand' },
  'abductor-digiti-minimi': { label: 'Abductor digiti minimi', abbreviations: ['ADM'], region: 'hand' },
  'biceps-brachii': { label: 'Biceps brachii', abbreviations: ['BB'], region: 'upper-arm' },
  'triceps-brachii': { label: 'Triceps brachii', abbreviations: ['TB'], region: 'upper-arm' },
  other: { label: 'Another muscle', abbreviations: [], region: 'other' },
};

/** How the injecting doctor found the muscle. */
export const INJECTION_GUIDANCE = [
  'emg',
  'ultrasound',
  'electrical-stimulation',
  'palpation',
  'none',
] as const;
export type InjectionGuidance = (typeof INJECTION_GUIDANCE)[number];

export const INJECTION_GUIDANCE_LABELS: Readonly<Record<InjectionGuidance, string>> = {
  emg: 'EMG (a needle that listens to the muscle)',
  ultrasound: 'Ultrasound',
  'electrical-stimulation': 'Electrical stimulation (the needle makes the muscle twitch)',
  palpation: 'By touch only (palpation)',
  none: 'None',
};

export const TOXIN_SIDE_EFFECTS = [
  'weakness',
  'pain-at-injection-site',
  'bruising',
  'flu-like-symptoms',
  'other',
] as const;
export type ToxinSideEffect = (typeof TOXIN_SIDE_EFFECTS)[number];

export const TOXIN_SIDE_EFFECT_LABELS: Readonly<Record<ToxinSideEffect, string>> = {
  weakness: 'Weakness of the hand or fingers',
  'pain-at-injection-site': 'Pain where the needle went in',
  bruising: 'Bruising',
  'flu-like-symptoms': 'Flu-like symptoms',
  other: 'Something else (describe it below)',
};

export const THERAPIES = [
  'sensorimotor-retraining',
  'physiotherapy',
  'occupational-therapy',
  'other',
] as const;
export type Therapy = (typeof THERAPIES)[number];

export const THERAPY_LABELS: Readonly<Record<Therapy, string>> = {
  'sensorimotor-retraining': 'Sensorimotor retraining',
  physiotherapy: 'Physiotherapy',
  'occupational-therapy': 'Occupational therapy',
  other: 'Another therapy',
};

export const TASK_MODIFICATIONS = [
  'thicker-pen',
  'ergonomic-keyboard',
  'instrument-change',
  'rest-periods',
  'other',
] as const;
export type TaskModification = (typeof TASK_MODIFICATIONS)[number];

export const TASK_MODIFICATION_LABELS: Readonly<Record<TaskModification, string>> = {
  'thicker-pen': 'Thicker pen or pen grip',
  'ergonomic-keyboard': 'Ergonomic keyboard',
  'instrument-change': 'Changed or adapted instrument',
  'rest-periods': 'Rest periods',
  other: 'Another change or aid',
};

export const SURGERIES = [
  'deep-brain-stimulation-implant',
  'thalamotomy',
  'focused-ultrasound',
  'other',
] as const;
export type Surgery = (typeof SURGERIES)[number];

export const SURGERY_LABELS: Readonly<Record<Surgery, string>> = {
  'deep-brain-stimulation-implant': 'Deep brain stimulation (DBS) implant',
  thalamotomy: 'Thalamotomy',
  'focused-ultrasound': 'Focused ultrasound',
  other: 'Another operation',
};

export const INJECTION_SIDES = ['left', 'right'] as const;
export type InjectionSide = (typeof INJECTION_SIDES)[number];
export const SURGERY_SIDES = ['left', 'right', 'both'] as const;
export type SurgerySide = (typeof SURGERY_SIDES)[number];

export const SIDE_LABELS: Readonly<Record<SurgerySide, string>> = {
  left: 'Left',
  right: 'Right',
  both: 'Both sides',
};

export const TREATMENT_TYPES = [
  'botulinum-toxin',
  'medication',
  'therapy',
  'task-modification',
  'surgery',
  'dbs-settings',
] as const satisfies readonly TreatmentInput['type'][];
export type TreatmentType = (typeof TREATMENT_TYPES)[number];

export const TREATMENT_TYPE_LABELS: Readonly<Record<TreatmentType, string>> = {
  'botulinum-toxin': 'Botulinum toxin injection',
  medication: 'Medication',
  therapy: 'Therapy',
  'task-modification': 'Task change or aid',
  surgery: 'Surgery',
  'dbs-settings': 'DBS setting change',
};

// ---------------------------------------------------------------------------------------------
// schemas

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

/** Most muscle rows one injection session may hold. */
export const MAX_INJECTIONS = 40;
/** Largest number of units one row may hold (units differ between products). */
export const MAX_UNITS = 50_000;

const injectionSchema = z
  .strictObject({
    muscle: z.enum(INJECTED_MUSCLES),
    otherText: freeText(200).describe('the muscle, when `other`'),
    side: z.enum(INJECTION_SIDES),
    units: z
      .number()
      .positive()
      .max(MAX_UNITS)
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
    injections: z.array(injectionSchema).min(1).max(MAX_INJECTIONS).describe('one row per muscle and side'),
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
    side: z.enum(SURGERY_SIDES).nullable().default(null),
    notes,
  })
  .superRefine(otherNeedsText((v) => v.procedure, 'otherText'));

export const dbsSettingsSchema = z.strictObject({
  type: z.literal('dbs-settings'),
  date: pastDate.describe('date of the setting change'),
  settings: z.string().trim().min(1).max(4000).describe('the settings as the clinic wrote them'),
  notes,
});

/** A treatment as entered, by `type`. Unknown fields are refused. */
export const treatmentInputSchema = z.discriminatedUnion('type', [
  botulinumToxinSchema,
  medicationSchema,
  therapySchema,
  taskModificationSchema,
  surgerySchema,
  dbsSettingsSchema,
]);

/** A treatment as sent (optional fields may be left out). */
export type TreatmentBody = z.input<typeof treatmentInputSchema>;
/** A treatment as validated and stored: every default filled in. */
export type TreatmentInput = z.output<typeof treatmentInputSchema>;
export type BotulinumToxinTreatment = z.output<typeof botulinumToxinSchema>;
export type ToxinInjection = BotulinumToxinTreatment['injections'][number];

/**
 * A stored treatment as answered: the input of its type with defaults filled in. Loose on purpose: the
 * stored rows were validated by {@link treatmentInputSchema} when written, and answers must not fail on
 * rows written by an older release.
 */
export const treatmentDataSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('botulinum-toxin') }).loose(),
    z.object({ type: z.literal('medication') }).loose(),
    z.object({ type: z.literal('therapy') }).loose(),
    z.object({ type: z.literal('task-modification') }).loose(),
    z.object({ type: z.literal('surgery') }).loose(),
    z.object({ type: z.literal('dbs-settings') }).loose(),
  ])
  .describe('the treatment as entered (the fields of the request body of its type), defaults filled in');

/** The date a treatment entry is about: its date, or its start. */
export function treatmentDate(input: TreatmentInput): string {
  return 'date' in input ? input.date : input.start;
}
