import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, fieldIssues } from '../api/client.js';
import { RadioGroup, TextField } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { dateTimeWords } from '../format.js';
import {
  enrol,
  listParticipation,
  lookupStudy,
  reconsent,
  withdraw,
  type ConsentVersion,
  type Enrolment,
  type StudyLookup,
  type WithdrawalChoice,
} from '../studies/api.js';
import {
  WITHDRAWAL_CHOICE_WORDS,
  scheduleWords,
  taskTitle,
  withdrawalPromiseWords,
  withdrawnDataWords,
} from '../studies/words.js';
import { taskDefinition } from '@dystrack/tasks';
import { errorMessage } from './form-helpers.js';
import './studies.css';

/*
 * The patient's research studies (/participation): join a study with the code a researcher gave, read its
 * consent in full and agree explicitly; see each study taken part in, agree to a new consent version, or
 * withdraw. Taking part is voluntary and the researcher never sees the person's name: the page says so
 * where the decisions are made.
 */

const WITHDRAW_CHOICES = (['keep', 'delete'] as const).map((value) => ({
  value,
  ...WITHDRAWAL_CHOICE_WORDS[value],
}));

/** The study's tasks and routine, in words. */
function WhatYouDo({ tasks, schedule }: Pick<StudyLookup, 'tasks' | 'schedule'>) {
  return (
    <>
      <ul>
        {tasks.map((task) => (
          <li key={task}>
            <strong>{taskTitle(task)}</strong>
            {taskDefinition(task) ? <>: {taskDefinition(task)!.summary}</> : null}
          </li>
        ))}
      </ul>
      <p>How often:</p>
      <ul>
        {scheduleWords(schedule).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}

/** A consent text in full: a scrollable, focusable region of readable text. */
function ConsentText({ consent, label }: { consent: ConsentVersion; label: string }) {
  return (
    <div className="consent-text" role="region" aria-label={label} tabIndex={0}>
      {consent.text}
    </div>
  );
}

/** A large "I agree" check box. */
function AgreeBox({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  children: string;
}) {
  const id = useId();
  return (
    <div className="choices">
      <div className="choice choice--confirm">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{children}</label>
      </div>
    </div>
  );
}

/** Joining, then the studies the person takes or took part in. */
export function ParticipationPage() {
  useTitle('Research studies');
  const [enrolments, setEnrolments] = useState<Enrolment[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listParticipation(controller.signal).then(setEnrolments, (error: unknown) => {
      if (!controller.signal.aborted) setLoadError(errorMessage(error));
    });
    return () => controller.abort();
  }, []);

  function replace(next: Enrolment, note: string) {
    setMessage(note);
    setEnrolments((list) => {
      const rest = (list ?? []).filter((e) => e.study.id !== next.study.id);
      return [next, ...rest];
    });
  }

  return (
    <div className="page studies participation">
      <h1>Research studies</h1>
      <div className="notice notice--info participation__promise" role="note">
        <ul>
          <li>
            Taking part is <strong>voluntary</strong>. Saying no, or stopping later, changes nothing else in
            Dystrack.
          </li>
          <li>
            You can <strong>withdraw at any time</strong>, without giving a reason.
          </li>
          <li>
            The researcher <strong>never sees your name</strong>, username or e-mail address: you appear under
            a pseudonym, your dates are shifted, and nothing you write in your own words (diary notes,
            comments) is shared.
          </li>
        </ul>
      </div>
      <div role="status">{message ? <p className="notice notice--success">{message}</p> : null}</div>

      <JoinStudy
        onJoined={(enrolment) => replace(enrolment, `You joined “${enrolment.study.title}”. Thank you.`)}
      />

      <section aria-labelledby="my-studies-heading">
        <h2 id="my-studies-heading">My studies</h2>
        {loadError ? (
          <p className="notice notice--error" role="alert">
            Your studies could not be loaded: {loadError}
          </p>
        ) : enrolments === null ? (
          <p role="status">Loading your studies…</p>
        ) : enrolments.length === 0 ? (
          <p>You are not taking part in any study.</p>
        ) : (
          <ul className="studies__list">
            {enrolments.map((enrolment) => (
              <EnrolmentCard key={enrolment.study.id} enrolment={enrolment} onChange={replace} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function JoinStudy({ onJoined }: { onJoined: (enrolment: Enrolment) => void }) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [study, setStudy] = useState<StudyLookup | null>(null);
  const [agree, setAgree] = useState(false);
  const [busy, setBusy] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);
  const studyHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (study) studyHeading.current?.focus();
  }, [study]);

  async function look(event: FormEvent) {
    event.preventDefault();
    setStudy(null);
    setAgree(false);
    setJoinError(null);
    if (!code.trim()) {
      setCodeError('Enter the code the researcher gave you.');
      return;
    }
    setCodeError(null);
    setBusy(true);
    try {
      setStudy(await lookupStudy(code.trim()));
    } catch (error) {
      setCodeError(
        error instanceof ApiError && error.status === 404
          ? `${error.message} Check the code with the researcher.`
          : errorMessage(error),
      );
    } finally {
      setBusy(false);
    }
  }

  async function join() {
    if (!study || !agree) return;
    setBusy(true);
    setJoinError(null);
    try {
      const enrolment = await enrol(study.id, study.consent.version);
      setStudy(null);
      setCode('');
      setAgree(false);
      onJoined(enrolment);
    } catch (error) {
      setJoinError(
        error instanceof ApiError && error.code === 'E_CONFLICT'
          ? `${error.message} Look the study up again to read its current consent.`
          : errorMessage(error),
      );
    } finally {
      setBusy(false);
    }
  }

  const existing = study?.enrolment ?? null;

  return (
    <section className="panel" aria-labelledby="join-heading">
      <h2 id="join-heading">Join a study</h2>
      <form className="participation__lookup" onSubmit={look} noValidate>
        <TextField
          id="study-code"
          label="Study code"
          hint="The code the researcher gave you, like ABCD-1234. Looking it up shows the study; it does not join you."
          value={code}
          onChange={setCode}
          error={codeError}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
        />
        <button type="submit" className="button button--secondary" disabled={busy && !study}>
          Look up the study
        </button>
      </form>

      {study ? (
        <article className="participation__study" aria-labelledby="lookup-title">
          <h3 id="lookup-title" ref={studyHeading} tabIndex={-1}>
            {study.title}
          </h3>
          <p>Researcher: {study.researcher.displayName}</p>
          <p className="pre-wrap">{study.description}</p>
          <h4>What you would do</h4>
          <WhatYouDo tasks={study.tasks} schedule={study.schedule} />
          <h4>Consent (version {study.consent.version})</h4>
          <p className="muted">
            Please read it in full. It scrolls; use the arrow keys once it has the focus.
          </p>
          <ConsentText consent={study.consent} label={`Consent text of ${study.title}`} />
          <h4>If you withdraw</h4>
          <p>{withdrawalPromiseWords(study.consent.withdrawalData)}</p>

          {existing && existing.status !== 'withdrawn' ? (
            <p className="notice notice--info">
              You already take part in this study: see “My studies” below.
            </p>
          ) : existing ? (
            <p className="notice notice--info">
              You withdrew from this study
              {existing.withdrawnAt ? ` on ${dateTimeWords(existing.withdrawnAt)}` : ''}. It is listed under
              “My studies” below.
            </p>
          ) : study.status === 'closed' ? (
            <p className="notice notice--info">This study no longer takes new participants.</p>
          ) : (
            <>
              <AgreeBox checked={agree} onChange={setAgree}>
                I have read the consent text and agree to take part in this study
              </AgreeBox>
              <div className="actions">
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!agree || busy}
                  aria-describedby={agree ? undefined : 'join-needs-agree'}
                  onClick={() => void join()}
                >
                  {busy ? 'Joining…' : 'Join the study'}
                </button>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setStudy(null);
                    setAgree(false);
                  }}
                >
                  Not now
                </button>
              </div>
              {agree ? null : (
                <p id="join-needs-agree" className="muted">
                  Tick “I agree” to join. Not joining is fine: nothing changes for you.
                </p>
              )}
            </>
          )}
          {joinError ? (
            <p className="notice notice--error" role="alert">
              You did not join: {joinError}
            </p>
          ) : null}
        </article>
      ) : null}
    </section>
  );
}

function statusLine(enrolment: Enrolment): string {
  if (enrolment.status === 'consenting')
    return `You take part (consent version ${enrolment.consentVersion}${
      enrolment.consentedAt ? `, agreed ${dateTimeWords(enrolment.consentedAt)}` : ''
    }).`;
  if (enrolment.status === 'awaiting-reconsent')
    return 'The study has a new consent text. Until you agree to it, none of your data is shared with the study.';
  return `Ended${enrolment.withdrawnAt ? ` on ${dateTimeWords(enrolment.withdrawnAt)}` : ''}: you withdrew.`;
}

function EnrolmentCard({
  enrolment,
  onChange,
}: {
  enrolment: Enrolment;
  onChange: (enrolment: Enrolment, note: string) => void;
}) {
  const { study } = enrolment;
  const headingId = `enrolment-${study.id}`;
  const withdrawn = enrolment.status === 'withdrawn';
  return (
    <li className={`panel participation__enrolment${withdrawn ? ' participation__enrolment--ended' : ''}`}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>{study.title}</h3>
        <p>Researcher: {study.researcher.displayName}</p>
        <p className="status-line">{statusLine(enrolment)}</p>
        {withdrawn ? (
          <p>{withdrawnDataWords(enrolment.withdrawalData)}</p>
        ) : (
          <>
            {enrolment.status === 'awaiting-reconsent' ? (
              <Reconsent enrolment={enrolment} onChange={onChange} />
            ) : null}
            <details className="participation__details">
              <summary>What the study asks of you</summary>
              <WhatYouDo tasks={study.tasks} schedule={study.schedule} />
            </details>
            <details className="participation__details">
              <summary>The consent you agreed to (version {enrolment.agreedConsent.version})</summary>
              <ConsentText consent={enrolment.agreedConsent} label={`Consent text of ${study.title}`} />
              <p>{withdrawalPromiseWords(enrolment.agreedConsent.withdrawalData)}</p>
            </details>
            <Withdraw enrolment={enrolment} onChange={onChange} />
          </>
        )}
      </article>
    </li>
  );
}

function Reconsent({
  enrolment,
  onChange,
}: {
  enrolment: Enrolment;
  onChange: (enrolment: Enrolment, note: string) => void;
}) {
  const [agree, setAgree] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const consent = enrolment.currentConsent;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const next = await reconsent(enrolment.study.id, consent.version);
      onChange(next, `You agreed to the new consent of “${enrolment.study.title}”.`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <div className="participation__reconsent">
      <div className="notice notice--info" role="note">
        <p>
          <strong>What changed:</strong> you agreed to consent version {enrolment.consentVersion}; the
          researcher has published version {consent.version}. Please read it again in full. If you do not
          agree, you can withdraw below, or do nothing: none of your data is shared while you decide.
        </p>
      </div>
      <ConsentText
        consent={consent}
        label={`New consent text of ${enrolment.study.title}, version ${consent.version}`}
      />
      <p>{withdrawalPromiseWords(consent.withdrawalData)}</p>
      <AgreeBox checked={agree} onChange={setAgree}>
        {`I have read consent version ${consent.version} and agree to keep taking part`}
      </AgreeBox>
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!agree || busy}
          onClick={() => void submit()}
        >
          {busy ? 'Saving…' : 'Agree to the new consent'}
        </button>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert">
          Your agreement was not saved: {error}
        </p>
      ) : null}
    </div>
  );
}

function Withdraw({
  enrolment,
  onChange,
}: {
  enrolment: Enrolment;
  onChange: (enrolment: Enrolment, note: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [choice, setChoice] = useState<WithdrawalChoice | null>(null);
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);
  // The promise of the consent the participant agreed to decides (the server's rule); should the server
  // still ask for a choice, the choice is asked for then.
  const [asked, setAsked] = useState(false);
  const chooses = enrolment.agreedConsent.withdrawalData === 'participant-chooses' || asked;
  const groupId = `withdraw-${enrolment.study.id}`;

  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);

  useEffect(() => {
    // the server asked for a choice: take the person to it
    if (asked) document.getElementById(`${groupId}-data`)?.focus();
  }, [asked, groupId]);

  async function confirm() {
    if (chooses && !choice) {
      setChoiceError('Choose what happens to your data.');
      document.getElementById(`${groupId}-data`)?.focus();
      return;
    }
    setChoiceError(null);
    setBusy(true);
    setError(null);
    try {
      const next = await withdraw(enrolment.study.id, chooses ? (choice ?? undefined) : undefined);
      onChange(next, `You withdrew from “${enrolment.study.title}”.`);
    } catch (caught) {
      setBusy(false);
      if (!chooses && caught instanceof ApiError && fieldIssues(caught).data?.startsWith('required')) {
        setAsked(true);
        setChoiceError('The consent you agreed to lets you choose: choose what happens to your data.');
        return;
      }
      setError(errorMessage(caught));
    }
  }

  if (!confirming)
    return (
      <button
        type="button"
        className="button button--secondary"
        // the visible word starts the name; the study's title tells several studies' buttons apart
        aria-label={`Withdraw from ${enrolment.study.title}`}
        onClick={() => setConfirming(true)}
      >
        Withdraw
      </button>
    );

  return (
    <div className="confirm" role="group" aria-labelledby={`${groupId}-question`}>
      <p id={`${groupId}-question`} className="confirm__question" ref={questionRef} tabIndex={-1}>
        Withdraw from “{enrolment.study.title}”?
      </p>
      <p>
        Nothing you record from now on is shared with the study. Your own records in Dystrack stay as they
        are. Withdrawing is final: to take part again you would have to ask the researcher.
      </p>
      {chooses ? (
        <RadioGroup
          id={`${groupId}-data`}
          legend="What should happen to the data you recorded for the study until now?"
          name={`${groupId}-data`}
          choices={WITHDRAW_CHOICES}
          value={choice}
          onChange={(value) => {
            setChoice(value);
            setChoiceError(null);
          }}
          error={choiceError}
        />
      ) : (
        <p>
          {enrolment.agreedConsent.withdrawalData === 'delete'
            ? 'As the study’s consent promises, all of your data leaves the study.'
            : 'As the study’s consent promises, your data until today stays in the study, under your pseudonym.'}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setConfirming(false)}
          disabled={busy}
        >
          No, stay in the study
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => void confirm()}
          disabled={busy}
        >
          {busy ? 'Withdrawing…' : 'Yes, withdraw'}
        </button>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert">
          You were not withdrawn: {error}
        </p>
      ) : null}
    </div>
  );
}
