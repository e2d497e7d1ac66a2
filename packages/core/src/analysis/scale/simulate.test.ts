import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { lineFit, mean, sampleSd } from '../dsp/stats.js';
import type { ScaleInput } from '../inputs.js';
import { simulateScale, type ScaleTruth } from './simulate.js';

const N = 15;
const K = Array.from({ length: N }, (_, k) => k);

/** Truth with jitter below IOI/8 (no swapped onsets): bpm 70–130 gives IOI 115–214 ms. */
const truthArb: fc.Arbitrary<ScaleTruth> = fc.record({
  bpm: fc.double({ min: 70, max: 130, noNaN: true }),
  jitterSdMs: fc.double({ min: 2, max: 12, noNaN: true }),
  velocityMean: fc.double({ min: 40, max: 90, noNaN: true }),
  velocitySd: fc.double({ min: 2, max: 12, noNaN: true }),
  errorRate: fc.constant(0),
  legatoMs: fc.double({ min: -20, max: 40, noNaN: true }),
});
const settings = { seed: 7, numRuns: 40 };

/** Detrended profile (residual of a least-squares line over k), as the analysis sees a systematic profile. */
function detrended(profile: readonly number[]): number[] {
  const { slope, intercept } = lineFit(K, profile);
  return profile.map((p, k) => p - (intercept + slope * k));
}

describe('simulateScale → scale analysis (property tests)', () => {
  it('recovers the onset jitter: ioi_sd_ms ≈ σ·√(2·15/14) and RMS(d) ≈ σ·√(13/15) within 15 %', () => {
    // 24 repetitions = 48 runs; the relative SD of both estimates is ≈ 3 % and their small-sample
    // bias ≈ −2…−3 %, so 15 % is ≥ 4 SDs away
    fc.assert(
      fc.property(fc.nat(), truthArb, (seed, truth) => {
        const { metrics } = analyze(simulateScale(seed, truth, { repetitions: 24 }).input);
        expect(metrics.correct_run_count).toBe(48);
        const ioiSd = truth.jitterSdMs * Math.sqrt(30 / 14);
        const rms = truth.jitterSdMs * Math.sqrt(13 / 15);
        expect(Math.abs(metrics.ioi_sd_ms! / ioiSd - 1)).toBeLessThan(0.15);
        expect(Math.abs(metrics.ioi_sd_up_ms! / ioiSd - 1)).toBeLessThan(0.2);
        expect(Math.abs(metrics.ioi_sd_down_ms! / ioiSd - 1)).toBeLessThan(0.2);
        expect(Math.abs(metrics.line_fit_residual_rms_ms! / rms - 1)).toBeLessThan(0.15);
        // tempo: mean IOI within 1 ms of the metronome's 60000/(4·bpm)
        expect(Math.abs(metrics.tempo_error_ms!)).toBeLessThan(1);
        expect(Math.abs(metrics.ioi_mean_ms! - 60_000 / (4 * truth.bpm))).toBeLessThan(1);
        // velocities are rounded: SD² + 1/12
        const velocitySd = Math.sqrt(truth.velocitySd ** 2 + 1 / 12);
        expect(Math.abs(metrics.velocity_sd! / velocitySd - 1)).toBeLessThan(0.15);
        // releases are the next onset + legatoMs exactly
        expect(metrics.legato_overlap_mean_ms).toBeCloseTo(truth.legatoMs, 9);
        expect(metrics.legato_overlap_sd_ms).toBeCloseTo(0, 9);
        expect(metrics.incorrect_run_count).toBe(0);
      }),
      settings,
    );
  });

  it('recovers a systematic profile and the trial-to-trial variability around it', () => {
    // thumb-under delays (van Vugt 2014), zero at both ends so the shared top note fits both directions
    const profiles = fc.constantFrom(
      [0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 8, 0, 0, 0, 0],
      [0, 4, 6, 8, 9, 10, 10, 10, 10, 10, 9, 8, 6, 4, 0],
      [0, -3, 0, 12, 0, -3, 0, 15, 0, -3, 12, 0, -3, 0, 0],
    );
    fc.assert(
      fc.property(fc.nat(), truthArb, profiles, (seed, truth, profile) => {
        const runsPerDirection = 24;
        const sim = simulateScale(
          seed,
          { ...truth, systematicProfileMs: profile },
          { repetitions: runsPerDirection },
        );
        const { metrics } = analyze(sim.input);
        const sigma = truth.jitterSdMs;
        const shape = detrended(profile);
        const shapeSq = mean(shape.map((x) => x * x));
        // E[RMS(m)²] = RMS(Hp)² + σ²·13/(15·R); E[RMS(d)²] = RMS(Hp)² + σ²·13/15
        const profileRms = Math.sqrt(shapeSq + (sigma ** 2 * 13) / (15 * runsPerDirection));
        const residualRms = Math.sqrt(shapeSq + (sigma ** 2 * 13) / 15);
        // σ[k] = σ·√(1 − h_kk), h_kk = 1/15 + (k − 7)²/280 (line-fit leverage)
        const trialSd = sigma * mean(K.map((k) => Math.sqrt(1 - 1 / 15 - (k - 7) ** 2 / 280)));
        expect(Math.abs(metrics.systematic_profile_rms_ms! / profileRms - 1)).toBeLessThan(0.15);
        expect(Math.abs(metrics.line_fit_residual_rms_ms! / residualRms - 1)).toBeLessThan(0.15);
        expect(Math.abs(metrics.trial_to_trial_sd_ms! / trialSd - 1)).toBeLessThan(0.15);
      }),
      settings,
    );
  });

  it('leaves runs with wrong, missing or extra notes out of the timing metrics and counts them', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        truthArb,
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        (seed, truth, errorRate) => {
          const sim = simulateScale(seed, { ...truth, errorRate });
          const { metrics, quality_flags } = analyze(sim.input);
          const correct = sim.truth.runs.filter((r) => r.error === null);
          const wrong = sim.truth.runs.length - correct.length;
          expect(metrics.correct_run_count).toBe(correct.length);
          expect(metrics.incorrect_run_count).toBe(wrong);
          expect(metrics.note_count).toBe(sim.input.notes.length);
          if (correct.length === 0) {
            expect(metrics.ioi_sd_ms).toBeNull();
            return;
          }
          // the contract metrics are exactly those of the truth's correct runs
          const iois = correct.map((r) => r.notes.slice(1).map((n, k) => n.onMs - r.notes[k]!.onMs));
          expect(metrics.ioi_sd_ms).toBeCloseTo(mean(iois.map(sampleSd)), 9);
          expect(metrics.ioi_mean_ms).toBeCloseTo(mean(iois.flat()), 9);
          expect(metrics.velocity_sd).toBeCloseTo(
            mean(correct.map((r) => sampleSd(r.notes.map((n) => n.velocity)))),
            9,
          );
          expect(quality_flags.includes('WRONG_NOTES')).toBe(wrong > 0);
        },
      ),
      settings,
    );
  });

  it('is invariant to a time shift', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        truthArb,
        fc.double({ min: -1e5, max: 1e7, noNaN: true }),
        (seed, truth, shift) => {
          const { input } = simulateScale(seed, { ...truth, errorRate: 0.2 });
          const shifted: ScaleInput = {
            ...input,
            notes: input.notes.map((n) => ({
              ...n,
              onMs: n.onMs + shift,
              offMs: n.offMs === null ? null : n.offMs + shift,
            })),
          };
          const a = analyze(input).metrics;
          const b = analyze(shifted).metrics;
          for (const [id, value] of Object.entries(a)) {
            if (value === null) expect(b[id], id).toBeNull();
            else expect(Math.abs(b[id]! - value), id).toBeLessThan(1e-6 * Math.max(1, Math.abs(value)));
          }
        },
      ),
      settings,
    );
  });

  it('finds the runs starting on any C octave with the same metrics', () => {
    fc.assert(
      fc.property(fc.nat(), truthArb, fc.integer({ min: 0, max: 8 }), (seed, truth, octave) => {
        const base = analyze(simulateScale(seed, { ...truth, errorRate: 0.2 }).input).metrics;
        const moved = analyze(
          simulateScale(seed, { ...truth, errorRate: 0.2 }, { startPitch: 12 * octave }).input,
        );
        expect(moved.metrics).toEqual(base);
      }),
      { seed: 8, numRuns: 30 },
    );
  });
});
