import { describe, expect, it } from 'vitest';
import { median } from '../dsp/stats.js';
import { simulateHandwriting } from './simulate-handwriting.js';

describe('simulateHandwriting', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateHandwriting(1, { durationS: 3 });
    const b = simulateHandwriting(1, { durationS: 3 });
    const c = simulateHandwriting(2, { durationS: 3 });
    expect(b.input.xMm).toEqual(a.input.xMm);
    expect(b.input.tMs).toEqual(a.input.tMs);
    expect(c.input.tMs).not.toEqual(a.input.tMs);
  });

  it('samples at the asked rate with jitter, strictly increasing time', () => {
    for (const fsHz of [60, 133, 240]) {
      const { input } = simulateHandwriting(3, { fsHz, jitterPct: 20, dropPct: 0 });
      const dt = input.tMs.slice(1).map((t, i) => t - input.tMs[i]!);
      expect(Math.min(...dt)).toBeGreaterThanOrEqual((1000 / fsHz) * 0.8 - 1e-9);
      expect(Math.max(...dt)).toBeLessThanOrEqual((1000 / fsHz) * 1.2 + 1e-9);
      expect(1000 / median(dt)).toBeCloseTo(fsHz, -1);
      expect(input.tMs[0]).toBe(1000);
    }
  });

  it('writes the asked number of cycles at the asked frequency and size', () => {
    const { input, truth } = simulateHandwriting(4, { durationS: 10, strokeHz: 5, noiseMm: 0, dropPct: 0 });
    expect(truth.strokeHz).toBeCloseTo(5, 9);
    expect(truth.cycles).toBe(50);
    expect(truth.fluent).toBe(true);
    expect(truth.letterWidthMm).toBeCloseTo(4, 12); // 20 mm/s / 5 Hz
    // y runs between the baseline (50) and 8 mm above it (smaller y: screen coordinates)
    expect(Math.max(...input.yMm)).toBeLessThanOrEqual(50 + 1e-9);
    expect(Math.min(...input.yMm)).toBeGreaterThan(42 - 0.01);
    expect(Math.min(...input.yMm)).toBeLessThan(42 + 0.05);
    const last = input.tMs.length - 1;
    expect((input.xMm[last]! - input.xMm[0]!) / ((input.tMs[last]! - input.tMs[0]!) / 1000)).toBeCloseTo(
      20,
      0,
    );
  });

  it('varies cycle durations and drifts the stroke frequency as asked', () => {
    const varied = simulateHandwriting(5, { durationS: 60, cycleCvPct: 10 }).truth;
    expect(Math.abs(varied.strokeHz / 4.5 - 1)).toBeLessThan(0.03);
    const slowing = simulateHandwriting(5, { durationS: 120, strokeHzDriftPctPerMin: -20 }).truth;
    expect(slowing.strokeHz).toBeLessThan(4.5 * 0.85);
  });

  it('lifts the pen between words and inside words (hover samples have pen_down 0 and no pressure)', () => {
    const options = { cyclesPerWord: 5, breaksPerWord: 1, durationS: 10, strokeHz: 5 };
    const { input, truth } = simulateHandwriting(6, options);
    expect(truth.cycles).toBe(50);
    expect(truth.penLifts).toBe(19); // 10 words of 2 parts: 9 lifts between words, 10 inside
    expect(truth.breaks).toBe(10);
    let liftStarts = 0;
    for (let i = 1; i < input.penDown!.length; i++) {
      if (input.penDown![i - 1] === 1 && input.penDown![i] === 0) liftStarts++;
      if (input.penDown![i] === 0) expect(input.pressure![i]).toBe(0);
    }
    expect(liftStarts).toBe(truth.penLifts);
    const noHover = simulateHandwriting(6, { ...options, hover: false });
    expect([...noHover.input.penDown!].filter((d) => d === 0).length).toBe(noHover.truth.penLifts);
  });

  it('inserts long pen-down gaps and drops samples', () => {
    const { input, truth } = simulateHandwriting(7, { longGaps: 2, dropPct: 0, jitterPct: 0, fsHz: 100 });
    const dt = input.tMs.slice(1).map((t, i) => t - input.tMs[i]!);
    expect(dt.filter((d) => d > 50).length).toBe(truth.longGaps);
    const dropped = simulateHandwriting(7, { dropPct: 10, jitterPct: 0, fsHz: 100 }).input;
    expect(dropped.tMs.length).toBeLessThan(input.tMs.length * 0.93);
  });

  it('marks wide loops (one speed peak per stroke no longer guaranteed) and hesitations as not fluent', () => {
    expect(simulateHandwriting(8, { loopMm: 3.9, durationS: 2 }).truth.fluent).toBe(false);
    expect(simulateHandwriting(8, { hesitation: 0.5, durationS: 2 }).truth.fluent).toBe(false);
    expect(simulateHandwriting(8, { pressureMean: null, durationS: 2 }).input.pressure).toBeNull();
  });
});
