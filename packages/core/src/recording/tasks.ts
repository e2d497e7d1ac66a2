import type { ColumnType } from './columns.js';

/** The tasks Dystrack records. Their ids are public API (analysis contract). */
export const TASK_IDS = [
  'typing',
  'tapping',
  'scale',
  'spiral',
  'handwriting',
  'precision',
  'tremor',
] as const;
export type TaskId = (typeof TASK_IDS)[number];

/** One column of a stream spec: its type and, for strings, the longest value. */
export interface ColumnSpec {
  type: ColumnType;
  /** Whether the column may be left out (a platform field that not every device gives). */
  optional?: boolean;
  /** Longest string value, for the size budget. */
  maxLength?: number;
  /** What the column holds, for docs and exports. */
  description: string;
}

/** A raw event stream that a task writes. */
export interface StreamSpec {
  columns: Record<string, ColumnSpec>;
  /** Most rows a single recording can hold in this stream. */
  maxRows: number;
  optional?: boolean;
}

/** What a task's recordings hold, independent of how the browser captures it. */
export interface TaskRecordingSpec {
  id: TaskId;
  /** Whether recordings are of one hand (`left`/`right`) or can be `both`. */
  hands: readonly ('left' | 'right' | 'both')[];
  /** Longest duration of one recording in seconds. */
  maxDurationS: number;
  streams: Record<string, StreamSpec>;
  /** Whether an imported original file (e.g. a Standard MIDI File) can travel with the recording. */
  acceptsSourceFile?: { mediaTypes: readonly string[]; maxBytes: number };
}

const t = (description: string): ColumnSpec => ({ type: 'f64', description });
const s = (description: string, maxLength: number, optional = false): ColumnSpec => ({
  type: 'str',
  description,
  maxLength,
  optional,
});
const opt = (spec: ColumnSpec): ColumnSpec => ({ ...spec, optional: true });

/** Event times: `Event.timeStamp`, ms since `performance.timeOrigin`. */
const timeStampMs = t('Event.timeStamp in ms on the performance.timeOrigin clock');

const markers: StreamSpec = {
  optional: true,
  maxRows: 2_000,
  columns: {
    timeStampMs: t('time of the marker on the performance clock, ms'),
    label: s('what happened: trial-start, trial-end, countdown, cue, abort, …', 64),
  },
};

const visibility: StreamSpec = {
  optional: true,
  maxRows: 1_000,
  columns: {
    timeStampMs,
    state: s('document.visibilityState after the change, or blur/focus', 16),
  },
};

const keyboard = (maxRows: number): StreamSpec => ({
  maxRows,
  columns: {
    type: s('keydown or keyup (compositionstart/-end for IME)', 20),
    timeStampMs,
    code: s('KeyboardEvent.code: the physical key, layout-independent', 32),
    key: s('KeyboardEvent.key: only stored when the person opted in to keeping the typed text', 32, true),
    repeat: { type: 'bool', description: 'KeyboardEvent.repeat (auto-repeat)' },
    isComposing: { type: 'bool', description: 'KeyboardEvent.isComposing (IME composition)' },
    keyLocationIndex: { type: 'i32', description: 'KeyboardEvent.location', optional: true },
  },
});

const pointer = (maxRows: number): StreamSpec => ({
  maxRows,
  columns: {
    type: s('pointerdown, pointermove, pointerup, pointercancel, pointerrawupdate', 20),
    timeStampMs,
    coalesced: { type: 'bool', description: 'the sample came from getCoalescedEvents()' },
    pointerId: { type: 'i32', description: 'PointerEvent.pointerId' },
    pointerType: s('pen, touch or mouse', 8),
    isPrimary: { type: 'bool', description: 'PointerEvent.isPrimary', optional: true },
    xPx: t('clientX in CSS px, fractional where the platform gives it'),
    yPx: t('clientY in CSS px'),
    pressureNorm: opt(t('PointerEvent.pressure, 0–1')),
    tangentialPressureNorm: opt(t('PointerEvent.tangentialPressure, −1–1')),
    tiltXDeg: opt(t('PointerEvent.tiltX, degrees')),
    tiltYDeg: opt(t('PointerEvent.tiltY, degrees')),
    twistDeg: opt(t('PointerEvent.twist, degrees')),
    altitudeAngleRad: opt(t('PointerEvent.altitudeAngle, radians')),
    azimuthAngleRad: opt(t('PointerEvent.azimuthAngle, radians')),
    widthPx: opt(t('contact width, CSS px')),
    heightPx: opt(t('contact height, CSS px')),
    buttonsMaskId: { type: 'i32', description: 'PointerEvent.buttons bit mask', optional: true },
  },
});

const metronome: StreamSpec = {
  optional: true,
  maxRows: 4_000,
  columns: {
    clickTimeMs: t(
      'scheduled click start at the audio output mapped to the performance clock, ms: via AudioContext.getOutputTimestamp() read when the click was scheduled, or (mapping "currentTime") via currentTime and performance.now(); output latency is not added',
    ),
    audioTimeS: t('scheduled click time on the AudioContext clock, s'),
    accent: { type: 'bool', description: 'accented (first) beat of a bar' },
    baseLatencyS: opt(t('AudioContext.baseLatency when the click was scheduled, s')),
    outputLatencyS: opt(t('AudioContext.outputLatency when the click was scheduled, s')),
    mapping: s('how clickTimeMs was mapped: "outputTimestamp" or "currentTime" (fallback)', 16, true),
  },
};

const midi: StreamSpec = {
  maxRows: 60_000,
  columns: {
    timeStampMs: t('MIDIMessageEvent.timeStamp (or the file time for imports), ms'),
    bytesHex: s('the raw MIDI message bytes in hex', 256),
    inputId: s('the MIDI input the message came from', 128, true),
  },
};

const motion: StreamSpec = {
  maxRows: 40_000,
  columns: {
    timeStampMs,
    accXMPerS2: t('DeviceMotionEvent.acceleration.x, m/s², gravity removed'),
    accYMPerS2: t('acceleration.y, m/s²'),
    accZMPerS2: t('acceleration.z, m/s²'),
    accGravXMPerS2: opt(t('accelerationIncludingGravity.x, m/s²')),
    accGravYMPerS2: opt(t('accelerationIncludingGravity.y, m/s²')),
    accGravZMPerS2: opt(t('accelerationIncludingGravity.z, m/s²')),
    rotAlphaDegPerS: opt(t('rotationRate.alpha, deg/s')),
    rotBetaDegPerS: opt(t('rotationRate.beta, deg/s')),
    rotGammaDegPerS: opt(t('rotationRate.gamma, deg/s')),
    intervalMs: opt(t('DeviceMotionEvent.interval, ms')),
  },
};

const sensor = (unit: 'MPerS2' | 'RadPerS', what: string): StreamSpec => ({
  optional: true,
  maxRows: 40_000,
  columns: {
    timeStampMs: t('Sensor.timestamp, ms on the performance clock'),
    [`x${unit}`]: t(`${what} x`),
    [`y${unit}`]: t(`${what} y`),
    [`z${unit}`]: t(`${what} z`),
  },
});

const common = { markers, visibility };

/** Recording specs of every task: the streams and limits that the server validates and sizes against. */
export const TASK_RECORDING_SPECS: Record<TaskId, TaskRecordingSpec> = {
  typing: {
    id: 'typing',
    hands: ['both', 'left', 'right'],
    maxDurationS: 20 * 60,
    streams: { ...common, keyboard: keyboard(40_000) },
  },
  tapping: {
    id: 'tapping',
    hands: ['left', 'right'],
    maxDurationS: 5 * 60,
    streams: {
      ...common,
      keyboard: { ...keyboard(12_000), optional: true },
      pointer: { ...pointer(60_000), optional: true },
      metronome,
    },
  },
  scale: {
    id: 'scale',
    hands: ['left', 'right', 'both'],
    maxDurationS: 30 * 60,
    streams: { ...common, midi, metronome },
    acceptsSourceFile: { mediaTypes: ['audio/midi', 'audio/x-midi'], maxBytes: 1_048_576 },
  },
  spiral: {
    id: 'spiral',
    hands: ['left', 'right'],
    maxDurationS: 3 * 60,
    streams: { ...common, pointer: pointer(3 * 60 * 250) },
  },
  handwriting: {
    id: 'handwriting',
    hands: ['left', 'right'],
    maxDurationS: 5 * 60,
    streams: { ...common, pointer: pointer(5 * 60 * 250) },
  },
  precision: {
    id: 'precision',
    hands: ['left', 'right'],
    maxDurationS: 3 * 60,
    streams: { ...common, pointer: pointer(3 * 60 * 250) },
  },
  tremor: {
    id: 'tremor',
    hands: ['left', 'right'],
    maxDurationS: 3 * 60,
    streams: {
      ...common,
      motion,
      accelerometer: sensor('MPerS2', 'Accelerometer, m/s² (Generic Sensor API)'),
      gyroscope: sensor('RadPerS', 'Gyroscope, rad/s (Generic Sensor API)'),
    },
  },
};

/** Whether a string is a known task id. */
export function isTaskId(id: string): id is TaskId {
  return (TASK_IDS as readonly string[]).includes(id);
}

/** Widest JSON text of one cell of each column type, with its separator. */
const CELL_BYTES: Record<ColumnType, number> = { f64: 25, i32: 12, bool: 6, str: 0 };
/** Bytes of the envelope: ids, device and browser metadata, timing probe, context, params, flags. */
export const ENVELOPE_MAX_BYTES = 64 * 1024;

/** Largest JSON size, in bytes, that a recording of this task can reach. */
export function maxRecordingBytes(spec: TaskRecordingSpec): number {
  let bytes = ENVELOPE_MAX_BYTES;
  for (const stream of Object.values(spec.streams)) {
    let row = 0;
    for (const column of Object.values(stream.columns)) {
      // a string cell takes at most 2 bytes a character (the values are short, mostly ASCII names) plus quotes and comma
      row += column.type === 'str' ? (column.maxLength ?? 64) * 2 + 3 : CELL_BYTES[column.type];
    }
    bytes += stream.maxRows * row + 1024;
  }
  if (spec.acceptsSourceFile) bytes += Math.ceil((spec.acceptsSourceFile.maxBytes * 4) / 3) + 1024;
  return bytes;
}

/** The largest recording any task can produce: the upload size limit. */
export function largestRecordingBytes(): number {
  return Math.max(...Object.values(TASK_RECORDING_SPECS).map(maxRecordingBytes));
}
