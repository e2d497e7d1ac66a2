import {
  canonicalJson,
  computeChange,
  metricCatalogue,
  recordingSetupKey,
  type DiaryData,
  type Recording,
  type TaskId,
  type TreatmentInput,
} from '@dystrack/core';
import type { DiaryEntry } from '../api/diary.js';
import type { MetricSeries } from '../api/types.js';
// Tests run in Node: node:crypto is an independent SHA-256 to check the browser's WebCrypto result against.
// eslint-disable-next-line no-restricted-imports
import { createHash, randomUUID } from 'node:crypto';

/** A small valid schema-v1 tapping recording (tests only). */
export function makeRecording(overrides: Partial<Recording> = {}): Recording {
  return {
    id: randomUUID(),
    schemaVersion: 1,
    taskId: 'tapping',
    taskVersion: '1.0.0',
    hand: 'right',
    startedAt: '2026-11-26T08:00:00.000Z',
    durationMs: 20_000,
    params: { durationS: 20 },
    device: {
      userAgent: 'test',
      platform: null,
      language: 'en',
      hardwareConcurrency: 4,
      maxTouchPoints: 0,
      screenWidthPx: 1280,
      screenHeightPx: 800,
      devicePixelRatio: 1,
      inputDevice: null,
    },
    timing: {
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: null,
      hiddenCount: 0,
      hiddenMs: 0,
      timeOriginMs: 1_790_000_000_000,
    },
    context: {
      selfRating0to10: 3,
      taskLoadHoursLast24h: 2,
      botulinumToxin: null,
      daysSinceBotulinumToxin: null,
      medication: null,
    },
    streams: {
      keyboard: {
        columns: {
          type: { type: 'str', values: ['keydown', 'keyup'] },
          timeStampMs: { type: 'f64', values: [1000.125, 1093.5] },
          code: { type: 'str', values: ['KeyF', 'KeyF'] },
          repeat: { type: 'bool', values: [false, false] },
          isComposing: { type: 'bool', values: [false, false] },
        },
      },
    },
    flags: [],
    ...overrides,
  };
}

/** SHA-256 of a value's canonical JSON, as the server computes it. */
export function serverSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/**
 * Earlier sessions of a metric: `values` one day apart before the recording, on its setup, none
 * flagged or excluded (tests only).
 */
export function seriesBefore(
  recording: Recording,
  values: number[],
  analysisVersion = '1.0.0',
): MetricSeries {
  const start = Date.parse(recording.startedAt);
  return {
    hand: recording.hand,
    analysisVersion,
    points: values.map((value, i) => ({
      recordingId: `00000000-0000-4000-8000-00000000000${i}`,
      startedAt: new Date(start - (values.length - i) * 86_400_000).toISOString(),
      value,
      flags: [],
      excluded: false,
      segment: 0,
      setupKey: recordingSetupKey(recording),
    })),
  };
}

/**
 * A series as the server's series route answers it: with the metric's definition and the change of the
 * latest session that has a value and no excluding flag, computed by core as the server does (tests only).
 */
export function seriesWithChange(series: MetricSeries, taskId: TaskId, metricId: string) {
  const metric = metricCatalogue(taskId).find((d) => d.id === metricId);
  if (!metric) throw new Error(`no metric ${metricId} in ${taskId}`);
  const sessions = series.points.map((p) => ({
    id: p.recordingId,
    time: Date.parse(p.startedAt),
    value: p.value,
    flags: p.flags,
    setupKey: p.setupKey,
  }));
  const judged = sessions.findLast((s, i) => s.value !== null && !series.points[i]!.excluded);
  const change = computeChange(metric, sessions, judged ? { current: judged } : {});
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ...series,
    metric,
    change: {
      ...change,
      baseline: {
        ...change.baseline,
        injectionTime: iso(change.baseline.injectionTime),
        segmentStart: iso(change.baseline.segmentStart),
      },
      current: change.current ? { ...change.current, time: iso(change.current.time) } : null,
    },
  };
}

/** A current diary entry as the diary API lists it, noting only `context` (tests only). */
export function diaryEntryWith(at: string, context: DiaryData['context']): DiaryEntry {
  return {
    id: randomUUID(),
    revision: 1,
    at,
    revisedAt: at,
    revisedBy: '11111111-1111-4111-8111-111111111111',
    data: {
      at,
      severity: {},
      symptoms: [],
      painLevel: null,
      context,
      bodyMap: { left: [], right: [] },
      notes: null,
    },
  };
}

/**
 * A botulinum-toxin treatment entry as `GET /api/v1/treatments` answers it: one muscle row per
 * `[muscle, side, units]` (tests only).
 */
export function toxinEntry(
  id: string,
  date: string,
  rows: [muscle: string, side: 'left' | 'right', units: number][],
  product = 'onabotulinumtoxinA',
) {
  return {
    id,
    revision: 1,
    at: `${date}T00:00:00.000Z`,
    revisedAt: `${date}T18:00:00.000Z`,
    revisedBy: 'patient',
    data: {
      type: 'botulinum-toxin',
      date,
      product,
      otherText: null,
      injections: rows.map(([muscle, side, units]) => ({
        muscle,
        otherText: null,
        side,
        units,
        detail: null,
      })),
      guidance: null,
      sideEffects: [],
      sideEffectsText: null,
      notes: null,
    } as unknown as TreatmentInput,
  };
}
