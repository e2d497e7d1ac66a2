import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '@dystrack/core';
import { backoffDelayMs, BACKOFF_CAP_MS, parseRetryAfter } from './backoff.js';
import { openQueueDb, type QueueDb } from './db.js';
import { sha256Hex } from './hash.js';
import { Sender, SENDER_LOCK, type SenderDeps } from './sender.js';
import { entriesOf, requestSend, saveCheckpoint, saveRecording } from './store.js';
import { FakeRecordingServer } from '../test/fake-server.js';
import { makeRecording, serverSha256 } from '../test/fixtures.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

let db: QueueDb;
let server: FakeRecordingServer;
const senders: Sender[] = [];

function newSender(overrides: Partial<SenderDeps> = {}): Sender {
  const sender = new Sender({
    db,
    post: server.post,
    refreshCsrf: async () => undefined,
    locks: null,
    random: () => 0,
    ...overrides,
  });
  senders.push(sender);
  return sender;
}

beforeEach(() => {
  // A fresh IndexedDB per test: nothing leaks between tests.
  db = openQueueDb('queue-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  server = new FakeRecordingServer();
});

afterEach(() => {
  for (const sender of senders.splice(0)) sender.stop();
  db.close();
  vi.useRealTimers();
});

describe('hashing', () => {
  it('sha256Hex(canonical JSON) equals the SHA-256 a server computes over the same recording', async () => {
    const recording = makeRecording({ params: { b: 1, a: 'é', nested: { z: 1.5, y: [3, 2, 1] } } });
    expect(await sha256Hex(canonicalJson(recording))).toBe(serverSha256(recording));
  });
});

describe('saving', () => {
  it('saveRecording keeps the whole recording, its summary and hash, in state waiting', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording, { now: 1000 });
    const [entry] = await entriesOf(db, ALICE);
    expect(entry).toMatchObject({
      id: recording.id,
      userId: ALICE,
      state: 'waiting',
      attempts: 0,
      createdAt: 1000,
      sentAt: null,
    });
    expect(entry!.recording).toEqual(recording);
    expect(entry!.sha256).toBe(serverSha256(recording));
    expect(entry!.summary).toMatchObject({ taskId: 'tapping', hand: 'right', durationMs: 20_000 });
    expect(entry!.summary.byteLength).toBe(new TextEncoder().encode(canonicalJson(recording)).byteLength);
  });

  it('saving the same recording twice is a no-op; a different recording with a used id is refused, not overwritten', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording);
    await saveRecording(db, ALICE, recording);
    expect(await db.entries.count()).toBe(1);
    await expect(saveRecording(db, ALICE, { ...recording, durationMs: 1 })).rejects.toThrow(RangeError);
    expect((await db.entries.get(recording.id))!.recording).toEqual(recording);
  });

  it('a checkpoint is kept as incomplete and never sent by the sender', async () => {
    const partial = makeRecording({ flags: ['ABORTED'] });
    await saveCheckpoint(db, ALICE, partial, { runId: 'run-1' });
    const sender = newSender();
    sender.setUser(ALICE);
    expect(await sender.flush({ force: true })).toMatchObject({ sent: 0 });
    expect(server.posts).toHaveLength(0);
    expect((await db.entries.get(partial.id))!.state).toBe('incomplete');
  });

  it('a newer checkpoint replaces the older one, and the finished recording replaces its checkpoint', async () => {
    const first = makeRecording({ durationMs: 5000 });
    const second = makeRecording({ durationMs: 10_000 });
    await saveCheckpoint(db, ALICE, first, { runId: 'run-1' });
    await saveCheckpoint(db, ALICE, second, { runId: 'run-1' });
    expect((await entriesOf(db, ALICE)).map((e) => e.id)).toEqual([second.id]);

    const final = makeRecording();
    await saveRecording(db, ALICE, final, { runId: 'run-1' });
    const entries = await entriesOf(db, ALICE);
    expect(entries.map((e) => [e.id, e.state])).toEqual([[final.id, 'waiting']]);

    // a late checkpoint of a finished run is ignored
    expect(await saveCheckpoint(db, ALICE, makeRecording(), { runId: 'run-1' })).toBeNull();
    expect(await db.entries.count()).toBe(1);
  });

  it('a finished recording with the checkpoint id replaces the checkpoint in place', async () => {
    const partial = makeRecording({ durationMs: 3000 });
    await saveCheckpoint(db, ALICE, partial);
    const final = { ...partial, durationMs: 20_000 };
    await saveRecording(db, ALICE, final);
    const entry = await db.entries.get(partial.id);
    expect(entry).toMatchObject({ state: 'waiting' });
    expect(entry!.recording!.durationMs).toBe(20_000);
  });

  it('the person can choose to send an incomplete recording', async () => {
    const partial = makeRecording({ flags: ['ABORTED'] });
    await saveCheckpoint(db, ALICE, partial, { runId: 'run-1' });
    expect(await requestSend(db, partial.id, BOB)).toBe(false);
    expect(await requestSend(db, partial.id, ALICE)).toBe(true);
    const sender = newSender();
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ sent: 1 });
    expect(server.stored.has(partial.id)).toBe(true);
  });
});

describe('sending', () => {
  it('persists a recording before any network send', async () => {
    const recording = makeRecording();
    const seenDuringSend: unknown[] = [];
    server.onPost = async (id) => {
      seenDuringSend.push(await db.entries.get(id));
    };
    await saveRecording(db, ALICE, recording);
    const sender = newSender();
    sender.setUser(ALICE);
    await sender.flush();
    expect(seenDuringSend).toHaveLength(1);
    expect(seenDuringSend[0]).toMatchObject({ state: 'sending', attempts: 1, recording });
  });

  it('sends the canonical JSON with the recording’s own id and, once the server confirms the same SHA-256, drops the body but keeps the summary', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording, { now: 4000 });
    const sender = newSender({ now: () => 5000 });
    sender.setUser(ALICE);
    expect(await sender.flush()).toEqual({ sent: 1, retrying: 0, rejected: 0 });
    expect(server.posts).toEqual([{ id: recording.id, text: canonicalJson(recording) }]);
    const entry = (await db.entries.get(recording.id))!;
    expect(entry).toMatchObject({ state: 'sent', sentAt: 5000, recording: null, lastError: null });
    expect(entry.serverSha256).toBe(entry.sha256);
    expect(entry.summary.taskId).toBe('tapping');
  });

  it('keeps the body when the server answers with a different SHA-256, or with none', async () => {
    const mismatched = makeRecording();
    const unconfirmed = makeRecording();
    await saveRecording(db, ALICE, mismatched, { now: 1 });
    await saveRecording(db, ALICE, unconfirmed, { now: 2 });
    server.modes = ['wrong-hash', 'no-hash'];
    const sender = newSender();
    sender.setUser(ALICE);
    await sender.flush();
    const a = (await db.entries.get(mismatched.id))!;
    expect(a.state).toBe('sent');
    expect(a.recording).toEqual(mismatched);
    expect(a.lastError?.code).toBe('E_HASH_MISMATCH');
    const b = (await db.entries.get(unconfirmed.id))!;
    expect(b.state).toBe('sent');
    expect(b.recording).toEqual(unconfirmed);
  });

  it('resends idempotently after a crash between send and confirmation', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording);
    server.modes = ['lose-answer'];
    const first = newSender();
    first.setUser(ALICE);
    expect(await first.flush()).toMatchObject({ sent: 0, retrying: 1 });
    expect(server.stored.has(recording.id)).toBe(true);
    expect((await db.entries.get(recording.id))!.state).toBe('waiting');

    // The page reloads: a new sender finds the entry and sends the same bytes again; the server answers 200.
    first.stop();
    const second = newSender();
    second.setUser(ALICE);
    expect(await second.flush({ force: true })).toMatchObject({ sent: 1 });
    expect(server.posts.map((p) => p.id)).toEqual([recording.id, recording.id]);
    expect(server.posts[0]!.text).toBe(server.posts[1]!.text);
    expect(server.stored.size).toBe(1);
    expect((await db.entries.get(recording.id))!.state).toBe('sent');
  });

  it('sends an entry left in state sending by a page that closed mid-send', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording);
    await db.entries.update(recording.id, { state: 'sending', attempts: 1 });
    const sender = newSender();
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ sent: 1 });
    expect((await db.entries.get(recording.id))!).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('keeps a rejected recording (4xx) with the server’s message and does not send it again by itself', async () => {
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording);
    server.modes = ['invalid'];
    const sender = newSender();
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ rejected: 1 });
    const entry = (await db.entries.get(recording.id))!;
    expect(entry.state).toBe('rejected');
    expect(entry.recording).toEqual(recording);
    expect(entry.lastError).toMatchObject({
      status: 400,
      code: 'E_RECORDING_INVALID',
      message: 'The recording does not match its schema.',
    });
    await sender.flush({ force: true });
    expect(server.posts).toHaveLength(1);
    expect(await db.entries.count()).toBe(1);

    // "Retry" puts it back in line
    await requestSend(db, recording.id, ALICE);
    expect(await sender.flush()).toMatchObject({ sent: 1 });
  });

  it('on 401 keeps the entry waiting, reports needs-sign-in and stops sending', async () => {
    await saveRecording(db, ALICE, makeRecording(), { now: 1 });
    await saveRecording(db, ALICE, makeRecording(), { now: 2 });
    server.modes = ['unauthenticated'];
    const sender = newSender();
    sender.setUser(ALICE);
    const result = await sender.flush();
    expect(result).toMatchObject({ sent: 0, rejected: 0 });
    expect(server.posts).toHaveLength(1);
    expect(sender.status).toBe('needs-sign-in');
    expect((await entriesOf(db, ALICE)).every((e) => e.state === 'waiting')).toBe(true);
  });

  it('only sends entries of the signed-in user: A’s recordings wait while B is signed in', async () => {
    const a = makeRecording();
    const b = makeRecording();
    await saveRecording(db, ALICE, a);
    await saveRecording(db, BOB, b);
    const sender = newSender();
    sender.setUser(BOB);
    await sender.flush({ force: true });
    expect(server.posts.map((p) => p.id)).toEqual([b.id]);
    expect((await db.entries.get(a.id))!.state).toBe('waiting');
    expect(await entriesOf(db, BOB)).toHaveLength(1);

    sender.setUser(null);
    expect(await sender.flush({ force: true })).toMatchObject({ skipped: 'no-user' });
    sender.setUser(ALICE);
    await sender.flush();
    expect(server.posts.map((p) => p.id)).toEqual([b.id, a.id]);
  });

  it('another tab holding the fallback lease makes this tab skip; the Web Lock is used where present', async () => {
    await saveRecording(db, ALICE, makeRecording());
    await db.leases.put({ name: SENDER_LOCK, holder: 'other-tab', expiresAt: Date.now() + 60_000 });
    const sender = newSender({ tabId: 'this-tab' });
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ skipped: 'busy' });
    expect(server.posts).toHaveLength(0);

    await db.leases.put({ name: SENDER_LOCK, holder: 'other-tab', expiresAt: Date.now() - 1 });
    expect(await sender.flush()).toMatchObject({ sent: 1 });
    expect(await db.leases.get(SENDER_LOCK)).toBeUndefined();

    const names: string[] = [];
    const locks = {
      request: async (name: string, callback: () => Promise<unknown>) => {
        names.push(name);
        return callback();
      },
    } as unknown as LockManager;
    await saveRecording(db, ALICE, makeRecording());
    const locked = newSender({ locks });
    locked.setUser(ALICE);
    expect(await locked.flush()).toMatchObject({ sent: 1 });
    expect(names).toEqual([SENDER_LOCK]);
  });
});

describe('retry schedule', () => {
  it('backoffDelayMs doubles from 2 s up to the cap, with jitter between half and all of the delay', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, 0.999999))).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, 0))).toEqual([1000, 2000, 4000]);
    expect(backoffDelayMs(20, 0.999999)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelayMs(50, 0)).toBe(BACKOFF_CAP_MS / 2);
    expect(backoffDelayMs(1, 0, 30_000)).toBe(30_000);
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });

  it('retries network errors, 5xx and 429 automatically after the backoff delay (fake timers)', async () => {
    // Only the clock and timeouts are faked; fake-indexeddb keeps its real setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_000_000 });
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording, { now: Date.now() });
    server.modes = ['down', 'error-500', 'rate-limited'];
    const sender = newSender({ random: () => 0 });
    sender.setUser(ALICE);
    sender.start();
    const settle = () => sender.flush({ force: false });

    await settle();
    expect(server.posts).toHaveLength(1);
    let entry = (await db.entries.get(recording.id))!;
    expect(entry).toMatchObject({ state: 'waiting', attempts: 1 });
    expect(entry.lastError?.code).toBe('E_NETWORK');
    expect(entry.nextAttemptAt - Date.now()).toBe(backoffDelayMs(1, 0));
    expect(sender.status).toBe('offline');

    // Nothing happens before the delay is over …
    await vi.advanceTimersByTimeAsync(backoffDelayMs(1, 0) - 1);
    await settle();
    expect(server.posts).toHaveLength(1);
    // … then the timer sends again (500 this time).
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(server.posts).toHaveLength(2);
    entry = (await db.entries.get(recording.id))!;
    expect(entry).toMatchObject({ state: 'waiting', attempts: 2 });
    expect(entry.lastError?.code).toBe('E_INTERNAL');
    expect(entry.nextAttemptAt - Date.now()).toBe(backoffDelayMs(2, 0));

    // 429 with Retry-After: 30 s waits at least that long.
    await vi.advanceTimersByTimeAsync(backoffDelayMs(2, 0));
    await settle();
    expect(server.posts).toHaveLength(3);
    entry = (await db.entries.get(recording.id))!;
    expect(entry.lastError?.code).toBe('E_RATE_LIMITED');
    expect(entry.nextAttemptAt - Date.now()).toBe(30_000);

    await vi.advanceTimersByTimeAsync(30_000);
    await settle();
    expect(server.posts).toHaveLength(4);
    expect((await db.entries.get(recording.id))!.state).toBe('sent');
  });

  it('the browser coming back online sends at once, without waiting for the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_000_000 });
    const recording = makeRecording();
    await saveRecording(db, ALICE, recording, { now: Date.now() });
    server.modes = ['down'];
    const sender = newSender({ random: () => 0.5 });
    sender.setUser(ALICE);
    sender.start();
    await sender.flush();
    expect((await db.entries.get(recording.id))!.state).toBe('waiting');
    window.dispatchEvent(new Event('online'));
    await sender.flush({ force: false });
    expect(server.posts).toHaveLength(2);
    expect((await db.entries.get(recording.id))!.state).toBe('sent');
  });
});
