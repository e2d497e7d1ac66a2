import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import type { PenInput } from '../inputs.js';
import { HANDWRITING_METRICS, HANDWRITING_TRIALS_NOTE } from './handwriting.js';
import { PRECISION_METRICS, PRECISION_TRIALS_NOTE } from './precision.js';
import { dropUncalibratedMillimetres, needsScreenScale, SCALE_NOTE } from './screen-scale.js';
import { simulateHandwriting } from './simulate-handwriting.js';
import { simulatePrecision } from './simulate-precision.js';
import { simulateSpiral } from './simulate-spiral.js';
import { SPIRAL_METRICS, TRIALS_NOTE } from './spiral.js';

const scaled = (defs: readonly { id: string; unit: string }[]) =>
  defs.filter(needsScreenScale).map((d) => d.id);

describe('millimetre metrics need a screen calibration', () => {
  it('marks exactly the metrics in mm or built from mm, and bumps their versions', () => {
    expect(scaled(SPIRAL_METRICS)).toEqual([
      'tremor_amplitude_pp_mm',
      'mean_speed_mm_per_s',
      'ftm_like_severity_score',
      'spiral_tightness_mm_per_turn',
      'first_order_smoothness_log',
      'second_order_smoothness_log',
    ]);
    expect(scaled(HANDWRITING_METRICS)).toEqual([
      'mean_speed_mm_per_s',
      'stroke_amplitude_mean_mm',
      'peak_vertical_velocity_mean_mm_per_s',
      'peak_acceleration_p95_mm_per_s2',
    ]);
    expect(scaled(PRECISION_METRICS)).toEqual([
      'path_deviation_rms_mm',
      'path_deviation_p95_mm',
      'time_within_1mm_pct',
      'tremor_amplitude_pp_mm',
      'mean_speed_mm_per_s',
    ]);
    // handwriting and precision: the per-trial rule (median over the kept trials) comes after the scale rule
    const perTrial = [
      ...HANDWRITING_METRICS.map((d) => [d, HANDWRITING_TRIALS_NOTE] as const),
      ...PRECISION_METRICS.map((d) => [d, PRECISION_TRIALS_NOTE] as const),
    ].filter(
      ([d]) =>
        !['handwriting_trial_count', 'precision_trial_count', 'writing_speed_letters_per_min'].includes(d.id),
    );
    expect(perTrial.length).toBe(HANDWRITING_METRICS.length + PRECISION_METRICS.length - 3);
    for (const [d, note] of perTrial) {
      expect(d.version, d.id).toBe(needsScreenScale(d) ? '1.2.0' : '1.1.0');
      expect(d.definition.endsWith(note), d.id).toBe(true);
      expect(d.definition.includes(SCALE_NOTE + note), d.id).toBe(needsScreenScale(d));
    }
    // spiral: the per-spiral rule (median over the kept spirals, TRIALS_NOTE) comes after the scale rule
    // (the patch versions of the metrics around the fitted centre: spiral.test.ts)
    for (const d of SPIRAL_METRICS.filter((m) => m.id !== 'spiral_trial_count')) {
      expect(d.version.replace(/\.\d+$/, ''), d.id).toBe(needsScreenScale(d) ? '1.2' : '1.1');
      expect(d.definition.endsWith(TRIALS_NOTE), d.id).toBe(true);
      expect(d.definition.includes(SCALE_NOTE + TRIALS_NOTE), d.id).toBe(needsScreenScale(d));
    }
  });

  it.each([
    ['spiral', simulateSpiral(3, { tremorAmpPpMm: 1, fs: 200 }).input],
    ['handwriting', simulateHandwriting(3).input],
    ['precision', simulatePrecision(3, { tremorAmpPpMm: 0.5 }).input],
  ] as const)(
    '%s: with NOMINAL_SCALE the mm metrics are null and the others unchanged',
    (_task, input: PenInput) => {
      const calibrated = analyze(input);
      const nominal = analyze({ ...input, flags: [...input.flags, 'NOMINAL_SCALE'] });
      expect(nominal.quality_flags).toContain('NOMINAL_SCALE');
      const defs =
        input.task === 'spiral'
          ? SPIRAL_METRICS
          : input.task === 'handwriting'
            ? HANDWRITING_METRICS
            : PRECISION_METRICS;
      let nulled = 0;
      for (const d of defs) {
        if (needsScreenScale(d)) {
          expect(nominal.metrics[d.id], d.id).toBeNull();
          if (calibrated.metrics[d.id] !== null) nulled++;
        } else expect(nominal.metrics[d.id], d.id).toBe(calibrated.metrics[d.id]);
      }
      expect(nulled).toBeGreaterThanOrEqual(3); // the calibrated input had them
    },
  );

  it('leaves inputs without the flag (contract CSV, calibrated recordings) as they are', () => {
    const metrics = { mean_speed_mm_per_s: 12, stroke_count: 4 };
    expect(dropUncalibratedMillimetres({ flags: ['PEN_LIFTS'] }, HANDWRITING_METRICS, metrics)).toBe(metrics);
    expect(dropUncalibratedMillimetres({ flags: ['NOMINAL_SCALE'] }, HANDWRITING_METRICS, metrics)).toEqual({
      mean_speed_mm_per_s: null,
      stroke_count: 4,
    });
  });
});
