/**
 * Property tests of the tremor analysis on simulated recordings with known truth (seeded, bounded runs).
 *
 * Expected RMS: a sinusoid of amplitude A along one direction has RMS A/√2 (the simulator's
 * `amplitudeRmsMPerS2`), and the one-sided density PSD summed over |f − f_peak| ≤ 1 Hz recovers it
 * (Parseval). Tolerance ±4 %, made of: the zero-phase band-pass gain |H(f)|² (−1.2 % of the RMS at 3 Hz,
 * < 0.2 % from 4 to 12 Hz); the spline resampling of jittered samples (≤ 1.5 % at 12 Hz with 60-Hz
 * sampling); Hann leakage outside ±1 Hz (< 0.1 %: the main lobe is ±2 bins = ±0.78 Hz); and the noise
 * of 0.01 m/s² per axis inside the band (≈ +0.2 % on average, its random cross-term with the tremor a
 * further ±1.5 % for the smallest tremor of 0.1 m/s²). Over 400 random cases the RMS ratio stayed in
 * 0.989–1.009.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TremorInput } from '../inputs.js';
import type { MetricValues } from '../metric.js';
import { analyzeTremor } from './index.js';
import { simulateTremor } from './simulate.js';

const RUNS = { seed: 1, numRuns: 20 };
const RMS_TOLERANCE = 0.04;

const direction = fc
  .tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
  )
  .filter((v) => Math.hypot(...v) > 0.1);

const recording = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  frequencyHz: fc.double({ min: 3, max: 12, noNaN: true }),
  fs: fc.integer({ min: 60, max: 240 }),
  jitterMs: fc.double({ min: 0, max: 3, noNaN: true }),
  amplitudeRmsMPerS2: fc.double({ min: 0.1, max: 1, noNaN: true }),
  axisDirection: direction,
  durationS: fc.integer({ min: 8, max: 12 }),
  driftRmsMPerS2: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

/** Relative closeness of two metric sets: every value equal to `tolerance` × its size (nulls equal). */
function expectSameMetrics(a: MetricValues, b: MetricValues, tolerance: number): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [id, value] of Object.entries(a)) {
    const other = b[id];
    if (value === null || other === null || other === undefined) {
      expect(other ?? null, id).toBe(value);
      continue;
    }
    expect(Math.abs(value - other), id).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(value)));
  }
}

/** A random rotation matrix from a (non-zero) quaternion. */
function rotation([w, x, y, z]: [number, number, number, number]): number[][] {
  const n = Math.hypot(w, x, y, z);
  const [a, b, c, d] = [w / n, x / n, y / n, z / n];
  return [
    [1 - 2 * (c * c + d * d), 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), 1 - 2 * (b * b + d * d), 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), 1 - 2 * (b * b + c * c)],
  ];
}

function rotate(input: TremorInput, r: number[][]): TremorInput {
  const turn = (x: Float64Array, y: Float64Array, z: Float64Array): Float64Array[] =>
    r.map((row) => Float64Array.from(x, (_, k) => row[0]! * x[k]! + row[1]! * y[k]! + row[2]! * z[k]!));
  const [ax, ay, az] = turn(input.ax, input.ay, input.az);
  const gyro = input.gx && input.gy && input.gz ? turn(input.gx, input.gy, input.gz) : null;
  return {
    ...input,
    ax: ax!,
    ay: ay!,
    az: az!,
    gx: gyro?.[0] ?? null,
    gy: gyro?.[1] ?? null,
    gz: gyro?.[2] ?? null,
  };
}

describe('tremor properties (simulated recordings)', () => {
  it('recovers any 3–12 Hz tremor frequency within ±0.2 Hz at 60–240 Hz jittered sampling', () => {
    fc.assert(
      fc.property(recording, ({ seed, ...options }) => {
        const { input, truth } = simulateTremor(seed, options);
        const { metrics, flags } = analyzeTremor(input);
        expect(Math.abs(metrics.tremor_peak_frequency_hz! - truth.frequencyHz)).toBeLessThanOrEqual(0.2);
        expect(flags).not.toContain('NO_TREMOR_PEAK');
        expect(metrics.tremor_occurrence_pct).toBe(100);
      }),
      RUNS,
    );
  });

  it(`recovers the RMS acceleration A/√2 within ±${RMS_TOLERANCE * 100} % and the displacement RMS/(2πf)²`, () => {
    fc.assert(
      fc.property(recording, ({ seed, ...options }) => {
        const { input, truth } = simulateTremor(seed, options);
        const { metrics } = analyzeTremor(input);
        const rms = metrics.tremor_rms_m_per_s2!;
        const f = metrics.tremor_peak_frequency_hz!;
        expect(Math.abs(rms / truth.rmsMPerS2 - 1)).toBeLessThanOrEqual(RMS_TOLERANCE);
        // the displacement is exactly RMS/(2πf)² of the reported values (cm) …
        expect(metrics.tremor_displacement_rms_cm! / ((100 * rms) / (2 * Math.PI * f) ** 2)).toBeCloseTo(
          1,
          12,
        );
        // … and so within the RMS tolerance plus twice the relative frequency error of the truth
        const tolerance = RMS_TOLERANCE + (2 * 0.2) / truth.frequencyHz;
        expect(
          Math.abs(metrics.tremor_displacement_rms_cm! / truth.displacementRmsCm - 1),
        ).toBeLessThanOrEqual(tolerance);
        expect(metrics.relative_band_power).toBeGreaterThan(0.9);
      }),
      RUNS,
    );
  });

  it('keeps the RMS within tolerance at the hardest corner: 10–12 Hz tremor sampled at 60–70 Hz', () => {
    // straight-line interpolation between jittered samples would lose 6–14 % of the RMS here
    fc.assert(
      fc.property(
        recording,
        fc.double({ min: 10, max: 12, noNaN: true }),
        fc.integer({ min: 60, max: 70 }),
        ({ seed, ...options }, frequencyHz, fs) => {
          const { input, truth } = simulateTremor(seed, { ...options, frequencyHz, fs, jitterMs: 2 });
          const { metrics } = analyzeTremor(input);
          expect(Math.abs(metrics.tremor_rms_m_per_s2! / truth.rmsMPerS2 - 1)).toBeLessThanOrEqual(
            RMS_TOLERANCE,
          );
        },
      ),
      { ...RUNS, numRuns: 12 },
    );
  });

  it('sets the amplitude from a displacement: RMS = d·(2πf)²', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 3, max: 12, noNaN: true }),
        fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        (seed, frequencyHz, displacementRmsCm) => {
          const { input, truth } = simulateTremor(seed, { frequencyHz, displacementRmsCm, durationS: 10 });
          expect(truth.rmsMPerS2).toBeCloseTo(
            (displacementRmsCm / 100) * (2 * Math.PI * frequencyHz) ** 2,
            12,
          );
          const { metrics } = analyzeTremor(input);
          expect(Math.abs(metrics.tremor_displacement_rms_cm! / displacementRmsCm - 1)).toBeLessThanOrEqual(
            0.1,
          );
        },
      ),
      { seed: 2, numRuns: 10 },
    );
  });

  it('is invariant to a shift of all time stamps', () => {
    fc.assert(
      fc.property(
        recording,
        fc.double({ min: -1e6, max: 1e7, noNaN: true }),
        ({ seed, ...options }, shift) => {
          const { input } = simulateTremor(seed, { ...options, gyroRmsDegPerS: 10 });
          const shifted = { ...input, tMs: input.tMs.map((t) => t + shift) };
          const a = analyzeTremor(input);
          const b = analyzeTremor(shifted);
          expect(b.flags).toEqual(a.flags);
          expectSameMetrics(a.metrics, b.metrics, 1e-6);
        },
      ),
      { ...RUNS, numRuns: 12 },
    );
  });

  it('is invariant to rotating the device axes (the sum of the axis PSDs is rotation-invariant)', () => {
    const quaternion = fc
      .tuple(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
      )
      .filter((q) => Math.hypot(...q) > 0.1);
    fc.assert(
      fc.property(recording, quaternion, ({ seed, ...options }, q) => {
        const { input } = simulateTremor(seed, { ...options, gyroRmsDegPerS: 10, noiseRmsMPerS2: 0.05 });
        const a = analyzeTremor(input);
        const b = analyzeTremor(rotate(input, rotation(q)));
        expect(b.flags).toEqual(a.flags);
        expectSameMetrics(a.metrics, b.metrics, 1e-9);
      }),
      { ...RUNS, numRuns: 12 },
    );
  });

  it('gives the same tremor along any axis direction', () => {
    fc.assert(
      fc.property(recording, direction, ({ seed, ...options }, other) => {
        const a = analyzeTremor(simulateTremor(seed, options).input).metrics;
        const b = analyzeTremor(simulateTremor(seed, { ...options, axisDirection: other }).input).metrics;
        expect(Math.abs(a.tremor_peak_frequency_hz! - b.tremor_peak_frequency_hz!)).toBeLessThan(0.05);
        expect(Math.abs(a.tremor_rms_m_per_s2! / b.tremor_rms_m_per_s2! - 1)).toBeLessThan(0.03);
      }),
      { ...RUNS, numRuns: 12 },
    );
  });

  it('does not report a linear tremor at twice its frequency', () => {
    fc.assert(
      fc.property(
        recording,
        fc.double({ min: 3, max: 6, noNaN: true }),
        ({ seed, ...options }, frequencyHz) => {
          const { input } = simulateTremor(seed, { ...options, frequencyHz });
          const f = analyzeTremor(input).metrics.tremor_peak_frequency_hz!;
          expect(Math.abs(f - frequencyHz)).toBeLessThanOrEqual(0.2);
          expect(Math.abs(f - 2 * frequencyHz)).toBeGreaterThan(2);
        },
      ),
      { ...RUNS, numRuns: 12 },
    );
  });

  it('flags white noise (no tremor) as NO_TREMOR_PEAK with numeric metrics', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 60, max: 240 }),
        fc.integer({ min: 6, max: 20 }),
        fc.double({ min: 0.005, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, fs, durationS, noiseRmsMPerS2, driftRmsMPerS2) => {
          const { input } = simulateTremor(seed, {
            fs,
            durationS,
            noiseRmsMPerS2,
            driftRmsMPerS2,
            amplitudeRmsMPerS2: 0,
            jitterMs: 1.5,
          });
          const { metrics, flags } = analyzeTremor(input);
          expect(flags).toContain('NO_TREMOR_PEAK');
          expect(Number.isFinite(metrics.tremor_peak_frequency_hz)).toBe(true);
          expect(Number.isFinite(metrics.tremor_rms_m_per_s2)).toBe(true);
          expect(metrics.relative_band_power).toBeLessThan(0.3);
        },
      ),
      RUNS,
    );
  });
});
