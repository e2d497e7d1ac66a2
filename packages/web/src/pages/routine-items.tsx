import { useId, useState } from 'react';
import {
  QUESTIONNAIRES,
  WEEKDAYS,
  type PlannedInjection,
  type ScheduleInput,
  type Weekday,
} from '@dystrack/core';
import { TASK_DEFINITIONS } from '@dystrack/tasks';
import { CheckboxGroup, RadioGroup } from '../components/form.js';
import { activityWords } from '../components/due-today.js';

/*
 * The editors of one routine item: a recurring activity (weekday toggle buttons or every N days, and a
 * time) or a baseline block before injections. Large controls only: buttons, native selects, steppers
 * with − and + buttons; nothing to drag.
 */

/** One item of a routine being edited. */
export type DraftItem = ScheduleInput['items'][number];
export type DraftRecurring = Extract<DraftItem, { type: 'recurring' }>;
export type DraftBaseline = Extract<DraftItem, { type: 'baseline' }>;

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The field id of a path in the routine (`items.0.time` → `routine-items-0-time`), for error links. */
export function fieldId(path: string): string {
  return `routine-${path.replaceAll('.', '-')}`;
}

/** The tasks a routine can plan: the listed tasks, in the catalogue's order. */
export const ROUTINE_TASKS = TASK_DEFINITIONS.map((d) => d.id as string);

/** A number field with large − and + buttons (typing the number works too). */
export function Stepper({
  id,
  label,
  value,
  min,
  max,
  unit,
  onChange,
  error,
  hint,
}: {
  id: string;
  label: string;
  value: number | null;
  min: number;
  max: number;
  /** What the number counts, shown next to it ("days"). */
  unit: string;
  onChange: (value: number | null) => void;
  error?: string | null;
  hint?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const step = (delta: number) => {
    const base = value ?? (delta > 0 ? min - 1 : min + 1);
    onChange(Math.min(max, Math.max(min, base + delta)));
  };
  return (
    <div className={`field stepper${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="stepper__row">
        <button
          type="button"
          className="button button--secondary stepper__button"
          onClick={() => step(-1)}
          disabled={value !== null && value <= min}
          aria-label={`${label}: one less`}
        >
          −
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          value={value ?? ''}
          onChange={(event) => {
            const text = event.target.value;
            onChange(text === '' ? null : Math.round(Number(text)));
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        />
        <span className="stepper__unit">{unit}</span>
        <button
          type="button"
          className="button button--secondary stepper__button"
          onClick={() => step(1)}
          disabled={value !== null && value >= max}
          aria-label={`${label}: one more`}
        >
          +
        </button>
      </div>
    </div>
  );
}

/** Seven large toggle buttons, one per weekday. */
export function WeekdayToggles({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: readonly Weekday[];
  onChange: (days: Weekday[]) => void;
  error?: string | null;
}) {
  const legendId = useId();
  return (
    <fieldset id={id} className={`choices weekdays${error ? ' field--error' : ''}`} tabIndex={-1}>
      <legend id={legendId}>Days of the week</legend>
      {error ? (
        <p className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="weekdays__row">
        {WEEKDAYS.map((day) => {
          const on = value.includes(day);
          return (
            <button
              key={day}
              type="button"
              className={`weekday${on ? ' weekday--on' : ''}`}
              aria-pressed={on}
              onClick={() =>
                onChange(
                  on
                    ? value.filter((d) => d !== day)
                    : WEEKDAYS.filter((d) => d === day || value.includes(d)),
                )
              }
            >
              {/* "Mon" shows, "Monday" is read: the visible text starts the accessible name */}
              {WEEKDAY_NAMES[day].slice(0, 3)}
              <span className="visually-hidden">{WEEKDAY_NAMES[day].slice(3)}</span>
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}

function TimeField({
  id,
  value,
  onChange,
  error,
  label = 'Time',
}: {
  id: string;
  value: string;
  onChange: (time: string) => void;
  error?: string | null;
  label?: string;
}) {
  return (
    <div className={`field field--short${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <input
        id={id}
        type="time"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        required
      />
    </div>
  );
}

/** A confirmed removal: a first touch asks, a second one removes. */
function RemoveItem({ label, onRemove }: { label: string; onRemove: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="button button--secondary" onClick={() => setAsking(true)}>
        Remove <span className="visually-hidden">{label}</span>
      </button>
    );
  return (
    <div className="actions actions--row" role="group" aria-label={`Remove ${label}?`}>
      <button type="button" className="button button--danger" onClick={onRemove}>
        Yes, remove {label}
      </button>
      <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
        No, keep it
      </button>
    </div>
  );
}

type ErrorOf = (path: string) => string | null;

/** The editor of a recurring item. */
export function RecurringEditor({
  item,
  index,
  label,
  onChange,
  onRemove,
  errorOf,
  today,
}: {
  item: DraftRecurring;
  index: number;
  label: string;
  onChange: (item: DraftRecurring) => void;
  onRemove: () => void;
  errorOf: ErrorOf;
  today: string;
}) {
  const path = `items.${index}`;
  const repeat = item.repeat;
  const activityId = fieldId(`${path}.activity`);
  return (
    <fieldset className="routine-item panel" id={fieldId(path)} tabIndex={-1}>
      <legend className="routine-item__legend">
        {label}: {activityWords(item.activity)}
      </legend>
      <div className={`field${errorOf(`${path}.activity`) ? ' field--error' : ''}`}>
        <label htmlFor={activityId}>What</label>
        {errorOf(`${path}.activity`) ? <p className="field__error">{errorOf(`${path}.activity`)}</p> : null}
        <select
          id={activityId}
          value={item.activity}
          onChange={(event) => onChange({ ...item, activity: event.target.value })}
        >
          <optgroup label="Tasks">
            {ROUTINE_TASKS.map((task) => (
              <option key={task} value={task}>
                {activityWords(task)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Diary">
            <option value="diary">{activityWords('diary')}</option>
          </optgroup>
          <optgroup label="Questionnaires">
            {Object.keys(QUESTIONNAIRES).map((id) => (
              <option key={id} value={id}>
                {activityWords(id)}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <RadioGroup
        legend="How often"
        name={`${fieldId(path)}-repeat`}
        id={fieldId(`${path}.repeat.kind`)}
        value={repeat.kind}
        choices={[
          { value: 'weekdays', label: 'On chosen days of the week' },
          { value: 'interval', label: 'Every few days' },
        ]}
        onChange={(kind) =>
          onChange({
            ...item,
            repeat:
              kind === 'weekdays'
                ? { kind, weekdays: ['mon', 'thu'] }
                : { kind, everyDays: 3, startDate: today },
          })
        }
      />
      {repeat.kind === 'weekdays' ? (
        <WeekdayToggles
          id={fieldId(`${path}.repeat.weekdays`)}
          value={repeat.weekdays}
          onChange={(weekdays) => onChange({ ...item, repeat: { ...repeat, weekdays } })}
          error={errorOf(`${path}.repeat.weekdays`)}
        />
      ) : (
        <div className="routine-item__pair">
          <Stepper
            id={fieldId(`${path}.repeat.everyDays`)}
            label="Every"
            unit={repeat.everyDays === 1 ? 'day' : 'days'}
            value={repeat.everyDays}
            min={1}
            max={90}
            onChange={(everyDays) => onChange({ ...item, repeat: { ...repeat, everyDays: everyDays ?? 1 } })}
            error={errorOf(`${path}.repeat.everyDays`)}
          />
          <div className={`field field--short${errorOf(`${path}.repeat.startDate`) ? ' field--error' : ''}`}>
            <label htmlFor={fieldId(`${path}.repeat.startDate`)}>Starting on</label>
            {errorOf(`${path}.repeat.startDate`) ? (
              <p className="field__error">{errorOf(`${path}.repeat.startDate`)}</p>
            ) : null}
            <input
              id={fieldId(`${path}.repeat.startDate`)}
              type="date"
              value={repeat.startDate}
              onChange={(event) =>
                onChange({ ...item, repeat: { ...repeat, startDate: event.target.value } })
              }
            />
          </div>
        </div>
      )}
      <TimeField
        id={fieldId(`${path}.time`)}
        value={item.time}
        onChange={(time) => onChange({ ...item, time })}
        error={errorOf(`${path}.time`)}
      />
      <RemoveItem label={label} onRemove={onRemove} />
    </fieldset>
  );
}

function injectionWords(injection: PlannedInjection | undefined): string | null {
  if (!injection) return null;
  if (injection.date === null)
    return 'No injection date yet: enter the next planned date, or the days between injections and an injection in your treatment log.';
  const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${injection.date}T00:00:00Z`),
  );
  return injection.source === 'entered'
    ? `Planned injection: ${date} (the date you entered).`
    : `Expected injection: ${date} (your last injection in the treatment log plus the days between injections).`;
}

/** The editor of a baseline block before injections. */
export function BaselineEditor({
  item,
  index,
  label,
  onChange,
  onRemove,
  errorOf,
  injection,
}: {
  item: DraftBaseline;
  index: number;
  label: string;
  onChange: (item: DraftBaseline) => void;
  onRemove: () => void;
  errorOf: ErrorOf;
  /** Where the saved block plans to (from the server), if known. */
  injection: PlannedInjection | undefined;
}) {
  const path = `items.${index}`;
  const planned = injectionWords(injection);
  return (
    <fieldset className="routine-item panel" id={fieldId(path)} tabIndex={-1}>
      <legend className="routine-item__legend">{label}: baseline before injections</legend>
      <p className="muted">
        Sessions in the days before each botulinum-toxin injection show how your hand is before it. The
        sessions are spread over those days, the last one on the day before the injection.
      </p>
      <CheckboxGroup
        legend="Tasks in each session"
        name={`${fieldId(path)}-activities`}
        id={fieldId(`${path}.activities`)}
        values={item.activities}
        choices={ROUTINE_TASKS.map((task) => ({ value: task, label: activityWords(task) }))}
        onChange={(activities) => onChange({ ...item, activities })}
        error={errorOf(`${path}.activities`)}
      />
      <div className="routine-item__pair">
        <Stepper
          id={fieldId(`${path}.sessions`)}
          label="Sessions before each injection"
          unit={item.sessions === 1 ? 'session' : 'sessions'}
          value={item.sessions ?? 3}
          min={1}
          max={10}
          onChange={(sessions) => onChange({ ...item, sessions: sessions ?? 1 })}
          error={errorOf(`${path}.sessions`)}
        />
        <Stepper
          id={fieldId(`${path}.daysBefore`)}
          label="Within the days before it"
          unit="days"
          value={item.daysBefore ?? 14}
          min={1}
          max={90}
          onChange={(daysBefore) => onChange({ ...item, daysBefore: daysBefore ?? 1 })}
          error={errorOf(`${path}.daysBefore`)}
        />
      </div>
      <div className={`field field--short${errorOf(`${path}.nextInjectionDate`) ? ' field--error' : ''}`}>
        <label htmlFor={fieldId(`${path}.nextInjectionDate`)}>Date of your next planned injection</label>
        <div className="field__hint" id={`${fieldId(`${path}.nextInjectionDate`)}-hint`}>
          Leave it empty to count from your treatment log instead.
        </div>
        {errorOf(`${path}.nextInjectionDate`) ? (
          <p className="field__error">{errorOf(`${path}.nextInjectionDate`)}</p>
        ) : null}
        <input
          id={fieldId(`${path}.nextInjectionDate`)}
          type="date"
          value={item.nextInjectionDate ?? ''}
          aria-describedby={`${fieldId(`${path}.nextInjectionDate`)}-hint`}
          onChange={(event) => onChange({ ...item, nextInjectionDate: event.target.value || null })}
        />
      </div>
      <Stepper
        id={fieldId(`${path}.intervalDays`)}
        label="Days between your injections"
        unit="days"
        value={item.intervalDays ?? null}
        min={14}
        max={730}
        hint="Used after the planned date has passed, counting from the last injection in your treatment log. Leave it empty if you enter each date."
        onChange={(intervalDays) => onChange({ ...item, intervalDays })}
        error={errorOf(`${path}.intervalDays`)}
      />
      {item.intervalDays !== null && item.intervalDays !== undefined ? (
        <button
          type="button"
          className="button button--link"
          onClick={() => onChange({ ...item, intervalDays: null })}
        >
          Clear the days between injections
        </button>
      ) : null}
      <TimeField
        id={fieldId(`${path}.time`)}
        value={item.time}
        onChange={(time) => onChange({ ...item, time })}
        error={errorOf(`${path}.time`)}
      />
      {planned ? <p className="routine-item__planned">{planned}</p> : null}
      <RemoveItem label={label} onRemove={onRemove} />
    </fieldset>
  );
}
