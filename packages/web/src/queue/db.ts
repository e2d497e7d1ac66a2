import { Dexie, type EntityTable } from 'dexie';
import type { Recording } from '@dystrack/core';
import type { Hand } from '@dystrack/tasks';

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
  /** The recording as captured; null only once the server confirmed the same SHA-256. */
  recording: Recording | null;
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
  return db;
}
