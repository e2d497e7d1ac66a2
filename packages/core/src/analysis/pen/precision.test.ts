import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, metricCatalogue } from '../analyze.js';
import { codeOf } from '../formats/test-utils/fixtures.js';
import type { PenInput } from '../inputs.js';
import { analyzePrecision, PRECISION_METRICS } from './precision.js';
import { simulatePrecision } from './simulate-precision.js';

const interpolationGain = (hz: number, fs: number) =>
  (Math.sin((Math.PI * hz) / fs) / ((Math.PI * hz) / fs)) ** 2;

/** Hand-made precision samples: t, x, y, target x, target y (pen always down, 100 Hz unless given). */
function handInput(rows: [number, number, number, number, number][]): PenInput {
  return {
    task: 'precision',
    tMs: Float64Array.from(rows, (r) => r[0]),
    xMm: Float64Array.from(rows, (r) => r[1]),
    yMm: Float64Array.from(rows, (r) => r[2]),
    pressure: null,
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: Float64Array.from(rows, (r) => r[3]),
    targetYMm: Float64Array.from(rows, (r) => r[4]),
    flags: [],
  };
}

describe('precision catalogue', () => {
  it('has unique IDs with units, definitions and citations, all returned by analyze()', () => {
    const ids = PRECISION_METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of PRECISION_METRICS) {
      expect(m.task).toBe('precision');
      expect(m.citation).toContain('[S] project definition');
      expect(m.definition.length).toBeGreaterThan(20);
    }
    expect(metricCatalogue('precision').map((m) => m.id)).toEqual(ids);
    const out = analyze(simulatePrecision(1, { tremorAmpPpMm: 0.4 }).input);
    expect(Object.keys(out.metrics).sort()).toEqual([...ids].sort());
  });
});

describe('precision deviation metrics', () => {
  it('RMS, 95th percentile and time within 1 mm of a constant, then changing, offset', () => {
    // 0–1000 ms: tip 0.6 mm right of the target; 1000–2000 ms: 2 mm (linear change between 990 and 1000)
    const rows: [number, number, number, number, number][] = [];
    for (let t = 0; t <= 2000; t += 10) rows.push([t, 10 + (t < 1000 ? 0.6 : 2), 5, 10, 5]);
    const { metrics } = analyzePrecision(handInput(rows));
    // grid 0, 10, … 2000 ms: 100 points at 0.6 mm, 101 at 2 mm
    expect(metrics['path_deviation_rms_mm']).toBeCloseTo(Math.sqrt((100 * 0.36 + 101 * 4) / 201), 10);
    expect(metrics['time_within_1mm_pct']).toBeCloseTo((100 * 100) / 201, 10);
    expect(metrics['path_deviation_p95_mm']).toBeCloseTo(2, 10);
  });

  it('leaves the deviation metrics null without target columns', () => {
    const { input } = simulatePrecision(3, { withTarget: false, tremorAmpPpMm: 0.5 });
    const { metrics } = analyzePrecision(input);
    expect(metrics['path_deviation_rms_mm']).toBeUndefined();
    expect(metrics['time_within_1mm_pct']).toBeUndefined();
    expect(Math.abs(metrics['tremor_peak_frequency_hz']! - 6)).toBeLessThan(0.2);
  });

  it('matches the simulator truth for hold and trace trials', () => {
    for (const mode of ['hold', 'trace'] as const) {
      const { input, truth } = simulatePrecision(7, {
        mode,
        tremorHz: 7.5,
        tremorAmpPpMm: 0.6,
        driftMm: 0.5,
        fs: 200,
      });
      const { metrics, flags } = analyzePrecision(input);
      expect(metrics['path_deviation_rms_mm']! / truth.deviationRmsMm).toBeCloseTo(1, 2);
      expect(Math.abs(metrics['time_within_1mm_pct']! - truth.withinOneMmPct)).toBeLessThan(1);
      expect(Math.abs(metrics['tremor_peak_frequency_hz']! - 7.5)).toBeLessThan(0.2);
      expect(metrics['tremor_amplitude_pp_mm']! / 0.6).toBeCloseTo(1, 1);
      expect(metrics['mean_speed_mm_per_s']).toBeGreaterThanOrEqual(truth.speedMmPerS);
      expect(metrics['pen_down_time_s']).toBeCloseTo(truth.durationS, 1);
      expect(flags).toEqual([]);
    }
  });

  it('flags NO_TREMOR_PEAK without tremor, and reports pressure, lifts and speed', () => {
    const { input } = simulatePrecision(9, { mode: 'trace', speedMmPerS: 12 });
    const { metrics, flags } = analyzePrecision(input);
    expect(flags).toContain('NO_TREMOR_PEAK');
    expect(metrics['tremor_amplitude_pp_mm']).toBeLessThan(0.01);
    expect(metrics['mean_speed_mm_per_s']).toBeCloseTo(12, 6);
    expect(metrics['pressure_mean']).toBeCloseTo(0.3, 2);
    expect(metrics['pressure_cv_pct']).toBeGreaterThan(0);
    expect(metrics['pen_lift_count']).toBe(0);
  });

  it('needs 3 pen-down samples', () => {
    expect(
      codeOf(() =>
        analyzePrecision(
          handInput([
            [0, 0, 0, 0, 0],
            [10, 1, 0, 0, 0],
          ]),
        ),
      ),
    ).toBe('E_TOO_FEW_EVENTS');
  });
});

describe('precision properties', () => {
  it('tremor frequency within ±0.2 Hz, amplitude within 3 % (interpolation-corrected), deviation RMS within −10 % to +2 %', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 3.5, max: 12, noNaN: true }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.double({ min: 60, max: 240, noNaN: true }),
        fc.constantFrom('hold' as const, 'trace' as const),
        fc.integer({ min: 0, max: 2 }),
        (seed, tremorHz, tremorAmpPpMm, fs, mode, gaps) => {
          const { input, truth } = simulatePrecision(seed, {
            tremorHz,
            tremorAmpPpMm,
            fs,
            mode,
            gaps,
            duplicates: 2,
            jitterMs: 1.5,
            durationS: 12,
          });
          const { metrics, flags } = analyzePrecision(input);
          expect(Math.abs(metrics['tremor_peak_frequency_hz']! - tremorHz)).toBeLessThanOrEqual(0.2);
          const corrected =
            metrics['tremor_amplitude_pp_mm']! / tremorAmpPpMm / interpolationGain(tremorHz, fs);
          expect(corrected).toBeGreaterThan(0.97);
          expect(corrected).toBeLessThan(1.03);
          // RMS of the tip–target distance: the interpolated tremor loses a little at low rates
          expect(metrics['path_deviation_rms_mm']! / truth.deviationRmsMm).toBeGreaterThan(0.9);
          expect(metrics['path_deviation_rms_mm']! / truth.deviationRmsMm).toBeLessThan(1.02);
          expect(flags).not.toContain('NO_TREMOR_PEAK');
        },
      ),
      { seed: 6, numRuns: 25 },
    );
  }, 30_000);
});
