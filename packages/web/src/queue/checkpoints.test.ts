import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, type Recording } from '@dystrack/core';
import {
  EMPTY_SESSION_CONTEXT,
  FakeClock,
  runTask,
  sleep,
  tapping,
  TaskAbortedError,
  type CheckpointDelta,
  type TaskPlugin,
} from '@dystrack/tasks';
import { openQueueDb, type QueueDb, type QueueEntry } from './db.js';
import {
  CHECKPOINT_LOCK_PREFIX,
  configureQueue,
  createCheckpointWriter,
  entryView,
  queueEntries,
} from './index.js';
import { Sender } from './sender.js';
import {
  appendCheckpoints,
  compactCheckpoints,
  deleteEntriesOf,
  entryRecording,
  recentlyCheckpointed,
  recoverInterruptedRuns,
  requestSend,
  saveCheckpoint,
  saveRecording,
} from './store.js';
import { FakeRecordingServer } from '../test/fake-server.js';
import { makeRecording, serverSha256 } from '../test/fixtures.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const DB_NAME = 'checkpoint-test';

let factory: IDBFactory;
let db: QueueDb;

/** Opens the queue database of this test's IndexedDB again, as a page that was reloaded does. */
function reopen(): QueueDb {
  return openQueueDb(DB_NAME, { indexedDB: factory, IDBKeyRange });
}

beforeEach(() => {
  factory = new IDBFactory();
  db = reopen();
});

afterEach(() => {
  db.close();
});

/**
 * A real `runTask` run (tapping's definition, fake clock) that keeps writing awkward values: key rows
 * every 50 ms (strings, booleans, a missing i32), pen rows from second 2 on (f64 nulls, -0, NaN), a
 * flag and a param set mid-run. Aborted after `seconds`: resolves with the run's checkpoint deltas
 * and its abort recording (the whole capture, built in one piece by the runner).
 */
async function runDeltas(seconds: number): Promise<{ deltas: CheckpointDelta[]; full: Recording }> {
  const plugin: TaskPlugin = {
    definition: tapping.definition,
    simulate: tapping.simulate,
    run: async (ctx) => {
      const start = await ctx.countdown();
      ctx.mark('trial-start', start);
      const keyboard = ctx.stream('keyboard', ['type', 'timeStampMs', 'code', 'repeat', 'isComposing']);
      for (let i = 0; ; i++) {
        keyboard.str('type').push(i % 2 ? 'keyup' : 'keydown');
        keyboard.f64('timeStampMs').push(start + 50 * i + 0.005 * (i % 7));
        keyboard.str('code').push(i % 3 ? 'KeyJ' : 'KeyK');
        keyboard.bool('repeat').push(i % 11 === 0);
        keyboard.bool('isComposing').push(false);
        keyboard.endRow();
        if (i >= 40) {
          if (i === 40) {
            ctx.flag('HALF_WAY');
            ctx.setParam('halfWay', { row: i });
          }
          const pointer = ctx.stream('pointer', ['pressureNorm', 'tiltXDeg']);
          pointer.str('type').push('pointermove');
          pointer.f64('timeStampMs').push(start + 50 * i + 1);
          pointer.bool('coalesced').push(i % 2 === 0);
          pointer.i32('pointerId').push(i % 5 === 0 ? null : 3);
          pointer.str('pointerType').push('pen');
          pointer.f64('xPx').push(i % 3 === 0 ? -0 : 100.5 + i);
          pointer.f64('yPx').push(i % 4 === 0 ? Number.NaN : 1e-300 * i);
          pointer.f64('pressureNorm').push(i % 2 ? null : i / 1000);
          pointer.f64('tiltXDeg').push(undefined);
          pointer.endRow();
        }
        await sleep(ctx.clock, 50, ctx.signal);
      }
    },
  };
  const clock = new FakeClock(10_000);
  const controller = new AbortController();
  const deltas: CheckpointDelta[] = [];
  const done = runTask(plugin, {
    element: document.createElement('div'),
    hand: 'right',
    context: EMPTY_SESSION_CONTEXT,
    signal: controller.signal,
    onCheckpoint: (delta) => deltas.push(delta),
    announce: () => {},
    reducedMotion: true,
    clock,
    probe: () => ({
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: null,
      timeOriginMs: 1_790_000_000_000,
      sampleCount: 200,
      coarse: false,
    }),
    audio: () => null,
  });
  const failure = done.catch((error: unknown) => error);
  await clock.advance(3000 + seconds * 1000);
  controller.abort();
  const error = await failure;
  if (!(error instanceof TaskAbortedError) || !error.recording) throw new Error('the run was not aborted');
  return { deltas, full: error.recording };
}

/** Every number of a recording's streams with its sign, so that -0 and 0 differ when compared. */
function signed(recording: Recording | null): unknown[] {
  return Object.values(recording?.streams ?? {}).flatMap((stream) =>
    Object.values(stream.columns).flatMap((column) =>
      (column.values as unknown[]).map((v) => (Object.is(v, -0) ? '-0' : v)),
    ),
  );
}

/** Expects a recording to be `full`, value for value (sign of zero, nulls, key order). */
function expectSame(recording: Recording | null, full: Recording): void {
  expect(recording).toStrictEqual(full);
  expect(JSON.stringify(recording)).toBe(JSON.stringify(full));
  expect(signed(recording)).toStrictEqual(signed(full));
}

describe('checkpoint chunks', () => {
  it('the runner’s deltas cover awkward values: the fixture can tell a wrong assembly', async () => {
    const { deltas, full } = await runDeltas(5);
    expect(deltas.length).toBeGreaterThanOrEqual(8);
    expect(signed(full)).toContain('-0');
    expect(full.streams.pointer!.columns.yPx!.values).toContain(null);
    expect(full.flags).toEqual(['HALF_WAY', 'INCOMPLETE', 'ABORTED']);
  });

  it('are appended without copying the run: the entry is written once, recording null, no hash; read back, they assemble to the full recording', async () => {
    const { deltas, full } = await runDeltas(5);
    for (const [i, delta] of deltas.entries()) {
      await appendCheckpoints(db, ALICE, [delta], { runId: 'run-1', now: 1000 + i });
    }
    expect(await db.checkpoints.count()).toBe(deltas.length);
    const entry = (await db.entries.get(full.id))!;
    expect(entry).toMatchObject({
      state: 'incomplete',
      recording: null,
      checkpointSeq: -1,
      sha256: null,
      createdAt: 1000,
      updatedAt: 1000,
      runId: 'run-1',
    });
    // stored as the runner's typed arrays, not as arrays of numbers
    const stored = (await db.checkpoints.get([full.id, deltas.length - 1]))!;
    // (IndexedDB's structured clone gives a typed array of another realm here: its tag is compared)
    const times = stored.delta.streams.keyboard!.columns.timeStampMs!.values;
    expect(Object.prototype.toString.call(times)).toBe('[object Float64Array]');

    expectSame(await entryRecording(db, entry), full);
    expect(canonicalJson(await entryRecording(db, entry))).toBe(canonicalJson(full));
    expect(entryView(entry).hasRecording).toBe(true);
  });

  it('after a crash, start-up recovery assembles the chunks in seq order into exactly what a whole checkpoint would have been, hashed once', async () => {
    const { deltas, full } = await runDeltas(5);
    // appended in several writes, one of them a batch given out of order
    await appendCheckpoints(db, ALICE, deltas.slice(0, 2), { runId: 'run-1' });
    await appendCheckpoints(db, ALICE, deltas.slice(2, 5).reverse(), { runId: 'run-1' });
    for (const delta of deltas.slice(5)) await appendCheckpoints(db, ALICE, [delta], { runId: 'run-1' });
    // the page dies: nothing more is written; the next start opens the database again
    db.close();
    db = reopen();

    expect(await recoverInterruptedRuns(db, { now: 5000 })).toEqual([full.id]);
    const entry = (await db.entries.get(full.id))!;
    expectSame(entry.recording, full);
    expect(entry).toMatchObject({ state: 'incomplete', checkpointSeq: deltas.at(-1)!.seq, updatedAt: 5000 });
    expect(entry.sha256).toBe(serverSha256(full));
    expect(entry.summary).toMatchObject({
      durationMs: full.durationMs,
      flags: full.flags,
      byteLength: new TextEncoder().encode(canonicalJson(full)).byteLength,
    });
    expect(await db.checkpoints.count()).toBe(0);

    // the same as the whole checkpoint of before
    const whole = openQueueDb('whole', { indexedDB: new IDBFactory(), IDBKeyRange });
    await saveCheckpoint(whole, ALICE, full, { runId: 'run-1' });
    expectSame((await whole.entries.get(full.id))!.recording, entry.recording!);
    whole.close();

    // a second start finds nothing more to do
    expect(await recoverInterruptedRuns(db)).toEqual([]);
    expectSame((await db.entries.get(full.id))!.recording, full);
  });

  it('recovery refuses a gap in the chunks and keeps them, and goes on with the other runs', async () => {
    const a = await runDeltas(3);
    const b = await runDeltas(3);
    await appendCheckpoints(db, ALICE, a.deltas, { runId: 'run-a' });
    await appendCheckpoints(db, ALICE, b.deltas, { runId: 'run-b' });
    await db.checkpoints.delete([a.full.id, 2]);
    expect(await recoverInterruptedRuns(db)).toEqual([b.full.id]);
    expect((await db.entries.get(a.full.id))!.recording).toBeNull();
    expect(await db.checkpoints.where('recordingId').equals(a.full.id).count()).toBe(a.deltas.length - 1);
    expectSame((await db.entries.get(b.full.id))!.recording, b.full);
  });

  it('leaves a run that is still going alone; chunks written after an assembly are added on top of it', async () => {
    const { deltas, full } = await runDeltas(5);
    const half = Math.floor(deltas.length / 2);
    await appendCheckpoints(db, ALICE, deltas.slice(0, half), { runId: 'run-1', now: 1000 });
    expect(await recoverInterruptedRuns(db, { live: new Set([full.id]) })).toEqual([]);
    expect(await db.checkpoints.count()).toBe(half);
    // without Web Locks, a run that wrote within the last minutes counts as going on
    expect(await recentlyCheckpointed(db, 999)).toEqual(new Set([full.id]));
    expect(await recentlyCheckpointed(db, 1001)).toEqual(new Set());

    // assembled mid-run (another tab's mistaken recovery, or the person sending it): the run goes on writing
    await compactCheckpoints(db, full.id);
    expect((await db.entries.get(full.id))!.checkpointSeq).toBe(half - 1);
    await appendCheckpoints(db, ALICE, deltas.slice(half - 1), { runId: 'run-1' });
    expect(await db.checkpoints.count()).toBe(deltas.length - half);
    const entry = (await db.entries.get(full.id))!;
    expectSame(await entryRecording(db, entry), full);
    expectSame((await compactCheckpoints(db, full.id))!.recording, full);
  });

  it('the finished recording replaces the run’s chunks; chunks that arrive later are ignored', async () => {
    const { deltas, full } = await runDeltas(3);
    await appendCheckpoints(db, ALICE, deltas.slice(0, 3), { runId: 'run-1' });
    const final = { ...full, flags: [] };
    await saveRecording(db, ALICE, final, { runId: 'run-1' });
    expect(await db.checkpoints.count()).toBe(0);
    expect(await appendCheckpoints(db, ALICE, deltas.slice(3), { runId: 'run-1' })).toBeNull();
    expect(await db.checkpoints.count()).toBe(0);
    expect((await db.entries.get(full.id))!).toMatchObject({ state: 'waiting', recording: final });
  });

  it('chunks whose entry is gone (the person deleted their data on this device) are dropped at start-up', async () => {
    const { deltas, full } = await runDeltas(3);
    await appendCheckpoints(db, ALICE, deltas, { runId: 'run-1' });
    await db.entries.where('userId').equals(ALICE).delete();
    expect(await db.checkpoints.where('recordingId').equals(full.id).count()).toBe(deltas.length);
    expect(await recoverInterruptedRuns(db)).toEqual([]);
    expect(await db.checkpoints.count()).toBe(0);
  });

  it('deleting a user’s entries takes their runs’ chunks too, and leaves another user’s alone', async () => {
    const { deltas, full } = await runDeltas(3);
    await appendCheckpoints(db, ALICE, deltas, { runId: 'run-1' });
    const bobs = makeRecording();
    await saveRecording(db, BOB, bobs);
    expect(await deleteEntriesOf(db, ALICE)).toBe(1);
    expect(await db.entries.get(full.id)).toBeUndefined();
    expect(await db.checkpoints.count()).toBe(0);
    expect((await db.entries.get(bobs.id))!.userId).toBe(BOB);
  });

  it('sending an incomplete run assembles it first and sends the whole recording', async () => {
    const { deltas, full } = await runDeltas(3);
    await appendCheckpoints(db, ALICE, deltas, { runId: 'run-1' });
    expect(await requestSend(db, full.id, ALICE)).toBe(true);
    expectSame((await db.entries.get(full.id))!.recording, full);
    const server = new FakeRecordingServer();
    const sender = new Sender({ db, post: server.post, locks: null, refreshCsrf: async () => undefined });
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ sent: 1 });
    expect(server.posts.map((p) => p.text)).toEqual([canonicalJson(full)]);
    expect(server.stored.get(full.id)!.sha256).toBe(serverSha256(full));
  });
});

describe('an upload queue saved before checkpoints came in chunks', () => {
  it('opens with the chunk table added, and its whole incomplete checkpoint recovers, reads and sends as before', async () => {
    db.close();
    factory = new IDBFactory();
    // the database as the previous version of the app left it: schema version 1, one whole checkpoint
    const old = new Dexie(DB_NAME, { indexedDB: factory, IDBKeyRange });
    old.version(1).stores({ entries: 'id, userId, state, [userId+state], createdAt, runId', leases: 'name' });
    const partial = makeRecording({ flags: ['INCOMPLETE'], durationMs: 7000 });
    const stored: Omit<QueueEntry, 'checkpointSeq'> = {
      id: partial.id,
      userId: ALICE,
      recording: partial,
      summary: {
        taskId: 'tapping',
        taskVersion: '1.0.0',
        hand: 'right',
        startedAt: partial.startedAt,
        durationMs: 7000,
        flags: ['INCOMPLETE'],
        byteLength: 0,
      },
      sha256: null,
      serverSha256: null,
      state: 'incomplete',
      attempts: 0,
      lastError: null,
      createdAt: 1,
      updatedAt: 1,
      sentAt: null,
      nextAttemptAt: 1,
      runId: 'old-run',
      kept: false,
    };
    await old.table('entries').put(stored);
    old.close();

    db = reopen();
    await db.open();
    expect(db.verno).toBe(2);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['checkpoints', 'entries', 'leases']);
    expect(await recoverInterruptedRuns(db)).toEqual([]);
    const entry = (await db.entries.get(partial.id))!;
    expect(entry).toStrictEqual(stored);
    expect(entryView(entry).hasRecording).toBe(true);
    expect(await entryRecording(db, entry)).toStrictEqual(partial);

    // a new run checkpoints beside it, and the old one can still be sent
    const { deltas, full } = await runDeltas(2);
    await appendCheckpoints(db, ALICE, deltas, { runId: 'new-run' });
    expectSame(await entryRecording(db, (await db.entries.get(full.id))!), full);
    expect(await requestSend(db, partial.id, ALICE)).toBe(true);
    const server = new FakeRecordingServer();
    const sender = new Sender({ db, post: server.post, locks: null, refreshCsrf: async () => undefined });
    sender.setUser(ALICE);
    expect(await sender.flush()).toMatchObject({ sent: 1 });
    expect(server.posts.map((p) => p.text)).toEqual([canonicalJson(partial)]);
  });
});

describe('the checkpoint writer of a run', () => {
  beforeEach(() => {
    configureQueue({ db });
  });

  it('stores every delta pushed, in order, and on close({ assemble }) leaves the whole incomplete recording', async () => {
    const { deltas, full } = await runDeltas(4);
    const writer = createCheckpointWriter(ALICE, 'run-1');
    // pushed faster than they are written: later ones wait for the write in flight, none is dropped
    for (const delta of deltas) writer.push(delta);
    await writer.close({ assemble: true });
    expect(writer.lastError).toBeNull();
    const entry = (await db.entries.get(full.id))!;
    expectSame(entry.recording, full);
    expect(await db.checkpoints.count()).toBe(0);
    const [listed] = await queueEntries(ALICE);
    expectSame(listed!.recording, full);
  });

  it('holds the run’s Web Lock from before its first chunk until it is closed (start-up recovery of other tabs skips it)', async () => {
    const { deltas } = await runDeltas(2);
    const held = new Set<string>();
    const seenAtFirstChunk: string[][] = [];
    Object.defineProperty(navigator, 'locks', {
      configurable: true,
      value: {
        request: async (name: string, callback: () => Promise<unknown>) => {
          held.add(name);
          try {
            return await callback();
          } finally {
            held.delete(name);
          }
        },
      },
    });
    db.checkpoints.hook('creating', () => {
      seenAtFirstChunk.push([...held]);
    });
    try {
      const writer = createCheckpointWriter(ALICE, 'run-1');
      for (const delta of deltas) writer.push(delta);
      await writer.close();
      expect(seenAtFirstChunk[0]).toEqual([`${CHECKPOINT_LOCK_PREFIX}${deltas[0]!.id}`]);
      expect(seenAtFirstChunk).toHaveLength(deltas.length);
      expect(held.size).toBe(0);
    } finally {
      Reflect.deleteProperty(navigator, 'locks');
    }
  });

  it('keeps the deltas of a failed write and stores them with the next one', async () => {
    const { deltas, full } = await runDeltas(4);
    let failures = 1;
    db.checkpoints.hook('creating', () => {
      if (failures-- > 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const writer = createCheckpointWriter(ALICE, 'run-1');
    writer.push(deltas[0]!);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(String(writer.lastError)).toMatch(/quota/);
    expect(await db.checkpoints.count()).toBe(0);
    for (const delta of deltas.slice(1)) writer.push(delta);
    await writer.close();
    expect(writer.lastError).toBeNull();
    expect(await db.checkpoints.count()).toBe(deltas.length);
    // read while the run's chunks are not assembled: what end-to-end tests and the recordings page see
    const [listed] = await queueEntries(ALICE);
    expectSame(listed!.recording, full);
  });
});
