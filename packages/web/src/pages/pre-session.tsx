import {
  checkPreSession,
  type PreSessionAnswers,
  type PreSessionQuestion,
  type PreSessionQuestionId,
  type ParameterSpec,
  type TaskParams,
} from '@dystrack/tasks';
import type { SessionContextV1 } from '@dystrack/core';
import { useId, useState, type FormEvent } from 'react';
import { ErrorSummary, RadioGroup, TextAreaField, TextField, type FormProblem } from '../components/form.js';
import { useFormProblems } from './form-helpers.js';

const fieldId = (id: PreSessionQuestionId) => `pre-${id}`;

/** 0–10 as eleven large radio buttons in a row, with words at both ends. */
function ScaleInput({
  question,
  value,
  onChange,
  error,
}: {
  question: Extract<PreSessionQuestion, { kind: 'scale' }>;
  value: string;
  onChange: (v: string) => void;
  error: string | null;
}) {
  const id = fieldId(question.id);
  const values = Array.from(
    { length: question.max - question.min + 1 },
    (_, i) => question.min + i * question.step,
  );
  return (
    <fieldset
      id={id}
      className={`choices scale${error ? ' field--error' : ''}`}
      tabIndex={-1}
      aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
    >
      <legend>{question.label}</legend>
      <p id={`${id}-help`} className="field__hint">
        {question.help} You can skip this question.
      </p>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      <div className="scale__row">
        {values.map((n) => (
          <div className="scale__item" key={n}>
            <input
              type="radio"
              id={`${id}-${n}`}
              name={id}
              value={n}
              checked={value === String(n)}
              onChange={() => onChange(String(n))}
            />
            <label htmlFor={`${id}-${n}`}>
              {n}
              {n === question.min ? <span className="visually-hidden">: {question.minLabel}</span> : null}
              {n === question.max ? <span className="visually-hidden">: {question.maxLabel}</span> : null}
            </label>
          </div>
        ))}
      </div>
      <div className="scale__ends" aria-hidden="true">
        <span>
          {question.min} = {question.minLabel}
        </span>
        <span>
          {question.max} = {question.maxLabel}
        </span>
      </div>
      {value !== '' ? (
        <button type="button" className="button button--link" onClick={() => onChange('')}>
          Clear this answer
        </button>
      ) : null}
    </fieldset>
  );
}

type DaysMode = '' | 'date' | 'days' | 'never' | 'unknown';

/** Injection: a date, a number of days, "never" or "don't know". */
function DaysInput({
  question,
  mode,
  setMode,
  text,
  setText,
  error,
}: {
  question: Extract<PreSessionQuestion, { kind: 'days-or-choice' }>;
  mode: DaysMode;
  setMode: (m: DaysMode) => void;
  text: string;
  setText: (t: string) => void;
  error: string | null;
}) {
  const id = fieldId(question.id);
  const today = new Date();
  const todayText = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  const options: { value: DaysMode; label: string }[] = [
    { value: 'date', label: 'I know the date' },
    { value: 'days', label: 'I know about how many days ago' },
    ...question.choices.map((c) => ({ value: c.value as DaysMode, label: c.label })),
  ];
  return (
    <fieldset
      id={id}
      className={`choices${error ? ' field--error' : ''}`}
      tabIndex={-1}
      aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
    >
      <legend>{question.label}</legend>
      <p id={`${id}-help`} className="field__hint">
        {question.help} You can skip this question.
      </p>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      {options.map((option) => (
        <div className="choice" key={option.value}>
          <input
            type="radio"
            id={`${id}-${option.value}`}
            name={id}
            checked={mode === option.value}
            onChange={() => {
              setMode(option.value);
              setText('');
            }}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
      {mode === 'date' ? (
        <TextField
          id={`${id}-date`}
          label="Date of the last injection"
          type="date"
          max={todayText}
          value={text}
          onChange={setText}
        />
      ) : null}
      {mode === 'days' ? (
        <TextField
          id={`${id}-days`}
          label={`Number of days ago`}
          hint={`A whole number, ${question.min} or more.`}
          inputMode="numeric"
          value={text}
          onChange={setText}
          className="field--short"
        />
      ) : null}
      {mode !== '' ? (
        <button
          type="button"
          className="button button--link"
          onClick={() => {
            setMode('');
            setText('');
          }}
        >
          Clear this answer
        </button>
      ) : null}
    </fieldset>
  );
}

/** The task parameters the person chooses before a run (those with `ask`), with their current choice. */
export type AskedParameters = Readonly<Record<string, ParameterSpec>>;

export interface PreSessionResult {
  context: SessionContextV1;
  /** The person's choices for the task's asked parameters. */
  params: TaskParams;
  /** Input hardware the person named, or null. */
  inputDevice: string | null;
}

/**
 * The questions asked before every task (from the tasks package), each one skippable, then Start.
 * Converts the answers with `checkPreSession` and shows its problems next to their questions.
 */
export function PreSessionForm({
  questions,
  onStart,
  startLabel,
  initialInputDevice = '',
  parameters = {},
  initialParams = {},
}: {
  questions: readonly PreSessionQuestion[];
  onStart: (result: PreSessionResult) => void;
  startLabel: string;
  initialInputDevice?: string;
  /** The task's parameters; those with `ask` are offered as choices. */
  parameters?: AskedParameters;
  /** Choices to start from (the person's last ones). */
  initialParams?: TaskParams;
}) {
  // asked parameters as choices between strings (a yes/no parameter as 'true' / 'false')
  const asked = Object.entries(parameters).flatMap(([name, spec]) => {
    if (spec.type === 'string' && spec.ask && spec.options)
      return [{ name, ask: spec.ask, options: spec.options, initial: spec.default, yesNo: false }];
    if (spec.type === 'boolean' && spec.ask)
      return [
        {
          name,
          ask: spec.ask,
          options: ['false', 'true'] as const,
          initial: String(spec.default),
          yesNo: true,
        },
      ];
    return [];
  });
  const [params, setParams] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      asked.map(({ name, options, initial }) => {
        const remembered = initialParams[name];
        const text = typeof remembered === 'boolean' ? String(remembered) : remembered;
        return [name, typeof text === 'string' && options.includes(text) ? text : initial];
      }),
    ),
  );
  // a question that depends on another answer is asked (and its answer used) only when that answer fits
  const shown = asked.filter(({ ask }) => !ask.when || params[ask.when.param] === ask.when.equals);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [daysMode, setDaysMode] = useState<DaysMode>('');
  const [inputDevice, setInputDevice] = useState(initialInputDevice);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const headingId = useId();
  const set = (id: string, value: string) => setAnswers((previous) => ({ ...previous, [id]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const raw: PreSessionAnswers = {};
    for (const question of questions) {
      const text = answers[question.id] ?? '';
      if (question.kind === 'days-or-choice') {
        raw.daysSinceBotulinumToxin =
          daysMode === 'never' || daysMode === 'unknown' ? daysMode : daysMode === '' ? null : text;
      } else {
        (raw as Record<string, string | null>)[question.id] = text === '' ? null : text;
      }
    }
    const result = checkPreSession(raw);
    if (!result.ok) {
      show(
        result.issues.map((issue): FormProblem => ({ fieldId: fieldId(issue.id), message: issue.message })),
      );
      return;
    }
    show([]);
    const chosen: TaskParams = {};
    for (const { name, yesNo } of shown) {
      const value = params[name];
      if (value === undefined) continue;
      chosen[name] = yesNo ? value === 'true' : value;
    }
    onStart({ context: result.value, params: chosen, inputDevice: inputDevice.trim() || null });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Before you start: how are you today?</h2>
      <p>
        These answers are stored with the recording, so that you and your doctor can compare like with like.
        Every question can be skipped.
      </p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={onSubmit} noValidate className="form">
        {questions.map((question) => {
          const error = errorOf(fieldId(question.id));
          const value = answers[question.id] ?? '';
          switch (question.kind) {
            case 'scale':
              return (
                <ScaleInput
                  key={question.id}
                  question={question}
                  value={value}
                  onChange={(v) => set(question.id, v)}
                  error={error}
                />
              );
            case 'number':
              return (
                <TextField
                  key={question.id}
                  id={fieldId(question.id)}
                  label={`${question.label} (${question.unit})`}
                  hint={`${question.help} You can skip this question.`}
                  inputMode="decimal"
                  value={value}
                  onChange={(v) => set(question.id, v)}
                  error={error}
                  className="field--short"
                />
              );
            case 'days-or-choice':
              return (
                <DaysInput
                  key={question.id}
                  question={question}
                  mode={daysMode}
                  setMode={setDaysMode}
                  text={value}
                  setText={(v) => set(question.id, v)}
                  error={error}
                />
              );
            case 'text':
              return (
                <TextAreaField
                  key={question.id}
                  id={fieldId(question.id)}
                  label={question.label}
                  hint={`${question.help} You can skip this question.`}
                  placeholder={question.placeholder}
                  maxLength={question.maxLength}
                  rows={3}
                  value={value}
                  onChange={(v) => set(question.id, v)}
                  error={error}
                />
              );
            default:
              return null;
          }
        })}
        {shown.map(({ name, ask, options }) => (
          <RadioGroup
            key={name}
            name={`param-${name}`}
            legend={ask.question}
            choices={options.map((value) => ({ value, label: ask.labels[value] ?? value }))}
            value={params[name] ?? null}
            onChange={(value) => setParams((previous) => ({ ...previous, [name]: value }))}
          />
        ))}
        <TextField
          id="pre-input-device"
          label="What are you using for this task? (optional)"
          hint="For example: laptop keyboard, iPad with Apple Pencil, Android phone. Keep it the same from one session to the next if you can."
          value={inputDevice}
          onChange={setInputDevice}
          maxLength={300}
        />
        <div className="actions">
          <button type="submit" className="button button--primary button--large">
            {startLabel}
          </button>
        </div>
      </form>
    </section>
  );
}
