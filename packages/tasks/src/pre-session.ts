import type { SessionContextV1 } from '@dystrack/core';

/**
 * The questions asked before every task (measures.md section 1, item 2), as data: the web app renders
 * them, {@link validatePreSession} turns the answers into core's `context`. Every question may be
 * skipped (its value is then `null`): the person decides what they tell.
 */

/** Id of a pre-session question: the field of core's `SessionContextV1` it fills. */
export type PreSessionQuestionId = keyof SessionContextV1;

interface QuestionBase<K extends PreSessionQuestionId> {
  id: K;
  /** The question, short and plain. */
  label: string;
  /** One or two sentences under the question. */
  help: string;
  /** Always false: every question may be left empty. */
  required: false;
}

/** A 0–10 rating: render as 11 large buttons (a radio group), never a slider alone. */
export interface ScaleQuestion extends QuestionBase<'selfRating0to10'> {
  kind: 'scale';
  min: 0;
  max: 10;
  step: 1;
  /** Words at the two ends of the scale. */
  minLabel: string;
  maxLabel: string;
}

/** A number with a unit. */
export interface NumberQuestion extends QuestionBase<'taskLoadHoursLast24h'> {
  kind: 'number';
  min: number;
  max: number;
  step: number;
  unit: string;
}

/** A whole number of days, a date (the number of days is computed), or one of the choices. */
export interface DaysQuestion extends QuestionBase<'daysSinceBotulinumToxin'> {
  kind: 'days-or-choice';
  min: number;
  max: number;
  unit: string;
  /** The answer may be a calendar date `YYYY-MM-DD`, converted to days before today. */
  acceptsDate: true;
  choices: readonly { value: 'never' | 'unknown'; label: string }[];
}

/** Free text. */
export interface TextQuestion extends QuestionBase<'medication'> {
  kind: 'text';
  maxLength: number;
  multiline: true;
  placeholder: string;
}

export type PreSessionQuestion = ScaleQuestion | NumberQuestion | DaysQuestion | TextQuestion;

/** The pre-session questions, in the order to ask them. */
export const PRE_SESSION_QUESTIONS: readonly PreSessionQuestion[] = [
  {
    id: 'selfRating0to10',
    kind: 'scale',
    label: 'How bad is your hand problem today?',
    help: 'Think of the activity that is usually affected: writing, playing or typing. 0 means no problem at all, 10 the worst you can imagine.',
    required: false,
    min: 0,
    max: 10,
    step: 1,
    minLabel: 'No problem',
    maxLabel: 'Worst imaginable',
  },
  {
    id: 'taskLoadHoursLast24h',
    kind: 'number',
    label: 'In the last 24 hours, how many hours did you write, play or type?',
    help: 'A rough guess is fine. Count the activity that your hand problem affects. Use 0.5 for half an hour.',
    required: false,
    min: 0,
    max: 24,
    step: 0.5,
    unit: 'hours',
  },
  {
    id: 'daysSinceBotulinumToxin',
    kind: 'days-or-choice',
    label: 'When did you last have a botulinum-toxin injection?',
    help: 'For example Botox, Dysport or Xeomin. Enter the date, or the number of days ago. Choose "Never" or "I don\'t know" if that fits better.',
    required: false,
    min: 0,
    max: 36_500,
    unit: 'days ago',
    acceptsDate: true,
    choices: [
      { value: 'never', label: 'Never' },
      { value: 'unknown', label: "I don't know" },
    ],
  },
  {
    id: 'medication',
    kind: 'text',
    label: 'Which medicines do you take now for your hand problem?',
    help: 'In your own words, with the dose and when you last took it if you know. Leave empty if you take none.',
    required: false,
    maxLength: 2000,
    multiline: true,
    placeholder: 'For example: trihexyphenidyl 2 mg, twice a day, last at 8 am',
  },
];

/** Answers as a form gives them: numbers or the text of the fields; empty means skipped. */
export interface PreSessionAnswers {
  selfRating0to10?: number | string | null;
  taskLoadHoursLast24h?: number | string | null;
  /** A number of days, its text, `'never'`, `'unknown'`, or a date `YYYY-MM-DD`. */
  daysSinceBotulinumToxin?: number | string | null;
  medication?: string | null;
}

/** A problem with one answer, worded for the person. */
export interface PreSessionIssue {
  id: PreSessionQuestionId;
  message: string;
}

export interface PreSessionOptions {
  /** Today's date for converting an injection date to days (default: now, in local time). */
  today?: Date;
}

/** A context with every answer skipped. */
export const EMPTY_SESSION_CONTEXT: SessionContextV1 = Object.freeze({
  selfRating0to10: null,
  taskLoadHoursLast24h: null,
  botulinumToxin: null,
  daysSinceBotulinumToxin: null,
  medication: null,
});

const DAY_MS = 86_400_000;
const NUMBER_TEXT = /^[+]?\d+([.,]\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A number from a number or its text (a decimal comma is accepted); NaN for anything else. */
function toNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed.replace(',', '.')) : NaN;
}

/**
 * Checks the answers and converts them to core's session context.
 * @returns `{ ok: true, value }` or `{ ok: false, issues }` with one issue per wrong answer
 */
export function checkPreSession(
  answers: PreSessionAnswers,
  options: PreSessionOptions = {},
): { ok: true; value: SessionContextV1 } | { ok: false; issues: PreSessionIssue[] } {
  const issues: PreSessionIssue[] = [];
  const value: SessionContextV1 = { ...EMPTY_SESSION_CONTEXT };

  const rating = answers.selfRating0to10;
  if (!isEmpty(rating)) {
    const n = toNumber(rating!);
    if (Number.isInteger(n) && n >= 0 && n <= 10) value.selfRating0to10 = n;
    else issues.push({ id: 'selfRating0to10', message: 'Choose a whole number from 0 to 10.' });
  }

  const hours = answers.taskLoadHoursLast24h;
  if (!isEmpty(hours)) {
    const n = toNumber(hours!);
    if (Number.isFinite(n) && n >= 0 && n <= 24) value.taskLoadHoursLast24h = n;
    else issues.push({ id: 'taskLoadHoursLast24h', message: 'Enter a number of hours from 0 to 24.' });
  }

  const days = answers.daysSinceBotulinumToxin;
  if (days === 'never' || days === 'unknown') value.botulinumToxin = days;
  else if (!isEmpty(days)) {
    const dateMatch = typeof days === 'string' ? DATE_TEXT.exec(days.trim()) : null;
    if (dateMatch) {
      const [, y, m, d] = dateMatch;
      const injection = Date.UTC(Number(y), Number(m) - 1, Number(d));
      const today = options.today ?? new Date();
      const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
      const valid = new Date(injection).getUTCDate() === Number(d);
      const n = Math.round((todayUtc - injection) / DAY_MS);
      if (!valid) issues.push({ id: 'daysSinceBotulinumToxin', message: 'This date does not exist.' });
      else if (n < 0) issues.push({ id: 'daysSinceBotulinumToxin', message: 'The date is in the future.' });
      else if (n > 36_500)
        issues.push({ id: 'daysSinceBotulinumToxin', message: 'The date is more than 100 years ago.' });
      else {
        value.botulinumToxin = 'received';
        value.daysSinceBotulinumToxin = n;
      }
    } else {
      const n = toNumber(days!);
      if (Number.isInteger(n) && n >= 0 && n <= 36_500) {
        value.botulinumToxin = 'received';
        value.daysSinceBotulinumToxin = n;
      } else {
        issues.push({
          id: 'daysSinceBotulinumToxin',
          message: 'Enter a date, a whole number of days, or choose "Never" or "I don\'t know".',
        });
      }
    }
  }

  const medication = answers.medication;
  if (!isEmpty(medication)) {
    const trimmed = medication!.trim();
    if (trimmed.length <= 2000) value.medication = trimmed;
    else issues.push({ id: 'medication', message: 'Please shorten this to at most 2000 characters.' });
  }

  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** Thrown by {@link validatePreSession}; `issues` has one entry per wrong answer. */
export class PreSessionError extends RangeError {
  constructor(readonly issues: PreSessionIssue[]) {
    super(issues.map((issue) => `${issue.id}: ${issue.message}`).join(' '));
    this.name = 'PreSessionError';
  }
}

/**
 * Converts the pre-session answers into core's `SessionContextV1` (skipped answers are `null`; the
 * injection question gives `botulinumToxin` `received` with the days, `never`, or `unknown`).
 * @throws PreSessionError when an answer is out of range or not a number
 * @example
 * validatePreSession({ selfRating0to10: '4', daysSinceBotulinumToxin: 'never' })
 * // { selfRating0to10: 4, taskLoadHoursLast24h: null, botulinumToxin: 'never', daysSinceBotulinumToxin: null, medication: null }
 */
export function validatePreSession(
  answers: PreSessionAnswers,
  options: PreSessionOptions = {},
): SessionContextV1 {
  const result = checkPreSession(answers, options);
  if (!result.ok) throw new PreSessionError(result.issues);
  return result.value;
}
