import { describe, expect, it } from 'vitest';
import { detrendLinear, wingKristofferson } from './wing-kristofferson.js';

describe('Wing–Kristofferson estimates (Correction 14)', () => {
  it('matches numpy on a detrended series with the 1/n denominator', () => {
    const wk = wingKristofferson([[499, 502, 493, 479, 511, 516, 491, 518, 499, 495, 510, 488]])!;
    // numpy: r = c − polyval(polyfit(i, c, 1), i); var = Σr²/n; γ1 = Σ r[:-1]·r[1:] / n
    expect(wk.n).toBe(12);
    expect(wk.varianceMs2).toBeCloseTo(128.3676184926185, 9);
    expect(wk.lag1AutocovarianceMs2).toBeCloseTo(-36.46293058793071, 9);
    expect(wk.lag1Autocorrelation).toBeCloseTo(-0.28405084565799144, 12);
    expect(wk.motorVarianceMs2).toBeCloseTo(36.46293058793071, 9);
    expect(wk.timerVarianceMs2).toBeCloseTo(55.44175731675709, 9);
    expect(wk.violation).toBe(false);
  });

  it('sets σm² = 0 and flags a positive lag-1 autocovariance', () => {
    const wk = wingKristofferson([[500, 505, 512, 507, 498, 494, 501, 509, 511, 503, 496, 499]])!;
    expect(wk.lag1AutocovarianceMs2).toBeCloseTo(11.49414011914022, 9);
    expect(wk.motorVarianceMs2).toBe(0);
    expect(wk.timerVarianceMs2).toBeCloseTo(30.76155788655785, 9);
    expect(wk.violation).toBe(true);
  });

  it('clamps σc² at 0 and flags ρ̂(1) < −0.5', () => {
    const wk = wingKristofferson([[500, 512, 495, 503, 498, 508, 491, 506, 499, 502, 497, 510]])!;
    expect(wk.lag1Autocorrelation).toBeCloseTo(-0.6523905253037318, 12);
    expect(wk.motorVarianceMs2).toBeCloseTo(23.92307692307691, 9);
    expect(wk.timerVarianceMs2).toBe(0);
    expect(wk.violation).toBe(true);
  });

  it('pools trials: each detrended alone, sums over all intervals, no lag product across trials', () => {
    const wk = wingKristofferson([
      [500, 512, 495, 503, 498, 508],
      [490, 507, 493, 505, 489, 503, 492],
    ])!;
    expect(wk.n).toBe(13);
    expect(wk.varianceMs2).toBeCloseTo(42.73333333333349, 9);
    expect(wk.lag1AutocovarianceMs2).toBeCloseTo(-31.458991801848853, 9);
  });

  it('removes a linear trend exactly and needs enough intervals', () => {
    const r = detrendLinear([100, 110, 120, 130]);
    for (const v of r) expect(Math.abs(v)).toBeLessThan(1e-9);
    expect(wingKristofferson([[500, 510]])).toBeNull();
    expect(wingKristofferson([[500, 510, 505, 495]], 10)).toBeNull();
  });
});
