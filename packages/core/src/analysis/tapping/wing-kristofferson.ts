import { lineFit } from '../dsp/stats.js';

/** Wing–Kristofferson estimates from continuation intervals (measures.md 6.3, Correction 14). */
export interface WkEstimate {
  /** Intervals used (over all series). */
  n: number;
  /** var̂: variance of the detrended intervals, 1/n denominator, ms². */
  varianceMs2: number;
  /** γ̂(1): lag-1 autocovariance of the detrended intervals, 1/n denominator, ms². */
  lag1AutocovarianceMs2: number;
  /** ρ̂(1) = γ̂(1) / var̂. */
  lag1Autocorrelation: number;
  /** σm² = max(0, −γ̂(1)), ms². */
  motorVarianceMs2: number;
  /** σc² = max(0, var̂ − 2σm²), ms². */
  timerVarianceMs2: number;
  /** γ̂(1) > 0 or ρ̂(1) < −0.5: the model's prediction (0 ≥ ρ(1) ≥ −0.5) does not hold. */
  violation: boolean;
}

/** Residuals of a least-squares line of `values` against their index 0, 1, 2, … */
export function detrendLinear(values: readonly number[]): number[] {
  const index = values.map((_, i) => i);
  const { slope, intercept } = lineFit(index, values);
  return values.map((v, i) => v - (intercept + slope * i));
}

/**
 * Wing & Kristofferson (1973) two-level timing model, I_n = C_n + M_n − M_{n−1}: the lag-1
 * autocovariance of the intervals is −σm², their variance σc² + 2σm². Each series (one trial's
 * continuation intervals) is linearly detrended on its own; the sums of squares and lag-1 products
 * are pooled over the series and divided by the total number of intervals (1/n, as Correction 14
 * asks, for both var̂ and γ̂(1)); lag-1 products never span two series.
 * @param series - one array of intervals (ms) per trial; series with fewer than 3 intervals are skipped
 * @returns the estimates, or null when fewer than `minIntervals` intervals remain
 */
export function wingKristofferson(
  series: readonly (readonly number[])[],
  minIntervals = 3,
): WkEstimate | null {
  let n = 0;
  let sumSquares = 0;
  let sumLag1 = 0;
  for (const intervals of series) {
    if (intervals.length < 3) continue;
    const r = detrendLinear(intervals);
    n += r.length;
    for (let i = 0; i < r.length; i++) {
      sumSquares += r[i]! * r[i]!;
      if (i + 1 < r.length) sumLag1 += r[i]! * r[i + 1]!;
    }
  }
  if (n < Math.max(3, minIntervals)) return null;
  const varianceMs2 = sumSquares / n;
  const lag1AutocovarianceMs2 = sumLag1 / n;
  const lag1Autocorrelation = lag1AutocovarianceMs2 / varianceMs2;
  const motorVarianceMs2 = Math.max(0, -lag1AutocovarianceMs2);
  const timerVarianceMs2 = Math.max(0, varianceMs2 - 2 * motorVarianceMs2);
  return {
    n,
    varianceMs2,
    lag1AutocovarianceMs2,
    lag1Autocorrelation,
    motorVarianceMs2,
    timerVarianceMs2,
    violation: lag1AutocovarianceMs2 > 0 || lag1Autocorrelation < -0.5,
  };
}
