import type { z } from 'zod';
import { CodedError } from '../errors/catalogue.js';
import { streamRows } from './columns.js';
import { recordingSchemaV1, type RecordingV1 } from './schema-v1.js';
import { CURRENT_SCHEMA_VERSION } from './schema-version.js';
import { TASK_RECORDING_SPECS, type TaskRecordingSpec } from './tasks.js';

/** The current recording type: what every reader sees after migration. */
export type Recording = RecordingV1;

/** One published schema version: its validator and the step that lifts it to the next version. */
export interface SchemaVersionEntry {
  schema: z.ZodType;
  /** Lifts a valid recording of this version to the next version. Absent on the newest. */
  up?: (recording: never) => unknown;
}

/** Every published recording schema version, oldest first. Entries are never removed or changed. */
export interface SchemaRegistry {
  versions: Record<number, SchemaVersionEntry>;
  current: number;
}

/** The recording schema versions this release has published (the newest is CURRENT_SCHEMA_VERSION). */
export const RECORDING_SCHEMAS: SchemaRegistry = {
  versions: { 1: { schema: recordingSchemaV1 } },
  current: CURRENT_SCHEMA_VERSION,
};

/** A recording validated at the version it was made with, and the same recording lifted to the current one. */
export interface ParsedRecording<T = Recording> {
  /** The recording as sent, validated by its own version's schema (unknown fields rejected). */
  original: unknown;
  originalVersion: number;
  /** The recording migrated forward to the registry's current version. */
  current: T;
}

/**
 * Validates a recording of any published schema version and migrates it forward.
 * @param input - parsed JSON
 * @param registry - the published versions (tests may pass their own)
 * @throws CodedError `E_SCHEMA_VERSION` for an unknown version, `E_RECORDING_INVALID` for a bad recording
 */
export function parseRecording<T = Recording>(
  input: unknown,
  registry: SchemaRegistry = RECORDING_SCHEMAS,
): ParsedRecording<T> {
  const version =
    typeof input === 'object' && input !== null && 'schemaVersion' in input
      ? (input as { schemaVersion: unknown }).schemaVersion
      : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || !registry.versions[version]) {
    throw new CodedError('E_SCHEMA_VERSION', undefined, {
      schemaVersion: version ?? null,
      supported: Object.keys(registry.versions).map(Number),
    });
  }
  let value: unknown = validate(registry.versions[version]!.schema, input);
  const original = value;
  for (let v = version; v < registry.current; v++) {
    const entry = registry.versions[v]!;
    if (!entry.up) throw new RangeError(`schema version ${v} has no migration to ${v + 1}`);
    value = validate(registry.versions[v + 1]!.schema, (entry.up as (r: unknown) => unknown)(value));
  }
  return { original, originalVersion: version, current: value as T };
}

function validate(schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new CodedError('E_RECORDING_INVALID', undefined, {
      issues: result.error.issues
        .slice(0, 20)
        .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

/**
 * Checks a current-version recording against its task's spec: only declared streams, every required
 * stream and column present with its declared type, row limits, the hand and any source file allowed.
 * @returns the list of problems, empty when it conforms
 */
export function checkTaskConformance(
  recording: Recording,
  spec: TaskRecordingSpec = TASK_RECORDING_SPECS[recording.taskId],
): string[] {
  const problems: string[] = [];
  if (!spec.hands.includes(recording.hand))
    problems.push(`hand "${recording.hand}" is not allowed for ${spec.id}`);
  for (const [name, stream] of Object.entries(recording.streams)) {
    const streamSpec = spec.streams[name];
    if (!streamSpec) {
      problems.push(`stream "${name}" is not part of the ${spec.id} task`);
      continue;
    }
    const rows = streamRows(stream);
    if (rows > streamSpec.maxRows)
      problems.push(`stream "${name}" has ${rows} rows, at most ${streamSpec.maxRows}`);
    for (const [columnName, column] of Object.entries(stream.columns)) {
      const columnSpec = streamSpec.columns[columnName];
      if (!columnSpec) problems.push(`column "${name}.${columnName}" is not part of the ${spec.id} task`);
      else if (columnSpec.type !== column.type) {
        problems.push(`column "${name}.${columnName}" is ${column.type}, expected ${columnSpec.type}`);
      }
    }
    for (const [columnName, columnSpec] of Object.entries(streamSpec.columns)) {
      if (!columnSpec.optional && !stream.columns[columnName])
        problems.push(`column "${name}.${columnName}" is missing`);
    }
  }
  for (const [name, streamSpec] of Object.entries(spec.streams)) {
    if (!streamSpec.optional && !recording.streams[name]) problems.push(`stream "${name}" is missing`);
  }
  if (recording.source) {
    const accepts = spec.acceptsSourceFile;
    if (!accepts) problems.push(`the ${spec.id} task takes no source file`);
    else {
      if (!accepts.mediaTypes.includes(recording.source.mediaType))
        problems.push(`source media type ${recording.source.mediaType} is not accepted`);
      if ((recording.source.base64.length * 3) / 4 > accepts.maxBytes + 2)
        problems.push(`source file is over ${accepts.maxBytes} bytes`);
    }
  }
  return problems;
}

/**
 * {@link parseRecording} plus {@link checkTaskConformance}: what the server accepts.
 * @throws CodedError `E_RECORDING_INVALID` with the problems in `details.issues`
 */
export function parseTaskRecording(
  input: unknown,
  registry: SchemaRegistry = RECORDING_SCHEMAS,
): ParsedRecording {
  const parsed = parseRecording<Recording>(input, registry);
  const problems = checkTaskConformance(parsed.current);
  if (problems.length > 0) {
    throw new CodedError('E_RECORDING_INVALID', undefined, {
      issues: problems.slice(0, 20).map((message) => ({ path: 'streams', message })),
    });
  }
  return parsed;
}
