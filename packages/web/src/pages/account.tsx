import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, apiGet } from '../api/client.js';
import { forgetUnsentDiarySaves } from '../api/diary.js';
import {
  changePassword,
  deleteAccount,
  deletePasskey,
  listPasskeys,
  passkeyRegisterOptions,
  passkeyRegisterVerify,
  regenerateRecoveryCodes,
} from '../api/endpoints.js';
import type { Passkey } from '../api/types.js';
import { ErrorSummary, TextField } from '../components/form.js';
import { RecoveryCodes } from '../components/recovery-codes.js';
import { useTitle } from '../components/use-title.js';
import { downloadText } from '../download.js';
import { dateTimeWords } from '../format.js';
import { deleteEntriesOf, queueDb, useQueueEntries } from '../queue/index.js';
import { useSession } from '../session/session.js';
import { errorMessage, useFormProblems } from './form-helpers.js';
import { passkeyErrorWords } from './log-in.js';
import { NewPasswordFields, newPasswordProblems } from './reset.js';

function ChangePassword({ username }: { username: string }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    const found = [
      ...(current ? [] : [{ fieldId: 'account-current', message: 'Enter your current password.' }]),
      ...newPasswordProblems(password, again, username, 'account-new', 'account-new-again'),
    ];
    show(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await changePassword(current, password);
      setCurrent('');
      setPassword('');
      setAgain('');
      setDone('Your password is changed. Other devices where you were signed in are signed out.');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'E_CREDENTIALS')
        show([{ fieldId: 'account-current', message: 'The current password is not correct.' }]);
      else show([{ fieldId: 'account-new', message: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <TextField
          id="account-current"
          label="Current password"
          type="password"
          value={current}
          onChange={setCurrent}
          error={errorOf('account-current')}
          autoComplete="current-password"
        />
        <NewPasswordFields
          id="account-new"
          password={password}
          setPassword={setPassword}
          again={again}
          setAgain={setAgain}
          username={username}
          errorOf={errorOf}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change the password'}
          </button>
        </div>
        <p role="status" className="status-line">
          {done}
        </p>
      </form>
    </section>
  );
}

function PasskeyItem({ passkey, onRemoved }: { passkey: Passkey; onRemoved: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="passkey">
      <div>
        <strong>{passkey.name}</strong>
        <span className="muted">
          {' '}
          added {dateTimeWords(passkey.createdAt)}
          {passkey.lastUsedAt ? `, last used ${dateTimeWords(passkey.lastUsedAt)}` : ', not used yet'}
        </span>
      </div>
      {confirming ? (
        <div className="actions actions--row" role="group" aria-label={`Remove the passkey ${passkey.name}?`}>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              deletePasskey(passkey.id).then(
                () => onRemoved(`The passkey “${passkey.name}” is removed.`),
                (e: unknown) => setError(errorMessage(e)),
              );
            }}
          >
            Yes, remove “{passkey.name}”
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            No, keep it
          </button>
        </div>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
          Remove<span className="visually-hidden"> the passkey {passkey.name}</span>
        </button>
      )}
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

function Passkeys() {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('This device');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const supported = browserSupportsWebAuthn();

  const reload = useCallback(async () => {
    try {
      setPasskeys(await listPasskeys());
      setLoadError(null);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading data from the server on mount
    void reload();
  }, [reload]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setStatus(null);
    if (!name.trim()) {
      setError('Give the passkey a name, for example the device it is on.');
      return;
    }
    setBusy(true);
    try {
      const { challengeId, options } = await passkeyRegisterOptions();
      const response = await startRegistration({ optionsJSON: options });
      await passkeyRegisterVerify(challengeId, response, name.trim());
      setStatus(`The passkey “${name.trim()}” is added. You can now sign in with it.`);
      await reload();
    } catch (e) {
      setError(passkeyErrorWords(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p>
        A passkey lets you sign in with this device&rsquo;s fingerprint, face or screen lock instead of typing
        a password.
      </p>
      {loadError ? (
        <p className="field__error" role="alert">
          The passkeys could not be loaded: {loadError}
        </p>
      ) : null}
      {passkeys && passkeys.length === 0 ? <p>You have no passkeys yet.</p> : null}
      {passkeys && passkeys.length > 0 ? (
        <ul className="passkeys">
          {passkeys.map((passkey) => (
            <PasskeyItem
              key={passkey.id}
              passkey={passkey}
              onRemoved={(message) => {
                setStatus(message);
                void reload();
              }}
            />
          ))}
        </ul>
      ) : null}
      {supported ? (
        <form onSubmit={(event) => void add(event)} noValidate className="form">
          <TextField
            id="passkey-name"
            label="Name of the new passkey"
            hint="So that you can tell your passkeys apart, for example “My phone”."
            value={name}
            onChange={setName}
            error={error}
            maxLength={100}
          />
          <div className="actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? 'Waiting for the device…' : 'Add a passkey'}
            </button>
          </div>
        </form>
      ) : (
        <p>This browser cannot use passkeys.</p>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}

function NewRecoveryCodes({ username }: { username: string }) {
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (!password) {
      setError('Enter your password to make new codes.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setCodes(await regenerateRecoveryCodes(password));
      setPassword('');
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'E_CREDENTIALS'
          ? 'The password is not correct.'
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="codes-heading">
      <h2 id="codes-heading">Recovery codes</h2>
      {codes ? (
        <RecoveryCodes
          codes={codes}
          username={username}
          doneLabel="Done"
          onDone={() => {
            setCodes(null);
            setDone('Your new recovery codes are in use. The old ones no longer work.');
          }}
        />
      ) : (
        <>
          <p>Make ten new recovery codes if you used some or lost them. The old codes then stop working.</p>
          <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
            <TextField
              id="codes-password"
              label="Your password"
              type="password"
              value={password}
              onChange={setPassword}
              error={error}
              autoComplete="current-password"
            />
            <div className="actions">
              <button type="submit" className="button button--secondary" disabled={busy}>
                {busy ? 'Making codes…' : 'Make new recovery codes'}
              </button>
            </div>
          </form>
        </>
      )}
      <p role="status" className="status-line">
        {done}
      </p>
    </section>
  );
}

const ROLE_WORDS = {
  patient: 'Patient',
  clinician: 'Clinician',
  researcher: 'Researcher',
  admin: 'Administrator',
} as const;

/** The words a person types to confirm deleting the account. */
export const DELETE_CONFIRMATION = 'delete my account';

function DeleteAccount({ userId }: { userId: string }) {
  const session = useSession();
  const [, navigate] = useLocation();
  const entries = useQueueEntries(userId);
  const [password, setPassword] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const unsent = (entries ?? []).filter((e) => e.state !== 'sent').length;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = [];
    if (!password) found.push({ fieldId: 'delete-password', message: 'Enter your password.' });
    if (typed.trim().toLowerCase() !== DELETE_CONFIRMATION)
      found.push({ fieldId: 'delete-confirm', message: `Type “${DELETE_CONFIRMATION}” to confirm.` });
    show(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await deleteAccount(password);
      // The account and its data are gone from the server: its copies on this device go too.
      await deleteEntriesOf(queueDb(), userId);
      forgetUnsentDiarySaves(userId);
      await session.signOut().catch(() => undefined);
      session.setNotice({ kind: 'info', text: 'Your account and all its data are deleted.' });
      navigate('/login', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'E_CREDENTIALS')
        show([{ fieldId: 'delete-password', message: 'The password is not correct.' }]);
      else show([{ fieldId: 'delete-password', message: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel panel--danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete your account</h2>
      <p>
        This deletes your account and everything stored with it on the server: profile, recordings and
        results. It cannot be undone.
        {unsent > 0
          ? ` ${unsent} recording${unsent === 1 ? ' is' : 's are'} on this device and not on the server; ${unsent === 1 ? 'it is' : 'they are'} deleted too. Download ${unsent === 1 ? 'it' : 'them'} first on the Recordings page if you want to keep a copy.`
          : ''}
      </p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <TextField
          id="delete-password"
          label="Your password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errorOf('delete-password')}
          autoComplete="current-password"
        />
        <TextField
          id="delete-confirm"
          label={`Type “${DELETE_CONFIRMATION}” to confirm`}
          value={typed}
          onChange={setTyped}
          error={errorOf('delete-confirm')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <div className="actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            {busy ? 'Deleting…' : 'Delete my account for good'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** "Download my data": the whole record as one JSON file (GET /api/v1/export). */
export function DownloadData() {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function download() {
    setBusy(true);
    setStatus(null);
    try {
      const data = await apiGet<{ exportedAt: string; recordings: unknown[] }>('/api/v1/export');
      const day = data.exportedAt.slice(0, 10);
      downloadText(`dystrack-export-${day}.json`, JSON.stringify(data, null, 2), 'application/json');
      setStatus({
        ok: true,
        text:
          `Saved as dystrack-export-${day}.json. It holds ${data.recordings.length} recording ` +
          `description${data.recordings.length === 1 ? '' : 's'}; each raw recording is downloaded from the ` +
          'Recordings page.',
      });
    } catch (error) {
      setStatus({ ok: false, text: `Could not download your data: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Download your data</h2>
      <p>
        One file with your profile, every diary entry, questionnaire, scale total and treatment with all their
        earlier versions, your routine, the list of your recordings and the numbers computed from them. Keep
        it somewhere safe: it holds health information.
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void download()} disabled={busy}>
          {busy ? 'Preparing the file…' : 'Download my data'}
        </button>
      </div>
      <p role="status" className={status && !status.ok ? 'notice notice--error' : undefined}>
        {status?.text ?? ''}
      </p>
      <h3 id="export-formats-heading">For other systems</h3>
      <p>The same data in formats that other programs read. Each one downloads as a file.</p>
      <ul className="link-list" aria-labelledby="export-formats-heading">
        {EXPORT_LINKS.map((link) => (
          <li key={link.href}>
            <a className="button" href={link.href} download aria-describedby={`${link.id}-for`}>
              {link.label}
            </a>
            <p id={`${link.id}-for`}>{link.forWhom}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The downloads for other systems (GET /api/v1/export/{fhir,csv,raw}), each with who it is for. */
export const EXPORT_LINKS = [
  {
    id: 'export-fhir',
    href: '/api/v1/export/fhir',
    label: 'Download for a clinic (FHIR)',
    forWhom:
      'For a clinic’s or hospital’s health record system: your results, questionnaires, medicines and injections in the FHIR standard.',
  },
  {
    id: 'export-csv',
    href: '/api/v1/export/csv',
    label: 'Download the numbers (CSV)',
    forWhom:
      'For a spreadsheet or statistics program: one row per recording and measure, with a file that explains every column.',
  },
  {
    id: 'export-raw',
    href: '/api/v1/export/raw',
    label: 'Download all recordings (ZIP)',
    forWhom:
      'For researchers: every recording exactly as stored, also as CSV, with checksums to show nothing changed. This can be a large file.',
  },
] as const;

/** Password, passkeys, recovery codes and account deletion. */
export function AccountPage() {
  useTitle('Your account');
  const session = useSession();
  const user = session.user!;
  return (
    <div className="page page--narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <div>
          <dt>User name</dt>
          <dd>{user.username}</dd>
        </div>
        <div>
          <dt>Account type</dt>
          <dd>
            {ROLE_WORDS[user.role]}
            {user.role !== 'patient' && user.role !== 'admin' && !user.roleApproved
              ? ' (waiting for approval by an administrator)'
              : ''}
          </dd>
        </div>
      </dl>
      <ChangePassword username={user.username} />
      <Passkeys />
      <NewRecoveryCodes username={user.username} />
      {user.role === 'patient' ? <DownloadData /> : null}
      {user.role === 'patient' ? (
        <section className="panel" aria-labelledby="who-sees-heading">
          <h2 id="who-sees-heading">Who sees your data</h2>
          <ul className="link-list">
            <li>
              <Link href="/sharing">Sharing: what your clinicians may see</Link>
            </li>
            <li>
              <Link href="/activity">Activity: who read or changed your data, and when</Link>
            </li>
          </ul>
        </section>
      ) : null}
      <DeleteAccount userId={user.id} />
    </div>
  );
}
