import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
} from 'react';

/** Ids of a field's hint and error, for `aria-describedby`. */
function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

export interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'onChange' | 'value'
> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Help shown under the label, read with the field. */
  hint?: ReactNode;
  /** The field's error; linked with `aria-describedby` and `aria-invalid`. */
  error?: string | null;
  /** Fixed id (for links from an error summary); generated otherwise. */
  id?: string;
}

/** A labelled text input with an optional hint and error message. */
export function TextField({ label, value, onChange, hint, error, id, className, ...rest }: TextFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : null;
  const errorId = error ? `${inputId}-error` : null;
  return (
    <div className={`field${error ? ' field--error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <div id={hintId!} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId!} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <input
        id={inputId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        {...rest}
      />
    </div>
  );
}

export interface TextAreaFieldProps extends Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'id' | 'onChange' | 'value'
> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  id?: string;
}

/** A labelled multi-line text input. */
export function TextAreaField({ label, value, onChange, hint, error, id, ...rest }: TextAreaFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : null;
  const errorId = error ? `${inputId}-error` : null;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <div id={hintId!} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId!} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <textarea
        id={inputId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        {...rest}
      />
    </div>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** A line under the label. */
  description?: string;
}

export interface ChoiceGroupProps<T extends string> {
  legend: string;
  name: string;
  choices: readonly Choice<T>[];
  hint?: ReactNode;
  error?: string | null;
  /** Fixed id of the group (for links from an error summary). */
  id?: string;
}

export interface RadioGroupProps<T extends string> extends ChoiceGroupProps<T> {
  value: T | null;
  onChange: (value: T) => void;
}

/** A fieldset of large radio buttons. */
export function RadioGroup<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  hint,
  error,
  id,
}: RadioGroupProps<T>) {
  const generated = useId();
  const groupId = id ?? generated;
  const hintId = hint ? `${groupId}-hint` : null;
  const errorId = error ? `${groupId}-error` : null;
  return (
    <fieldset
      id={groupId}
      className={`choices${error ? ' field--error' : ''}`}
      aria-describedby={describedBy(hintId, errorId)}
      tabIndex={-1}
    >
      <legend>{legend}</legend>
      {hint ? (
        <div id={hintId!} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId!} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {choices.map((choice) => {
        const choiceId = `${groupId}-${choice.value}`;
        return (
          <div className="choice" key={choice.value}>
            <input
              type="radio"
              id={choiceId}
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              aria-describedby={choice.description ? `${choiceId}-description` : undefined}
            />
            <label htmlFor={choiceId}>
              {choice.label}
              {choice.description ? (
                <span id={`${choiceId}-description`} className="choice__description">
                  {choice.description}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

export interface CheckboxGroupProps<T extends string> extends ChoiceGroupProps<T> {
  values: readonly T[];
  onChange: (values: T[]) => void;
}

/** A fieldset of large check boxes. */
export function CheckboxGroup<T extends string>({
  legend,
  name,
  choices,
  values,
  onChange,
  hint,
  error,
  id,
}: CheckboxGroupProps<T>) {
  const generated = useId();
  const groupId = id ?? generated;
  const hintId = hint ? `${groupId}-hint` : null;
  const errorId = error ? `${groupId}-error` : null;
  return (
    <fieldset
      id={groupId}
      className={`choices${error ? ' field--error' : ''}`}
      aria-describedby={describedBy(hintId, errorId)}
      tabIndex={-1}
    >
      <legend>{legend}</legend>
      {hint ? (
        <div id={hintId!} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId!} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {choices.map((choice) => {
        const choiceId = `${groupId}-${choice.value}`;
        const checked = values.includes(choice.value);
        return (
          <div className="choice" key={choice.value}>
            <input
              type="checkbox"
              id={choiceId}
              name={name}
              value={choice.value}
              checked={checked}
              onChange={() =>
                onChange(checked ? values.filter((v) => v !== choice.value) : [...values, choice.value])
              }
              aria-describedby={choice.description ? `${choiceId}-description` : undefined}
            />
            <label htmlFor={choiceId}>
              {choice.label}
              {choice.description ? (
                <span id={`${choiceId}-description`} className="choice__description">
                  {choice.description}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** One problem of a form, pointing at its field. */
export interface FormProblem {
  /** Id of the field (or fieldset) to focus. */
  fieldId: string;
  message: string;
}

/**
 * The list of a form's problems, announced and focused when the form is sent with errors.
 * Each item links to its field.
 */
export function ErrorSummary({
  problems,
  title = 'Please check these answers',
  summaryRef,
}: {
  problems: FormProblem[];
  title?: string;
  summaryRef?: Ref<HTMLDivElement>;
}) {
  if (problems.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      tabIndex={-1}
      ref={summaryRef}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {problems.map((problem) => (
          <li key={problem.fieldId + problem.message}>
            <a
              href={`#${problem.fieldId}`}
              onClick={(event) => {
                event.preventDefault();
                const target = document.getElementById(problem.fieldId);
                target?.focus();
                target?.scrollIntoView({ block: 'center' });
              }}
            >
              {problem.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
