import { describe, expect, it } from 'vitest';
import { welch } from '../dsp/welch.js';
import { simulateTremor } from './simulate.js';

describe('simulateTremor', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateTremor(4, { durationS: 5 });
    const b = simulateTremor(4, { durationS: 5 });
    const c = simulateTremor(5, { durationS: 5 });
    expect(a).toEqual(b);
    expect(Array.from(c.input.ax)).not.toEqual(Array.from(a.input.ax));
  });

  it('samples at the nominal rate without jitter, drops or duplicates, stamps rounded to 0.1 ms', () => {
    const { input, truth } = simulateTremor(1, {
      fs: 50,
      durationS: 4,
      jitterMs: 0,
      dropProbability: 0,
      duplicateProbability: 0,
      startMs: 1000,
    });
    expect(truth.rows).toBe(201);
    expect(input.tMs).toHaveLength(201);
    input.tMs.forEach((t, k) => expect(t).toBeCloseTo(1000 + 20 * k, 9));
    expect(input.gx).toBeNull();
  });

  it('jitters intervals, loses samples, repeats stamps and leaves gaps as asked', () => {
    const { input, truth } = simulateTremor(2, {
      fs: 100,
      durationS: 30,
      jitterMs: 2,
      dropProbability: 0.05,
      duplicateProbability: 0.02,
      gaps: [{ atS: 10, durationMs: 300 }],
      startMs: 0,
    });
    const intervals = Array.from(input.tMs.subarray(1), (t, i) => t - input.tMs[i]!);
    const repeats = intervals.filter((d) => d === 0).length;
    expect(repeats).toBe(truth.duplicated);
    expect(truth.duplicated).toBeGreaterThan(20);
    expect(truth.dropped).toBeGreaterThan(75); // ≈ 5 % of ≈ 3000
    expect(truth.rows).toBe(input.tMs.length);
    expect(input.tMs.some((t) => t > 10_000 && t < 10_300)).toBe(false);
    expect(Math.max(...intervals)).toBeGreaterThanOrEqual(300);
    const positive = intervals.filter((d) => d > 0 && d < 15).sort((x, y) => x - y);
    expect(positive[0]).toBeLessThan(9); // jitter shortens some intervals
    expect(Math.min(...positive)).toBeGreaterThanOrEqual(2); // never below 20 % of nominal
  });

  it('makes a tremor whose RMS along its direction is the truth (A/√2), and none off-axis', () => {
    const direction = [1, 2, 2] as const; // unit vector (1, 2, 2)/3
    const { input, truth } = simulateTremor(3, {
      fs: 200,
      durationS: 10,
      frequencyHz: 5,
      amplitudeRmsMPerS2: 0.3,
      axisDirection: direction,
      noiseRmsMPerS2: 0,
      driftRmsMPerS2: 0,
      jitterMs: 0,
      dropProbability: 0,
      duplicateProbability: 0,
    });
    expect(truth.direction.map((c) => c * 3)).toEqual([1, 2, 2].map((c) => expect.closeTo(c, 12)));
    const along = Array.from(input.ax, (x, i) => (x + 2 * input.ay[i]! + 2 * input.az[i]!) / 3);
    const rms = Math.sqrt(along.reduce((s, v) => s + v * v, 0) / along.length);
    expect(rms).toBeCloseTo(0.3, 3);
    // the component perpendicular to the direction, e.g. (2, −1, 0)/√5, is zero
    input.ax.forEach((x, i) => expect(2 * x - input.ay[i]!).toBeCloseTo(0, 12));
    expect(truth.displacementRmsCm).toBeCloseTo((100 * 0.3) / (2 * Math.PI * 5) ** 2, 12);
  });

  it('keeps the voluntary movement below 2 Hz', () => {
    const { input } = simulateTremor(6, {
      fs: 100,
      durationS: 20,
      amplitudeRmsMPerS2: 0,
      noiseRmsMPerS2: 0,
      driftRmsMPerS2: 0.5,
      driftMaxHz: 1.5,
      jitterMs: 0,
      dropProbability: 0,
      duplicateProbability: 0,
    });
    // Welch PSD with 0.1-Hz bins: all but Hann leakage lies below 2 Hz
    for (const x of [input.ax, input.ay, input.az]) {
      const { f, psd } = welch(x, 100, { nperseg: 1000 });
      const total = psd.reduce((a, b) => a + b, 0);
      const above = psd.reduce((a, p, k) => (f[k]! >= 2 ? a + p : a), 0);
      expect(above / total).toBeLessThan(1e-4);
    }
    const rms = Math.sqrt(
      [input.ax, input.ay, input.az].reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0) /
        input.ax.length,
    );
    expect(rms).toBeGreaterThan(0.3);
    expect(rms).toBeLessThan(0.7);
  });
});
