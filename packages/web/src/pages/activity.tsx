import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client.js';
import { useTitle } from '../components/use-title.js';
import { useSession } from '../session/session.js';
import { getAudit, type AuditItem } from '../sharing/api.js';
import {
  actionWords,
  actorWords,
  dayHeading,
  isRefused,
  localDay,
  timeWords,
  userAgentWords,
} from '../sharing/labels.js';
import { errorMessage } from './form-helpers.js';
import './sharing.css';

/*
 * The patient's activity log (`GET /api/v1/audit`): who read or changed their data, what, when and from
 * where, newest first and grouped by day, each row in plain words, refused attempts marked.
 */

/** Rows asked for at a time: one's own use fills the log quickly, so a page holds a good stretch. */
export const AUDIT_PAGE_SIZE = 100;

/** One row of the log as a sentence, with the time and where it came from. */
function ActivityRow({ item, meId }: { item: AuditItem; meId: string | null }) {
  const refused = isRefused(item);
  const who = actorWords(item.actor, meId);
  const agent = userAgentWords(item.userAgent);
  const where = [item.ip ? `address ${item.ip}` : null, agent].filter(Boolean).join(', ');
  return (
    <li className={`activity__row${refused ? ' activity__row--refused' : ''}`}>
      <p>
        <time dateTime={item.at}>{timeWords(item.at)}</time>
        {' · '}
        {refused ? (
          <>
            <strong className="activity__refused">Refused: </strong>
            {who} tried: {actionWords(item.action)}.
          </>
        ) : (
          <>
            {who} {actionWords(item.action)}.
          </>
        )}
      </p>
      {where ? <p className="activity__where">From {where}</p> : null}
    </li>
  );
}

/** The rows grouped by local day, keeping the order (newest first). */
function byDay(items: readonly AuditItem[]): { day: string; items: AuditItem[] }[] {
  const groups: { day: string; items: AuditItem[] }[] = [];
  for (const item of items) {
    const day = localDay(item.at);
    const last = groups.at(-1);
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** The patient's activity log page (`/activity`). */
export function ActivityPage() {
  useTitle('Activity');
  const session = useSession();
  const meId = session.user?.id ?? null;
  const [items, setItems] = useState<AuditItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // On by default: the log is mostly the person's own use of Dystrack (every page they open is written
  // there); what the page is for is to see what others did, which would drown among those rows.
  const [onlyOthers, setOnlyOthers] = useState(true);

  /** Asks for the page after `after` (the first page for null) and shows it. */
  const fetchPage = useCallback((after: string | null, signal?: AbortSignal) => {
    getAudit(AUDIT_PAGE_SIZE, after, signal)
      .then(
        (page) => {
          setItems((previous) => (after && previous ? [...previous, ...page.items] : page.items));
          setCursor(page.nextCursor);
        },
        (caught: unknown) => {
          if (!(caught instanceof ApiError && caught.code === 'E_ABORTED')) setError(errorMessage(caught));
        },
      )
      .finally(() => {
        if (!signal?.aborted) setLoading(false);
      });
  }, []);

  const load = (after: string | null) => {
    setLoading(true);
    setError(null);
    fetchPage(after);
  };

  useEffect(() => {
    const controller = new AbortController();
    fetchPage(null, controller.signal);
    return () => controller.abort();
  }, [fetchPage]);

  const shown = items?.filter((item) => !onlyOthers || item.actor?.id !== meId) ?? [];
  const hidden = (items?.length ?? 0) - shown.length;

  return (
    <div className="page page--narrow activity">
      <h1>Activity</h1>
      <p className="lead">
        Everything done with your data is written here: who, what, when and from where. Attempts that were
        refused are marked <strong>Refused</strong>. To choose what clinicians may see, go to{' '}
        <Link href="/sharing">Sharing</Link>.
      </p>
      <label className="activity__filter" htmlFor="activity-only-others">
        <input
          id="activity-only-others"
          type="checkbox"
          checked={onlyOthers}
          onChange={(event) => setOnlyOthers(event.target.checked)}
          aria-describedby="activity-only-others-hint"
        />
        Only other people
      </label>
      <p id="activity-only-others-hint" className="field__hint">
        Hides what you did yourself, so that what clinicians, administrators or anyone else did stands out.
      </p>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>The activity could not be loaded: {error}</p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => load(items ? cursor : null)}
          >
            Try again
          </button>
        </div>
      ) : null}
      {items === null && loading ? <p role="status">Loading your activity…</p> : null}
      {items !== null && shown.length === 0 ? (
        <p>
          {items.length === 0
            ? 'Nothing has been recorded yet.'
            : onlyOthers
              ? `Nobody else has done anything with your data in the ${items.length} most recent entries.`
              : 'Nothing to show.'}
          {cursor ? ' Load more to look further back.' : ''}
        </p>
      ) : null}
      {byDay(shown).map((group) => (
        <section key={group.day} className="activity__day" aria-label={dayHeading(group.items[0]!.at)}>
          <h2>{dayHeading(group.items[0]!.at)}</h2>
          <ul className="activity__rows">
            {group.items.map((item) => (
              <ActivityRow key={item.id} item={item} meId={meId} />
            ))}
          </ul>
        </section>
      ))}
      {items !== null ? (
        <p className="muted" role="status">
          {hidden > 0 && onlyOthers
            ? hidden === 1
              ? '1 thing you did yourself is hidden.'
              : `${hidden} things you did yourself are hidden.`
            : ''}
          {items.length > 0 && !cursor ? ' This is the start of the log.' : ''}
        </p>
      ) : null}
      {items !== null && cursor ? (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary button--large"
            onClick={() => load(cursor)}
            disabled={loading}
          >
            {loading ? 'Loading…' : 'Load more (earlier)'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
