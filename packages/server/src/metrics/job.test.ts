import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  ANALYSIS_VERSION,
  CodedError,
  RECORDING_SCHEMAS,
  recordingSetupKey,
  type AnalysisOutput,
  type TaskId,
} from '@dystrack/core';
import { createUser } from '../auth/users.js';
import type { Db } from '../db/database.js';
import { metricRuns, metricValues } from '../db/schema.js';
import { prepareRecording } from '../recordings/prepare.js';
import { eraseRecording, storeRecording } from '../recordings/store.js';
import { signedInClient } from '../test-utils/signed-in.js';
import { createTestDatabase } from '../test-utils/test-database.js';
import type { Database } from '../db/database.js';
import type { MetricsAnalyzer } from './analyzer.js';
import { MetricsJob } from './job.js';
import { recomputeMetrics } from './recompute.js';
import { recordingsToAnalyse, saveMetrics } from './store.js';
import { createMetricsTestApp, typingRecording } from './test-utils/fixtures.js';

type MetricsApp = Awaited<ReturnType<typeof createMetricsTestApp>>;

/** One database for the job tests (each test has its own patients); apps are built on it one at a time. */
let database: Database;
let apps: MetricsApp[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const t of apps) await t.closeApp();
  apps = [];
});
afterAll(() => database.close());

async function app(options: Parameters<typeof createMetricsTestApp>[0] = {}): Promise<MetricsApp> {
  const t = await createMetricsTestApp({ database, ...options });
  apps.push(t);
  // settle the start-up scan (recordings other tests left without metrics of this version)
  await t.job.drain();
  Object.assign(t.job.stats, { ok: 0, failed: 0, gone: 0, gaveUp: 0 });
  return t;
}

async function valuesOf(db: Db, recordingId: string, version = ANALYSIS_VERSION) {
  const rows = await db
    .select()
    .from(metricValues)
    .where(and(eq(metricValues.recordingId, recordingId), eq(metricValues.analysisVersion, version)));
  return Object.fromEntries(rows.map((row) => [row.metricId, row]));
}

async function runOf(db: Db, recordingId: string, version = ANALYSIS_VERSION) {
  const rows = await db
    .select()
    .from(metricRuns)
    .where(and(eq(metricRuns.recordingId, recordingId), eq(metricRuns.analysisVersion, version)));
  return rows[0] ?? null;
}

/** A fake analysis: `x_ms` = the recording's byte length, counting its calls. */
function fakeAnalyzer(options: { version?: string; fail?: (calls: number) => Error | null } = {}) {
  const calls: string[] = [];
  const analyzer: MetricsAnalyzer = {
    version: options.version ?? ANALYSIS_VERSION,
    analyze: ({ taskId, content }): AnalysisOutput => {
      calls.push(taskId);
      const error = options.fail?.(calls.length);
      if (error) throw error;
      return {
        task: taskId as TaskId,
        analysis_version: options.version ?? ANALYSIS_VERSION,
        metrics: { x_ms: content.length, y_ms: null },
        quality_flags: ['NOMINAL_SCALE'],
      };
    },
    definitions: () => [
      {
        id: 'x_ms',
        task: 'typing',
        unit: 'ms',
        definition: 'test',
        citation: 'test',
        version: '2.1.0',
        origin: 'measures',
        direction: 'higher-worse',
        logScale: false,
      },
    ],
  };
  return { analyzer, calls };
}

describe('metrics job', () => {
  it('computes the metrics of an upload after the 201 with the core analysis (typing, known hold times)', async () => {
    const t = await app();
    const alice = await signedInClient(t);
    const recording = typingRecording({ holdMs: 90, presses: 40 });
    const response = await alice.client.post('/api/v1/recordings', recording);
    expect(response.statusCode).toBe(201);
    await t.job.drain();

    const run = await runOf(t.database.db, recording.id);
    expect(run).toMatchObject({ status: 'ok', errorCode: null, patientId: alice.user.id });
    expect(run!.setupKey).toBe(recordingSetupKey(recording));
    const values = await valuesOf(t.database.db, recording.id);
    expect(values.hold_time_median_ms?.value).toBe(90);
    expect(values.keystroke_count?.value).toBe(40);
    expect(values.iki_median_ms?.value).toBe(200);
    expect(values.flight_time_median_ms?.value).toBe(110);
    expect(values.hold_time_median_ms).toMatchObject({ metricVersion: '1.0.0', patientId: alice.user.id });
    expect(t.job.stats).toMatchObject({ ok: 1, failed: 0 });

    // uploading the same recording again (200) queues nothing new
    expect((await alice.client.post('/api/v1/recordings', recording)).statusCode).toBe(200);
    await t.job.drain();
    expect(t.job.stats.ok).toBe(1);
  });

  it('stores the values, flags and metric versions of the analyzer, one row per metric', async () => {
    const { analyzer } = fakeAnalyzer();
    const t = await app({ analyzer });
    const alice = await signedInClient(t);
    const recording = typingRecording();
    await alice.client.post('/api/v1/recordings', recording);
    await t.job.drain();
    const values = await valuesOf(t.database.db, recording.id);
    expect(Object.keys(values).sort()).toEqual(['x_ms', 'y_ms']);
    expect(values.x_ms).toMatchObject({ metricVersion: '2.1.0', flags: ['NOMINAL_SCALE'] });
    expect(values.x_ms!.value).toBeGreaterThan(1000);
    expect(values.y_ms).toMatchObject({ value: null, metricVersion: '0.0.0' });
  });

  it('records a recording the analysis refuses as a failed run and does not try it again', async () => {
    const { analyzer, calls } = fakeAnalyzer({
      fail: () => new CodedError('E_TOO_FEW_EVENTS', 'only 3 keystrokes'),
    });
    const t = await app({ analyzer });
    const alice = await signedInClient(t);
    const recording = typingRecording();
    await alice.client.post('/api/v1/recordings', recording);
    await t.job.drain();
    expect(await runOf(t.database.db, recording.id)).toMatchObject({
      status: 'failed',
      errorCode: 'E_TOO_FEW_EVENTS',
      errorMessage: 'only 3 keystrokes',
    });
    expect(await valuesOf(t.database.db, recording.id)).toEqual({});
    const missing = await recordingsToAnalyse(t.database.db, ANALYSIS_VERSION);
    expect(missing.map((r) => r.recordingId)).not.toContain(recording.id);
    await t.job.queueMissing();
    await t.job.drain();
    expect(calls).toHaveLength(1);
    expect(t.job.stats).toMatchObject({ ok: 0, failed: 1 });
  });

  it('records an analysis that crashes as E_INTERNAL, also without retrying', async () => {
    const { analyzer, calls } = fakeAnalyzer({ fail: () => new TypeError('x is undefined') });
    const t = await app({ analyzer });
    const alice = await signedInClient(t);
    const recording = typingRecording();
    await alice.client.post('/api/v1/recordings', recording);
    await t.job.drain();
    expect(await runOf(t.database.db, recording.id)).toMatchObject({
      status: 'failed',
      errorCode: 'E_INTERNAL',
    });
    expect(calls).toHaveLength(1);
  });

  it('retries a database error and then stores; gives up after maxAttempts and leaves the recording for the next start', async () => {
    const alice = await storedRecording(database.db);
    let failures = 2;
    const flaky = Object.create(database.db) as Db;
    flaky.transaction = ((...args: Parameters<Db['transaction']>) => {
      if (failures-- > 0) return Promise.reject(new Error('connection reset'));
      return database.db.transaction(...args);
    }) as Db['transaction'];
    const { analyzer, calls } = fakeAnalyzer();
    const job = new MetricsJob(flaky, { analyzer, maxAttempts: 3, retryDelayMs: () => 1 });
    job.enqueue(alice);
    await job.drain();
    expect(calls).toHaveLength(3);
    expect(job.stats).toMatchObject({ ok: 1, gaveUp: 0 });
    expect(await runOf(database.db, alice.recordingId)).toMatchObject({ status: 'ok' });

    // a database that stays down: given up after 3 tries, nothing stored, found again by the next start
    const bob = await storedRecording(database.db);
    failures = Infinity;
    job.enqueue(bob);
    await job.drain();
    expect(job.stats.gaveUp).toBe(1);
    expect(await runOf(database.db, bob.recordingId)).toBeNull();
    await job.close();
    const next = new MetricsJob(database.db, { analyzer });
    expect(await next.queueMissing()).toBeGreaterThanOrEqual(1);
    await next.drain();
    expect(await runOf(database.db, bob.recordingId)).toMatchObject({ status: 'ok' });
  });

  it('analyses a burst of uploads in batches: one load and one transaction per batch', async () => {
    const refs = [];
    for (let i = 0; i < 70; i++) refs.push(await storedRecording(database.db));
    let transactions = 0;
    const counting = Object.create(database.db) as Db;
    counting.transaction = ((...args: Parameters<Db['transaction']>) => {
      transactions++;
      return database.db.transaction(...args);
    }) as Db['transaction'];
    const { analyzer, calls } = fakeAnalyzer();
    const job = new MetricsJob(counting, { analyzer, batchSize: 32 });
    for (const ref of refs) job.enqueue(ref);
    await job.drain();
    expect(calls).toHaveLength(70);
    expect(transactions).toBe(3); // 32 + 32 + 6
    expect(job.stats).toMatchObject({ ok: 70, gaveUp: 0 });
    for (const ref of refs) {
      expect(await runOf(database.db, ref.recordingId)).toMatchObject({
        status: 'ok',
        patientId: ref.patientId,
      });
      expect(Object.keys(await valuesOf(database.db, ref.recordingId)).sort()).toEqual(['x_ms', 'y_ms']);
    }
  });

  it('gives way to requests while the server is busy: waits 3× each batch’s time after it, and still analyses everything', async () => {
    const refs = [];
    for (let i = 0; i < 40; i++) refs.push(await storedRecording(database.db));
    const { analyzer, calls } = fakeAnalyzer();
    // a clock that advances 10 ms per reading: each batch takes 10 ms as the job measures it
    let clock = 0;
    const pauses: number[] = [];
    let busy = true;
    const job = new MetricsJob(database.db, {
      analyzer,
      batchSize: 16,
      now: () => (clock += 10) - 10,
      pause: async (ms) => {
        pauses.push(ms);
        busy = false; // the burst of requests is over after the first batch
      },
    });
    job.yieldTo(() => busy);
    for (const ref of refs) job.enqueue(ref);
    await job.drain();
    expect(calls).toHaveLength(40);
    expect(job.stats).toMatchObject({ ok: 40, gaveUp: 0 });
    // busy after the first batch only: one pause of 3 × 10 ms (a quarter of the time for the analysis)
    expect(pauses).toEqual([30]);
  });

  it('a recording that cannot be stored does not hold up its batch: the others are stored, it is retried alone', async () => {
    const refs = [];
    for (let i = 0; i < 5; i++) refs.push(await storedRecording(database.db));
    const poison = refs[2]!;
    // the database refuses a metric id with a NUL character: every transaction holding it fails
    const { analyzer: base } = fakeAnalyzer();
    const analyzer: MetricsAnalyzer = {
      ...base,
      analyze: (recording) => {
        const out = base.analyze(recording);
        return recording.content.includes(poison.recordingId)
          ? { ...out, metrics: { ...out.metrics, 'bad\u0000id': 1 } }
          : out;
      },
    };
    const job = new MetricsJob(database.db, { analyzer, maxAttempts: 2, retryDelayMs: () => 1 });
    for (const ref of refs) job.enqueue(ref);
    await job.drain();
    expect(job.stats).toMatchObject({ ok: 4, gaveUp: 1 });
    for (const ref of refs) {
      const run = await runOf(database.db, ref.recordingId);
      if (ref === poison) expect(run).toBeNull();
      else expect(run).toMatchObject({ status: 'ok' });
    }
  });

  it('a batch holding a recording erased meanwhile stores the others and counts it as gone', async () => {
    const refs = [await storedRecording(database.db), await storedRecording(database.db)];
    const { analyzer } = fakeAnalyzer();
    await eraseRecording(database.db, refs[0]!.patientId, refs[0]!.recordingId);
    const job = new MetricsJob(database.db, { analyzer });
    for (const ref of refs) job.enqueue(ref);
    await job.drain();
    expect(job.stats).toMatchObject({ ok: 1, gone: 1 });
    expect(await runOf(database.db, refs[0]!.recordingId)).toBeNull();
    expect(await runOf(database.db, refs[1]!.recordingId)).toMatchObject({ status: 'ok' });
  });

  it('does not store a recording under another patient: a reference with the wrong owner is gone', async () => {
    const [alice, bob] = [await storedRecording(database.db), await storedRecording(database.db)];
    const { analyzer } = fakeAnalyzer();
    const job = new MetricsJob(database.db, { analyzer });
    job.enqueue({ patientId: bob.patientId, recordingId: alice.recordingId });
    await job.drain();
    expect(job.stats).toMatchObject({ ok: 0, gone: 1 });
    expect(await runOf(database.db, alice.recordingId)).toBeNull();
  });

  it('queues a recording once even when asked twice', async () => {
    const ref = await storedRecording(database.db);
    const { analyzer, calls } = fakeAnalyzer();
    const job = new MetricsJob(database.db, { analyzer });
    job.enqueue(ref);
    job.enqueue(ref);
    await job.drain();
    expect(calls).toHaveLength(1);
  });

  it('after a restart, computes the metrics of recordings stored while no job ran (e.g. a crash after the 201)', async () => {
    const first = await app();
    const alice = await signedInClient(first);
    const uploaded = typingRecording({ holdMs: 120 });
    expect((await alice.client.post('/api/v1/recordings', uploaded)).statusCode).toBe(201);
    await first.job.drain();
    const uploadedRun = await runOf(database.db, uploaded.id);
    // the crash: the second recording is stored, but the process dies before its metrics are computed
    await first.closeApp();
    apps = [];
    const lost = typingRecording({ holdMs: 95 });
    await storeRecording(database.db, prepareRecording(lost, RECORDING_SCHEMAS), {
      patientId: alice.user.id,
      uploadedBy: alice.user.id,
    });
    expect(await runOf(database.db, lost.id)).toBeNull();

    const second = await createMetricsTestApp({ database });
    apps.push(second);
    await second.job.drain();
    expect((await valuesOf(database.db, lost.id)).hold_time_median_ms?.value).toBe(95);
    expect((await valuesOf(database.db, uploaded.id)).hold_time_median_ms?.value).toBe(120);
    // the one that had its metrics was not computed again
    expect(await runOf(database.db, uploaded.id)).toEqual(uploadedRun);
  });

  it('erasing a recording deletes its metric values and run, and leaves other recordings alone', async () => {
    const t = await app();
    const alice = await signedInClient(t);
    const erased = typingRecording();
    const kept = typingRecording();
    await alice.client.post('/api/v1/recordings', erased);
    await alice.client.post('/api/v1/recordings', kept);
    await t.job.drain();
    expect(Object.keys(await valuesOf(t.database.db, erased.id)).length).toBeGreaterThan(0);
    expect((await alice.client.delete(`/api/v1/recordings/${erased.id}`)).statusCode).toBe(204);
    expect(await valuesOf(t.database.db, erased.id)).toEqual({});
    expect(await runOf(t.database.db, erased.id)).toBeNull();
    expect(Object.keys(await valuesOf(t.database.db, kept.id)).length).toBeGreaterThan(0);
    // and the job never stores metrics of an erased recording (the erasure came first)
    const { analyzer } = fakeAnalyzer();
    const computed = {
      status: 'ok' as const,
      values: [{ metricId: 'x_ms', metricVersion: '1', value: 1 }],
      flags: [],
      setupKey: null,
      error: null,
    };
    expect(
      await saveMetrics(t.database.db, analyzer.version, [
        { ref: { patientId: alice.user.id, recordingId: erased.id }, computed },
      ]),
    ).toEqual(new Set([erased.id]));
    expect(await valuesOf(t.database.db, erased.id)).toEqual({});
  });

  it('erasure by SQL (any path) deletes the metric rows too: the trigger, not the route, does it', async () => {
    const ref = await storedRecording(database.db);
    const { analyzer } = fakeAnalyzer();
    const job = new MetricsJob(database.db, { analyzer });
    job.enqueue(ref);
    await job.drain();
    expect(await runOf(database.db, ref.recordingId)).not.toBeNull();
    await eraseRecording(database.db, ref.patientId, ref.recordingId);
    expect(await runOf(database.db, ref.recordingId)).toBeNull();
    expect(await valuesOf(database.db, ref.recordingId)).toEqual({});
  });
});

describe('recomputeMetrics', () => {
  it('computes missing recordings for the current version and keeps the rows of older versions', async () => {
    const own = await createTestDatabase();
    onTestFinished(() => own.close());
    const db = own.db;
    const ref = await storedRecording(db);
    const old = fakeAnalyzer({ version: '0.9.0' });
    expect(await recomputeMetrics(db, { analyzer: old.analyzer })).toMatchObject({
      total: 1,
      ok: 1,
    });
    const oldRows = await valuesOf(db, ref.recordingId, '0.9.0');
    expect(Object.keys(oldRows).sort()).toEqual(['x_ms', 'y_ms']);

    const current = fakeAnalyzer({ version: '1.1.0' });
    const progress: string[] = [];
    const summary = await recomputeMetrics(db, {
      analyzer: current.analyzer,
      onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.outcome}`),
    });
    expect(summary).toMatchObject({ analysisVersion: '1.1.0', total: 1, ok: 1, failed: 0 });
    expect(progress).toEqual(['1/1 ok']);
    expect(Object.keys(await valuesOf(db, ref.recordingId, '1.1.0')).sort()).toEqual(['x_ms', 'y_ms']);
    expect(await valuesOf(db, ref.recordingId, '0.9.0')).toEqual(oldRows);

    // nothing left to do for 1.1.0; --all recomputes it, replacing only 1.1.0's rows
    expect((await recomputeMetrics(db, { analyzer: current.analyzer })).total).toBe(0);
    const failing = fakeAnalyzer({ version: '1.1.0', fail: () => new CodedError('E_TOO_FEW_EVENTS') });
    const again = await recomputeMetrics(db, { analyzer: failing.analyzer, all: true });
    expect(again).toMatchObject({ total: 1, ok: 0, failed: 1, failures: { E_TOO_FEW_EVENTS: 1 } });
    expect(await valuesOf(db, ref.recordingId, '1.1.0')).toEqual({});
    expect(await runOf(db, ref.recordingId, '1.1.0')).toMatchObject({ status: 'failed' });
    expect(await valuesOf(db, ref.recordingId, '0.9.0')).toEqual(oldRows);

    // --task limits it to one task
    expect(
      (await recomputeMetrics(db, { analyzer: current.analyzer, all: true, task: 'tapping' })).total,
    ).toBe(0);
    expect(
      (await recomputeMetrics(db, { analyzer: current.analyzer, all: true, task: 'typing' })).total,
    ).toBe(1);
  });
});

/** A typing recording stored directly (as a crashed server would leave it), by a new patient. */
async function storedRecording(db: Db): Promise<{ patientId: string; recordingId: string }> {
  const user = await createUser(db, {
    username: `p-${randomUUID().slice(0, 8)}`,
    password: 'correct horse battery staple',
    displayName: 'P',
    role: 'patient',
    approved: false,
  });
  const recording = typingRecording();
  await storeRecording(db, prepareRecording(recording, RECORDING_SCHEMAS), {
    patientId: user.id,
    uploadedBy: user.id,
  });
  return { patientId: user.id, recordingId: recording.id };
}
