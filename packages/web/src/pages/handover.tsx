import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { TASK_DEFINITIONS, taskDefinition, type Hand } from '@dystrack/tasks';
import { ApiError, apiDelete, apiGet, apiPost } from '../api/client.js';
import type { User } from '../api/types.js';
import { RadioGroup } from '../components/form.js';
import { QrCode } from '../components/qr-code.js';
import { useNow } from '../components/use-now.js';
import { useTitle } from '../components/use-title.js';
import { handWords } from '../format.js';
import { useSession } from '../session/session.js';
import { errorMessage } from './form-helpers.js';
import './handover.css';

/** The README section that explains https for phones. */
const README_SECTION = 'Phones, HTTPS and reverse proxies';
/** How often the desk asks whether the phone has used the code, ms. */
const POLL_MS = 2000;

type CodeState = 'waiting' | 'connected' | 'expired' | 'cancelled';

interface Code {
  id: string;
  url: string;
  expiresAt: string;
  state: CodeState;
  task: string | null;
  hand: Hand | null;
  https: boolean;
  publicUrlSet: boolean;
}

/** Minutes and seconds, for the countdown: "4:05". */
export function countdownText(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Whether a URL's host can only be reached from this computer. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
  } catch {
    return false;
  }
}

function whatWords(task: string | null, hand: string | null): string {
  const definition = task ? taskDefinition(task) : undefined;
  if (!definition) return 'a task';
  return hand ? `${definition.title} with the ${handWords(hand)}` : definition.title;
}

/** Why phones need https, shown when the code's address is not https. */
function HttpsNotice({ code }: { code: Code }) {
  const loopback = isLoopbackUrl(code.url);
  return (
    <div className="notice notice--error handover__https" role="note">
      <div>
        <h2>Your phone may not be able to record from this address</h2>
        <p>
          Phones only allow a page to use their motion sensors (needed for the tremor task) and to work
          offline when the page comes over a secure <strong>https</strong> address.{' '}
          {code.publicUrlSet
            ? 'This server’s public address (PUBLIC_URL) is not an https address.'
            : 'This server has no public address set (PUBLIC_URL), so the code uses the address of this browser.'}
        </p>
        {loopback ? (
          <p>
            The address <code>{new URL(code.url).host}</code> only works on this computer: a phone cannot
            reach it. Open Dystrack on this computer by its network address instead, or ask for https to be
            set up.
          </p>
        ) : null}
        <p>
          What to do: ask the person who runs this Dystrack server to put it behind https and set PUBLIC_URL
          to that address, as the section “{README_SECTION}” of Dystrack’s README explains. Until then, tasks
          that do not need motion sensors may still work on the phone; the code below is for this address.
        </p>
      </div>
    </div>
  );
}

/** The chosen code on the desk: QR code, link, countdown, then the phone's state. */
function CodePanel({
  code,
  onNew,
  onCancel,
  busy,
}: {
  code: Code;
  onNew: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const now = useNow(1000);
  const [copied, setCopied] = useState<string | null>(null);
  const left = Date.parse(code.expiresAt) - now;
  const state: CodeState = code.state === 'waiting' && left <= 0 ? 'expired' : code.state;
  const what = whatWords(code.task, code.hand);

  if (state === 'connected') {
    return (
      <section className="panel handover__connected" aria-labelledby="connected-heading">
        <div role="status">
          <h2 id="connected-heading">Your phone is connected</h2>
        </div>
        <p>
          The phone is signed in for you, for recording only ({what}). It cannot see your diary, recordings or
          profile. Its session ends after four hours, when you sign it out on the phone, or here:
        </p>
        <div className="actions actions--row">
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
            Sign the phone out
          </button>
          <button type="button" className="button button--secondary" onClick={onNew} disabled={busy}>
            Make a code for another phone
          </button>
          <Link href="/" className="button button--secondary">
            Back to the tasks
          </Link>
        </div>
      </section>
    );
  }
  if (state === 'expired' || state === 'cancelled') {
    return (
      <section className="panel" aria-labelledby="ended-heading">
        <div role="status">
          <h2 id="ended-heading">
            {state === 'expired' ? 'This code has expired' : 'This code was cancelled'}
          </h2>
        </div>
        <p>
          {state === 'expired'
            ? 'Codes work for five minutes, for safety. Make a new one when your phone is ready.'
            : 'The phone was not signed in, or has been signed out.'}
        </p>
        <div className="actions actions--row">
          <button type="button" className="button button--primary" onClick={onNew} disabled={busy}>
            New code
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="panel handover__code" aria-labelledby="code-heading">
      <h2 id="code-heading">Scan this code with your phone’s camera</h2>
      <p>
        It opens {what} on the phone, signed in for you for recording only, without a password. The code works
        once.
      </p>
      <div className="handover__qr-box">
        <QrCode
          className="handover__qr"
          size={320}
          instead="Open the link below on your phone instead."
          url={code.url}
          alt={`QR code: opens Dystrack on your phone to record ${what}. The same link is below for copying.`}
        />
      </div>
      <p className="handover__countdown" role="timer" aria-live="off">
        Valid for <strong>{countdownText(left)}</strong> more minutes
        <span className="visually-hidden"> (minutes and seconds)</span>
      </p>
      <p className="visually-hidden" role="status">
        {left > 60_000 ? '' : 'Less than a minute left for this code.'}
      </p>
      <p className="muted" role="status">
        Waiting for your phone…
      </p>
      <div className="field">
        <label htmlFor="handover-link">Or open this link on your phone</label>
        <p className="field__hint" id="handover-link-hint">
          Anyone with this link can record in your name for a few minutes: send it only to your own phone.
        </p>
        <div className="handover__link-row">
          <input
            id="handover-link"
            type="text"
            readOnly
            value={code.url}
            aria-describedby="handover-link-hint"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              navigator.clipboard.writeText(code.url).then(
                () => setCopied('Link copied.'),
                () => setCopied('Copying did not work: select the link and copy it yourself.'),
              );
            }}
          >
            Copy link
          </button>
        </div>
        {copied ? (
          <p role="status" className="field__hint">
            {copied}
          </p>
        ) : null}
      </div>
      <div className="actions actions--row">
        <button type="button" className="button button--secondary" onClick={onNew} disabled={busy}>
          New code
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** The desk page: a QR code that lets the person's phone record tasks without a password (`/handover`). */
export function HandoverPage() {
  useTitle('Record on your phone');
  const session = useSession();
  const affected = session.profile?.affectedHands;
  const [task, setTask] = useState('tremor');
  const definition = taskDefinition(task) ?? TASK_DEFINITIONS[0]!;
  const [chosenHand, setHand] = useState<Hand>(affected === 'left' ? 'left' : 'right');
  const hand: Hand = (definition.hands as readonly Hand[]).includes(chosenHand)
    ? chosenHand
    : definition.hands[0]!;
  const [code, setCode] = useState<Code | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const codeId = code?.id ?? null;
  // polling stops when the server answers that the code was used, expired or cancelled
  const waiting = code?.state === 'waiting';

  async function makeCode() {
    setBusy(true);
    setError(null);
    try {
      setCode(await apiPost<Code>('/api/v1/handover', { task, hand }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      await apiDelete(`/api/v1/handover/${code.id}`);
      setCode({ ...code, state: 'cancelled' });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  // while the code waits, ask every few seconds whether the phone has used it
  useEffect(() => {
    if (!codeId || !waiting) return undefined;
    const controller = new AbortController();
    const timer = setInterval(() => {
      apiGet<Omit<Code, 'url' | 'https' | 'publicUrlSet'>>(`/api/v1/handover/${codeId}`, {
        signal: controller.signal,
      }).then(
        (status) =>
          setCode((previous) =>
            previous && previous.id === status.id ? { ...previous, ...status } : previous,
          ),
        () => undefined, // a missed poll is retried at the next tick
      );
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [codeId, waiting]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void makeCode();
  }

  return (
    <div className="page page--narrow handover">
      <h1>Record on your phone</h1>
      <p className="lead">
        Do a task on your phone without typing your password there: choose the task, then scan the code with
        the phone. The phone can only record; it cannot see or change anything else in your account.
      </p>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {code && !code.https ? <HttpsNotice code={code} /> : null}
      {code ? (
        <CodePanel code={code} busy={busy} onNew={() => void makeCode()} onCancel={() => void cancel()} />
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <RadioGroup
            legend="Task"
            name="handover-task"
            value={definition.id}
            onChange={setTask}
            hint="The tremor task uses the phone’s motion sensors; any task can be done on the phone."
            choices={TASK_DEFINITIONS.map((d) => ({ value: d.id, label: d.title }))}
          />
          <RadioGroup
            legend="Hand"
            name="handover-hand"
            value={hand}
            onChange={setHand}
            choices={definition.hands.map((h) => ({
              value: h,
              label: h === 'both' ? 'Both hands' : `The ${handWords(h)}`,
              ...(affected && (affected === h || affected === 'both') && h !== 'both'
                ? { description: 'your affected hand' }
                : {}),
            }))}
          />
          <div className="actions">
            <button type="submit" className="button button--primary button--large" disabled={busy}>
              {busy ? 'Making the code…' : 'Show the code'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

type PhoneState =
  | { name: 'no-code' }
  | { name: 'confirm'; user: User }
  | { name: 'redeeming' }
  | { name: 'failed'; title: string; message: string; retry: boolean };

let takenToken: string | null = null;
let redeeming: {
  token: string;
  promise: Promise<{ user: User; task: string | null; hand: string | null }>;
} | null = null;

/**
 * The token of the QR code's URL fragment, removed from the address bar at once (it must not stay in the
 * history or be bookmarked). Kept until the page has mounted, so that a second render still has it.
 */
function takeToken(): string {
  const hash = window.location.hash.slice(1);
  if (hash) {
    takenToken = hash;
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  return takenToken ?? '';
}

/** Redeems a token once per page load, however often React runs the effect. */
function redeemOnce(token: string) {
  if (redeeming?.token !== token)
    redeeming = {
      token,
      promise: apiPost<{ user: User; task: string | null; hand: string | null }>('/api/v1/handover/redeem', {
        token,
      }),
    };
  return redeeming.promise;
}

function refusal(error: unknown): { title: string; message: string; retry: boolean } {
  if (error instanceof ApiError && error.code === 'E_TOKEN_INVALID') {
    const reason = (error.details as { reason?: string } | undefined)?.reason;
    const title =
      reason === 'used'
        ? 'This code has already been used'
        : reason === 'expired'
          ? 'This code has expired'
          : reason === 'cancelled'
            ? 'This code was cancelled'
            : 'This code is not valid';
    return { title, message: error.message, retry: false };
  }
  if (error instanceof ApiError && error.isNetwork)
    return {
      title: 'Cannot reach the server',
      message: `${error.message} The code stays valid for a few minutes: try again.`,
      retry: true,
    };
  return { title: 'The phone could not be signed in', message: errorMessage(error), retry: true };
}

/** The page the phone opens from the QR code (`/phone#<token>`): signs it in for recording only. */
export function PhonePage() {
  useTitle('Recording on this phone');
  const session = useSession();
  const [, navigate] = useLocation();
  const [token] = useState(takeToken);
  const [state, setState] = useState<PhoneState>(() => {
    if (!token) return { name: 'no-code' };
    const before = session.user;
    return before && before.scope !== 'record' ? { name: 'confirm', user: before } : { name: 'redeeming' };
  });
  const { signedIn } = session;

  /** Redeems the code; `live` says whether the page still wants the answer. */
  const redeem = useCallback(
    (live: () => boolean) => {
      redeemOnce(token).then(
        async ({ user, task, hand }) => {
          if (!live()) return;
          await signedIn(user);
          navigate(task && hand ? `/tasks/${task}/${hand}` : '/', { replace: true });
        },
        (error: unknown) => {
          if (redeeming?.token === token && refusal(error).retry) redeeming = null;
          if (live()) setState({ name: 'failed', ...refusal(error) });
        },
      );
    },
    [token, signedIn, navigate],
  );
  const start = () => {
    setState({ name: 'redeeming' });
    redeem(() => true);
  };

  // the page holds the token now: a later visit of /phone without a fragment must not find it
  useEffect(() => {
    takenToken = null;
  }, []);

  const [autoStart] = useState(state.name === 'redeeming');
  useEffect(() => {
    if (!autoStart) return undefined;
    let live = true;
    redeem(() => live);
    return () => {
      live = false;
    };
  }, [autoStart, redeem]);

  if (state.name === 'confirm') {
    return (
      <div className="page page--narrow handover">
        <h1>Recording on this phone</h1>
        <div className="notice notice--info">
          <p>
            This browser is already signed in as <strong>{state.user.displayName}</strong>. Using the code
            here signs that out and signs this browser in for recording only.
          </p>
        </div>
        <div className="actions">
          <button type="button" className="button button--primary button--large" onClick={start}>
            Use the code here
          </button>
          <Link href="/" className="button button--secondary">
            Stay signed in as {state.user.displayName}
          </Link>
        </div>
      </div>
    );
  }
  if (state.name === 'failed' || state.name === 'no-code') {
    const title = state.name === 'failed' ? state.title : 'No code in this link';
    return (
      <div className="page page--narrow handover">
        <h1>{title}</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {state.name === 'failed'
              ? state.message
              : 'This page is opened by scanning the code that Dystrack shows on your computer. Ask for a new code on your computer.'}
          </p>
        </div>
        <p>
          On your computer, open Dystrack, choose <strong>Record on your phone</strong> and scan the new code
          with this phone’s camera.
        </p>
        {state.name === 'failed' && state.retry ? (
          <div className="actions">
            <button type="button" className="button button--primary button--large" onClick={start}>
              Try again
            </button>
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <div className="page page--narrow handover">
      <h1>Recording on this phone</h1>
      <p role="status">Signing this phone in for recording…</p>
    </div>
  );
}

/** What a phone signed in for recording only sees on a page it cannot use. */
export function RecordOnlyPage() {
  useTitle('Not on this phone');
  const session = useSession();
  return (
    <div className="page page--narrow handover">
      <h1>Not on this phone</h1>
      <p>
        This phone is signed in for {session.user?.displayName ?? 'you'} for recording tasks only. The diary,
        recordings, profile and settings are on the computer where you are fully signed in.
      </p>
      <div className="actions">
        <Link href="/" className="button button--primary">
          Go to the tasks
        </Link>
      </div>
    </div>
  );
}
