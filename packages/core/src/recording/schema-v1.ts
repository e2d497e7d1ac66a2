import { z } from 'zod';
import { streamSchema } from './columns.js';
import { TASK_IDS } from './tasks.js';

/**
 * Recording schema version 1. A recording is one run of one task by one hand: the raw event
 * streams exactly as the browser gave them, plus what is needed to interpret them later.
 * Published versions are never changed; a new version gets a new file and an `up` migration.
 */
export const SCHEMA_VERSION_1 = 1 as const;

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string().max(10_000),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue).max(10_000),
    z.record(z.string().max(200), jsonValue),
  ]),
);

/** Device and browser, as the platform reports them (section 1 of the measurement spec). */
export const deviceSchemaV1 = z.strictObject({
  userAgent: z.string().max(1000),
  platform: z.string().max(200).nullable(),
  language: z.string().max(100).nullable(),
  hardwareConcurrency: z.number().int().min(0).max(4096).nullable(),
  maxTouchPoints: z.number().int().min(0).max(1000).nullable(),
  screenWidthPx: z.number().min(0).nullable(),
  screenHeightPx: z.number().min(0).nullable(),
  devicePixelRatio: z.number().min(0).nullable(),
  /** Input hardware the person named (keyboard type, pen model, MIDI port, phone model). */
  inputDevice: z.string().max(300).nullable(),
});

/** The timing self-check stored with every recording (section 9.5). */
export const timingSchemaV1 = z.strictObject({
  crossOriginIsolated: z.boolean(),
  /** Smallest frequent non-zero step of performance.now(), ms. */
  resolutionMs: z.number().min(0).nullable(),
  /** Estimated input polling rate, Hz, where the task could estimate it. */
  pollingEstimateHz: z.number().min(0).nullable(),
  /** How often and how long the page was hidden while recording. */
  hiddenCount: z.number().int().min(0),
  hiddenMs: z.number().min(0),
  /** performance.timeOrigin: the wall-clock ms (Unix epoch) of timeStamp 0. */
  timeOriginMs: z.number().min(0),
});

/** The pre-session questions asked before every task (section 1 of the measurement spec). */
export const sessionContextSchemaV1 = z
  .strictObject({
    /** "How bad is it today?" 0 = no problem, 10 = worst imaginable. */
    selfRating0to10: z.number().int().min(0).max(10).nullable(),
    /** Hours of writing, playing or typing in the last 24 h. */
    taskLoadHoursLast24h: z.number().min(0).max(24).nullable(),
    /**
     * Botulinum-toxin history: `received` (then `daysSinceBotulinumToxin` says how long ago), `never`
     * (never injected) or `unknown` (the person does not know); null when the question was skipped.
     */
    botulinumToxin: z.enum(['received', 'never', 'unknown']).nullable(),
    /** Days since the last botulinum-toxin injection; only with `botulinumToxin: 'received'`. */
    daysSinceBotulinumToxin: z.number().int().min(0).max(36500).nullable(),
    /** Current medication in the person's own words. */
    medication: z.string().max(2000).nullable(),
  })
  .refine((context) => context.daysSinceBotulinumToxin === null || context.botulinumToxin === 'received', {
    message: 'daysSinceBotulinumToxin needs botulinumToxin "received"',
    path: ['daysSinceBotulinumToxin'],
  });

/** The original bytes of an imported file (a Standard MIDI File, say). */
export const sourceFileSchemaV1 = z.strictObject({
  fileName: z.string().max(255),
  mediaType: z.string().max(100),
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  base64: z
    .string()
    .max(8_000_000)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

export const recordingSchemaV1 = z.strictObject({
  /** Client-generated UUID: uploads are idempotent on it. */
  id: z.uuid(),
  schemaVersion: z.literal(SCHEMA_VERSION_1),
  taskId: z.enum(TASK_IDS),
  /** Semantic version of the task protocol that made the recording. */
  taskVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  hand: z.enum(['left', 'right', 'both']),
  /** Wall-clock start, ISO 8601, for display; event times are on the performance clock. */
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().min(0),
  /** Task parameters the run used (tempo, text id, trial count, …). */
  params: z.record(z.string().max(100), jsonValue),
  device: deviceSchemaV1,
  timing: timingSchemaV1,
  context: sessionContextSchemaV1,
  streams: z.record(
    z
      .string()
      .regex(/^[a-z][A-Za-z0-9]*$/)
      .max(64),
    streamSchema,
  ),
  /** Quality flags set at capture (TAB_HIDDEN, NOT_PEN, ABORTED, …). */
  flags: z
    .array(
      z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/)
        .max(64),
    )
    .max(100),
  source: sourceFileSchemaV1.optional(),
});

export type RecordingV1 = z.infer<typeof recordingSchemaV1>;
export type SessionContextV1 = z.infer<typeof sessionContextSchemaV1>;
export type DeviceV1 = z.infer<typeof deviceSchemaV1>;
export type TimingV1 = z.infer<typeof timingSchemaV1>;
