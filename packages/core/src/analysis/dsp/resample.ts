/**
 * Resampling of irregularly time-stamped samples onto a uniform grid.
 */

/** A uniformly sampled signal: sample k is at t0Ms + k·1000/fs ms. */
export interface UniformSignal {
  /** Time of the first sample, in ms (the first input time stamp). */
  t0Ms: number;
  /** Sampling rate in Hz. */
  fs: number;
  values: Float64Array<ArrayBuffer>;
}

/**
 * Tolerance, in samples, for the last grid point: a grid point that lands within 10⁻⁹ of a sample
 * period past the last time stamp (rounding of k·1000/fs) still counts and takes the last value.
 */
const GRID_END_TOLERANCE = 1e-9;

/**
 * Linear interpolation of `values` (measured at `tMs`, in ms) onto the uniform grid
 * t_k = t0 + (k·1000)/fs ms, k = 0, 1, … while t_k ≤ t_last, where t0 and t_last are the first and
 * last time stamps. Each grid value is interpolated between the two REAL samples around it, exactly
 * as numpy.interp(t_k, tMs, values) (at an exact time stamp, that sample's value). Nothing is
 * extrapolated and gaps are bridged by a straight line: split the signal at gaps first if that is not
 * wanted.
 *
 * The caller must pass strictly increasing time stamps (drop or merge repeated stamps first): this
 * function does not check it, and repeated or decreasing stamps give undefined results.
 * An empty input gives an empty signal (t0Ms NaN); a single sample gives one value. Throws RangeError
 * when the lengths differ or fs is not positive.
 */
export function resampleUniform(
  tMs: ArrayLike<number>,
  values: ArrayLike<number>,
  fs: number,
): UniformSignal {
  if (tMs.length !== values.length) throw new RangeError('resampleUniform: tMs and values differ in length');
  if (!(fs > 0) || !Number.isFinite(fs))
    throw new RangeError(`resampleUniform: fs must be positive, got ${fs}`);
  const n = tMs.length;
  if (n === 0) return { t0Ms: Number.NaN, fs, values: new Float64Array(0) };
  const t0 = tMs[0]!;
  const tLast = tMs[n - 1]!;
  const count = Math.floor(((tLast - t0) * fs) / 1000 + GRID_END_TOLERANCE) + 1;
  const out = new Float64Array(count);
  let j = 0; // segment [j, j + 1] holds the current grid time
  for (let k = 0; k < count; k++) {
    const t = t0 + (k * 1000) / fs;
    while (j < n - 2 && tMs[j + 1]! <= t) j++;
    if (t >= tLast) {
      out[k] = values[n - 1]!;
    } else if (t === tMs[j]!) {
      out[k] = values[j]!;
    } else {
      const slope = (values[j + 1]! - values[j]!) / (tMs[j + 1]! - tMs[j]!);
      out[k] = slope * (t - tMs[j]!) + values[j]!;
    }
  }
  return { t0Ms: t0, fs, values: out };
}
