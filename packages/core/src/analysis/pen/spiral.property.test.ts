import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PenInput } from '../inputs.js';
import { simulateSpiral, type SimulateSpiralOptions } from './simulate-spiral.js';
import { analyzeSpiral } from './spiral.js';

/**
 * Linear interpolation of a sinusoid of frequency f sampled at fs (the resampling onto 100 Hz)
 * keeps sinc²(f/fs) of its amplitude on average: the known, expected bias of the amplitude.
 */
const interpolationGain = (hz: number, fs: number) =>
  (Math.sin((Math.PI * hz) / fs) / ((Math.PI * hz) / fs)) ** 2;

const drawing = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  fs: fc.double({ min: 60, max: 240, noNaN: true }),
  jitterMs: fc.double({ min: 0, max: 2, noNaN: true }),
  gaps: fc.integer({ min: 0, max: 2 }),
  duplicates: fc.integer({ min: 0, max: 3 }),
  direction: fc.constantFrom('outward' as const, 'inward' as const),
  handedness: fc.constantFrom('clockwise' as const, 'anticlockwise' as const),
  speedMmPerS: fc.double({ min: 40, max: 90, noNaN: true }),
});

/** The same metric values, within a relative (and a small absolute) tolerance. */
function expectSameMetrics(a: Record<string, number | null>, b: Record<string, number | null>, rel: number) {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const [id, value] of Object.entries(a)) {
    const other = b[id];
    if (value === null || other === null || other === undefined || Number.isNaN(value)) {
      expect(other, id).toBe(value); // toBe treats NaN as equal to NaN
      continue;
    }
    expect(Math.abs(other - value), id).toBeLessThanOrEqual(rel * Math.abs(value) + 1e-9);
  }
}

function transform(input: PenInput, map: (x: number, y: number) => [number, number]): PenInput {
  const xMm = new Float64Array(input.xMm.length);
  const yMm = new Float64Array(input.yMm.length);
  input.xMm.forEach((x, i) => ([xMm[i], yMm[i]] = map(x, input.yMm[i]!)));
  return { ...input, xMm, yMm };
}

describe('spiral properties (simulated drawings with known tremor)', () => {
  it('peak frequency within ±0.2 Hz and amplitude within 3 % of the interpolation-corrected truth', () => {
    fc.assert(
      fc.property(
        drawing,
        fc.double({ min: 3, max: 12, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        (options, tremorHz, tremorAmpPpMm) => {
          const { input, truth } = simulateSpiral(options.seed, {
            ...options,
            tremorHz,
            tremorAmpPpMm,
            turns: 3.5,
          });
          const { metrics, flags } = analyzeSpiral(input);
          expect(Math.abs(metrics['tremor_peak_frequency_hz']! - tremorHz)).toBeLessThanOrEqual(0.2);
          const ratio = metrics['tremor_amplitude_pp_mm']! / tremorAmpPpMm;
          // without the known bias: between 0.85 (12 Hz at 60 Hz sampling) and 1.03
          expect(ratio).toBeGreaterThan(0.85);
          expect(ratio).toBeLessThan(1.03);
          const corrected = ratio / interpolationGain(tremorHz, options.fs);
          expect(corrected).toBeGreaterThan(0.97);
          expect(corrected).toBeLessThan(1.03);
          // the peak stands out unless it sits at the band edge or on a drawing-rhythm harmonic (measures.md 3.5)
          const turnHz = truth.turns / truth.durationS;
          const nearHarmonic = [1, 2, 3, 4, 5].some((k) => Math.abs(tremorHz - k * turnHz) < 0.5);
          if (tremorHz >= 3.5 && !nearHarmonic) expect(flags).not.toContain('NO_TREMOR_PEAK');
        },
      ),
      { seed: 1, numRuns: 30 },
    );
  }, 30_000);

  it('SWVI ≈ 0 and no tremor peak for a perfect spiral, whatever the direction, rotation and sampling', () => {
    fc.assert(
      fc.property(drawing, (options) => {
        const { input, truth } = simulateSpiral(options.seed, { ...options, tremorAmpPpMm: 0, turns: 3.5 });
        const { metrics, flags } = analyzeSpiral(input);
        expect(metrics['spiral_width_variability']).toBeLessThan(0.01);
        expect(metrics['spiral_tightness_mm_per_turn']! / truth.tightnessMmPerTurn).toBeCloseTo(1, 3);
        expect(metrics['tremor_amplitude_pp_mm']).toBeLessThan(0.02);
        expect(flags).toContain('NO_TREMOR_PEAK');
        expect(flags).not.toContain('POOR_SPIRAL_FIT');
      }),
      { seed: 2, numRuns: 15 },
    );
  }, 30_000);

  it('is invariant to a time shift', () => {
    fc.assert(
      fc.property(drawing, fc.double({ min: -1e6, max: 1e7, noNaN: true }), (options, shiftMs) => {
        const { input } = simulateSpiral(options.seed, {
          ...options,
          tremorHz: 5,
          tremorAmpPpMm: 0.7,
          turns: 3,
        });
        const shifted = { ...input, tMs: input.tMs.map((t) => t + shiftMs) };
        expectSameMetrics(analyzeSpiral(input).metrics, analyzeSpiral(shifted).metrics, 1e-6);
      }),
      { seed: 3, numRuns: 8 },
    );
  }, 30_000);

  it('is invariant to rotation, translation and mirroring of the drawing', () => {
    fc.assert(
      fc.property(
        drawing,
        fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.boolean(),
        (options, angle, dx, dy, mirror) => {
          const { input } = simulateSpiral(options.seed, {
            ...options,
            tremorHz: 8,
            tremorAmpPpMm: 0.5,
            turns: 3,
          });
          const moved = transform(input, (x, y) => {
            const xm = mirror ? -x : x;
            return [
              dx + xm * Math.cos(angle) - y * Math.sin(angle),
              dy + xm * Math.sin(angle) + y * Math.cos(angle),
            ];
          });
          expectSameMetrics(analyzeSpiral(input).metrics, analyzeSpiral(moved).metrics, 1e-4);
        },
      ),
      { seed: 4, numRuns: 8 },
    );
  }, 30_000);

  it('gives the same tremor and geometry drawn outward or inward (time reversed)', () => {
    fc.assert(
      fc.property(drawing, fc.double({ min: 4, max: 10, noNaN: true }), (options, tremorHz) => {
        const sim: SimulateSpiralOptions = { ...options, tremorHz, tremorAmpPpMm: 1, turns: 3.5 };
        const { input } = simulateSpiral(options.seed, sim);
        const n = input.tMs.length;
        const last = input.tMs[n - 1]!;
        const reversed: PenInput = {
          ...input,
          tMs: Float64Array.from({ length: n }, (_, i) => last - input.tMs[n - 1 - i]!),
          xMm: input.xMm.slice().reverse(),
          yMm: input.yMm.slice().reverse(),
          pressure: input.pressure && input.pressure.slice().reverse(),
        };
        const a = analyzeSpiral(input).metrics;
        const b = analyzeSpiral(reversed).metrics;
        expect(Math.abs(a['tremor_peak_frequency_hz']! - b['tremor_peak_frequency_hz']!)).toBeLessThan(0.2);
        expect(b['tremor_amplitude_pp_mm']! / a['tremor_amplitude_pp_mm']!).toBeCloseTo(1, 1);
        expect(b['spiral_tightness_mm_per_turn']! / a['spiral_tightness_mm_per_turn']!).toBeCloseTo(1, 4);
        expect(b['spiral_turn_count']!).toBeCloseTo(a['spiral_turn_count']!, 3);
        expect(b['mean_speed_mm_per_s']!).toBeCloseTo(a['mean_speed_mm_per_s']!, 9);
      }),
      { seed: 5, numRuns: 8 },
    );
  }, 30_000);
});
