import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../api/client.js';
import { recoverAccount, resetPassword } from '../api/endpoints.js';
import { ErrorSummary, TextField, type FormProblem } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { passwordStrength } from '../passwords.js';
import { useSession } from '../session/session.js';
import { errorMessage, useFormProblems } from './form-helpers.js';

function newPasswordProblems(
  password: string,
  again: string,
  username: string,
  fieldId: string,
  againId: string,
): FormProblem[] {
  const strength = passwordStrength(password, username);
  if (strength.level === 'empty') return [{ fieldId, message: 'Choose a new password.' }];
  if (strength.level === 'too-weak') return [{ fieldId, message: strength.hint }];
  if (password !== again) return [{ fieldId: againId, message: 'The two passwords are not the same.' }];
  return [];
}

/** The fields of a new password: the password with its strength hint, and the same again. */
function NewPasswordFields(props: {
  id: string;
  password: string;
  setPassword: (value: string) => void;
  again: string;
  setAgain: (value: string) => void;
  username?: string;
  errorOf: (id: string) => string | null;
}) {
  const strength = passwordStrength(props.password, props.username);
  return (
    <>
      <TextField
        id={props.id}
        label="New password"
        type="password"
        hint={
          strength.hint === props.errorOf(props.id) ? undefined : (
            <span className={`strength strength--${strength.level}`}>{strength.hint}</span>
          )
        }
        value={props.password}
        onChange={props.setPassword}
        error={props.errorOf(props.id)}
        autoComplete="new-password"
        required
      />
      <TextField
        id={`${props.id}-again`}
        label="The new password again"
        type="password"
        value={props.again}
        onChange={props.setAgain}
        error={props.errorOf(`${props.id}-again`)}
        autoComplete="new-password"
        required
      />
    </>
  );
}

/** Set a new password with a single-use link an administrator made (`/reset?token=…`). */
export function ResetPage() {
  useTitle('Set a new password');
  const session = useSession();
  const [, navigate] = useLocation();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = newPasswordProblems(password, again, '', 'reset-password', 'reset-password-again');
    show(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await resetPassword(token, password);
      await session.refresh();
      session.setNotice({ kind: 'success', text: 'Your new password is set.' });
      setDone(true);
      navigate('/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'E_TOKEN_INVALID') {
        show([
          {
            fieldId: 'reset-password',
            message:
              'This link is not valid any more: it was used already or it expired. Please ask the administrator for a new one.',
          },
        ]);
      } else if (error instanceof ApiError && error.code === 'E_WEAK_PASSWORD')
        show([{ fieldId: 'reset-password', message: errorMessage(error) }]);
      else show([{ fieldId: 'reset-password', message: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <div className="page page--narrow">
        <h1>Set a new password</h1>
        <p>
          This page needs the password-reset link an administrator gave you. Please open that link exactly as
          you received it.
        </p>
        <p>
          <Link href="/recover">Use a recovery code instead</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>Set a new password</h1>
      <p>An administrator of this service gave you this link. It works once.</p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <NewPasswordFields
          id="reset-password"
          password={password}
          setPassword={setPassword}
          again={again}
          setAgain={setAgain}
          errorOf={errorOf}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy || done}>
            {busy ? 'Saving…' : 'Set the new password'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Set a new password with one of the recovery codes. */
export function RecoverPage() {
  useTitle('Use a recovery code');
  const session = useSession();
  const [, navigate] = useLocation();
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: FormProblem[] = [];
    if (!username.trim()) found.push({ fieldId: 'recover-username', message: 'Enter your user name.' });
    if (!code.trim()) found.push({ fieldId: 'recover-code', message: 'Enter one of your recovery codes.' });
    found.push(
      ...newPasswordProblems(password, again, username, 'recover-password', 'recover-password-again'),
    );
    show(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const { user, recoveryCodesLeft: left } = await recoverAccount(username.trim(), code.trim(), password);
      await session.signedIn(user);
      session.setNotice({
        kind: 'success',
        text:
          left === null
            ? 'Your new password is set, and that recovery code is used up. If you have few codes left, make new ones on the Account page.'
            : `Your new password is set, and that recovery code is used up: ${left} recovery code${left === 1 ? '' : 's'} left.${left <= 3 ? ' Please make new ones on the Account page.' : ''}`,
      });
      navigate('/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'E_TOKEN_INVALID' || error.code === 'E_CREDENTIALS')) {
        show([
          {
            fieldId: 'recover-code',
            message: 'This user name and recovery code do not match, or the code was used already.',
          },
        ]);
      } else show([{ fieldId: 'recover-username', message: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>Use a recovery code</h1>
      <p>You got ten recovery codes when you created your account. Each one works once.</p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <TextField
          id="recover-username"
          label="User name"
          value={username}
          onChange={setUsername}
          error={errorOf('recover-username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
        />
        <TextField
          id="recover-code"
          label="Recovery code"
          value={code}
          onChange={setCode}
          error={errorOf('recover-code')}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
        />
        <NewPasswordFields
          id="recover-password"
          password={password}
          setPassword={setPassword}
          again={again}
          setAgain={setAgain}
          username={username}
          errorOf={errorOf}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Set the new password'}
          </button>
        </div>
      </form>
      <p>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </div>
  );
}

export { NewPasswordFields, newPasswordProblems };
