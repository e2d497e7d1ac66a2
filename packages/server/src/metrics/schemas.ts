import { z } from 'zod';
import type { ChangeResult, MetricDefinition } from '@dystrack/core';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A metric of the catalogue, as `dystrack metrics` describes it. */
export const metricDefinitionSchema = z.object({
  id: z.string(),
  task: z.string(),
  unit: z.string(),
  definition: z.string(),
  citation: z.string(),
  version: z.string().describe("The metric's algorithm version"),
  origin: z.enum(['contract', 'measures']),
  direction: z.enum(['higher-worse', 'lower-worse', 'neutral']),
  logScale: z.boolean().describe('Change is judged on log10 values (variability and amplitude measures)'),
});

/** A definition for the API. */
export function toDefinition(d: MetricDefinition): z.infer<typeof metricDefinitionSchema> {
  return {
    id: d.id,
    task: d.task,
    unit: d.unit,
    definition: d.definition,
    citation: d.citation,
    version: d.version,
    origin: d.origin,
    direction: d.direction,
    logScale: d.logScale,
  };
}

/** The stored metrics of one recording. */
export const recordingMetricsSchema = z.object({
  recordingId: z.uuid(),
  taskId: z.string(),
  hand: z.string(),
  analysisVersion: z.string().describe('The current analysis version, whose values these are'),
  status: z
    .enum(['ok', 'failed', 'pending'])
    .describe(
      '`pending`: not analysed yet (shortly after the upload); `failed`: the analysis refused the recording',
    ),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe('Why the analysis refused the recording (status `failed`)'),
  computedAt: z.iso.datetime().nullable(),
  flags: z.array(z.string()).describe("The analysis's quality flags"),
  metrics: z.array(
    z.object({
      id: z.string(),
      value: z.number().nullable().describe('null when the metric cannot be computed from this recording'),
      metricVersion: z.string(),
      definition: metricDefinitionSchema.nullable().describe('null for a metric the catalogue no longer has'),
    }),
  ),
});

/** The change statistics of core's `computeChange`, for the API (times as ISO 8601). */
export const changeSchema = z.object({
  scale: z.enum(['log10', 'linear']).describe('Scale of baseline.mean, sdc95 and change'),
  basis: z
    .enum(['personal', 'published', 'insufficient'])
    .describe('Own baseline (≥ 3 sessions), a published MDC, or not enough data to judge change'),
  baseline: z.object({
    mean: z.number().nullable(),
    value: z.number().nullable().describe("In the metric's unit (geometric mean for log-scale metrics)"),
    n: z.number().int(),
    withinSd: z.number().nullable(),
    sessions: z.array(z.string()).describe('Recording ids of the baseline sessions'),
    source: z.enum(['segment-start', 'injection-pre']),
    injectionTime: z.iso.datetime().nullable(),
    segmentStart: z.iso.datetime().nullable(),
    excludedFlagged: z.number().int(),
    excludedMissing: z.number().int(),
    excludedOtherSetup: z.number().int(),
  }),
  sdc95: z
    .number()
    .nullable()
    .describe('Smallest change called reliable: t(0.975, n − 1)·√(1 + 1/n)·S_w, or the published MDC'),
  band: z.object({ low: z.number(), high: z.number() }).nullable(),
  current: z
    .object({
      value: z.number().nullable(),
      time: z.iso.datetime().nullable(),
      id: z.string().nullable(),
      excluded: z.boolean(),
    })
    .nullable(),
  change: z.number().nullable(),
  changePct: z.number().nullable(),
  changeIsReliable: z.boolean(),
  direction: z.enum(['better', 'worse', 'no reliable change', 'changed']),
  rci: z.number().nullable(),
  rciCritical: z.number().nullable(),
  published: z.object({
    log10Threshold: z.number().nullable(),
    note: z.string(),
    citation: z.string(),
  }),
  wording: z.object({ summary: z.string(), basis: z.string(), caution: z.string() }),
});

/** A change result for the API. */
export function toChange(result: ChangeResult): z.infer<typeof changeSchema> {
  const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  return {
    scale: result.scale,
    basis: result.basis,
    baseline: {
      ...result.baseline,
      injectionTime: iso(result.baseline.injectionTime),
      segmentStart: iso(result.baseline.segmentStart),
    },
    sdc95: finite(result.sdc95),
    band:
      result.band && Number.isFinite(result.band.low) && Number.isFinite(result.band.high)
        ? result.band
        : null,
    current: result.current ? { ...result.current, time: iso(result.current.time) } : null,
    change: finite(result.change),
    changePct: finite(result.changePct),
    changeIsReliable: result.changeIsReliable,
    direction: result.direction,
    rci: finite(result.rci),
    rciCritical: finite(result.rciCritical),
    published: {
      log10Threshold: result.published.log10Threshold,
      note: result.published.note,
      citation: result.published.citation,
    },
    wording: result.wording,
  };
}

/** A metric's series for one hand, with the change statistics of the latest session. */
export const seriesSchema = z.object({
  metric: metricDefinitionSchema,
  hand: z.string(),
  analysisVersion: z.string(),
  points: z.array(
    z.object({
      recordingId: z.uuid(),
      startedAt: z.iso.datetime(),
      value: z.number().nullable(),
      flags: z.array(z.string()).describe('Quality flags of the analysis and of the capture'),
      excluded: z.boolean().describe('Left out of baselines and change statistics for a quality flag'),
      segment: z
        .number()
        .int()
        .describe('Setup segment: 0 for the first device and browser, +1 at every change of setup'),
      setupKey: z
        .string()
        .describe(
          "The recording's measurement setup (browser, platform, input device, the task's protocol parameters; core's recordingSetupKey): " +
            'a session is compared only with sessions of the same setup',
        ),
    }),
  ),
  change: changeSchema.describe(
    'The latest session with a value and no excluding flag, against the baseline of its setup',
  ),
});

/** Which metrics the patient has values of, per task and hand. */
export const overviewSchema = z.object({
  analysisVersion: z.string(),
  items: z.array(
    z.object({
      task: z.string(),
      metricId: z.string(),
      hand: z.string(),
      sessions: z.number().int().describe('Stored sessions with a value of the metric'),
      first: z.iso.datetime().describe('Start of the first of them'),
      last: z.iso.datetime().describe('Start of the latest of them'),
      metric: metricDefinitionSchema.nullable().describe('null for a metric the catalogue no longer has'),
    }),
  ),
});
