import { QUESTIONNAIRES, TASK_IDS } from '@dystrack/core';

/**
 * Words that would tell a health detail if a notification showed them: the condition and its signs,
 * treatments, and the names of the tasks and questionnaires a routine can plan (a task name says what is
 * measured). Lower case; matched as substrings.
 */
export const HEALTH_WORDS: readonly string[] = [
  'dyston',
  'cramp',
  'tremor',
  'spasm',
  'symptom',
  'pain',
  'diagnos',
  'neurolog',
  'patient',
  'botulinum',
  'botox',
  'toxin',
  'inject',
  'medic',
  'treatment',
  'therapy',
  'dose',
  'diary',
  'mood',
  'depress',
  'questionnaire',
  'baseline',
  'metric',
  'result',
  'score',
  'measure',
  'recording',
  'hand',
  ...TASK_IDS,
  ...Object.keys(QUESTIONNAIRES),
].map((word) => word.toLowerCase());

/** The health words a text contains (empty: none). */
export function healthWordsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return HEALTH_WORDS.filter((word) => lower.includes(word));
}
