import { SCHEDULE_VERSION, type Schedule, type Weekday } from '@dystrack/core';
import { RadioGroup, type Choice } from '../components/form.js';
import { taskTitle, weekdaysWords } from './words.js';

/*
 * A study's routine, kept simple: for each chosen task how often (fixed weekdays) and one time of day.
 * It produces the core Schedule (recurring items on weekdays), which participants see in words before
 * they join. A finer routine (every N days, baselines before injections) is the patient's routine page's
 * job, not a study's.
 */

/** How often a study asks for one task. */
export type Frequency = 'none' | 'weekly' | 'twice' | 'thrice' | 'daily';

/** The weekdays of each frequency (spread over the week). */
export const FREQUENCY_DAYS: Record<Exclude<Frequency, 'none'>, Weekday[]> = {
  weekly: ['mon'],
  twice: ['mon', 'thu'],
  thrice: ['mon', 'wed', 'fri'],
  daily: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
};

const FREQUENCY_CHOICES: Choice<Frequency>[] = [
  { value: 'none', label: 'No fixed days', description: 'Whenever the participant likes' },
  { value: 'weekly', label: 'Once a week', description: weekdaysWords(FREQUENCY_DAYS.weekly) },
  { value: 'twice', label: 'Twice a week', description: weekdaysWords(FREQUENCY_DAYS.twice) },
  { value: 'thrice', label: 'Three times a week', description: weekdaysWords(FREQUENCY_DAYS.thrice) },
  { value: 'daily', label: 'Every day', description: 'Each day of the week' },
];

/** The routine being built: a frequency per task and one time of day. */
export interface RoutineDraft {
  frequencies: Record<string, Frequency>;
  time: string;
}

/** A new routine draft: no fixed days, 18:00. */
export function emptyRoutine(): RoutineDraft {
  return { frequencies: {}, time: '18:00' };
}

/**
 * The core Schedule of a draft for the chosen tasks, or null when no task has fixed days (the study then
 * has no routine). The times are meant in `timeZone`.
 */
export function routineSchedule(
  draft: RoutineDraft,
  tasks: readonly string[],
  timeZone: string,
): Schedule | null {
  const items = tasks.flatMap((task) => {
    const frequency = draft.frequencies[task] ?? 'none';
    if (frequency === 'none') return [];
    return [
      {
        id: `study-${task}`,
        type: 'recurring' as const,
        activity: task,
        repeat: { kind: 'weekdays' as const, weekdays: FREQUENCY_DAYS[frequency] },
        time: draft.time,
      },
    ];
  });
  return items.length === 0 ? null : { version: SCHEDULE_VERSION, timeZone, items };
}

/** The id of the time field (for links from an error summary). */
export const ROUTINE_TIME_ID = 'study-routine-time';
const timeId = ROUTINE_TIME_ID;

/** The routine's controls: one "how often" group per chosen task, then the time of day. */
export function RoutineBuilder({
  tasks,
  value,
  onChange,
  timeZone,
  timeError,
}: {
  tasks: readonly string[];
  value: RoutineDraft;
  onChange: (draft: RoutineDraft) => void;
  timeZone: string;
  timeError?: string | null;
}) {
  if (tasks.length === 0)
    return <p className="muted">Choose the study’s tasks first; then say how often each is asked for.</p>;
  const anyFixed = tasks.some((task) => (value.frequencies[task] ?? 'none') !== 'none');
  return (
    <div className="studies__routine">
      {tasks.map((task) => (
        <RadioGroup
          key={task}
          legend={`How often: ${taskTitle(task)}`}
          name={`study-frequency-${task}`}
          choices={FREQUENCY_CHOICES}
          value={value.frequencies[task] ?? 'none'}
          onChange={(frequency) =>
            onChange({ ...value, frequencies: { ...value.frequencies, [task]: frequency } })
          }
        />
      ))}
      {anyFixed ? (
        <div className={`field field--short${timeError ? ' field--error' : ''}`}>
          <label htmlFor={timeId}>Time of day</label>
          <div className="field__hint" id={`${timeId}-hint`}>
            A suggestion for the participants’ reminders, in the {timeZone} time zone.
          </div>
          {timeError ? (
            <p className="field__error" id={`${timeId}-error`}>
              <span className="visually-hidden">Error: </span>
              {timeError}
            </p>
          ) : null}
          <input
            id={timeId}
            type="time"
            value={value.time}
            onChange={(event) => onChange({ ...value, time: event.target.value })}
            aria-invalid={timeError ? true : undefined}
            aria-describedby={`${timeId}-hint${timeError ? ` ${timeId}-error` : ''}`}
            required
          />
        </div>
      ) : null}
    </div>
  );
}
