import { z } from 'zod';

/**
 * Licensed clinician scales. Their item wording is copyrighted and must never be reproduced in the
 * software (measures.md section 8): only metadata is kept here, and people enter the total a rater gave.
 * Evidence labels follow measures.md: P = published and checked, P? = published but not re-checked,
 * S = our assumption.
 */

/** Who gave the rating: a clinician, or the person rating themselves. */
export type RaterRole = 'clinician' | 'self';
export const RATER_ROLES = ['clinician', 'self'] as const satisfies readonly RaterRole[];

export type Evidence = 'P' | 'P?' | 'S';

export interface ClinicianScale {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  /** Whether a higher total means more impairment or better function. */
  readonly direction: 'higher-is-worse' | 'higher-is-better';
  /** What the total means, in plain words. */
  readonly totalMeaning: string;
  readonly min: number;
  readonly max: number;
  /** Totals are multiples of `step` from `min`; null when only `allowedValues` are valid. */
  readonly step: number | null;
  /** The only valid totals, when the scoring formula gives a fixed set (ADDS). */
  readonly allowedValues?: readonly number[];
  readonly unit?: '%';
  /** Who may give this rating. */
  readonly raters: readonly RaterRole[];
  readonly rangeEvidence: Evidence;
  readonly stepEvidence: Evidence;
  readonly citation: string;
  /** Why the wording is not shown, and what may be stored. */
  readonly reuse: string;
}

// ADDS: 100 % = no difficulty, 95 % = aware, no limitation, otherwise 90 − 90·(sum/21) with sum 0–21
// over 7 activities rated 0–3 (measures.md section 8, [P]).
const ADDS_VALUES: readonly number[] = [
  100,
  95,
  ...Array.from({ length: 22 }, (_, sum) => 90 - (90 * sum) / 21),
];

export const CLINICIAN_SCALES: readonly ClinicianScale[] = [
  {
    id: 'wcrs',
    name: 'Writer’s Cramp Rating Scale',
    abbreviation: 'WCRS',
    direction: 'higher-is-worse',
    totalMeaning:
      'Writing-movement score plus writing-speed score, rated by a clinician from a video of writing. ' +
      '0 = no impairment; higher = more impairment.',
    min: 0,
    max: 30,
    step: 1,
    raters: ['clinician'],
    rangeEvidence: 'P',
    stepEvidence: 'S',
    citation:
      'Wissel J, Kabus C, Wenzel R, et al. Botulinum toxin in writer’s cramp: objective response ' +
      'evaluation in 31 patients. J Neurol Neurosurg Psychiatry 1996;61:172–175.',
    reuse: 'Item wording copyrighted (BMJ journal). Store clinician-entered totals only.',
  },
  {
    id: 'adds',
    name: 'Arm Dystonia Disability Scale',
    abbreviation: 'ADDS',
    direction: 'higher-is-better',
    totalMeaning:
      '100 % = no difficulty; 95 % = aware of it, no limitation; 90 % and below = limited in daily ' +
      'activities, lower = more limited (0 % = marked difficulty in all seven activities).',
    min: 0,
    max: 100,
    step: null,
    allowedValues: ADDS_VALUES,
    unit: '%',
    raters: ['clinician', 'self'],
    rangeEvidence: 'P',
    stepEvidence: 'P',
    citation:
      'Fahn S. Assessment of the primary dystonias. In: Munsat TL (ed.), Quantification of Neurologic ' +
      'Deficit. Boston: Butterworths; 1989:241–270.',
    reuse: 'Reproductions are “adapted with permission”: wording needs permission; the formula may be used.',
  },
  {
    id: 'tcs',
    name: 'Tubiana–Chamagne Score',
    abbreviation: 'TCS',
    direction: 'higher-is-better',
    totalMeaning:
      'One level from 0 = unable to play to 5 = returned to concert performance; higher = better playing.',
    min: 0,
    max: 5,
    step: 1,
    raters: ['clinician'],
    rangeEvidence: 'P?',
    stepEvidence: 'P?',
    citation: 'Tubiana R, Chamagne P. Bull Acad Natl Med 1993 (not re-checked).',
    reuse: 'Original wording not verified; store the entered level only.',
  },
  {
    id: 'bfmdrs-movement',
    name: 'Burke–Fahn–Marsden Dystonia Rating Scale, movement scale',
    abbreviation: 'BFMDRS-M',
    direction: 'higher-is-worse',
    totalMeaning:
      'Sum over 9 body regions of provoking factor × severity factor × region weight. 0 = no dystonia; ' +
      'higher = more severe or more widespread dystonia.',
    min: 0,
    max: 120,
    step: 0.5,
    raters: ['clinician'],
    rangeEvidence: 'P',
    stepEvidence: 'P?',
    citation:
      'Burke RE, Fahn S, Marsden CD, et al. Validity and reliability of a rating scale for the primary ' +
      'torsion dystonias. Neurology 1985;35:73–77.',
    reuse: 'Published journal scale, permission status not verified: treated as copyrighted.',
  },
  {
    id: 'bfmdrs-disability',
    name: 'Burke–Fahn–Marsden Dystonia Rating Scale, disability scale',
    abbreviation: 'BFMDRS-D',
    direction: 'higher-is-worse',
    totalMeaning:
      'Disability in speech, handwriting, feeding, eating/swallowing, hygiene, dressing and walking. ' +
      '0 = no disability; higher = more disability.',
    min: 0,
    max: 30,
    step: 1,
    raters: ['clinician'],
    rangeEvidence: 'P',
    stepEvidence: 'S',
    citation:
      'Burke RE, Fahn S, Marsden CD, et al. Validity and reliability of a rating scale for the primary ' +
      'torsion dystonias. Neurology 1985;35:73–77.',
    reuse: 'Published journal scale, permission status not verified: treated as copyrighted.',
  },
  {
    id: 'gdrs',
    name: 'Global Dystonia Rating Scale',
    abbreviation: 'GDRS',
    direction: 'higher-is-worse',
    totalMeaning: 'Sum of 14 body regions, each rated 0–10. 0 = no dystonia; higher = more severe.',
    min: 0,
    max: 140,
    step: 1,
    raters: ['clinician'],
    rangeEvidence: 'P?',
    stepEvidence: 'P?',
    citation:
      'Comella CL, Leurgans S, Wuu J, et al. Rating scales for dystonia: a multicenter assessment. ' +
      'Mov Disord 2003;18:303–312.',
    reuse: 'Ownership not verified (check with the MDS): treated as copyrighted.',
  },
  {
    id: 'udrs',
    name: 'Unified Dystonia Rating Scale',
    abbreviation: 'UDRS',
    direction: 'higher-is-worse',
    totalMeaning:
      '14 body regions rated for severity and duration. 0 = no dystonia; higher = more severe or more ' +
      'constant dystonia.',
    min: 0,
    max: 112,
    step: 0.5,
    raters: ['clinician'],
    rangeEvidence: 'S',
    stepEvidence: 'S',
    citation:
      'Comella CL, Leurgans S, Wuu J, et al. Rating scales for dystonia: a multicenter assessment. ' +
      'Mov Disord 2003;18:303–312.',
    reuse:
      'MDS-owned: written permission required, and any e-platform adaptation needs MDS approval. Totals ' +
      'only.',
  },
];

function isRaterRole(role: string): role is RaterRole {
  return (RATER_ROLES as readonly string[]).includes(role);
}

/** The scale with this id, or undefined. */
export function getClinicianScale(id: string): ClinicianScale | undefined {
  return CLINICIAN_SCALES.find((scale) => scale.id === id);
}

/** A validated entry of a total. */
export interface ClinicianScaleEntry {
  readonly scaleId: string;
  readonly total: number;
  /** Date of the rating, `YYYY-MM-DD`. */
  readonly date: string;
  readonly rater: { readonly role: RaterRole; readonly name?: string };
}

export interface EntryIssue {
  readonly field: 'scaleId' | 'total' | 'date' | 'rater' | 'entry';
  readonly message: string;
}

export type EntryValidation =
  | { readonly ok: true; readonly entry: ClinicianScaleEntry }
  | { readonly ok: false; readonly issues: readonly EntryIssue[] };

const entryShape = z.object({
  scaleId: z.string(),
  total: z.number(),
  date: z.string(),
  rater: z.object({ role: z.string(), name: z.string().optional() }),
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(date: string): boolean {
  const m = ISO_DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 10) / 10);
}

function totalIssue(scale: ClinicianScale, total: number): string | null {
  const unit = scale.unit ?? '';
  const what = `The ${scale.name} (${scale.abbreviation}) total`;
  if (!Number.isFinite(total)) return `${what} must be a number.`;
  if (total < scale.min || total > scale.max) {
    return (
      `${what} must be between ${scale.min}${unit} and ${scale.max}${unit}; ` +
      `${formatNumber(total)}${unit} is outside this range.`
    );
  }
  if (scale.allowedValues) {
    // Totals may be entered rounded to one decimal (85.7 for 90 − 90/21 = 85.714…).
    if (!scale.allowedValues.some((v) => Math.abs(v - total) <= 0.05 + 1e-9)) {
      const examples = scale.allowedValues
        .slice(0, 5)
        .map(formatNumber)
        .join(unit + ', ');
      return (
        `${what} can only be one of the values its formula gives (${examples}${unit}, …); ` +
        `${formatNumber(total)}${unit} is not one of them.`
      );
    }
    return null;
  }
  if (scale.step !== null) {
    const steps = (total - scale.min) / scale.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-9) {
      return scale.step === 1
        ? `${what} is a whole number; ${formatNumber(total)} is not.`
        : `${what} goes in steps of ${scale.step}; ${total} is not a multiple of ${scale.step}.`;
    }
  }
  return null;
}

/**
 * Validates an entered total with its date and rater. `today` (`YYYY-MM-DD`, the person's local date)
 * rejects ratings dated in the future. Messages are meant to be shown as they are.
 */
export function validateClinicianScaleEntry(input: unknown, options: { today: string }): EntryValidation {
  const parsed = entryShape.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: [
        { field: 'entry', message: 'An entry needs a scale, a total (a number), a date and a rater.' },
      ],
    };
  }
  const { scaleId, total, date, rater } = parsed.data;
  const issues: EntryIssue[] = [];
  const scale = getClinicianScale(scaleId);
  if (!scale) {
    issues.push({ field: 'scaleId', message: `"${scaleId}" is not a rating scale Dystrack knows.` });
  } else {
    const problem = totalIssue(scale, total);
    if (problem) issues.push({ field: 'total', message: problem });
  }
  if (!isCalendarDate(date)) {
    issues.push({ field: 'date', message: `"${date}" is not a date in the form YYYY-MM-DD.` });
  } else if (date > options.today) {
    issues.push({ field: 'date', message: `The rating date ${date} is in the future.` });
  }
  const role = isRaterRole(rater.role) ? rater.role : undefined;
  if (role === undefined) {
    issues.push({ field: 'rater', message: 'The rater must be "clinician" or "self".' });
  } else if (scale && !scale.raters.includes(role)) {
    issues.push({
      field: 'rater',
      message:
        `The ${scale.abbreviation} is rated by a clinician. If you are copying a score from a clinic ` +
        'letter, choose “clinician” as the rater.',
    });
  }
  const name = rater.name?.trim();
  if (name !== undefined && name.length > 200) {
    issues.push({ field: 'rater', message: 'The rater’s name is longer than 200 characters.' });
  }
  if (issues.length > 0 || role === undefined) return { ok: false, issues };
  return {
    ok: true,
    entry: {
      scaleId,
      total,
      date,
      rater: name ? { role, name } : { role },
    },
  };
}
