import { describe, expect, it } from 'vitest';
import fixture from './fixtures/resample.json' with { type: 'json' };
import { resampleUniform } from './resample.js';
import { expectAllClose, scaleOf } from './test-utils/close.js';

describe('resampleUniform vs numpy.interp on t0 + k·1000/fs', () => {
  for (const [i, c] of fixture.cases.entries()) {
    it(`case ${i}: ${c.tMs.length} samples onto ${c.fs} Hz`, () => {
      const r = resampleUniform(c.tMs, c.values, c.fs);
      expect(r.t0Ms).toBe(c.t0Ms);
      expect(r.fs).toBe(c.fs);
      expect(r.values.length).toBe(c.gridMs.length);
      expectAllClose(r.values, c.resampled, 1e-6 * scaleOf(c.values));
    });
  }
});

describe('resampleUniform known truth', () => {
  it('reproduces a linear function exactly, ends at or before the last stamp', () => {
    const t = [0, 3, 11, 12.5, 30, 31];
    const v = t.map((x) => 2 * x - 7);
    const r = resampleUniform(t, v, 200); // 5 ms grid: 0, 5, …, 30
    expect(r.values.length).toBe(7);
    r.values.forEach((y, k) => expect(y).toBeCloseTo(2 * (5 * k) - 7, 12));
  });

  it('includes the last stamp when it is on the grid, and handles 0 and 1 samples', () => {
    expect(resampleUniform([10, 20, 30], [1, 2, 3], 100).values).toEqual(Float64Array.from([1, 2, 3]));
    expect(resampleUniform([5], [4], 100).values).toEqual(Float64Array.from([4]));
    expect(resampleUniform([], [], 100).values.length).toBe(0);
    expect(() => resampleUniform([1, 2], [1], 100)).toThrow(RangeError);
  });
});
