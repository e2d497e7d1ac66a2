import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/stats.json' with { type: 'json' };
import {
  auc,
  autocovariance,
  cvPct,
  iqr,
  lineFit,
  mad,
  mean,
  median,
  quantile,
  quantiles,
  quantileSorted,
  sampleSd,
  sorted,
  variance,
} from './stats.js';
import { expectClose, scaleOf } from './test-utils/close.js';

describe('stats vs numpy / scipy.stats.rankdata', () => {
  for (const c of fixture.cases) {
    it(`${c.x.length} values`, () => {
      const s = scaleOf(c.x);
      const floor = 1e-6 * s; // differences of values of this size are exact to ~ε·scale
      expectClose(mean(c.x), c.mean, floor, 'mean');
      expectClose(median(c.x), c.median, floor, 'median');
      c.probs.forEach((p, i) => expectClose(quantile(c.x, p), c.quantiles[i]!, floor, `quantile ${p}`));
      expectClose(iqr(c.x), c.iqr, floor, 'iqr');
      expectClose(mad(c.x), c.mad, floor, 'mad');
      if (c.variance !== undefined) {
        expectClose(variance(c.x), c.variance, floor * s, 'variance');
        expectClose(sampleSd(c.x), c.sd!, floor, 'sd');
        expectClose(cvPct(c.x), c.cvPct!, 1e-3, 'cv %');
        const fit = lineFit(c.lineFit!.x, c.x);
        expectClose(fit.slope, c.lineFit!.slope, floor, 'slope');
        expectClose(fit.intercept, c.lineFit!.intercept, floor, 'intercept');
        c.autocovariance!.forEach((g, lag) =>
          expectClose(autocovariance(c.x, lag), g, floor * s, `acov ${lag}`),
        );
      } else {
        expect(variance(c.x)).toBeNaN();
      }
    });
  }
  for (const [i, c] of fixture.auc.entries()) {
    it(`auc case ${i} (${c.positive.length} vs ${c.negative.length}, ties)`, () => {
      expectClose(auc(c.positive, c.negative), c.auc, 1e-9, 'auc');
    });
  }
});

describe('stats known truth', () => {
  it('auc is 1, 0 and 0.5 for separated, reversed and identical groups', () => {
    expect(auc([3, 4, 5], [0, 1, 2])).toBe(1);
    expect(auc([0, 1], [3, 4, 5])).toBe(0);
    expect(auc([1, 1], [1, 1, 1])).toBe(0.5);
    expect(auc([], [1])).toBeNaN();
  });

  it('quantiles of 1…5 follow type 7', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 14);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('quantiles by selection equal the order statistics of the sorted values', () => {
  // few distinct values, so that ties (and runs of equal values around the pivot) are common
  const values = fc.array(
    fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    { maxLength: 300 },
  );
  const probs = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1];

  it('gives exactly quantileSorted(sorted(x), p) for every p, whatever the input order', () => {
    fc.assert(
      fc.property(values, (x) => {
        const s = sorted(x);
        const expected = probs.map((p) => quantileSorted(s, p));
        // Object.is would tell −0 from 0; the values must be equal as numbers
        const equal = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
        expect(quantiles(x, probs).every((q, i) => equal(q, expected[i]!))).toBe(true);
        expect(equal(median(x), quantileSorted(s, 0.5))).toBe(true);
        expect(equal(iqr(x), quantileSorted(s, 0.75) - quantileSorted(s, 0.25))).toBe(true);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('leaves its input unchanged', () => {
    const x = [5, 3, 9, 1, 7, 3];
    quantiles(x, [0.25, 0.5, 0.9]);
    expect(x).toEqual([5, 3, 9, 1, 7, 3]);
  });

  it('sorts NaN last as sorted() does', () => {
    expect(median([Number.NaN, 1, 2, 3])).toBe(2.5);
    expect(quantile([Number.NaN, 1, 2], 0)).toBe(1);
    expect(quantile([Number.NaN, 1, 2], 1)).toBeNaN();
    expect(quantiles([3, Number.NaN, 1, 2], [0, 0.5])).toEqual([1, 2.5]);
  });

  it('gives NaN for an empty input or p outside [0, 1]', () => {
    expect(quantiles([], [0.5])).toEqual([Number.NaN]);
    expect(quantile([1, 2], 1.5)).toBeNaN();
    expect(quantile([7], 0.3)).toBe(7);
  });
});
