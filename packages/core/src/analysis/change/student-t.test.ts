import { describe, expect, it } from 'vitest';
import fixture from './fixtures/t-quantiles.json' with { type: 'json' };
import { logBeta, logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './student-t.js';

/** Relative difference, absolute near zero. */
function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

describe('studentTQuantile', () => {
  it(`matches scipy.stats.t.ppf at ${fixture.quantiles.length} (p, df) pairs, df 0.5 to 100 000`, () => {
    // scipy 1.10's t.ppf itself is off by up to 4.6e-9 relative (t.ppf(0.75, 1) = 1.0000000000133888);
    // `tRefined` is it polished by Newton steps on scipy's accurate t.cdf / t.sf (fixtures/t-quantiles.py)
    const misses = fixture.quantiles
      .map(({ p, df, t, tRefined }) => ({ p, df, t, tRefined, got: studentTQuantile(p, df) }))
      .filter(
        ({ t, tRefined, got }) => !(relativeError(got, t) < 1e-8 && relativeError(got, tRefined) < 1e-12),
      );
    expect(misses).toEqual([]);
  });

  it('gives the SDC95 multipliers of measures.md 10.3 (4.97 for n = 3, 3.04 for n = 5, 2.37 for n = 10)', () => {
    const factor = (n: number) => studentTQuantile(0.975, n - 1) * Math.sqrt(1 + 1 / n);
    for (const { n, factor: expected } of fixture.sdcFactors) expect(factor(n)).toBeCloseTo(expected, 12);
    expect(factor(3)).toBeCloseTo(4.97, 2);
    expect(factor(5)).toBeCloseTo(3.04, 2);
    expect(factor(10)).toBeCloseTo(2.37, 2);
  });

  it('is the closed form for df = 1 (Cauchy) and df = 2, and symmetric about 0', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174707, 12);
    expect(studentTQuantile(0.75, 1)).toBeCloseTo(1, 14);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.1, 7)).toBeCloseTo(-studentTQuantile(0.9, 7), 14);
  });

  it('approaches the normal quantile 1.959964 for large df', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('gives ∓Infinity at p = 0 and 1 and refuses p outside 0–1 or df ≤ 0', () => {
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(1.5, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(Number.NaN, 3)).toThrow(RangeError);
  });

  it('inverts the CDF', () => {
    for (const df of [3, 8.5, 40]) {
      for (const p of [0.01, 0.3, 0.7, 0.975])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
  });
});

describe('studentTCdf', () => {
  it('matches scipy.stats.t.cdf to 1e-12, relative also in the far tails', () => {
    for (const { t, df, cdf } of fixture.cdfs) {
      const got = studentTCdf(t, df);
      expect(Math.abs(got - cdf) / Math.max(cdf, 1e-300), `t=${t} df=${df}`).toBeLessThan(1e-12);
    }
  });
});

describe('special functions', () => {
  it('logGamma matches known values: Γ(5) = 24, Γ(1/2) = √π, Γ(0.1) = 9.513507698668732', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 13);
  });

  it('logBeta matches scipy.special.betaln, and for one large argument (df = 10⁵) the exact series', () => {
    // ½·ln π − ½·ln a − ln(1 − 1/(8a) + 1/(128a²) + 5/(1024a³) − …) at 40 digits; scipy 1.10's betaln
    // gives −4.837521699315403 here, 3.5e-11 off (its lgamma difference cancels)
    expect(logBeta(50000, 0.5)).toBeCloseTo(-4.837521699280442, 14);
    expect(logBeta(3, 4)).toBeCloseTo(Math.log(1 / 60), 14);
    expect(logBeta(12.5, 30)).toBeCloseTo(-25.908683991310074, 12);
  });

  it('regularizedIncompleteBeta: I_x(1, 1) = x, I_x(a, b) = 1 − I_(1−x)(b, a), and the ends', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.2, 2.5, 4)).toBeCloseTo(
      1 - regularizedIncompleteBeta(0.8, 4, 2.5),
      14,
    );
    // I_x(2, 1) = x²
    expect(regularizedIncompleteBeta(0.6, 2, 1)).toBeCloseTo(0.36, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});
