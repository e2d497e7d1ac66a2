import {
  BODY_SIDE_LABELS,
  BODY_SIDES,
  DIARY_CONTEXT_FIELDS,
  DIARY_CONTEXT_LABELS,
  DIARY_CONTEXT_RATINGS,
  DIARY_PAIN_MEANING,
  DIARY_RATING_MEANING,
  DIARY_SEVERITY_MEANING,
  DIARY_SYMPTOM_LABELS,
  DIARY_SYMPTOMS,
  DIARY_TASK_LABELS,
  DIARY_TASKS,
  bodyRegionsWords,
  diaryChanges,
  diaryContextValueWords,
  ratingWords,
  type DiaryData,
} from '@dystrack/core';
import { useEffect, useRef, useState } from 'react';
import {
  deleteDiaryEntry,
  getDiaryHistory,
  type DiaryEntry,
  type DiaryHistory,
  type UnsentDiarySave,
} from '../api/diary.js';
import type { Profile } from '../api/types.js';
import { dateTimeWords } from '../format.js';
import { DiaryForm, type DiarySaved } from './diary-form.js';
import { errorMessage } from './form-helpers.js';

/** Items of a value, one per line (read as separate phrases). */
function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line) => (
        <span key={line} className="diary-facts__line">
          {line}
        </span>
      ))}
    </>
  );
}

/** One entry in words, each number next to what it means. */
export function EntryFacts({ data }: { data: DiaryData }) {
  const severity = DIARY_TASKS.flatMap((task) => {
    const value = data.severity[task];
    return value === undefined ? [] : [`${DIARY_TASK_LABELS[task]}: ${ratingWords(value)}`];
  });
  const symptoms = DIARY_SYMPTOMS.filter((s) => data.symptoms.includes(s)).map(
    (s) => DIARY_SYMPTOM_LABELS[s],
  );
  const context = DIARY_CONTEXT_FIELDS.flatMap((field) => {
    const words = diaryContextValueWords(field, data.context);
    return words === undefined ? [] : [`${DIARY_CONTEXT_LABELS[field]}: ${words}`];
  });
  const hasRatings = DIARY_CONTEXT_RATINGS.some((field) => data.context[field] !== undefined);
  const marked = data.bodyMap.left.length + data.bodyMap.right.length > 0;
  return (
    <dl className="diary-facts">
      <div>
        <dt>Severity ({DIARY_SEVERITY_MEANING})</dt>
        <dd>{severity.length > 0 ? <Lines lines={severity} /> : 'not rated'}</dd>
      </div>
      <div>
        <dt>Symptoms</dt>
        <dd>{symptoms.length > 0 ? symptoms.join(', ') : 'none noted'}</dd>
      </div>
      {data.painLevel !== null ? (
        <div>
          <dt>Pain ({DIARY_PAIN_MEANING})</dt>
          <dd>{ratingWords(data.painLevel)}</dd>
        </div>
      ) : null}
      {context.length > 0 ? (
        <div>
          <dt>Triggers and context{hasRatings ? ` (ratings: ${DIARY_RATING_MEANING})` : ''}</dt>
          <dd>
            <Lines lines={context} />
          </dd>
        </div>
      ) : null}
      {marked ? (
        <div>
          <dt>Body regions</dt>
          <dd>
            {BODY_SIDES.map((side) => (
              <span key={side} className="diary-facts__line">
                {BODY_SIDE_LABELS[side]} side: {bodyRegionsWords(data.bodyMap[side])}
              </span>
            ))}
          </dd>
        </div>
      ) : null}
      {data.notes ? (
        <div>
          <dt>Notes</dt>
          <dd className="diary-facts__notes">{data.notes}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Every revision of an entry, oldest first: the first in full, then what each one changed. */
function EntryHistory({ id, revision, headingId }: { id: string; revision: number; headingId: string }) {
  const [history, setHistory] = useState<DiaryHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getDiaryHistory(id, controller.signal).then(
      (answer) => {
        setHistory(answer);
        setError(null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(e));
      },
    );
    return () => controller.abort();
    // `revision`: an edit while the history is open shows the new revision too
  }, [id, revision, attempt]);

  return (
    <section className="diary-history" aria-labelledby={headingId}>
      <h4 id={headingId}>History of this entry</h4>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>The history could not be loaded: {error}</p>
          <button type="button" className="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : null}
      {!history && !error ? <p role="status">Loading the history…</p> : null}
      {history ? (
        <ol className="diary-history__revisions">
          {history.revisions.map((revision, index) => {
            const previous = history.revisions
              .slice(0, index)
              .reverse()
              .find((r) => r.data !== null)?.data;
            const changes =
              revision.data && previous ? diaryChanges(previous, revision.data, dateTimeWords) : [];
            return (
              <li key={revision.revision} className="diary-history__revision">
                <p className="diary-history__title">
                  <strong>Revision {revision.revision}</strong>
                  {revision.deleted ? ', the deletion' : index === 0 ? ', as first saved' : ''}, written{' '}
                  {dateTimeWords(revision.revisedAt)}
                </p>
                {revision.deleted ? (
                  <p>The entry was deleted here. The revisions above are kept.</p>
                ) : index === 0 && revision.data ? (
                  <EntryFacts data={revision.data} />
                ) : changes.length === 0 ? (
                  <p>Saved again without changes.</p>
                ) : (
                  <ul
                    className="diary-history__changes"
                    aria-label={`What revision ${revision.revision} changed`}
                  >
                    {changes.map((change) => (
                      <li key={change.label}>
                        <strong>{change.label}</strong>: {change.before}
                        <span aria-hidden="true"> → </span>
                        <span className="visually-hidden"> changed to </span>
                        {change.after}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}

export interface DiaryEntryItemProps {
  entry: DiaryEntry;
  userId: string;
  profile: Profile | null;
  knownEntries: readonly DiaryEntry[] | null;
  /** Puts the edited entry into the list and returns what to say. */
  onSaved: (saved: DiarySaved) => string;
  onDeleted: (entry: DiaryEntry) => void;
  /** An edit that did not reach the server was left when its form closed. */
  onUnsentLeft: (save: UnsentDiarySave) => void;
}

/** An entry of the list: read, edit (the same form), delete after a confirmation, and its history. */
export function DiaryEntryItem({
  entry,
  userId,
  profile,
  knownEntries,
  onSaved,
  onDeleted,
  onUnsentLeft,
}: DiaryEntryItemProps) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [historyOpen, setHistoryOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const titleId = `diary-entry-${entry.id}`;
  const when = dateTimeWords(entry.data.at);

  useEffect(() => {
    // The safe choice gets the focus, so that a stray key press does not delete.
    if (mode === 'confirm-delete') keepRef.current?.focus();
  }, [mode]);

  async function remove() {
    setDeleting(true);
    setMessage(null);
    try {
      await deleteDiaryEntry(entry.id);
      onDeleted(entry);
    } catch (error) {
      setDeleting(false);
      setMessage(`The entry was not deleted: ${errorMessage(error)}`);
    }
  }

  return (
    <li className="diary-entry">
      <article aria-labelledby={titleId}>
        <h3 id={titleId}>{when}</h3>
        {entry.revision > 1 ? (
          <p className="diary-entry__revised">
            Edited: revision {entry.revision}, saved {dateTimeWords(entry.revisedAt)}
          </p>
        ) : null}
        {mode === 'edit' ? (
          <div className="diary-entry__edit">
            <h4>Edit the entry of {when}</h4>
            <DiaryForm
              idPrefix={`diary-edit-${entry.id}`}
              userId={userId}
              profile={profile}
              editing={entry}
              knownEntries={knownEntries}
              onSaved={(saved) => {
                setMode('view');
                setMessage(onSaved(saved));
                requestAnimationFrame(() => editRef.current?.focus());
              }}
              onCancel={(unsent) => {
                setMode('view');
                if (unsent) onUnsentLeft(unsent);
                requestAnimationFrame(() => editRef.current?.focus());
              }}
            />
          </div>
        ) : (
          <EntryFacts data={entry.data} />
        )}
        {mode === 'confirm-delete' ? (
          <div className="diary-entry__confirm" role="group" aria-labelledby={`${titleId}-confirm`}>
            <p id={`${titleId}-confirm`}>
              <strong>Delete the entry of {when}?</strong> It leaves your diary and its counts. Its history is
              kept: every version stays stored, marked as deleted.
            </p>
            <div className="actions actions--row">
              <button
                ref={keepRef}
                type="button"
                className="button button--secondary"
                onClick={() => setMode('view')}
                disabled={deleting}
              >
                No, keep it
              </button>
              <button
                type="button"
                className="button button--danger"
                onClick={() => void remove()}
                disabled={deleting}
              >
                Yes, delete this entry
              </button>
            </div>
          </div>
        ) : null}
        {mode === 'view' ? (
          <div className="actions actions--row diary-entry__actions">
            <button
              ref={editRef}
              type="button"
              className="button button--secondary"
              onClick={() => {
                setMessage(null);
                setMode('edit');
              }}
            >
              Edit<span className="visually-hidden"> the entry of {when}</span>
            </button>
            <button
              type="button"
              className="button button--secondary"
              aria-expanded={historyOpen}
              onClick={() => setHistoryOpen((o) => !o)}
            >
              History<span className="visually-hidden"> of the entry of {when}</span>
            </button>
            <button
              type="button"
              className="button button--secondary diary-entry__delete"
              onClick={() => {
                setMessage(null);
                setMode('confirm-delete');
              }}
            >
              Delete<span className="visually-hidden"> the entry of {when}</span>
            </button>
          </div>
        ) : null}
        <p role="status" className="status-line">
          {message}
        </p>
        {historyOpen ? (
          <EntryHistory id={entry.id} revision={entry.revision} headingId={`${titleId}-history`} />
        ) : null}
      </article>
    </li>
  );
}
