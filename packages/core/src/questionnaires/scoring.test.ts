import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors/catalogue.js';
import { GAD7, PGIC, PHQ9 } from './definitions.js';
import { bandOf, scoreQuestionnaire, validateAnswers } from './scoring.js';
import { frequencyAnswers } from './test-utils/helpers.js';

describe('scoreQuestionnaire: PHQ-9', () => {
  it('sums a complete form: 1+2+1+0+3+2+1+0+0 = 10, moderate', () => {
    const result = scoreQuestionnaire(PHQ9, frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, 0]));
    expect(result.total).toBe(10);
    expect(result.band?.id).toBe('moderate');
    expect(result.prorated).toBe(false);
    expect(result.missing).toEqual([]);
    expect(result.noTotalReason).toBeNull();
  });

  it('does not count the functional-difficulty item', () => {
    const answers = {
      ...frequencyAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]),
      'phq9-difficulty': 'extremely-difficult',
    };
    expect(scoreQuestionnaire(PHQ9, answers).total).toBe(0);
  });

  it.each([
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('puts a total of %i in band %s', (total, band) => {
    // Spread the total over the items: 3s first, then the remainder.
    const values = Array.from({ length: 9 }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
    const result = scoreQuestionnaire(PHQ9, frequencyAnswers('phq9', values));
    expect(result.total).toBe(total);
    expect(result.band?.id).toBe(band);
  });

  it('prorates one missing item: 10 over 8 answers → round(11.25) = 11', () => {
    const result = scoreQuestionnaire(PHQ9, frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, null]));
    expect(result.total).toBe(11);
    expect(result.prorated).toBe(true);
    expect(result.missing).toEqual(['phq9-9']);
    expect(result.band?.id).toBe('moderate');
  });

  it('rounds a prorated half up: 4 over 8 answers → 4.5 → 5 (mild)', () => {
    const result = scoreQuestionnaire(PHQ9, frequencyAnswers('phq9', [null, 1, 1, 1, 1, 0, 0, 0, 0]));
    expect(result.total).toBe(5);
    expect(result.band?.id).toBe('mild');
  });

  it('gives no total with two items missing, and says why', () => {
    const result = scoreQuestionnaire(PHQ9, frequencyAnswers('phq9', [3, 3, 3, 3, 3, 3, 3, null, null]));
    expect(result.total).toBeNull();
    expect(result.band).toBeNull();
    expect(result.missing).toEqual(['phq9-8', 'phq9-9']);
    expect(result.noTotalReason).toBe(
      '2 of 9 questions were not answered; a total needs at least 8 answers.',
    );
  });

  it('treats null, undefined and blank answers as unanswered', () => {
    const answers = {
      ...frequencyAnswers('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 1]),
      'phq9-1': null,
      'phq9-2': '  ',
    };
    const result = scoreQuestionnaire(PHQ9, answers);
    expect(result.missing).toEqual(['phq9-1', 'phq9-2']);
    expect(result.total).toBeNull();
  });

  it('rejects unknown items and options with E_VALIDATION and the issues', () => {
    const answers = {
      ...frequencyAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]),
      'phq9-3': 'often',
      'phq9-99': 'x',
    };
    expect(validateAnswers(PHQ9, answers).map((i) => [i.linkId, i.code])).toEqual([
      ['phq9-3', 'unknown-option'],
      ['phq9-99', 'unknown-item'],
    ]);
    let error: unknown;
    try {
      scoreQuestionnaire(PHQ9, answers);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('E_VALIDATION');
    expect((error as CodedError).message).toBe(
      '"often" is not one of the answers to question 3. Patient Health Questionnaire (PHQ-9) has no question "phq9-99".',
    );
  });
});

describe('scoreQuestionnaire: GAD-7', () => {
  it('sums 7 items: all "nearly every day" = 21, severe', () => {
    const result = scoreQuestionnaire(GAD7, frequencyAnswers('gad7', [3, 3, 3, 3, 3, 3, 3]));
    expect([result.total, result.band?.id, result.max]).toEqual([21, 'severe', 21]);
  });

  it('puts 14 in moderate and 15 in severe', () => {
    expect(scoreQuestionnaire(GAD7, frequencyAnswers('gad7', [2, 2, 2, 2, 2, 2, 2])).band?.id).toBe(
      'moderate',
    );
    expect(scoreQuestionnaire(GAD7, frequencyAnswers('gad7', [3, 2, 2, 2, 2, 2, 2])).band?.id).toBe('severe');
  });

  it('prorates one missing item: 9 over 6 answers → 10.5 → 11', () => {
    const result = scoreQuestionnaire(GAD7, frequencyAnswers('gad7', [2, 2, 2, 1, 1, 1, null]));
    expect([result.total, result.prorated, result.band?.id]).toEqual([11, true, 'moderate']);
  });
});

describe('scoreQuestionnaire: PGIC', () => {
  it('scores the overall item: "a little better" = 3, band better', () => {
    const result = scoreQuestionnaire(PGIC, { 'pgic-overall': 'a-little-better', 'pgic-task': 'much-worse' });
    expect([result.total, result.band?.id, result.min, result.max]).toEqual([3, 'better', 1, 7]);
  });

  it('has no score when the overall item is unanswered', () => {
    const result = scoreQuestionnaire(PGIC, { 'pgic-task': 'no-change' });
    expect(result.total).toBeNull();
    expect(result.missing).toEqual(['pgic-overall']);
  });

  it('rejects free text longer than the limit', () => {
    expect(validateAnswers(PGIC, { 'pgic-task-words': 'x'.repeat(2001) })[0]?.code).toBe('text-too-long');
    expect(validateAnswers(PGIC, { 'pgic-task-words': 'x'.repeat(2000) })).toEqual([]);
  });
});

describe('bandOf', () => {
  it('returns null outside every band', () => {
    expect(bandOf(PHQ9.scoring.bands, 28)).toBeNull();
    expect(bandOf(PHQ9.scoring.bands, -1)).toBeNull();
  });
});
