import { Dexie, type EntityTable, type Table } from 'dexie';
import type { Recording } from '@dystrack/core';
import type { CheckpointDelta, Hand } from '@dystrack/tasks';

/**
 * Where a recording is on its way to the server:
 * - `incomplete`: a checkpoint of a run that did not finish (crash, Stop); kept and shown, sent only if the person asks;
 * - `waiting`: saved on this device, to be sent (again) at `nextAttemptAt`;
 * - `sending`: a send is in flight, or was when the page closed (sent again: the server is idempotent on the id);
 * - `sent`: the server confirmed it (`sentAt`);
 * - `rejected`: the server refused it with a 4xx answer; kept on this device and shown, never dropped.
 */
export type EntryState = 'incomplete' | 'waiting' | 'sending' | 'sent' | 'rejected';

/** The small part of a recording that stays after its body is dropped. */
export interface EntrySummary {
  taskId: string;
  taskVersion: string;
  hand: Hand;
  startedAt: string;
  durationMs: number;
  flags: string[];
  /** UTF-8 bytes of the recording's canonical JSON. */
  byteLength: number;
}

/** The last failure of an entry: the server's coded error, or a client-side one (status 0). */
export interface StoredError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/** One recording in the durable upload queue. */
export interface QueueEntry {
  /** The recording's own id (uploads are idempotent on it). */
  id: string;
  /** The user who made the recording; only this user's session ever sends it. */
  userId: string;
  /**
   * The recording as captured; null once the server confirmed the same SHA-256, and in an incomplete
   * entry whose run's checkpoint chunks were not assembled yet (`checkpointSeq` −1).
   */
  recording: Recording | null;
  /**
   * Entries of a run that checkpoints in chunks ({@link CheckpointChunk}): the `seq` of the last chunk
   * already assembled into `recording` (−1: none, `recording` is null). The incomplete recording is
   * `recording` with the later chunks added. Absent on entries saved whole (and on every entry saved
   * before checkpoints came in chunks).
   */
  checkpointSeq?: number;
  summary: EntrySummary;
  /** SHA-256 (hex) of the recording's canonical JSON, computed on this device. */
  sha256: string | null;
  /** SHA-256 the server answered with. */
  serverSha256: string | null;
  state: EntryState;
  /** Number of sends tried. */
  attempts: number;
  lastError: StoredError | null;
  /** When the entry was first saved, ms since the Unix epoch. */
  createdAt: number;
  updatedAt: number;
  /** When the server confirmed it, ms since the Unix epoch. */
  sentAt: number | null;
  /** Earliest time of the next automatic send, ms since the Unix epoch. */
  nextAttemptAt: number;
  /** Groups a run's checkpoints with its final recording (a completed run replaces its checkpoint). */
  runId: string | null;
  /** The person looked at a rejection and chose to keep the entry as it is. */
  kept: boolean;
  /**
   * In-clinic mode: the patient a clinician recorded this for (sent to `POST /api/v1/recordings?patient=`,
   * stored as the patient's, supervised). Absent or null: the signed-in user's own recording.
   */
  forPatientId?: string | null;
}

/**
 * One checkpoint of a running task: what the run captured since its previous checkpoint. A run's
 * chunks are appended (one small write a second, however long the run), and assembled into its
 * incomplete recording only when it is needed: at the end of a cancelled run, at start-up after a
 * crash, or when the recording is read.
 */
export interface CheckpointChunk {
  /** The recording's id (its queue entry's id). */
  recordingId: string;
  /** The delta's `seq`: chunks are assembled in this order. */
  seq: number;
  userId: string;
  runId: string | null;
  delta: CheckpointDelta;
  /** When it was stored, ms since the Unix epoch. */
  savedAt: number;
}

/** A lease on the sender role, used where the Web Locks API is missing. */
export interface Lease {
  name: string;
  holder: string;
  expiresAt: number;
}

/** The IndexedDB database of the upload queue. */
export type QueueDb = Dexie & {
  entries: EntityTable<QueueEntry, 'id'>;
  leases: EntityTable<Lease, 'name'>;
  checkpoints: Table<CheckpointChunk, [string, number]>;
};

/** Name of the IndexedDB database. */
export const QUEUE_DB_NAME = 'dystrack-queue';

/**
 * Opens the upload-queue database.
 * @param options - Dexie options; tests pass a fresh fake-indexeddb `IDBFactory`
 */
export function openQueueDb(
  name: string = QUEUE_DB_NAME,
  options?: ConstructorParameters<typeof Dexie>[1],
): QueueDb {
  const db = new Dexie(name, options) as QueueDb;
  // Never remove a version once released: add a new one with an upgrade instead.
  db.version(1).stores({
    entries: 'id, userId, state, [userId+state], createdAt, runId',
    leases: 'name',
  });
  // Version 2: checkpoints come as chunks, in their own table. Entries stored by version 1 (incomplete
  // ones included, each holding its whole last checkpoint) stay as they are: an entry without
  // `checkpointSeq` is read as before.
  db.version(2).stores({
    checkpoints: '[recordingId+seq], recordingId, savedAt',
  });
  return db;
}
