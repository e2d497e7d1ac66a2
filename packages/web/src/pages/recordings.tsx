import { parseRecording, scaleRecordingToSmfWithInfo, type Recording } from '@dystrack/core';
import { taskDefinition } from '@dystrack/tasks';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { apiGet } from '../api/client.js';
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
  loadQueueRecording,
  type QueueEntryView,
} from '../queue/index.js';
import { useSession } from '../session/session.js';
import { errorMessage } from './form-helpers.js';
import { downloadRecording, recordingFileName } from './task.js';

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
  return taskDefinition(taskId)?.title ?? TASK_NAMES[taskId] ?? taskId;
}

/** The file name of a scale recording as a MIDI file: task, hand, date and time, and the start of its id. */
export function midiFileName(recording: Pick<Recording, 'taskId' | 'hand' | 'startedAt' | 'id'>): string {
  return recordingFileName(recording).replace(/\.json$/, '.mid');
}

/** Offers bytes as a file download. */
function downloadBytes(fileName: string, bytes: Uint8Array, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Offers a scale recording as a Standard MIDI File (core's `scaleRecordingToSmf`: every channel message
 * at its recorded time, the metronome as a drum track), for a sequencer or notation program.
 * @returns null when the download started, else why there is no file
 */
export function downloadScaleMidi(recording: Recording): string | null {
  const smf = scaleRecordingToSmfWithInfo(recording);
  if (smf.messageCount === 0) return 'This recording holds no notes, so there is no MIDI file to download.';
  downloadBytes(midiFileName(recording), smf.bytes, 'audio/midi');
  return null;
}

/** A recording stored on the server, migrated to the current schema version. */
async function fetchStoredRecording(id: string): Promise<Recording> {
  const body = await apiGet<{ recording: unknown }>(`/api/v1/recordings/${encodeURIComponent(id)}`);
  return parseRecording(body.recording).current;
}

/** The "Download .mid" button of a scale recording; what went wrong goes to `onMessage`. */
function MidiDownloadButton({
  load,
  onMessage,
}: {
  load: () => Promise<Recording>;
  onMessage: (message: string | null) => void;
}) {
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    onMessage(null);
    try {
      onMessage(downloadScaleMidi(await load()));
    } catch (error) {
      onMessage(`The MIDI file could not be made: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button
      type="button"
      className="button button--secondary"
      disabled={busy}
      onClick={() => void download()}
    >
      Download .mid<span className="visually-hidden"> (a MIDI file of this recording)</span>
    </button>
  );
}

/** The actions of a recording on the server: a MIDI file of a scale recording. */
function ServerRecordingActions({ item }: { item: RecordingSummary }) {
  const [message, setMessage] = useState<string | null>(null);
  if (item.taskId !== 'scale' || item.erasedAt) return null;
  return (
    <>
      <div className="actions actions--row">
        <MidiDownloadButton load={() => fetchStoredRecording(item.id)} onMessage={setMessage} />
      </div>
      <p role="status" className="status-line">
        {message}
      </p>
    </>
  );
}

const STATE_WORDS: Record<QueueEntryView['state'], string> = {
  incomplete: 'Incomplete: kept on this device, not sent',
  waiting: 'Waiting to be sent',
  sending: 'Sending…',
  sent: 'Sent',
  rejected: 'Refused by the server',
};

/** One entry of the local queue, with what can be done with it. */
function LocalEntry({ entry, userId, now }: { entry: QueueEntryView; userId: string; now: number }) {
  const [confirmSend, setConfirmSend] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const titleId = `local-${entry.id}`;
  const state =
    entry.state === 'sent' && entry.sentAt ? `Sent ${whenWords(entry.sentAt)}` : STATE_WORDS[entry.state];
  const canDownload = entry.hasRecording;
  /** The entry's recording, read from the device when asked for (pages never hold it). */
  const load = async () => {
    const recording = await loadQueueRecording(entry.id, userId);
    if (!recording) throw new Error('the recording is no longer on this device');
    return recording;
  };

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
              onClick={() =>
                void load().then(downloadRecording, (error: unknown) => setMessage(errorMessage(error)))
              }
            >
              Download<span className="visually-hidden"> this recording</span>
            </button>
          ) : null}
          {canDownload && entry.summary.taskId === 'scale' ? (
            <MidiDownloadButton load={load} onMessage={setMessage} />
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
                    {item.supervisedBy ? (
                      <div>
                        <dt>Made</dt>
                        <dd>In the clinic, by a clinician you share with (a supervised recording)</dd>
                      </div>
                    ) : null}
                    {item.erasedAt ? (
                      <div>
                        <dt>Erased</dt>
                        <dd>{dateTimeWords(item.erasedAt)}</dd>
                      </div>
                    ) : null}
                  </dl>
                  <ServerRecordingActions item={item} />
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
    (e) => e.state !== 'sent' || e.hasRecording || (e.sentAt ?? 0) > now - 7 * 86_400_000,
  );
  const waiting = local.filter((e) => e.state === 'waiting' || e.state === 'sending').length;
  // a phone signed in for recording only sees what waits on it; the stored recordings are the computer's
  const recordOnly = session.user!.scope === 'record';

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
      {recordOnly ? (
        <p>
          This phone is signed in for recording only. The recordings stored on the server are on the computer
          where you are fully signed in.
        </p>
      ) : (
        <ServerRecordings />
      )}
      <p>
        <Link href="/">Back to the tasks</Link>
      </p>
    </div>
  );
}
