import { expect } from 'vitest';

/** Relative tolerance of every comparison with the scipy/numpy fixtures. */
export const RTOL = 1e-6;

/**
 * Largest |value| of an array: the "signal scale" the absolute floor is tied to.
 */
export function scaleOf(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]!));
  return m;
}

/**
 * Asserts |a − b| ≤ RTOL·max(|b|, floor) element-wise.
 *
 * Why a floor: a relative test is meaningless for values that are zero or nearly zero in the reference
 * (a detrended residual crossing zero, a coefficient that is exactly 0, a PSD bin far below the
 * peak). Both implementations only differ by float64 rounding, whose ABSOLUTE size is set by the
 * largest values involved: ~n·ε·scale ≤ 1300·2.2e-16·scale ≈ 3e-13·scale in the worst case here. The
 * default floor is 1e-6·scale (scale = max |b| of the array), so near-zero values must agree to
 * 1e-12·scale — at least 3× above that worst-case rounding, and 10⁶ times tighter than the
 * 1e-6-relative check every value above the floor gets. A wrong algorithm (window, scaling, padding,
 * pairing) is off by far more than 1e-12 of the scale.
 */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  floor: number = 1e-6 * scaleOf(expected),
  label = '',
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const ratio = Math.abs(a - b) / (RTOL * Math.max(Math.abs(b), floor));
    if (!(ratio <= worst)) {
      worst = ratio;
      worstAt = i;
    }
  }
  expect(
    worst,
    `${label} worst at index ${worstAt}: ${actual[worstAt]} vs ${expected[worstAt]} (ratio to tolerance)`,
  ).toBeLessThanOrEqual(1);
}

/** Scalar version of {@link expectAllClose}; `floor` must be given (tie it to the data's scale). */
export function expectClose(actual: number, expected: number, floor: number, label = ''): void {
  expectAllClose([actual], [expected], floor, label);
}
