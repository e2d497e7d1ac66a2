import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTapping, type TappingInputWithTargets } from './analyzer.js';
import { CONTINUATION_SKIP } from './definitions.js';
import { simulateTapping } from './simulate.js';

const RUNS = { seed: 1, numRuns: 20 };

/**
 * Wing–Kristofferson recovery. The lag-1 autocovariance and the variance of n intervals have
 * standard errors of about var(I)/√n and 2·var(I)/√n (var(I) = σc² + 2σm²); measured on this
 * simulator (σm = 10, σc = 20 ms, n = 2000, 300 seeds) the SD of σ̂m² was 1.0·var(I)/√n and that of
 * σ̂c² 1.9·var(I)/√n. The tolerances are 4 and 8 × var(I)/√n. For comparison, one TAP-B trial (30
 * continuation taps, 26 intervals after the skip) gave SD(σ̂m) = 5.7 ms for σm = 10 ms, and 17 % of
 * trials were flagged WK_MODEL_VIOLATION — hence pooling over trials (Correction 14).
 */
describe('simulated tappers: the metrics recover the truth', () => {
  it('recovers Wing–Kristofferson motor and timer variances from a long continuation series', () => {
    const taps = 4000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 300, max: 800, noNaN: true }),
        fc.double({ min: 8, max: 20, noNaN: true }),
        fc.double({ min: 10, max: 30, noNaN: true }),
        (seed, itiMs, motorSdMs, timerSdMs) => {
          const sim = simulateTapping(seed, { itiMs, motorSdMs, timerSdMs, dwellMs: 100, beats: true, taps });
          const m = analyzeTapping(sim.input).metrics;
          const n = taps - 1 - CONTINUATION_SKIP;
          const se = sim.truth.intervalVarianceMs2 / Math.sqrt(n);
          expect(Math.abs(m.wk_motor_variance_ms2! - motorSdMs ** 2)).toBeLessThan(4 * se);
          expect(Math.abs(m.wk_timer_variance_ms2! - timerSdMs ** 2)).toBeLessThan(8 * se);
          // continuation mean: the timer mean (SE √(var/n)/… far below 1 ms)
          expect(Math.abs(m.continuation_iti_mean_ms! - itiMs)).toBeLessThan(1);
          const cvTruth = (100 * Math.sqrt(sim.truth.intervalVarianceMs2)) / itiMs;
          expect(Math.abs(m.continuation_iti_cv_pct! / cvTruth - 1)).toBeLessThan(
            4 * Math.sqrt(1.5 / (2 * n)),
          );
        },
      ),
      RUNS,
    );
  });

  it('recovers ITI mean and CV, dwell, alternation errors and spatial error of unpaced tapping', () => {
    const taps = 2000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 150, max: 400, noNaN: true }),
        fc.double({ min: 3, max: 15, noNaN: true }),
        fc.double({ min: 5, max: 30, noNaN: true }),
        fc.double({ min: 60, max: 120, noNaN: true }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (seed, itiMs, motorSdMs, timerSdMs, dwellMs, spatialSdMm) => {
          const sim = simulateTapping(seed, {
            itiMs,
            motorSdMs,
            timerSdMs,
            dwellMs,
            taps,
            spatialSdMm,
            alternationErrorRate: 0.03,
          });
          const result = analyzeTapping(sim.input);
          const m = result.metrics;
          expect(m.tap_count).toBe(taps);
          expect(m.alternation_error_count).toBe(sim.truth.alternationErrors);
          expect(Math.abs(m.iti_mean_ms! - itiMs)).toBeLessThan(1);
          const cvTruth = (100 * Math.sqrt(sim.truth.intervalVarianceMs2)) / itiMs;
          expect(Math.abs(m.iti_cv_pct! / cvTruth - 1)).toBeLessThan(4 * Math.sqrt(1.5 / (2 * taps)));
          // dwell ~ N(dwellMs, 12²) (clipping far away): SE of the median 1.2533·12/√n
          expect(Math.abs(m.dwell_median_ms! - dwellMs)).toBeLessThan((4 * 1.2533 * 12) / Math.sqrt(taps));
          // isotropic normal scatter: mean distance σ√(π/2), relative SE 0.5227/√n
          const radial = spatialSdMm * Math.sqrt(Math.PI / 2);
          expect(Math.abs(m.spatial_error_mean_mm! / radial - 1)).toBeLessThan(
            (4 * 0.5227) / Math.sqrt(taps),
          );
          expect(Math.abs(m.spatial_scatter_mean_mm! / radial - 1)).toBeLessThan(
            (4 * 0.5227) / Math.sqrt(taps),
          );
          expect(m.asynchrony_sd_ms).toBeNull();
          expect(result.flags).toContain('NO_METRONOME');
          // a constant tempo: no fatigue
          expect(Math.abs(m.tap_rate_last_first_ratio! - 1)).toBeLessThan(0.1);
        },
      ),
      RUNS,
    );
  });

  it('recovers the asynchrony SD and mean of synchronised taps', () => {
    const syncTaps = 1000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: -60, max: 0, noNaN: true }),
        fc.double({ min: 10, max: 40, noNaN: true }),
        (seed, asynchronyMeanMs, asynchronySdMs) => {
          const sim = simulateTapping(seed, {
            itiMs: 500,
            motorSdMs: 10,
            timerSdMs: 20,
            dwellMs: 100,
            beats: { syncTaps, asynchronyMeanMs, asynchronySdMs },
          });
          const m = analyzeTapping(sim.input).metrics;
          expect(Math.abs(m.asynchrony_sd_ms! / asynchronySdMs - 1)).toBeLessThan(
            4 / Math.sqrt(2 * syncTaps),
          );
          expect(Math.abs(m.asynchrony_mean_ms! - asynchronyMeanMs)).toBeLessThan(
            (4 * asynchronySdMs) / Math.sqrt(syncTaps),
          );
        },
      ),
      RUNS,
    );
  });
});

const shift = (input: TappingInputWithTargets, byMs: number): TappingInputWithTargets => ({
  ...input,
  taps: input.taps.map((t) => ({ ...t, downMs: t.downMs + byMs, upMs: t.upMs + byMs })),
  beatsMs: input.beatsMs.map((b) => b + byMs),
  continuationFromMs: input.continuationFromMs === null ? null : input.continuationFromMs + byMs,
});

describe('tapping invariance', () => {
  it('gives the same metrics after a constant time shift', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.boolean(),
        (seed, byMs, beats) => {
          const { input } = simulateTapping(seed, {
            itiMs: 400,
            motorSdMs: 10,
            timerSdMs: 20,
            dwellMs: 90,
            beats,
          });
          const a = analyzeTapping(shift(input, byMs));
          const b = analyzeTapping(input);
          expect(a.flags).toEqual(b.flags);
          for (const [id, value] of Object.entries(b.metrics)) {
            if (value === null) expect(a.metrics[id]).toBeNull();
            else expect(Math.abs(a.metrics[id]! - value)).toBeLessThan(1e-6 * Math.max(1, Math.abs(value)));
          }
        },
      ),
      RUNS,
    );
  });
});
