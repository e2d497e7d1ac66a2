import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import type { Recording } from '@dystrack/core';
import { openQueueDb, QUEUE_DB_NAME, type QueueDb, type QueueEntry } from './db.js';
import { Sender, type FlushResult, type SenderStatus } from './sender.js';
import {
  allEntries,
  entriesOf,
  keepEntry,
  requestSend,
  saveCheckpoint,
  saveRecording,
  type SaveOptions,
} from './store.js';

export type { EntryState, QueueEntry, StoredError } from './db.js';
export type { FlushResult, SenderStatus } from './sender.js';

let db: QueueDb | null = null;
let sender: Sender | null = null;
let persistenceAsked = false;

/**
 * The app's upload-queue database (opened on first use). Dexie's in-memory cache of live-query results
 * is off: the results hold whole recordings (megabytes for a long pen trial, refreshed by every 1-s
 * checkpoint), and keeping them in memory is what a capture page must not do.
 */
export function queueDb(): QueueDb {
  db ??= openQueueDb(QUEUE_DB_NAME, { cache: 'disabled' });
  return db;
}

/** The app's sender (created on first use). */
export function queueSender(): Sender {
  sender ??= new Sender({ db: queueDb() });
  return sender;
}

/** Replaces the database and sender (tests). */
export function configureQueue(next: { db: QueueDb; sender?: Sender }): void {
  sender?.stop();
  db = next.db;
  sender = next.sender ?? null;
}

/** Asks the browser once not to evict this site's storage under pressure (recordings live there until sent). */
function askPersistence(): void {
  if (persistenceAsked || typeof navigator === 'undefined') return;
  persistenceAsked = true;
  void navigator.storage?.persist?.().catch(() => undefined);
}

/**
 * Saves a finished recording on this device, then (without waiting) starts sending it.
 * Resolves once the recording is safely in IndexedDB; nothing is sent before that.
 * @param userId - the signed-in user who made it; only this user's session will send it
 */
export async function enqueueRecording(
  userId: string,
  recording: Recording,
  options: SaveOptions = {},
): Promise<QueueEntry> {
  const entry = await saveRecording(queueDb(), userId, recording, options);
  askPersistence();
  void queueSender()
    .flush()
    .catch(() => undefined);
  return entry;
}

/** Saves a checkpoint of a running task (kept as `incomplete`, not sent unless the person asks). */
export async function checkpointRecording(
  userId: string,
  partial: Recording,
  options: SaveOptions = {},
): Promise<QueueEntry | null> {
  const entry = await saveCheckpoint(queueDb(), userId, partial, options);
  askPersistence();
  return entry;
}

/**
 * Writes the checkpoints of one run, latest first: while one write is in flight, newer checkpoints
 * replace each other and only the newest is written next. `close()` waits for the last write.
 * `push` is synchronous, as `runTask`'s `onCheckpoint` must be.
 */
export function createCheckpointWriter(userId: string, runId: string) {
  let pending: Recording | null = null;
  let writing: Promise<void> | null = null;
  let closed = false;
  let lastError: unknown = null;
  const drain = async () => {
    while (pending) {
      const next = pending;
      pending = null;
      try {
        await checkpointRecording(userId, next, { runId });
        lastError = null;
      } catch (error) {
        lastError = error;
      }
    }
    writing = null;
  };
  return {
    push(partial: Recording): void {
      if (closed) return;
      pending = partial;
      writing ??= drain();
    },
    /** Stops taking checkpoints and waits until the last one is stored. */
    async close(): Promise<void> {
      closed = true;
      await writing;
    },
    /** The error of the last write, if it failed (storage full, …). */
    get lastError(): unknown {
      return lastError;
    },
  };
}

/**
 * Sends every waiting entry of the signed-in user now, ignoring the retry delays, and resolves
 * when this pass is over (used by the "send now" button and by end-to-end tests).
 */
export function flushQueue(options: { force?: boolean } = { force: true }): Promise<FlushResult> {
  return queueSender().flush(options);
}

/** Puts one entry in line to be sent now (an incomplete one the person chose to send, or a retry). */
export async function sendEntryNow(id: string, userId: string): Promise<boolean> {
  const ok = await requestSend(queueDb(), id, userId);
  if (ok)
    void queueSender()
      .flush()
      .catch(() => undefined);
  return ok;
}

/** Marks a rejected entry as looked at and kept on this device. */
export function keepQueueEntry(id: string, userId: string): Promise<boolean> {
  return keepEntry(queueDb(), id, userId);
}

/** Queue entries: of one user, or (end-to-end tests, diagnostics) of everyone on this device. */
export function queueEntries(userId?: string): Promise<QueueEntry[]> {
  return userId ? entriesOf(queueDb(), userId) : allEntries(queueDb());
}

/** A queue entry as pages show it: everything but the recording itself, and whether it is still held. */
export type QueueEntryView = Omit<QueueEntry, 'recording'> & { hasRecording: boolean };

/** An entry without its recording (pages keep views in their state, never the recording: it can be megabytes). */
export function entryView(entry: QueueEntry): QueueEntryView {
  const { recording, ...rest } = entry;
  return { ...rest, hasRecording: recording !== null };
}

/** The recording an entry of this user holds, or null (sent and dropped, or not this user's). */
export async function loadQueueRecording(id: string, userId: string): Promise<Recording | null> {
  const entry = await queueDb().entries.get(id);
  return entry && entry.userId === userId ? entry.recording : null;
}

/**
 * The queue entries of a user, kept up to date (across tabs too); undefined while loading. Views only:
 * a running task checkpoints every second, and holding each checkpoint's recording in page state kept
 * several copies of a long recording alive.
 */
export function useQueueEntries(userId: string | null): QueueEntryView[] | undefined {
  const [state, setState] = useState<{ userId: string; entries: QueueEntryView[] } | null>(null);
  useEffect(() => {
    if (!userId) return undefined;
    const subscription = liveQuery(() => entriesOf(queueDb(), userId)).subscribe({
      next: (entries) => setState({ userId, entries: entries.map(entryView) }),
      error: () => setState({ userId, entries: [] }),
    });
    return () => subscription.unsubscribe();
  }, [userId]);
  if (!userId) return [];
  return state?.userId === userId ? state.entries : undefined;
}

/** The sender's status, kept up to date. */
export function useSenderStatus(): SenderStatus {
  const [status, setStatus] = useState<SenderStatus>(() => queueSender().status);
  useEffect(() => queueSender().subscribe(setStatus), []);
  return status;
}
