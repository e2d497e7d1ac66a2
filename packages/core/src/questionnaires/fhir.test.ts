import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors/catalogue.js';
import { GAD7, PGIC, PHQ9, QUESTIONNAIRES } from './definitions.js';
import {
  FHIR_DATE_TIME,
  allFhirResources,
  buildQuestionnaireResponse,
  toFhirCodeSystem,
  toFhirQuestionnaire,
} from './fhir.js';
import type { FhirQuestionnaireResponse } from './fhir.js';
import { checkQuestionnaire, checkQuestionnaireResponse } from './fhir-check.js';
import { frequencyAnswers } from './test-utils/helpers.js';

const base = 'https://dystrack.example.org/fhir/';
const authored = '2026-03-01T09:30:00+01:00';

describe('toFhirQuestionnaire', () => {
  it('builds a structurally valid R4 Questionnaire for every questionnaire', () => {
    for (const def of Object.values(QUESTIONNAIRES)) {
      expect(checkQuestionnaire(toFhirQuestionnaire(def, base))).toEqual([]);
    }
  });

  it('gives PHQ-9 its url, version, stem, 10 choice items and the LOINC-coded total', () => {
    const q = toFhirQuestionnaire(PHQ9, base);
    expect(q.url).toBe('https://dystrack.example.org/fhir/Questionnaire/phq-9');
    expect(q.version).toBe('1.0.0');
    expect(q.status).toBe('active');
    expect(q.item.map((i) => i.type)).toEqual(['display', ...Array(10).fill('choice'), 'integer']);
    expect(q.item[1]).toEqual({
      linkId: 'phq9-1',
      prefix: '1',
      text: 'Little interest or pleasure in doing things',
      type: 'choice',
      answerOption: [
        ['not-at-all', 'Not at all', 0],
        ['several-days', 'Several days', 1],
        ['more-than-half-the-days', 'More than half the days', 2],
        ['nearly-every-day', 'Nearly every day', 3],
      ].map(([code, display, value]) => ({
        valueCoding: { system: 'https://dystrack.example.org/fhir/CodeSystem/phq-frequency', code, display },
        extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: value }],
      })),
    });
    expect(q.item.at(-1)).toEqual({
      linkId: 'phq9-total',
      text: 'PHQ-9 total score',
      type: 'integer',
      readOnly: true,
      code: [
        {
          system: 'http://loinc.org',
          code: '44261-6',
          display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
        },
      ],
    });
  });

  it('codes the GAD-7 total 70274-6 and gives the PGIC no total item', () => {
    expect(toFhirQuestionnaire(GAD7, base).item.at(-1)?.code?.[0]?.code).toBe('70274-6');
    expect(toFhirQuestionnaire(PGIC, base).item.map((i) => i.type)).toEqual([
      'display',
      'choice',
      'choice',
      'text',
    ]);
  });

  it('uses only the two checked LOINC codes anywhere in the exported resources', () => {
    const loinc = [
      ...JSON.stringify(allFhirResources(base)).matchAll(/"system":"http:\/\/loinc\.org","code":"([^"]+)"/g),
    ];
    expect(loinc.map((m) => m[1]).sort()).toEqual(['44261-6', '70274-6']);
  });

  it('exports each answer set once as a complete CodeSystem', () => {
    const systems = allFhirResources(base).filter((r) => r.resourceType === 'CodeSystem');
    expect(systems.map((s) => s.url)).toEqual([
      'https://dystrack.example.org/fhir/CodeSystem/phq-frequency',
      'https://dystrack.example.org/fhir/CodeSystem/phq-difficulty',
      'https://dystrack.example.org/fhir/CodeSystem/pgic-change',
    ]);
    const pgic = toFhirCodeSystem(PGIC.items[0]!.kind === 'choice' ? PGIC.items[0].answerSet : never(), base);
    expect(pgic.count).toBe(7);
    expect(pgic.concept[6]).toEqual({ code: 'very-much-worse', display: 'Very much worse' });
  });

  it('refuses a base that is not an http(s) URL', () => {
    expect(() => toFhirQuestionnaire(PHQ9, 'dystrack.example.org')).toThrow(TypeError);
  });
});

function never(): never {
  throw new Error('unreachable');
}

describe('buildQuestionnaireResponse', () => {
  const answers = {
    ...frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, 0]),
    'phq9-difficulty': 'somewhat-difficult',
  };

  it('builds a completed response whose answers match the options, with the total 10 as an item', () => {
    const r = buildQuestionnaireResponse(PHQ9, answers, { baseUrl: base, authored, subject: 'Patient/p1' });
    expect(r.resourceType).toBe('QuestionnaireResponse');
    expect(r.status).toBe('completed');
    expect(r.questionnaire).toBe('https://dystrack.example.org/fhir/Questionnaire/phq-9|1.0.0');
    expect(r.subject).toEqual({ reference: 'Patient/p1' });
    expect(r.authored).toBe(authored);
    expect(r.item).toHaveLength(11);
    expect(r.item[4]).toEqual({
      linkId: 'phq9-5',
      text: 'Poor appetite or overeating',
      answer: [
        {
          valueCoding: {
            system: 'https://dystrack.example.org/fhir/CodeSystem/phq-frequency',
            code: 'nearly-every-day',
            display: 'Nearly every day',
          },
        },
      ],
    });
    expect(r.item.at(-1)).toEqual({
      linkId: 'phq9-total',
      text: 'PHQ-9 total score',
      answer: [{ valueInteger: 10 }],
    });
    expect(checkQuestionnaireResponse(toFhirQuestionnaire(PHQ9, base), r)).toEqual([]);
  });

  it('leaves out unanswered items and a prorated total', () => {
    const partial = frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, null]);
    const r = buildQuestionnaireResponse(PHQ9, partial, { baseUrl: base, authored });
    expect(r.item.map((i) => i.linkId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `phq9-${n}`));
    expect(checkQuestionnaireResponse(toFhirQuestionnaire(PHQ9, base), r)).toEqual([]);
  });

  it('puts PGIC free text in valueString', () => {
    const r = buildQuestionnaireResponse(
      PGIC,
      { 'pgic-overall': 'much-better', 'pgic-task': 'a-little-better', 'pgic-task-words': 'Fewer cramps.' },
      { baseUrl: base, authored: '2026-03-01T08:00:00Z' },
    );
    expect(r.item.at(-1)?.answer).toEqual([{ valueString: 'Fewer cramps.' }]);
    expect(checkQuestionnaireResponse(toFhirQuestionnaire(PGIC, base), r)).toEqual([]);
  });

  it('refuses an authored time without a time zone, and invalid answers', () => {
    expect(() =>
      buildQuestionnaireResponse(PHQ9, answers, { baseUrl: base, authored: '2026-03-01' }),
    ).toThrow(CodedError);
    expect(() =>
      buildQuestionnaireResponse(PHQ9, { 'phq9-1': 'often' }, { baseUrl: base, authored }),
    ).toThrow(CodedError);
  });
});

describe('checkQuestionnaireResponse finds broken structures', () => {
  const q = toFhirQuestionnaire(GAD7, base);
  const good = buildQuestionnaireResponse(GAD7, frequencyAnswers('gad7', [0, 1, 2, 3, 0, 1, 2]), {
    baseUrl: base,
    authored,
  });

  it('accepts the good response (total 9)', () => {
    expect(good.item.at(-1)?.answer).toEqual([{ valueInteger: 9 }]);
    expect(checkQuestionnaireResponse(q, good)).toEqual([]);
  });

  it('reports unknown linkIds, codes outside the options, two answers, bad status and authored', () => {
    const bad: FhirQuestionnaireResponse = {
      ...good,
      status: 'done' as FhirQuestionnaireResponse['status'],
      authored: '1 March 2026',
      item: [
        { linkId: 'gad7-99', answer: [{ valueInteger: 1 }] },
        {
          linkId: 'gad7-1',
          answer: [
            {
              valueCoding: {
                system: 'https://dystrack.example.org/fhir/CodeSystem/phq-frequency',
                code: 'often',
              },
            },
          ],
        },
        { linkId: 'gad7-2', answer: [{ valueInteger: 1 }, { valueInteger: 2 }] },
        { linkId: 'gad7-total', answer: [{ valueInteger: 2.5 }] },
      ],
    };
    expect(checkQuestionnaireResponse(q, bad)).toEqual([
      'status "done" is not a response status',
      'authored "1 March 2026" is not a FHIR dateTime',
      'item gad7-99 is not in the questionnaire',
      'item gad7-1: answer often is not one of the answerOptions',
      'item gad7-2: more than one answer (qrs-2)',
      'item gad7-2: a choice answer must be a valueCoding',
      'item gad7-2: a choice answer must be a valueCoding',
      'item gad7-total: an integer answer must be a whole valueInteger',
    ]);
  });

  it('reports duplicate linkIds and choice items without options in a questionnaire', () => {
    const broken = { ...q, item: [...q.item, { ...q.item[1]!, answerOption: [] }] };
    expect(checkQuestionnaire(broken)).toEqual([
      'linkId "gad7-1" is not unique (que-2)',
      'item gad7-1: a choice item needs answerOption',
    ]);
  });

  it('uses the R4 dateTime pattern', () => {
    expect(FHIR_DATE_TIME.test('2026-03-01T09:30:00Z')).toBe(true);
    expect(FHIR_DATE_TIME.test('2026-13-01')).toBe(false);
    expect(FHIR_DATE_TIME.test('2026-03-01T09:30Z')).toBe(false);
  });
});
