import {
  checkRedFlags as checkRedFlagsHere,
  type Onset,
  type OtherSign,
  type RedFlagAnswers,
  type RedFlagResult,
} from '@dystrack/core';
import { useId, useRef, useState, type FormEvent } from 'react';
import { checkRedFlags } from '../api/records.js';
import { CheckboxGroup, RadioGroup } from '../components/form.js';
import { SeeADoctor } from '../components/see-a-doctor.js';

/*
 * A short checklist of signs that suggest something other than a focal hand dystonia (core safety.ts):
 * sudden onset, rapid spread, weakness, symptoms at rest, other neurological signs. Nothing is stored.
 * When a rule fires, the see-a-doctor message is shown with the answers that raised it.
 */

type YesNo = 'yes' | 'no';

const ONSET_CHOICES: { value: Onset; label: string }[] = [
  { value: 'minutes-or-hours', label: 'Suddenly, within minutes or hours' },
  { value: 'days-or-weeks', label: 'Quickly, within days or weeks' },
  { value: 'months-or-years', label: 'Slowly, over months or years' },
  { value: 'unknown', label: 'I do not know' },
];

const SIGN_CHOICES: { value: OtherSign; label: string }[] = [
  { value: 'speech-or-swallowing', label: 'Trouble speaking or swallowing' },
  { value: 'face', label: 'Changes in the face, such as drooping' },
  { value: 'vision', label: 'Changes in vision' },
  { value: 'balance-or-walking', label: 'Trouble with balance or walking' },
  { value: 'numbness', label: 'Numbness or loss of feeling' },
  { value: 'thinking-or-memory', label: 'Changes in thinking or memory' },
];

const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/** The yes/no questions, by the answer field they fill. */
const QUESTIONS: {
  field: Exclude<keyof RedFlagAnswers, 'onset' | 'otherSigns'>;
  legend: string;
  hint?: string;
}[] = [
  {
    field: 'spreadQuickly',
    legend: 'Did the symptoms spread to other parts of the body within weeks or a few months?',
  },
  { field: 'weakness', legend: 'Is there weakness, not only cramping, curling or slowness?' },
  {
    field: 'presentAtRest',
    legend: 'Are the symptoms there even when you are not doing the task?',
    hint: 'For example when your hand rests on the table.',
  },
  { field: 'startedAfterNewMedicine', legend: 'Did the symptoms begin after you started a new medicine?' },
  { field: 'startedAfterHeadInjury', legend: 'Did the symptoms begin after a head injury?' },
  { field: 'seenDoctor', legend: 'Have you seen a doctor about your hand?' },
];

interface Draft {
  onset: Onset | null;
  otherSigns: OtherSign[];
  answers: Partial<Record<(typeof QUESTIONS)[number]['field'], YesNo>>;
}

/** The answers to send: unanswered questions are left out (they raise no flag). */
export function draftToRedFlagAnswers(draft: Draft): RedFlagAnswers {
  const out: { -readonly [K in keyof RedFlagAnswers]: RedFlagAnswers[K] } = {};
  if (draft.onset) out.onset = draft.onset;
  if (draft.otherSigns.length > 0) out.otherSigns = draft.otherSigns;
  for (const { field } of QUESTIONS) {
    const answer = draft.answers[field];
    if (answer) out[field] = answer === 'yes';
  }
  return out;
}

function RedFlagOutcome({ result }: { result: RedFlagResult }) {
  const titleId = useId();
  if (result.level === 'none') {
    return (
      <div className="notice" role="status">
        <p>
          None of these answers is a sign that needs a doctor straight away. If something changes, or you are
          unsure, talk to your doctor.
        </p>
      </div>
    );
  }
  return (
    <section
      className={`red-flags__result red-flags__result--${result.level}`}
      role="alert"
      aria-labelledby={titleId}
    >
      <h3 id={titleId}>{result.title}</h3>
      <p>{result.message}</p>
      <p>The answers that raised it:</p>
      <ul>
        {result.flags.map((flag) => (
          <li key={flag.code}>{flag.text}</li>
        ))}
      </ul>
      {result.level === 'see-doctor' ? <SeeADoctor /> : null}
    </section>
  );
}

/** The red-flag checklist and its outcome. */
export function RedFlagSection() {
  const [draft, setDraft] = useState<Draft>({ onset: null, otherSigns: [], answers: {} });
  const [result, setResult] = useState<RedFlagResult | null>(null);
  const [busy, setBusy] = useState(false);
  const outcomeRef = useRef<HTMLDivElement>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const answers = draftToRedFlagAnswers(draft);
    setBusy(true);
    let outcome: RedFlagResult;
    try {
      outcome = await checkRedFlags(answers);
    } catch {
      // The rule is core's and runs here too: a safety message must not wait for the server.
      outcome = checkRedFlagsHere(answers);
    } finally {
      setBusy(false);
    }
    setResult(outcome);
    requestAnimationFrame(() => outcomeRef.current?.focus());
  }

  const change = (next: Partial<Draft>) => {
    setResult(null);
    setDraft((previous) => ({ ...previous, ...next }));
  };

  return (
    <section aria-labelledby="red-flags-heading" className="records-section">
      <h2 id="red-flags-heading">Signs to check with a doctor</h2>
      <p>
        Some signs suggest something other than a focal hand dystonia. Answer what you can, whenever you like;
        nothing here is saved. Leave out what you are not sure about.
      </p>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <RadioGroup
          id="red-flags-onset"
          name="red-flags-onset"
          legend="How did the hand symptoms begin?"
          choices={ONSET_CHOICES}
          value={draft.onset}
          onChange={(onset) => change({ onset })}
        />
        {QUESTIONS.map((question) => (
          <RadioGroup
            key={question.field}
            id={`red-flags-${question.field}`}
            name={`red-flags-${question.field}`}
            legend={question.legend}
            hint={question.hint}
            choices={YES_NO}
            value={draft.answers[question.field] ?? null}
            onChange={(answer) => change({ answers: { ...draft.answers, [question.field]: answer } })}
          />
        ))}
        <CheckboxGroup
          id="red-flags-signs"
          name="red-flags-signs"
          legend="Have you noticed any of these?"
          hint="Tick all that apply, or none."
          choices={SIGN_CHOICES}
          values={draft.otherSigns}
          onChange={(otherSigns) => change({ otherSigns })}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Checking…' : 'Check my answers'}
          </button>
        </div>
      </form>
      <div ref={outcomeRef} tabIndex={-1} className="red-flags__outcome">
        {result ? <RedFlagOutcome result={result} /> : null}
      </div>
    </section>
  );
}
