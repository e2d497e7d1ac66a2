import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client.js';
import { ErrorSummary, TextField, type FormProblem } from '../components/form.js';
import { useNow } from '../components/use-now.js';
import { useTitle } from '../components/use-title.js';
import {
  createShare,
  listShares,
  previewInvitation,
  redeemInvitation,
  revokeShare,
  updateShare,
  type InvitationPreview,
  type NewShare,
  type Share,
  type ShareScope,
} from '../sharing/api.js';
import { ConfirmAction, DurationChoices, ScopeChoices } from '../sharing/fields.js';
import {
  codeProblem,
  dateWords,
  durationEnd,
  formatCode,
  scheduleWords,
  scopesProblem,
  scopesWords,
  timeLeftWords,
  type Duration,
} from '../sharing/labels.js';
import { QrCode } from '../components/qr-code.js';
import { errorMessage, useFormProblems } from './form-helpers.js';
import { forgetFragmentCode, takeFragmentCode } from '../components/fragment-code.js';
import './sharing.css';

/*
 * The patient's sharing with clinicians (contract of issue 11): the shares, grouped as active, waiting for
 * the clinician and ended; inviting a clinician with a code; changing and stopping a share; and using a
 * code a clinician gave (`/sharing/redeem#<code>`).
 */

/** The end of a share in words: "until 3 March 2027" or "until you stop it". */
function untilWords(expiresAt: string | null): string {
  return expiresAt ? `until ${dateWords(expiresAt)}` : 'until you stop it';
}

function clinicianName(share: Share): string {
  return share.clinician ? share.clinician.displayName : 'the clinician';
}

/** The end chosen in a form, or the words of why it cannot be used. */
function chosenEnd(duration: Duration, day: string): { end: string | null } | { problem: string } {
  try {
    return { end: durationEnd(duration, day) };
  } catch (caught) {
    return { problem: errorMessage(caught) };
  }
}

/**
 * The problems of a form's choice of what to share and until when (field ids `<prefix>-scopes`,
 * `<prefix>-duration`, `<prefix>-duration-day`), or the chosen end when there are none.
 */
function shareChoice(
  prefix: string,
  scopes: readonly ShareScope[],
  duration: Duration,
  day: string,
): { problems: FormProblem[] } | { end: string | null } {
  const problems: FormProblem[] = [];
  const scopeProblem = scopesProblem(scopes);
  if (scopeProblem) problems.push({ fieldId: `${prefix}-scopes`, message: scopeProblem });
  const end = chosenEnd(duration, day);
  if ('problem' in end)
    problems.push({
      fieldId: duration === 'date' ? `${prefix}-duration-day` : `${prefix}-duration`,
      message: end.problem,
    });
  return problems.length > 0 || 'problem' in end ? { problems } : end;
}

/** Copies a text, then says whether it worked (in a status line). */
function CopyButton({ text, label, done }: { text: string; label: string; done: string }) {
  const [said, setSaid] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setSaid(done),
            () => setSaid('Copying did not work: select the text and copy it yourself.'),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className="field__hint">
        {said ?? ''}
      </span>
    </>
  );
}

/** The new invitation: the code big and spaced, the link, its QR code, how long it works. */
function NewCodePanel({ created, onDone }: { created: NewShare; onDone: () => void }) {
  const code = formatCode(created.code);
  return (
    <section className="panel sharing__new" aria-labelledby="new-code-heading">
      <div role="status">
        <h2 id="new-code-heading">Give this code to your clinician</h2>
      </div>
      <p>
        Your clinician types it in Dystrack (signed in as a clinician), or opens the link, or scans the QR
        code. Then they see your {scopesWords(created.share.scopes)}, {untilWords(created.share.expiresAt)}.
      </p>
      <p className="sharing__code">
        <span className="visually-hidden">The code: </span>
        {code}
      </p>
      <p className="sharing__valid">
        <strong>Valid for 7 days</strong>
        {created.share.inviteExpiresAt ? ` (until ${dateWords(created.share.inviteExpiresAt)})` : ''}, and
        only once. It is shown only now: write it down or copy it.
      </p>
      <div className="actions actions--row">
        <CopyButton text={code} label="Copy the code" done="Code copied." />
      </div>
      <div className="field">
        <label htmlFor="sharing-link">Or send this link to your clinician</label>
        <p className="field__hint" id="sharing-link-hint">
          Whoever uses the code or link first becomes the clinician you share with: give it only to them.
        </p>
        <div className="sharing__link-row">
          <input
            id="sharing-link"
            type="text"
            readOnly
            value={created.link}
            aria-describedby="sharing-link-hint"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={created.link} label="Copy the link" done="Link copied." />
        </div>
      </div>
      <div className="sharing__qr-box">
        <QrCode
          className="sharing__qr"
          instead="Give the code or the link instead."
          url={created.link}
          alt="QR code of the link above, for your clinician to scan. The code and the link are written on this page."
        />
      </div>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

/** The form of a new invitation: what to share and for how long. */
function InviteForm({
  onCreated,
  onCancel,
}: {
  onCreated: (created: NewShare) => void;
  onCancel: () => void;
}) {
  const [scopes, setScopes] = useState<ShareScope[]>([]);
  const [duration, setDuration] = useState<Duration>('6m');
  const [day, setDay] = useState('');
  const [busy, setBusy] = useState(false);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const end = shareChoice('invite', scopes, duration, day);
    if ('problems' in end) {
      show(end.problems);
      return;
    }
    show([]);
    setBusy(true);
    try {
      onCreated(await createShare(scopes, end.end));
    } catch (caught) {
      show([{ fieldId: 'invite-scopes', message: `No code was made: ${errorMessage(caught)}` }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a clinician</h2>
      <p>
        You choose what to share and for how long. Dystrack then shows a code for your clinician; sharing
        starts when they use it.
      </p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary problems={problems} summaryRef={summaryRef} />
        <ScopeChoices
          id="invite-scopes"
          legend="What may the clinician see?"
          values={scopes}
          onChange={setScopes}
          error={errorOf('invite-scopes')}
        />
        <DurationChoices
          id="invite-duration"
          legend="For how long?"
          value={duration}
          onChange={(value) => setDuration(value === 'keep' ? '6m' : value)}
          day={day}
          onDay={setDay}
          error={errorOf(duration === 'date' ? 'invite-duration-day' : 'invite-duration')}
        />
        <div className="actions actions--row">
          <button type="submit" className="button button--primary button--large" disabled={busy}>
            {busy ? 'Making the code…' : 'Make the code for my clinician'}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** Changing what a share gives and when it ends (PATCH). */
function ChangeForm({
  share,
  onSaved,
  onCancel,
}: {
  share: Share;
  onSaved: (share: Share) => void;
  onCancel: () => void;
}) {
  const [scopes, setScopes] = useState<ShareScope[]>(share.scopes);
  const [duration, setDuration] = useState<Duration | 'keep'>('keep');
  const [day, setDay] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ scopes?: string; duration?: string }>({});
  const prefix = `change-${share.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const scopeProblem = scopesProblem(scopes);
    const end = duration === 'keep' ? null : chosenEnd(duration, day);
    const durationProblem = end && 'problem' in end ? end.problem : undefined;
    setFieldErrors({ scopes: scopeProblem ?? undefined, duration: durationProblem });
    if (scopeProblem || durationProblem) return;
    const change: { scopes?: ShareScope[]; expiresAt?: string | null } = {};
    const same =
      scopes.length === share.scopes.length && scopes.every((scope) => share.scopes.includes(scope));
    if (!same) change.scopes = scopes;
    if (end && 'end' in end) change.expiresAt = end.end;
    if (Object.keys(change).length === 0) {
      setError('Nothing was changed: tick or untick something, or choose a new end.');
      return;
    }
    setBusy(true);
    try {
      onSaved(await updateShare(share.id, change));
    } catch (caught) {
      setError(`Not saved: ${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form sharing__change" onSubmit={(event) => void submit(event)} noValidate>
      <h4>Change what {clinicianName(share)} sees</h4>
      <ScopeChoices
        id={`${prefix}-scopes`}
        legend="What may the clinician see?"
        values={scopes}
        onChange={setScopes}
        error={fieldErrors.scopes}
      />
      <DurationChoices
        id={`${prefix}-duration`}
        legend="Until when?"
        keepLabel={`Keep the end as it is: ${untilWords(share.expiresAt)}`}
        value={duration}
        onChange={setDuration}
        day={day}
        onDay={setDay}
        error={fieldErrors.duration}
      />
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions actions--row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save the change'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** One active share: who, what, since, until, last visit; change it or stop it. */
function ActiveShare({
  share,
  onChanged,
}: {
  share: Share;
  onChanged: (share: Share, message: string) => void;
}) {
  const [changing, setChanging] = useState(false);
  const name = clinicianName(share);
  return (
    <li className="panel sharing__share">
      <h3>
        {name}
        {share.clinician ? <span className="muted"> ({share.clinician.username})</span> : null}
      </h3>
      <dl className="facts sharing__facts">
        <div>
          <dt>Sees</dt>
          <dd>{scopesWords(share.scopes)}</dd>
        </div>
        <div>
          <dt>Since</dt>
          <dd>{dateWords(share.acceptedAt ?? share.createdAt)}</dd>
        </div>
        <div>
          <dt>Until</dt>
          <dd>{share.expiresAt ? dateWords(share.expiresAt) : 'you stop it'}</dd>
        </div>
        <div>
          <dt>Last visit</dt>
          <dd>{share.lastVisitAt ? dateWords(share.lastVisitAt) : 'none marked yet'}</dd>
        </div>
      </dl>
      {changing ? (
        <ChangeForm
          share={share}
          onCancel={() => setChanging(false)}
          onSaved={(saved) => {
            setChanging(false);
            onChanged(
              saved,
              `Saved: ${clinicianName(saved)} now sees ${scopesWords(saved.scopes)}, ${untilWords(saved.expiresAt)}.`,
            );
          }}
        />
      ) : (
        <div className="actions actions--row">
          <button type="button" className="button button--secondary" onClick={() => setChanging(true)}>
            Change what is shared <span className="visually-hidden">with {name}</span>
          </button>
          <ConfirmAction
            label={
              <>
                Stop sharing <span className="visually-hidden">with {name}</span>
              </>
            }
            question={`Stop sharing with ${name}? It takes effect at once: from now on ${name} sees nothing of yours. To share again later, make a new invitation.`}
            confirmLabel={`Yes, stop sharing with ${name}`}
            busyLabel="Stopping…"
            onConfirm={async () => {
              const stopped = await revokeShare(share.id);
              onChanged(
                stopped,
                `Sharing with ${name} has stopped. ${name} no longer sees anything of yours.`,
              );
            }}
          />
        </div>
      )}
    </li>
  );
}

/** One invitation whose code waits for a clinician: what it will share, how long the code works. */
function PendingShare({
  share,
  onChanged,
}: {
  share: Share;
  onChanged: (share: Share, message: string) => void;
}) {
  const now = useNow(30_000);
  const left = share.inviteExpiresAt ? Date.parse(share.inviteExpiresAt) - now : null;
  return (
    <li className="panel sharing__share">
      <h3>Invitation of {dateWords(share.createdAt)}</h3>
      <dl className="facts sharing__facts">
        <div>
          <dt>Will share</dt>
          <dd>{scopesWords(share.scopes)}</dd>
        </div>
        <div>
          <dt>Until</dt>
          <dd>{share.expiresAt ? dateWords(share.expiresAt) : 'you stop it'}</dd>
        </div>
        <div>
          <dt>The code works</dt>
          <dd>
            {left === null
              ? 'for a few days'
              : left > 0
                ? `${timeLeftWords(left)} more (until ${dateWords(share.inviteExpiresAt!)})`
                : 'no longer: it has expired'}
          </dd>
        </div>
      </dl>
      <p className="muted">
        The code was shown only when you made it. If it is lost, cancel this invitation and make a new one.
      </p>
      <div className="actions actions--row">
        <ConfirmAction
          label={
            <>
              Cancel this invitation <span className="visually-hidden">of {dateWords(share.createdAt)}</span>
            </>
          }
          question="Cancel this invitation? Its code stops working at once."
          confirmLabel="Yes, cancel the invitation"
          busyLabel="Cancelling…"
          onConfirm={async () => {
            const cancelled = await revokeShare(share.id);
            onChanged(cancelled, 'The invitation is cancelled; its code no longer works.');
          }}
        />
      </div>
    </li>
  );
}

/** A share that has ended: who, what it gave, when and how it ended. */
function EndedShare({ share }: { share: Share }) {
  const how =
    share.status === 'revoked'
      ? share.acceptedAt
        ? `You stopped it on ${dateWords(share.revokedAt ?? share.createdAt)}.`
        : `Invitation cancelled on ${dateWords(share.revokedAt ?? share.createdAt)}; it was never used.`
      : share.acceptedAt
        ? `Ended by itself on ${share.expiresAt ? dateWords(share.expiresAt) : 'its end date'}.`
        : 'The invitation’s code expired without being used.';
  return (
    <li className="sharing__ended">
      <strong>
        {share.clinician ? `${share.clinician.displayName} (${share.clinician.username})` : 'Invitation'}
      </strong>
      : {scopesWords(share.scopes)}
      {share.acceptedAt ? `, from ${dateWords(share.acceptedAt)}` : ''}. {how}
    </li>
  );
}

/** The patient's sharing page (`/sharing`). */
export function SharingPage() {
  useTitle('Sharing');
  const [shares, setShares] = useState<Share[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [created, setCreated] = useState<NewShare | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    listShares(signal).then(
      (items) => {
        setShares(items);
        setLoadError(null);
      },
      (caught: unknown) => {
        if (!(caught instanceof ApiError && caught.code === 'E_ABORTED')) setLoadError(errorMessage(caught));
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const changed = useCallback((share: Share, words: string) => {
    setShares((list) => list?.map((s) => (s.id === share.id ? share : s)) ?? list);
    setMessage(words);
  }, []);

  const active = shares?.filter((s) => s.status === 'active') ?? [];
  const pending = shares?.filter((s) => s.status === 'pending') ?? [];
  const ended = shares?.filter((s) => s.status === 'expired' || s.status === 'revoked') ?? [];

  return (
    <div className="page page--narrow sharing">
      <h1>Sharing with your clinicians</h1>
      <p className="lead">
        You can let a clinician see parts of your Dystrack record. They see only what you tick, until the date
        you choose or until you stop it. Every time they look, it is written in your{' '}
        <Link href="/activity">Activity log</Link>.
      </p>
      <div role="status">{message ? <p className="notice notice--success">{message}</p> : null}</div>
      {loadError ? (
        <div className="notice notice--error" role="alert">
          <p>Your sharing could not be loaded: {loadError}</p>
          <button type="button" className="button button--secondary" onClick={() => load()}>
            Try again
          </button>
        </div>
      ) : null}

      {created ? (
        <NewCodePanel
          created={created}
          onDone={() => {
            setCreated(null);
            load();
          }}
        />
      ) : inviting ? (
        <InviteForm
          onCancel={() => setInviting(false)}
          onCreated={(next) => {
            setInviting(false);
            setCreated(next);
            setMessage(null);
            setShares((list) => (list ? [next.share, ...list] : list));
          }}
        />
      ) : (
        <div className="actions actions--row">
          <button
            type="button"
            className="button button--primary button--large"
            onClick={() => {
              setMessage(null);
              setInviting(true);
            }}
          >
            Invite a clinician
          </button>
          <Link href="/sharing/redeem" className="button button--secondary button--large">
            I have a code from my clinician
          </Link>
        </div>
      )}

      {shares === null && !loadError ? <p role="status">Loading your sharing…</p> : null}
      {shares !== null ? (
        <>
          <section aria-labelledby="active-heading" className="sharing__group">
            <h2 id="active-heading">Sharing now</h2>
            {active.length === 0 ? (
              <p>You share nothing with anyone at the moment.</p>
            ) : (
              <ul className="sharing__list">
                {active.map((share) => (
                  <ActiveShare key={share.id} share={share} onChanged={changed} />
                ))}
              </ul>
            )}
          </section>
          {pending.length > 0 ? (
            <section aria-labelledby="pending-heading" className="sharing__group">
              <h2 id="pending-heading">Waiting for the clinician</h2>
              <p>These codes have not been used yet. Nothing is shared until the clinician uses the code.</p>
              <ul className="sharing__list">
                {pending.map((share) => (
                  <PendingShare key={share.id} share={share} onChanged={changed} />
                ))}
              </ul>
            </section>
          ) : null}
          {ended.length > 0 ? (
            <section aria-labelledby="ended-heading" className="sharing__group">
              <h2 id="ended-heading">Ended</h2>
              <p>These clinicians no longer see anything of yours.</p>
              <ul className="sharing__ended-list">
                {ended.map((share) => (
                  <EndedShare key={share.id} share={share} />
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

const REFUSAL_TITLES: Record<string, string> = {
  used: 'This code has already been used',
  expired: 'This code has expired',
  cancelled: 'This invitation was cancelled',
  unknown: 'This code is not valid',
};

/** Why a code cannot be used, as a heading and what to do (the server's words say what to do). */
function refusal(error: unknown): { title: string; message: string } {
  if (error instanceof ApiError && error.code === 'E_NOT_FOUND') {
    const reason = (error.details as { reason?: unknown } | null | undefined)?.reason;
    return {
      title: (typeof reason === 'string' && REFUSAL_TITLES[reason]) || 'This code cannot be used',
      message: error.message,
    };
  }
  if (error instanceof ApiError && error.code === 'E_RATE_LIMITED')
    return { title: 'Too many tries', message: error.message };
  if (error instanceof ApiError && error.code === 'E_CONFLICT')
    return { title: 'This code cannot be used now', message: error.message };
  return { title: 'It did not work', message: errorMessage(error) };
}

type Preview = { code: string; invitation: InvitationPreview };

/** What the clinician's invitation says: who, their note, the routine they propose. */
function InvitationDetails({ invitation }: { invitation: InvitationPreview }) {
  const routine = invitation.schedule ? scheduleWords(invitation.schedule) : [];
  return (
    <section className="panel" aria-labelledby="invitation-heading">
      <h2 id="invitation-heading">
        Invitation from {invitation.clinician.displayName}{' '}
        <span className="muted">({invitation.clinician.username})</span>
      </h2>
      {invitation.note ? (
        <>
          <h3>Their note</h3>
          <blockquote className="sharing__note pre-wrap">{invitation.note}</blockquote>
        </>
      ) : null}
      {invitation.schedule ? (
        <>
          <h3>The routine they propose</h3>
          {routine.length === 0 ? (
            <p>An empty routine (nothing planned).</p>
          ) : (
            <ul>
              {routine.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          )}
          <p className="muted">Times are in the time zone {invitation.schedule.timeZone}.</p>
        </>
      ) : (
        <p>They propose no routine.</p>
      )}
      <p className="muted">The code works until {dateWords(invitation.expiresAt)}.</p>
    </section>
  );
}

/** The form after the preview: what to share, for how long, whether to take the routine. */
function AcceptForm({ preview, onDone }: { preview: Preview; onDone: (words: string) => void }) {
  const { invitation } = preview;
  const name = invitation.clinician.displayName;
  const [scopes, setScopes] = useState<ShareScope[]>([]);
  const [duration, setDuration] = useState<Duration>('6m');
  const [day, setDay] = useState('');
  const [acceptSchedule, setAcceptSchedule] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const end = shareChoice('redeem', scopes, duration, day);
    if ('problems' in end) {
      show(end.problems);
      return;
    }
    show([]);
    setBusy(true);
    try {
      const result = await redeemInvitation({
        code: preview.code,
        scopes,
        expiresAt: end.end,
        acceptSchedule: invitation.schedule ? acceptSchedule : false,
      });
      onDone(
        `You now share your ${scopesWords(result.share.scopes)} with ${name}, ${untilWords(result.share.expiresAt)}.` +
          (result.scheduleApplied ? ` ${name}’s routine is now your routine.` : ''),
      );
    } catch (caught) {
      setFailure(refusal(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <ScopeChoices
        id="redeem-scopes"
        legend={`What may ${name} see?`}
        values={scopes}
        onChange={setScopes}
        error={errorOf('redeem-scopes')}
      />
      <DurationChoices
        id="redeem-duration"
        legend="For how long?"
        value={duration}
        onChange={(value) => setDuration(value === 'keep' ? '6m' : value)}
        day={day}
        onDay={setDay}
        error={errorOf(duration === 'date' ? 'redeem-duration-day' : 'redeem-duration')}
      />
      {invitation.schedule ? (
        <fieldset className="choices">
          <legend>The proposed routine</legend>
          <div className="choice">
            <input
              id="redeem-accept-schedule"
              type="checkbox"
              checked={acceptSchedule}
              onChange={(event) => setAcceptSchedule(event.target.checked)}
              aria-describedby="redeem-accept-schedule-description"
            />
            <label htmlFor="redeem-accept-schedule">
              Use {name}’s proposed routine
              <span id="redeem-accept-schedule-description" className="choice__description">
                It replaces your current routine with a new version (your earlier versions are kept). You can
                change it later on the Routine page. Leave this unticked to keep your routine as it is.
              </span>
            </label>
          </div>
        </fieldset>
      ) : null}
      {failure ? (
        <div className="notice notice--error" role="alert">
          <div>
            <h2>{failure.title}</h2>
            <p>{failure.message}</p>
          </div>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          {busy ? 'Sharing…' : `Share with ${name}`}
        </button>
      </div>
    </form>
  );
}

/** The page of a clinician's invitation (`/sharing/redeem#<code>`): preview it, then choose and share. */
export function SharingRedeemPage() {
  useTitle('Use a code from your clinician');
  const [initial] = useState(takeFragmentCode);
  const [code, setCode] = useState(() => (initial ? formatCode(initial) : ''));
  const [codeError, setCodeError] = useState<string | null>(() => (initial ? codeProblem(initial) : null));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const [busy, setBusy] = useState(() => Boolean(initial && !codeProblem(initial)));
  const [done, setDone] = useState<string | null>(null);

  // the page holds the code now: a later visit without a fragment must not find it
  useEffect(() => {
    forgetFragmentCode();
  }, []);

  /** Shows the answer of a preview request (an aborted one leaves the page as it is). */
  const answer = useCallback((text: string, signal: AbortSignal | undefined) => {
    previewInvitation(text, signal)
      .then(
        (invitation) => setPreview({ code: text, invitation }),
        (caught: unknown) => {
          if (!(caught instanceof ApiError && caught.code === 'E_ABORTED')) setFailure(refusal(caught));
        },
      )
      .finally(() => {
        if (!signal?.aborted) setBusy(false);
      });
  }, []);

  const look = (text: string) => {
    const problem = codeProblem(text);
    setCodeError(problem);
    setFailure(null);
    setPreview(null);
    if (problem) return;
    setBusy(true);
    answer(text.trim(), undefined);
  };

  // a code from the link is looked up at once: the person came here to see it
  useEffect(() => {
    if (!initial || codeProblem(initial)) return undefined;
    const controller = new AbortController();
    answer(initial.trim(), controller.signal);
    return () => controller.abort();
  }, [initial, answer]);

  if (done)
    return (
      <div className="page page--narrow sharing">
        <h1>Use a code from your clinician</h1>
        <div className="notice notice--success" role="status">
          <div>
            <h2>Sharing has started</h2>
            <p>{done}</p>
          </div>
        </div>
        <p>You can change what is shared, or stop it, at any time on the Sharing page.</p>
        <div className="actions">
          <Link href="/sharing" className="button button--primary button--large">
            Go to your sharing
          </Link>
        </div>
      </div>
    );

  return (
    <div className="page page--narrow sharing">
      <h1>Use a code from your clinician</h1>
      <p className="lead">
        Your clinician gave you a code (or a link with it). Look at their invitation first; then choose what
        they may see and for how long. Nothing is shared before you press the last button.
      </p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          look(code);
        }}
        noValidate
      >
        <TextField
          id="redeem-code"
          label="The code"
          className="sharing__code-field"
          value={code}
          onChange={setCode}
          hint="12 letters and digits, like ABCD-EFGH-JKMN. Capitals, spaces and hyphens do not matter."
          error={codeError}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
        />
        <div className="actions">
          <button type="submit" className="button button--secondary button--large" disabled={busy}>
            {busy ? 'Looking…' : 'Show the invitation'}
          </button>
        </div>
      </form>
      {busy ? <p role="status">Looking up the code…</p> : null}
      {failure ? (
        <div className="notice notice--error" role="alert">
          <div>
            <h2>{failure.title}</h2>
            <p>{failure.message}</p>
          </div>
        </div>
      ) : null}
      {preview ? (
        <>
          <InvitationDetails invitation={preview.invitation} />
          <AcceptForm preview={preview} onDone={setDone} />
        </>
      ) : null}
      <p>
        <Link href="/sharing">Back to your sharing</Link>
      </p>
    </div>
  );
}
