/**
 * Per-sample data for showing a spiral recording (the web app's spiral results): the drawing itself,
 * where it shook and where it left the spiral's shape, and speed and pressure over time. Built from
 * the same steps as the analysis (`penFromRecording`, `splitSegments`, `fitSpiral`, `penKinematics`),
 * but per drawing (each kept spiral of a run), for pictures only: no metric comes from here.
 *
 * - Radial deviation: r − (a + bθ) of every pen-down sample around the drawing's own fitted centre
 *   (measures.md 3.3); resampled to 100 Hz per pen-down segment on the real time stamps.
 * - Tremor part: that deviation band-passed to 3–12 Hz (2nd-order Butterworth, forward–backward); its
 *   local peak-to-peak size is 2√2 × its RMS over a centred 0.5-s window (a sinusoid of peak-to-peak
 *   size A gives A, as `tremor_amplitude_pp_mm` does for the whole drawing).
 * - Irregular part [S]: the deviation low-passed below 3 Hz (the shape, not the shaking); a sample is
 *   irregular where it is at least a quarter of the loop spacing 2π|b| away from the fitted spiral.
 * - Speed: ‖v‖ of the 100-Hz, 10-Hz low-passed positions (as the analysis' kinematics).
 *
 * Without a screen calibration (`NOMINAL_SCALE`), lengths are given in CSS px, never in mm.
 */
import type { Recording } from '../../recording/versions.js';
import { butter, sosfiltfilt, sosfiltfiltPadlen } from '../dsp/filter.js';
import { resampleUniform } from '../dsp/resample.js';
import type { PenInput } from '../inputs.js';
import { penKinematics } from './kinematics.js';
import { NOMINAL_MM_PER_PX, penFromRecording, penScale } from './from-recording.js';
import { splitSegments, type Segment } from './segments.js';
import { fitSpiral } from './spiral-geometry.js';
import { SPECTRUM_FS_HZ, TREMOR_BAND_HZ } from './spiral-spectrum.js';
import { MIN_SPIRAL_R_SQUARED, MIN_SPIRAL_TURNS } from './spiral.js';

/** Window of the local tremor size, s. */
export const VIEW_TREMOR_WINDOW_S = 0.5;
/** A sample is irregular when its low-passed deviation is at least this fraction of the loop spacing [S]. */
export const VIEW_IRREGULAR_FRACTION = 0.25;
/** Low-pass cut-off that separates the shape from the shaking, Hz (the tremor band's lower edge). */
export const VIEW_SHAPE_CUTOFF_HZ = TREMOR_BAND_HZ[0];

/** One drawing (a kept spiral) ready to be shown. Lengths in the view's `unit`, times in s. */
export interface SpiralDrawingView {
  /** Which spiral of the run (1-based), or null when the recording does not say. */
  trial: number | null;
  /** Per pen-down sample, time from the drawing's first pen-down sample, s. */
  tS: Float64Array;
  /**
   * Whether the drawing is spiral-like: an r–θ fit with R² ≥ 0.9 and at least one turn (as the analysis'
   * POOR_SPIRAL_FIT rule). Otherwise positions are around the drawing's bounding-box centre and nothing
   * is marked irregular (there is no even spiral to compare with).
   */
  spiralLike: boolean;
  /** Position relative to the fitted centre (the bounding-box centre when not spiral-like); y grows downwards. */
  x: Float64Array;
  y: Float64Array;
  /** Pen-down segment of each sample (0, 1, …): lines are not drawn across a lift. */
  segment: Int32Array;
  /** Pressure 0–1 of each sample, null when the device gave none. */
  pressure: Float64Array | null;
  /** 3–12 Hz band of the radial deviation at each sample (NaN where a segment was too short). */
  tremorDeviation: Float64Array;
  /** Local peak-to-peak size of the tremor band at each sample (NaN where not computed). */
  tremorPp: Float64Array;
  /** Radial deviation from the fitted spiral below 3 Hz, at each sample (NaN where not computed). */
  shapeDeviation: Float64Array;
  /** 1 where |shapeDeviation| ≥ {@link VIEW_IRREGULAR_FRACTION} × loop spacing. */
  irregular: Uint8Array;
  /** Loop spacing 2π|b| of the fit, or null without a fit. */
  loopSpacing: number | null;
  /** R² of the r–θ fit, or null without a fit. */
  rSquared: number | null;
  /** Tangential speed on the 100-Hz grid, unit/s, with the time (s, as `tS`) and segment of each point. */
  speed: { tS: Float64Array; value: Float64Array; segment: Int32Array };
}

/** What the spiral results show. */
export interface SpiralView {
  /** Whether the recording had a screen calibration (lengths in mm); otherwise CSS px. */
  calibrated: boolean;
  unit: 'mm' | 'px';
  drawings: SpiralDrawingView[];
}

interface Attempt {
  trial: number;
  startMs: number;
  endMs: number;
}

/** The kept spirals of `params.attempts` (the spiral task's record of each attempt), in time order. */
function keptAttempts(params: Recording['params']): Attempt[] | null {
  const attempts = params['attempts'];
  if (!Array.isArray(attempts)) return null;
  const kept: Attempt[] = [];
  for (const a of attempts) {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) continue;
    const { trial, startMs, endMs, outcome } = a as Record<string, unknown>;
    if (
      typeof trial === 'number' &&
      typeof startMs === 'number' &&
      typeof endMs === 'number' &&
      (outcome === 'kept' || outcome === 'stopped' || outcome === 'time-limit')
    ) {
      kept.push({ trial, startMs, endMs });
    }
  }
  return kept.sort((p, q) => p.startMs - q.startMs);
}

/** The pen input restricted to samples i with start ≤ i < end. */
function sliceInput(input: PenInput, start: number, end: number): PenInput {
  const part = <T extends Float64Array | Uint8Array>(v: T | null): T | null =>
    v ? (v.slice(start, end) as T) : null;
  return {
    ...input,
    tMs: input.tMs.slice(start, end),
    xMm: input.xMm.slice(start, end),
    yMm: input.yMm.slice(start, end),
    pressure: part(input.pressure),
    tiltXDeg: part(input.tiltXDeg),
    tiltYDeg: part(input.tiltYDeg),
    penDown: part(input.penDown),
    targetXMm: null,
    targetYMm: null,
  };
}

/** Linear interpolation of a uniform signal (t0Ms, fs) at time tMs (its last value up to one step after it), NaN before it. */
function at(values: Float64Array, t0Ms: number, fs: number, tMs: number): number {
  const pos = ((tMs - t0Ms) * fs) / 1000;
  const i = Math.floor(pos);
  if (i < 0 || i >= values.length) return Number.NaN;
  if (i === values.length - 1) return values[i]!; // samples within one grid step after the last point
  const f = pos - i;
  return values[i]! * (1 - f) + values[i + 1]! * f;
}

/** Centred moving RMS over `width` samples (shorter at the ends). */
function movingRms(values: Float64Array, width: number): Float64Array {
  const n = values.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + values[i]! * values[i]!;
  const half = Math.floor(width / 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    out[i] = Math.sqrt((prefix[hi]! - prefix[lo]!) / (hi - lo));
  }
  return out;
}

/** One drawing's view, in mm (the caller converts). */
function drawingView(input: PenInput, trial: number | null, scale: number): SpiralDrawingView | null {
  const segments = splitSegments(input).filter((s) => s.end > s.start);
  const indices: number[] = [];
  const segmentOf: number[] = [];
  segments.forEach(({ start, end }, k) => {
    for (let i = start; i < end; i++) {
      indices.push(i);
      segmentOf.push(k);
    }
  });
  const n = indices.length;
  if (n < 3) return null;
  const xs = indices.map((i) => input.xMm[i]!);
  const ys = indices.map((i) => input.yMm[i]!);
  const fit = fitSpiral(xs, ys);
  const spiralLike = fit !== null && fit.rSquared >= MIN_SPIRAL_R_SQUARED && fit.turns >= MIN_SPIRAL_TURNS;
  const cx = spiralLike ? fit.centreX : (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = spiralLike ? fit.centreY : (Math.min(...ys) + Math.max(...ys)) / 2;
  const t0 = input.tMs[indices[0]!]!;

  const tremorDeviation = new Float64Array(n).fill(Number.NaN);
  const tremorPp = new Float64Array(n).fill(Number.NaN);
  const shapeDeviation = new Float64Array(n).fill(Number.NaN);
  if (fit) {
    const residual = new Float64Array(input.tMs.length);
    indices.forEach((i, k) => (residual[i] = fit.r[k]! - (fit.a + fit.b * fit.theta[k]!)));
    const band = butter(2, TREMOR_BAND_HZ, SPECTRUM_FS_HZ, 'bandpass');
    const low = butter(2, VIEW_SHAPE_CUTOFF_HZ, SPECTRUM_FS_HZ, 'lowpass');
    const width = Math.round(VIEW_TREMOR_WINDOW_S * SPECTRUM_FS_HZ);
    let k = 0;
    for (const { start, end } of segments) {
      const count = end - start;
      const t = input.tMs.subarray(start, end);
      if (count >= 2 && t[count - 1]! > t[0]!) {
        const uniform = resampleUniform(t, residual.subarray(start, end), SPECTRUM_FS_HZ);
        const v = uniform.values;
        if (v.length > Math.max(sosfiltfiltPadlen(band), sosfiltfiltPadlen(low))) {
          const tremor = sosfiltfilt(band, v);
          const shape = sosfiltfilt(low, v);
          const rms = movingRms(tremor, width);
          for (let i = 0; i < count; i++) {
            const tMs = t[i]!;
            tremorDeviation[k + i] = at(tremor, uniform.t0Ms, SPECTRUM_FS_HZ, tMs);
            tremorPp[k + i] = 2 * Math.SQRT2 * at(rms, uniform.t0Ms, SPECTRUM_FS_HZ, tMs);
            shapeDeviation[k + i] = at(shape, uniform.t0Ms, SPECTRUM_FS_HZ, tMs);
          }
        }
      }
      k += count;
    }
  }
  const loopSpacing = spiralLike ? 2 * Math.PI * Math.abs(fit.b) : null;
  const irregular = new Uint8Array(n);
  if (loopSpacing !== null && loopSpacing > 0) {
    for (let k = 0; k < n; k++)
      irregular[k] = Math.abs(shapeDeviation[k]!) >= VIEW_IRREGULAR_FRACTION * loopSpacing ? 1 : 0;
  }

  const speedT: number[] = [];
  const speedV: number[] = [];
  const speedSeg: number[] = [];
  segments.forEach((segment: Segment, k) => {
    const kin = penKinematics(input, segment, { fs: SPECTRUM_FS_HZ });
    if (!kin) return;
    for (let i = 0; i < kin.speed.length; i++) {
      speedT.push(kin.tS[i]! - t0 / 1000);
      speedV.push(kin.speed[i]! * scale);
      speedSeg.push(k);
    }
  });

  const times = Float64Array.from(indices, (i) => (input.tMs[i]! - t0) / 1000);
  const scaled = (v: Float64Array) => v.map((value) => value * scale);
  return {
    trial,
    spiralLike,
    tS: times,
    x: Float64Array.from(xs, (v) => (v - cx) * scale),
    y: Float64Array.from(ys, (v) => (v - cy) * scale),
    segment: Int32Array.from(segmentOf),
    pressure: input.pressure ? Float64Array.from(indices, (i) => input.pressure![i]!) : null,
    tremorDeviation: scaled(tremorDeviation),
    tremorPp: scaled(tremorPp),
    shapeDeviation: scaled(shapeDeviation),
    irregular,
    loopSpacing: loopSpacing === null ? null : loopSpacing * scale,
    rSquared: fit ? fit.rSquared : null,
    speed: {
      tS: Float64Array.from(speedT),
      value: Float64Array.from(speedV),
      segment: Int32Array.from(speedSeg),
    },
  };
}

/**
 * The drawings of a spiral recording for display (see the module comment): one per kept spiral of
 * `params.attempts` (samples from its start to its end), or one for the whole recording when it has
 * no attempts. Drawings with fewer than 3 pen-down samples are left out.
 * @throws CodedError as `penFromRecording` (not a pen recording, no pointer stream, no pen-down sample)
 */
export function spiralView(recording: Recording): SpiralView {
  const input = penFromRecording(recording);
  const calibrated = !penScale(recording.params).nominal;
  const scale = calibrated ? 1 : 1 / NOMINAL_MM_PER_PX;
  const attempts = keptAttempts(recording.params);
  const drawings: SpiralDrawingView[] = [];
  if (!attempts || attempts.length === 0) {
    const view = drawingView(input, null, scale);
    if (view) drawings.push(view);
  } else {
    for (const { trial, startMs, endMs } of attempts) {
      let start = 0;
      while (start < input.tMs.length && input.tMs[start]! < startMs) start++;
      let end = start;
      while (end < input.tMs.length && input.tMs[end]! <= endMs) end++;
      const view = drawingView(sliceInput(input, start, end), trial, scale);
      if (view) drawings.push(view);
    }
  }
  return { calibrated, unit: calibrated ? 'mm' : 'px', drawings };
}
