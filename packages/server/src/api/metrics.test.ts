import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import {
  analyzeRecording,
  ANALYSIS_VERSION,
  RECORDING_SCHEMAS,
  type AnalysisOutput,
  type MetricDefinition,
} from '@dystrack/core';
import { auditLog, metricValues } from '../db/schema.js';
import type { MetricsAnalyzer } from '../metrics/analyzer.js';
import { coreAnalyzer } from '../metrics/analyzer.js';
import { createMetricsTestApp, typingRecording } from '../metrics/test-utils/fixtures.js';
import { prepareRecording } from '../recordings/prepare.js';
import { storeRecording } from '../recordings/store.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';

type MetricsApp = Awaited<ReturnType<typeof createMetricsTestApp>>;

const day = (d: number) => new Date(Date.UTC(2026, 0, 5 + d, 9, 0)).toISOString();

/** t(0.975, 2)·√(1 + 1/3) — the SDC95 multiplier for 3 baseline sessions (closed form of t for df = 2). */
const SDC_MULTIPLIER_3 = (0.95 / Math.sqrt(2 * 0.975 * 0.025)) * Math.sqrt(4 / 3);

describe('metrics API (core analysis)', () => {
  let t: MetricsApp;
  let alice: SignedIn;
  let bob: SignedIn;
  beforeAll(async () => {
    t = await createMetricsTestApp();
    alice = await signedInClient(t);
    bob = await signedInClient(t);
  });
  afterAll(() => t.close());

  async function upload(who: SignedIn, recording: ReturnType<typeof typingRecording>) {
    const response = await who.client.post('/api/v1/recordings', recording);
    expect(response.statusCode).toBe(201);
    return recording;
  }

  describe('GET /api/v1/recordings/:id/metrics', () => {
    it('gives the owner the current version’s values with their definitions and flags', async () => {
      const recording = await upload(alice, typingRecording({ holdMs: 90 }));
      await t.job.drain();
      const response = await alice.client.get(`/api/v1/recordings/${recording.id}/metrics`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        recordingId: recording.id,
        taskId: 'typing',
        hand: 'both',
        analysisVersion: ANALYSIS_VERSION,
        status: 'ok',
        error: null,
      });
      expect(Date.parse(body.computedAt)).not.toBeNaN();
      const byId = Object.fromEntries(body.metrics.map((m: { id: string }) => [m.id, m]));
      expect(byId.hold_time_median_ms).toMatchObject({
        value: 90,
        metricVersion: '1.0.0',
        definition: { id: 'hold_time_median_ms', task: 'typing', unit: 'ms', direction: 'higher-worse' },
      });
      expect(byId.keystroke_count.value).toBe(40);
      // every metric of the typing catalogue has a row (null where not computable)
      expect(body.metrics.map((m: { id: string }) => m.id).sort()).toEqual(
        coreAnalyzer
          .definitions('typing')
          .map((d) => d.id)
          .sort(),
      );
    });

    it('gives the same numbers and flags as the browser’s analysis of the recording (core analyzeRecording)', async () => {
      const recording = await upload(alice, typingRecording({ uneven: true, presses: 120 }));
      await t.job.drain();
      const body = (await alice.client.get(`/api/v1/recordings/${recording.id}/metrics`)).json();
      const browser = analyzeRecording(recording);
      const server = Object.fromEntries(
        body.metrics.map((m: { id: string; value: number | null }) => [m.id, m.value]),
      );
      expect(server).toEqual(browser.metrics);
      expect(new Set(Object.values(server).filter((v) => v !== null)).size).toBeGreaterThan(10);
      const run = await t.database.db
        .select()
        .from(metricValues)
        .where(eq(metricValues.recordingId, recording.id));
      expect([...new Set(run.flatMap((row) => row.flags))].sort()).toEqual([...browser.quality_flags].sort());
    });

    it('is pending until the job has run (a recording stored outside the upload route)', async () => {
      const recording = typingRecording();
      await storeRecording(t.database.db, prepareRecording(recording, RECORDING_SCHEMAS), {
        patientId: alice.user.id,
        uploadedBy: alice.user.id,
      });
      const response = await alice.client.get(`/api/v1/recordings/${recording.id}/metrics`);
      expect(response.json()).toMatchObject({ status: 'pending', metrics: [], computedAt: null });
    });

    it('answers 404 to anyone but the owner, as for an unknown id, and audits the attempt', async () => {
      const recording = await upload(alice, typingRecording());
      await t.job.drain();
      const response = await bob.client.get(`/api/v1/recordings/${recording.id}/metrics`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'E_NOT_FOUND' });
      const unknown = await bob.client.get(`/api/v1/recordings/${crypto.randomUUID()}/metrics`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual(response.json());
      const [audit] = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actorId, bob.user.id), eq(auditLog.resource, recording.id)));
      expect(audit).toMatchObject({
        action: 'recording.read',
        patientId: alice.user.id,
        status: 404,
        details: { denied: 'forbidden' },
      });
      expect((await t.client().get(`/api/v1/recordings/${recording.id}/metrics`)).statusCode).toBe(401);
    });

    it('audits the owner’s read, and answers 410 once the recording is erased (its metrics are gone)', async () => {
      const recording = await upload(alice, typingRecording());
      await t.job.drain();
      expect((await alice.client.get(`/api/v1/recordings/${recording.id}/metrics`)).statusCode).toBe(200);
      const [read] = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actorId, alice.user.id), eq(auditLog.resource, recording.id)))
        .orderBy(desc(auditLog.id));
      expect(read).toMatchObject({ action: 'recording.read', patientId: alice.user.id, status: 200 });
      expect((await alice.client.delete(`/api/v1/recordings/${recording.id}`)).statusCode).toBe(204);
      const erased = await alice.client.get(`/api/v1/recordings/${recording.id}/metrics`);
      expect(erased.statusCode).toBe(410);
      expect(erased.json()).toMatchObject({ code: 'E_RECORDING_ERASED' });
    });
  });

  describe('GET /api/v1/metrics/:metricId/series', () => {
    it('gives the series of one hand with the change of the latest session against the baseline', async () => {
      const carol = await signedInClient(t);
      // baseline 90, 100, 110 ms (mean 100, S_w 10), then 160 ms: +60 > SDC95 = 49.68 → a reliable change
      for (const [i, holdMs] of [90, 100, 110, 160].entries())
        await upload(carol, typingRecording({ holdMs, startedAt: day(i), hand: 'right' }));
      // another hand, not in the series
      await upload(carol, typingRecording({ holdMs: 500, startedAt: day(9), hand: 'left' }));
      await t.job.drain();

      const response = await carol.client.get('/api/v1/metrics/hold_time_median_ms/series?hand=right');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.metric).toMatchObject({ id: 'hold_time_median_ms', task: 'typing', logScale: false });
      expect(body).toMatchObject({ hand: 'right', analysisVersion: ANALYSIS_VERSION });
      expect(body.points.map((p: { value: number; startedAt: string }) => [p.value, p.startedAt])).toEqual([
        [90, day(0)],
        [100, day(1)],
        [110, day(2)],
        [160, day(3)],
      ]);
      expect(
        body.points.every((p: { excluded: boolean; segment: number }) => !p.excluded && p.segment === 0),
      ).toBe(true);
      const { change } = body;
      expect(change).toMatchObject({
        basis: 'personal',
        scale: 'linear',
        change: 60,
        changeIsReliable: true,
        direction: 'worse',
        baseline: { mean: 100, value: 100, n: 3, withinSd: 10, excludedFlagged: 0, source: 'segment-start' },
      });
      expect(change.baseline.sessions).toEqual(
        body.points.slice(0, 3).map((p: { recordingId: string }) => p.recordingId),
      );
      expect(change.sdc95).toBeCloseTo(SDC_MULTIPLIER_3 * 10, 10);
      expect(change.current).toMatchObject({ value: 160, time: day(3), excluded: false });
      expect(change.wording.caution).toMatch(/not a diagnosis/);

      // the read is audited as the patient's own list, naming the metric
      const [audit] = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.actorId, carol.user.id))
        .orderBy(desc(auditLog.id))
        .limit(1);
      expect(audit).toMatchObject({
        action: 'recording.list',
        patientId: carol.user.id,
        resource: 'metric:typing/hold_time_median_ms/right',
        status: 200,
      });
    });

    it('starts a new segment at a change of protocol: copy text and drills are not compared', async () => {
      const erin = await signedInClient(t);
      const modes = ['copy', 'copy', 'drill', 'drill'];
      for (const [i, mode] of modes.entries())
        await upload(
          erin,
          typingRecording({ holdMs: 90 + i, startedAt: day(i), hand: 'right', params: { mode, text: 'en' } }),
        );
      await t.job.drain();
      const body = (await erin.client.get('/api/v1/metrics/hold_time_median_ms/series?hand=right')).json();
      expect(body.points.map((p: { segment: number }) => p.segment)).toEqual([0, 0, 1, 1]);
      expect(body.points[2].setupKey).toMatch(/mode="drill"/);
      // the latest drill session is judged against the drill session only
      expect(body.change.baseline.sessions).toEqual([body.points[2].recordingId]);
    });

    it('leaves flagged sessions out and starts a new segment at a change of device', async () => {
      const dan = await signedInClient(t);
      const sessions = [
        { holdMs: 90, device: 'Keyboard A' },
        { holdMs: 95, device: 'Keyboard A', flags: ['ABORTED'] },
        { holdMs: 100, device: 'Keyboard A' },
        { holdMs: 200, device: 'Keyboard B' },
        { holdMs: 210, device: 'Keyboard B' },
        { holdMs: 999, device: 'Keyboard B', flags: ['ABORTED'] },
      ];
      for (const [i, s] of sessions.entries())
        await upload(
          dan,
          typingRecording({
            holdMs: s.holdMs,
            startedAt: day(i),
            hand: 'right',
            inputDevice: s.device,
            ...(s.flags ? { flags: s.flags } : {}),
          }),
        );
      await t.job.drain();
      const body = (await dan.client.get('/api/v1/metrics/hold_time_median_ms/series?hand=right')).json();
      expect(body.points.map((p: { segment: number; excluded: boolean }) => [p.segment, p.excluded])).toEqual(
        [
          [0, false],
          [0, true],
          [0, false],
          [1, false],
          [1, false],
          [1, true],
        ],
      );
      expect(body.points[1].flags).toContain('ABORTED');
      // the aborted last attempt is not judged: the latest usable session (210 on keyboard B) is, and it has
      // one baseline session on keyboard B; typing has no published MDC, so no change can be called
      expect(body.change.current).toMatchObject({
        id: body.points[4].recordingId,
        value: 210,
        excluded: false,
      });
      expect(body.change).toMatchObject({
        basis: 'insufficient',
        change: 10,
        changeIsReliable: false,
        direction: 'no reliable change',
        baseline: { n: 1, mean: 200, excludedOtherSetup: 3 },
      });
    });

    it('is the caller’s own series only: another patient’s values never appear', async () => {
      const erin = await signedInClient(t);
      const body = (await erin.client.get('/api/v1/metrics/hold_time_median_ms/series?hand=right')).json();
      expect(body.points).toEqual([]);
      expect(body.change).toMatchObject({ basis: 'insufficient', current: null, change: null });
    });

    it('refuses an unknown metric (404), a missing or bad hand (400), and no session (401)', async () => {
      const unknown = await alice.client.get('/api/v1/metrics/no_such_metric_ms/series?hand=right');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({
        code: 'E_NOT_FOUND',
        details: { metricId: 'no_such_metric_ms' },
      });
      expect((await alice.client.get('/api/v1/metrics/hold_time_median_ms/series')).json()).toMatchObject({
        code: 'E_VALIDATION',
      });
      expect((await alice.client.get('/api/v1/metrics/hold_time_median_ms/series?hand=up')).statusCode).toBe(
        400,
      );
      const wrongTask = await alice.client.get(
        '/api/v1/metrics/hold_time_median_ms/series?hand=right&task=tremor',
      );
      expect(wrongTask.statusCode).toBe(404);
      expect((await t.client().get('/api/v1/metrics/hold_time_median_ms/series?hand=right')).statusCode).toBe(
        401,
      );
    });
  });

  describe('GET /api/v1/metrics/overview', () => {
    it('lists the task, metric and hand of every value the caller has, with counts and dates, and nothing else', async () => {
      const frank = await signedInClient(t);
      const empty = (await frank.client.get('/api/v1/metrics/overview')).json();
      expect(empty).toEqual({ analysisVersion: ANALYSIS_VERSION, items: [] });
      for (const [i, holdMs] of [90, 100, 110].entries())
        await upload(frank, typingRecording({ holdMs, startedAt: day(i), hand: 'right' }));
      await upload(frank, typingRecording({ holdMs: 120, startedAt: day(5), hand: 'left' }));
      // another patient's sessions never appear
      await upload(bob, typingRecording({ holdMs: 100, startedAt: day(1), hand: 'both' }));
      await t.job.drain();

      const response = await frank.client.get('/api/v1/metrics/overview');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const hold = body.items.filter((item: { metricId: string }) => item.metricId === 'hold_time_median_ms');
      expect(hold).toEqual([
        expect.objectContaining({ task: 'typing', hand: 'left', sessions: 1, first: day(5), last: day(5) }),
        expect.objectContaining({ task: 'typing', hand: 'right', sessions: 3, first: day(0), last: day(2) }),
      ]);
      expect(hold[0].metric).toMatchObject({ id: 'hold_time_median_ms', unit: 'ms', logScale: false });
      expect(new Set(body.items.map((item: { hand: string }) => item.hand))).toEqual(
        new Set(['left', 'right']),
      );
      // only metrics with a value: every listed item has at least one session
      expect(body.items.every((item: { sessions: number }) => item.sessions >= 1)).toBe(true);
      expect((await t.client().get('/api/v1/metrics/overview')).statusCode).toBe(401);
    });
  });
});

describe('metrics API (metric ids shared by tasks)', () => {
  const definition = (task: 'spiral' | 'tremor'): MetricDefinition => ({
    id: 'shared_hz',
    task,
    unit: 'Hz',
    definition: 'test',
    citation: 'test',
    version: '1.0.0',
    origin: 'measures',
    direction: 'neutral',
    logScale: false,
  });
  const analyzer: MetricsAnalyzer = {
    version: ANALYSIS_VERSION,
    analyze: (): AnalysisOutput => {
      throw new Error('not used');
    },
    definitions: (task) => (task === 'spiral' || task === 'tremor' ? [definition(task)] : []),
  };
  let t: MetricsApp;
  beforeAll(async () => {
    t = await createMetricsTestApp({ analyzer });
  });
  afterAll(() => t.close());

  it('needs the task when the metric id exists in several tasks', async () => {
    const patient = await signedInClient(t);
    const ambiguous = await patient.client.get('/api/v1/metrics/shared_hz/series?hand=right');
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json()).toMatchObject({
      code: 'E_BAD_REQUEST',
      details: { tasks: ['spiral', 'tremor'] },
    });
    const spiral = await patient.client.get('/api/v1/metrics/shared_hz/series?hand=right&task=spiral');
    expect(spiral.statusCode).toBe(200);
    expect(spiral.json().metric).toMatchObject({ id: 'shared_hz', task: 'spiral' });
  });
});
