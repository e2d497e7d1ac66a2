import { CodedError } from '../../errors/catalogue.js';
import type { QualityFlag } from '../flags.js';
import type { CsvTable } from '../formats/table.js';
import type { PenInput } from '../inputs.js';
import { MAX_SEGMENT_GAP_MS } from './segments.js';

/** Pen tasks that take pen samples as input. */
export type PenTask = PenInput['task'];

/**
 * Lowest pen sampling rate for kinematic and spectral metrics: 90 Hz (measures.md 3.2 and 9.5 item
 * 3); below it the input is flagged `LOW_SAMPLING_RATE` (shape metrics stay valid).
 */
export const MIN_PEN_RATE_HZ = 90;

/** The columns of pen samples before the row rules are applied (all of equal length). */
export interface PenColumns {
  tMs: ArrayLike<number>;
  xMm: ArrayLike<number>;
  yMm: ArrayLike<number>;
  pressure: ArrayLike<number> | null;
  tiltXDeg: ArrayLike<number> | null;
  tiltYDeg: ArrayLike<number> | null;
  /** 1 = touching, 0 = lifted; null = always touching. */
  penDown: ArrayLike<number> | null;
  targetXMm: ArrayLike<number> | null;
  targetYMm: ArrayLike<number> | null;
}

/**
 * Applies the contract's row rules to pen columns and builds a {@link PenInput}: time must be
 * non-decreasing; of several samples with the same time stamp only the last is kept
 * (`DUPLICATE_TIMESTAMPS`; the last is the newest report, and a pen-up reported at the time of the
 * last pen-down sample then still ends the stroke). Adds the input's quality flags: `PEN_LIFTS` (pen-down samples on both
 * sides of a pen-up sample), `SAMPLE_GAPS` (two consecutive pen-down samples more than 50 ms apart
 * without a lift between them) and `LOW_SAMPLING_RATE` (median interval between consecutive pen-down
 * samples longer than 1000/90 ms, i.e. below 90 Hz).
 * @param columns - the sample columns, in input order
 * @param task - the pen task
 * @param extraFlags - flags the source already knows (e.g. `NOMINAL_SCALE`)
 * @param owned - whether the columns' Float64Arrays are the caller's to give away: when no sample is
 *   dropped they become the input's arrays as they are, without a copy
 * @throws CodedError `E_INPUT_EMPTY` (no samples), `E_NONMONOTONIC_TIME` (time decreases; the message
 *   names the sample, counted from 1)
 */
export function finishPenInput(
  columns: PenColumns,
  task: PenTask,
  extraFlags: readonly QualityFlag[] = [],
  owned = false,
): PenInput {
  const n = columns.tMs.length;
  if (n === 0) throw new CodedError('E_INPUT_EMPTY', 'there are no pen samples');
  const keep = new Uint32Array(n);
  let kept = 0;
  const { tMs } = columns;
  for (let i = 0; i < n; i++) {
    const dt = i + 1 < n ? tMs[i + 1]! - tMs[i]! : 1;
    if (dt < 0) {
      throw new CodedError(
        'E_NONMONOTONIC_TIME',
        `t_ms goes back from ${tMs[i]} to ${tMs[i + 1]} at sample ${i + 2}`,
      );
    }
    if (dt > 0) keep[kept++] = i; // the last sample of a run of equal time stamps is kept
  }
  const flags: QualityFlag[] = [...extraFlags];
  if (kept < n) flags.push('DUPLICATE_TIMESTAMPS');
  const f64 = (column: ArrayLike<number>) => {
    if (owned && kept === n && column instanceof Float64Array) return column;
    const out = new Float64Array(kept);
    for (let k = 0; k < kept; k++) out[k] = column[keep[k]!]!;
    return out;
  };
  const penDown = (column: ArrayLike<number>) => {
    const out = new Uint8Array(kept);
    for (let k = 0; k < kept; k++) out[k] = column[keep[k]!] === 1 ? 1 : 0;
    return out;
  };
  const input: PenInput = {
    task,
    tMs: f64(tMs),
    xMm: f64(columns.xMm),
    yMm: f64(columns.yMm),
    pressure: columns.pressure && f64(columns.pressure),
    tiltXDeg: columns.tiltXDeg && f64(columns.tiltXDeg),
    tiltYDeg: columns.tiltYDeg && f64(columns.tiltYDeg),
    penDown: columns.penDown && penDown(columns.penDown),
    targetXMm: columns.targetXMm && f64(columns.targetXMm),
    targetYMm: columns.targetYMm && f64(columns.targetYMm),
    flags,
  };
  flags.push(...penSamplingFlags(input));
  input.flags = [...new Set(flags)].sort();
  return input;
}

/**
 * The sampling flags of pen samples (see {@link finishPenInput}): `PEN_LIFTS`, `SAMPLE_GAPS`,
 * `LOW_SAMPLING_RATE`. Pen-up samples before the first and after the last pen-down sample (hovering)
 * are no lift.
 */
export function penSamplingFlags(input: PenInput): QualityFlag[] {
  const { tMs, penDown } = input;
  const flags: QualityFlag[] = [];
  const down = (i: number) => penDown === null || penDown[i] === 1;
  const intervals = new Float64Array(Math.max(tMs.length - 1, 0));
  let intervalCount = 0;
  let seenDown = false;
  let liftPending = false;
  let lifts = 0;
  let gaps = 0;
  for (let i = 0; i < tMs.length; i++) {
    if (!down(i)) {
      if (seenDown) liftPending = true;
      continue;
    }
    if (liftPending) lifts++;
    else if (seenDown && i > 0 && down(i - 1)) {
      const dt = tMs[i]! - tMs[i - 1]!;
      if (dt > MAX_SEGMENT_GAP_MS) gaps++;
      else intervals[intervalCount++] = dt;
    }
    liftPending = false;
    seenDown = true;
  }
  if (lifts > 0) flags.push('PEN_LIFTS');
  if (gaps > 0) flags.push('SAMPLE_GAPS');
  if (intervalCount > 0 && medianExceeds(intervals.subarray(0, intervalCount), 1000 / MIN_PEN_RATE_HZ)) {
    flags.push('LOW_SAMPLING_RATE');
  }
  return flags;
}

/**
 * Whether dsp `median` of finite values (type 7: s[lo] + (h − lo)·(s[lo + 1] − s[lo]), h = (n − 1)/2,
 * lo = ⌊h⌋, s sorted) exceeds `limit`, in one pass without a copy or a selection: s[lo] > limit when at
 * most lo values are ≤ limit (the median is then ≥ s[lo]); both order statistics are ≤ limit when more
 * than lo + 1 are (the median is then ≤ s[lo + 1]); with exactly lo + 1, s[lo] is the largest value
 * ≤ limit and s[lo + 1] the smallest above it, interpolated as the median is.
 */
export function medianExceeds(values: Float64Array, limit: number): boolean {
  const n = values.length;
  if (n === 0) return false;
  const h = (n - 1) * 0.5;
  const lo = Math.floor(h);
  let atMost = 0;
  let below = -Infinity;
  let above = Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v <= limit) {
      atMost++;
      if (v > below) below = v;
    } else if (v < above) {
      above = v;
    }
  }
  if (atMost <= lo) return true;
  if (atMost > lo + 1) return false;
  return below + (h - lo) * (above - below) > limit;
}

/**
 * The index of the first value for which `test` holds, or −1 (Float64Array.prototype.findIndex, whose
 * call per element from the engine's built-in costs more than the test itself).
 */
function firstIndexWhere(values: Float64Array, test: (value: number) => boolean): number {
  for (let i = 0; i < values.length; i++) if (test(values[i]!)) return i;
  return -1;
}

/**
 * Turns a contract CSV table into a pen input (analysis contract, "Input formats"): `t_ms`, `x_mm`,
 * `y_mm` required; optional `pressure` (0–1), `tilt_x_deg`, `tilt_y_deg`, `pen_down` (0/1) and, for
 * the precision task, `target_x_mm` with `target_y_mm` (ignored for other tasks). Every cell of a
 * present column must be a finite number (no empty cells). Row rules as in {@link finishPenInput}.
 * @param table - the parsed CSV table
 * @param task - `spiral`, `handwriting` or `precision`
 * @throws CodedError `E_INPUT_COLUMNS` (a required column missing, or only one target column),
 *   `E_INPUT_VALUE` (text that is not a number, pressure outside 0–1, pen_down other than 0/1),
 *   `E_NONMONOTONIC_TIME`
 */
export function penFromCsv(table: CsvTable, task: PenTask): PenInput {
  const tMs = table.numbers('t_ms');
  const xMm = table.numbers('x_mm');
  const yMm = table.numbers('y_mm');
  const pressure = table.optionalNumbers('pressure');
  if (pressure) {
    const bad = firstIndexWhere(pressure, (p) => p < 0 || p > 1);
    if (bad >= 0) {
      throw new CodedError(
        'E_INPUT_VALUE',
        `row ${bad + 2}, column "pressure": ${pressure[bad]} is outside 0–1`,
      );
    }
  }
  const penDown = table.optionalNumbers('pen_down');
  if (penDown) {
    const bad = firstIndexWhere(penDown, (p) => p !== 0 && p !== 1);
    if (bad >= 0) {
      throw new CodedError(
        'E_INPUT_VALUE',
        `row ${bad + 2}, column "pen_down": ${penDown[bad]} is not 0 or 1`,
      );
    }
  }
  let targetXMm: Float64Array | null = null;
  let targetYMm: Float64Array | null = null;
  if (task === 'precision' && (table.has('target_x_mm') || table.has('target_y_mm'))) {
    targetXMm = table.numbers('target_x_mm');
    targetYMm = table.numbers('target_y_mm');
  }
  return finishPenInput(
    {
      tMs,
      xMm,
      yMm,
      pressure,
      tiltXDeg: table.optionalNumbers('tilt_x_deg'),
      tiltYDeg: table.optionalNumbers('tilt_y_deg'),
      penDown,
      targetXMm,
      targetYMm,
    },
    task,
    [],
    true, // the table hands out each column's numbers once: they are this input's
  );
}
