import { CodedError } from '../errors/catalogue.js';
import type {
  AnswerOption,
  ChoiceItem,
  QuestionnaireAnswers,
  QuestionnaireDefinition,
  QuestionnaireItem,
  ScoreBand,
} from './types.js';

/** A problem with one answer. */
export interface AnswerIssue {
  readonly linkId: string;
  readonly code: 'unknown-item' | 'unknown-option' | 'text-too-long';
  readonly message: string;
}

/** The item with this linkId, or undefined. */
export function findItem(def: QuestionnaireDefinition, linkId: string): QuestionnaireItem | undefined {
  return def.items.find((item) => item.linkId === linkId);
}

/** The option with this code in a choice item, or undefined. */
export function findOption(item: ChoiceItem, code: string): AnswerOption | undefined {
  return item.answerSet.options.find((option) => option.code === code);
}

/** The answer to one item, or undefined when it is unanswered (absent, null, undefined or blank text). */
export function answerOf(answers: QuestionnaireAnswers, linkId: string): string | undefined {
  if (!Object.hasOwn(answers, linkId)) return undefined;
  const answer = answers[linkId];
  return answer === null || answer === undefined || answer.trim() === '' ? undefined : answer;
}

/** Every answer that names no item, no option of its item, or is too long. Empty when all are valid. */
export function validateAnswers(def: QuestionnaireDefinition, answers: QuestionnaireAnswers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  for (const linkId of Object.keys(answers)) {
    const answer = answerOf(answers, linkId);
    if (answer === undefined) continue;
    const item = findItem(def, linkId);
    if (!item) {
      issues.push({ linkId, code: 'unknown-item', message: `${def.title} has no question "${linkId}".` });
    } else if (item.kind === 'choice' && !findOption(item, answer)) {
      issues.push({
        linkId,
        code: 'unknown-option',
        message: `"${answer}" is not one of the answers to question ${item.prefix ?? linkId}.`,
      });
    } else if (item.kind === 'text' && answer.length > item.maxLength) {
      issues.push({
        linkId,
        code: 'text-too-long',
        message: `The answer to "${item.text}" is longer than ${item.maxLength} characters.`,
      });
    }
  }
  return issues;
}

/** The score of one completed questionnaire. */
export interface ScoreResult {
  readonly questionnaireId: string;
  readonly version: string;
  /** Sum of the scored items (prorated if some are missing), or the single item's value; null if not computable. */
  readonly total: number | null;
  readonly min: number;
  readonly max: number;
  /** True when one or more missing items were replaced by the mean of the answered ones. */
  readonly prorated: boolean;
  /** Scored items that were unanswered, in questionnaire order. */
  readonly missing: readonly string[];
  /** The band of the total, or null when there is no total. */
  readonly band: ScoreBand | null;
  /** Why there is no total (plain words), when `total` is null. */
  readonly noTotalReason: string | null;
}

/** The band that holds a score, or null. */
export function bandOf(bands: readonly ScoreBand[], score: number): ScoreBand | null {
  return bands.find((band) => score >= band.min && score <= band.max) ?? null;
}

function choiceValue(
  def: QuestionnaireDefinition,
  answers: QuestionnaireAnswers,
  linkId: string,
): number | undefined {
  const item = findItem(def, linkId);
  if (!item || item.kind !== 'choice')
    throw new TypeError(`${def.id}: scored item ${linkId} is not a choice item`);
  const answer = answerOf(answers, linkId);
  return answer === undefined ? undefined : findOption(item, answer)?.value;
}

/**
 * Scores a questionnaire. Throws `CodedError('E_VALIDATION')` with the issues as details when an answer
 * names an unknown item or option. Missing answers follow the definition's `maxMissing` rule.
 */
export function scoreQuestionnaire(def: QuestionnaireDefinition, answers: QuestionnaireAnswers): ScoreResult {
  const issues = validateAnswers(def, answers);
  if (issues.length > 0) {
    throw new CodedError('E_VALIDATION', issues.map((issue) => issue.message).join(' '), { issues });
  }
  const base = { questionnaireId: def.id, version: def.version };
  const scoring = def.scoring;

  if (scoring.kind === 'single') {
    const item = findItem(def, scoring.item);
    if (!item || item.kind !== 'choice') throw new TypeError(`${def.id}: scored item is not a choice item`);
    const values = item.answerSet.options.map((option) => option.value);
    const value = choiceValue(def, answers, scoring.item);
    return {
      ...base,
      total: value ?? null,
      min: Math.min(...values),
      max: Math.max(...values),
      prorated: false,
      missing: value === undefined ? [scoring.item] : [],
      band: value === undefined ? null : bandOf(scoring.bands, value),
      noTotalReason: value === undefined ? `The question "${item.text}" was not answered.` : null,
    };
  }

  let sum = 0;
  const missing: string[] = [];
  for (const linkId of scoring.items) {
    const value = choiceValue(def, answers, linkId);
    if (value === undefined) missing.push(linkId);
    else sum += value;
  }
  const answered = scoring.items.length - missing.length;
  const common = { ...base, min: scoring.min, max: scoring.max, missing };
  if (missing.length > scoring.maxMissing || answered === 0) {
    return {
      ...common,
      total: null,
      prorated: false,
      band: null,
      noTotalReason:
        `${missing.length} of ${scoring.items.length} questions were not answered; a total needs at least ` +
        `${scoring.items.length - scoring.maxMissing} answers.`,
    };
  }
  const total = missing.length === 0 ? sum : Math.floor((sum * scoring.items.length) / answered + 0.5);
  return {
    ...common,
    total,
    prorated: missing.length > 0,
    band: bandOf(scoring.bands, total),
    noTotalReason: null,
  };
}
