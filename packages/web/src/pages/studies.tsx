import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TASK_DEFINITIONS } from '@dystrack/tasks';
import { Link, useLocation } from 'wouter';
import { ApiError } from '../api/client.js';
import {
  CheckboxGroup,
  ErrorSummary,
  RadioGroup,
  TextAreaField,
  TextField,
  type FormProblem,
} from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { downloadText } from '../download.js';
import { dateTimeWords } from '../format.js';
import {
  closeStudy,
  createStudy,
  getStudy,
  getStudyExport,
  listStudies,
  publishConsentVersion,
  type Study,
  type StudyDetail,
  type WithdrawalData,
} from '../studies/api.js';
import {
  ROUTINE_TIME_ID,
  RoutineBuilder,
  emptyRoutine,
  routineSchedule,
  type RoutineDraft,
} from '../studies/routine-builder.js';
import {
  PARTICIPANT_STATUS_WORDS,
  WITHDRAWAL_RESEARCHER_WORDS,
  listWords,
  localTimeZone,
  scheduleWords,
  taskTitle,
} from '../studies/words.js';
import { errorMessage, problemsFromApi, useFormProblems } from './form-helpers.js';
import './studies.css';

/*
 * The researcher's studies (/studies) and one study (/studies/:studyId). Participants are pseudonymous:
 * these pages never show a name or a date of a participant, and the export is made de-identified on the
 * server. Every action that cannot be undone (closing enrolment, a new consent version) says what it does
 * first.
 */

const WITHDRAWAL_CHOICES = (['keep', 'delete', 'participant-chooses'] as const).map((value) => ({
  value,
  ...WITHDRAWAL_RESEARCHER_WORDS[value],
}));

/** What every study's data is like, said on both researcher pages. */
function PrivacyNote() {
  return (
    <div className="notice notice--info studies__privacy" role="note">
      <p>
        Participants are <strong>pseudonymous</strong>: you see a pseudonym for each, never a name, username
        or e-mail address. In the export every date is <strong>shifted</strong> by a secret number of days per
        participant (intervals within one participant stay true), and <strong>no free text</strong> (diary
        notes, comments, occupation) is ever exported.
      </p>
    </div>
  );
}

/** The three participant counts with what each means. */
function Counts({ counts }: { counts: Study['counts'] }) {
  return (
    <>
      <div>
        <dt>Consenting</dt>
        <dd>
          {counts.consenting} <span className="muted">taking part under the current consent</span>
        </dd>
      </div>
      <div>
        <dt>Awaiting re-consent</dt>
        <dd>
          {counts.awaitingReconsent}{' '}
          <span className="muted">left out of the export until they agree to the current text</span>
        </dd>
      </div>
      <div>
        <dt>Withdrawn</dt>
        <dd>
          {counts.withdrawn} <span className="muted">no longer taking part</span>
        </dd>
      </div>
    </>
  );
}

function statusWords(status: Study['status']): string {
  return status === 'open' ? 'Open for enrolment' : 'Enrolment closed';
}

/** The list of studies and the "New study" form. */
export function StudiesPage() {
  useTitle('Studies');
  const [studies, setStudies] = useState<Study[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    listStudies(controller.signal).then(setStudies, (error: unknown) => {
      if (!controller.signal.aborted) setLoadError(errorMessage(error));
    });
    return () => controller.abort();
  }, []);

  return (
    <div className="page studies">
      <h1>Studies</h1>
      <p className="lead">
        Your research studies: the tasks and routine participants follow, the consent they agree to, and a
        de-identified export of their data.
      </p>
      <PrivacyNote />

      <section aria-labelledby="studies-list-heading">
        <h2 id="studies-list-heading">Your studies</h2>
        {loadError ? (
          <p className="notice notice--error" role="alert">
            The studies could not be loaded: {loadError}
          </p>
        ) : studies === null ? (
          <p role="status">Loading your studies…</p>
        ) : studies.length === 0 ? (
          <p>You have no studies yet. Start one with “New study”.</p>
        ) : (
          <ul className="studies__list">
            {studies.map((study) => (
              <li key={study.id} className="panel studies__item">
                <h3>
                  <Link href={`/studies/${study.id}`}>{study.title}</Link>
                </h3>
                <dl className="facts">
                  <div>
                    <dt>Status</dt>
                    <dd>{statusWords(study.status)}</dd>
                  </div>
                  <div>
                    <dt>Enrol code</dt>
                    <dd className="studies__code-inline">{study.enrolCode}</dd>
                  </div>
                  <div>
                    <dt>Consent version</dt>
                    <dd>{study.consent.version}</dd>
                  </div>
                  <Counts counts={study.counts} />
                </dl>
              </li>
            ))}
          </ul>
        )}
      </section>

      {creating ? (
        <NewStudyForm
          onCancel={() => {
            setCreating(false);
            requestAnimationFrame(() => newButton.current?.focus());
          }}
        />
      ) : (
        <button
          ref={newButton}
          type="button"
          className="button button--primary"
          onClick={() => setCreating(true)}
        >
          New study
        </button>
      )}
    </div>
  );
}

/** The new study's fields, checked before sending. */
export function newStudyProblems(fields: {
  title: string;
  description: string;
  tasks: readonly string[];
  consentText: string;
  withdrawal: WithdrawalData | null;
  time: string | null;
}): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!fields.title.trim()) problems.push({ fieldId: 'study-title', message: 'Give the study a title.' });
  if (!fields.description.trim())
    problems.push({ fieldId: 'study-description', message: 'Describe the study for participants.' });
  if (fields.tasks.length === 0)
    problems.push({ fieldId: 'study-tasks', message: 'Choose at least one task.' });
  if (fields.time !== null && !/^([01]\d|2[0-3]):[0-5]\d$/.test(fields.time))
    problems.push({ fieldId: ROUTINE_TIME_ID, message: 'Choose a time of day for the routine.' });
  if (!fields.consentText.trim())
    problems.push({ fieldId: 'study-consent', message: 'Write the consent text participants agree to.' });
  if (!fields.withdrawal)
    problems.push({
      fieldId: 'study-withdrawal',
      message: 'Choose what happens to a participant’s data on withdrawal.',
    });
  return problems;
}

function NewStudyForm({ onCancel }: { onCancel: () => void }) {
  const [, navigate] = useLocation();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tasks, setTasks] = useState<string[]>([]);
  const [routine, setRoutine] = useState<RoutineDraft>(emptyRoutine);
  const [consentText, setConsentText] = useState('');
  const [withdrawal, setWithdrawal] = useState<WithdrawalData | null>(null);
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const timeZone = localTimeZone();

  useEffect(() => headingRef.current?.focus(), []);

  // the catalogue's order, whatever order the boxes were ticked in
  const chosen = TASK_DEFINITIONS.map((d) => d.id as string).filter((id) => tasks.includes(id));
  const schedule = routineSchedule(routine, chosen, timeZone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = newStudyProblems({
      title,
      description,
      tasks: chosen,
      consentText,
      withdrawal,
      time: schedule ? routine.time : null,
    });
    show(found);
    if (found.length > 0 || !withdrawal) return;
    setBusy(true);
    try {
      const study = await createStudy({
        title: title.trim(),
        description: description.trim(),
        tasks: chosen,
        schedule,
        consent: { text: consentText.trim(), withdrawalData: withdrawal },
      });
      navigate(`/studies/${study.id}`);
    } catch (error) {
      setBusy(false);
      show(
        problemsFromApi(
          error,
          {
            title: 'study-title',
            description: 'study-description',
            tasks: 'study-tasks',
            schedule: ROUTINE_TIME_ID,
            'consent.text': 'study-consent',
            'consent.withdrawalData': 'study-withdrawal',
          },
          'study-title',
        ),
      );
    }
  }

  return (
    <section className="panel studies__new" aria-labelledby="new-study-heading">
      <h2 id="new-study-heading" ref={headingRef} tabIndex={-1}>
        New study
      </h2>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          id="study-title"
          label="Title"
          hint="Participants see it when they enter the code."
          value={title}
          onChange={setTitle}
          error={errorOf('study-title')}
          autoComplete="off"
        />
        <TextAreaField
          id="study-description"
          label="Description"
          hint="What the study is about and why, in plain words for participants."
          value={description}
          onChange={setDescription}
          error={errorOf('study-description')}
          rows={5}
        />
        <CheckboxGroup
          id="study-tasks"
          legend="Tasks"
          hint="The tasks participants record for the study. Only these tasks’ results are in the export."
          name="study-tasks"
          choices={TASK_DEFINITIONS.map((d) => ({
            value: d.id as string,
            label: d.title,
            description: d.summary,
          }))}
          values={tasks}
          onChange={setTasks}
          error={errorOf('study-tasks')}
        />
        <fieldset className="studies__routine-box">
          <legend>Routine</legend>
          <p className="field__hint">
            How often participants are asked to record each task. Participants see it in words before they
            join; it is a request, not an obligation.
          </p>
          <RoutineBuilder
            tasks={chosen}
            value={routine}
            onChange={setRoutine}
            timeZone={timeZone}
            timeError={errorOf(ROUTINE_TIME_ID)}
          />
          {schedule ? (
            <div className="studies__routine-words">
              <p>Participants will read:</p>
              <ul>
                {scheduleWords(schedule).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </fieldset>
        <TextAreaField
          id="study-consent"
          label="Consent text"
          hint="The full text participants read and agree to before they join: purpose, what they do, what is collected, who sees it, how long it is kept, how to contact you."
          className="studies__consent-input"
          value={consentText}
          onChange={setConsentText}
          error={errorOf('study-consent')}
          rows={16}
        />
        <RadioGroup
          id="study-withdrawal"
          legend="What happens to a participant’s data when they withdraw"
          hint="Participants read this promise before agreeing; it can only change with a new consent version."
          name="study-withdrawal"
          choices={WITHDRAWAL_CHOICES}
          value={withdrawal}
          onChange={setWithdrawal}
          error={errorOf('study-withdrawal')}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating the study…' : 'Create the study'}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** One study: its code, participants, consent versions, closing and the export. */
export function StudyPage({ studyId }: { studyId: string }) {
  const [study, setStudy] = useState<StudyDetail | null>(null);
  const [loadError, setLoadError] = useState<{ notFound: boolean; message: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useTitle(study ? `Study: ${study.title}` : 'Study');

  useEffect(() => {
    const controller = new AbortController();
    getStudy(studyId, controller.signal).then(setStudy, (error: unknown) => {
      if (controller.signal.aborted) return;
      setLoadError({
        notFound: error instanceof ApiError && error.status === 404,
        message: errorMessage(error),
      });
    });
    return () => controller.abort();
  }, [studyId]);

  /** After a change: the new study, with the participants re-read (their statuses may have changed). */
  async function refresh(changed: Study, note: string) {
    setMessage(note);
    try {
      setStudy(await getStudy(studyId));
    } catch {
      setStudy((previous) => (previous ? { ...previous, ...changed } : previous));
    }
  }

  if (loadError)
    return (
      <div className="page studies">
        <h1>Study</h1>
        <p className="notice notice--error" role="alert">
          {loadError.notFound
            ? 'There is no such study among yours.'
            : `The study could not be loaded: ${loadError.message}`}
        </p>
        <p>
          <Link href="/studies">Back to your studies</Link>
        </p>
      </div>
    );
  if (!study)
    return (
      <div className="page studies">
        <h1>Study</h1>
        <p role="status">Loading the study…</p>
      </div>
    );

  return (
    <div className="page studies">
      <p>
        <Link href="/studies">← Your studies</Link>
      </p>
      <h1>{study.title}</h1>
      <div role="status" className="studies__message">
        {message ? <p className="notice notice--success">{message}</p> : null}
      </div>
      <p className="pre-wrap">{study.description}</p>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>{statusWords(study.status)}</dd>
        </div>
        <div>
          <dt>Consent version</dt>
          <dd>
            {study.consent.version}{' '}
            <span className="muted">published {dateTimeWords(study.consent.createdAt)}</span>
          </dd>
        </div>
        <Counts counts={study.counts} />
      </dl>

      <section className="panel" aria-labelledby="study-code-heading">
        <h2 id="study-code-heading">Enrol code</h2>
        <EnrolCode study={study} />
      </section>

      <section className="panel" aria-labelledby="study-what-heading">
        <h2 id="study-what-heading">What participants do</h2>
        <p>
          <strong>Tasks:</strong> {listWords(study.tasks.map(taskTitle))}
        </p>
        <ul>
          {scheduleWords(study.schedule).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="study-participants-heading">
        <h2 id="study-participants-heading">Participants</h2>
        <PrivacyNote />
        {study.participants.length === 0 ? (
          <p>No one has joined yet.</p>
        ) : (
          <div
            className="studies__table-wrap"
            tabIndex={0}
            role="region"
            aria-labelledby="study-participants-heading"
          >
            <table className="studies__table">
              <caption className="visually-hidden">
                Participants by pseudonym, with their status and the consent version they agreed to
              </caption>
              <thead>
                <tr>
                  <th scope="col">Pseudonym</th>
                  <th scope="col">Status</th>
                  <th scope="col">Consent version agreed</th>
                </tr>
              </thead>
              <tbody>
                {study.participants.map((participant) => (
                  <tr key={participant.pseudonym}>
                    <th scope="row" className="studies__pseudonym">
                      {participant.pseudonym}
                    </th>
                    <td>{PARTICIPANT_STATUS_WORDS[participant.status]}</td>
                    <td>{participant.consentVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="study-consent-heading">
        <h2 id="study-consent-heading">Consent</h2>
        <p>
          Version {study.consent.version}. On withdrawal:{' '}
          {WITHDRAWAL_RESEARCHER_WORDS[study.consent.withdrawalData].label.toLowerCase()}.
        </p>
        <details className="studies__consent-details">
          <summary>Read the current consent text</summary>
          <div className="consent-text">{study.consent.text}</div>
        </details>
        <NewConsentVersion
          study={study}
          onPublished={(changed) =>
            void refresh(
              changed,
              `Consent version ${changed.consent.version} is published. Every participant is asked to agree to it again.`,
            )
          }
        />
      </section>

      <ExportSection study={study} />

      {study.status === 'open' ? (
        <CloseEnrolment
          study={study}
          onClosed={(changed) =>
            void refresh(changed, 'Enrolment is closed: the code no longer lets anyone join.')
          }
        />
      ) : null}
    </div>
  );
}

/** The code, big and copyable, with what to do with it. */
function EnrolCode({ study }: { study: Study }) {
  const [copied, setCopied] = useState<string | null>(null);
  if (study.status === 'closed')
    return (
      <>
        <p className="studies__code studies__code--closed">{study.enrolCode}</p>
        <p>Enrolment is closed: this code no longer lets anyone join. Participants who joined carry on.</p>
      </>
    );
  return (
    <>
      <p id="study-code-hint">
        Give this code to the people you invite (on paper, by e-mail, on your recruitment material). They
        enter it in Dystrack under “Research studies”, read the consent text and decide whether to join. The
        code is not a password: it only shows the study and its consent.
      </p>
      <p className="studies__code" aria-describedby="study-code-hint">
        {study.enrolCode}
      </p>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          navigator.clipboard.writeText(study.enrolCode).then(
            () => setCopied('Code copied.'),
            () => setCopied('Copying did not work: select the code and copy it yourself.'),
          );
        }}
      >
        Copy the code
      </button>
      <p role="status" className="field__hint">
        {copied}
      </p>
    </>
  );
}

function NewConsentVersion({ study, onPublished }: { study: Study; onPublished: (study: Study) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(study.consent.text);
  const [withdrawal, setWithdrawal] = useState<WithdrawalData>(study.consent.withdrawalData);
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const next = study.consent.version + 1;

  if (!open)
    return (
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          setText(study.consent.text);
          setWithdrawal(study.consent.withdrawalData);
          setOpen(true);
        }}
      >
        Publish a new consent version
      </button>
    );

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      show([{ fieldId: 'consent-new-text', message: 'Write the new consent text.' }]);
      return;
    }
    if (text.trim() === study.consent.text.trim() && withdrawal === study.consent.withdrawalData) {
      show([
        { fieldId: 'consent-new-text', message: 'Nothing changed: edit the text or the withdrawal choice.' },
      ]);
      return;
    }
    show([]);
    setBusy(true);
    try {
      const changed = await publishConsentVersion(study.id, {
        text: text.trim(),
        withdrawalData: withdrawal,
      });
      setOpen(false);
      onPublished(changed);
    } catch (error) {
      show(
        problemsFromApi(
          error,
          { text: 'consent-new-text', withdrawalData: 'consent-new-withdrawal' },
          'consent-new-text',
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form studies__new-consent"
      onSubmit={submit}
      noValidate
      aria-labelledby="consent-new-heading"
    >
      <h3 id="consent-new-heading">New consent version ({next})</h3>
      <div className="notice notice--error" role="note">
        <p>
          <strong>Every participant must agree again.</strong> Until a participant agrees to version {next},
          none of their data is in the export, not even what they recorded before. Participants who do not
          agree stay “awaiting re-consent”.
        </p>
      </div>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <TextAreaField
        id="consent-new-text"
        label={`Consent text, version ${next}`}
        className="studies__consent-input"
        value={text}
        onChange={setText}
        error={errorOf('consent-new-text')}
        rows={16}
      />
      <RadioGroup
        id="consent-new-withdrawal"
        legend="What happens to a participant’s data when they withdraw"
        name="consent-new-withdrawal"
        choices={WITHDRAWAL_CHOICES}
        value={withdrawal}
        onChange={setWithdrawal}
        error={errorOf('consent-new-withdrawal')}
      />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Publishing…' : `Publish version ${next}`}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setOpen(false)}
          disabled={busy}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function ExportSection({ study }: { study: Study }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function download() {
    setBusy(true);
    setStatus(null);
    try {
      const file = await getStudyExport(study.id);
      downloadText(file.fileName, file.text, 'application/json');
      setStatus({ ok: true, text: `Saved as ${file.fileName}.` });
    } catch (error) {
      setStatus({ ok: false, text: `The export could not be downloaded: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="study-export-heading">
      <h2 id="study-export-heading">De-identified export</h2>
      <p>
        One JSON file. Who is in it: participants consenting to the current consent version, and withdrawn
        participants whose data is to be kept (their data up to the withdrawal). For each: a pseudonym, the
        consent version they agreed to, the recordings of the study’s tasks (
        {listWords(study.tasks.map(taskTitle))}) from their enrolment on, with their measures, and their
        rating-scale totals and treatments. Every date is shifted by that participant’s own secret number of
        days, without the time of day; intervals within one participant stay exact.
      </p>
      <p>
        It <strong>never</strong> contains names, usernames, real ids or addresses, real dates or times of
        day, free text (notes, medication names, rater names), device or browser names, recordings of other
        tasks, participants awaiting re-consent (until they agree), or the data of participants whose data is
        to be removed.
      </p>
      <button
        type="button"
        className="button button--primary"
        onClick={() => void download()}
        disabled={busy}
      >
        {busy ? 'Preparing the export…' : 'Download de-identified export'}
      </button>
      <div role={status && !status.ok ? 'alert' : 'status'}>
        {status ? <p className={status.ok ? 'status-line' : 'notice notice--error'}>{status.text}</p> : null}
      </div>
    </section>
  );
}

function CloseEnrolment({ study, onClosed }: { study: Study; onClosed: (study: Study) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // the safe choice gets the focus, so that a stray key press does not close
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  async function close() {
    setBusy(true);
    setError(null);
    try {
      onClosed(await closeStudy(study.id));
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <section className="panel panel--danger" aria-labelledby="study-close-heading">
      <h2 id="study-close-heading">Close enrolment</h2>
      <p>
        Nobody can join with the code any more. Participants who already joined carry on and stay in the
        export.
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="study-close-question">
          <p id="study-close-question" className="confirm__question">
            Close enrolment of “{study.title}”? This cannot be undone.
          </p>
          <div className="actions">
            <button
              ref={keepRef}
              type="button"
              className="button button--secondary"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              No, keep it open
            </button>
            <button
              type="button"
              className="button button--danger"
              onClick={() => void close()}
              disabled={busy}
            >
              Yes, close enrolment
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          Close enrolment
        </button>
      )}
      {error ? (
        <p className="notice notice--error" role="alert">
          Enrolment was not closed: {error}
        </p>
      ) : null}
    </section>
  );
}
