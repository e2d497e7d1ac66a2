import { bodyRegionSpread, sideRegionWords, type SideRegion } from '@dystrack/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import {
  dropUnsentDiarySave,
  keepUnsentDiarySave,
  listAllDiaryEntries,
  sendDiarySave,
  unsentDiarySaves,
  type DiaryEntry,
  type UnsentDiarySave,
} from '../api/diary.js';
import { SeeADoctor } from '../components/see-a-doctor.js';
import { useNow } from '../components/use-now.js';
import { useTitle } from '../components/use-title.js';
import { dateTimeWords, whenWords } from '../format.js';
import { useSession } from '../session/session.js';
import { DiaryEntryItem } from './diary-entry.js';
import { DiaryForm, type DiarySaved } from './diary-form.js';
import { errorMessage } from './form-helpers.js';

/** Entries shown at first and added by each "Show older entries". */
const PAGE = 10;
/** Length of the spread view's window, days. */
const SPREAD_DAYS = 90;

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** Newest first, as the server lists them (time, then id). */
function newestFirst(list: DiaryEntry[]): DiaryEntry[] {
  return [...list].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
}

/** What the page says after a save. */
function savedWords({ entry, outcome }: DiarySaved, edit: boolean): string {
  const when = dateTimeWords(entry.data.at);
  if (edit)
    return `Saved the changes to the entry of ${when} as revision ${entry.revision}. The earlier version is kept in its history.`;
  if (outcome === 'already-saved')
    return `Saved. Your entry of ${when} is in your diary (an earlier try had already reached the server).`;
  if (outcome === 'revised')
    return `Saved. An earlier try of this entry had reached the server; your changes are its revision ${entry.revision}.`;
  return `Saved. Your entry of ${when} is in your diary.`;
}

/** Saves that did not reach the server, kept on this device from an earlier visit or a closed edit. */
function UnsentSaves({
  saves,
  entries,
  onSend,
  onOpen,
  onDiscard,
}: {
  saves: UnsentDiarySave[];
  entries: readonly DiaryEntry[];
  onSend: (save: UnsentDiarySave) => Promise<string | null>;
  onOpen: (save: UnsentDiarySave) => void;
  onDiscard: (save: UnsentDiarySave) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [messages, setMessages] = useState<Record<string, string>>({});
  return (
    <section className="notice notice--care diary-unsent" aria-labelledby="diary-unsent-heading">
      <h2 id="diary-unsent-heading">Not sent yet</h2>
      <p>
        {saves.length === 1 ? 'This entry is' : 'These entries are'} kept on this device because the server
        could not be reached. Send {saves.length === 1 ? 'it' : 'them'} when the connection is back.
      </p>
      <ul className="diary-unsent__list">
        {saves.map((save) => {
          const edited = save.entryId ? entries.find((e) => e.id === save.entryId) : undefined;
          const what = save.entryId
            ? `Changes to the entry of ${dateTimeWords(edited?.data.at ?? save.body.at)}`
            : `A new entry of ${dateTimeWords(save.body.at)}`;
          return (
            <li key={save.key} className="diary-unsent__item">
              <p>
                <strong>{what}</strong>. Last try {whenWords(save.triedAt)}: {save.error}
              </p>
              {confirming === save.key ? (
                <div className="actions actions--row" role="group" aria-label="Discard this entry?">
                  <p className="diary-unsent__question">
                    Discard it? It has not reached the server, so it will be gone.
                  </p>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => setConfirming(null)}
                  >
                    No, keep it
                  </button>
                  <button
                    type="button"
                    className="button button--danger"
                    onClick={() => {
                      setConfirming(null);
                      onDiscard(save);
                    }}
                  >
                    Yes, discard it
                  </button>
                </div>
              ) : (
                <div className="actions actions--row">
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={busy === save.key}
                    onClick={() => {
                      setBusy(save.key);
                      void onSend(save).then((problem) => {
                        setBusy(null);
                        setMessages((m) => ({ ...m, [save.key]: problem ?? '' }));
                      });
                    }}
                  >
                    Send it now
                  </button>
                  {save.entryId === null ? (
                    <button type="button" className="button button--secondary" onClick={() => onOpen(save)}>
                      Open it in the form
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => setConfirming(save.key)}
                  >
                    Discard…
                  </button>
                </div>
              )}
              <p role="status" className="status-line">
                {busy === save.key ? 'Sending…' : (messages[save.key] ?? '')}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** For each body region and side: on how many recent entries it was marked, and since when. */
function SpreadView({ entries, now, complete }: { entries: DiaryEntry[]; now: number; complete: boolean }) {
  const spread = bodyRegionSpread(
    entries.map((e) => e.data),
    { now, windowDays: SPREAD_DAYS },
  );
  return (
    <section className="diary-spread" aria-labelledby="diary-spread-heading">
      <h2 id="diary-spread-heading">Where your symptoms were</h2>
      <p>
        Symptoms can spread to other body regions over time; if a region is new for you, tell your doctor.
      </p>
      <p>
        <Link href="/learn/spread">How symptoms can spread, and what to watch for</Link>
      </p>
      {spread.rows.length === 0 ? (
        <p>No body regions marked yet. Mark them on the body map of an entry.</p>
      ) : (
        <div className="diary-spread__scroll">
          <table className="diary-spread__table">
            <caption>
              Body regions you marked: on how many of your {spread.entriesInWindow}{' '}
              {spread.entriesInWindow === 1 ? 'entry' : 'entries'} of the last {SPREAD_DAYS} days, and when
              first.
            </caption>
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Entries in the last {SPREAD_DAYS} days</th>
                <th scope="col">First marked on</th>
              </tr>
            </thead>
            <tbody>
              {spread.rows.map((row) => (
                <tr key={`${row.side}-${row.region}`} className={row.isNew ? 'diary-spread__new' : undefined}>
                  <th scope="row">{sideRegionWords(row)}</th>
                  <td>
                    {row.count} of {spread.entriesInWindow}
                  </td>
                  <td>
                    {dateOnly.format(new Date(row.firstMarkedAt))}
                    {row.isNew ? (
                      <>
                        {' '}
                        <strong className="diary-spread__badge">New</strong>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!complete ? (
        <p className="muted">
          Only your most recent entries were counted; the first dates may be earlier than shown.
        </p>
      ) : null}
    </section>
  );
}

/** What a new mark beyond the hand and arm adds to the confirmation of a save. */
function FirstMarked({ regions }: { regions: SideRegion[] }) {
  if (regions.length === 0) return null;
  return (
    <div className="diary__care">
      <p>
        <strong>Marked for the first time:</strong> {regions.map((r) => sideRegionWords(r)).join('; ')}.
      </p>
      <SeeADoctor />
    </div>
  );
}

/** The patient's diary: a quick entry form, the recent entries with edit, delete and history, and the spread. */
export function DiaryPage() {
  useTitle('Diary');
  const session = useSession();
  const userId = session.user!.id;
  const profile = session.profile;
  const now = useNow(60_000);

  const [entries, setEntries] = useState<DiaryEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [load, setLoad] = useState<'loading' | 'ready' | 'error'>('loading');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [loadingMore, setLoadingMore] = useState(false);
  // Each confirmation is shown where the person is: under the new-entry form, at the top of the list
  // (after a delete), or at the top of the page (an unsent entry sent from there). An edit confirms in
  // its entry.
  const [newStatus, setNewStatus] = useState<{ text: string; firstBeyondArm: SideRegion[] } | null>(null);
  const [listStatus, setListStatus] = useState<string | null>(null);
  const [topStatus, setTopStatus] = useState<string | null>(null);
  // Saves kept from an earlier visit (a failed save in the form stays in the form).
  const [leftover, setLeftover] = useState<UnsentDiarySave[]>(() => unsentDiarySaves(userId));
  const [resume, setResume] = useState<UnsentDiarySave | null>(null);
  const newHeadingRef = useRef<HTMLHeadingElement>(null);
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  const loadEntries = useCallback(async (signal?: AbortSignal) => {
    setLoad('loading');
    try {
      const answer = await listAllDiaryEntries({}, signal);
      setEntries(answer.entries);
      setNextCursor(answer.nextCursor);
      setLoad('ready');
    } catch (error) {
      if (signal?.aborted) return;
      setLoadError(errorMessage(error));
      setLoad('error');
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading data from the server on mount
    void loadEntries(controller.signal);
    return () => controller.abort();
  }, [loadEntries]);

  const upsert = (entry: DiaryEntry) =>
    setEntries((list) => newestFirst([...list.filter((e) => e.id !== entry.id), entry]));

  /** Puts a saved entry into the list; returns what to say. */
  function saved(result: DiarySaved, edit: boolean): string {
    if (!edit && !entries.some((e) => e.id === result.entry.id)) setShown((n) => n + 1);
    upsert(result.entry);
    return savedWords(result, edit);
  }

  async function showOlder() {
    if (shown < entries.length || nextCursor === null) {
      setShown((n) => n + PAGE);
      return;
    }
    setLoadingMore(true);
    try {
      const answer = await listAllDiaryEntries({ cursor: nextCursor, maxPages: 1 });
      setEntries((list) =>
        newestFirst([...list, ...answer.entries.filter((e) => !list.some((x) => x.id === e.id))]),
      );
      setNextCursor(answer.nextCursor);
      setShown((n) => n + PAGE);
    } catch (error) {
      setLoadError(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  }

  async function sendLeftover(save: UnsentDiarySave): Promise<string | null> {
    try {
      const result = await sendDiarySave(save);
      dropUnsentDiarySave(userId, save.key);
      setLeftover((list) => list.filter((s) => s.key !== save.key));
      setTopStatus(saved({ ...result, firstBeyondArm: [] }, save.entryId !== null));
      return null;
    } catch (error) {
      const message = errorMessage(error);
      keepUnsentDiarySave(userId, { ...save, error: message });
      return `Not sent: ${message}`;
    }
  }

  const knownEntries = load === 'ready' ? entries : load === 'error' ? [] : null;
  const visible = entries.slice(0, shown);
  const more = shown < entries.length || nextCursor !== null;

  return (
    <div className="page diary">
      <h1>Diary</h1>
      <p className="lead">
        Note how your hand was, in a few taps. Only the time is needed; everything else you can leave out.
        Several entries a day are fine.
      </p>
      <p>
        <Link href="/learn/triggers">Learn what can set symptoms off, and how to note it</Link>
      </p>
      <div role="status" className={topStatus ? 'notice notice--success diary__confirmation' : undefined}>
        {topStatus ? <p>{topStatus}</p> : null}
      </div>

      {leftover.length > 0 ? (
        <UnsentSaves
          saves={leftover}
          entries={entries}
          onSend={sendLeftover}
          onOpen={(save) => {
            setLeftover((list) => list.filter((s) => s.key !== save.key));
            setResume(save);
            requestAnimationFrame(() => newHeadingRef.current?.focus());
          }}
          onDiscard={(save) => {
            dropUnsentDiarySave(userId, save.key);
            setLeftover((list) => list.filter((s) => s.key !== save.key));
          }}
        />
      ) : null}

      <section className="panel diary__new" aria-labelledby="diary-new-heading">
        <h2 id="diary-new-heading" tabIndex={-1} ref={newHeadingRef}>
          {resume ? 'Your entry that was not sent yet' : 'New entry'}
        </h2>
        <DiaryForm
          key={resume?.key ?? 'new'}
          idPrefix="diary-new"
          userId={userId}
          profile={profile}
          resume={resume ?? undefined}
          knownEntries={knownEntries}
          onSaved={(result) => {
            setResume(null);
            setNewStatus({ text: saved(result, false), firstBeyondArm: result.firstBeyondArm });
          }}
        />
        <div
          role="status"
          className={
            newStatus ? 'notice notice--success diary__confirmation diary__confirmation--form' : undefined
          }
        >
          {newStatus ? <p>{newStatus.text}</p> : null}
        </div>
        {newStatus ? <FirstMarked regions={newStatus.firstBeyondArm} /> : null}
      </section>

      <section className="diary__list" aria-labelledby="diary-list-heading">
        <h2 id="diary-list-heading" tabIndex={-1} ref={listHeadingRef}>
          Recent entries
        </h2>
        <div role="status" className={listStatus ? 'notice notice--success diary__confirmation' : undefined}>
          {listStatus ? <p>{listStatus}</p> : null}
        </div>
        {load === 'error' ? (
          <div className="notice notice--error" role="alert">
            <p>Your entries could not be loaded: {loadError}</p>
            <button type="button" className="button button--secondary" onClick={() => void loadEntries()}>
              Try again
            </button>
          </div>
        ) : null}
        {load === 'ready' && entries.length === 0 ? <p>No entries yet.</p> : null}
        {visible.length > 0 ? (
          <ul className="diary-entries">
            {visible.map((entry) => (
              <DiaryEntryItem
                key={entry.id}
                entry={entry}
                userId={userId}
                profile={profile}
                knownEntries={knownEntries}
                onSaved={(result) => saved(result, true)}
                onDeleted={(deleted) => {
                  setEntries((list) => list.filter((e) => e.id !== deleted.id));
                  setListStatus(
                    `Deleted the entry of ${dateTimeWords(deleted.data.at)}. Its history is kept.`,
                  );
                  listHeadingRef.current?.focus();
                }}
                onUnsentLeft={(save) =>
                  setLeftover((list) => [...list.filter((s) => s.key !== save.key), save])
                }
              />
            ))}
          </ul>
        ) : null}
        <p role="status" className="status-line">
          {load === 'loading' ? 'Loading your entries…' : loadingMore ? 'Loading older entries…' : ''}
        </p>
        {more ? (
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void showOlder()}
              disabled={loadingMore}
            >
              Show older entries
            </button>
          </div>
        ) : null}
      </section>

      {load === 'ready' ? <SpreadView entries={entries} now={now} complete={nextCursor === null} /> : null}
    </div>
  );
}
