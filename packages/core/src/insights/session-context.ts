import { DIARY_CONTEXT_FIELDS, type DiaryContext } from '../entries/diary.js';

/** A diary entry as the pairing reads it. */
export interface ContextEntry {
  /** When the entry is about, ISO 8601. */
  readonly at: string;
  readonly context: DiaryContext;
}

/** How far before a session's start a diary note still applies to it. */
export const CONTEXT_BEFORE_MS = 24 * 3_600_000;
/** How far after a session's start a diary note still applies to it (the diary is often filled in just after). */
export const CONTEXT_AFTER_MS = 2 * 3_600_000;

/**
 * The diary context that applies to a session starting at `time`: for each context field, the value
 * of the latest entry that noted it, among the entries from 24 hours before the session's start to
 * 2 hours after it. A field no entry in that window noted stays out. Entries whose time cannot be read
 * are ignored.
 * @param time - the session's start, ms since the Unix epoch
 * @param entries - diary entries in any order
 * @example sessionContext(Date.parse('2026-03-02T10:00Z'), [{ at: '2026-03-02T08:00Z', context: { stress: 7 } }]) // { stress: 7 }
 */
export function sessionContext(time: number, entries: readonly ContextEntry[]): DiaryContext {
  const inWindow = entries
    .map((entry) => ({ entry, t: Date.parse(entry.at) }))
    .filter(({ t }) => Number.isFinite(t) && t >= time - CONTEXT_BEFORE_MS && t <= time + CONTEXT_AFTER_MS)
    .sort((a, b) => b.t - a.t);
  const context: Record<string, number | boolean> = {};
  for (const field of DIARY_CONTEXT_FIELDS) {
    const value = inWindow.find(({ entry }) => entry.context[field] !== undefined)?.entry.context[field];
    if (value !== undefined) context[field] = value;
  }
  return context as DiaryContext;
}
