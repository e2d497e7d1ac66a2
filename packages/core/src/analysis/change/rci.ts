import { studentTQuantile } from './student-t.js';

/**
 * Standard error of measurement from a reference sample: SEM = SD_baseline · √(1 − r_xx)
 * (Jacobson & Truax 1991, J Consult Clin Psychol 59:12–19; measures.md 10.3).
 * @param sdBaseline - between-person SD of baseline scores in a reference sample
 * @param reliability - test–retest reliability r_xx (ICC), 0–1
 */
export function standardErrorOfMeasurement(sdBaseline: number, reliability: number): number {
  if (!(reliability >= 0 && reliability <= 1))
    throw new RangeError(`reliability must be 0–1, got ${reliability}`);
  if (!(sdBaseline >= 0)) throw new RangeError(`sdBaseline must be ≥ 0, got ${sdBaseline}`);
  return sdBaseline * Math.sqrt(1 - reliability);
}

/**
 * Jacobson–Truax reliable change index: RCI = (x₂ − x₁)/S_diff with S_diff = √2 · SEM; |RCI| > 1.96 is a
 * reliable change at 95 % (Jacobson & Truax 1991). With `sem2`, S_diff = √(SEM₁² + SEM₂²), the variant
 * of Maassen 2004 (J Int Neuropsychol Soc 10:888–893) for unequal pre and post variances.
 * @param x1 - the earlier score
 * @param x2 - the later score
 * @param sem - SEM of the earlier score (and of both when `sem2` is absent)
 * @param sem2 - SEM of the later score
 * @returns the index; NaN when S_diff is 0
 */
export function reliableChangeIndex(x1: number, x2: number, sem: number, sem2?: number): number {
  const sDiff = sem2 === undefined ? Math.SQRT2 * sem : Math.hypot(sem, sem2);
  return sDiff > 0 ? (x2 - x1) / sDiff : Number.NaN;
}

/**
 * The SDC95 multiplier for one new session against the mean of n baseline sessions:
 * t(0.975, n − 1) · √(1 + 1/n) (measures.md 10.3 item 2, Correction 3) — 4.97 for n = 3, 3.04 for n = 5,
 * 2.37 for n = 10. S_w from n sessions has n − 1 degrees of freedom, hence the t quantile.
 * @param n - number of baseline sessions (≥ 2)
 */
export function sdcMultiplier(n: number): number {
  if (!(Number.isInteger(n) && n >= 2))
    throw new RangeError(`sdcMultiplier needs an integer n ≥ 2, got ${n}`);
  return studentTQuantile(0.975, n - 1) * Math.sqrt(1 + 1 / n);
}

/**
 * Smallest detectable change (95 %) of one new session against the mean of n baseline sessions:
 * SDC95 = t(0.975, n − 1) · √(1 + 1/n) · S_w (measures.md 10.3 item 2, Correction 3).
 * @param withinSd - the within-person SD S_w of the baseline sessions (on the analysis scale)
 * @param n - number of baseline sessions (≥ 2)
 */
export function sdc95(withinSd: number, n: number): number {
  return sdcMultiplier(n) * withinSd;
}
