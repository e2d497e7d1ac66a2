import { createHash } from 'node:crypto';
import {
  CodedError,
  canonicalJson,
  parseTaskRecording,
  type Recording,
  type SchemaRegistry,
} from '@dystrack/core';

/** Largest value of the `duration_ms` summary column (int4); the content keeps the exact duration. */
const MAX_DURATION_COLUMN = 2_147_483_647;

/** A validated recording ready to be stored: its canonical text, hash and summary columns. */
export interface PreparedRecording {
  id: string;
  /** The version it was made with: it is stored at this version, as sent. */
  schemaVersion: number;
  taskId: string;
  taskVersion: string;
  hand: string;
  startedAt: Date;
  durationMs: number;
  flags: string[];
  /** Canonical JSON (RFC 8785) of the recording as validated at its own version. */
  content: string;
  /** SHA-256 of `content` (UTF-8), lower-case hex. */
  sha256: string;
  /** UTF-8 bytes of `content`. */
  byteLength: number;
}

/** Time spent in each step of {@link prepareRecording}, ms (for measurements). */
export interface PrepareTimings {
  validateMs: number;
  canonicalizeMs: number;
  hashMs: number;
}

/**
 * Validates an uploaded recording (any published schema version, checked against its task's spec)
 * and computes what is stored: the canonical JSON of the recording at its own version, its SHA-256
 * and byte length, and the summary columns (taken from the recording migrated to the current version).
 * @param body - the parsed JSON body
 * @param schemas - the published schema versions
 * @param timings - filled with the time of each step when given
 * @throws CodedError `E_SCHEMA_VERSION`, `E_RECORDING_INVALID`
 */
export function prepareRecording(
  body: unknown,
  schemas: SchemaRegistry,
  timings?: PrepareTimings,
): PreparedRecording {
  const t0 = performance.now();
  const parsed = parseTaskRecording(body, schemas);
  const current: Recording = parsed.current;
  if (current.source) checkSourceHash(current.source);
  const t1 = performance.now();
  let content: string;
  try {
    content = canonicalJson(parsed.original);
  } catch (error) {
    // e.g. a lone UTF-16 surrogate in a string: valid JSON text, but not representable in UTF-8
    throw new CodedError('E_RECORDING_INVALID', undefined, {
      issues: [
        { path: '', message: error instanceof Error ? error.message : 'not representable as canonical JSON' },
      ],
    });
  }
  const t2 = performance.now();
  const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
  const byteLength = Buffer.byteLength(content, 'utf8');
  const t3 = performance.now();
  if (timings) {
    timings.validateMs = t1 - t0;
    timings.canonicalizeMs = t2 - t1;
    timings.hashMs = t3 - t2;
  }
  return {
    id: current.id,
    schemaVersion: parsed.originalVersion,
    taskId: current.taskId,
    taskVersion: current.taskVersion,
    hand: current.hand,
    startedAt: new Date(current.startedAt),
    durationMs: Math.min(Math.round(current.durationMs), MAX_DURATION_COLUMN),
    flags: current.flags,
    content,
    sha256,
    byteLength,
  };
}

/** An imported source file must be the bytes its SHA-256 names: otherwise the original is not what was sent. */
function checkSourceHash(source: NonNullable<Recording['source']>): void {
  const actual = createHash('sha256').update(Buffer.from(source.base64, 'base64')).digest('hex');
  if (actual !== source.sha256) {
    throw new CodedError('E_RECORDING_INVALID', undefined, {
      issues: [
        {
          path: 'source.sha256',
          message: `the SHA-256 of the source file bytes is ${actual}, not ${source.sha256}`,
        },
      ],
    });
  }
}
