import { describe, expect, it } from 'vitest';
import { GAD7, PGIC, PHQ9 } from './definitions.js';
import { summarizeQuestionnaire, summaryToText } from './summary.js';
import { frequencyAnswers } from './test-utils/helpers.js';

describe('summarizeQuestionnaire', () => {
  it('shows each PHQ-9 answer text, the total of 27, the band and its meaning', () => {
    const answers = {
      ...frequencyAnswers('phq9', [1, 2, 1, 0, 3, 2, 1, 0, 0]),
      'phq9-difficulty': 'very-difficult',
    };
    const summary = summarizeQuestionnaire(PHQ9, answers);
    expect(summary.items.map((i) => i.answer)).toEqual([
      'Several days',
      'More than half the days',
      'Several days',
      'Not at all',
      'Nearly every day',
      'More than half the days',
      'Several days',
      'Not at all',
      'Not at all',
      'Very difficult',
    ]);
    expect(summary.headline).toBe('Total 10 of 27 (moderate)');
    expect(summary.meaning).toBe(
      'Several of these problems bothered you often. The questionnaire’s authors call this range moderate. ' +
        'You may want to talk about these answers with your doctor.',
    );
    expect(summary.note).toContain('not a diagnosis');
  });

  it('says when a total is estimated, and why there is none', () => {
    const prorated = summarizeQuestionnaire(GAD7, frequencyAnswers('gad7', [2, 2, 2, 1, 1, 1, null]));
    expect(prorated.headline).toBe('Total 11 of 21 (moderate), estimated from 6 of 7 answers');
    expect(prorated.items[6]?.answer).toBeNull();
    const none = summarizeQuestionnaire(GAD7, frequencyAnswers('gad7', [2, 2, 2, 1, 1, null, null]));
    expect(none.headline).toBe('No total');
    expect(none.meaning).toBe('2 of 7 questions were not answered; a total needs at least 6 answers.');
  });

  it('summarises the PGIC by the overall answer and keeps the person’s words', () => {
    const summary = summarizeQuestionnaire(PGIC, {
      'pgic-overall': 'a-little-worse',
      'pgic-task': 'much-worse',
      'pgic-task-words': 'Letters get smaller after a line.',
    });
    expect(summary.headline).toBe('Overall: A little worse');
    expect(summary.items.map((i) => i.answer)).toEqual([
      'A little worse',
      'Much worse',
      'Letters get smaller after a line.',
    ]);
    expect(summary.score.band?.id).toBe('worse');
  });

  it('renders plain text with numbered questions and "(not answered)"', () => {
    const text = summaryToText(
      summarizeQuestionnaire(GAD7, frequencyAnswers('gad7', [0, 0, 0, 0, 0, 0, null])),
    );
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Generalized Anxiety Disorder questionnaire (GAD-7)',
      '',
      'Over the last 2 weeks, how often have you been bothered by the following problems?',
      '',
      '1. Feeling nervous, anxious or on edge',
      '   Not at all',
    ]);
    expect(text).toContain('7. Feeling afraid as if something awful might happen\n   (not answered)');
    expect(text).toContain('Total 0 of 21 (minimal), estimated from 6 of 7 answers');
  });
});
