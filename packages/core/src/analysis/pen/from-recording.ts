import { CodedError } from '../../errors/catalogue.js';
import type { Column, Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { QUALITY_FLAGS, type QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import { finishPenInput, type PenTask } from './from-csv.js';
import { factsFromParams, type PenRecordingInput } from './recording-facts.js';
import { penTrials, trialSamplingFlags } from './trials.js';

/** mm per CSS px at the nominal 96 CSS px per inch (CSS Values 4: 1in = 96px = 25.4 mm). */
export const NOMINAL_MM_PER_PX = 25.4 / 96;

const PEN_TASKS: readonly string[] = ['spiral', 'handwriting', 'precision'];

/**
 * The screen scale of a pen recording, in mm per CSS px: `1 / params.pxPerMm` when the recording's
 * parameters hold `pxPerMm` (or `layout.pxPerMm`, as the tapping task stores it): CSS px per mm,
 * measured on the device by a calibration such as the credit-card one of measures.md 3.2, a positive
 * finite number. Otherwise the nominal {@link NOMINAL_MM_PER_PX} and `nominal: true` (the input is
 * then flagged `NOMINAL_SCALE`); `pxPerMmNominal` is that nominal value, not a calibration.
 */
export function penScale(params: Recording['params']): { mmPerPx: number; nominal: boolean } {
  const layout = params['layout'];
  const candidates = [
    params['pxPerMm'],
    typeof layout === 'object' && layout !== null && !Array.isArray(layout)
      ? (layout as Record<string, unknown>)['pxPerMm']
      : undefined,
  ];
  for (const pxPerMm of candidates) {
    if (typeof pxPerMm === 'number' && Number.isFinite(pxPerMm) && pxPerMm > 0) {
      return { mmPerPx: 1 / pxPerMm, nominal: false };
    }
  }
  return { mmPerPx: NOMINAL_MM_PER_PX, nominal: true };
}

function numbers(stream: Stream, name: string): readonly (number | null)[] | null {
  const column: Column | undefined = stream.columns[name];
  if (!column) return null;
  if (column.type !== 'f64' && column.type !== 'i32') {
    throw new CodedError('E_INPUT_COLUMNS', `pointer column "${name}" is not numeric`);
  }
  return column.values;
}

function strings(stream: Stream, name: string): readonly string[] {
  const column = stream.columns[name];
  if (!column || column.type !== 'str') {
    throw new CodedError('E_INPUT_COLUMNS', `the pointer stream has no text column "${name}"`);
  }
  return column.values;
}

/**
 * Turns a pen recording (task `spiral`, `handwriting` or `precision`) into a pen input, from its
 * `pointer` stream (packages/core/src/recording/tasks.ts):
 * - the pen, not the palm: when the stream has a `pointerType` column with any `pen` row, only the
 *   `pen` rows are used (a palm or finger resting on the screen, even one that touched down first and
 *   is the primary touch pointer, is ignored); otherwise (drawing with a finger or a mouse, or no
 *   `pointerType` column) every row;
 * - rows are put in time order (stable, so coalesced samples keep their order), and only the primary
 *   pointer's down-to-up stretches are kept: a stretch starts at a `pointerdown` while no pointer is
 *   being followed (of a pointer with `isPrimary` true, when that column exists) and ends at that
 *   pointer's `pointerup`/`pointercancel`; other pointers' rows are ignored;
 * - several trials (the pen tasks' markers and `params.attempts`, see {@link penTrials}: redone and
 *   empty attempts dropped, cut-short ones by the task's rule): only the rows inside the kept trials'
 *   windows are kept (not those of rests, countdowns or dropped attempts), the input's `trials` lists
 *   those windows, and the sampling flags (`PEN_LIFTS`, `SAMPLE_GAPS`, `LOW_SAMPLING_RATE`) are computed
 *   per trial (the pen is lifted between trials); without trial markers the recording is one drawing
 *   (`trials` absent);
 * - `pen_down` is 1 at the `pointerdown` and 0 at the `pointerup`/`pointercancel` row (kept, so that the
 *   lift splits the path); a `pointermove` is down when its `buttonsMaskId` has bit 0 set (pen contact
 *   or left button), or, without that column, inside the stretch;
 * - coalesced and dispatched samples are all samples (the recorder stores each physical sample once);
 * - px → mm by {@link penScale} (`params.pxPerMm`, else nominal 96 px/in and `NOMINAL_SCALE`);
 * - pressure (`pressureNorm`) and tilt (`tiltXDeg`, `tiltYDeg`) are kept when every kept row has them;
 * - precision task: `params.targetXPx` and `params.targetYPx` (numbers, CSS px) give a fixed target
 *   point for every sample (a hold); without them the target columns are null, and a trace's polyline
 *   (`params.target.path`) becomes the input's `targetPath` in mm;
 * - the facts of the recording that the contract input has no field for (`part`, handwriting
 *   `textLetters`, precision `targetPath`: {@link factsFromParams}) are added to the returned object;
 * - rows without a position are dropped; repeated time stamps dropped and flagged as for CSV input;
 * - the recording's own flags that are quality flags (`TAB_HIDDEN`, `INCOMPLETE_RECORDING`, `NOT_PEN`,
 *   …) are kept, and `TAB_HIDDEN` is added when the timing check saw the page hidden
 *   (`timing.hiddenCount` > 0).
 * @throws CodedError `E_TASK_MISMATCH` (not a pen task), `E_INPUT_COLUMNS` (no pointer stream or a
 *   required column missing), `E_INPUT_EMPTY` (no pen-down sample of the primary pointer, or none in a
 *   kept trial)
 */
export function penFromRecording(recording: Recording): PenInput {
  const task = recording.taskId;
  if (!PEN_TASKS.includes(task)) {
    throw new CodedError('E_TASK_MISMATCH', `a ${task} recording is not a pen recording`);
  }
  const stream = recording.streams['pointer'];
  if (!stream) throw new CodedError('E_INPUT_COLUMNS', 'the recording has no pointer stream');
  const type = strings(stream, 'type');
  const time = numbers(stream, 'timeStampMs');
  const pointerId = numbers(stream, 'pointerId');
  const xPx = numbers(stream, 'xPx');
  const yPx = numbers(stream, 'yPx');
  if (!time || !pointerId || !xPx || !yPx) {
    throw new CodedError('E_INPUT_COLUMNS', 'the pointer stream lacks timeStampMs, pointerId, xPx or yPx');
  }
  const primaryColumn = stream.columns['isPrimary'];
  const isPrimary = primaryColumn?.type === 'bool' ? primaryColumn.values : null;
  const buttons = numbers(stream, 'buttonsMaskId');
  const pressureNorm = numbers(stream, 'pressureNorm');
  const tiltX = numbers(stream, 'tiltXDeg');
  const tiltY = numbers(stream, 'tiltYDeg');

  const pointerTypeColumn = stream.columns['pointerType'];
  const pointerType = pointerTypeColumn?.type === 'str' ? pointerTypeColumn.values : null;
  const penOnly = pointerType !== null && pointerType.includes('pen');
  const order = Array.from(type, (_, i) => i).filter(
    (i) => time[i] !== null && Number.isFinite(time[i]) && (!penOnly || pointerType[i] === 'pen'),
  );
  order.sort((a, b) => time[a]! - time[b]!);

  const kept: { row: number; down: number }[] = [];
  let active: number | null = null;
  for (const i of order) {
    const id = pointerId[i];
    if (type[i] === 'pointerdown') {
      if (active === null && (isPrimary === null || isPrimary[i] === true)) {
        active = id ?? null;
        kept.push({ row: i, down: 1 });
      }
      continue;
    }
    if (active === null || id !== active) continue;
    if (type[i] === 'pointerup' || type[i] === 'pointercancel') {
      kept.push({ row: i, down: 0 });
      active = null;
    } else if (type[i] === 'pointermove' || type[i] === 'pointerrawupdate') {
      const mask = buttons?.[i];
      kept.push({ row: i, down: mask === null || mask === undefined ? 1 : mask & 1 });
    }
  }
  const trials = penTrials(recording);
  const inTrial = (t: number) => trials === null || trials.some((w) => t >= w.startMs && t <= w.endMs);
  const rows = kept.filter(({ row }) => isNumber(xPx[row]) && isNumber(yPx[row]) && inTrial(time[row]!));
  if (!rows.some(({ down }) => down === 1)) {
    throw new CodedError(
      'E_INPUT_EMPTY',
      trials === null
        ? 'the pointer stream has no pen-down sample'
        : 'the pointer stream has no pen-down sample in a kept trial',
    );
  }

  const { mmPerPx, nominal } = penScale(recording.params);
  const column = (values: readonly (number | null)[] | null, factor = 1): Float64Array | null => {
    if (!values || !rows.every(({ row }) => isNumber(values[row]))) return null;
    return Float64Array.from(rows, ({ row }) => values[row]! * factor);
  };
  let targetXMm: Float64Array | null = null;
  let targetYMm: Float64Array | null = null;
  const targetX = recording.params['targetXPx'];
  const targetY = recording.params['targetYPx'];
  if (task === 'precision' && isNumber(targetX) && isNumber(targetY)) {
    targetXMm = new Float64Array(rows.length).fill(targetX * mmPerPx);
    targetYMm = new Float64Array(rows.length).fill(targetY * mmPerPx);
  }
  const recordingFlags = recording.flags.filter((flag): flag is QualityFlag =>
    Object.hasOwn(QUALITY_FLAGS, flag),
  );
  if (recording.timing.hiddenCount > 0) recordingFlags.push('TAB_HIDDEN');
  const input = finishPenInput(
    {
      tMs: column(time)!,
      xMm: column(xPx, mmPerPx)!,
      yMm: column(yPx, mmPerPx)!,
      pressure: column(pressureNorm),
      tiltXDeg: column(tiltX),
      tiltYDeg: column(tiltY),
      penDown: Uint8Array.from(rows, ({ down }) => down),
      targetXMm,
      targetYMm,
    },
    task as PenTask,
    nominal ? [...recordingFlags, 'NOMINAL_SCALE'] : recordingFlags,
  );
  const withFacts: PenRecordingInput = Object.assign(
    input,
    factsFromParams(task as PenTask, recording.params, mmPerPx),
  );
  if (trials === null) return withFacts;
  withFacts.trials = trials;
  withFacts.flags = trialSamplingFlags(withFacts);
  return withFacts;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
