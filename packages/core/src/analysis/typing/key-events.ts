/**
 * Reading the project's recordings: typed stream columns, the trial window from the `markers`
 * stream, capture flags, and key presses paired from the `keyboard` stream (used by typing and by
 * keyboard tapping).
 */
import { CodedError } from '../../errors/catalogue.js';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { QUALITY_FLAGS, type QualityFlag } from '../flags.js';
import type { KeyPress } from '../inputs.js';

type ColumnValues = { f64: (number | null)[]; i32: number[]; str: string[]; bool: boolean[] };

/**
 * The values of a stream column of the expected type.
 * @returns the values, or null when the stream lacks the column
 * @throws CodedError `E_INPUT_COLUMNS` when the column has another type
 */
export function streamColumn<T extends keyof ColumnValues>(
  stream: Stream,
  name: string,
  type: T,
): ColumnValues[T] | null {
  const column = stream.columns[name];
  if (!column) return null;
  if (column.type !== type) {
    throw new CodedError('E_INPUT_COLUMNS', `column "${name}" is ${column.type}, expected ${type}`);
  }
  return column.values as ColumnValues[T];
}

/** Like {@link streamColumn}, but a missing column is an `E_INPUT_COLUMNS` error. */
export function requiredColumn<T extends keyof ColumnValues>(
  stream: Stream,
  streamName: string,
  name: string,
  type: T,
): ColumnValues[T] {
  const values = streamColumn(stream, name, type);
  if (!values) {
    throw new CodedError('E_INPUT_COLUMNS', `the ${streamName} stream has no "${name}" column`);
  }
  return values;
}

/** Labels of the trial markers written by the task runner (packages/tasks MARKERS). */
export const TRIAL_START = 'trial-start';
export const TRIAL_END = 'trial-end';

/**
 * The trial from the `markers` stream: the first `trial-start` and the last `trial-end` after it
 * (end is +∞ when the recording stopped before the trial ended). Null when there is no trial-start
 * marker: then the whole recording is analysed.
 */
export function trialWindow(recording: Recording): { startMs: number; endMs: number } | null {
  const markers = recording.streams.markers;
  if (!markers) return null;
  const times = streamColumn(markers, 'timeStampMs', 'f64');
  const labels = streamColumn(markers, 'label', 'str');
  if (!times || !labels) return null;
  let startMs: number | null = null;
  let endMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < labels.length; i++) {
    const t = times[i];
    if (typeof t !== 'number') continue;
    if (labels[i] === TRIAL_START && startMs === null) startMs = t;
    else if (labels[i] === TRIAL_END && startMs !== null && t >= startMs) endMs = t;
  }
  return startMs === null ? null : { startMs, endMs };
}

/**
 * Quality flags that travel from the capture: the recording's own flags that are analysis flags
 * (TAB_HIDDEN, INCOMPLETE_RECORDING, …), and TAB_HIDDEN when the timing check saw the page hidden.
 */
export function captureFlags(recording: Recording): QualityFlag[] {
  const flags = recording.flags.filter((flag): flag is QualityFlag =>
    Object.prototype.hasOwnProperty.call(QUALITY_FLAGS, flag),
  );
  if (recording.timing.hiddenCount > 0) flags.push('TAB_HIDDEN');
  return flags;
}

/** Key presses paired from a `keyboard` stream, and the events left out. */
export interface PairedKeys {
  /** Presses in keydown order, with the row index of their keydown. */
  presses: (KeyPress & { row: number })[];
  /** Keydowns dropped as auto-repeat (`repeat` true, or a second keydown before the key's keyup). */
  autoRepeatDropped: number;
  /** Key events dropped because they belong to an IME composition (`isComposing`). */
  compositionDropped: number;
}

/**
 * Pairs `keydown` and `keyup` rows of a recording's `keyboard` stream into presses, in the order the
 * browser dispatched them. A key is identified by `code` (or by `key` when `code` is empty; rows with
 * neither are skipped). Dropped: keydowns with `repeat` true and a keydown of a key already down
 * (auto-repeat, as the contract's rule), every event with `isComposing` true (a press whose keyup
 * came during composition is lost with it), keydowns never released and keyups without a keydown
 * (e.g. a key already down when recording started). Other event types (compositionstart, …) are
 * ignored.
 * @throws CodedError `E_INPUT_COLUMNS` when the stream lacks `type`, `timeStampMs` or `code`
 */
export function pairKeyEvents(stream: Stream): PairedKeys {
  const type = requiredColumn(stream, 'keyboard', 'type', 'str');
  const time = requiredColumn(stream, 'keyboard', 'timeStampMs', 'f64');
  const code = requiredColumn(stream, 'keyboard', 'code', 'str');
  const key = streamColumn(stream, 'key', 'str');
  const repeat = streamColumn(stream, 'repeat', 'bool');
  const composing = streamColumn(stream, 'isComposing', 'bool');
  const open = new Map<string, { downMs: number; code: string | null; key: string | null; row: number }>();
  const presses: PairedKeys['presses'] = [];
  let autoRepeatDropped = 0;
  let compositionDropped = 0;
  for (let i = 0; i < type.length; i++) {
    const kind = type[i];
    if (kind !== 'keydown' && kind !== 'keyup') continue;
    const t = time[i];
    const c = code[i] || null;
    const k = key?.[i] || null;
    const id = c ?? (k === null ? null : `key:${k}`);
    if (typeof t !== 'number' || id === null) continue;
    if (composing?.[i]) {
      compositionDropped++;
      open.delete(id);
      continue;
    }
    if (kind === 'keydown') {
      if (repeat?.[i] || open.has(id)) {
        autoRepeatDropped++;
        continue;
      }
      open.set(id, { downMs: t, code: c, key: k, row: i });
    } else {
      const down = open.get(id);
      if (!down) continue;
      open.delete(id);
      presses.push({ downMs: down.downMs, upMs: t, code: down.code, key: down.key, row: down.row });
    }
  }
  presses.sort((a, b) => a.row - b.row);
  return { presses, autoRepeatDropped, compositionDropped };
}
