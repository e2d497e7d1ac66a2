import { Dexie } from 'dexie';
import type { Recording } from '@dystrack/core';
import { CheckpointAssembler, type CheckpointDelta, type RecordingHead } from '@dystrack/tasks';
import { canonicalForm } from './hash.js';
import type { CheckpointChunk, EntrySummary, QueueDb, QueueEntry } from './db.js';

/** Options of {@link saveRecording} and {@link saveCheckpoint}. */
export interface SaveOptions {
  /** Groups a run's checkpoints with its final recording. */
  runId?: string | null;
  /** Clock, ms since the Unix epoch (tests). */
  now?: number;
  /** In-clinic mode: the patient the signed-in clinician records for (see {@link QueueEntry.forPatientId}). */
  forPatientId?: string | null;
}

function summarize(recording: Recording | RecordingHead, byteLength: number): EntrySummary {
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

/** The `forPatientId` field of an entry saved with these options (left out for one's own recordings). */
function patientOf(options: SaveOptions): Pick<QueueEntry, 'forPatientId'> {
  return options.forPatientId ? { forPatientId: options.forPatientId } : {};
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
  return db.transaction('rw', db.entries, db.checkpoints, async () => {
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
      ...patientOf(options),
    };
    await db.entries.put(entry);
    await replaceIncomplete(db, entry);
    return entry;
  });
}

/**
 * Drops what a newly saved entry replaces: the checkpoint chunks under its id, and the other
 * incomplete entries of its run with their chunks. Runs inside the caller's transaction.
 */
async function replaceIncomplete(db: QueueDb, entry: QueueEntry): Promise<void> {
  const ids = [entry.id];
  if (entry.runId) {
    const others = await db.entries
      .where('runId')
      .equals(entry.runId)
      .and((e) => e.state === 'incomplete' && e.id !== entry.id)
      .primaryKeys();
    await db.entries.bulkDelete(others);
    ids.push(...others);
  }
  await db.checkpoints.where('recordingId').anyOf(ids).delete();
}

/**
 * Saves a whole partial recording (a checkpoint stored in one piece, as it was before checkpoints
 * came in chunks). It is kept as `incomplete`: shown, never sent unless the person asks. A newer
 * checkpoint of the same run replaces the older one; a checkpoint that arrives after the run's final
 * recording is ignored.
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
  return db.transaction('rw', db.entries, db.checkpoints, async () => {
    const existing = await db.entries.get(partial.id);
    if (existing && existing.state !== 'incomplete') return null;
    if (await runFinished(db, runId)) return null;
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
      ...patientOf(options),
    };
    await db.entries.put(entry);
    await replaceIncomplete(db, entry);
    return entry;
  });
}

/** Whether the run already has its final recording (then its checkpoints are late and ignored). */
async function runFinished(db: QueueDb, runId: string | null): Promise<boolean> {
  if (!runId) return false;
  const finished = await db.entries
    .where('runId')
    .equals(runId)
    .and((e) => e.state !== 'incomplete')
    .count();
  return finished > 0;
}

/**
 * Appends checkpoint deltas of a running task (one or more, in `seq` order, of one recording): each
 * becomes a chunk, and the run's first one also makes its queue entry (`incomplete`, its recording
 * assembled later: see {@link compactCheckpoints}). Nothing is copied or hashed beyond the deltas
 * themselves, and the entry is not rewritten, so the cost of a checkpoint does not grow with the run
 * (and pages that watch the entries are not woken every second). Deltas that arrive after the run's
 * final recording are ignored.
 * @returns the run's entry, or null when the deltas were ignored
 * @throws RangeError when the deltas are of different recordings
 * @throws the IndexedDB error (e.g. `QuotaExceededError`): nothing of the call was stored
 */
export async function appendCheckpoints(
  db: QueueDb,
  userId: string,
  deltas: readonly CheckpointDelta[],
  options: SaveOptions = {},
): Promise<QueueEntry | null> {
  const first = deltas[0];
  if (!first) return null;
  const id = first.id;
  if (deltas.some((d) => d.id !== id))
    throw new RangeError('checkpoints of different recordings in one append');
  const now = options.now ?? Date.now();
  const runId = options.runId ?? null;
  return db.transaction('rw', db.entries, db.checkpoints, async () => {
    const existing = await db.entries.get(id);
    if (existing && existing.state !== 'incomplete') return null;
    if (await runFinished(db, runId)) return null;
    let entry = existing;
    if (!entry || entry.checkpointSeq === undefined) {
      // the run's first chunk (an entry saved whole under this id is replaced: the chunks start from the run's start)
      const head = deltas.at(-1)!.head;
      entry = {
        id,
        userId,
        recording: null,
        checkpointSeq: -1,
        summary: summarize(head, 0),
        sha256: null,
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
        ...patientOf(options),
      };
      await db.entries.put(entry);
    }
    const after = entry.checkpointSeq!;
    await db.checkpoints.bulkPut(
      deltas
        .filter((delta) => delta.seq > after)
        .map((delta) => ({ recordingId: id, seq: delta.seq, userId, runId, delta, savedAt: now })),
    );
    return entry;
  });
}

/** The chunks of a recording after `afterSeq`, in `seq` order. */
function chunksAfter(db: QueueDb, recordingId: string, afterSeq: number): Promise<CheckpointChunk[]> {
  return db.checkpoints
    .where('[recordingId+seq]')
    .between([recordingId, afterSeq], [recordingId, Dexie.maxKey], false, true)
    .toArray();
}

/** An entry's recording from its stored part and its chunks (null when it has neither). */
function assemble(entry: QueueEntry, chunks: readonly CheckpointChunk[]): Recording | null {
  if (chunks.length === 0) return entry.recording;
  const assembler = new CheckpointAssembler(
    entry.recording && entry.checkpointSeq !== undefined && entry.checkpointSeq >= 0
      ? { recording: entry.recording, seq: entry.checkpointSeq }
      : undefined,
  );
  for (const chunk of chunks) assembler.add(chunk.delta);
  return assembler.recording();
}

/**
 * Whether an entry is the incomplete entry of a run that checkpoints in chunks: its recording is what
 * it stores (possibly nothing yet) with its chunks added.
 */
export function hasChunks(entry: Pick<QueueEntry, 'state' | 'checkpointSeq'>): boolean {
  return entry.state === 'incomplete' && entry.checkpointSeq !== undefined;
}

/**
 * The recording an entry holds: for the incomplete entry of a run that checkpoints in chunks, its
 * chunks assembled (read only: nothing is written). Other entries' recordings as stored.
 * @throws RangeError when the chunks do not follow on from each other
 */
export async function entryRecording(db: QueueDb, entry: QueueEntry): Promise<Recording | null> {
  if (!hasChunks(entry)) return entry.recording;
  return db.transaction('r', db.entries, db.checkpoints, async () => {
    // entry and chunks read together: a write in between could otherwise be counted twice
    const current = await db.entries.get(entry.id);
    if (!current) return null;
    if (!hasChunks(current)) return current.recording;
    return assemble(current, await chunksAfter(db, current.id, current.checkpointSeq!));
  });
}

/**
 * Assembles the checkpoint chunks of an incomplete run into its recording and stores it whole in the
 * entry (with its canonical size and SHA-256, computed once, here), then drops those chunks: at the
 * end of a cancelled or failed run, at start-up after a crash, or before an incomplete recording is
 * sent. The result is the recording a whole checkpoint at the last chunk would have been. Chunks
 * appended meanwhile (a run still going in another tab) stay, and are added on top later. Chunks
 * without an incomplete entry (the run finished, or its entry was deleted) are dropped.
 * @returns the updated entry, or null when there was nothing to assemble
 */
export async function compactCheckpoints(
  db: QueueDb,
  recordingId: string,
  options: { now?: number } = {},
): Promise<QueueEntry | null> {
  const read = await db.transaction('r', db.entries, db.checkpoints, async () => {
    const entry = await db.entries.get(recordingId);
    if (!entry || !hasChunks(entry)) return { entry: null, chunks: [] };
    return { entry, chunks: await chunksAfter(db, recordingId, entry.checkpointSeq!) };
  });
  if (!read.entry) {
    await db.transaction('rw', db.entries, db.checkpoints, async () => {
      const entry = await db.entries.get(recordingId);
      if (!entry || !hasChunks(entry)) await db.checkpoints.where('recordingId').equals(recordingId).delete();
    });
    return null;
  }
  if (read.chunks.length === 0) return null;
  const recording = assemble(read.entry, read.chunks)!;
  const lastSeq = read.chunks.at(-1)!.seq;
  // the canonical form and hash are computed outside the transaction (WebCrypto is not IndexedDB)
  const { byteLength, sha256, problem } = await describe(recording);
  const now = options.now ?? Date.now();
  return db.transaction('rw', db.entries, db.checkpoints, async () => {
    const entry = await db.entries.get(recordingId);
    // someone else assembled it, or the run finished meanwhile: theirs stands
    if (!entry || !hasChunks(entry) || entry.checkpointSeq !== read.entry!.checkpointSeq) return null;
    const next: QueueEntry = {
      ...entry,
      recording,
      checkpointSeq: lastSeq,
      summary: summarize(recording, byteLength),
      sha256,
      updatedAt: now,
      lastError: problem
        ? { status: 0, code: 'E_LOCAL_INVALID', message: `This recording cannot be sent: ${problem}` }
        : entry.lastError,
    };
    await db.entries.put(next);
    await db.checkpoints
      .where('[recordingId+seq]')
      .between([recordingId, Dexie.minKey], [recordingId, lastSeq], true, true)
      .delete();
    return next;
  });
}

/** Options of {@link recoverInterruptedRuns}. */
export interface RecoverOptions {
  /** Ids of recordings whose runs are still going (in another tab): their chunks are left alone. */
  live?: ReadonlySet<string>;
  now?: number;
}

/**
 * Start-up recovery: assembles the checkpoint chunks of every run that was interrupted (the page
 * crashed or was closed mid-run) into its incomplete recording, stored whole, and drops orphaned chunks.
 * A run that fails to assemble keeps its chunks (read again next time) and does not stop the others.
 * @returns the ids of the recordings assembled
 */
export async function recoverInterruptedRuns(db: QueueDb, options: RecoverOptions = {}): Promise<string[]> {
  const ids = (await db.checkpoints.orderBy('recordingId').uniqueKeys()) as string[];
  const recovered: string[] = [];
  for (const id of ids) {
    if (options.live?.has(id)) continue;
    try {
      if (await compactCheckpoints(db, id, { now: options.now })) recovered.push(id);
    } catch {
      // a damaged run must not keep the others from being recovered
    }
  }
  return recovered;
}

/**
 * Recordings with checkpoint chunks stored since `sinceMs` (ms since the Unix epoch): where the Web
 * Locks API is missing, a run that wrote lately is taken to be still going.
 */
export async function recentlyCheckpointed(db: QueueDb, sinceMs: number): Promise<Set<string>> {
  const keys = await db.checkpoints.where('savedAt').aboveOrEqual(sinceMs).primaryKeys();
  return new Set(keys.map(([recordingId]) => recordingId));
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
  const stored = await db.entries.get(id);
  if (!stored || stored.userId !== userId) return false;
  // an incomplete run's chunks become one recording first: the sender sends whole recordings
  if (hasChunks(stored)) await compactCheckpoints(db, id, { now });
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

/**
 * Removes every entry of one user from this device, with the checkpoint chunks of its runs (the account
 * was deleted). Other users' entries stay.
 */
export async function deleteEntriesOf(db: QueueDb, userId: string): Promise<number> {
  return db.transaction('rw', db.entries, db.checkpoints, async () => {
    const ids = (await db.entries.where('userId').equals(userId).primaryKeys()) as string[];
    await db.checkpoints.where('recordingId').anyOf(ids).delete();
    return db.entries.bulkDelete(ids).then(() => ids.length);
  });
}

/** Every entry, of every user, newest first (end-to-end tests and diagnostics only). */
export async function allEntries(db: QueueDb): Promise<QueueEntry[]> {
  return (await db.entries.toArray()).sort((a, b) => b.createdAt - a.createdAt);
}
