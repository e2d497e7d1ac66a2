import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CheckboxGroup, RadioGroup, TextField } from '../components/form.js';
import { errorMessage } from '../pages/form-helpers.js';
import { SHARE_SCOPES, type ShareScope } from './api.js';
import { DURATION_CHOICES, SCOPE_WORDS, dateBounds, dateWords, type Duration } from './labels.js';

/*
 * Form parts of the sharing pages: what to share (one large check box per scope with what it gives), how
 * long (large radio buttons, or a date), and a two-step confirmation for stopping a share.
 */

/** The six scopes as large check boxes, each with one line on what it gives. */
export function ScopeChoices({
  id,
  legend,
  values,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  values: ShareScope[];
  onChange: (values: ShareScope[]) => void;
  error?: string | null;
}) {
  return (
    <CheckboxGroup
      id={id}
      legend={legend}
      name={id}
      hint="The clinician sees only what you tick. You can change it later."
      choices={SHARE_SCOPES.map((scope) => ({ value: scope, ...SCOPE_WORDS[scope] }))}
      values={values}
      onChange={(next) => onChange(SHARE_SCOPES.filter((scope) => next.includes(scope)))}
      error={error}
    />
  );
}

/** How long a share lasts: large radio buttons, and a date field when "a date" is chosen. */
export function DurationChoices({
  id,
  legend,
  value,
  onChange,
  day,
  onDay,
  error,
  keepLabel,
}: {
  id: string;
  legend: string;
  value: Duration | 'keep';
  onChange: (value: Duration | 'keep') => void;
  day: string;
  onDay: (day: string) => void;
  error?: string | null;
  /** When set, a first choice that keeps the current end ("Keep: until 3 March 2027"). */
  keepLabel?: string;
}) {
  const { min, max } = dateBounds();
  const choices = [
    ...(keepLabel ? [{ value: 'keep' as const, label: keepLabel }] : []),
    ...DURATION_CHOICES.map((choice) => ({
      ...choice,
      label:
        choice.value === 'open' || choice.value === 'date' ? choice.label : `For ${choice.label} from today`,
    })),
  ];
  return (
    <>
      <RadioGroup
        id={id}
        legend={legend}
        name={id}
        choices={choices}
        value={value}
        onChange={onChange}
        hint="When the time is up, the clinician no longer sees anything. You can stop sharing earlier at any time."
        error={value === 'date' ? null : error}
      />
      {value === 'date' ? (
        <TextField
          id={`${id}-day`}
          label="Last day of sharing"
          type="date"
          className="field--short"
          min={min}
          max={max}
          value={day}
          onChange={onDay}
          hint={`Sharing ends at the end of this day. From ${dateWords(`${min}T12:00:00`)} to ${dateWords(`${max}T12:00:00`)}.`}
          error={error}
        />
      ) : null}
    </>
  );
}

/**
 * A button that asks before it acts: the question replaces it and takes the focus (read out), so that a
 * second press of the same key does not act at once.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  busyLabel,
  onConfirm,
}: {
  /** The button's text; may hold visually hidden words naming what it acts on. */
  label: ReactNode;
  question: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  onConfirm: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const questionId = useId();
  const questionRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (asking) questionRef.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" className="button button--secondary" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId} className="confirm__question" ref={questionRef} tabIndex={-1}>
        {question}
      </p>
      <div className="actions actions--row">
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            onConfirm().then(
              () => {
                setBusy(false);
                setAsking(false);
              },
              (cause: unknown) => {
                setBusy(false);
                setError(errorMessage(cause));
              },
            );
          }}
        >
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
          No, go back
        </button>
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
