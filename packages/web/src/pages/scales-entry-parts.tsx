import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { EntryClient, EntryHistory, EntryPage } from '../api/records.js';
import { dateTimeWords } from '../format.js';
import { errorMessage } from './form-helpers.js';

/*
 * Pieces shared by the questionnaire and treatment pages: loading a list of entries, a two-step delete,
 * an entry's history, and dates without a time.
 */

/** Today in the person's time zone, `YYYY-MM-DD` (what a date field offers as "today"). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

/** A calendar date `YYYY-MM-DD` in the reader's words ("14 October 2025"), read as a local date. */
export function dayWords(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return dayFormat.format(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/** The current entries of one kind (newest first), with a reload after a change. */
export function useEntries<Data>(client: Pick<EntryClient<unknown, Data>, 'list'>): {
  entries: Loaded<EntryPage<Data>['items']>;
  reload: () => void;
} {
  const [entries, setEntries] = useState<Loaded<EntryPage<Data>['items']>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    client.list({ limit: 500 }, controller.signal).then(
      (page) => setEntries({ state: 'ready', value: page.items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setEntries({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [client, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { entries, reload };
}

/**
 * A destructive action in two steps (a stray tap does nothing): the button asks, then "Yes" does it.
 * @param what - what is deleted, for the question and the buttons' names ("this injection")
 */
export function ConfirmDelete({
  what,
  onConfirm,
  question,
}: {
  what: string;
  onConfirm: () => Promise<void>;
  /** The question; default "Delete <what>?". */
  question?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const questionId = useId();
  const questionRef = useRef<HTMLParagraphElement>(null);
  // The question replaces the button that had focus: focus moves to the question (read out), not to
  // "Yes", so that a second press of the same key does not delete.
  useEffect(() => {
    if (asking) questionRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className="button button--secondary" onClick={() => setAsking(true)}>
        Delete <span className="visually-hidden">{what}</span>
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId} className="confirm__question" ref={questionRef} tabIndex={-1}>
        {question ?? `Delete ${what}?`} It disappears from your lists; its history is kept.
      </p>
      <div className="actions actions--row">
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            onConfirm().then(
              () => setBusy(false),
              (cause: unknown) => {
                setBusy(false);
                setError(`It was not deleted: ${errorMessage(cause)}`);
              },
            );
          }}
        >
          {busy ? 'Deleting…' : `Yes, delete ${what}`}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
          No, keep it
        </button>
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * An entry's earlier versions, loaded when asked for. Each revision is described by `describe`; a
 * deletion says so.
 */
export function RevisionHistory<Data>({
  load,
  describe,
  what,
}: {
  load: () => Promise<EntryHistory<Data>>;
  describe: (data: Data) => ReactNode;
  /** What the entry is, for the button's name. */
  what: string;
}) {
  const [history, setHistory] = useState<Loaded<EntryHistory<Data>> | null>(null);
  const listId = useId();
  const open = history !== null;
  return (
    <div className="revisions">
      <button
        type="button"
        className="button button--link"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => {
          if (open) {
            setHistory(null);
            return;
          }
          setHistory({ state: 'loading' });
          load().then(
            (value) => setHistory({ state: 'ready', value }),
            (error: unknown) => setHistory({ state: 'error', message: errorMessage(error) }),
          );
        }}
      >
        {open ? 'Hide the changes' : 'Show the changes'} <span className="visually-hidden">of {what}</span>
      </button>
      {history?.state === 'loading' ? <p role="status">Loading the changes…</p> : null}
      {history?.state === 'error' ? (
        <p className="field__error" role="alert">
          The changes could not be loaded: {history.message}
        </p>
      ) : null}
      {history?.state === 'ready' ? (
        <ol id={listId} className="revisions__list">
          {history.value.revisions.map((revision) => (
            <li key={revision.revision}>
              <p className="revisions__when">
                {revision.deleted
                  ? `Deleted on ${dateTimeWords(revision.revisedAt)}`
                  : revision.revision === 1
                    ? `Saved on ${dateTimeWords(revision.revisedAt)}`
                    : `Changed on ${dateTimeWords(revision.revisedAt)} (version ${revision.revision})`}
              </p>
              {revision.data !== null ? (
                <div className="revisions__data">{describe(revision.data)}</div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

/**
 * An entry card's actions: Change (opens the entry's form), Delete after a confirmation, and the entry's
 * history of revisions.
 */
export function EntryActions<Data>({
  what,
  entryId,
  client,
  onEdit,
  onChanged,
  describe,
}: {
  /** What the entry is, for the buttons' names and the message after deleting. */
  what: string;
  entryId: string;
  client: Pick<EntryClient<unknown, Data>, 'remove' | 'history'>;
  onEdit: () => void;
  onChanged: (message: string) => void;
  describe: (data: Data) => ReactNode;
}) {
  return (
    <>
      <div className="actions actions--row">
        <button type="button" className="button button--secondary" onClick={onEdit}>
          Change <span className="visually-hidden">{what}</span>
        </button>
        <ConfirmDelete
          what={what}
          onConfirm={async () => {
            await client.remove(entryId);
            onChanged(`Deleted ${what}.`);
          }}
        />
      </div>
      <RevisionHistory what={what} load={() => client.history(entryId)} describe={describe} />
    </>
  );
}
