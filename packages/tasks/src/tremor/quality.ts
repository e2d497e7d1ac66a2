/**
 * What a trial's samples say about the sensor: the delivered rate and the gaps, computed after the
 * trial from the recorded time stamps (never in the handlers), and the problems that the person is told
 * about (measures.md 7.3 acquisition and step 1; 1.7 quality flags; 9.5.4 visibility).
 */
import type { StreamBuilder } from '../columns';
import type { SensorStreams } from './sensors';

/** Below this delivered rate a trial is not fit for the tremor band (measures.md 7.3 step 1). */
export const MIN_RATE_HZ = 40;
/** A sample interval longer than this is a gap (measures.md 7.3 step 1: reject gaps > 100 ms). */
export const MAX_GAP_MS = 100;

/** Rate and gaps of a series of time stamps. */
export interface SamplingQuality {
  /** Samples with a time stamp (repeated stamps included). */
  samples: number;
  /** 1000 / median interval between consecutive distinct stamps, Hz; null with fewer than two. */
  rateHz: number | null;
  /** Median interval, ms; null with fewer than two distinct stamps. */
  medianIntervalMs: number | null;
  /** Longest interval, ms (0 with fewer than two stamps). */
  maxIntervalMs: number;
  /** Intervals longer than {@link MAX_GAP_MS}. */
  gapCount: number;
  /** Total time in those gaps, ms. */
  gapMs: number;
}

/** The median of a non-empty array (mean of the two middle values for an even length). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rate and gaps of ascending time stamps, ms (repeated stamps count as samples, not as intervals). */
export function samplingQuality(times: readonly number[]): SamplingQuality {
  const intervals: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const dt = times[i]! - times[i - 1]!;
    if (dt > 0) intervals.push(dt);
  }
  if (intervals.length === 0) {
    return {
      samples: times.length,
      rateHz: null,
      medianIntervalMs: null,
      maxIntervalMs: 0,
      gapCount: 0,
      gapMs: 0,
    };
  }
  const medianIntervalMs = median(intervals);
  let maxIntervalMs = 0;
  let gapCount = 0;
  let gapMs = 0;
  for (const dt of intervals) {
    maxIntervalMs = Math.max(maxIntervalMs, dt);
    if (dt > MAX_GAP_MS) {
      gapCount++;
      gapMs += dt;
    }
  }
  return {
    samples: times.length,
    rateHz: 1000 / medianIntervalMs,
    medianIntervalMs,
    maxIntervalMs,
    gapCount,
    gapMs,
  };
}

/** Which stream a trial's acceleration comes from, as core's analysis chooses it. */
export type TrialSource =
  'accelerometer' | 'motion.acceleration' | 'motion.accelerationIncludingGravity' | 'none';

/** A problem the person is told about after a trial. */
export type TrialProblem = 'permission-denied' | 'no-sensor' | 'low-rate' | 'gaps' | 'hidden';

/** The quality facts of one trial. */
export interface TrialQuality extends SamplingQuality {
  source: TrialSource;
  /** Rows of each stream in the trial (null: the stream is not recorded). */
  rows: { motion: number; accelerometer: number | null; gyroscope: number | null };
  /** Median `DeviceMotionEvent.interval` as the platform gave it (ms; old iOS gives seconds), or null. */
  reportedIntervalMedian: number | null;
  problems: TrialProblem[];
}

/** Time stamps of the rows in [from, to] whose `columns` all hold a number. */
function stampsWhere(stream: StreamBuilder, columns: readonly string[], from: number, to: number): number[] {
  const time = stream.f64('timeStampMs');
  const values = columns.map((name) => stream.f64(name));
  const out: number[] = [];
  for (let i = 0; i < stream.rows; i++) {
    const t = time.get(i);
    if (t === null || t < from || t > to) continue;
    if (values.every((column) => column.get(i) !== null)) out.push(t);
  }
  return out;
}

/**
 * The quality of the trial from `fromMs` to `toMs`: the source the analysis will use (Generic Sensor
 * accelerometer, else the motion stream's acceleration, else its acceleration including gravity), its
 * rate and gaps, and the problems: no readings at all (`no-sensor`), a rate under 40 Hz, gaps over
 * 100 ms, the page hidden during the trial (`hidden`, passed in).
 */
export function assessTrial(
  streams: SensorStreams,
  fromMs: number,
  toMs: number,
  options: { hidden: boolean },
): TrialQuality {
  const accelerometer = streams.accelerometer
    ? stampsWhere(streams.accelerometer, ['xMPerS2', 'yMPerS2', 'zMPerS2'], fromMs, toMs)
    : null;
  const gyroscope = streams.gyroscope
    ? stampsWhere(streams.gyroscope, ['xRadPerS', 'yRadPerS', 'zRadPerS'], fromMs, toMs)
    : null;
  const motionAll = stampsWhere(streams.motion, [], fromMs, toMs);
  const motionAcc = stampsWhere(streams.motion, ['accXMPerS2', 'accYMPerS2', 'accZMPerS2'], fromMs, toMs);
  const motionGrav = stampsWhere(
    streams.motion,
    ['accGravXMPerS2', 'accGravYMPerS2', 'accGravZMPerS2'],
    fromMs,
    toMs,
  );
  let source: TrialSource = 'none';
  let stamps: number[] = [];
  if (accelerometer && accelerometer.length >= 2) {
    source = 'accelerometer';
    stamps = accelerometer;
  } else if (motionAcc.length >= 2) {
    source = 'motion.acceleration';
    stamps = motionAcc;
  } else if (motionGrav.length >= 2) {
    source = 'motion.accelerationIncludingGravity';
    stamps = motionGrav;
  }
  const sampling = samplingQuality(stamps);
  const intervals: number[] = [];
  const interval = streams.motion.f64('intervalMs');
  const time = streams.motion.f64('timeStampMs');
  for (let i = 0; i < streams.motion.rows; i++) {
    const t = time.get(i);
    const v = interval.get(i);
    if (t !== null && v !== null && t >= fromMs && t <= toMs) intervals.push(v);
  }
  const problems: TrialProblem[] = [];
  if (source === 'none') problems.push('no-sensor');
  else {
    if (sampling.rateHz !== null && sampling.rateHz < MIN_RATE_HZ) problems.push('low-rate');
    // The end of the trial without samples counts as a gap too (a sensor that stopped).
    const tail = toMs - stamps[stamps.length - 1]!;
    const head = stamps[0]! - fromMs;
    if (sampling.gapCount > 0 || tail > MAX_GAP_MS + 50 || head > MAX_GAP_MS + 50) problems.push('gaps');
  }
  if (options.hidden) problems.push('hidden');
  return {
    ...sampling,
    source,
    rows: {
      motion: motionAll.length,
      accelerometer: accelerometer ? accelerometer.length : null,
      gyroscope: gyroscope ? gyroscope.length : null,
    },
    reportedIntervalMedian: intervals.length > 0 ? median(intervals) : null,
    problems,
  };
}
