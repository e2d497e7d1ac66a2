import { z } from 'zod';
import { distinctEnum, freeText } from './fields.js';

/*
 * The symptom diary: its vocabulary with the words people read, the schemas of an entry (the server
 * validates with them, the browser checks its form with them), what changed between two revisions,
 * and where on the body symptoms were marked over time. Nothing here judges what the answers mean.
 */

/** Tasks whose severity the diary rates. */
export const DIARY_TASKS = ['writing', 'typing', 'instrument', 'toolUse'] as const;
export type DiaryTask = (typeof DIARY_TASKS)[number];

export const DIARY_TASK_LABELS: Readonly<Record<DiaryTask, string>> = {
  writing: 'Writing',
  typing: 'Typing',
  instrument: 'Playing an instrument',
  toolUse: 'Tool use (instrument, dental or surgical tool)',
};

export const DIARY_SYMPTOMS = [
  'clenching-or-curling-fingers',
  'freezing',
  'tremor',
  'cramping',
  'pain',
  'fatigue',
  'weakness',
] as const;
export type DiarySymptom = (typeof DIARY_SYMPTOMS)[number];

export const DIARY_SYMPTOM_LABELS: Readonly<Record<DiarySymptom, string>> = {
  'clenching-or-curling-fingers': 'Clenching or curling fingers',
  freezing: 'Freezing (the hand stops moving)',
  tremor: 'Tremor (shaking)',
  cramping: 'Cramping',
  pain: 'Pain',
  fatigue: 'Fatigue (the hand or arm tires quickly)',
  weakness: 'Weakness',
};

/** Body-map regions, marked per side. */
export const BODY_REGIONS = [
  'fingers',
  'hand',
  'wrist',
  'forearm',
  'upper-arm',
  'shoulder',
  'neck',
  'face',
  'trunk',
  'legs',
] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];

export const BODY_REGION_LABELS: Readonly<Record<BodyRegion, string>> = {
  fingers: 'Fingers',
  hand: 'Hand',
  wrist: 'Wrist',
  forearm: 'Forearm',
  'upper-arm': 'Upper arm',
  shoulder: 'Shoulder',
  neck: 'Neck',
  face: 'Face',
  trunk: 'Trunk (chest, belly, back)',
  legs: 'Leg',
};

/** The regions beyond the hand and arm: symptoms marked there for the first time go to a doctor. */
export const BODY_REGIONS_BEYOND_ARM: readonly BodyRegion[] = ['neck', 'face', 'trunk', 'legs'];

/** The person's own sides (not the viewer's). */
export const BODY_SIDES = ['left', 'right'] as const;
export type BodySide = (typeof BODY_SIDES)[number];

export const BODY_SIDE_LABELS: Readonly<Record<BodySide, string>> = {
  left: 'Your left',
  right: 'Your right',
};

/** Longest free text of a diary entry. */
export const DIARY_NOTES_MAX = 2000;

/** What the severity numbers mean. */
export const DIARY_SEVERITY_MEANING = '0 = no symptoms, 10 = worst';
/** What the pain numbers mean. */
export const DIARY_PAIN_MEANING = '0 = no pain, 10 = worst pain';
/** What the stress, fatigue and anxiety numbers mean. */
export const DIARY_RATING_MEANING = '0 = none, 10 = worst';

/** The context fields rated 0–10. */
export const DIARY_CONTEXT_RATINGS = ['stress', 'fatigue', 'anxiety'] as const;
export type DiaryContextRating = (typeof DIARY_CONTEXT_RATINGS)[number];

/** Every triggers-and-context field, in the order forms show them. */
export const DIARY_CONTEXT_FIELDS = [
  ...DIARY_CONTEXT_RATINGS,
  'practiceHours',
  'sleepHours',
  'caffeineDrinks',
  'alcoholDrinks',
  'cold',
] as const;
export type DiaryContextField = (typeof DIARY_CONTEXT_FIELDS)[number];

export const DIARY_CONTEXT_LABELS: Readonly<Record<DiaryContextField, string>> = {
  stress: 'Stress',
  fatigue: 'Tiredness',
  anxiety: 'Anxiety',
  practiceHours: 'Hours of practice or writing',
  sleepHours: 'Hours of sleep',
  caffeineDrinks: 'Drinks with caffeine (coffee, tea, cola)',
  alcoholDrinks: 'Drinks with alcohol',
  cold: 'Cold hands or a cold room',
};

/** Most drinks of one kind an entry can hold. */
export const DIARY_DRINKS_MAX = 50;

/** How far in the future an entry's time may be (clocks differ). */
export const DIARY_FUTURE_SLACK_MS = 3600_000;

const rating = z.int().min(0).max(10);
const hours = z.number().min(0).max(24);

/** A diary entry as the patient enters it. Everything but the time is optional; unknown fields are refused. */
export const diaryInputSchema = z.strictObject({
  at: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) <= Date.now() + DIARY_FUTURE_SLACK_MS, 'the time cannot be in the future')
    .refine((at) => Date.parse(at) >= Date.parse('1900-01-01T00:00:00Z'), 'the time cannot be before 1900')
    .describe('when the entry is about, ISO 8601 with offset (several entries a day are fine)'),
  severity: z
    .strictObject({
      writing: rating.optional(),
      typing: rating.optional(),
      instrument: rating.optional(),
      toolUse: rating.optional(),
    })
    .default({})
    .describe('0 = no symptoms … 10 = worst, per affected task; leave out the tasks not done'),
  symptoms: distinctEnum(DIARY_SYMPTOMS),
  painLevel: rating.nullable().default(null).describe('pain 0–10, when there is pain'),
  context: z
    .strictObject({
      stress: rating.optional(),
      fatigue: rating.optional(),
      anxiety: rating.optional(),
      practiceHours: hours.optional().describe('hours of practice, writing or other provoking activity'),
      sleepHours: hours.optional(),
      caffeineDrinks: z.int().min(0).max(DIARY_DRINKS_MAX).optional(),
      alcoholDrinks: z.int().min(0).max(DIARY_DRINKS_MAX).optional(),
      cold: z.boolean().optional().describe('cold hands or a cold room'),
    })
    .default({})
    .describe('triggers and context; leave out what was not noted'),
  bodyMap: z
    .strictObject({ left: distinctEnum(BODY_REGIONS), right: distinctEnum(BODY_REGIONS) })
    .default({ left: [], right: [] })
    .describe('where the symptoms were, per side'),
  notes: freeText(DIARY_NOTES_MAX).describe(`free text, at most ${DIARY_NOTES_MAX} characters`),
});

/** A valid diary entry with every default filled in (what the server stores). */
export type DiaryInput = z.output<typeof diaryInputSchema>;
/** What may be sent as a diary entry (defaults may be left out). */
export type DiaryInputBody = z.input<typeof diaryInputSchema>;

/** A stored diary entry: the input with every default filled in. */
export const diaryDataSchema = z.object({
  at: z.string(),
  severity: z.object({
    writing: rating.optional(),
    typing: rating.optional(),
    instrument: rating.optional(),
    toolUse: rating.optional(),
  }),
  symptoms: z.array(z.enum(DIARY_SYMPTOMS)),
  painLevel: rating.nullable(),
  context: z.object({
    stress: rating.optional(),
    fatigue: rating.optional(),
    anxiety: rating.optional(),
    practiceHours: hours.optional(),
    sleepHours: hours.optional(),
    caffeineDrinks: z.int().optional(),
    alcoholDrinks: z.int().optional(),
    cold: z.boolean().optional(),
  }),
  bodyMap: z.object({ left: z.array(z.enum(BODY_REGIONS)), right: z.array(z.enum(BODY_REGIONS)) }),
  notes: z.string().nullable(),
});

export type DiaryData = z.output<typeof diaryDataSchema>;
export type DiaryContext = DiaryData['context'];
export type DiaryBodyMap = DiaryData['bodyMap'];

// ---------------------------------------------------------------------------------------------
// words

/** A 0–10 rating in words: "6 of 10". */
export function ratingWords(value: number): string {
  return `${value} of 10`;
}

function hoursWords(value: number): string {
  return `${value} hour${value === 1 ? '' : 's'}`;
}

/** One context field's value in words (with its unit); undefined when it was not noted. */
export function diaryContextValueWords(field: DiaryContextField, context: DiaryContext): string | undefined {
  const value = context[field];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field === 'practiceHours' || field === 'sleepHours') return hoursWords(value);
  if (field === 'caffeineDrinks' || field === 'alcoholDrinks') return String(value);
  return ratingWords(value);
}

/** A list of labels in words, or "none". */
function listWords(labels: readonly string[]): string {
  return labels.length === 0 ? 'none' : labels.join(', ');
}

/** The regions of one side in words, in body-map order ("Fingers, Forearm"), or "none". */
export function bodyRegionsWords(regions: readonly BodyRegion[]): string {
  return listWords(BODY_REGIONS.filter((r) => regions.includes(r)).map((r) => BODY_REGION_LABELS[r]));
}

/** One change between two revisions of an entry, in words. */
export interface DiaryChange {
  /** What changed, with what its numbers mean ("Writing (0 = no symptoms, 10 = worst)"). */
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

const NOT_NOTED = 'not noted';

/**
 * What changed from one revision of a diary entry to the next, field by field, in words.
 * @param formatTime - the entry's time in words (the caller's locale); the ISO text by default
 */
export function diaryChanges(
  before: DiaryData,
  after: DiaryData,
  formatTime: (iso: string) => string = (iso) => iso,
): DiaryChange[] {
  const changes: DiaryChange[] = [];
  const add = (label: string, a: string, b: string) => {
    if (a !== b) changes.push({ label, before: a, after: b });
  };
  if (Date.parse(before.at) !== Date.parse(after.at))
    add('Time', formatTime(before.at), formatTime(after.at));
  for (const task of DIARY_TASKS) {
    const words = (v: number | undefined) => (v === undefined ? 'not rated' : ratingWords(v));
    add(
      `${DIARY_TASK_LABELS[task]} (${DIARY_SEVERITY_MEANING})`,
      words(before.severity[task]),
      words(after.severity[task]),
    );
  }
  const symptoms = (list: readonly DiarySymptom[]) =>
    listWords(DIARY_SYMPTOMS.filter((s) => list.includes(s)).map((s) => DIARY_SYMPTOM_LABELS[s]));
  add('Symptoms', symptoms(before.symptoms), symptoms(after.symptoms));
  const pain = (v: number | null) => (v === null ? NOT_NOTED : ratingWords(v));
  add(`Pain (${DIARY_PAIN_MEANING})`, pain(before.painLevel), pain(after.painLevel));
  for (const field of DIARY_CONTEXT_FIELDS) {
    const label = (DIARY_CONTEXT_RATINGS as readonly string[]).includes(field)
      ? `${DIARY_CONTEXT_LABELS[field]} (${DIARY_RATING_MEANING})`
      : DIARY_CONTEXT_LABELS[field];
    add(
      label,
      diaryContextValueWords(field, before.context) ?? NOT_NOTED,
      diaryContextValueWords(field, after.context) ?? NOT_NOTED,
    );
  }
  for (const side of BODY_SIDES) {
    add(
      `Body regions, ${BODY_SIDE_LABELS[side].toLowerCase()} side`,
      bodyRegionsWords(before.bodyMap[side]),
      bodyRegionsWords(after.bodyMap[side]),
    );
  }
  add('Notes', before.notes ?? 'none', after.notes ?? 'none');
  return changes;
}

// ---------------------------------------------------------------------------------------------
// where symptoms were marked over time

/** A body region on one side. */
export interface SideRegion {
  readonly side: BodySide;
  readonly region: BodyRegion;
}

/** The region and side in words: "Neck, your left side". */
export function sideRegionWords({ side, region }: SideRegion): string {
  return `${BODY_REGION_LABELS[region]}, ${BODY_SIDE_LABELS[side].toLowerCase()} side`;
}

/** What the spread view needs of an entry. */
export interface BodyMapEntry {
  readonly at: string;
  readonly bodyMap: DiaryBodyMap;
}

export interface RegionSpreadRow extends SideRegion {
  /** Entries in the window that mark this region on this side. */
  readonly count: number;
  /** `at` of the earliest entry that marks it (any time). */
  readonly firstMarkedAt: string;
  /**
   * It was first marked within the window, after the diary had entries without it: a region that is new
   * for this person.
   */
  readonly isNew: boolean;
  /** Neck, face, trunk or legs. */
  readonly beyondArm: boolean;
}

export interface RegionSpread {
  readonly windowDays: number;
  /** Entries in the window (the denominator of every `count`). */
  readonly entriesInWindow: number;
  /** Every region and side ever marked, left side first, in body-map order. */
  readonly rows: readonly RegionSpreadRow[];
}

/**
 * For each region and side ever marked: on how many of the entries of the last `windowDays` days it was
 * marked, and when it was first marked. Entries with a time that cannot be read are left out.
 * @param entries - the person's current diary entries, in any order
 * @param options.now - the end of the window, ms since the Unix epoch
 * @param options.windowDays - the window's length in days (90 by default)
 */
export function bodyRegionSpread(
  entries: readonly BodyMapEntry[],
  options: { now: number; windowDays?: number },
): RegionSpread {
  const windowDays = options.windowDays ?? 90;
  const since = options.now - windowDays * 86_400_000;
  const timed = entries
    .map((entry) => ({ entry, t: Date.parse(entry.at) }))
    .filter(({ t }) => Number.isFinite(t))
    .sort((a, b) => a.t - b.t);
  const firstEntryT = timed[0]?.t;
  const inWindow = (t: number) => t >= since && t <= options.now;
  const rows: RegionSpreadRow[] = [];
  for (const side of BODY_SIDES) {
    for (const region of BODY_REGIONS) {
      const marked = timed.filter(({ entry }) => entry.bodyMap[side].includes(region));
      const first = marked[0];
      if (!first) continue;
      rows.push({
        side,
        region,
        count: marked.filter(({ t }) => inWindow(t)).length,
        firstMarkedAt: first.entry.at,
        isNew: inWindow(first.t) && firstEntryT !== undefined && first.t > firstEntryT,
        beyondArm: BODY_REGIONS_BEYOND_ARM.includes(region),
      });
    }
  }
  return { windowDays, entriesInWindow: timed.filter(({ t }) => inWindow(t)).length, rows };
}

/** The regions and sides of `bodyMap` that none of `earlier` marks, left side first. */
export function newBodyRegions(bodyMap: DiaryBodyMap, earlier: readonly BodyMapEntry[]): SideRegion[] {
  const out: SideRegion[] = [];
  for (const side of BODY_SIDES) {
    for (const region of BODY_REGIONS) {
      if (bodyMap[side].includes(region) && !earlier.some((e) => e.bodyMap[side].includes(region)))
        out.push({ side, region });
    }
  }
  return out;
}
