import type { Recording } from '@dystrack/core';
import { ApiError, apiRequest, type ApiResponse } from '../api/client.js';
import { backoffDelayMs, parseRetryAfter } from './backoff.js';
import type { QueueDb, QueueEntry, StoredError } from './db.js';
import { canonicalForm } from './hash.js';

/** Name of the Web Lock (and of the fallback lease) that makes one tab the sender. */
export const SENDER_LOCK = 'dystrack-upload-sender';
/** How long a fallback lease lasts without renewal, ms. */
export const LEASE_MS = 60_000;
const RECORDINGS_PATH = '/api/v1/recordings';

/** What the sender is doing, for the page to show. */
export type SenderStatus =
  /** nothing to do, or waiting for the next retry */
  | 'idle'
  | 'sending'
  /** the last send could not reach the server */
  | 'offline'
  /** the server wants a sign-in (or a user allowed to upload) before anything more is sent */
  | 'needs-sign-in';

/** The outcome of one {@link Sender.flush}. */
export interface FlushResult {
  sent: number;
  retrying: number;
  rejected: number;
  /** Why nothing was tried: no one is signed in, or another tab holds the fallback lease. */
  skipped?: 'no-user' | 'busy';
}

/** What a sender needs from the outside, replaceable in tests. */
export interface SenderDeps {
  db: QueueDb;
  /**
   * Posts a recording's canonical JSON; resolves with the answer, throws ApiError. `forPatientId`: an
   * in-clinic recording, posted for that patient (`?patient=`).
   */
  post?: (bodyText: string, timeoutMs: number, forPatientId?: string) => Promise<ApiResponse<unknown>>;
  /** Asks the server for a fresh CSRF cookie (after an `E_CSRF` answer). */
  refreshCsrf?: () => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** The Web Locks API, or null to use the IndexedDB lease (default: `navigator.locks` when present). */
  locks?: LockManager | null;
  /** Identifies this tab in the fallback lease. */
  tabId?: string;
}

const defaultPost = (bodyText: string, timeoutMs: number, forPatientId?: string) =>
  apiRequest(RECORDINGS_PATH, {
    method: 'POST',
    body: bodyText,
    timeoutMs,
    // an in-clinic recording is the patient's: the server stores it for them, supervised by the sender
    query: forPatientId ? { patient: forPatientId } : undefined,
  });
const defaultRefreshCsrf = async () => {
  await apiRequest('/api/v1/session');
};

/** Request timeout for a body of this size: a minute plus time for a slow (25 kB/s) uplink. */
function timeoutFor(byteLength: number): number {
  return 60_000 + Math.ceil(byteLength / 25);
}

/** The SHA-256 the server answered with (`sha256` at the top or in `summary`/`recording`). */
function serverHash(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  for (const candidate of [record, record.summary, record.recording]) {
    if (candidate && typeof candidate === 'object') {
      const value = (candidate as Record<string, unknown>).sha256;
      if (typeof value === 'string') return value.toLowerCase();
    }
  }
  return null;
}

function asStored(error: unknown): StoredError {
  if (error instanceof ApiError) return error.toJSON();
  return { status: 0, code: 'E_NETWORK', message: error instanceof Error ? error.message : String(error) };
}

type Outcome = 'sent' | 'retry' | 'rejected' | 'auth';

/**
 * Sends the signed-in user's saved recordings to the server, one tab at a time, and retries until
 * the server confirmed each one. Entries are only ever sent by the session of the user who made them.
 * The server is idempotent on the recording id, so a send that was in flight when the page closed
 * is simply sent again.
 */
export class Sender {
  private readonly db: QueueDb;
  private readonly post: NonNullable<SenderDeps['post']>;
  private readonly refreshCsrf: NonNullable<SenderDeps['refreshCsrf']>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly locks: LockManager | null;
  private readonly tabId: string;
  private userId: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private listeners = new Set<(status: SenderStatus) => void>();
  private currentStatus: SenderStatus = 'idle';
  private started = false;
  private readonly onOnline = () => void this.flush({ force: true }).catch(() => undefined);
  private readonly onVisible = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'visible')
      void this.flush().catch(() => undefined);
  };

  constructor(deps: SenderDeps) {
    this.db = deps.db;
    this.post = deps.post ?? defaultPost;
    this.refreshCsrf = deps.refreshCsrf ?? defaultRefreshCsrf;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.locks =
      deps.locks !== undefined
        ? deps.locks
        : typeof navigator !== 'undefined' && navigator.locks
          ? navigator.locks
          : null;
    this.tabId = deps.tabId ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }

  /** The current status. */
  get status(): SenderStatus {
    return this.currentStatus;
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: SenderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: SenderStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.listeners) listener(status);
  }

  /** The user whose entries are sent (the signed-in user), or null. */
  get user(): string | null {
    return this.userId;
  }

  /** The signed-in user (null when signed out). Only this user's entries are sent; signing in sends them. */
  setUser(userId: string | null): void {
    if (userId === this.userId) return;
    this.userId = userId;
    this.clearTimer();
    this.setStatus('idle');
    if (userId && this.started) void this.flush().catch(() => undefined);
  }

  /** Starts sending: now (app start), when the browser comes back online, when the tab becomes visible. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible);
    if (this.userId) void this.flush().catch(() => undefined);
  }

  /** Stops the timers and listeners (a send in flight finishes). */
  stop(): void {
    this.started = false;
    this.clearTimer();
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Sends the signed-in user's waiting entries. Flushes of one tab run one after the other; across
   * tabs, one holds the sender lock at a time.
   * @param options.force - send every waiting entry now, ignoring the backoff (the person asked, or the browser came online)
   */
  flush(options: { force?: boolean } = {}): Promise<FlushResult> {
    const run = this.chain.then(() => this.flushOnce(options.force ?? false));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushOnce(force: boolean): Promise<FlushResult> {
    const userId = this.userId;
    if (!userId) return { sent: 0, retrying: 0, rejected: 0, skipped: 'no-user' };
    this.clearTimer();
    let result: FlushResult;
    if (this.locks) {
      result = await this.locks.request(SENDER_LOCK, () => this.sendDue(userId, force));
    } else if (await this.acquireLease()) {
      try {
        result = await this.sendDue(userId, force);
      } finally {
        await this.releaseLease();
      }
    } else {
      result = { sent: 0, retrying: 0, rejected: 0, skipped: 'busy' };
    }
    await this.scheduleNext(result.skipped === 'busy');
    return result;
  }

  /** Sends every due entry of the user, including ones saved while sending, each at most once per flush. */
  private async sendDue(userId: string, force: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, retrying: 0, rejected: 0 };
    const tried = new Set<string>();
    for (;;) {
      if (this.userId !== userId) break;
      const now = this.now();
      const candidates = await this.db.entries
        .where('[userId+state]')
        .anyOf([
          [userId, 'waiting'],
          [userId, 'sending'],
        ])
        .toArray();
      const due = candidates
        .filter(
          (entry) =>
            !tried.has(entry.id) && entry.recording !== null && (force || entry.nextAttemptAt <= now),
        )
        .sort((a, b) => a.createdAt - b.createdAt);
      if (due.length === 0) break;
      let stop = false;
      for (const entry of due) {
        if (this.userId !== userId) break;
        tried.add(entry.id);
        if (!this.locks) await this.renewLease(entry.summary.byteLength);
        this.setStatus('sending');
        const outcome = await this.sendOne(entry);
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'rejected') result.rejected++;
        else result.retrying++;
        if (outcome === 'auth') {
          stop = true;
          break;
        }
      }
      if (stop) break;
    }
    if (this.currentStatus === 'sending') this.setStatus('idle');
    return result;
  }

  private async sendOne(entry: QueueEntry): Promise<Outcome> {
    const recording = entry.recording as Recording;
    const attempts = entry.attempts + 1;
    await this.db.entries.update(entry.id, { state: 'sending', attempts, updatedAt: this.now() });
    let form: Awaited<ReturnType<typeof canonicalForm>>;
    try {
      form = await canonicalForm(recording);
    } catch (error) {
      await this.db.entries.update(entry.id, {
        state: 'rejected',
        updatedAt: this.now(),
        lastError: {
          status: 0,
          code: 'E_LOCAL_INVALID',
          message: `This recording cannot be sent: ${error instanceof Error ? error.message : String(error)}`,
        },
      });
      return 'rejected';
    }

    let response: ApiResponse<unknown>;
    try {
      response = entry.forPatientId
        ? await this.post(form.text, timeoutFor(form.byteLength), entry.forPatientId)
        : await this.post(form.text, timeoutFor(form.byteLength));
    } catch (error) {
      return this.failed(entry.id, attempts, error, Boolean(entry.forPatientId));
    }

    const now = this.now();
    const confirmed = serverHash(response.body);
    if (form.sha256 !== null && confirmed === form.sha256) {
      // The server holds exactly these bytes: the heavy body can go, the summary stays.
      await this.db.entries.update(entry.id, {
        state: 'sent',
        sentAt: now,
        updatedAt: now,
        serverSha256: confirmed,
        sha256: form.sha256,
        recording: null,
        lastError: null,
      });
    } else {
      // Stored, but the content could not be confirmed byte for byte: keep the local copy.
      await this.db.entries.update(entry.id, {
        state: 'sent',
        sentAt: now,
        updatedAt: now,
        serverSha256: confirmed,
        sha256: form.sha256,
        lastError:
          confirmed === null || form.sha256 === null
            ? null
            : {
                status: response.status,
                code: 'E_HASH_MISMATCH',
                message:
                  'The server stored this recording, but its fingerprint differs from the one on this device. The copy on this device is kept.',
              },
      });
    }
    if (this.currentStatus === 'offline' || this.currentStatus === 'needs-sign-in') this.setStatus('sending');
    return 'sent';
  }

  private async failed(id: string, attempts: number, error: unknown, forPatient = false): Promise<Outcome> {
    const now = this.now();
    const stored = asStored(error);
    const status = error instanceof ApiError ? error.status : 0;

    // An in-clinic recording refused with 403: the patient's shares no longer allow it (revoked, expired,
    // tasks no longer shared). Signing in again cannot fix that, and waiting for it would hold up the
    // clinician's other uploads: it is kept on this device as refused, like any other 4xx.
    const refusedForPatient = forPatient && status === 403 && stored.code !== 'E_CSRF';
    if (status === 401 || (status === 403 && stored.code !== 'E_CSRF' && !refusedForPatient)) {
      // Wait for a sign-in (or a user allowed to upload); do not count it against the backoff.
      await this.db.entries.update(id, {
        state: 'waiting',
        lastError: stored,
        nextAttemptAt: now,
        updatedAt: now,
      });
      this.setStatus('needs-sign-in');
      return 'auth';
    }
    if (status === 0 || status === 429 || status >= 500 || (status === 403 && stored.code === 'E_CSRF')) {
      if (status === 403) await this.refreshCsrf().catch(() => undefined);
      const retryAfter = error instanceof ApiError ? parseRetryAfter(error.retryAfter, now) : null;
      const delay = backoffDelayMs(attempts, this.random(), retryAfter);
      await this.db.entries.update(id, {
        state: 'waiting',
        lastError: stored,
        nextAttemptAt: now + delay,
        updatedAt: now,
      });
      if (status === 0) this.setStatus('offline');
      return 'retry';
    }
    // Any other 4xx: the server refused this recording. It stays on this device, shown, never dropped.
    await this.db.entries.update(id, { state: 'rejected', lastError: stored, updatedAt: now, kept: false });
    return 'rejected';
  }

  /** Arms the timer for the earliest retry of the user's waiting entries. */
  private async scheduleNext(busy: boolean): Promise<void> {
    const userId = this.userId;
    if (!userId || !this.started) return;
    this.clearTimer();
    let next: number | null = null;
    if (busy) next = this.now() + LEASE_MS / 2;
    else {
      if (this.currentStatus === 'needs-sign-in') return;
      const waiting = await this.db.entries.where('[userId+state]').equals([userId, 'waiting']).toArray();
      for (const entry of waiting)
        if (entry.recording && (next === null || entry.nextAttemptAt < next)) next = entry.nextAttemptAt;
    }
    if (next === null || this.userId !== userId) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      },
      Math.max(0, next - this.now()),
    );
  }

  private async acquireLease(): Promise<boolean> {
    const now = this.now();
    return this.db.transaction('rw', this.db.leases, async () => {
      const lease = await this.db.leases.get(SENDER_LOCK);
      if (lease && lease.holder !== this.tabId && lease.expiresAt > now) return false;
      await this.db.leases.put({ name: SENDER_LOCK, holder: this.tabId, expiresAt: now + LEASE_MS });
      return true;
    });
  }

  private async renewLease(byteLength: number): Promise<void> {
    await this.db.leases.put({
      name: SENDER_LOCK,
      holder: this.tabId,
      expiresAt: this.now() + LEASE_MS + timeoutFor(byteLength),
    });
  }

  private async releaseLease(): Promise<void> {
    await this.db.transaction('rw', this.db.leases, async () => {
      const lease = await this.db.leases.get(SENDER_LOCK);
      if (lease?.holder === this.tabId) await this.db.leases.delete(SENDER_LOCK);
    });
  }
}
