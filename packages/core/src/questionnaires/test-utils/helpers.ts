import { PHQ_FREQUENCY } from '../definitions.js';

/** Answers to PHQ-9 (`phq9`) or GAD-7 (`gad7`) items from values 0–3; null leaves an item unanswered. */
export function frequencyAnswers(
  prefix: 'phq9' | 'gad7',
  values: readonly (number | null)[],
): Record<string, string> {
  const answers: Record<string, string> = {};
  values.forEach((value, i) => {
    if (value === null) return;
    const option = PHQ_FREQUENCY.options.find((o) => o.value === value);
    if (!option) throw new RangeError(`no option with value ${value}`);
    answers[`${prefix}-${i + 1}`] = option.code;
  });
  return answers;
}
