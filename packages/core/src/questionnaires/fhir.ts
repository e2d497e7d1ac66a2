import { CodedError } from '../errors/catalogue.js';
import type { ClinicianScale, RaterRole } from './clinician-scales.js';
import { QUESTIONNAIRES } from './definitions.js';
import { answerOf, findOption, scoreQuestionnaire } from './scoring.js';
import type { AnswerSet, QuestionnaireAnswers, QuestionnaireDefinition } from './types.js';

/**
 * FHIR R4 (4.0.1) export of the questionnaires: `Questionnaire`, one `CodeSystem` per answer set and
 * `QuestionnaireResponse`. Plain JSON objects, no FHIR library.
 *
 * Codes: answers use project CodeSystems at `{base}/CodeSystem/{answer set id}`. LOINC is used only for
 * the two totals we checked (PHQ-9 44261-6, GAD-7 70274-6; see definitions.ts); items carry no LOINC code.
 *
 * The total is a calculated item (type `integer`, `readOnly`, with the LOINC code on `item.code`) rather
 * than an extension: generic FHIR tools (form renderers, SDC extraction, US Core and MII examples of
 * PHQ-9/GAD-7) read totals as items, a code on the item lets it become an Observation, and no project
 * StructureDefinition is needed. Only totals of complete forms are exported: a prorated total (one
 * missing item, shown in the app) is left out so that a value under the LOINC code is always the
 * instrument's plain sum; consumers can see the missing item and decide.
 */

export const FHIR_VERSION = '4.0.1';
export const LOINC_SYSTEM = 'http://loinc.org';
export const ORDINAL_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

export interface FhirCoding {
  system: string;
  code: string;
  display?: string;
}

export interface FhirExtension {
  url: string;
  valueDecimal?: number;
}

export interface FhirAnswerOption {
  valueCoding: FhirCoding;
  extension?: FhirExtension[];
}

/** Questionnaire.item.type (R4 value set item-type). */
export type FhirItemType =
  | 'group'
  | 'display'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'date'
  | 'dateTime'
  | 'time'
  | 'string'
  | 'text'
  | 'url'
  | 'choice'
  | 'open-choice'
  | 'attachment'
  | 'reference'
  | 'quantity';

export interface FhirQuestionnaireItem {
  linkId: string;
  prefix?: string;
  text?: string;
  type: FhirItemType;
  code?: FhirCoding[];
  required?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  answerOption?: FhirAnswerOption[];
  /** e.g. the minValue and maxValue extensions of a total. */
  extension?: FhirExtension[];
}

export interface FhirQuestionnaire {
  resourceType: 'Questionnaire';
  id: string;
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  subjectType: string[];
  description: string;
  copyright: string;
  item: FhirQuestionnaireItem[];
}

export interface FhirCodeSystem {
  resourceType: 'CodeSystem';
  id: string;
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'active';
  content: 'complete';
  caseSensitive: true;
  count: number;
  concept: { code: string; display: string }[];
}

export interface FhirAnswer {
  valueCoding?: FhirCoding;
  valueString?: string;
  valueInteger?: number;
}

export interface FhirResponseItem {
  linkId: string;
  text?: string;
  answer?: FhirAnswer[];
}

export interface FhirQuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  id?: string;
  questionnaire: string;
  status: 'in-progress' | 'completed' | 'amended' | 'entered-in-error' | 'stopped';
  subject?: { reference: string };
  authored: string;
  item: FhirResponseItem[];
}

function trimBase(baseUrl: string): string {
  if (!/^https?:\/\/\S+$/.test(baseUrl)) throw new TypeError(`FHIR base URL must be http(s): ${baseUrl}`);
  return baseUrl.replace(/\/+$/, '');
}

/** Canonical URL of a questionnaire under the project's FHIR base. */
export function questionnaireUrl(def: QuestionnaireDefinition, baseUrl: string): string {
  return `${trimBase(baseUrl)}/Questionnaire/${def.id}`;
}

/** Canonical URL of the project CodeSystem that holds an answer set's codes. */
export function codeSystemUrl(answerSet: AnswerSet, baseUrl: string): string {
  return `${trimBase(baseUrl)}/CodeSystem/${answerSet.id}`;
}

function pascal(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The project CodeSystem of one answer set. */
export function toFhirCodeSystem(answerSet: AnswerSet, baseUrl: string, version = '1.0.0'): FhirCodeSystem {
  return {
    resourceType: 'CodeSystem',
    id: answerSet.id,
    url: codeSystemUrl(answerSet, baseUrl),
    version,
    name: pascal(answerSet.id),
    title: answerSet.title,
    status: 'active',
    content: 'complete',
    caseSensitive: true,
    count: answerSet.options.length,
    concept: answerSet.options.map((option) => ({ code: option.code, display: option.text })),
  };
}

/** A questionnaire as a FHIR R4 Questionnaire. The stem is a leading `display` item. */
export function toFhirQuestionnaire(def: QuestionnaireDefinition, baseUrl: string): FhirQuestionnaire {
  const items: FhirQuestionnaireItem[] = [{ linkId: `${def.id}-stem`, text: def.stem, type: 'display' }];
  for (const item of def.items) {
    if (item.kind === 'text') {
      items.push({ linkId: item.linkId, text: item.text, type: 'text', maxLength: item.maxLength });
      continue;
    }
    const system = codeSystemUrl(item.answerSet, baseUrl);
    items.push({
      linkId: item.linkId,
      ...(item.prefix === undefined ? {} : { prefix: item.prefix }),
      text: item.text,
      type: 'choice',
      answerOption: item.answerSet.options.map((option) => ({
        valueCoding: { system, code: option.code, display: option.text },
        extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: option.value }],
      })),
    });
  }
  if (def.scoring.kind === 'sum') {
    const loinc = def.scoring.loinc;
    items.push({
      linkId: def.scoring.totalLinkId,
      text: def.scoring.totalText,
      type: 'integer',
      readOnly: true,
      ...(loinc ? { code: [{ system: LOINC_SYSTEM, code: loinc.code, display: loinc.display }] } : {}),
    });
  }
  return {
    resourceType: 'Questionnaire',
    id: def.id,
    url: questionnaireUrl(def, baseUrl),
    version: def.version,
    name: def.name,
    title: def.title,
    status: 'active',
    subjectType: ['Patient'],
    description: `${def.stem} Recall period: ${def.recallPeriod}. ${def.citation}`,
    copyright: def.licence,
    item: items,
  };
}

/** FHIR R4 `dateTime` (the regex of the R4 specification). */
export const FHIR_DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

export interface ResponseOptions {
  baseUrl: string;
  /** When the answers were given: a FHIR dateTime with time zone, e.g. `2026-03-01T09:30:00Z`. */
  authored: string;
  id?: string;
  /** e.g. `Patient/123`. */
  subject?: string;
}

/**
 * A completed QuestionnaireResponse from answers. Unanswered items are left out; the total is added as
 * the calculated item when the form is complete. Throws `CodedError('E_VALIDATION')` on invalid answers
 * or an invalid `authored`.
 */
export function buildQuestionnaireResponse(
  def: QuestionnaireDefinition,
  answers: QuestionnaireAnswers,
  options: ResponseOptions,
): FhirQuestionnaireResponse {
  if (!FHIR_DATE_TIME.test(options.authored) || !options.authored.includes('T')) {
    throw new CodedError('E_VALIDATION', `"${options.authored}" is not a date and time with a time zone.`);
  }
  const score = scoreQuestionnaire(def, answers); // validates the answers
  const item: FhirResponseItem[] = [];
  for (const question of def.items) {
    const answer = answerOf(answers, question.linkId);
    if (answer === undefined) continue;
    if (question.kind === 'text') {
      item.push({ linkId: question.linkId, text: question.text, answer: [{ valueString: answer }] });
      continue;
    }
    const option = findOption(question, answer);
    if (!option) continue; // unreachable: scoreQuestionnaire validated the answers
    item.push({
      linkId: question.linkId,
      text: question.text,
      answer: [
        {
          valueCoding: {
            system: codeSystemUrl(question.answerSet, options.baseUrl),
            code: option.code,
            display: option.text,
          },
        },
      ],
    });
  }
  if (def.scoring.kind === 'sum' && score.total !== null && !score.prorated) {
    item.push({
      linkId: def.scoring.totalLinkId,
      text: def.scoring.totalText,
      answer: [{ valueInteger: score.total }],
    });
  }
  return {
    resourceType: 'QuestionnaireResponse',
    ...(options.id === undefined ? {} : { id: options.id }),
    questionnaire: `${questionnaireUrl(def, options.baseUrl)}|${def.version}`,
    status: 'completed',
    ...(options.subject === undefined ? {} : { subject: { reference: options.subject } }),
    authored: options.authored,
    item,
  };
}

/** Every questionnaire and the CodeSystems they use, for a FHIR server or an export bundle. */
export function allFhirResources(baseUrl: string): (FhirQuestionnaire | FhirCodeSystem)[] {
  const defs = Object.values(QUESTIONNAIRES);
  const sets = new Map<string, AnswerSet>();
  for (const def of defs) {
    for (const item of def.items) if (item.kind === 'choice') sets.set(item.answerSet.id, item.answerSet);
  }
  return [
    ...defs.map((def) => toFhirQuestionnaire(def, baseUrl)),
    ...[...sets.values()].map((set) => toFhirCodeSystem(set, baseUrl)),
  ];
}

const MIN_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/maxValue';

/** Words of the rater roles in the total's form. */
const RATER_ROLE_WORDS: Record<RaterRole, string> = {
  clinician: 'A clinician',
  self: 'The person themselves',
};

/**
 * A licensed clinician scale as the FHIR R4 Questionnaire of its total: the date of the rating, who rated
 * (role and name) and the total, within the scale's range. The scale's own items are copyrighted and are
 * never part of it (measures.md section 8); the copyright element says so.
 */
export function toFhirClinicianScaleQuestionnaire(scale: ClinicianScale, baseUrl: string): FhirQuestionnaire {
  const id = `clinician-scale-${scale.id}`;
  const roleSystem = `${baseUrl.replace(/\/+$/, '')}/CodeSystem/rater-role`;
  return {
    resourceType: 'Questionnaire',
    id,
    url: `${baseUrl.replace(/\/+$/, '')}/Questionnaire/${id}`,
    version: '1.0.0',
    name: scale.abbreviation.replace(/[^A-Za-z0-9]/g, ''),
    title: `${scale.name} (${scale.abbreviation}): total`,
    status: 'active',
    subjectType: ['Patient'],
    description: `${scale.totalMeaning} Only the total a rater gave is recorded. ${scale.citation}`,
    copyright: scale.reuse,
    item: [
      { linkId: 'date', text: 'Date of the rating', type: 'date', required: true },
      {
        linkId: 'rater-role',
        text: 'Who rated',
        type: 'choice',
        required: true,
        answerOption: scale.raters.map((role) => ({
          valueCoding: { system: roleSystem, code: role, display: RATER_ROLE_WORDS[role] },
        })),
      },
      { linkId: 'rater', text: 'Name of the rater', type: 'string', maxLength: 200 },
      {
        linkId: 'total',
        text: `${scale.abbreviation} total${scale.unit ? ` (${scale.unit})` : ''}`,
        type: 'decimal',
        required: true,
        extension: [
          { url: MIN_VALUE_URL, valueDecimal: scale.min },
          { url: MAX_VALUE_URL, valueDecimal: scale.max },
        ],
      },
    ],
  };
}
