import { FHIR_DATE_TIME } from './fhir.js';
import type {
  FhirAnswer,
  FhirQuestionnaire,
  FhirQuestionnaireItem,
  FhirQuestionnaireResponse,
} from './fhir.js';

/**
 * Checks of the FHIR R4 rules that a structure validator does not make: invariants que-0 to que-10 as far
 * as they apply to flat questionnaires and qrs-2, that every answer fits its question (the options are
 * in the Questionnaire, not the response), and anchored patterns for id, code and dateTime. The tests also
 * validate every resource against the official R4 definitions with the `fhir` package
 * (fhir-validate.test.ts), which checks elements, cardinalities and bindings but evaluates no invariant
 * and matches primitives with unanchored patterns; this file needs no 4 MB of definitions at run time.
 * Returns human-readable problems; empty when none were found.
 */

const QUESTIONNAIRE_STATUS = ['draft', 'active', 'retired', 'unknown'];
const RESPONSE_STATUS = ['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped'];
const ITEM_TYPES = [
  'group',
  'display',
  'boolean',
  'decimal',
  'integer',
  'date',
  'dateTime',
  'time',
  'string',
  'text',
  'url',
  'choice',
  'open-choice',
  'attachment',
  'reference',
  'quantity',
];
const SIMPLE_TYPES = ['boolean', 'decimal', 'integer', 'string', 'text', 'url', 'open-choice'];
// FHIR R4 `uri`/`code`/`id` shapes.
const CODE = /^[^\s]+(\s[^\s]+)*$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function nonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.trim() !== '';
}

export function checkQuestionnaire(q: FhirQuestionnaire): string[] {
  const problems: string[] = [];
  if (q.resourceType !== 'Questionnaire') problems.push('resourceType must be Questionnaire');
  if (!QUESTIONNAIRE_STATUS.includes(q.status))
    problems.push(`status "${q.status}" is not a publication status`);
  if (q.id !== undefined && !ID.test(q.id)) problems.push(`id "${q.id}" is not a FHIR id`);
  if (!nonEmptyString(q.url) || /\s/.test(q.url)) problems.push('url must be a URI without spaces');
  if (q.name !== undefined && !/^[A-Z]([A-Za-z0-9_]){0,254}$/.test(q.name)) {
    problems.push(`name "${q.name}" is not computer-friendly (que-0)`);
  }
  const seen = new Set<string>();
  for (const item of q.item) {
    const where = `item ${item.linkId}`;
    if (!nonEmptyString(item.linkId)) problems.push('an item has no linkId');
    else if (seen.has(item.linkId)) problems.push(`linkId "${item.linkId}" is not unique (que-2)`);
    seen.add(item.linkId);
    if (!ITEM_TYPES.includes(item.type)) problems.push(`${where}: type "${item.type}" is not an item type`);
    if (item.type === 'display' && item.code)
      problems.push(`${where}: display items cannot have a code (que-3)`);
    const hasOptions = item.answerOption !== undefined;
    if (hasOptions && item.type !== 'choice' && item.type !== 'open-choice') {
      problems.push(`${where}: only choice items can have answerOption (que-5)`);
    }
    if (item.type === 'choice' && (!item.answerOption || item.answerOption.length === 0)) {
      problems.push(`${where}: a choice item needs answerOption`);
    }
    if (item.type === 'display' && (item.required !== undefined || item.readOnly !== undefined)) {
      problems.push(`${where}: display items cannot be required or readOnly (que-6, que-9)`);
    }
    if (item.maxLength !== undefined && !SIMPLE_TYPES.includes(item.type)) {
      problems.push(`${where}: maxLength only for simple question types (que-10)`);
    }
    const codes = new Set<string>();
    for (const option of item.answerOption ?? []) {
      const coding = option.valueCoding;
      if (
        !coding ||
        !nonEmptyString(coding.system) ||
        !nonEmptyString(coding.code) ||
        !CODE.test(coding.code)
      ) {
        problems.push(`${where}: an answerOption lacks a valueCoding with system and code`);
        continue;
      }
      const key = `${coding.system}|${coding.code}`;
      if (codes.has(key)) problems.push(`${where}: answerOption ${coding.code} appears twice`);
      codes.add(key);
    }
  }
  return problems;
}

function answerFits(item: FhirQuestionnaireItem, answer: FhirAnswer): string | null {
  const keys = Object.keys(answer).filter((k) => k.startsWith('value'));
  if (keys.length !== 1) return 'an answer must have exactly one value[x]';
  switch (item.type) {
    case 'choice': {
      const coding = answer.valueCoding;
      if (!coding) return 'a choice answer must be a valueCoding';
      const ok = (item.answerOption ?? []).some(
        (o) => o.valueCoding.system === coding.system && o.valueCoding.code === coding.code,
      );
      return ok ? null : `answer ${String(coding.code)} is not one of the answerOptions`;
    }
    case 'integer': {
      const value = answer.valueInteger;
      return Number.isInteger(value) ? null : 'an integer answer must be a whole valueInteger';
    }
    case 'text':
    case 'string': {
      const value = answer.valueString;
      if (typeof value !== 'string' || value === '') return 'a text answer must be a non-empty valueString';
      return item.maxLength !== undefined && value.length > item.maxLength
        ? 'the text is longer than maxLength'
        : null;
    }
    default:
      return `answers to ${item.type} items are not checked here`;
  }
}

/** Checks a response against its questionnaire (which is checked too). */
export function checkQuestionnaireResponse(q: FhirQuestionnaire, r: FhirQuestionnaireResponse): string[] {
  const problems = checkQuestionnaire(q).map((p) => `questionnaire: ${p}`);
  if (r.resourceType !== 'QuestionnaireResponse') problems.push('resourceType must be QuestionnaireResponse');
  if (!RESPONSE_STATUS.includes(r.status)) problems.push(`status "${r.status}" is not a response status`);
  if (!FHIR_DATE_TIME.test(r.authored)) problems.push(`authored "${r.authored}" is not a FHIR dateTime`);
  const [canonical, version] = r.questionnaire.split('|');
  if (canonical !== q.url) problems.push(`questionnaire ${r.questionnaire} does not name ${q.url}`);
  if (version !== undefined && version !== q.version)
    problems.push(`questionnaire version ${version} ≠ ${q.version}`);
  const byLinkId = new Map(q.item.map((item) => [item.linkId, item]));
  const seen = new Set<string>();
  for (const item of r.item) {
    const question = byLinkId.get(item.linkId);
    if (!question) {
      problems.push(`item ${item.linkId} is not in the questionnaire`);
      continue;
    }
    if (seen.has(item.linkId)) problems.push(`item ${item.linkId} appears twice`);
    seen.add(item.linkId);
    if (question.type === 'display' && item.answer)
      problems.push(`item ${item.linkId}: display items have no answer`);
    if (item.answer !== undefined && item.answer.length === 0)
      problems.push(`item ${item.linkId}: empty answer list`);
    if ((item.answer?.length ?? 0) > 1) problems.push(`item ${item.linkId}: more than one answer (qrs-2)`);
    if (item.text !== undefined && question.text !== undefined && item.text !== question.text) {
      problems.push(`item ${item.linkId}: text differs from the questionnaire`);
    }
    for (const answer of item.answer ?? []) {
      const problem = answerFits(question, answer);
      if (problem) problems.push(`item ${item.linkId}: ${problem}`);
    }
  }
  if (r.status === 'completed') {
    for (const question of q.item) {
      if (question.required && !seen.has(question.linkId)) {
        problems.push(`item ${question.linkId} is required but not answered`);
      }
    }
  }
  return problems;
}
