import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import type { Recording } from '@dystrack/core';
import type { CheckpointDelta } from '@dystrack/tasks';
import { openQueueDb, QUEUE_DB_NAME, type QueueDb, type QueueEntry } from './db.js';
import { Sender, type FlushResult, type SenderStatus } from './sender.js';
import {
  allEntries,
  appendCheckpoints,
  compactCheckpoints,
  entriesOf,
  entryRecording,
  hasChunks,
  keepEntry,
  recentlyCheckpointed,
  recoverInterruptedRuns,
  requestSend,
  saveRecording,
  type SaveOptions,
} from './store.js';

export { deleteEntriesOf } from './store.js';
export type { EntryState, QueueEntry, StoredError } from './db.js';
export type { FlushResult, SenderStatus } from './sender.js';

let db: QueueDb | null = null;
let sender: Sender | null = null;
let persistenceAsked = false;
let recovery: Promise<string[]> = Promise.resolve([]);

/** Prefix of the Web Lock a tab holds while it writes a run's checkpoints (the recording id follows). */
export const CHECKPOINT_LOCK_PREFIX = 'dystrack-checkpoints:';
/** Without Web Locks, a run whose last chunk is younger than this may still be going in another tab, ms. */
export const LIVE_RUN_MS = 10 * 60_000;

/**
 * The app's upload-queue database (opened on first use, at start-up, which also starts the recovery of
 * interrupted runs: see {@link queueRecovery}). Dexie's in-memory cache of live-query results is off:
 * the results hold whole recordings (megabytes for a long pen recording), and keeping them in memory
 * is what a capture page must not do.
 */
export function queueDb(): QueueDb {
  if (!db) {
    const opened = openQueueDb(QUEUE_DB_NAME, { cache: 'disabled' });
    db = opened;
    recovery = liveRuns(opened)
      .then((live) => recoverInterruptedRuns(opened, { live }))
      .catch(() => []);
  }
  return db;
}

/**
 * The start-up recovery: the checkpoint chunks of runs that a crash or a closed page interrupted,
 * assembled into their incomplete recordings. Resolves with the ids of the recordings it assembled.
 */
export function queueRecovery(): Promise<string[]> {
  queueDb();
  return recovery;
}

/** The recordings whose runs are still going in some tab of this browser (their chunks are not touched). */
async function liveRuns(database: QueueDb): Promise<Set<string>> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.query) {
    const { held = [] } = await locks.query();
    return new Set(
      held.flatMap((lock) =>
        lock.name?.startsWith(CHECKPOINT_LOCK_PREFIX) ? [lock.name.slice(CHECKPOINT_LOCK_PREFIX.length)] : [],
      ),
    );
  }
  return recentlyCheckpointed(database, Date.now() - LIVE_RUN_MS);
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

/** Appends checkpoint deltas of a running task (kept as `incomplete`, not sent unless the person asks). */
export async function saveCheckpoints(
  userId: string,
  deltas: readonly CheckpointDelta[],
  options: SaveOptions = {},
): Promise<QueueEntry | null> {
  const entry = await appendCheckpoints(queueDb(), userId, deltas, options);
  askPersistence();
  return entry;
}

/**
 * Holds the Web Lock of a run's checkpoints until `release` is called, so that the start-up recovery
 * of another tab leaves the run alone; resolves once the lock is held (at once without Web Locks).
 */
function holdRunLock(recordingId: string): { held: Promise<void>; release: () => void } {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  let release = () => {};
  if (!locks?.request) return { held: Promise.resolve(), release };
  const done = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((granted) => {
    locks
      .request(CHECKPOINT_LOCK_PREFIX + recordingId, () => {
        granted();
        return done;
      })
      .catch(() => granted());
  });
  return { held, release };
}

/**
 * Writes the checkpoint deltas of one run, in order: `push` (synchronous, as `runTask`'s
 * `onCheckpoint` must be) queues a delta; one write at a time appends every queued delta as chunks.
 * A write that fails keeps its deltas queued, to be tried with the next one, so that no rows are
 * skipped. `close()` waits for the last write; `close({ assemble: true })` (a run that was cancelled or
 * failed) then assembles the chunks into the incomplete recording, stored whole.
 * @param options.forPatientId - in-clinic mode: the run's incomplete recording, if sent, goes to this patient
 */
export function createCheckpointWriter(
  userId: string,
  runId: string,
  options: { forPatientId?: string | null } = {},
) {
  const pending: CheckpointDelta[] = [];
  let writing: Promise<void> | null = null;
  let closed = false;
  let lastError: unknown = null;
  let recordingId: string | null = null;
  let lock: ReturnType<typeof holdRunLock> | null = null;
  const drain = async () => {
    await lock?.held;
    while (pending.length > 0) {
      const batch = pending.slice();
      try {
        await saveCheckpoints(userId, batch, { runId, forPatientId: options.forPatientId });
        pending.splice(0, batch.length);
        lastError = null;
      } catch (error) {
        // kept for the next write: the deltas after these need them
        lastError = error;
        break;
      }
    }
    writing = null;
  };
  return {
    push(delta: CheckpointDelta): void {
      if (closed) return;
      if (recordingId === null) {
        recordingId = delta.id;
        lock = holdRunLock(delta.id);
      }
      pending.push(delta);
      writing ??= drain();
    },
    /** Stops taking checkpoints and waits until the last one is stored (and, if asked, assembled). */
    async close(options: { assemble?: boolean } = {}): Promise<void> {
      closed = true;
      await writing;
      if (pending.length > 0) await (writing = drain());
      try {
        if (options.assemble && recordingId !== null && pending.length === 0)
          await compactCheckpoints(queueDb(), recordingId);
      } catch (error) {
        // the chunks stay: the next start-up assembles them
        lastError = error;
      } finally {
        lock?.release();
      }
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

/**
 * Queue entries: of one user, or (end-to-end tests, diagnostics) of everyone on this device, each with
 * its recording (an incomplete run's checkpoint chunks assembled, as they would be recovered now).
 */
export async function queueEntries(userId?: string): Promise<QueueEntry[]> {
  const database = queueDb();
  const entries = userId ? await entriesOf(database, userId) : await allEntries(database);
  return Promise.all(
    entries.map(async (entry) =>
      hasChunks(entry) ? { ...entry, recording: await entryRecording(database, entry) } : entry,
    ),
  );
}

/** A queue entry as pages show it: everything but the recording itself, and whether it is still held. */
export type QueueEntryView = Omit<QueueEntry, 'recording'> & { hasRecording: boolean };

/** An entry without its recording (pages keep views in their state, never the recording: it can be megabytes). */
export function entryView(entry: QueueEntry): QueueEntryView {
  const { recording, ...rest } = entry;
  return { ...rest, hasRecording: recording !== null || hasChunks(entry) };
}

/**
 * The recording an entry of this user holds (an incomplete run's chunks assembled), or null (sent and
 * dropped, or not this user's).
 */
export async function loadQueueRecording(id: string, userId: string): Promise<Recording | null> {
  const entry = await queueDb().entries.get(id);
  return entry && entry.userId === userId ? entryRecording(queueDb(), entry) : null;
}

/**
 * The queue entries of a user, kept up to date (across tabs too); undefined while loading. Views only:
 * holding recordings in page state kept several copies of a long recording alive. (A running task's
 * checkpoints go to their own table and do not wake this query.)
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
