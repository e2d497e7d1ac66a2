import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { estimatePollingHz } from './polling';

/** Key event times of a typist (random holds and intervals) as a keyboard polled every `periodMs` reports them. */
function keyTimes(seed: number, periodMs: number | null, events = 200, offset = 1234.567): number[] {
  const rng = createRng(seed);
  const out: number[] = [];
  let t = 1000;
  for (let i = 0; i < events; i++) {
    t += 40 + 200 * rng.next();
    // the report after the press: the next poll, plus the browser's 0.1-ms rounding jitter
    const reported = periodMs === null ? t : Math.ceil(t / periodMs) * periodMs + offset;
    out.push(Math.round(reported * 10) / 10);
  }
  return out;
}

describe('estimatePollingHz', () => {
  it.each([
    [8, 125],
    [4, 250],
    [1, 1000],
    [10, 100],
    [16, 62.5],
  ])('finds a %s-ms comb: %s Hz', (period, hz) => {
    for (const seed of [1, 2, 3]) expect(estimatePollingHz(keyTimes(seed, period))).toBe(hz);
  });

  it('finds no comb in times that are not on one', () => {
    for (const seed of [1, 2, 3]) expect(estimatePollingHz(keyTimes(seed, null))).toBeNull();
  });

  it('needs enough differences, and ignores events of one report and missing times', () => {
    expect(estimatePollingHz(keyTimes(4, 8, 15))).toBeNull();
    const times = keyTimes(5, 8);
    const withSameReport = [...times, ...times.slice(0, 50).map((t) => t + 0.1), null, Number.NaN];
    expect(estimatePollingHz(withSameReport)).toBe(125);
  });
});
