/**
 * Pen kinematics shared by the pen tasks (handwriting, spiral, precision): resampling on the real
 * time stamps, the kinematic low-pass, derivatives, and the smoothness and automation measures of
 * measures.md 4.3 (LDLJ, SPARC, NIV, NCA).
 *
 * Pipeline of {@link penKinematics} (measures.md 4.3 pre-processing and correction 19): the samples of
 * one pen-down segment are linearly interpolated onto a uniform grid (dsp `resampleUniform`, from
 * the first to the last time stamp), x and y are low-passed with a 2nd-order Butterworth run forward
 * and backward (scipy `sosfiltfilt`, zero phase; fc = 10 Hz), and velocity, acceleration and jerk
 * are central differences (`numpy.gradient`) of the filtered position. The cut-off and the filter
 * are part of each metric's version.
 *
 * Stable API (used by handwriting.ts and by the spiral analysis for LDLJ per turn):
 * - {@link penKinematics}(input, segment, { fs, cutoffHz }) → {@link PenKinematics} | null
 * - {@link ldljVelocity}(vx, vy, dtS) → LDLJ (velocity form)
 * - {@link sparc}(speed, fs, options) → spectral arc length
 * - {@link countSpeedMaxima}(speed, start, end) → NIV of one stroke
 * - {@link countAccelerationExtrema}(acc, start, end) → NCA of one stroke
 * - {@link medianSampleRateHz}, {@link handwritingRateHz}: the resampling rate rule of 4.3.
 */
import { gradient } from '../dsp/diff.js';
import { butter, sosfiltfilt, sosfiltfiltPadlen } from '../dsp/filter.js';
import { isPowerOfTwo, realFftPlan } from '../dsp/fft.js';
import { resampleUniform } from '../dsp/resample.js';
import { median, norm2 } from '../dsp/stats.js';
import type { PenInput } from '../inputs.js';
import type { Segment } from './segments.js';

/** Cut-off of the kinematic low-pass, Hz (measures.md correction 19). */
export const KINEMATIC_CUTOFF_HZ = 10;
/** Order of the kinematic low-pass per pass (forward–backward doubles the attenuation). */
export const KINEMATIC_FILTER_ORDER = 2;
/**
 * Fewest resampled samples a segment needs: forward–backward filtering pads 9 samples at each end
 * for one second-order section (scipy's default pad length) and needs a longer signal.
 */
export const MIN_KINEMATIC_SAMPLES = 10;

/** Kinematics of one pen-down segment on a uniform grid. Units: mm, s, mm/s, mm/s², mm/s³. */
export interface PenKinematics {
  /** Sampling rate of the grid, Hz. */
  fs: number;
  /** Grid spacing, s (1/fs). */
  dtS: number;
  /** Time of each grid sample in seconds on the input's clock (tMs/1000), uniform. */
  tS: Float64Array;
  /** Low-passed position, mm (same orientation as the input: y grows downwards on screens). */
  x: Float64Array;
  y: Float64Array;
  /** Velocity components and tangential speed ‖v‖, mm/s. */
  vx: Float64Array;
  vy: Float64Array;
  speed: Float64Array;
  /** Acceleration components and magnitude ‖a‖, mm/s². */
  ax: Float64Array;
  ay: Float64Array;
  acc: Float64Array;
  /** Tangential acceleration d‖v‖/dt, mm/s² (its extrema are NCA). */
  tangentialAcc: Float64Array;
  /** Whether the low-pass was applied (false when fs ≤ 2·cutoff: the data are too coarse to filter). */
  filtered: boolean;
}

/** Options of {@link penKinematics}. */
export interface PenKinematicsOptions {
  /**
   * Resampling rate, Hz. Default: {@link handwritingRateHz} of the segment's own median rate
   * (measures.md 4.3); the spiral analysis passes 100 (3.3).
   */
  fs?: number;
  /** Low-pass cut-off, Hz (default {@link KINEMATIC_CUTOFF_HZ}). */
  cutoffHz?: number;
}

/**
 * The median sampling rate of the pen-down samples, Hz: 1000 / median interval between consecutive
 * samples of the same segment (intervals of 0 ms are ignored). NaN when no segment has two samples.
 */
export function medianSampleRateHz(input: PenInput, segments: readonly Segment[]): number {
  const intervals: number[] = [];
  for (const { start, end } of segments) {
    for (let i = start + 1; i < end; i++) {
      const dt = input.tMs[i]! - input.tMs[i - 1]!;
      if (dt > 0) intervals.push(dt);
    }
  }
  return intervals.length ? 1000 / median(intervals) : Number.NaN;
}

/**
 * Resampling rate for handwriting (measures.md 4.3): 200 Hz when the device delivers ≥ 133 Hz,
 * otherwise the native (median) rate itself, so that no resolution is invented. NaN stays NaN.
 */
export function handwritingRateHz(nativeHz: number): number {
  return nativeHz >= 133 ? 200 : nativeHz;
}

/**
 * Kinematics of one pen-down segment (see the module comment for the pipeline).
 * @param input - the pen samples (mm, ms)
 * @param segment - samples `start` (inclusive) to `end` (exclusive), e.g. from `splitSegments`
 * @param options - resampling rate and cut-off
 * @returns null when the segment spans fewer than {@link MIN_KINEMATIC_SAMPLES} grid samples (too short
 *   to filter) or the rate is not a positive number; the low-pass is skipped (`filtered: false`) when
 *   fs ≤ 2·cutoff.
 */
export function penKinematics(
  input: PenInput,
  segment: Segment,
  options: PenKinematicsOptions = {},
): PenKinematics | null {
  const { start, end } = segment;
  if (end - start < 2) return null;
  const tMs = input.tMs.subarray(start, end);
  const fs = options.fs ?? handwritingRateHz(medianSampleRateHz(input, [segment]));
  const cutoffHz = options.cutoffHz ?? KINEMATIC_CUTOFF_HZ;
  if (!(fs > 0) || !Number.isFinite(fs) || !(tMs[tMs.length - 1]! > tMs[0]!)) return null;
  const rx = resampleUniform(tMs, input.xMm.subarray(start, end), fs);
  const ry = resampleUniform(tMs, input.yMm.subarray(start, end), fs);
  const n = rx.values.length;
  if (n < MIN_KINEMATIC_SAMPLES) return null;
  const filtered = cutoffHz < fs / 2;
  let x = rx.values;
  let y = ry.values;
  if (filtered) {
    const sos = butter(KINEMATIC_FILTER_ORDER, cutoffHz, fs, 'lowpass');
    if (n <= sosfiltfiltPadlen(sos)) return null;
    x = sosfiltfilt(sos, x);
    y = sosfiltfilt(sos, y);
  }
  const dtS = 1 / fs;
  const vx = gradient(x, dtS);
  const vy = gradient(y, dtS);
  const ax = gradient(vx, dtS);
  const ay = gradient(vy, dtS);
  const speed = new Float64Array(n);
  const acc = new Float64Array(n);
  const tS = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    speed[i] = norm2(vx[i]!, vy[i]!);
    acc[i] = norm2(ax[i]!, ay[i]!);
    tS[i] = (rx.t0Ms + (i * 1000) / fs) / 1000;
  }
  const tangentialAcc = gradient(speed, dtS);
  return { fs, dtS, tS, x, y, vx, vy, speed, ax, ay, acc, tangentialAcc, filtered };
}

/**
 * Second derivative at sample i of n ≥ 4 uniformly sampled values (h2 = dt²): the central second
 * difference inside, and the second-order one-sided formula (2f₀ − 5f₁ + 4f₂ − f₃)/dt² at both ends.
 */
function secondDerivativeAt(v: ArrayLike<number>, i: number, h2: number): number {
  const n = v.length;
  if (i === 0) return (2 * v[0]! - 5 * v[1]! + 4 * v[2]! - v[3]!) / h2;
  if (i === n - 1) return (2 * v[n - 1]! - 5 * v[n - 2]! + 4 * v[n - 3]! - v[n - 4]!) / h2;
  return (v[i + 1]! - 2 * v[i]! + v[i - 1]!) / h2;
}

/**
 * Log dimensionless jerk, velocity form (measures.md 4.3 and correction 5; Hogan & Sternad 2009,
 * Balasubramanian et al. 2012/2015), of one movement segment sampled uniformly every `dtS` seconds:
 *
 *     DLJ  = ((t2 − t1)³ / max‖v‖²) · ∫ ‖d²v/dt²‖² dt,   LDLJ = −ln(DLJ)   (higher = smoother)
 *
 * with v = (vx, vy) the velocity vector (not the scalar speed). t2 − t1 = (n − 1)·dtS; d²v/dt² by
 * second differences ({@link secondDerivativeAt}); the integral by the trapezoidal rule. This is the
 * continuous-time formula, so it converges to the analytic value (−ln 204.8 = −5.3220 for a
 * minimum-jerk reach); Balasubramanian's reference code uses n·dt and Σ(Δ²v)²·dt instead, which
 * differs by O(1/n).
 *
 * Units cancel (any consistent length and time units). Returns NaN with fewer than 4 samples, a
 * non-positive dtS, non-finite values or no movement (max‖v‖ = 0); +Infinity when the jerk is
 * exactly 0 (constant velocity).
 */
export function ldljVelocity(vx: ArrayLike<number>, vy: ArrayLike<number>, dtS: number): number {
  const n = vx.length;
  if (n < 4 || vy.length !== n || !(dtS > 0)) return Number.NaN;
  let peak2 = 0;
  for (let i = 0; i < n; i++) peak2 = Math.max(peak2, vx[i]! * vx[i]! + vy[i]! * vy[i]!);
  if (!(peak2 > 0) || !Number.isFinite(peak2)) return Number.NaN;
  const h2 = dtS * dtS;
  let integral = 0;
  for (let i = 0; i < n; i++) {
    const w = i === 0 || i === n - 1 ? 0.5 : 1;
    const jx = secondDerivativeAt(vx, i, h2);
    const jy = secondDerivativeAt(vy, i, h2);
    integral += w * (jx * jx + jy * jy);
  }
  integral *= dtS;
  const duration = (n - 1) * dtS;
  const dlj = (duration ** 3 / peak2) * integral;
  if (!Number.isFinite(dlj)) return Number.NaN;
  return -Math.log(dlj);
}

/** Work buffers of {@link paddedMagnitudes}, reused across calls (a recording has thousands of strokes). */
let work = { re: new Float64Array(0), im: new Float64Array(0), mag: new Float64Array(0) };

/** cos and sin of −2πk/n, k < n, for the last few n used by {@link paddedMagnitudes}. */
const rootsCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function rootsOfUnity(n: number): { cos: Float64Array; sin: Float64Array } {
  let roots = rootsCache.get(n);
  if (roots === undefined) {
    roots = { cos: new Float64Array(n), sin: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      roots.cos[k] = Math.cos((-2 * Math.PI * k) / n);
      roots.sin[k] = Math.sin((-2 * Math.PI * k) / n);
    }
    if (rootsCache.size >= 8) rootsCache.delete(rootsCache.keys().next().value!);
    rootsCache.set(n, roots);
  }
  return roots;
}

/**
 * |X_k| for k = 0 … kMax of the DFT of `x` zero-padded to `nfft` (a power of two), and the largest
 * |X_k| over all one-sided bins. |X| is √(re² + im²) (Math.hypot is an order of magnitude slower and
 * differs in the last bit only). For a non-negative x (a speed profile) every |X_k| ≤ X_0 = Σx, so
 * the largest is X_0 and the kMax + 1 bins are summed directly when that costs less than the FFT;
 * otherwise the FFT gives every bin. `mag` is a shared buffer, valid until the next call.
 */
function paddedMagnitudes(
  x: ArrayLike<number>,
  nfft: number,
  kMax: number,
): { mag: Float64Array; max: number } {
  const n = x.length;
  const bins = nfft / 2 + 1;
  if (work.re.length < bins) {
    work = { re: new Float64Array(bins), im: new Float64Array(bins), mag: new Float64Array(bins) };
  }
  const { re, im, mag } = work;
  let nonNegative = true;
  for (let j = 0; j < n; j++) if (x[j]! < 0) nonNegative = false;
  const direct = isPowerOfTwo(nfft) && nfft >= n && (kMax + 1) * n < nfft * Math.log2(nfft);
  if (nonNegative && direct) {
    const { cos, sin } = rootsOfUnity(nfft);
    const mask = nfft - 1; // j·k mod nfft, nfft a power of two
    for (let k = 0; k <= kMax; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0, w = 0; j < n; j++, w = (w + k) & mask) {
        sr += x[j]! * cos[w]!;
        si += x[j]! * sin[w]!;
      }
      mag[k] = Math.sqrt(sr * sr + si * si);
    }
    return { mag, max: mag[0]! };
  }
  realFftPlan(nfft).forward(x, re, im);
  let maxPower = 0;
  for (let k = 0; k < bins; k++) maxPower = Math.max(maxPower, re[k]! * re[k]! + im[k]! * im[k]!);
  for (let k = 0; k <= kMax; k++) mag[k] = Math.sqrt(re[k]! * re[k]! + im[k]! * im[k]!);
  return { mag, max: Math.sqrt(maxPower) };
}

/** Options of {@link sparc}; the defaults are those of the authors' code (measures.md correction 22). */
export interface SparcOptions {
  /** Zero padding: nfft = 2^(ceil(log2 n) + padlevel). Default 4. */
  padlevel?: number;
  /** Largest cut-off frequency, Hz. Default 10. */
  fcHz?: number;
  /** Amplitude threshold of the normalised spectrum for the adaptive cut-off. Default 0.05. */
  ampTh?: number;
}

/**
 * Spectral arc length (SPARC; Balasubramanian et al. 2015, J Neuroeng Rehabil 12:112; measures.md
 * 4.3) of a speed profile sampled at `fs` Hz, as the authors' `spectral_arclength`: the magnitude of
 * the zero-padded FFT, normalised by its maximum, is kept for f ≤ fc; from the first to the last bin
 * whose value is ≥ ampTh, SPARC = −Σ √((Δf/(f_last − f_first))² + (ΔM)²). Always ≤ 0; closer to 0 =
 * smoother. fc is capped at fs/2 (the one-sided spectrum).
 *
 * Returns NaN with fewer than 2 samples, an all-zero or non-finite profile, or fewer than 2 bins
 * above the threshold (a single bin has no arc).
 */
export function sparc(speed: ArrayLike<number>, fs: number, options: SparcOptions = {}): number {
  const { padlevel = 4, fcHz = 10, ampTh = 0.05 } = options;
  const n = speed.length;
  if (n < 2 || !(fs > 0)) return Number.NaN;
  for (let i = 0; i < n; i++) if (!Number.isFinite(speed[i]!)) return Number.NaN;
  const nfft = 2 ** (Math.ceil(Math.log2(n)) + padlevel);
  const df = fs / nfft;
  const fc = Math.min(fcHz, fs / 2);
  let kMax = 0;
  while (kMax + 1 <= nfft / 2 && (kMax + 1) * df <= fc) kMax++;
  // the arc never looks beyond fc: only |X_k| for k ≤ kMax, and the largest |X_k| overall
  const { mag, max } = paddedMagnitudes(speed, nfft, kMax);
  if (!(max > 0) || !Number.isFinite(max)) return Number.NaN;
  let first = -1;
  let last = -1;
  for (let k = 0; k <= kMax; k++) {
    if (mag[k]! / max >= ampTh) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0 || last === first) return Number.NaN;
  const span = (last - first) * df;
  let arc = 0;
  for (let k = first + 1; k <= last; k++) {
    const dm = (mag[k]! - mag[k - 1]!) / max;
    arc += Math.sqrt((df / span) ** 2 + dm * dm);
  }
  return -arc;
}

/**
 * Counts local maxima (or minima) of `values` strictly inside [start, end): a sample (or a run of
 * equal samples) counts when both neighbours lie inside the range and the values on both sides are
 * strictly lower (higher for minima). The first and last samples never count.
 */
function countInteriorExtrema(values: ArrayLike<number>, start: number, end: number, sign: 1 | -1): number {
  let count = 0;
  let i = start + 1;
  while (i < end - 1) {
    const rise = sign * (values[i]! - values[i - 1]!);
    if (rise > 0) {
      // skip a plateau of equal values
      let j = i;
      while (j + 1 < end && values[j + 1] === values[i]) j++;
      if (j + 1 < end && sign * (values[j + 1]! - values[i]!) < 0) count++;
      i = j + 1;
    } else {
      i++;
    }
  }
  return count;
}

/**
 * Number of inversions of velocity (NIV) of one stroke (measures.md 4.3 and correction 6): local
 * maxima of the tangential speed strictly inside samples [start, end) — a fluent stroke with one
 * bell-shaped speed profile has 1; a stroke whose speed only rises or only falls has 0. A plateau of
 * equal values counts once. Not the number of sign changes of d‖v‖/dt (that would be 2k − 1).
 */
export function countSpeedMaxima(speed: ArrayLike<number>, start = 0, end = speed.length): number {
  return countInteriorExtrema(speed, Math.max(0, start), Math.min(end, speed.length), 1);
}

/**
 * Number of changes of acceleration (NCA) of one stroke (measures.md 4.3, correction 6): local
 * extrema (maxima and minima) of the acceleration signal strictly inside samples [start, end), i.e.
 * sign changes of its derivative. Pass the tangential acceleration d‖v‖/dt: a fluent bell-shaped
 * stroke then has 2 (one acceleration peak, one deceleration peak). The CSWin definition was not
 * available to check against (4.3 marks NCA [P?]).
 */
export function countAccelerationExtrema(acc: ArrayLike<number>, start = 0, end = acc.length): number {
  const s = Math.max(0, start);
  const e = Math.min(end, acc.length);
  return countInteriorExtrema(acc, s, e, 1) + countInteriorExtrema(acc, s, e, -1);
}
