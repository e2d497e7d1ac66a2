import { mean, variance } from '../analysis/dsp/stats.js';
import { studentTCdf, studentTQuantile } from '../analysis/change/student-t.js';

/** The difference of two group means with its interval (Welch), see `welchInterval`. */
export interface WelchInterval {
  /** mean(a) − mean(b). */
  readonly difference: number;
  /** Lower end of the interval. */
  readonly low: number;
  /** Upper end of the interval. */
  readonly high: number;
  /** The interval's confidence level, 0–1. */
  readonly level: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Standard error of the difference. */
  readonly se: number;
  /** Two-sided p-value of "no difference" (Welch's t-test), not corrected for multiple testing. */
  readonly p: number;
}

/**
 * The difference of means of two independent samples, mean(a) − mean(b), with the two-sided
 * `level` confidence interval of Welch's unequal-variance t (Welch 1947, Biometrika 34:28–35):
 * SE = √(s_a²/n_a + s_b²/n_b), df by Welch–Satterthwaite, interval = difference ± t(1 − (1 − level)/2, df)·SE.
 * When both samples have no spread (SE = 0) the interval collapses to the difference and df is n_a + n_b − 2.
 * @param a - the first sample (finite values, at least 2)
 * @param b - the second sample (finite values, at least 2)
 * @param level - confidence level, strictly between 0 and 1 (0.95 by default)
 * @throws RangeError for fewer than 2 values in a sample or a level outside (0, 1)
 * @example welchInterval([5, 6, 7], [1, 2, 3]).difference // 4
 */
export function welchInterval(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): WelchInterval {
  if (a.length < 2 || b.length < 2)
    throw new RangeError(`welchInterval needs at least 2 values per sample, got ${a.length} and ${b.length}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}`);
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const difference = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    const df = a.length + b.length - 2;
    return { difference, low: difference, high: difference, level, df, se, p: difference === 0 ? 1 : 0 };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  const p = 2 * studentTCdf(-Math.abs(difference / se), df);
  return { difference, low: difference - t * se, high: difference + t * se, level, df, se, p };
}
