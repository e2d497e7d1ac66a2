import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../pages/form-helpers.js';
import {
  disableNotifications,
  enableNotifications,
  readNotificationState,
  sendTestNotification,
  type NotificationState,
  type PushTestResult,
} from '../push/push.js';

/** How a test's result reads: every number next to what it counts. */
export function testResultWords(result: PushTestResult): string {
  if (result.delivered === 0 && result.failed === 0 && result.removed === 0)
    return 'No device is set up for notifications any more. Turn them on again on this device.';
  const parts: string[] = [];
  if (result.delivered > 0)
    parts.push(
      `Sent to ${result.delivered} ${result.delivered === 1 ? 'device' : 'devices'}. It should appear within a minute.`,
    );
  if (result.failed > 0)
    parts.push(
      `${result.failed} ${result.failed === 1 ? 'device' : 'devices'} could not be reached now; Dystrack tries again with the next reminder.`,
    );
  if (result.removed > 0)
    parts.push(
      `${result.removed} ${result.removed === 1 ? 'device no longer accepts' : 'devices no longer accept'} notifications and ${result.removed === 1 ? 'was' : 'were'} removed.`,
    );
  return parts.join(' ');
}

/**
 * Reminders as notifications on this device (Web Push): turn on or off, send a test. Shows plainly when
 * the browser cannot do it, or when notifications are blocked and how to allow them.
 */
export function NotificationsSettings() {
  const [state, setState] = useState<NotificationState | 'checking'>('checking');
  const [busy, setBusy] = useState<null | 'enable' | 'disable' | 'test'>(null);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setState(await readNotificationState());
    } catch (e) {
      setState('off');
      setError(`The notification settings could not be checked: ${errorMessage(e)}`);
    }
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reading the browser's state on mount
    void refresh();
  }, [refresh]);

  async function act(kind: 'enable' | 'disable' | 'test') {
    setBusy(kind);
    setError(null);
    setStatus(null);
    try {
      if (kind === 'enable') {
        const next = await enableNotifications();
        setState(next);
        if (next === 'on') setStatus('Notifications are on for this device.');
        else if (next === 'off')
          setStatus('Notifications stay off: the browser did not get an answer to its question.');
      } else if (kind === 'disable') {
        setConfirmingOff(false);
        setState(await disableNotifications());
        setStatus('Notifications are off for this device.');
      } else {
        setStatus(testResultWords(await sendTestNotification()));
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel notifications" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <p>
        Dystrack can remind you on this device when something in your routine is due. A reminder says only
        &ldquo;Dystrack: something is due today&rdquo; &mdash; never what it is &mdash; so nothing about your
        health shows on the lock screen.
      </p>

      {state === 'checking' ? <p className="muted">Checking this device&hellip;</p> : null}

      {state === 'unsupported' ? (
        <div className="notice notifications__state" data-state="unsupported">
          <p>
            <strong>This browser cannot show notifications from Dystrack.</strong> What is due still shows on
            this page. Another browser, or the calendar link, can remind you instead.
          </p>
        </div>
      ) : null}

      {state === 'denied' ? (
        <div className="notice notice--error notifications__state" data-state="denied">
          <div>
            <p>
              <strong>Notifications are blocked for Dystrack in this browser.</strong>
            </p>
            <p>To allow them:</p>
            <ol>
              <li>Open the site settings: the icon just left of the web address, at the top.</li>
              <li>Set &ldquo;Notifications&rdquo; to &ldquo;Allow&rdquo;.</li>
              <li>Come back here and press &ldquo;Check again&rdquo;.</li>
            </ol>
            <p className="muted">
              On a phone, the setting may be under the browser&rsquo;s settings, then Site settings, then
              Notifications.
            </p>
          </div>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setStatus(null);
              void refresh();
            }}
          >
            Check again
          </button>
        </div>
      ) : null}

      {state === 'off' ? (
        <>
          <p className="notifications__state" data-state="off">
            <strong>Notifications are off on this device.</strong> When you turn them on, your browser may ask
            whether to allow notifications from Dystrack.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button--primary"
              disabled={busy !== null}
              onClick={() => void act('enable')}
            >
              {busy === 'enable' ? 'Turning on…' : 'Turn on notifications on this device'}
            </button>
          </div>
        </>
      ) : null}

      {state === 'on' ? (
        <>
          <p className="notice notice--success notifications__state" data-state="on">
            <strong>Notifications are on for this device.</strong>
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              disabled={busy !== null}
              onClick={() => void act('test')}
            >
              {busy === 'test' ? 'Sending…' : 'Send a test notification'}
            </button>
            {confirmingOff ? null : (
              <button
                type="button"
                className="button button--secondary"
                disabled={busy !== null}
                onClick={() => setConfirmingOff(true)}
              >
                Turn off notifications on this device
              </button>
            )}
          </div>
          {confirmingOff ? (
            <div
              className="actions actions--row"
              role="group"
              aria-label="Turn off notifications on this device?"
            >
              <button
                type="button"
                className="button button--danger"
                disabled={busy !== null}
                onClick={() => void act('disable')}
              >
                {busy === 'disable' ? 'Turning off…' : 'Yes, turn them off'}
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy !== null}
                onClick={() => setConfirmingOff(false)}
                // the safe choice has the focus: a second accidental press keeps notifications on
                autoFocus
              >
                No, keep them on
              </button>
            </div>
          ) : null}
        </>
      ) : null}

      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}
