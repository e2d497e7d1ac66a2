import { describe, expect, it } from 'vitest';
import { welchInterval } from './welch-interval.js';

const A = [19.1, 21.3, 20.2, 22.8, 18.7, 20.9];
const B = [17.2, 18.9, 16.5, 19.8, 17.1, 18.0, 16.9];

describe('welchInterval', () => {
  it('matches scipy.stats.ttest_ind(equal_var=False) and its confidence_interval', () => {
    // scipy 1.x: df 9.536726152044544, p 0.005486474228893498,
    // 95 %: 1.0146111556686146 … 4.442531701474241; 99 %: 0.2801008893892494 … 5.177041967753606
    const r95 = welchInterval(A, B, 0.95);
    expect(r95.df).toBeCloseTo(9.536726152044544, 9);
    expect(r95.p).toBeCloseTo(0.005486474228893498, 9);
    expect(r95.low).toBeCloseTo(1.0146111556686146, 9);
    expect(r95.high).toBeCloseTo(4.442531701474241, 9);
    const r99 = welchInterval(A, B, 0.99);
    expect(r99.low).toBeCloseTo(0.2801008893892494, 9);
    expect(r99.high).toBeCloseTo(5.177041967753606, 9);
    expect(r99.difference).toBeCloseTo(r95.difference, 12);
  });

  it('collapses to the difference when neither sample varies', () => {
    const r = welchInterval([3, 3, 3], [1, 1], 0.95);
    expect(r).toMatchObject({ difference: 2, low: 2, high: 2, se: 0, df: 3 });
  });

  it('refuses samples of one value and levels outside 0–1', () => {
    expect(() => welchInterval([1], [1, 2])).toThrow(RangeError);
    expect(() => welchInterval([1, 2], [1, 2], 1)).toThrow(/invalid level/);
  });
});
