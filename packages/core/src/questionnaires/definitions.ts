import type { AnswerSet, ChoiceItem, QuestionnaireDefinition, ScoreBand } from './types.js';

/**
 * PHQ-9, GAD-7 and a patient global impression of change (PGIC).
 *
 * PHQ-9 and GAD-7 wording is the published English wording of the instruments (Pfizer), which may be
 * reproduced, translated, displayed and distributed without permission (measures.md section 8; the
 * notice is kept in `licence` and exported as FHIR `copyright`). The PGIC wording is the project's own.
 */

/** Frequency options shared by PHQ-9 and GAD-7 items. */
export const PHQ_FREQUENCY: AnswerSet = {
  id: 'phq-frequency',
  title: 'How often (PHQ-9, GAD-7)',
  options: [
    { code: 'not-at-all', text: 'Not at all', value: 0 },
    { code: 'several-days', text: 'Several days', value: 1 },
    { code: 'more-than-half-the-days', text: 'More than half the days', value: 2 },
    { code: 'nearly-every-day', text: 'Nearly every day', value: 3 },
  ],
};

/** Options of the unscored functional-difficulty item that closes PHQ-9 and GAD-7. */
export const PHQ_DIFFICULTY: AnswerSet = {
  id: 'phq-difficulty',
  title: 'How difficult (PHQ-9, GAD-7)',
  options: [
    { code: 'not-difficult-at-all', text: 'Not difficult at all', value: 0 },
    { code: 'somewhat-difficult', text: 'Somewhat difficult', value: 1 },
    { code: 'very-difficult', text: 'Very difficult', value: 2 },
    { code: 'extremely-difficult', text: 'Extremely difficult', value: 3 },
  ],
};

/** The 7 points of the PGIC, in the project's own wording: 1 = very much better … 7 = very much worse. */
export const PGIC_CHANGE: AnswerSet = {
  id: 'pgic-change',
  title: 'Change since the reference point (PGIC)',
  options: [
    { code: 'very-much-better', text: 'Very much better', value: 1 },
    { code: 'much-better', text: 'Much better', value: 2 },
    { code: 'a-little-better', text: 'A little better', value: 3 },
    { code: 'no-change', text: 'No change', value: 4 },
    { code: 'a-little-worse', text: 'A little worse', value: 5 },
    { code: 'much-worse', text: 'Much worse', value: 6 },
    { code: 'very-much-worse', text: 'Very much worse', value: 7 },
  ],
};

/** Every answer set, by id (one project CodeSystem each in FHIR). */
export const ANSWER_SETS: Readonly<Record<string, AnswerSet>> = {
  [PHQ_FREQUENCY.id]: PHQ_FREQUENCY,
  [PHQ_DIFFICULTY.id]: PHQ_DIFFICULTY,
  [PGIC_CHANGE.id]: PGIC_CHANGE,
};

function frequencyItems(prefix: string, texts: readonly string[]): ChoiceItem[] {
  return texts.map((text, i) => ({
    kind: 'choice',
    linkId: `${prefix}-${i + 1}`,
    prefix: String(i + 1),
    text,
    answerSet: PHQ_FREQUENCY,
  }));
}

// The missing-answer rule of PHQ-9 and GAD-7. measures.md gives none; the PHQ instructions as summarised
// in the sources we could reach give none either.
const PHQ_MISSING_RULE =
  'Project decision: a total is given when at most one scored item is unanswered; the missing item is ' +
  'replaced by the mean of the answered items (total = round(sum × items / answered), half up) and the ' +
  'total is marked as prorated. With more unanswered items no total is given. Published practice is ' +
  'more lenient: Arrieta et al. 2017 (J Clin Psychol, doi:10.1002/jclp.22390) scored PHQ-9 forms with up ' +
  'to two missing items by the same mean substitution (as summarised by the qscorer R package; the full ' +
  'text was not checked).';

const NOT_A_DIAGNOSIS =
  'A score is not a diagnosis: only a doctor or another qualified professional can say what it means for you.';

const PHQ9_ITEMS = frequencyItems('phq9', [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety ' +
    'or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
]);

/** linkId of PHQ-9 item 9 (thoughts of being better off dead or of self-harm). */
export const PHQ9_ITEM9_LINK_ID = 'phq9-9';

const PHQ9_BANDS: readonly ScoreBand[] = [
  {
    id: 'minimal',
    label: 'Minimal',
    min: 0,
    max: 4,
    meaning: 'Few or none of these problems bothered you in the last 2 weeks.',
  },
  {
    id: 'mild',
    label: 'Mild',
    min: 5,
    max: 9,
    meaning:
      'Some of these problems bothered you on some days. The questionnaire’s authors call this range mild.',
  },
  {
    id: 'moderate',
    label: 'Moderate',
    min: 10,
    max: 14,
    meaning:
      'Several of these problems bothered you often. The questionnaire’s authors call this range moderate. ' +
      'You may want to talk about these answers with your doctor.',
  },
  {
    id: 'moderately-severe',
    label: 'Moderately severe',
    min: 15,
    max: 19,
    meaning:
      'Many of these problems bothered you on most days. The questionnaire’s authors call this range ' +
      'moderately severe. Please talk about these answers with your doctor.',
  },
  {
    id: 'severe',
    label: 'Severe',
    min: 20,
    max: 27,
    meaning:
      'Most of these problems bothered you nearly every day. The questionnaire’s authors call this range ' +
      'severe. Please talk about these answers with your doctor soon.',
  },
];

export const PHQ9: QuestionnaireDefinition = {
  id: 'phq-9',
  version: '1.0.0',
  title: 'Patient Health Questionnaire (PHQ-9)',
  name: 'PHQ9',
  stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  recallPeriod: 'the last 2 weeks',
  licence:
    'PHQ-9 © Pfizer Inc. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and ' +
    'colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, ' +
    'translate, display or distribute.',
  citation:
    'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. ' +
    'J Gen Intern Med 2001;16(9):606–613.',
  items: [
    ...PHQ9_ITEMS,
    {
      kind: 'choice',
      linkId: 'phq9-difficulty',
      text:
        'If you checked off any problems, how difficult have these problems made it for you to do your ' +
        'work, take care of things at home, or get along with other people?',
      answerSet: PHQ_DIFFICULTY,
    },
  ],
  scoring: {
    kind: 'sum',
    totalLinkId: 'phq9-total',
    totalText: 'PHQ-9 total score',
    items: PHQ9_ITEMS.map((item) => item.linkId),
    min: 0,
    max: 27,
    maxMissing: 1,
    missingRule: PHQ_MISSING_RULE,
    bands: PHQ9_BANDS,
    // Checked: LOINC 44261-6 is "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
    // (HL7 US Core example Observation-PHQ9-item-example-44261-6, MII PRO PHQ-9 questionnaire).
    loinc: {
      code: '44261-6',
      display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
      checked: 'HL7 US Core PHQ-9 example Observation; MII PRO PHQ-9 Questionnaire',
    },
  },
  resultNote: `The PHQ-9 measures how often these problems bothered you in the last 2 weeks. ${NOT_A_DIAGNOSIS}`,
};

const GAD7_ITEMS = frequencyItems('gad7', [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
]);

export const GAD7: QuestionnaireDefinition = {
  id: 'gad-7',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder questionnaire (GAD-7)',
  name: 'GAD7',
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  recallPeriod: 'the last 2 weeks',
  licence:
    'GAD-7 © Pfizer Inc. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke, Bernd ' +
    'Löwe and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, ' +
    'translate, display or distribute.',
  citation:
    'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety ' +
    'disorder: the GAD-7. Arch Intern Med 2006;166(10):1092–1097.',
  items: [
    ...GAD7_ITEMS,
    {
      kind: 'choice',
      linkId: 'gad7-difficulty',
      text:
        'If you checked off any problems, how difficult have these problems made it for you to do your ' +
        'work, take care of things at home, or get along with other people?',
      answerSet: PHQ_DIFFICULTY,
    },
  ],
  scoring: {
    kind: 'sum',
    totalLinkId: 'gad7-total',
    totalText: 'GAD-7 total score',
    items: GAD7_ITEMS.map((item) => item.linkId),
    min: 0,
    max: 21,
    maxMissing: 1,
    missingRule:
      'The same project decision as for PHQ-9 (no published GAD-7 rule was found in the sources we could ' +
      'reach): ' +
      PHQ_MISSING_RULE.slice('Project decision: '.length),
    bands: [
      {
        id: 'minimal',
        label: 'Minimal',
        min: 0,
        max: 4,
        meaning: 'Few or none of these problems bothered you in the last 2 weeks.',
      },
      {
        id: 'mild',
        label: 'Mild',
        min: 5,
        max: 9,
        meaning:
          'Some of these problems bothered you on some days. The questionnaire’s authors call this range mild.',
      },
      {
        id: 'moderate',
        label: 'Moderate',
        min: 10,
        max: 14,
        meaning:
          'Several of these problems bothered you often. The questionnaire’s authors call this range ' +
          'moderate. You may want to talk about these answers with your doctor.',
      },
      {
        id: 'severe',
        label: 'Severe',
        min: 15,
        max: 21,
        meaning:
          'Many of these problems bothered you on most days. The questionnaire’s authors call this range ' +
          'severe. Please talk about these answers with your doctor.',
      },
    ],
    // Checked: LOINC 70274-6 is "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
    // (MII PRO GAD-7 questionnaire, total-score item).
    loinc: {
      code: '70274-6',
      display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
      checked: 'MII PRO GAD-7 Questionnaire (total-score item)',
    },
  },
  resultNote: `The GAD-7 measures how often these problems bothered you in the last 2 weeks. ${NOT_A_DIAGNOSIS}`,
};

export const PGIC: QuestionnaireDefinition = {
  id: 'pgic',
  version: '1.0.0',
  title: 'How has your hand changed? (patient global impression of change)',
  name: 'PGIC',
  stem:
    'Compare how your hand is now with how it was at the reference point shown with these questions ' +
    '(for example your last injection, the start of a therapy, or when you started tracking).',
  recallPeriod: 'since the reference point shown with the questions',
  licence:
    'Dystrack’s own wording, free to use under the project licence. The 7-point format follows the ' +
    'global impression of change derived from the CGI-I (Guy 1976, a US-government publication generally ' +
    'treated as public domain); no published PGIC wording is reproduced.',
  citation:
    'Guy W. ECDEU Assessment Manual for Psychopharmacology. Rockville, MD: US Department of Health, ' +
    'Education, and Welfare (NIMH); 1976 (Clinical Global Impression, improvement item).',
  items: [
    {
      kind: 'choice',
      linkId: 'pgic-overall',
      text: 'Overall, how would you describe your hand now, compared with the reference point?',
      answerSet: PGIC_CHANGE,
    },
    {
      kind: 'choice',
      linkId: 'pgic-task',
      text:
        'And when you do the task that is affected most (for example writing, playing your instrument or ' +
        'typing), how would you describe the change?',
      answerSet: PGIC_CHANGE,
    },
    {
      kind: 'text',
      linkId: 'pgic-task-words',
      text: 'In your own words, what has changed for that task? (optional)',
      maxLength: 2000,
    },
  ],
  scoring: {
    kind: 'single',
    item: 'pgic-overall',
    bands: [
      {
        id: 'better',
        label: 'Better',
        min: 1,
        max: 3,
        meaning: 'You described your hand as better than at the reference point.',
      },
      {
        id: 'no-change',
        label: 'No change',
        min: 4,
        max: 4,
        meaning: 'You described your hand as about the same as at the reference point.',
      },
      {
        id: 'worse',
        label: 'Worse',
        min: 5,
        max: 7,
        meaning:
          'You described your hand as worse than at the reference point. If it keeps changing, or you ' +
          'are not sure why, please tell your doctor.',
      },
    ],
  },
  resultNote:
    'This is your own impression of change. Dystrack shows it next to the measured change of your tasks; ' +
    'it is not a diagnosis.',
};

/** Every questionnaire, by id. */
export const QUESTIONNAIRES: Readonly<Record<string, QuestionnaireDefinition>> = {
  [PHQ9.id]: PHQ9,
  [GAD7.id]: GAD7,
  [PGIC.id]: PGIC,
};

/** The questionnaire with this id, or undefined. */
export function getQuestionnaire(id: string): QuestionnaireDefinition | undefined {
  return Object.hasOwn(QUESTIONNAIRES, id) ? QUESTIONNAIRES[id] : undefined;
}
