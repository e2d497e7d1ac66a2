import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { QUESTIONNAIRES, activityKind, type DueResult, type Occurrence } from '@dystrack/core';
import { TASK_DEFINITIONS, type Hand } from '@dystrack/tasks';
import { getDue } from '../api/routine.js';
import { handWords } from '../format.js';

/*
 * What the routine plans for today and what was missed and can still be done, on the home page, each
 * with a link to do it. Quiet when it cannot load: the task cards below still work.
 */

/** Words for what an activity is ("Typing", "Diary entry", "PHQ-9 questionnaire"). */
export function activityWords(activity: string): string {
  const kind = activityKind(activity);
  if (kind === 'diary') return 'Diary entry';
  if (kind === 'questionnaire') {
    const title = QUESTIONNAIRES[activity]?.title ?? activity;
    // "Patient Health Questionnaire (PHQ-9)" → "PHQ-9 questionnaire": short enough for a list
    const short = /\(([^)]+)\)\s*$/.exec(title)?.[1];
    return short ? `${short} questionnaire` : title;
  }
  return TASK_DEFINITIONS.find((d) => d.id === activity)?.title ?? activity;
}

/** The time of an occurrence in its routine's zone ("18:00"), and its day when not today. */
function whenWords(occurrence: Occurrence, timeZone: string, today: string): string {
  const at = new Date(occurrence.at);
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone }).format(at);
  if (occurrence.date === today) return `at ${time}`;
  const day = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(at);
  return `${day}, ${time}`;
}

function dayWords(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(new Date(iso));
}

/** Links that start the activity: one per hand for a task, the diary or the questionnaires page. */
function DoLinks({ activity }: { activity: string }) {
  const kind = activityKind(activity);
  const label = activityWords(activity);
  if (kind === 'diary')
    return (
      <Link href="/diary" className="button button--primary button--compact">
        Write it<span className="visually-hidden">: {label}</span>
      </Link>
    );
  if (kind === 'questionnaire')
    return (
      <Link href="/scales" className="button button--primary button--compact">
        Fill it in<span className="visually-hidden">: {label}</span>
      </Link>
    );
  const definition = TASK_DEFINITIONS.find((d) => d.id === activity);
  if (!definition) return null;
  return (
    <>
      {definition.hands.map((hand: Hand) => (
        <Link
          key={hand}
          href={`/tasks/${definition.id}/${hand}`}
          className="button button--primary button--compact"
        >
          <span className="visually-hidden">{label}:</span> Start with the {handWords(hand)}
        </Link>
      ))}
    </>
  );
}

function baselineWords(occurrence: Occurrence): string | null {
  const b = occurrence.baseline;
  if (!b) return null;
  // a calendar date: formatted at midnight UTC, in UTC, so that no zone moves it to another day
  const injection = new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${b.injectionDate}T00:00:00Z`));
  return `Baseline session ${b.session} of ${b.sessions} before the injection on ${injection}`;
}

function DueItem({ occurrence, due, overdue }: { occurrence: Occurrence; due: DueResult; overdue: boolean }) {
  const done = occurrence.doneAt !== null;
  const baseline = baselineWords(occurrence);
  return (
    <li className={`due-item${done ? ' due-item--done' : ''}`}>
      <div className="due-item__text">
        <strong>{activityWords(occurrence.activity)}</strong>{' '}
        <span className="muted">
          {overdue
            ? `planned for ${whenWords(occurrence, due.timeZone, due.date)}`
            : whenWords(occurrence, due.timeZone, due.date)}
        </span>
        {baseline ? <span className="due-item__note">{baseline}</span> : null}
        {overdue ? (
          <span className="due-item__note">
            You can still do it until the end of{' '}
            {dayWords(new Date(Date.parse(occurrence.until) - 1).toISOString(), due.timeZone)}.
          </span>
        ) : null}
        {done ? (
          <span className="due-item__done">
            Done at{' '}
            {new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: due.timeZone }).format(
              new Date(occurrence.doneAt!),
            )}
          </span>
        ) : null}
      </div>
      {done ? null : (
        <div className="due-item__actions">
          <DoLinks activity={occurrence.activity} />
        </div>
      )}
    </li>
  );
}

/** Today's planned activities and the overdue ones, each with a link to do it (home page). */
export function DueToday() {
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'error' } | { status: 'ready'; due: DueResult | null }
  >({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    getDue(controller.signal).then(
      (due) => setState({ status: 'ready', due }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'error' });
      },
    );
    return () => controller.abort();
  }, []);

  if (state.status === 'loading') return null;
  if (state.status === 'error')
    return (
      <p className="due-today__quiet muted" role="status">
        What your routine plans for today could not be loaded. The tasks below work as usual.
      </p>
    );
  const due = state.due;
  if (!due)
    return (
      <p className="due-today__quiet">
        <Link href="/routine">Plan a routine</Link>: choose days and times for your tasks and diary, and see
        here what is due.
      </p>
    );

  const open = due.today.filter((o) => o.doneAt === null);
  const doneToday = due.today.filter((o) => o.doneAt !== null);
  const next = due.next[0];
  return (
    <section className="due-today panel" aria-labelledby="due-heading">
      <h2 id="due-heading">Your routine today</h2>
      {due.today.length === 0 && due.overdue.length === 0 ? <p>Nothing is planned for today.</p> : null}
      {due.today.length > 0 ? (
        <>
          <h3 id="due-today-heading">
            Due today{' '}
            <span className="muted">
              ({doneToday.length} of {due.today.length} done)
            </span>
          </h3>
          <ul className="due-list" aria-labelledby="due-today-heading">
            {[...open, ...doneToday].map((o) => (
              <DueItem key={`${o.itemId}-${o.activity}-${o.date}`} occurrence={o} due={due} overdue={false} />
            ))}
          </ul>
        </>
      ) : null}
      {due.overdue.length > 0 ? (
        <>
          <h3 id="due-overdue-heading">Missed, still possible</h3>
          <ul className="due-list" aria-labelledby="due-overdue-heading">
            {due.overdue.map((o) => (
              <DueItem key={`${o.itemId}-${o.activity}-${o.date}`} occurrence={o} due={due} overdue />
            ))}
          </ul>
        </>
      ) : null}
      {open.length === 0 && due.overdue.length === 0 && next ? (
        <p>
          {due.today.length > 0 ? 'Everything planned for today is done. ' : ''}Next:{' '}
          {activityWords(next.activity)}, {whenWords(next, due.timeZone, due.date)}.
        </p>
      ) : null}
      <p className="due-today__edit">
        <Link href="/routine">Change your routine</Link>
      </p>
    </section>
  );
}
