import { createHash, randomUUID } from 'node:crypto';
import {
  TASK_RECORDING_SPECS,
  type ColumnSpec,
  type RecordingV1,
  type Stream,
  type StreamSpec,
  type TaskId,
} from '@dystrack/core';

type Column = Stream['columns'][string];

const BASE: Omit<RecordingV1, 'id' | 'taskId' | 'hand' | 'streams'> = {
  schemaVersion: 1,
  taskVersion: '1.0.0',
  startedAt: '2025-03-04T10:11:12.345+01:00',
  durationMs: 61_234.5,
  params: { trials: 3, text: 'the quick brown fox', reducedMotion: false },
  device: {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
    platform: 'Linux x86_64',
    language: 'en-GB',
    hardwareConcurrency: 8,
    maxTouchPoints: 0,
    screenWidthPx: 1920,
    screenHeightPx: 1080,
    devicePixelRatio: 1.25,
    inputDevice: null,
  },
  timing: {
    crossOriginIsolated: true,
    resolutionMs: 0.005,
    pollingEstimateHz: 125,
    hiddenCount: 0,
    hiddenMs: 0,
    timeOriginMs: 1_741_079_472_000.123,
  },
  context: {
    selfRating0to10: 3,
    taskLoadHoursLast24h: 2.5,
    botulinumToxin: null,
    daysSinceBotulinumToxin: null,
    medication: null,
  },
  flags: [],
};

function sampleColumn(spec: ColumnSpec, rows: number, offset: number): Column {
  const index = Array.from({ length: rows }, (_, i) => i);
  switch (spec.type) {
    case 'f64':
      return { type: 'f64', values: index.map((i) => 1000.125 + 125.0625 * i + offset) };
    case 'i32':
      return { type: 'i32', values: index.map((i) => i % 3) };
    case 'bool':
      return { type: 'bool', values: index.map((i) => i % 2 === 1) };
    case 'str':
      return { type: 'str', values: index.map((i) => (i % 2 === 0 ? 'down' : 'up')) };
  }
}

/**
 * A small valid recording of a task: its required streams with every required column, a few rows each.
 * @param taskId - the task (default typing)
 * @param overrides - fields to replace
 */
export function sampleRecording(
  taskId: TaskId = 'typing',
  overrides: Partial<RecordingV1> = {},
): RecordingV1 {
  const spec = TASK_RECORDING_SPECS[taskId];
  const streams: Record<string, Stream> = {};
  for (const [name, stream] of Object.entries(spec.streams)) {
    if (stream.optional) continue;
    const columns: Record<string, Column> = {};
    for (const [columnName, column] of Object.entries(stream.columns)) {
      if (!column.optional) columns[columnName] = sampleColumn(column, 6, 0.5);
    }
    streams[name] = { columns };
  }
  return { ...BASE, id: randomUUID(), taskId, hand: spec.hands[0]!, streams, ...overrides };
}

/**
 * JSON numbers as wide as JavaScript writes them (24 characters, e.g. -1.2345678901234567e-100):
 * the size budget reserves 25 bytes a cell, comma included.
 */
const WIDE_F64: number[] = (() => {
  const values: number[] = [];
  for (let k = 0; values.length < 997; k++) {
    const value = -(1.2345678901234567 + k * 1.1e-15) * 1e-100;
    if (JSON.stringify(value).length === 24) values.push(value);
  }
  return values;
})();

/**
 * A string at the column's longest allowed length in two-byte UTF-8 characters ("ä", as in a German
 * KeyboardEvent.key): the widest the size budget allows for (2 bytes a character).
 */
function wideString(spec: ColumnSpec): string {
  return 'ä'.repeat(spec.maxLength ?? 64);
}

function widestColumn(spec: ColumnSpec, rows: number): Column {
  switch (spec.type) {
    case 'f64':
      return { type: 'f64', values: Array.from({ length: rows }, (_, i) => WIDE_F64[i % WIDE_F64.length]!) };
    case 'i32':
      return { type: 'i32', values: new Array<number>(rows).fill(-2147483648) };
    case 'bool':
      return { type: 'bool', values: new Array<boolean>(rows).fill(false) };
    case 'str':
      return { type: 'str', values: new Array<string>(rows).fill(wideString(spec)) };
  }
}

/** Bytes a stream's rows take at most, by the widths used here: what decides the largest stream. */
function streamWeight(stream: StreamSpec): number {
  let row = 0;
  for (const column of Object.values(stream.columns)) {
    row +=
      column.type === 'str'
        ? (column.maxLength ?? 64) * 2 + 3
        : column.type === 'f64'
          ? 25
          : column.type === 'i32'
            ? 12
            : 6;
  }
  return row * stream.maxRows;
}

/** The stream of a task that takes the most bytes at its row limit. */
export function largestStream(taskId: TaskId): string {
  const streams = Object.entries(TASK_RECORDING_SPECS[taskId].streams);
  return streams.reduce((best, next) => (streamWeight(next[1]) > streamWeight(best[1]) ? next : best))[0];
}

/**
 * The longest legal recording of a task, generated from its spec: every stream (optional ones too) at
 * its row limit, every column (optional ones too) filled with the widest values (24-character numbers,
 * strings at their longest in two-byte characters, the smallest int32, `false`), the widest envelope,
 * and for tasks that take one an imported source file at its size limit.
 * @param taskId - the task
 * @param options - `extraRows` adds rows beyond the limit to the task's largest stream (to be refused)
 */
export function longestRecording(taskId: TaskId, options: { extraRows?: number } = {}): RecordingV1 {
  const spec = TASK_RECORDING_SPECS[taskId];
  const grow = options.extraRows ? largestStream(taskId) : undefined;
  const streams: Record<string, Stream> = {};
  for (const [name, stream] of Object.entries(spec.streams)) {
    const rows = stream.maxRows + (name === grow ? (options.extraRows ?? 0) : 0);
    const columns: Record<string, Column> = {};
    for (const [columnName, column] of Object.entries(stream.columns))
      columns[columnName] = widestColumn(column, rows);
    streams[name] = { columns };
  }
  const wide = (length: number) => 'ä'.repeat(length);
  const recording: RecordingV1 = {
    ...BASE,
    id: randomUUID(),
    taskId,
    hand: spec.hands[0]!,
    durationMs: spec.maxDurationS * 1000,
    params: { text: wide(2000), trials: 12, tempoBpm: 120.5, keys: ['KeyF', 'KeyJ'], nested: { cueMs: 250 } },
    device: {
      userAgent: wide(1000),
      platform: wide(200),
      language: wide(100),
      hardwareConcurrency: 4096,
      maxTouchPoints: 1000,
      screenWidthPx: WIDE_F64[0]! * -1,
      screenHeightPx: WIDE_F64[1]! * -1,
      devicePixelRatio: WIDE_F64[2]! * -1,
      inputDevice: wide(300),
    },
    context: {
      selfRating0to10: 10,
      taskLoadHoursLast24h: 23.999999999999996,
      botulinumToxin: 'received',
      daysSinceBotulinumToxin: 36500,
      medication: wide(2000),
    },
    flags: Array.from({ length: 100 }, (_, i) => `FLAG_${String(i).padStart(3, '0')}_${'X'.repeat(55)}`),
    streams,
  };
  if (spec.acceptsSourceFile) {
    const bytes = Buffer.alloc(spec.acceptsSourceFile.maxBytes);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    recording.source = {
      fileName: `${'ä'.repeat(120)}.mid`,
      mediaType: spec.acceptsSourceFile.mediaTypes[0]!,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      base64: bytes.toString('base64'),
    };
  }
  return recording;
}
