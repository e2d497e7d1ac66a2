import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { simulatePrecision } from './simulate-precision.js';
import { irregularSampleTimes, simulateSpiral } from './simulate-spiral.js';

describe('pen simulators', () => {
  it('sample at the asked mean rate with jitter, gaps over 50 ms and repeated stamps', () => {
    const times = irregularSampleTimes(seededRandom(1), 10_000, {
      fs: 120,
      jitterMs: 1,
      gaps: 3,
      duplicates: 5,
    });
    const dts = times.slice(1).map((t, i) => t - times[i]!);
    expect(dts.filter((dt) => dt === 0)).toHaveLength(5);
    expect(dts.filter((dt) => dt > 50).length).toBeGreaterThanOrEqual(1);
    expect(dts.filter((dt) => dt > 50).length).toBeLessThanOrEqual(3);
    const regular = dts.filter((dt) => dt > 0 && dt < 50);
    const meanDt = regular.reduce((s, v) => s + v, 0) / regular.length;
    expect(1000 / meanDt).toBeGreaterThan(115);
    expect(1000 / meanDt).toBeLessThan(125);
    expect(Math.min(...dts)).toBeGreaterThanOrEqual(0);
  });

  it('give the same drawing for the same seed, and flag what the row rules find', () => {
    const a = simulateSpiral(5, { gaps: 1, duplicates: 2, fs: 70 });
    const b = simulateSpiral(5, { gaps: 1, duplicates: 2, fs: 70 });
    expect([...a.input.xMm]).toEqual([...b.input.xMm]);
    expect(a.input.flags).toEqual(['DUPLICATE_TIMESTAMPS', 'LOW_SAMPLING_RATE', 'SAMPLE_GAPS']);
    expect(simulateSpiral(5).input.flags).toEqual([]);
  });

  it('draw an Archimedean spiral of the asked pitch, turns and speed', () => {
    const { input, truth } = simulateSpiral(2, {
      pitchMmPerTurn: 8,
      turns: 3,
      speedMmPerS: 50,
      jitterMs: 0,
      fs: 200,
    });
    const r = Array.from(input.xMm, (x, i) =>
      Math.hypot(x - truth.centreMm[0], input.yMm[i]! - truth.centreMm[1]),
    );
    expect(r[0]).toBeCloseTo(2, 6);
    expect(r[r.length - 1]).toBeCloseTo(2 + 8 * 3, 1);
    let length = 0;
    for (let i = 1; i < r.length; i++)
      length += Math.hypot(input.xMm[i]! - input.xMm[i - 1]!, input.yMm[i]! - input.yMm[i - 1]!);
    expect(length / truth.durationS).toBeCloseTo(50, 0);
    const inward = simulateSpiral(2, { direction: 'inward', turns: 3, pitchMmPerTurn: 8 });
    const rIn = Math.hypot(inward.input.xMm[0]! - 80, inward.input.yMm[0]! - 60);
    expect(rIn).toBeCloseTo(26, 6);
  });

  it('precision truth: a constant offset gives its length as RMS and 100 % or 0 % within 1 mm', () => {
    expect(simulatePrecision(1, { offsetMm: [0.6, 0.8] }).truth.deviationRmsMm).toBeCloseTo(1, 12);
    expect(simulatePrecision(1, { offsetMm: [0.3, 0.4] }).truth.withinOneMmPct).toBe(100);
    expect(simulatePrecision(1, { offsetMm: [3, 4] }).truth.withinOneMmPct).toBe(0);
    const { input } = simulatePrecision(1, { withTarget: false });
    expect(input.targetXMm).toBeNull();
    expect(input.task).toBe('precision');
  });
});
