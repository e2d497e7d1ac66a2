import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client.js';
import {
  listClinicPatients,
  listInvitations,
  redeemPatientCode,
  type ClinicInvitation,
  type ClinicPatient,
  type RedeemedShare,
} from '../clinic/api.js';
import { InvitationList, InviteForm } from '../clinic/invite.js';
import {
  changeItemWords,
  changesHeadline,
  dayWords,
  patientName,
  RELIABLE_CHANGE_WORDS,
  SCOPE_WORDS,
  scopesWords,
  sortPatients,
  untilWords,
} from '../clinic/words.js';
import { TextField } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { errorMessage } from './form-helpers.js';
import { forgetFragmentCode, takeFragmentCode } from '../components/fragment-code.js';
import { normaliseCode } from '../sharing/labels.js';
import './clinic.css';

/*
 * The clinician's pages (issue 11): the dashboard of patients who share with them (/clinic), with the
 * reliable changes since the last visit and the clinician's invitations, and redeeming a patient's code
 * (/clinic/redeem). The words describe measurements; they never diagnose.
 */

type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/** One patient on the dashboard. */
function PatientItem({ patient }: { patient: ClinicPatient }) {
  const name = patientName(patient);
  const changes = patient.changes;
  const headingId = `patient-${patient.patientId}`;
  const worse = changes?.items.filter((i) => i.direction === 'worse') ?? [];
  const better = changes?.items.filter((i) => i.direction === 'better') ?? [];
  return (
    <li className={`clinic__patient panel${changes && changes.worse > 0 ? ' clinic__patient--worse' : ''}`}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="clinic__patient-name">
          {name} <span className="muted">@{patient.username}</span>
        </h3>
        <dl className="facts clinic__facts">
          <div>
            <dt>Shares</dt>
            <dd>{scopesWords(patient.scopes)}</dd>
          </div>
          <div>
            <dt>Shared</dt>
            <dd>
              since {dayWords(patient.sharedSince)}, {untilWords(patient.expiresAt)}
            </dd>
          </div>
          <div>
            <dt>Last visit</dt>
            <dd>{patient.lastVisitAt ? dayWords(patient.lastVisitAt) : 'None recorded'}</dd>
          </div>
        </dl>
        <p className={`clinic__changes${changes && changes.worse > 0 ? ' clinic__changes--worse' : ''}`}>
          <strong>{changesHeadline(changes)}</strong>
        </p>
        {worse.length || better.length ? (
          <ul className="clinic__change-list">
            {[...worse, ...better].map((item) => (
              <li
                key={`${item.task}/${item.metricId}/${item.hand}`}
                className={`clinic__change clinic__change--${item.direction}`}
              >
                {changeItemWords(item)}
              </li>
            ))}
          </ul>
        ) : null}
        <Link
          href={`/clinic/patients/${encodeURIComponent(patient.patientId)}`}
          className="button button--primary"
          aria-label={`Open ${name}’s page`}
        >
          Open
        </Link>
      </article>
    </li>
  );
}

/** The clinician's dashboard (`/clinic`). */
export function ClinicPage() {
  useTitle('Patients');
  const [patients, setPatients] = useState<Load<ClinicPatient[]>>({ state: 'loading' });
  const [invitations, setInvitations] = useState<Load<ClinicInvitation[]>>({ state: 'loading' });
  const [inviting, setInviting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const inviteButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    listClinicPatients(controller.signal).then(
      (value) => setPatients({ state: 'ready', value }),
      (error: unknown) => {
        if (!controller.signal.aborted) setPatients({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const loadInvitations = useCallback((signal?: AbortSignal) => {
    listInvitations(signal).then(
      (value) => setInvitations({ state: 'ready', value }),
      (error: unknown) => {
        if (!signal?.aborted) setInvitations({ state: 'error', message: errorMessage(error) });
      },
    );
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    loadInvitations(controller.signal);
    return () => controller.abort();
  }, [loadInvitations]);

  const sorted = patients.state === 'ready' ? sortPatients(patients.value) : [];

  return (
    <div className="page clinic">
      <h1>Your patients</h1>
      <p className="lead">
        The patients who share their Dystrack records with you, those with a reliable worsening since your
        last visit first.
      </p>
      <p className="clinic__explain">{RELIABLE_CHANGE_WORDS}</p>
      <div className="actions actions--row">
        <button
          type="button"
          ref={inviteButtonRef}
          className="button button--primary button--large"
          aria-expanded={inviting}
          onClick={() => {
            setMessage(null);
            setInviting(true);
          }}
        >
          Invite a patient
        </button>
        <Link href="/clinic/redeem" className="button button--secondary button--large">
          I have a patient’s code
        </Link>
      </div>
      <p role="status" className="status-line">
        {message}
      </p>
      {inviting ? (
        <InviteForm
          onCreated={() => loadInvitations()}
          onClose={() => {
            setInviting(false);
            inviteButtonRef.current?.focus();
          }}
        />
      ) : null}

      <section aria-labelledby="patients-heading" className="clinic__section">
        <h2 id="patients-heading">Patients who share with you</h2>
        {patients.state === 'loading' ? <p role="status">Loading your patients…</p> : null}
        {patients.state === 'error' ? (
          <div className="notice notice--error" role="alert">
            <p>Your patients could not be loaded: {patients.message}</p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setAttempt((n) => n + 1)}
            >
              Try again
            </button>
          </div>
        ) : null}
        {patients.state === 'ready' && sorted.length === 0 ? (
          <p>No patient shares with you yet. Invite a patient, or enter the code a patient gave you.</p>
        ) : null}
        {sorted.length ? (
          <ul className="clinic__patients">
            {sorted.map((patient) => (
              <PatientItem key={patient.patientId} patient={patient} />
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="invitations-heading" className="clinic__section">
        <h2 id="invitations-heading">Your invitations</h2>
        {invitations.state === 'loading' ? <p role="status">Loading your invitations…</p> : null}
        {invitations.state === 'error' ? (
          <p className="notice notice--error" role="alert">
            Your invitations could not be loaded: {invitations.message}
          </p>
        ) : null}
        {invitations.state === 'ready' ? (
          <InvitationList
            invitations={invitations.value}
            onChanged={(text) => {
              setMessage(text);
              loadInvitations();
            }}
          />
        ) : null}
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// redeeming a patient's code

function refusalWords(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429)
      return 'Too many codes were tried from here. Please wait a few minutes, then try again.';
    if (error.status === 404) return `${error.message} Ask the patient for a new code.`;
  }
  return `The code could not be used: ${errorMessage(error)}`;
}

/** `/clinic/redeem`: a patient's sharing code (from the link's fragment, or typed) becomes a share. */
export function ClinicRedeemPage() {
  useTitle('A patient’s code');
  const [code, setCode] = useState(() => (typeof window === 'undefined' ? '' : takeFragmentCode()));
  const [busy, setBusy] = useState(false);
  // a code of the wrong form is said at the field; the server's refusal as an alert
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<RedeemedShare | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (done) resultRef.current?.focus();
  }, [done]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const normalised = normaliseCode(code);
    if (normalised.length !== 12) {
      setError('A code has 12 letters and digits, for example ABCD-EFGH-JKMN.');
      return;
    }
    setBusy(true);
    setError(null);
    setRefusal(null);
    try {
      setDone(await redeemPatientCode(normalised));
      forgetFragmentCode();
    } catch (cause) {
      setRefusal(refusalWords(cause));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    const scopes = done.scopes.filter((s) => s !== 'add-entries');
    return (
      <div className="page page--narrow clinic">
        <h1 ref={resultRef} tabIndex={-1}>
          {done.displayName} now shares with you
        </h1>
        <p className="lead" role="status">
          {done.displayName} now shares {scopesWords(scopes, SCOPE_WORDS)} with you{' '}
          {untilWords(done.expiresAt)}.
          {done.scopes.includes('add-entries')
            ? ' You may also add rating-scale totals and treatments to their record.'
            : ''}
        </p>
        <div className="actions actions--row">
          <Link
            href={`/clinic/patients/${encodeURIComponent(done.patientId)}`}
            className="button button--primary button--large"
          >
            Open {done.displayName}’s page
          </Link>
          <Link href="/clinic" className="button button--secondary">
            Back to your patients
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div className="page page--narrow clinic">
      <h1>A patient’s code</h1>
      <p className="lead">
        Enter the sharing code a patient gave you. The patient chose what to share and until when; they can
        stop sharing at any time.
      </p>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          label="The code"
          hint="12 letters and digits, as XXXX-XXXX-XXXX. Upper or lower case, with or without hyphens."
          className="clinic__code-field"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          onChange={setCode}
          error={error}
        />
        {refusal ? (
          <p className="notice notice--error" role="alert">
            {refusal}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="button button--primary button--large" disabled={busy}>
            {busy ? 'Checking the code…' : 'Use the code'}
          </button>
        </div>
      </form>
      <p>
        <Link href="/clinic">Back to your patients</Link>
      </p>
    </div>
  );
}
