import type { Recording } from '@dystrack/core';
import { canonicalForm } from './hash.js';
import type { EntrySummary, QueueDb, QueueEntry } from './db.js';

/** Options of {@link saveRecording} and {@link saveCheckpoint}. */
export interface SaveOptions {
  /** Groups a run's checkpoints with its final recording. */
  runId?: string | null;
  /** Clock, ms since the Unix epoch (tests). */
  now?: number;
}

function summarize(recording: Recording, byteLength: number): EntrySummary {
  return {
    taskId: recording.taskId,
    taskVersion: recording.taskVersion,
    hand: recording.hand,
    startedAt: recording.startedAt,
    durationMs: recording.durationMs,
    flags: [...recording.flags],
    byteLength,
  };
}

/** Canonical form of a recording, or the reason it has none (a value JSON cannot hold). */
async function describe(
  recording: Recording,
): Promise<{ byteLength: number; sha256: string | null; problem: string | null }> {
  try {
    const { byteLength, sha256 } = await canonicalForm(recording);
    return { byteLength, sha256, problem: null };
  } catch (error) {
    return { byteLength: 0, sha256: null, problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Saves a finished recording in the queue, durably, before anything is sent. A checkpoint of the
 * same run (`runId`) or with the same id is replaced. Saving the same recording again changes
 * nothing. A recording that cannot be turned into JSON is still saved, as `rejected`, so that it
 * can be downloaded.
 * @param userId - the signed-in user who made the recording
 * @returns the stored entry
 * @throws RangeError when a different recording with the same id is already saved (nothing is overwritten)
 * @throws the IndexedDB error (e.g. `QuotaExceededError`) when the device cannot store it
 */
export async function saveRecording(
  db: QueueDb,
  userId: string,
  recording: Recording,
  options: SaveOptions = {},
): Promise<QueueEntry> {
  const now = options.now ?? Date.now();
  const runId = options.runId ?? null;
  const { byteLength, sha256, problem } = await describe(recording);
  return db.transaction('rw', db.entries, async () => {
    const existing = await db.entries.get(recording.id);
    if (existing && existing.state !== 'incomplete') {
      if (existing.userId === userId && existing.sha256 !== null && existing.sha256 === sha256)
        return existing;
      throw new RangeError(`a different recording with id ${recording.id} is already saved on this device`);
    }
    const entry: QueueEntry = {
      id: recording.id,
      userId,
      recording,
      summary: summarize(recording, byteLength),
      sha256,
      serverSha256: null,
      state: problem ? 'rejected' : 'waiting',
      attempts: 0,
      lastError: problem
        ? { status: 0, code: 'E_LOCAL_INVALID', message: `This recording cannot be sent: ${problem}` }
        : null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      sentAt: null,
      nextAttemptAt: now,
      runId,
      kept: false,
    };
    await db.entries.put(entry);
    if (runId)
      await db.entries
        .where('runId')
        .equals(runId)
        .and((e) => e.state === 'incomplete' && e.id !== entry.id)
        .delete();
    return entry;
  });
}

/**
 * Saves a partial recording of a run that is still going (a checkpoint). It is kept as
 * `incomplete`: shown, never sent unless the person asks. A newer checkpoint of the same run
 * replaces the older one; a checkpoint that arrives after the run's final recording is ignored.
 * @returns the stored entry, or null when it was ignored
 */
export async function saveCheckpoint(
  db: QueueDb,
  userId: string,
  partial: Recording,
  options: SaveOptions = {},
): Promise<QueueEntry | null> {
  const now = options.now ?? Date.now();
  const runId = options.runId ?? null;
  // Checkpoints come every second or so while a task runs: no canonical JSON or hash here (that
  // would cost main-thread time during capture); the sender computes both if the person sends it.
  const byteLength = 0;
  const sha256 = null;
  return db.transaction('rw', db.entries, async () => {
    const existing = await db.entries.get(partial.id);
    if (existing && existing.state !== 'incomplete') return null;
    if (runId) {
      const finished = await db.entries
        .where('runId')
        .equals(runId)
        .and((e) => e.state !== 'incomplete')
        .count();
      if (finished > 0) return null;
    }
    const entry: QueueEntry = {
      id: partial.id,
      userId,
      recording: partial,
      summary: summarize(partial, byteLength),
      sha256,
      serverSha256: null,
      state: 'incomplete',
      attempts: 0,
      lastError: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      sentAt: null,
      nextAttemptAt: now,
      runId,
      kept: false,
    };
    await db.entries.put(entry);
    if (runId)
      await db.entries
        .where('runId')
        .equals(runId)
        .and((e) => e.state === 'incomplete' && e.id !== entry.id)
        .delete();
    return entry;
  });
}

/**
 * Puts an entry back in line to be sent now: an incomplete recording the person chose to send, or
 * a rejected or waiting one they want to try again.
 * @returns whether the entry was found and can be sent
 */
export async function requestSend(
  db: QueueDb,
  id: string,
  userId: string,
  now: number = Date.now(),
): Promise<boolean> {
  return db.transaction('rw', db.entries, async () => {
    const entry = await db.entries.get(id);
    if (!entry || entry.userId !== userId || !entry.recording) return false;
    if (entry.state === 'sent' || entry.state === 'sending') return false;
    if (entry.lastError?.code === 'E_LOCAL_INVALID') return false;
    await db.entries.update(id, { state: 'waiting', nextAttemptAt: now, updatedAt: now, kept: false });
    return true;
  });
}

/** Marks a rejected entry as looked at: it stays on this device as it is. */
export async function keepEntry(
  db: QueueDb,
  id: string,
  userId: string,
  now: number = Date.now(),
): Promise<boolean> {
  const entry = await db.entries.get(id);
  if (!entry || entry.userId !== userId) return false;
  await db.entries.update(id, { kept: true, updatedAt: now });
  return true;
}

/** The queue entries of one user, newest first. Other users' entries are never returned. */
export async function entriesOf(db: QueueDb, userId: string): Promise<QueueEntry[]> {
  const entries = await db.entries.where('userId').equals(userId).toArray();
  return entries.sort((a, b) => b.createdAt - a.createdAt);
}

/** Every entry, of every user, newest first (end-to-end tests and diagnostics only). */
export async function allEntries(db: QueueDb): Promise<QueueEntry[]> {
  return (await db.entries.toArray()).sort((a, b) => b.createdAt - a.createdAt);
}
