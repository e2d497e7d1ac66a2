import {
  CURRENT_SCHEMA_VERSION,
  type ColumnType,
  type DeviceV1,
  type Recording,
  type Stream,
  type TimingV1,
} from '@dystrack/core';
import type { CheckpointDelta, RecordingHead, RecordingMeta, TaskCapture, TaskPlugin } from './contract';

/** Where a capture was made: device, timing self-check and the flags the runner set. */
export interface RecordingEnvironment {
  device: DeviceV1;
  timing: TimingV1;
  /** Flags from the runner (`TAB_HIDDEN`, `COARSE_TIMER`, `INCOMPLETE`, `SIMULATED`, …), after the task's. */
  flags?: readonly string[];
}

/** Flags the runner and simulator set. Tasks add their own (`STOPPED_EARLY`, …). */
export const FLAGS = {
  /** A checkpoint: the run was still going (or crashed) when this copy was made. */
  incomplete: 'INCOMPLETE',
  /** The run was aborted (Cancel, or the page was left). */
  aborted: 'ABORTED',
  /** The task failed with an error; what it had captured is kept. */
  taskError: 'TASK_ERROR',
  /** The page was hidden at some point while recording (measures.md 1.7). */
  tabHidden: 'TAB_HIDDEN',
  /** `performance.now()` resolution of 1 ms or coarser (measures.md 9.5.1). */
  coarseTimer: 'COARSE_TIMER',
  /** Made by a task's simulator, not by a person. */
  simulated: 'SIMULATED',
} as const;

/**
 * Builds a recording from a capture: the one place where real runs ({@link runTask}) and simulated
 * ones ({@link simulateRecording}) get their envelope, so both have the same shape. Stamps the
 * schema version and the task's id and version; `params` are the run's resolved parameters
 * overridden by the facts the capture recorded; flags are the task's then the environment's, once each.
 * Does not validate: core's `parseTaskRecording` does (the tests run it on every task).
 */
export function buildRecording(
  plugin: Pick<TaskPlugin, 'definition'>,
  capture: TaskCapture,
  meta: RecordingMeta,
  environment: RecordingEnvironment,
): Recording {
  return withStreams(buildRecordingHead(plugin, capture, meta, environment), capture.streams);
}

/** The envelope {@link buildRecording} makes, without the streams (what every checkpoint delta carries). */
export function buildRecordingHead(
  plugin: Pick<TaskPlugin, 'definition'>,
  capture: Omit<TaskCapture, 'streams'>,
  meta: RecordingMeta,
  environment: RecordingEnvironment,
): RecordingHead {
  const flags = [...new Set([...capture.flags, ...(environment.flags ?? [])])];
  return {
    id: meta.id,
    schemaVersion: CURRENT_SCHEMA_VERSION as Recording['schemaVersion'],
    taskId: plugin.definition.id,
    taskVersion: plugin.definition.version,
    hand: meta.hand,
    startedAt: meta.startedAt,
    durationMs: capture.durationMs,
    params: { ...meta.params, ...capture.params },
    device: { ...environment.device },
    timing: { ...environment.timing },
    context: { ...meta.context },
    flags,
  };
}

/** A recording from an envelope and streams, its keys in the order recordings always have. */
export function withStreams(head: RecordingHead, streams: Recording['streams']): Recording {
  const recording: Recording = {
    id: head.id,
    schemaVersion: head.schemaVersion,
    taskId: head.taskId,
    taskVersion: head.taskVersion,
    hand: head.hand,
    startedAt: head.startedAt,
    durationMs: head.durationMs,
    params: head.params,
    device: head.device,
    timing: head.timing,
    context: head.context,
    streams,
    flags: head.flags,
  };
  // an imported file travels with its recording (a task run has none)
  if (head.source !== undefined) recording.source = head.source;
  return recording;
}

/** The values of one column so far: the parts in order (a base recording's array, then the chunks' arrays). */
interface ColumnParts {
  type: ColumnType;
  parts: ArrayLike<number | string | boolean | null>[];
}

/**
 * Turns the checkpoint deltas of a run ({@link CheckpointDelta}) back into the recording: the envelope of
 * the last delta with every stream's rows, in order. It keeps references to the deltas' arrays and copies
 * them only in {@link recording}, once. Deltas must come in order, none missing or doubled (each delta's
 * `seq` and each stream's `fromRow` are checked), so that a gap is an error, never a silent hole.
 * @example
 * const assembler = new CheckpointAssembler();
 * for (const delta of deltas) assembler.add(delta);
 * const partial = assembler.recording(); // flags include INCOMPLETE
 */
export class CheckpointAssembler {
  private id: string | null = null;
  private next = 0;
  private head: RecordingHead | null = null;
  private readonly streams = new Map<string, { rows: number; columns: Map<string, ColumnParts> }>();

  /**
   * @param base - a recording already assembled from the deltas up to `seq` (stored whole), to which
   *   later deltas are added
   */
  constructor(base?: { recording: Recording; seq: number }) {
    if (!base) return;
    const { streams, ...head } = base.recording;
    this.id = head.id;
    this.head = head;
    this.next = base.seq + 1;
    for (const [name, stream] of Object.entries(streams)) {
      const columns = new Map<string, ColumnParts>();
      let rows = 0;
      for (const [column, { type, values }] of Object.entries(stream.columns)) {
        columns.set(column, { type, parts: [values] });
        rows = values.length;
      }
      this.streams.set(name, { rows, columns });
    }
  }

  /** The `seq` the next delta must have. */
  get nextSeq(): number {
    return this.next;
  }

  /**
   * Adds the next delta. Nothing is changed when it does not fit.
   * @throws RangeError for a delta of another recording, out of order, or whose rows do not follow on
   */
  add(delta: CheckpointDelta): this {
    if (this.id !== null && delta.id !== this.id)
      throw new RangeError(`checkpoint of recording ${delta.id} given to the assembly of ${this.id}`);
    if (delta.seq !== this.next)
      throw new RangeError(`checkpoint ${delta.seq} of ${delta.id} given where ${this.next} was expected`);
    // check every stream before changing anything
    for (const [name, chunk] of Object.entries(delta.streams)) {
      const stream = this.streams.get(name);
      const rows = stream?.rows ?? 0;
      if (chunk.fromRow !== rows)
        throw new RangeError(
          `checkpoint ${delta.seq}: stream "${name}" goes on from row ${chunk.fromRow}, not ${rows}`,
        );
      const names = Object.keys(chunk.columns);
      if (stream && (names.length !== stream.columns.size || names.some((c) => !stream.columns.has(c))))
        throw new RangeError(`checkpoint ${delta.seq}: stream "${name}" changed its columns`);
      for (const [column, { type, values }] of Object.entries(chunk.columns)) {
        const known = stream?.columns.get(column);
        if ((known && known.type !== type) || values.length !== chunk.rows)
          throw new RangeError(`checkpoint ${delta.seq}: column "${name}.${column}" does not fit`);
      }
    }
    for (const [name, chunk] of Object.entries(delta.streams)) {
      let stream = this.streams.get(name);
      if (!stream) {
        stream = { rows: 0, columns: new Map() };
        for (const [column, { type }] of Object.entries(chunk.columns))
          stream.columns.set(column, { type, parts: [] });
        this.streams.set(name, stream);
      }
      for (const [column, { values }] of Object.entries(chunk.columns)) {
        if (values.length > 0) stream.columns.get(column)!.parts.push(values);
      }
      stream.rows += chunk.rows;
    }
    this.id = delta.id;
    this.head = delta.head;
    this.next = delta.seq + 1;
    return this;
  }

  /**
   * The recording so far: the last delta's envelope and every stream's rows as core's plain arrays,
   * exactly as the column builders' own snapshot gives them (an `f64` NaN is `null`, a `bool` is a boolean).
   * @throws RangeError before any delta was added
   */
  recording(): Recording {
    if (!this.head) throw new RangeError('no checkpoint to assemble');
    const streams: Recording['streams'] = {};
    for (const [name, stream] of this.streams) {
      const columns: Stream['columns'] = {};
      for (const [column, { type, parts }] of stream.columns) {
        columns[column] = { type, values: joinParts(type, parts, stream.rows) } as Stream['columns'][string];
      }
      streams[name] = { columns };
    }
    return withStreams(this.head, streams);
  }
}

/** One plain array from a column's parts, each value as the recording holds it. */
function joinParts(
  type: ColumnType,
  parts: readonly ArrayLike<number | string | boolean | null>[],
  rows: number,
): (number | string | boolean | null)[] {
  const out = new Array<number | string | boolean | null>(rows);
  let k = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const value = part[i]!;
      // typed-array values become what the column builders' snapshot gives; a base's values already are
      out[k++] =
        type === 'f64' && typeof value === 'number' && Number.isNaN(value)
          ? null
          : type === 'bool' && typeof value === 'number'
            ? value === 1
            : value;
    }
  }
  return out;
}

/**
 * The recording the checkpoint deltas of a run make, in order from its first (`seq` 0), or on top of
 * `base` (the recording assembled up to delta `base.seq`).
 * @throws RangeError when no delta and no base is given, or the deltas are not the next ones in order
 */
export function assembleCheckpoints(
  deltas: readonly CheckpointDelta[],
  base?: { recording: Recording; seq: number },
): Recording {
  const assembler = new CheckpointAssembler(base);
  for (const delta of deltas) assembler.add(delta);
  return assembler.recording();
}
