import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useState, type FormEvent } from 'react';
import { Link, Redirect, useLocation, useSearch } from 'wouter';
import { ApiError } from '../api/client.js';
import { logIn, passkeyLoginOptions, passkeyLoginVerify } from '../api/endpoints.js';
import { ErrorSummary, TextField } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { useSession } from '../session/session.js';
import { errorMessage, safeNext, useFormProblems } from './form-helpers.js';

/** Words for a failed passkey ceremony in the browser. */
export function passkeyErrorWords(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'AbortError')
    return 'The passkey sign-in was cancelled or timed out. You can try again, or use your password.';
  if (name === 'SecurityError') return 'Passkeys need this site to be opened over https (or on localhost).';
  if (name === 'InvalidStateError') return 'This passkey is already registered.';
  if (error instanceof ApiError && error.code === 'E_PASSKEY') {
    const reason = (error.details as { reason?: unknown } | undefined)?.reason;
    if (reason === 'unknown-credential')
      return 'This passkey does not belong to an account here. Sign in with your password, then add the passkey on the Account page.';
    if (reason === 'challenge') return 'The passkey sign-in took too long. Please try again.';
    return 'The passkey could not be verified. Please try again, or use your password.';
  }
  if (error instanceof ApiError && error.status === 409)
    return 'This passkey is already registered for your account.';
  return errorMessage(error);
}

/** Sign in with a password or a passkey. */
export function LogInPage() {
  useTitle('Sign in');
  const session = useSession();
  const [, navigate] = useLocation();
  const search = useSearch();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'password' | 'passkey' | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const passkeys = browserSupportsWebAuthn();

  if (session.user) return <Redirect to={next} replace />;

  async function finish(user: Awaited<ReturnType<typeof logIn>>) {
    await session.signedIn(user);
    navigate(next, { replace: true });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = [];
    if (!username.trim()) found.push({ fieldId: 'login-username', message: 'Enter your user name.' });
    if (!password) found.push({ fieldId: 'login-password', message: 'Enter your password.' });
    show(found);
    if (found.length > 0) return;
    setBusy('password');
    try {
      await finish(await logIn(username.trim(), password));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'E_CREDENTIALS')
        show([{ fieldId: 'login-password', message: 'The user name or password is not correct.' }]);
      else show([{ fieldId: 'login-username', message: errorMessage(error) }]);
    } finally {
      setBusy(null);
    }
  }

  async function onPasskey() {
    setBusy('passkey');
    show([]);
    try {
      const { challengeId, options } = await passkeyLoginOptions();
      const response = await startAuthentication({ optionsJSON: options });
      await finish(await passkeyLoginVerify(challengeId, response));
    } catch (error) {
      show([{ fieldId: 'login-passkey', message: passkeyErrorWords(error) }]);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>Sign in</h1>
      <ErrorSummary problems={problems} summaryRef={summaryRef} title="Signing in did not work" />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <TextField
          id="login-username"
          label="User name"
          value={username}
          onChange={setUsername}
          error={errorOf('login-username')}
          autoComplete="username webauthn"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errorOf('login-password')}
          autoComplete="current-password"
          required
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy !== null}>
            {busy === 'password' ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      {passkeys ? (
        <section className="panel" aria-labelledby="passkey-heading">
          <h2 id="passkey-heading">Or use a passkey</h2>
          <p>
            A passkey signs you in with your device&rsquo;s fingerprint, face or screen lock: no typing
            needed.
          </p>
          <div className="actions">
            <button
              id="login-passkey"
              type="button"
              className="button button--primary"
              onClick={() => void onPasskey()}
              disabled={busy !== null}
            >
              {busy === 'passkey' ? 'Waiting for the passkey…' : 'Sign in with a passkey'}
            </button>
          </div>
        </section>
      ) : null}
      <ul className="link-list">
        <li>
          <Link href="/signup">Create an account</Link>
        </li>
        <li>
          <Link href="/recover">Forgot your password? Use a recovery code</Link>
        </li>
      </ul>
      <p className="muted">
        If you have lost your recovery codes too, ask the administrator of this Dystrack service for a
        password-reset link.
      </p>
    </div>
  );
}
