import { useState, type FormEvent } from 'react';
import { Link, Redirect, useLocation } from 'wouter';
import { ApiError } from '../api/client.js';
import { signUp } from '../api/endpoints.js';
import type { Role, User } from '../api/types.js';
import { ErrorSummary, RadioGroup, TextField, type FormProblem } from '../components/form.js';
import { RecoveryCodes } from '../components/recovery-codes.js';
import { useTitle } from '../components/use-title.js';
import { passwordStrength, usernameProblem } from '../passwords.js';
import { useSession } from '../session/session.js';
import { errorMessage, problemsFromApi, useFormProblems } from './form-helpers.js';

type SignUpRole = Exclude<Role, 'admin'>;

const ROLE_CHOICES = [
  {
    value: 'patient',
    label: 'I want to measure my own hand',
    description: 'A personal account for tracking your symptoms.',
  },
  {
    value: 'clinician',
    label: 'I am a clinician',
    description:
      'For doctors and therapists. An administrator of this Dystrack service must approve the account first.',
  },
  {
    value: 'researcher',
    label: 'I am a researcher',
    description:
      'For research teams. An administrator of this Dystrack service must approve the account first.',
  },
] as const;

/** Checks the sign-up form on this device (the server checks again). */
export function validateSignUp(input: {
  username: string;
  password: string;
  role: SignUpRole | null;
}): FormProblem[] {
  const problems: FormProblem[] = [];
  const name = usernameProblem(input.username);
  if (name) problems.push({ fieldId: 'signup-username', message: name });
  const strength = passwordStrength(input.password, input.username);
  if (strength.level === 'empty')
    problems.push({ fieldId: 'signup-password', message: 'Choose a password.' });
  else if (strength.level === 'too-weak')
    problems.push({ fieldId: 'signup-password', message: strength.hint });
  if (!input.role) problems.push({ fieldId: 'signup-role', message: 'Choose what the account is for.' });
  return problems;
}

/** Create an account; then show the recovery codes once. */
export function SignUpPage() {
  useTitle('Create an account');
  const session = useSession();
  const [, navigate] = useLocation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [role, setRole] = useState<SignUpRole | null>('patient');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ user: User; recoveryCodes: string[] } | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();
  const strength = passwordStrength(password, username);

  if (session.user && !created) return <Redirect to="/" replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = validateSignUp({ username, password, role });
    show(found);
    if (found.length > 0 || !role) return;
    setBusy(true);
    try {
      const result = await signUp({
        username: username.trim().toLowerCase(),
        password,
        displayName: displayName.trim() || undefined,
        role,
      });
      setCreated(result);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'E_USERNAME_TAKEN')
        show([
          { fieldId: 'signup-username', message: 'This user name is already taken. Please choose another.' },
        ]);
      else if (error instanceof ApiError && error.code === 'E_WEAK_PASSWORD')
        show([{ fieldId: 'signup-password', message: errorMessage(error) }]);
      else
        show(
          problemsFromApi(
            error,
            {
              username: 'signup-username',
              password: 'signup-password',
              displayName: 'signup-display-name',
              role: 'signup-role',
            },
            'signup-username',
          ),
        );
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <div className="page page--narrow">
        <h1>Your account is ready</h1>
        {created.user.role !== 'patient' && !created.user.roleApproved ? (
          <p className="notice notice--info">
            Your {created.user.role} account is waiting for approval by an administrator of this service. You
            can sign in meanwhile; the {created.user.role} features open once it is approved.
          </p>
        ) : null}
        <RecoveryCodes
          codes={created.recoveryCodes}
          username={created.user.username}
          onDone={() => {
            void session
              .signedIn(created.user)
              .then(() => navigate(created.user.role === 'patient' ? '/onboarding' : '/'));
          }}
        />
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>Create an account</h1>
      <p>
        Already have one? <Link href="/login">Sign in</Link>.
      </p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <TextField
          id="signup-username"
          label="User name"
          hint="You sign in with it. 3 to 64 characters: letters, digits, dots, dashes or underscores. No e-mail address needed."
          value={username}
          onChange={setUsername}
          error={errorOf('signup-username')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <TextField
          id="signup-display-name"
          label="Your name (optional)"
          hint="How the app greets you. Leave it empty to use the user name."
          value={displayName}
          onChange={setDisplayName}
          error={errorOf('signup-display-name')}
          autoComplete="name"
          maxLength={100}
        />
        <TextField
          id="signup-password"
          label="Password"
          type={showPassword ? 'text' : 'password'}
          hint={
            strength.hint === errorOf('signup-password') ? undefined : (
              <span className={`strength strength--${strength.level}`} data-testid="password-hint">
                {strength.hint}
              </span>
            )
          }
          value={password}
          onChange={setPassword}
          error={errorOf('signup-password')}
          autoComplete="new-password"
          required
        />
        <div className="choice choice--inline">
          <input
            type="checkbox"
            id="signup-show-password"
            checked={showPassword}
            onChange={(event) => setShowPassword(event.target.checked)}
          />
          <label htmlFor="signup-show-password">Show the password</label>
        </div>
        <RadioGroup
          id="signup-role"
          name="role"
          legend="What is the account for?"
          choices={ROLE_CHOICES}
          value={role}
          onChange={setRole}
          error={errorOf('signup-role')}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating the account…' : 'Create the account'}
          </button>
        </div>
      </form>
    </div>
  );
}
