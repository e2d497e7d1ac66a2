import { describe, expect, it } from 'vitest';
import { detrend, detrendInPlace } from './detrend.js';
import fixture from './fixtures/detrend.json' with { type: 'json' };
import { expectAllClose, scaleOf } from './test-utils/close.js';

describe('detrend vs scipy.signal.detrend', () => {
  for (const c of fixture.cases) {
    it(`length ${c.x.length}`, () => {
      // residuals cross zero: the floor is tied to the INPUT's scale (rounding is relative to it)
      const floor = 1e-6 * scaleOf(c.x);
      expectAllClose(detrend(c.x, 'constant'), c.constant, floor, 'constant');
      expectAllClose(detrend(c.x, 'linear'), c.linear, floor, 'linear');
    });
  }
});

describe('detrend known truth', () => {
  it('removes an exact line completely and leaves the residual of a parabola symmetric', () => {
    const line = Float64Array.from({ length: 11 }, (_, i) => 3 - 0.5 * i);
    expectAllClose(detrend(line, 'linear'), new Float64Array(11), 1e-9);
    const par = Float64Array.from({ length: 11 }, (_, i) => (i - 5) ** 2);
    const r = detrend(par, 'linear');
    for (let i = 0; i < 11; i++) expect(r[i]).toBeCloseTo(r[10 - i]!, 12);
    expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 10);
  });

  it('detrends a slice in place without touching the rest', () => {
    const buf = Float64Array.from([9, 1, 2, 3, 9]);
    detrendInPlace(buf, 'constant', 1, 3);
    expect(Array.from(buf)).toEqual([9, -1, 0, 1, 9]);
    expect(detrend([], 'linear').length).toBe(0);
  });
});
