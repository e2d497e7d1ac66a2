import { CodedError } from '../../errors/catalogue.js';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import type { QualityFlag } from '../flags.js';
import type { TremorInput } from '../inputs.js';
import { dropRepeatedStamps, gridLength, inspectSampling, resampleSpline, splineAt } from './sampling.js';
import { TREMOR_SETTINGS } from './settings.js';
import { removeGravity } from './spectrum.js';
import { tremorAnalysedSpan } from './trial.js';

/**
 * Recording flags that have a quality flag of their own: the runner's (tasks/src/recording.ts), and
 * the tremor task's trial checks (a rate under 40 Hz, gaps over 100 ms), which it adds only for a
 * trial the person chose to keep despite the problem.
 */
const RECORDING_FLAGS: Record<string, QualityFlag> = {
  TAB_HIDDEN: 'TAB_HIDDEN',
  INCOMPLETE: 'INCOMPLETE_RECORDING',
  LOW_SAMPLING_RATE: 'LOW_SAMPLING_RATE',
  SAMPLE_GAPS: 'SAMPLE_GAPS',
};

/**
 * Whether the `visibility` stream shows the page hidden at some time in [fromMs, toMs]: a hidden period
 * runs from a `hidden` row to the next `visible` row (or to the end). Null when the stream is missing or
 * has no rows (nothing to judge by).
 */
export function hiddenDuring(stream: Stream | undefined, fromMs: number, toMs: number): boolean | null {
  const time = stream ? numericColumn(stream, 'timeStampMs') : null;
  const state = stream?.columns['state'];
  if (!time || !state || state.type !== 'str' || time.length === 0) return null;
  let hiddenSince: number | null = null;
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    if (t === null || t === undefined) continue;
    const value = state.values[i];
    if (value === 'hidden' && hiddenSince === null) hiddenSince = t;
    else if (value === 'visible' && hiddenSince !== null) {
      if (hiddenSince <= toMs && t >= fromMs) return true;
      hiddenSince = null;
    }
  }
  return hiddenSince !== null && hiddenSince <= toMs;
}

/** A three-axis series read from a stream: strictly increasing stamps (ms) and three value columns. */
interface Series {
  tMs: Float64Array;
  axes: Float64Array[];
  duplicates: number;
}

/** The numbers of a numeric column (null cells kept as null), or null when the stream lacks it. */
function numericColumn(stream: Stream, name: string): (number | null)[] | null {
  const column = stream.columns[name];
  if (!column || (column.type !== 'f64' && column.type !== 'i32')) return null;
  return column.values;
}

/**
 * Reads a time column and three value columns, keeping the rows inside [from, to] whose four cells
 * all hold numbers (a null is a value the platform did not give), scaled by `scale`; then applies the
 * row rules (time must not decrease, repeated stamps dropped). Null when a column is missing or fewer
 * than two rows remain.
 */
function readSeries(
  stream: Stream | undefined,
  timeName: string,
  names: readonly [string, string, string],
  span: readonly [number, number],
  scale = 1,
): Series | null {
  if (!stream) return null;
  const time = numericColumn(stream, timeName);
  const columns = names.map((name) => numericColumn(stream, name));
  if (!time || columns.some((c) => c === null)) return null;
  const t: number[] = [];
  const values: number[][] = [[], [], []];
  for (let i = 0; i < time.length; i++) {
    const ti = time[i];
    if (ti === null || ti === undefined || ti < span[0] || ti > span[1]) continue;
    const row = columns.map((c) => c![i]);
    if (row.some((v) => v === null || v === undefined)) continue;
    t.push(ti);
    row.forEach((v, axis) => values[axis]!.push(v! * scale));
  }
  if (t.length < 2) return null;
  const cleaned = dropRepeatedStamps(t, values, { time: timeName });
  return { tMs: cleaned.tMs, axes: cleaned.columns, duplicates: cleaned.duplicates };
}

/** Keeps the rows of a series with from ≤ t ≤ to. */
function trim(series: Series, from: number, to: number): Series {
  const keep: number[] = [];
  series.tMs.forEach((t, i) => {
    if (t >= from && t <= to) keep.push(i);
  });
  const pick = (x: Float64Array): Float64Array => {
    const out = new Float64Array(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = x[keep[k]!]!;
    return out;
  };
  return { tMs: pick(series.tMs), axes: series.axes.map(pick), duplicates: series.duplicates };
}

/**
 * Turns a tremor recording into the analysis input.
 *
 * Accelerometer source, in order of preference:
 * 1. the Generic Sensor `accelerometer` stream (Sensor.timestamp is the reading time, and the task asks
 *    it for 100 Hz, while `devicemotion` events carry their dispatch time at the browser's rate). The
 *    W3C Accelerometer includes gravity, so it is resampled at its delivered rate and high-passed at
 *    1 Hz (4th-order Butterworth, zero phase; measures.md §7.3 step 2); the input then holds that
 *    uniform grid, and the sampling flags (gaps, irregular or low rate) are computed before resampling;
 * 2. the `motion` stream's `acceleration` (gravity removed), on its own time stamps;
 * 3. the `motion` stream's `accelerationIncludingGravity`, high-passed as in 1.
 * Rows with a missing (null) value are left out.
 *
 * Gyroscope (optional): the Generic Sensor `gyroscope` stream (rad/s, converted to deg/s), else the
 * `motion` rotation rates (gx = beta about x, gy = gamma about y, gz = alpha about z, deg/s). It is
 * interpolated onto the accelerometer's time stamps (natural cubic spline); the accelerometer is cut
 * to the span both cover, unless that would lose more than 10 % of it, in which case the gyroscope is
 * left out.
 *
 * Only the span that {@link tremorAnalysedSpan} chooses is used: with trial markers, the kept attempt
 * (the last one not discarded, of the position in `params.position`) without its first and last
 * `params.edgeDiscardS` seconds (default 2, shortened so that 3 s remain: SHORT_RECORDING); without
 * markers, every sample. Recording flags TAB_HIDDEN, INCOMPLETE, LOW_SAMPLING_RATE and SAMPLE_GAPS become
 * TAB_HIDDEN, INCOMPLETE_RECORDING, LOW_SAMPLING_RATE and SAMPLE_GAPS, except that with trial markers
 * TAB_HIDDEN is kept only when the `visibility` stream shows the page hidden during the analysed attempt
 * (or cannot tell); repeated stamps are dropped and
 * flagged DUPLICATE_TIMESTAMPS.
 * @throws CodedError `E_TASK_MISMATCH` for another task; `E_TOO_FEW_EVENTS` when every attempt was
 *   discarded or the span has fewer than two accelerometer samples; `E_NONMONOTONIC_TIME` when a
 *   stream's time goes back
 */
export function tremorFromRecording(recording: Recording): TremorInput {
  if (recording.taskId !== 'tremor') {
    throw new CodedError(
      'E_TASK_MISMATCH',
      `this is a ${recording.taskId} recording, not a tremor recording`,
    );
  }
  const flags = new Set<QualityFlag>();
  for (const flag of recording.flags) {
    const mapped = RECORDING_FLAGS[flag];
    if (mapped) flags.add(mapped);
  }
  const analysed = tremorAnalysedSpan(recording);
  if (!analysed) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      'every attempt of the position was discarded: the recording holds no kept trial to analyse',
    );
  }
  // The runner flags TAB_HIDDEN for the whole recording; with trials, only a page hidden during the
  // analysed attempt matters (an attempt that was hidden and discarded, then done again, is not).
  const { attempt } = analysed;
  if (attempt && flags.has('TAB_HIDDEN')) {
    const hidden = hiddenDuring(
      recording.streams['visibility'],
      attempt.startMs,
      attempt.endMs ?? Number.POSITIVE_INFINITY,
    );
    if (hidden === false) flags.delete('TAB_HIDDEN');
  }
  if (analysed.short) flags.add('SHORT_RECORDING');
  const span: [number, number] = [analysed.fromMs, analysed.toMs];
  const { motion, accelerometer, gyroscope } = recording.streams;

  const sensorAcc = readSeries(accelerometer, 'timeStampMs', ['xMPerS2', 'yMPerS2', 'zMPerS2'], span);
  const motionAcc = sensorAcc
    ? null
    : readSeries(motion, 'timeStampMs', ['accXMPerS2', 'accYMPerS2', 'accZMPerS2'], span);
  const gravityAcc =
    sensorAcc ??
    (motionAcc
      ? null
      : readSeries(motion, 'timeStampMs', ['accGravXMPerS2', 'accGravYMPerS2', 'accGravZMPerS2'], span));
  let acc = motionAcc ?? gravityAcc;
  if (!acc)
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      analysed.attempt
        ? 'the kept trial has fewer than two accelerometer samples: the motion sensor sent no readings'
        : 'the recording has fewer than two accelerometer samples',
    );

  let gyro =
    readSeries(gyroscope, 'timeStampMs', ['xRadPerS', 'yRadPerS', 'zRadPerS'], span, 180 / Math.PI) ??
    readSeries(motion, 'timeStampMs', ['rotBetaDegPerS', 'rotGammaDegPerS', 'rotAlphaDegPerS'], span);
  if (gyro) {
    const accStart = acc.tMs[0]!;
    const accEnd = acc.tMs[acc.tMs.length - 1]!;
    const from = Math.max(accStart, gyro.tMs[0]!);
    const to = Math.min(accEnd, gyro.tMs[gyro.tMs.length - 1]!);
    if (to - from >= 0.9 * (accEnd - accStart)) acc = trim(acc, from, to);
    else gyro = null;
  }
  if (acc.duplicates > 0 || (gyro?.duplicates ?? 0) > 0) flags.add('DUPLICATE_TIMESTAMPS');

  let { tMs, axes } = acc;
  if (gravityAcc && tMs.length >= 2) {
    const sampling = inspectSampling(tMs);
    sampling.flags.forEach((flag) => flags.add(flag));
    const { fs } = sampling;
    const t0 = tMs[0]!;
    const resampled = axes.map((x) => resampleSpline(tMs, x, fs));
    axes = fs >= TREMOR_SETTINGS.minAnalysisFs ? removeGravity(resampled, fs) : resampled;
    tMs = new Float64Array(gridLength(tMs, fs));
    for (let k = 0; k < tMs.length; k++) tMs[k] = t0 + (k * 1000) / fs;
  }
  const gyroSeries = gyro;
  const gyroAxes = gyroSeries ? gyroSeries.axes.map((g) => splineAt(gyroSeries.tMs, g, tMs)) : null;
  return {
    task: 'tremor',
    tMs,
    ax: axes[0]!,
    ay: axes[1]!,
    az: axes[2]!,
    gx: gyroAxes?.[0] ?? null,
    gy: gyroAxes?.[1] ?? null,
    gz: gyroAxes?.[2] ?? null,
    flags: [...flags].sort(),
  };
}
