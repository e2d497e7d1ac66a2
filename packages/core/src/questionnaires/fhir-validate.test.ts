import { Fhir, type ValidatorMessage } from 'fhir';
import { describe, expect, it } from 'vitest';
import { GAD7, PGIC, PHQ9, QUESTIONNAIRES } from './definitions.js';
import {
  allFhirResources,
  buildQuestionnaireResponse,
  toFhirQuestionnaire,
  type FhirQuestionnaireResponse,
} from './fhir.js';
import { checkQuestionnaire, checkQuestionnaireResponse } from './fhir-check.js';
import { frequencyAnswers } from './test-utils/helpers.js';
import type { QuestionnaireAnswers, QuestionnaireDefinition } from './types.js';

/*
 * The exported resources checked against the official FHIR R4 structure definitions and value sets
 * (the `fhir` package's R4 definitions): element names, cardinalities, data types (id, uri, dateTime,
 * code, integer …) and required bindings such as the status codes. Unknown elements are errors.
 *
 * The package does not evaluate the FHIRPath invariants (que-*, qrs-*), cannot know whether an answer
 * fits its question (the options live in another resource), and its patterns for primitive types are
 * not anchored (an id or dateTime that merely contains a valid one passes): fhir-check.ts checks those;
 * the last tests show each catching what the other does not.
 */

const fhir = new Fhir();
const base = 'https://dystrack.example.org/fhir';
const authored = '2026-03-01T09:30:00+01:00';

/**
 * Messages that are not only the package's notes that it does not hold the example value sets
 * `questionnaire-answers` and `questionnaire-questions` (example bindings: any code is allowed).
 */
function problemsOf(resource: object): ValidatorMessage[] {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const problems = result.messages.filter(
    (m) =>
      !(
        m.severity === 'info' &&
        /^Value set "http:\/\/hl7\.org\/fhir\/ValueSet\/questionnaire-(answers|questions)" could not be found\.$/.test(
          m.message ?? '',
        )
      ),
  );
  // `valid` and the messages agree: a resource with problems is not valid
  expect(result.valid).toBe(!problems.some((m) => m.severity === 'error' || m.severity === 'fatal'));
  return problems;
}

/** Sample answers: complete, one item missing (a prorated total, left out of FHIR), and with free text. */
const SAMPLES: [string, QuestionnaireDefinition, QuestionnaireAnswers][] = [
  [
    'a complete PHQ-9 with question 9 above 0',
    PHQ9,
    { ...frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, 1]), 'phq9-difficulty': 'very-difficult' },
  ],
  ['a PHQ-9 with one question unanswered', PHQ9, frequencyAnswers('phq9', [0, 0, 1, 0, 0, 2, 0, 0, null])],
  ['a PHQ-9 with a single answer (no total)', PHQ9, frequencyAnswers('phq9', [3])],
  [
    'a complete GAD-7',
    GAD7,
    { ...frequencyAnswers('gad7', [3, 3, 3, 3, 3, 3, 3]), 'gad7-difficulty': 'extremely-difficult' },
  ],
  [
    'a PGIC with the person’s own words',
    PGIC,
    {
      'pgic-overall': 'a-little-worse',
      'pgic-task': 'no-change',
      'pgic-task-words': 'Cramps "earlier" & <more>.',
    },
  ],
  ['a PGIC with the overall question only', PGIC, { 'pgic-overall': 'very-much-better' }],
];

describe('FHIR R4 validation with the official definitions', () => {
  it.each(Object.values(QUESTIONNAIRES).map((def) => [def.id, def] as const))(
    'the %s Questionnaire is valid R4',
    (_id, def) => {
      const q = toFhirQuestionnaire(def, base);
      expect(problemsOf(q)).toEqual([]);
    },
  );

  it('every exported resource (Questionnaires and answer CodeSystems) is valid R4', () => {
    const resources = allFhirResources(base);
    expect(resources.map((r) => r.resourceType).sort()).toEqual([
      'CodeSystem',
      'CodeSystem',
      'CodeSystem',
      'Questionnaire',
      'Questionnaire',
      'Questionnaire',
    ]);
    for (const resource of resources) expect(problemsOf(resource), resource.id).toEqual([]);
  });

  it.each(SAMPLES)(
    'the QuestionnaireResponse of %s is valid R4 and fits its Questionnaire',
    (_n, def, answers) => {
      const response = buildQuestionnaireResponse(def, answers, {
        baseUrl: base,
        authored,
        id: 'response-1',
        subject: 'Patient/p1',
      });
      expect(problemsOf(response)).toEqual([]);
      expect(checkQuestionnaireResponse(toFhirQuestionnaire(def, base), response)).toEqual([]);
    },
  );

  it('reports what breaks R4: a status outside its value set, a time that is no dateTime, an unknown element', () => {
    const good = buildQuestionnaireResponse(GAD7, frequencyAnswers('gad7', [0, 1, 2, 3, 0, 1, 2]), {
      baseUrl: base,
      authored,
    });
    const broken = { ...good, status: 'done', authored: 'yesterday', score: 9 };
    expect(problemsOf(broken).map((m) => [m.location, m.severity])).toEqual([
      ['QuestionnaireResponse.status', 'error'],
      ['QuestionnaireResponse.authored', 'error'],
      ['QuestionnaireResponse.score', 'error'],
    ]);
  });

  it('lets through ids and dateTimes that only contain a valid one (its patterns are not anchored): fhir-check.ts does not', () => {
    const q = { ...toFhirQuestionnaire(PGIC, base), id: 'not an id!' };
    expect(problemsOf(q)).toEqual([]);
    expect(checkQuestionnaire(q)).toEqual(['id "not an id!" is not a FHIR id']);

    const response = buildQuestionnaireResponse(
      PGIC,
      { 'pgic-overall': 'no-change' },
      { baseUrl: base, authored },
    );
    const misdated = { ...response, authored: '1 March 2026' };
    expect(problemsOf(misdated)).toEqual([]);
    expect(checkQuestionnaireResponse(toFhirQuestionnaire(PGIC, base), misdated)).toEqual([
      'authored "1 March 2026" is not a FHIR dateTime',
    ]);
  });

  it('does not see invariants or answers outside the options: fhir-check.ts does', () => {
    const q = toFhirQuestionnaire(GAD7, base);
    // que-2: linkIds are unique
    const duplicated = { ...q, item: [...q.item, q.item[1]!] };
    expect(problemsOf(duplicated)).toEqual([]);
    expect(checkQuestionnaire(duplicated)).toEqual(['linkId "gad7-1" is not unique (que-2)']);

    const good = buildQuestionnaireResponse(GAD7, frequencyAnswers('gad7', [0, 1, 2, 3, 0, 1, 2]), {
      baseUrl: base,
      authored,
    });
    const system = `${base}/CodeSystem/phq-frequency`;
    const wrong: FhirQuestionnaireResponse = {
      ...good,
      item: [
        { linkId: 'gad7-1', answer: [{ valueCoding: { system, code: 'often' } }] },
        { linkId: 'gad7-2', answer: [{ valueInteger: 1 }, { valueInteger: 2 }] },
        { linkId: 'gad7-42', answer: [{ valueInteger: 1 }] },
      ],
    };
    expect(problemsOf(wrong)).toEqual([]);
    expect(checkQuestionnaireResponse(q, wrong)).toEqual([
      'item gad7-1: answer often is not one of the answerOptions',
      'item gad7-2: more than one answer (qrs-2)',
      'item gad7-2: a choice answer must be a valueCoding',
      'item gad7-2: a choice answer must be a valueCoding',
      'item gad7-42 is not in the questionnaire',
    ]);
  });
});
