import { scheduleSchema, SCHEDULE_VERSION, type Schedule } from '@dystrack/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TextAreaField } from '../components/form.js';
import { errorMessage } from '../pages/form-helpers.js';
import { RecurringEditor, type DraftRecurring } from '../pages/routine-items.js';
import { localToday } from '../pages/scales-entry-parts.js';
import { cancelInvitation, createInvitation, type ClinicInvitation } from './api.js';
import { QrCode } from '../components/qr-code.js';
import { dayWords } from './words.js';

/*
 * Inviting a patient: a note and, if the clinician wants, a proposed routine (weekly tasks, the routine
 * page's own item editor), then the code to give the patient; and the clinician's invitations with cancel.
 */

/** Most a note may hold (the server's limit). */
export const NOTE_MAX = 500;

let itemCounter = 0;
function newItem(): DraftRecurring {
  itemCounter += 1;
  return {
    id: `clinic-${Date.now().toString(36)}-${itemCounter}`,
    type: 'recurring',
    activity: 'tapping',
    repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
    time: '18:00',
  };
}

/** The time zone a proposed routine is in: this browser's (the patient's routine page can change it). */
function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The proposed routine as core's Schedule, or the problems by field path (`items.0.repeat.weekdays`).
 */
export function draftSchedule(
  items: readonly DraftRecurring[],
  zone: string = timeZone(),
): { schedule: Schedule; issues: null } | { schedule: null; issues: Record<string, string> } {
  const result = scheduleSchema.safeParse({ version: SCHEDULE_VERSION, timeZone: zone, items });
  if (result.success) return { schedule: result.data, issues: null };
  const issues: Record<string, string> = {};
  for (const issue of result.error.issues) issues[issue.path.join('.')] ??= issue.message;
  return { schedule: null, issues };
}

/** A made invitation: the code big, the link, the QR code, and until when it works. */
function CodePanel({
  made,
  onDone,
}: {
  made: { invitation: ClinicInvitation; code: string; link: string };
  onDone: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => headingRef.current?.focus(), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(made.link);
      setCopied('The link is copied.');
    } catch {
      setCopied('The link could not be copied here: select it and copy it by hand.');
    }
  }
  return (
    <section className="panel clinic__code" aria-labelledby="invite-code-heading">
      <h3 id="invite-code-heading" ref={headingRef} tabIndex={-1}>
        The invitation is ready
      </h3>
      <p>Give the patient this code. They enter it in Dystrack under Sharing, or open the link or QR code.</p>
      <p className="clinic__code-text" aria-label={`Code: ${made.code.split('').join(' ')}`}>
        {made.code}
      </p>
      <p className="clinic__validity">
        Valid until {dayWords(made.invitation.expiresAt)} (14 days), for one patient only.
      </p>
      <div className="clinic__link-row">
        <label htmlFor="invite-link" className="visually-hidden">
          Link of the invitation
        </label>
        <input id="invite-link" readOnly value={made.link} onFocus={(event) => event.target.select()} />
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          Copy the link
        </button>
      </div>
      <p role="status">{copied}</p>
      <div className="clinic__qr-box">
        <QrCode
          className="clinic__qr"
          instead="The code and the link work the same."
          url={made.link}
          alt="QR code of the invitation link: the patient scans it with their phone. The same link is above."
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

/** The invitation form, then its code. */
export function InviteForm({ onCreated, onClose }: { onCreated: () => void; onClose: () => void }) {
  const [note, setNote] = useState('');
  const [propose, setPropose] = useState(false);
  const [items, setItems] = useState<DraftRecurring[]>(() => [newItem()]);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ invitation: ClinicInvitation; code: string; link: string } | null>(null);
  const today = localToday();

  if (made) return <CodePanel made={made} onDone={onClose} />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (note.length > NOTE_MAX) {
      setError(`The note is too long: at most ${NOTE_MAX} characters.`);
      return;
    }
    let schedule: Schedule | undefined;
    if (propose) {
      if (items.length === 0) {
        setError('Add at least one task to the proposed routine, or do not propose one.');
        return;
      }
      const checked = draftSchedule(items);
      if (!checked.schedule) {
        setIssues(checked.issues);
        setError('The proposed routine has a problem: see the marked fields.');
        return;
      }
      schedule = checked.schedule;
    }
    setIssues({});
    setBusy(true);
    try {
      const answer = await createInvitation({
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(schedule ? { schedule } : {}),
      });
      setMade(answer);
      onCreated();
    } catch (cause) {
      setError(`The invitation was not made: ${errorMessage(cause)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form panel"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby="invite-heading"
    >
      <h3 id="invite-heading">Invite a patient</h3>
      <p>
        The patient gets a code. When they enter it, they choose what to share with you and until when; you
        see nothing before that.
      </p>
      <TextAreaField
        label="Note to the patient (optional)"
        hint={`Shown to the patient with the invitation. At most ${NOTE_MAX} characters.`}
        maxLength={NOTE_MAX}
        value={note}
        onChange={setNote}
      />
      <div className="choice choice--inline">
        <input
          type="checkbox"
          id="invite-propose"
          checked={propose}
          onChange={(event) => setPropose(event.target.checked)}
          aria-describedby="invite-propose-hint"
        />
        <label htmlFor="invite-propose">Propose a routine (which tasks, how often)</label>
      </div>
      <p className="field__hint" id="invite-propose-hint">
        The patient sees it and decides whether to take it on as their routine.
      </p>
      {propose ? (
        <fieldset className="clinic__routine">
          <legend>Proposed routine</legend>
          {items.map((item, index) => (
            <RecurringEditor
              key={item.id}
              item={item}
              index={index}
              label={`Item ${index + 1}`}
              today={today}
              errorOf={(path) => issues[path] ?? null}
              onChange={(next) => setItems((all) => all.map((it, i) => (i === index ? next : it)))}
              onRemove={() => setItems((all) => all.filter((_, i) => i !== index))}
            />
          ))}
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setItems((all) => [...all, newItem()])}
          >
            Add a task to the routine
          </button>
        </fieldset>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions actions--row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Making the invitation…' : 'Make the invitation code'}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const STATUS_WORDS: Record<ClinicInvitation['status'], string> = {
  open: 'Open',
  used: 'Used',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/** One invitation, with a confirmed cancel while it is open. */
function InvitationItem({
  invitation,
  onCancelled,
}: {
  invitation: ClinicInvitation;
  onCancelled: (message: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const made = dayWords(invitation.createdAt);
  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      await cancelInvitation(invitation.id);
      setConfirming(false);
      onCancelled(`The invitation of ${made} is cancelled: its code no longer works.`);
    } catch (cause) {
      setError(`Not cancelled: ${errorMessage(cause)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="clinic__invitation">
      <p>
        <strong>{STATUS_WORDS[invitation.status]}</strong> · made {made}
        {invitation.status === 'open' ? `, valid until ${dayWords(invitation.expiresAt)}` : ''}
        {invitation.status === 'used' && invitation.patient
          ? `, used by ${invitation.patient.displayName}${invitation.usedAt ? ` on ${dayWords(invitation.usedAt)}` : ''}`
          : ''}
        {invitation.hasSchedule ? ' · with a proposed routine' : ''}
      </p>
      {invitation.note ? <p className="clinic__note">“{invitation.note}”</p> : null}
      {invitation.status === 'open' ? (
        confirming ? (
          <div role="group" aria-label="Cancel this invitation?" className="actions actions--row">
            <p>Cancel this invitation? Its code stops working at once.</p>
            <button
              type="button"
              className="button button--danger"
              disabled={busy}
              onClick={() => void cancel()}
            >
              Yes, cancel the invitation
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setConfirming(false)}
              autoFocus
            >
              No, keep it
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setConfirming(true)}
            aria-label={`Cancel the invitation of ${made}`}
          >
            Cancel the invitation
          </button>
        )
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** The clinician's invitations, newest first. */
export function InvitationList({
  invitations,
  onChanged,
}: {
  invitations: readonly ClinicInvitation[];
  onChanged: (message: string) => void;
}) {
  if (invitations.length === 0) return <p>You have not invited anyone yet.</p>;
  const sorted = [...invitations].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ul className="clinic__invitations">
      {sorted.map((invitation) => (
        <InvitationItem key={invitation.id} invitation={invitation} onCancelled={onChanged} />
      ))}
    </ul>
  );
}
