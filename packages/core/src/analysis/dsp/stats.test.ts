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
  sampleSd,
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
