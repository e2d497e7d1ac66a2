/**
 * Questionnaires as data. A definition holds everything the UI, the scorer, the summary and the FHIR
 * export need: item wording, answer options with their values, the recall period and the scoring rule.
 */

/** One answer a person can choose. `code` is stable (stored, exported to FHIR); `value` is what is scored. */
export interface AnswerOption {
  readonly code: string;
  readonly text: string;
  readonly value: number;
}

/** A reusable list of answer options. Its id names the project CodeSystem that holds the codes in FHIR. */
export interface AnswerSet {
  readonly id: string;
  readonly title: string;
  readonly options: readonly AnswerOption[];
}

/** An item answered by choosing one option. */
export interface ChoiceItem {
  readonly kind: 'choice';
  readonly linkId: string;
  /** Item number as printed on the instrument ("1" … "9"), if it has one. */
  readonly prefix?: string;
  readonly text: string;
  readonly answerSet: AnswerSet;
}

/** An item answered in the person's own words. Never scored. */
export interface TextItem {
  readonly kind: 'text';
  readonly linkId: string;
  readonly text: string;
  readonly maxLength: number;
}

export type QuestionnaireItem = ChoiceItem | TextItem;

/** A score range with a name and a plain-words meaning that never diagnoses. */
export interface ScoreBand {
  readonly id: string;
  readonly label: string;
  /** Inclusive bounds. */
  readonly min: number;
  readonly max: number;
  readonly meaning: string;
}

/** A LOINC code, with a note saying where it was checked. Only codes we are sure of are given. */
export interface LoincCode {
  readonly code: string;
  readonly display: string;
  readonly checked: string;
}

/** The total is the sum of the values of `items`. */
export interface SumScoring {
  readonly kind: 'sum';
  /** linkId of the calculated total item in FHIR. */
  readonly totalLinkId: string;
  readonly totalText: string;
  readonly items: readonly string[];
  readonly min: number;
  readonly max: number;
  /**
   * How many of `items` may be unanswered for a total to be given. With 1 ≤ missing ≤ maxMissing the
   * total is prorated: round(sum · items / answered), half up, and marked as prorated.
   */
  readonly maxMissing: number;
  /** Where the missing-answer rule comes from (citation or "project decision"). */
  readonly missingRule: string;
  readonly bands: readonly ScoreBand[];
  readonly loinc?: LoincCode;
}

/** The score is the value of one item (for example a global impression of change). */
export interface SingleItemScoring {
  readonly kind: 'single';
  readonly item: string;
  readonly bands: readonly ScoreBand[];
}

export type Scoring = SumScoring | SingleItemScoring;

export interface QuestionnaireDefinition {
  /** Stable id, used in URLs and storage: `phq-9`, `gad-7`, `pgic`. */
  readonly id: string;
  /** Version of this definition (wording, options, scoring). Change it when any of them change. */
  readonly version: string;
  readonly title: string;
  /** Short name for lists and FHIR `name` (letters and digits only). */
  readonly name: string;
  /** The question stem shown above the items, which also states the recall period. */
  readonly stem: string;
  /** The recall period in plain words, e.g. "the last 2 weeks". */
  readonly recallPeriod: string;
  /** Who may reproduce the wording, and on what terms. */
  readonly licence: string;
  readonly citation: string;
  readonly items: readonly QuestionnaireItem[];
  readonly scoring: Scoring;
  /** A sentence shown with every result: what the score is and is not. */
  readonly resultNote: string;
}

/**
 * Answers as given: linkId → option code (choice items) or the person's text (text items).
 * An absent key, `undefined` or `null` means unanswered.
 */
export type QuestionnaireAnswers = Readonly<Record<string, string | null | undefined>>;
