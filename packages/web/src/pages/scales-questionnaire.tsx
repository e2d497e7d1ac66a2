import {
  checkPhq9Crisis,
  summarizeQuestionnaire,
  type QuestionnaireDefinition,
  type CrisisResource,
  type QuestionnaireItem,
} from '@dystrack/core';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CrisisMessage } from '../api/records.js';
import { RadioGroup, TextAreaField } from '../components/form.js';
import { errorMessage } from './form-helpers.js';

/*
 * Filling in one questionnaire: one question per screen, Back and Next, a review of every answer before
 * saving. The wording comes from core's definitions. PHQ-9 question 9 above 0 shows the crisis message at
 * once, before anything is saved.
 */

export type Answers = Record<string, string>;

/** A support service's contact as a link where it is a phone number (a large target to call). */
function ContactLink({ contact }: { contact: string }) {
  const digits = contact.replace(/[\s()./-]/g, '');
  if (/^\+?\d{2,15}$/.test(digits)) {
    return (
      <a className="crisis__contact" href={`tel:${digits}`}>
        {contact}
      </a>
    );
  }
  if (/^https?:\/\/\S+$/.test(contact)) {
    return (
      <a className="crisis__contact" href={contact} target="_blank" rel="noreferrer">
        {contact}
      </a>
    );
  }
  return <span className="crisis__contact">{contact}</span>;
}

/**
 * The crisis message. The page fetches the support services the server's administrator configured when
 * it opens (`resources`), so the message shows them the moment question 9 is answered, before anything is
 * saved. While they are not known (still loading, or the fetch failed) core's message is shown with a
 * general line instead; the server's answer to the save brings the message with the services (`saved`).
 */
export function CrisisAlert({
  answers,
  saved,
  resources = null,
  scrollIntoView = false,
}: {
  answers: Answers;
  saved?: CrisisMessage | null;
  /** The configured services, or null while they are not known. */
  resources?: readonly CrisisResource[] | null;
  /** Scrolls the message into view when it appears (below a question on a small screen). */
  scrollIntoView?: boolean;
}) {
  const titleId = useId();
  const local = checkPhq9Crisis(answers, resources ?? []);
  const shown = Boolean(saved) || local.crisis;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (shown && scrollIntoView) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shown, scrollIntoView]);
  if (!shown) return null;
  const known = saved ?? (local.crisis && resources !== null ? local : null);
  const title = saved ? saved.title : local.crisis ? local.title : '';
  // without the services, core's last paragraph would say that none are listed: left out for the general line
  const paragraphs = known ? known.paragraphs : local.crisis ? local.paragraphs.slice(0, -1) : [];
  return (
    <section className="crisis" role="alert" aria-labelledby={titleId} ref={ref}>
      <h2 id={titleId}>{title}</h2>
      {paragraphs.map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
      {known ? (
        known.resources.length > 0 ? (
          <ul className="crisis__resources">
            {known.resources.map((resource) => (
              <li key={`${resource.name}|${resource.contact}`}>
                <strong>{resource.name}</strong>
                <ContactLink contact={resource.contact} />
                {resource.description ? <span>{resource.description}</span> : null}
              </li>
            ))}
          </ul>
        ) : null
      ) : (
        <p>
          A crisis line in your country, your doctor or someone you trust can help you today. When you save
          these answers, the support services listed by the people who run this server are shown here.
        </p>
      )}
    </section>
  );
}

function isAnswered(answers: Answers, linkId: string): boolean {
  return (answers[linkId] ?? '').trim() !== '';
}

/** A question with its number, as printed on the instrument. */
function questionLabel(item: QuestionnaireItem): string {
  return item.kind === 'choice' && item.prefix ? `${item.prefix}. ${item.text}` : item.text;
}

/**
 * One questionnaire, one question per screen, then a review. `onSave` stores the answers; while it
 * fails, the answers stay and the person can try again.
 */
export function QuestionnaireRunner({
  def,
  initial,
  onSave,
  onCancel,
  saveLabel = 'Save my answers',
  crisisResources = null,
  context,
}: {
  /** Shown with every question before the stem, e.g. the PGIC's reference point. */
  context?: string;
  def: QuestionnaireDefinition;
  /** The configured support services (fetched when the page opened), or null while not known. */
  crisisResources?: readonly CrisisResource[] | null;
  initial?: Answers;
  onSave: (answers: Answers) => Promise<void>;
  onCancel: () => void;
  saveLabel?: string;
}) {
  const [answers, setAnswers] = useState<Answers>(() => ({ ...initial }));
  // the index of the question shown, or the review after the last one
  const [step, setStep] = useState<number | 'review'>(0);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const focusRef = useRef<HTMLElement | null>(null);
  const moved = useRef(false);
  const count = def.items.length;
  const headingId = useId();

  // After Back, Next or Change, focus the question (its fieldset), so that it is read out.
  useEffect(() => {
    if (!moved.current) return;
    focusRef.current?.focus();
  }, [step]);

  function go(next: number | 'review') {
    moved.current = true;
    setSaveError(null);
    setStep(next);
  }

  async function save() {
    setBusy(true);
    setSaveError(null);
    try {
      await onSave(answers);
    } catch (error) {
      setSaveError(
        `Your answers were not saved: ${errorMessage(error)} They are still here; please try again.`,
      );
    } finally {
      setBusy(false);
    }
  }

  const isPhq9 = def.id === 'phq-9';
  const anyAnswer = Object.values(answers).some((answer) => answer.trim() !== '');
  const cancel = (
    <div className="questionnaire__cancel">
      {confirmCancel ? (
        <div className="confirm" role="group" aria-label="Stop without saving?">
          <p className="confirm__question">Stop without saving? The answers you gave are lost.</p>
          <div className="actions actions--row">
            <button type="button" className="button button--danger" onClick={onCancel}>
              Yes, stop without saving
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setConfirmCancel(false)}
            >
              No, go on
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="button button--link"
          onClick={() => (anyAnswer ? setConfirmCancel(true) : onCancel())}
        >
          Stop without saving
        </button>
      )}
    </div>
  );

  if (step === 'review') {
    const summary = summarizeQuestionnaire(def, answers);
    const missing = def.items.filter((item) => !isAnswered(answers, item.linkId));
    return (
      <section className="questionnaire" aria-labelledby={headingId}>
        {isPhq9 ? <CrisisAlert answers={answers} resources={crisisResources} /> : null}
        <h2 id={headingId} tabIndex={-1} ref={(element) => void (focusRef.current = element)}>
          Check your answers: {def.title}
        </h2>
        {context ? <p className="questionnaire__context">{context}</p> : null}
        <p className="muted">{def.stem}</p>
        {missing.length > 0 ? (
          <p className="notice">
            {missing.length === 1 ? 'One question is' : `${missing.length} questions are`} not answered.{' '}
            {summary.score.total === null && summary.score.noTotalReason ? summary.score.noTotalReason : null}
          </p>
        ) : null}
        <ol className="review">
          {def.items.map((item, index) => {
            const answer = summary.items[index]?.answer ?? null;
            return (
              <li key={item.linkId} className="review__item">
                <p className="review__question">{questionLabel(item)}</p>
                <p className={answer === null ? 'review__answer review__answer--none' : 'review__answer'}>
                  {answer ?? 'Not answered'}
                </p>
                <button
                  type="button"
                  className="button button--secondary button--compact"
                  onClick={() => go(index)}
                >
                  Change <span className="visually-hidden">the answer to question {index + 1}</span>
                </button>
              </li>
            );
          })}
        </ol>
        {saveError ? (
          <div className="notice notice--error" role="alert">
            <p>{saveError}</p>
          </div>
        ) : null}
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={() => go(count - 1)}>
            Back
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void save()}
          >
            {busy ? 'Saving…' : saveLabel}
          </button>
        </div>
        {cancel}
      </section>
    );
  }

  const item = def.items[step]!;
  const last = step === count - 1;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    go(last ? 'review' : step + 1);
  };
  // Enter on a chosen answer goes on, as it does in a text field (no need to find the Next button).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (event.key === 'Enter' && target instanceof HTMLInputElement && target.type === 'radio') {
      event.preventDefault();
      target.form?.requestSubmit();
    }
  };
  const progressId = `${headingId}-progress`;
  return (
    <section className="questionnaire" aria-labelledby={headingId}>
      <h2 id={headingId}>{def.title}</h2>
      <p id={progressId} className="questionnaire__progress">
        Question {step + 1} of {count}
      </p>
      <progress className="questionnaire__bar" max={count} value={step + 1} aria-hidden="true" />
      <form className="form" onSubmit={onSubmit} noValidate>
        <div
          key={item.linkId}
          onKeyDown={onKeyDown}
          ref={(element) => {
            // the fieldset (choice) or the text area (text) is what Next moves focus to
            focusRef.current = element?.querySelector<HTMLElement>('fieldset, textarea') ?? null;
          }}
        >
          {item.kind === 'choice' ? (
            <RadioGroup
              id={`q-${item.linkId}`}
              name={item.linkId}
              legend={questionLabel(item)}
              hint={
                context ? (
                  <>
                    <strong className="questionnaire__context">{context}</strong> {def.stem}
                  </>
                ) : (
                  def.stem
                )
              }
              choices={item.answerSet.options.map((option) => ({ value: option.code, label: option.text }))}
              value={answers[item.linkId] ?? null}
              onChange={(code) => setAnswers((previous) => ({ ...previous, [item.linkId]: code }))}
            />
          ) : (
            <TextAreaField
              id={`q-${item.linkId}`}
              label={item.text}
              hint={`At most ${item.maxLength} characters. You can leave it empty.`}
              maxLength={item.maxLength}
              value={answers[item.linkId] ?? ''}
              onChange={(text) => setAnswers((previous) => ({ ...previous, [item.linkId]: text }))}
            />
          )}
        </div>
        {/* Below the answers, not above: what was just tapped does not move away under the finger. */}
        {isPhq9 ? <CrisisAlert answers={answers} resources={crisisResources} scrollIntoView /> : null}
        <div className="actions">
          {step > 0 ? (
            <button type="button" className="button button--secondary" onClick={() => go(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" className="button button--primary">
            {last ? 'Check my answers' : isAnswered(answers, item.linkId) ? 'Next' : 'Skip this question'}
          </button>
        </div>
      </form>
      {cancel}
    </section>
  );
}
