import { canonicalJson, diaryInputSchema, type DiaryData, type DiaryInput } from '@dystrack/core';
import { ApiError, apiDelete, apiGet, apiPut, apiRequest } from './client.js';
import type { Page } from './types.js';

/** Calls of the diary API (`/api/v1/diary/entries`, docs/api-surface.md) and the device's unsent saves. */

export const DIARY_PATH = '/api/v1/diary/entries';

/** A current diary entry: its latest revision. */
export interface DiaryEntry {
  id: string;
  /** 1 as created, +1 for each edit. */
  revision: number;
  /** The time the entry is about, UTC. */
  at: string;
  /** When this revision was written. */
  revisedAt: string;
  revisedBy: string;
  data: DiaryData;
}

/** One revision of an entry, as the history lists it. */
export interface DiaryRevision {
  revision: number;
  at: string;
  /** The revision that deleted the entry (it has no data). */
  deleted: boolean;
  revisedAt: string;
  revisedBy: string;
  data: DiaryData | null;
}

export interface DiaryHistory {
  id: string;
  /** Oldest first. */
  revisions: DiaryRevision[];
}

const entryPath = (id: string) => `${DIARY_PATH}/${encodeURIComponent(id)}`;

/**
 * A page of the current entries, newest first: the signed-in patient's, or (`patient`) those of a patient
 * who shares their diary with the signed-in clinician.
 */
export function listDiaryEntries(
  options: { cursor?: string | null; limit?: number; from?: string; patient?: string } = {},
  signal?: AbortSignal,
): Promise<Page<DiaryEntry>> {
  return apiGet(DIARY_PATH, {
    query: {
      limit: options.limit ?? 20,
      cursor: options.cursor,
      from: options.from,
      patient: options.patient,
    },
    signal,
  });
}

/**
 * The current entries, newest first, 500 a page, at most `maxPages` pages from `cursor` on.
 * @returns the entries and the cursor of the rest (null when that was all)
 */
export async function listAllDiaryEntries(
  options: { cursor?: string | null; maxPages?: number; patient?: string } = {},
  signal?: AbortSignal,
): Promise<{ entries: DiaryEntry[]; nextCursor: string | null }> {
  const entries: DiaryEntry[] = [];
  let cursor = options.cursor ?? null;
  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const answer: Page<DiaryEntry> = await listDiaryEntries(
      { cursor, limit: 500, patient: options.patient },
      signal,
    );
    entries.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  return { entries, nextCursor: cursor };
}

export function getDiaryEntry(id: string, signal?: AbortSignal): Promise<DiaryEntry> {
  return apiGet(entryPath(id), { signal });
}

/**
 * Creates an entry. The key becomes the entry's id: the server stores a key once, answers a repeat with
 * the same body with 200 and the stored entry, and a repeat with another body with 409 `E_CONFLICT`.
 */
export async function createDiaryEntry(
  body: DiaryInput,
  idempotencyKey: string,
): Promise<{ entry: DiaryEntry; replayed: boolean }> {
  const answer = await apiRequest<DiaryEntry>(DIARY_PATH, {
    method: 'POST',
    body,
    headers: { 'idempotency-key': idempotencyKey },
  });
  return { entry: answer.body, replayed: answer.status === 200 };
}

/** Stores an edit as the entry's next revision. */
export function updateDiaryEntry(id: string, body: DiaryInput): Promise<DiaryEntry> {
  return apiPut(entryPath(id), body);
}

/** Deletes an entry: a revision that marks it deleted; its history is kept. */
export function deleteDiaryEntry(id: string): Promise<void> {
  return apiDelete(entryPath(id));
}

export function getDiaryHistory(id: string, signal?: AbortSignal): Promise<DiaryHistory> {
  return apiGet(`${entryPath(id)}/history`, { signal });
}

// ---------------------------------------------------------------------------------------------
// saving, retried with the same key

/** A save the person asked for: a new entry under its key, or an edit of `entryId`. */
export interface DiarySave {
  /** The idempotency key of a new entry (generated when the form opened); `<entry id>/edit` for an edit. */
  key: string;
  /** The entry an edit changes; null for a new entry. */
  entryId: string | null;
  /** The valid entry, defaults filled in (what the server stores). */
  body: DiaryInput;
}

export type SaveOutcome =
  /** stored now */
  | 'created'
  /** an earlier try had stored it already (its answer was lost) */
  | 'already-saved'
  /** an edit, or a new entry whose earlier try was stored with other content and now has this as its next revision */
  | 'revised';

/**
 * Sends a save. A new entry goes with its key, so a retry after a lost answer cannot store twice. When an
 * earlier try with this key was stored and the person changed the entry since (409 `E_CONFLICT`), the
 * change becomes the stored entry's next revision, unless it already holds exactly this.
 * @throws ApiError when the server could not be reached or refused the save
 */
export async function sendDiarySave(save: DiarySave): Promise<{ entry: DiaryEntry; outcome: SaveOutcome }> {
  if (save.entryId !== null)
    return { entry: await updateDiaryEntry(save.entryId, save.body), outcome: 'revised' };
  try {
    const { entry, replayed } = await createDiaryEntry(save.body, save.key);
    return { entry, outcome: replayed ? 'already-saved' : 'created' };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409 && error.code === 'E_CONFLICT')) throw error;
    const stored = await getDiaryEntry(save.key);
    if (canonicalJson(stored.data) === canonicalJson(save.body))
      return { entry: stored, outcome: 'already-saved' };
    return { entry: await updateDiaryEntry(save.key, save.body), outcome: 'revised' };
  }
}

/**
 * Whether a failed save is worth keeping on the device and sending again as it is: anything but a refusal
 * of its content (400) or of the entry itself (404: deleted or unknown).
 */
export function isRetryableSaveError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status !== 400 && error.status !== 404;
}

// ---------------------------------------------------------------------------------------------
// unsent saves, kept on this device per user

/** A save that has not reached the server yet. */
export interface UnsentDiarySave extends DiarySave {
  /** When it was last tried, ms since the Unix epoch. */
  triedAt: number;
  /** Why it was not sent, in words. */
  error: string;
}

/** A kept save as read back from storage, or null when it is not one (or no longer valid). */
function readUnsent(item: unknown): UnsentDiarySave | null {
  if (!item || typeof item !== 'object') return null;
  const { key, entryId, body, triedAt, error } = item as Record<string, unknown>;
  if (typeof key !== 'string' || key === '' || typeof triedAt !== 'number' || typeof error !== 'string')
    return null;
  if (entryId !== null && typeof entryId !== 'string') return null;
  const parsed = diaryInputSchema.safeParse(body);
  return parsed.success ? { key, entryId, body: parsed.data, triedAt, error } : null;
}

const storageKey = (userId: string) => `dystrack.diary.unsent.${userId}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage can be switched off; then nothing is kept (and the form still holds the entry).
    return null;
  }
}

/**
 * The user's saves kept on this device, oldest first. Saves whose content no longer passes the schema
 * (e.g. an edit of another version) are left out rather than sent.
 */
export function unsentDiarySaves(userId: string): UnsentDiarySave[] {
  const text = storage()?.getItem(storageKey(userId));
  if (!text) return [];
  try {
    const list: unknown = JSON.parse(text);
    if (!Array.isArray(list)) return [];
    // One unreadable item must not hide the others.
    return list.flatMap((item) => readUnsent(item) ?? []);
  } catch {
    return [];
  }
}

function writeUnsent(userId: string, list: readonly UnsentDiarySave[]): boolean {
  const store = storage();
  if (!store) return false;
  try {
    if (list.length === 0) store.removeItem(storageKey(userId));
    else store.setItem(storageKey(userId), JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps a save on this device (replacing an earlier one with the same key), tried at `triedAt`.
 * @returns the kept save, and false in `stored` when the device's storage refused it
 */
export function keepUnsentDiarySave(
  userId: string,
  save: Omit<UnsentDiarySave, 'triedAt'>,
  triedAt: number = Date.now(),
): { save: UnsentDiarySave; stored: boolean } {
  const kept: UnsentDiarySave = { ...save, triedAt };
  const others = unsentDiarySaves(userId).filter((s) => s.key !== save.key);
  return { save: kept, stored: writeUnsent(userId, [...others, kept]) };
}

/** Forgets every unsent diary save of a user on this device (the account was deleted). */
export function forgetUnsentDiarySaves(userId: string): void {
  storage()?.removeItem(storageKey(userId));
}

/** Forgets a kept save (sent, or discarded by the person). */
export function dropUnsentDiarySave(userId: string, key: string): void {
  const list = unsentDiarySaves(userId);
  if (list.some((s) => s.key === key))
    writeUnsent(
      userId,
      list.filter((s) => s.key !== key),
    );
}
