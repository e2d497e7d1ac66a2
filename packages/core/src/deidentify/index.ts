import type { Column, Stream } from '../recording/columns.js';
import type { TaskId } from '../recording/tasks.js';
import type { Recording } from '../recording/versions.js';

/**
 * De-identification of stored recordings for research exports. Everything is an allow-list: a field,
 * parameter, stream, column or string value that is not named here is dropped (or becomes `other`), so
 * that a field added to the recording schema later stays out of exports until someone decides it may go
 * out. What is dropped on purpose, and why:
 * - `id` (the real recording id links back to the patient's record): replaced by a pseudonymous id;
 * - `startedAt` (a wall-clock time): replaced by the participant's shifted day;
 * - `timing.timeOriginMs` (performance.timeOrigin: with any event time it gives the wall-clock instant);
 * - `device.userAgent`, `platform`, `language`, `hardwareConcurrency`, `inputDevice` (browser and device
 *   names, the person's own words; together a fingerprint);
 * - `context.medication` (free text in the person's own words);
 * - `source` (an imported MIDI file carries track names, text and device names in its meta events);
 * - keyboard `key` (the typed characters) and `code` (the physical keys: on a known layout they spell the
 *   typed text), replaced by a coarse key class;
 * - MIDI `inputId` (the port) and every MIDI message that is not a channel message (system-exclusive
 *   messages carry device identities);
 * - params that name the text written (handwriting `text`), the MIDI port (`midiInput`), error messages and
 *   descriptions, and every parameter not on the task's list.
 * Event times are rebased so that the earliest event of the recording is at 0 ms: the times stay exact
 * relative to each other, and say nothing about when the page was opened.
 */

/** Version of these rules, written into every de-identified recording. */
export const DEIDENTIFY_VERSION = 1;

/** The coarse class of a key press that replaces `key` and `code`. */
export const KEY_CLASSES = [
  'letter',
  'digit',
  'space',
  'backspace',
  'enter',
  'punctuation',
  'modifier',
  'other',
] as const;
export type KeyClass = (typeof KEY_CLASSES)[number];

const PUNCTUATION_CODES = new Set([
  'Minus',
  'Equal',
  'BracketLeft',
  'BracketRight',
  'Backslash',
  'Semicolon',
  'Quote',
  'Backquote',
  'Comma',
  'Period',
  'Slash',
  'IntlBackslash',
  'IntlRo',
  'IntlYen',
  'NumpadDecimal',
  'NumpadComma',
  'NumpadAdd',
  'NumpadSubtract',
  'NumpadMultiply',
  'NumpadDivide',
  'NumpadEqual',
]);
const MODIFIER_CODES = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'OSLeft',
  'OSRight',
  'CapsLock',
  'Fn',
  'AltGraph',
]);

/**
 * The coarse class of a physical key (`KeyboardEvent.code`): enough to tell typing from correcting and
 * pausing at word ends, not enough to spell anything. Backspace and Delete are both `backspace` (a
 * correction).
 */
export function keyClass(code: string): KeyClass {
  if (/^Key[A-Z]$/.test(code)) return 'letter';
  if (/^(Digit|Numpad)[0-9]$/.test(code)) return 'digit';
  if (code === 'Space') return 'space';
  if (code === 'Backspace' || code === 'Delete') return 'backspace';
  if (code === 'Enter' || code === 'NumpadEnter') return 'enter';
  if (PUNCTUATION_CODES.has(code)) return 'punctuation';
  if (MODIFIER_CODES.has(code)) return 'modifier';
  return 'other';
}

/** How one column is carried over. */
type ColumnRule =
  | { kind: 'keep' } // a number or flag that says nothing about who or when
  | { kind: 'time' } // a time on the performance clock: rebased with the recording's origin
  | { kind: 'audioTime' } // a time on the AudioContext clock: rebased to its own first value
  | { kind: 'enum'; values: ReadonlySet<string> }; // a string from a fixed set; anything else is `other`

const keep: ColumnRule = { kind: 'keep' };
const time: ColumnRule = { kind: 'time' };
const oneOf = (...values: string[]): ColumnRule => ({ kind: 'enum', values: new Set(values) });

/** A marker label: lower-case words and hyphens, optionally `:` and another such word (`position:rest`). */
const MARKER_LABEL = /^[a-z][a-z0-9-]{0,39}(:[a-z0-9][a-z0-9-]{0,39})?$/;

const MARKERS: Record<string, ColumnRule> = { timeStampMs: time };
const VISIBILITY: Record<string, ColumnRule> = {
  timeStampMs: time,
  state: oneOf('visible', 'hidden', 'prerender', 'blur', 'focus'),
};
/** Keyboard: `key` and `code` are not on the list; `code` becomes `keyClass` (see {@link deidentifyRecording}). */
const KEYBOARD: Record<string, ColumnRule> = {
  type: oneOf('keydown', 'keyup', 'compositionstart', 'compositionend'),
  timeStampMs: time,
  repeat: keep,
  isComposing: keep,
  keyLocationIndex: keep,
};
const POINTER: Record<string, ColumnRule> = {
  type: oneOf('pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'pointerrawupdate'),
  timeStampMs: time,
  coalesced: keep,
  pointerId: keep,
  pointerType: oneOf('pen', 'touch', 'mouse'),
  isPrimary: keep,
  xPx: keep,
  yPx: keep,
  pressureNorm: keep,
  tangentialPressureNorm: keep,
  tiltXDeg: keep,
  tiltYDeg: keep,
  twistDeg: keep,
  altitudeAngleRad: keep,
  azimuthAngleRad: keep,
  widthPx: keep,
  heightPx: keep,
  buttonsMaskId: keep,
};
const METRONOME: Record<string, ColumnRule> = {
  clickTimeMs: time,
  audioTimeS: { kind: 'audioTime' },
  accent: keep,
  baseLatencyS: keep,
  outputLatencyS: keep,
  mapping: oneOf('outputTimestamp', 'currentTime'),
};
/** MIDI: `inputId` (the port) is not on the list; only channel messages are kept (rows filtered). */
const MIDI: Record<string, ColumnRule> = { timeStampMs: time, bytesHex: keep };
const MOTION: Record<string, ColumnRule> = {
  timeStampMs: time,
  ...Object.fromEntries(
    [
      'accXMPerS2',
      'accYMPerS2',
      'accZMPerS2',
      'accGravXMPerS2',
      'accGravYMPerS2',
      'accGravZMPerS2',
      'rotAlphaDegPerS',
      'rotBetaDegPerS',
      'rotGammaDegPerS',
      'intervalMs',
    ].map((name) => [name, keep] as const),
  ),
};
const sensor = (unit: string): Record<string, ColumnRule> => ({
  timeStampMs: time,
  [`x${unit}`]: keep,
  [`y${unit}`]: keep,
  [`z${unit}`]: keep,
});

const COMMON = { markers: MARKERS, visibility: VISIBILITY };

/** The streams and columns that may leave, per task (the marker `label` is checked separately). */
export const STREAM_ALLOW_LIST: Record<TaskId, Record<string, Record<string, ColumnRule>>> = {
  typing: { ...COMMON, keyboard: KEYBOARD },
  tapping: { ...COMMON, keyboard: KEYBOARD, pointer: POINTER, metronome: METRONOME },
  scale: { ...COMMON, midi: MIDI, metronome: METRONOME },
  spiral: { ...COMMON, pointer: POINTER },
  handwriting: { ...COMMON, pointer: POINTER },
  precision: { ...COMMON, pointer: POINTER },
  tremor: {
    ...COMMON,
    motion: MOTION,
    accelerometer: sensor('MPerS2'),
    gyroscope: sensor('RadPerS'),
  },
};

/**
 * Columns of the recording spec that are dropped or replaced on purpose (the test checks that every
 * column of every task is either allowed or listed here, so that a new column needs a decision).
 */
export const DROPPED_COLUMNS: readonly string[] = [
  'markers.label (checked against a pattern, not dropped)',
  'keyboard.key',
  'keyboard.code (replaced by keyClass)',
  'midi.inputId',
];

/** How one parameter is carried over. */
type ParamRule =
  | 'number' // a finite number
  | 'boolean'
  | 'numbers' // JSON of numbers, booleans and nulls (geometry, trial facts); strings only from PARAM_NESTED_STRINGS
  | readonly string[]; // a string from this fixed set

const ID = /^[a-z0-9][a-z0-9,-]{0,63}$/;

/** The parameters that may leave, per task; every other parameter is dropped. */
export const PARAM_ALLOW_LIST: Record<TaskId, Record<string, ParamRule>> = {
  typing: {
    mode: ['copy', 'drill'],
    // which of the fixed copy texts (its language), not what was typed
    text: ['en', 'de', 'fr', 'es'],
    drill: ['all', 'roll', 'same-finger'],
    finger: ['index', 'middle', 'ring', 'pinky'],
    drillDurationS: 'number',
    restS: 'number',
    timeLimitS: 'number',
    storeText: 'boolean',
    // counts only (typed, correct, errors…), never the typed text (strings inside are dropped anyway)
    copy: 'numbers',
    drills: 'numbers',
  },
  tapping: {
    protocol: ['alternating', 'sync-continuation'],
    input: ['pointer', 'keys'],
    durationS: 'number',
    targetDiameterMm: 'number',
    centreDistanceMm: 'number',
    intervalMs: 'number',
    pacedClicks: 'number',
    continuationTaps: 'number',
    layout: 'numbers',
    latencyCalibration: 'numbers',
    metronome: 'numbers',
    bpm: 'number',
  },
  scale: {
    block: ['warm-up', 'a-120', 'b-80', 'c-continuation', 'd-passage'],
    runs: 'number',
    warmUpS: 'number',
    pauseS: 'number',
    passageMetronome: 'boolean',
    passageTempoBpm: 'number',
    maxMinutes: 'number',
    tempoBpm: 'number',
    expectedSequence: 'numbers',
    runsAsked: 'number',
    runsPlayed: 'number',
    runsMatched: 'number',
    passagePauseMs: 'number',
    analysed: 'boolean',
    sustainPedalCheck: ['pressed-and-released', 'no-pedal', 'held-down'],
    metronome: 'numbers',
  },
  spiral: {
    mode: ['freehand', 'traced'],
    trials: 'number',
    timeLimitS: 'number',
    guide: 'numbers',
    canvas: 'numbers',
    attempts: 'numbers',
    calibration: 'numbers',
    pxPerMm: 'number',
  },
  handwriting: {
    part: ['loops', 'sentence', 'fast', 'copy'],
    language: ['en', 'de', 'fr', 'es'],
    trials: 'number',
    loopsDurationS: 'number',
    copyDurationS: 'number',
    restS: 'number',
    lineSpacingMm: 'number',
    timeLimitS: 'number',
    // the number of letters of the text, not the text (`text` is not on the list)
    textLetters: 'number',
    lines: 'numbers',
    canvas: 'numbers',
    attempts: 'numbers',
    calibration: 'numbers',
    pxPerMm: 'number',
  },
  precision: {
    part: ['hold', 'circle', 'zigzag'],
    tool: ['dental-mirror', 'dental-probe', 'scalpel', 'other'],
    trials: 'number',
    holdS: 'number',
    restS: 'number',
    timeLimitS: 'number',
    target: 'numbers',
    targetXPx: 'number',
    targetYPx: 'number',
    canvas: 'numbers',
    attempts: 'numbers',
    calibration: 'numbers',
    pxPerMm: 'number',
  },
  tremor: {
    positions: ['rest,posture,wing,kinetic,task', 'rest', 'posture', 'wing', 'kinetic', 'task'],
    position: ['rest', 'posture', 'wing', 'kinetic', 'task'],
    weightTest: 'boolean',
    mount: ['hand', 'strap'],
    trialS: 'number',
    taskPostureS: 'number',
    edgeDiscardS: 'number',
    prepareS: 'number',
    sensorHz: 'number',
    speech: 'boolean',
    vibration: 'boolean',
    trials: 'numbers',
    sensors: 'numbers',
    cues: 'numbers',
  },
};

/**
 * Numbers this large are dropped from parameters: an epoch time in seconds (≥ 1e9 is 2001) or in
 * milliseconds would date the recording. No task parameter is that large.
 */
const LARGEST_PARAM_NUMBER = 1e9;
/** Keys of nested parameters that hold times on the performance clock: rebased like event times. */
const PARAM_TIME_KEYS = new Set(['startMs', 'endMs', 'goMs', 'atMs', 'timeStampMs', 'clickTimeMs']);
/**
 * The few strings nested parameters may keep, by key: protocol words (a trial's outcome, the spiral's
 * direction), never names, dates (`calibratedAt`) or text.
 */
const PARAM_NESTED_STRINGS: Record<string, ReadonlySet<string>> = {
  outcome: new Set(['kept', 'redone', 'empty', 'stopped', 'time-limit', 'flagged', 'discarded']),
  language: new Set(['en', 'de', 'fr', 'es']),
  mapping: new Set(['outputTimestamp', 'currentTime']),
  hand: new Set(['left', 'right', 'both']),
  rotation: new Set(['clockwise', 'anticlockwise']),
  part: new Set(['hold', 'circle', 'zigzag', 'loops', 'sentence', 'fast', 'copy']),
  source: new Set(['accelerometer', 'gyroscope', 'motion', 'devicemotion']),
  position: new Set(['rest', 'posture', 'wing', 'kinetic', 'task']),
  permission: new Set(['not-required', 'granted', 'denied', 'prompt']),
};
/** Keys of nested parameter objects: identifiers only, no sentences. */
const PARAM_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

/** JSON values as they leave. */
export type DeidentifiedJson =
  number | boolean | string | null | DeidentifiedJson[] | { [key: string]: DeidentifiedJson };

/** One column as it leaves. */
export type DeidentifiedColumn = Column;

/** A stored recording after {@link deidentifyRecording}. */
export interface DeidentifiedRecording {
  /** The pseudonymous recording id (not the real one). */
  id: string;
  deidentifyVersion: number;
  schemaVersion: number;
  taskId: TaskId;
  taskVersion: string;
  hand: Recording['hand'];
  /** The participant's shifted day of the recording, YYYY-MM-DD (no time of day). */
  day: string;
  durationMs: number;
  params: Record<string, DeidentifiedJson>;
  device: {
    maxTouchPoints: number | null;
    screenWidthPx: number | null;
    screenHeightPx: number | null;
    devicePixelRatio: number | null;
  };
  timing: {
    crossOriginIsolated: boolean;
    resolutionMs: number | null;
    pollingEstimateHz: number | null;
    hiddenCount: number;
    hiddenMs: number;
  };
  context: {
    selfRating0to10: number | null;
    taskLoadHoursLast24h: number | null;
    botulinumToxin: 'received' | 'never' | 'unknown' | null;
    daysSinceBotulinumToxin: number | null;
  };
  streams: Record<string, Stream>;
  flags: string[];
}

/** What {@link deidentifyRecording} needs besides the recording. */
export interface DeidentifyOptions {
  /** The id the recording gets in the export. */
  pseudonymousId: string;
  /** The participant's shifted day of the recording, YYYY-MM-DD. */
  day: string;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Only numbers, booleans and nulls, in arrays and identifier-keyed objects; times rebased by `origin`. */
function numbersOnly(value: unknown, origin: number, key: string | null): DeidentifiedJson | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string')
    return key !== null && PARAM_NESTED_STRINGS[key]?.has(value) ? value : undefined;
  if (finite(value)) {
    if (key !== null && PARAM_TIME_KEYS.has(key)) return value - origin;
    return Math.abs(value) < LARGEST_PARAM_NUMBER ? value : undefined;
  }
  if (Array.isArray(value)) {
    const out: DeidentifiedJson[] = [];
    for (const item of value) {
      const kept = numbersOnly(item, origin, null);
      // keep the positions of an array (geometry): a dropped item becomes null
      out.push(kept === undefined ? null : kept);
    }
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, DeidentifiedJson> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (!PARAM_KEY.test(name)) continue;
      const kept = numbersOnly(item, origin, name);
      if (kept !== undefined) out[name] = kept;
    }
    return out;
  }
  return undefined;
}

function deidentifyParams(
  taskId: TaskId,
  params: Readonly<Record<string, unknown>>,
  origin: number,
): Record<string, DeidentifiedJson> {
  const out: Record<string, DeidentifiedJson> = {};
  const rules = PARAM_ALLOW_LIST[taskId];
  for (const [name, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(params, name)) continue;
    const value = params[name];
    if (rule === 'number') {
      if (finite(value) && Math.abs(value) < LARGEST_PARAM_NUMBER) out[name] = value;
    } else if (rule === 'boolean') {
      if (typeof value === 'boolean') out[name] = value;
    } else if (rule === 'numbers') {
      const kept = numbersOnly(value, origin, null);
      if (kept !== undefined) out[name] = kept;
    } else if (typeof value === 'string' && rule.includes(value) && ID.test(value)) {
      out[name] = value;
    }
  }
  return out;
}

/** The earliest time on the performance clock in the recording's streams (0 when there is none). */
function timeOrigin(recording: Recording): number {
  let origin = Infinity;
  const allowed = STREAM_ALLOW_LIST[recording.taskId];
  for (const [streamName, stream] of Object.entries(recording.streams)) {
    const rules = allowed[streamName];
    if (!rules) continue;
    for (const [columnName, column] of Object.entries(stream.columns)) {
      if (rules[columnName]?.kind !== 'time' || column.type !== 'f64') continue;
      for (const value of column.values) if (value !== null && value < origin) origin = value;
    }
  }
  return Number.isFinite(origin) ? origin : 0;
}

/** Whether a MIDI message (hex) is a channel message (note, controller, pitch bend, …: status 0x80–0xEF). */
function isChannelMessage(hex: string): boolean {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return false;
  const status = parseInt(hex.slice(0, 2), 16);
  return status >= 0x80 && status <= 0xef && hex.length <= 6;
}

function transformColumn(
  rule: ColumnRule,
  column: Column,
  rows: readonly number[],
  origin: number,
): Column | null {
  const pick = <T>(values: readonly T[]): T[] => rows.map((i) => values[i]!);
  switch (rule.kind) {
    case 'keep':
      if (column.type === 'str') return null; // a string is never kept as it is
      return { type: column.type, values: pick(column.values as never[]) } as Column;
    case 'time':
      if (column.type !== 'f64') return null;
      return { type: 'f64', values: pick(column.values).map((v) => (v === null ? null : v - origin)) };
    case 'audioTime': {
      if (column.type !== 'f64') return null;
      const values = pick(column.values);
      let first = Infinity;
      for (const v of values) if (v !== null && v < first) first = v;
      return { type: 'f64', values: values.map((v) => (v === null ? null : v - first)) };
    }
    case 'enum':
      if (column.type !== 'str') return null;
      return { type: 'str', values: pick(column.values).map((v) => (rule.values.has(v) ? v : 'other')) };
  }
}

function rowCount(stream: Stream): number {
  for (const column of Object.values(stream.columns)) return column.values.length;
  return 0;
}

/** For tapping with keys: which of the protocol's keys each row is (the measurement, not text). */
function tapKeys(recording: Recording, codes: readonly string[]): string[] {
  const param = (name: string): string | null => {
    const value = recording.params[name];
    return typeof value === 'string' ? value : null;
  };
  const left = param('keyLeft');
  const right = param('keyRight');
  const sync = param('syncKey');
  return codes.map((code) =>
    code === left ? 'left' : code === right ? 'right' : code === sync ? 'sync' : 'other',
  );
}

function deidentifyStream(
  recording: Recording,
  name: string,
  stream: Stream,
  rules: Record<string, ColumnRule>,
  origin: number,
): Stream {
  let rows = Array.from({ length: rowCount(stream) }, (_, i) => i);
  const bytes = stream.columns.bytesHex;
  if (name === 'midi' && bytes?.type === 'str') rows = rows.filter((i) => isChannelMessage(bytes.values[i]!));
  const columns: Record<string, Column> = {};
  for (const [columnName, rule] of Object.entries(rules)) {
    const column = stream.columns[columnName];
    if (!column) continue;
    const kept = transformColumn(rule, column, rows, origin);
    if (kept) columns[columnName] = kept;
  }
  if (name === 'midi' && bytes?.type === 'str')
    columns.bytesHex = { type: 'str', values: rows.map((i) => bytes.values[i]!.toLowerCase()) };
  const label = stream.columns.label;
  if (name === 'markers' && label?.type === 'str') {
    const labels = rows.map((i) => label.values[i]!);
    columns.label = { type: 'str', values: labels.map((l) => (MARKER_LABEL.test(l) ? l : 'other')) };
  }
  const code = stream.columns.code;
  if (name === 'keyboard' && code?.type === 'str') {
    const codes = rows.map((i) => code.values[i]!);
    columns.keyClass = { type: 'str', values: codes.map(keyClass) };
    if (recording.taskId === 'tapping') columns.tapKey = { type: 'str', values: tapKeys(recording, codes) };
  }
  return { columns };
}

/**
 * Transforms one stored recording into its de-identified form for a research export: a pure function
 * of an allow-list (see the module comment for what goes and why). The input is not changed.
 * @param recording - a stored recording at the current schema version
 * @param options - the pseudonymous id and the participant's shifted day
 */
export function deidentifyRecording(recording: Recording, options: DeidentifyOptions): DeidentifiedRecording {
  const origin = timeOrigin(recording);
  const streams: Record<string, Stream> = {};
  const allowed = STREAM_ALLOW_LIST[recording.taskId];
  for (const [name, stream] of Object.entries(recording.streams)) {
    const rules = allowed[name];
    if (rules) streams[name] = deidentifyStream(recording, name, stream, rules, origin);
  }
  const { device, timing, context } = recording;
  return {
    id: options.pseudonymousId,
    deidentifyVersion: DEIDENTIFY_VERSION,
    schemaVersion: recording.schemaVersion,
    taskId: recording.taskId,
    taskVersion: recording.taskVersion,
    hand: recording.hand,
    day: options.day,
    durationMs: recording.durationMs,
    params: deidentifyParams(recording.taskId, recording.params, origin),
    device: {
      maxTouchPoints: device.maxTouchPoints,
      screenWidthPx: device.screenWidthPx,
      screenHeightPx: device.screenHeightPx,
      devicePixelRatio: device.devicePixelRatio,
    },
    timing: {
      crossOriginIsolated: timing.crossOriginIsolated,
      resolutionMs: timing.resolutionMs,
      pollingEstimateHz: timing.pollingEstimateHz,
      hiddenCount: timing.hiddenCount,
      hiddenMs: timing.hiddenMs,
    },
    context: {
      selfRating0to10: context.selfRating0to10,
      taskLoadHoursLast24h: context.taskLoadHoursLast24h,
      botulinumToxin: context.botulinumToxin,
      daysSinceBotulinumToxin: context.daysSinceBotulinumToxin,
    },
    streams,
    flags: recording.flags.filter((flag) => /^[A-Z][A-Z0-9_]{0,63}$/.test(flag)),
  };
}

/**
 * Shifts a day by a number of days (the participant's secret date shift).
 * @param day - YYYY-MM-DD
 * @param days - whole days, negative for earlier
 */
export function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a day: ${day}`);
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
