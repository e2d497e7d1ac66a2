import type { DiaryContext, DiaryContextField } from '../entries/diary.js';

/**
 * How each diary trigger splits sessions into two groups: the trigger "present" (high stress, short
 * sleep, cold hands …) against "absent" (the rest of the sessions where the field was noted). The
 * thresholds are our own choice [S], set near the middle of what people usually note so that both
 * groups fill up; they are part of the method shown on the page.
 */
export interface TriggerDefinition {
  /** The diary context field it reads. */
  readonly field: DiaryContextField;
  /** The trigger present, in words that follow "On days you noted …": "high stress (6 of 10 or more)". */
  readonly presentWords: string;
  /** A short name for chart axes: "High stress". */
  readonly shortWords: string;
  /** The comparison group in words: "lower stress (0 to 5)". */
  readonly absentWords: string;
  /** Whether a noted value counts as the trigger being present. */
  readonly isPresent: (value: number | boolean) => boolean;
}

const atLeast = (threshold: number) => (value: number | boolean) =>
  typeof value === 'number' && value >= threshold;

/** The triggers compared, in the diary form's order. */
export const TRIGGERS: readonly TriggerDefinition[] = [
  {
    field: 'stress',
    shortWords: 'High stress',
    presentWords: 'high stress (6 of 10 or more)',
    absentWords: 'lower stress (0 to 5 of 10)',
    isPresent: atLeast(6),
  },
  {
    field: 'fatigue',
    shortWords: 'High tiredness',
    presentWords: 'high tiredness (6 of 10 or more)',
    absentWords: 'less tiredness (0 to 5 of 10)',
    isPresent: atLeast(6),
  },
  {
    field: 'anxiety',
    shortWords: 'High anxiety',
    presentWords: 'high anxiety (6 of 10 or more)',
    absentWords: 'less anxiety (0 to 5 of 10)',
    isPresent: atLeast(6),
  },
  {
    field: 'practiceHours',
    shortWords: 'Practice 2 h or more',
    presentWords: '2 hours or more of practice or writing',
    absentWords: 'less than 2 hours of practice or writing',
    isPresent: atLeast(2),
  },
  {
    field: 'sleepHours',
    shortWords: 'Sleep under 6 h',
    presentWords: 'short sleep (less than 6 hours)',
    absentWords: '6 hours of sleep or more',
    isPresent: (value) => typeof value === 'number' && value < 6,
  },
  {
    field: 'caffeineDrinks',
    shortWords: '3+ caffeine drinks',
    presentWords: '3 or more drinks with caffeine',
    absentWords: 'fewer than 3 drinks with caffeine',
    isPresent: atLeast(3),
  },
  {
    field: 'alcoholDrinks',
    shortWords: 'Any alcohol',
    presentWords: 'any drink with alcohol',
    absentWords: 'no alcohol',
    isPresent: atLeast(1),
  },
  {
    field: 'cold',
    shortWords: 'Cold',
    presentWords: 'cold hands or a cold room',
    absentWords: 'no cold',
    isPresent: (value) => value === true,
  },
];

/**
 * Which group a noted context puts a session in for one trigger: 'present', 'absent', or null when the
 * field was not noted.
 */
export function triggerGroup(trigger: TriggerDefinition, context: DiaryContext): 'present' | 'absent' | null {
  const value = context[trigger.field];
  if (value === undefined) return null;
  return trigger.isPresent(value) ? 'present' : 'absent';
}
