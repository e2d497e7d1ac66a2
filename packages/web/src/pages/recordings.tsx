import { TASKS } from '@dystrack/tasks';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { listRecordings } from '../api/endpoints.js';
import type { RecordingSummary } from '../api/types.js';
import { useNow } from '../components/use-now.js';
import { useTitle } from '../components/use-title.js';
import {
  bytesWords,
  dateTimeWords,
  durationWords,
  flagsWords,
  handWords,
  shortHash,
  whenWords,
} from '../format.js';
import {
  flushQueue,
  keepQueueEntry,
  sendEntryNow,
  useQueueEntries,
  useSenderStatus,
  type QueueEntry,
} from '../queue/index.js';
import { useSession } from '../session/session.js';
import { errorMessage } from './form-helpers.js';
import { downloadRecording } from './task.js';

/** Names of every task id, for recordings of tasks that this release does not run (imports, newer clients). */
const TASK_NAMES: Record<string, string> = {
  typing: 'Typing',
  tapping: 'Finger tapping',
  scale: 'Scales on a MIDI instrument',
  spiral: 'Spiral drawing',
  handwriting: 'Handwriting',
  precision: 'Precision pointing',
  tremor: 'Tremor (phone)',
};

/** A task's title from the registry, else its known name, else its id. */
export function taskTitle(taskId: string): string {
  return TASKS.find((t) => t.definition.id === taskId)?.definition.title ?? TASK_NAMES[taskId] ?? taskId;
}

const STATE_WORDS: Record<QueueEntry['state'], string> = {
  incomplete: 'Incomplete: kept on this device, not sent',
  waiting: 'Waiting to be sent',
  sending: 'Sending…',
  sent: 'Sent',
  rejected: 'Refused by the server',
};

/** One entry of the local queue, with what can be done with it. */
function LocalEntry({ entry, userId, now }: { entry: QueueEntry; userId: string; now: number }) {
  const [confirmSend, setConfirmSend] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const titleId = `local-${entry.id}`;
  const state =
    entry.state === 'sent' && entry.sentAt ? `Sent ${whenWords(entry.sentAt)}` : STATE_WORDS[entry.state];
  const canDownload = entry.recording !== null;

  async function send() {
    setMessage(null);
    const ok = await sendEntryNow(entry.id, userId);
    setConfirmSend(false);
    setMessage(ok ? 'It is on its way.' : 'This recording cannot be sent.');
  }

  return (
    <li className={`recording recording--${entry.state}`}>
      <article aria-labelledby={titleId}>
        <h3 id={titleId}>
          {taskTitle(entry.summary.taskId)}, {handWords(entry.summary.hand)}
        </h3>
        <dl className="facts facts--compact">
          <div>
            <dt>Recorded</dt>
            <dd>{dateTimeWords(entry.summary.startedAt)}</dd>
          </div>
          <div>
            <dt>Length</dt>
            <dd>{durationWords(entry.summary.durationMs)}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd className={`state state--${entry.state}`}>{state}</dd>
          </div>
          <div>
            <dt>Quality notes</dt>
            <dd>{flagsWords(entry.summary.flags)}</dd>
          </div>
          {entry.sha256 ? (
            <div>
              <dt>Fingerprint (SHA-256, start)</dt>
              <dd>
                <code>{shortHash(entry.sha256)}</code>
              </dd>
            </div>
          ) : null}
        </dl>
        {entry.lastError && entry.state !== 'sent' ? (
          <p className={entry.state === 'rejected' ? 'recording__error' : 'recording__note'}>
            {entry.state === 'rejected' ? 'The server said: ' : 'Last try: '}
            {entry.lastError.message}
            {entry.state === 'waiting' && entry.nextAttemptAt > now
              ? ` Next try ${whenWords(entry.nextAttemptAt)}.`
              : null}
          </p>
        ) : null}
        {entry.state === 'sent' && entry.lastError ? (
          <p className="recording__note">{entry.lastError.message}</p>
        ) : null}
        {entry.state === 'rejected' && entry.kept ? (
          <p className="recording__note">You chose to keep it on this device.</p>
        ) : null}
        {entry.state === 'incomplete' ? (
          <p className="recording__note">
            The task did not finish. Incomplete recordings are not sent unless you choose to send them.
          </p>
        ) : null}
        <div className="actions actions--row">
          {entry.state === 'incomplete' && !confirmSend ? (
            <button type="button" className="button button--secondary" onClick={() => setConfirmSend(true)}>
              Send it anyway
            </button>
          ) : null}
          {entry.state === 'incomplete' && confirmSend ? (
            <>
              <button type="button" className="button button--primary" onClick={() => void send()}>
                Yes, send the incomplete recording
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setConfirmSend(false)}
              >
                No
              </button>
            </>
          ) : null}
          {entry.state === 'rejected' && entry.lastError?.code !== 'E_LOCAL_INVALID' ? (
            <button type="button" className="button button--secondary" onClick={() => void send()}>
              Try again
            </button>
          ) : null}
          {entry.state === 'rejected' && !entry.kept ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void keepQueueEntry(entry.id, userId)}
            >
              Keep it on this device
            </button>
          ) : null}
          {entry.state === 'waiting' ? (
            <button type="button" className="button button--secondary" onClick={() => void send()}>
              Send now
            </button>
          ) : null}
          {canDownload ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => downloadRecording(entry.recording!)}
            >
              Download<span className="visually-hidden"> this recording</span>
            </button>
          ) : null}
        </div>
        <p role="status" className="status-line">
          {message}
        </p>
      </article>
    </li>
  );
}

/** The recordings the server holds, newest first, a page at a time. */
function ServerRecordings() {
  const [items, setItems] = useState<RecordingSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(async (from: string | null, signal?: AbortSignal) => {
    setState('loading');
    try {
      const page = await listRecordings(from, 20, signal);
      setItems((previous) => (from ? [...previous, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setMore(page.nextCursor !== null);
      setState('ready');
    } catch (e) {
      if (signal?.aborted) return;
      setError(errorMessage(e));
      setState('error');
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading data from the server on mount
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <section aria-labelledby="server-heading" className="recordings-section">
      <h2 id="server-heading">Stored on the server</h2>
      {state === 'error' ? (
        <div className="notice notice--error" role="alert">
          <p>The list could not be loaded: {error}</p>
          <button type="button" className="button button--secondary" onClick={() => void load(null)}>
            Try again
          </button>
        </div>
      ) : null}
      {state === 'ready' && items.length === 0 ? <p>No recordings on the server yet.</p> : null}
      {items.length > 0 ? (
        <ul className="recordings">
          {items.map((item) => {
            const titleId = `server-${item.id}`;
            return (
              <li key={item.id} className="recording">
                <article aria-labelledby={titleId}>
                  <h3 id={titleId}>
                    {taskTitle(item.taskId)}, {handWords(item.hand)}
                  </h3>
                  <dl className="facts facts--compact">
                    <div>
                      <dt>Recorded</dt>
                      <dd>{dateTimeWords(item.startedAt)}</dd>
                    </div>
                    <div>
                      <dt>Length</dt>
                      <dd>{durationWords(item.durationMs)}</dd>
                    </div>
                    <div>
                      <dt>Quality notes</dt>
                      <dd>{flagsWords(item.flags)}</dd>
                    </div>
                    <div>
                      <dt>Fingerprint (SHA-256, start)</dt>
                      <dd>
                        <code title={item.sha256}>{shortHash(item.sha256)}</code>
                      </dd>
                    </div>
                    <div>
                      <dt>Size</dt>
                      <dd>{bytesWords(item.byteLength)}</dd>
                    </div>
                    {item.erasedAt ? (
                      <div>
                        <dt>Erased</dt>
                        <dd>{dateTimeWords(item.erasedAt)}</dd>
                      </div>
                    ) : null}
                  </dl>
                </article>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p role="status" className="status-line">
        {state === 'loading' ? 'Loading recordings…' : ''}
      </p>
      {more ? (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void load(cursor)}
            disabled={state === 'loading'}
          >
            Show older recordings
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** The person's recordings: those on this device that are not confirmed yet (or kept), and those on the server. */
export function RecordingsPage() {
  useTitle('Your recordings');
  const session = useSession();
  const userId = session.user!.id;
  const entries = useQueueEntries(userId);
  const status = useSenderStatus();
  const [sendMessage, setSendMessage] = useState<string | null>(null);
  const now = useNow();
  const local = (entries ?? []).filter(
    (e) => e.state !== 'sent' || e.recording !== null || (e.sentAt ?? 0) > now - 7 * 86_400_000,
  );
  const waiting = local.filter((e) => e.state === 'waiting' || e.state === 'sending').length;

  return (
    <div className="page">
      <h1>Your recordings</h1>
      <section aria-labelledby="local-heading" className="recordings-section">
        <h2 id="local-heading">On this device</h2>
        <p>
          Every recording is saved on this device first and then sent to the server. Sent recordings stay
          listed here for a week.
          {status === 'offline'
            ? ' The server cannot be reached right now; sending starts again by itself.'
            : ''}
        </p>
        {waiting > 0 ? (
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setSendMessage('Sending…');
                void flushQueue().then(
                  (result) =>
                    setSendMessage(
                      result.sent > 0
                        ? `${result.sent} sent.`
                        : 'Nothing could be sent right now. It will be tried again automatically.',
                    ),
                  (error: unknown) => setSendMessage(errorMessage(error)),
                );
              }}
            >
              Send waiting recordings now
            </button>
          </div>
        ) : null}
        <p role="status" className="status-line">
          {sendMessage}
        </p>
        {entries === undefined ? <p role="status">Loading…</p> : null}
        {entries !== undefined && local.length === 0 ? <p>Nothing waiting on this device.</p> : null}
        {local.length > 0 ? (
          <ul className="recordings">
            {local.map((entry) => (
              <LocalEntry key={entry.id} entry={entry} userId={userId} now={now} />
            ))}
          </ul>
        ) : null}
      </section>
      <ServerRecordings />
      <p>
        <Link href="/">Back to the tasks</Link>
      </p>
    </div>
  );
}
