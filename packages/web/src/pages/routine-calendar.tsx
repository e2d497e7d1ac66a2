import { useEffect, useRef, useState } from 'react';
import {
  createCalendarLink,
  getCalendarStatus,
  revokeCalendarLink,
  type CalendarLink,
  type CalendarStatus,
} from '../api/routine.js';
import { dateTimeWords } from '../format.js';
import { errorMessage } from './form-helpers.js';

/*
 * The calendar link: a secret address a calendar program subscribes to. It is shown once when created
 * (only a hash is kept on the server), can be copied with one button, replaced, and turned off after a
 * confirmation.
 */

export function CalendarSection() {
  const [status, setStatus] = useState<CalendarStatus | null>(null);
  const [link, setLink] = useState<CalendarLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<'replace' | 'revoke' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const urlRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    getCalendarStatus(controller.signal).then(setStatus, (e: unknown) => {
      if (!controller.signal.aborted) setError(errorMessage(e));
    });
    return () => controller.abort();
  }, []);

  async function create() {
    setBusy(true);
    setError(null);
    setMessage(null);
    setAsking(null);
    try {
      const created = await createCalendarLink();
      setLink(created);
      setStatus({ active: true, createdAt: created.createdAt });
      setMessage('Your calendar link is ready. Copy it now: it is shown only this once.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setBusy(true);
    setError(null);
    setMessage(null);
    setAsking(null);
    try {
      await revokeCalendarLink();
      setLink(null);
      setStatus({ active: false, createdAt: null });
      setMessage('The calendar link is turned off. Calendars that use it get nothing from now on.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setMessage(
        'The link is copied. Paste it where your calendar adds a calendar "from URL" or "by subscription".',
      );
    } catch {
      // no clipboard (permission, older browser): select the text so that the person can copy it
      urlRef.current?.focus();
      urlRef.current?.select();
      setMessage('The link is selected: copy it with your device’s copy command.');
    }
  }

  return (
    <section className="panel routine-calendar" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Calendar</h2>
      <p>
        Add your routine to the calendar on your phone or computer, which then reminds you. The calendar
        follows the changes you save here.
      </p>
      <p className="notice notice--info routine-calendar__privacy">
        Anyone who has the link sees the times of your reminders, but no health details: each one is only
        called, for example, “Dystrack: 10-minute check”, and links back to Dystrack.
      </p>
      {link ? (
        <div className="field">
          <label htmlFor="calendar-url">Your calendar link</label>
          <div className="field__hint" id="calendar-url-hint">
            Shown only now. If you lose it, create a new one (the old one then stops working).
          </div>
          {/* a text area, so that the whole link shows, wrapped, on a phone too */}
          <textarea
            id="calendar-url"
            ref={urlRef}
            readOnly
            rows={3}
            value={link.url}
            aria-describedby="calendar-url-hint"
            onFocus={(event) => event.target.select()}
          />
          <div className="actions">
            <button type="button" className="button button--primary" onClick={() => void copy()}>
              Copy the link
            </button>
          </div>
        </div>
      ) : status?.active ? (
        <p>
          A calendar link is on, created {status.createdAt ? dateTimeWords(status.createdAt) : 'earlier'}. It
          is not shown again; create a new one to see a link.
        </p>
      ) : status ? (
        <p>No calendar link is on.</p>
      ) : null}

      {status ? (
        <div className="actions">
          {!status.active ? (
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => void create()}
            >
              Create a calendar link
            </button>
          ) : asking === null ? (
            <>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => {
                  setMessage(null);
                  setAsking('replace');
                }}
              >
                Create a new link
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => {
                  setMessage(null);
                  setAsking('revoke');
                }}
              >
                Turn the calendar link off
              </button>
            </>
          ) : (
            <div
              className="actions actions--row"
              role="group"
              aria-label={asking === 'revoke' ? 'Turn the calendar link off?' : 'Create a new link?'}
            >
              <p className="routine-calendar__question">
                {asking === 'revoke'
                  ? 'Turn the link off? Calendars that use it stop showing your reminders.'
                  : 'Create a new link? The old one stops working at once; calendars that use it need the new one.'}
              </p>
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                onClick={() => void (asking === 'revoke' ? revoke() : create())}
              >
                {asking === 'revoke' ? 'Yes, turn it off' : 'Yes, create a new link'}
              </button>
              <button type="button" className="button button--secondary" onClick={() => setAsking(null)}>
                No, keep it
              </button>
            </div>
          )}
        </div>
      ) : null}
      <p role="status" className="status-line">
        {message}
      </p>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
