/**
 * Precision-tool task (holding or tracing with a pen-like tool: the dentist's or surgeon's hand task
 * of docs/condition.md). measures.md defines no precision task, so every metric here is a project
 * definition [S]; the tremor spectrum follows the spiral method of measures.md 3.3 (corrections 8
 * and 9), applied to the deviation from the target.
 *
 * Deviation signal: tip − target (`target_x_mm`, `target_y_mm`) at every sample; without target
 * columns, the tip position itself (a hold task whose target was not recorded), so only the tremor,
 * speed, time and pressure metrics are computed. Time-weighted statistics use the 100-Hz resampling of
 * each pen-down segment on the real time stamps, so irregular sampling does not weight them.
 */
import { CodedError } from '../../errors/catalogue.js';
import { norm2, quantile } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import type { MetricDefinition } from '../metric.js';
import type { TaskAnalyzer } from '../task.js';
import { pathLengthMm, penDownTimeMs, pressureMean, splitSegments } from './segments.js';
import { dropUncalibratedMillimetres, withScaleRule } from './screen-scale.js';
import { countPenLifts, penDownIndices, pressureCvPct } from './spiral.js';
import { pooledWelch, resampleSegments, tremorPeak } from './spiral-spectrum.js';

/** Tolerance of `time_within_1mm_pct`, mm. */
export const PRECISION_TOLERANCE_MM = 1;

const DEVIATION =
  'distance between tip and target, tip − target from target_x_mm/target_y_mm, resampled to 100 Hz by linear ' +
  'interpolation on the real time stamps within each pen-down segment (lifts and gaps > 50 ms split), all ' +
  'segments pooled; null without target columns';
const SPECTRUM =
  'sum of the Welch PSDs (2-s periodic Hann windows, 50 % overlap, linear detrend per window, one-sided density) ' +
  'of the x and y deviation (tip − target; the tip position without target columns), resampled to 100 Hz per ' +
  'pen-down segment and averaged over all windows of all segments ≥ 2 s';
const S = '[S] project definition (no published precision-tool protocol)';

const metric = (
  id: string,
  unit: string,
  definition: string,
  citation: string,
  direction: MetricDefinition['direction'],
  logScale: boolean,
): MetricDefinition => ({
  id,
  task: 'precision',
  unit,
  definition,
  citation,
  version: '1.0.0',
  origin: 'measures',
  direction,
  logScale,
});

/** The precision task's metric catalogue (the contract leaves its IDs to the project). */
export const PRECISION_METRICS: readonly MetricDefinition[] = withScaleRule([
  metric(
    'path_deviation_rms_mm',
    'mm',
    `Root mean square over time of the ${DEVIATION}.`,
    S,
    'higher-worse',
    true,
  ),
  metric(
    'path_deviation_p95_mm',
    'mm',
    `95th percentile (linear interpolation, type 7) over time of the ${DEVIATION}.`,
    S,
    'higher-worse',
    true,
  ),
  metric(
    'time_within_1mm_pct',
    '%',
    `Share of the resampled time points at which the ${DEVIATION} is ≤ 1 mm, × 100.`,
    S,
    'lower-worse',
    false,
  ),
  metric(
    'tremor_peak_frequency_hz',
    'Hz',
    `Frequency of the largest bin in 3–12 Hz of the ${SPECTRUM}, refined by the vertex of the parabola through ` +
      'log-PSD at that bin and its two neighbours. Numeric without a clear peak (then NO_TREMOR_PEAK: the bin is ' +
      'not a local maximum or is < 5× the median PSD of the bins 1–3 Hz from it).',
    `${S}; method of measures.md §3.3 and §7.3 (sum of axis PSDs, correction 10), corrections 8–9; Elble & ` +
      'Ellenbogen 2017, Tremor Other Hyperkinet Mov 7:481',
    'neutral',
    false,
  ),
  metric(
    'tremor_amplitude_pp_mm',
    'mm',
    `Peak-to-peak tremor displacement 2√2·√P_band, P_band = Σ PSD·Δf over |f − f_peak| ≤ 1 Hz of the ${SPECTRUM}.`,
    `${S}; method of measures.md §3.3, correction 9; Elble & Ellenbogen 2017, Tremor Other Hyperkinet Mov 7:481`,
    'higher-worse',
    true,
  ),
  metric(
    'relative_band_power',
    '1',
    `P_band (as tremor_amplitude_pp_mm) / Σ PSD·Δf over 1–20 Hz of the ${SPECTRUM}.`,
    `${S}; by analogy with measures.md §7.3`,
    'higher-worse',
    false,
  ),
  metric(
    'mean_speed_mm_per_s',
    'mm/s',
    'Tip path length summed within pen-down segments / pen-down time (sum of segment durations).',
    `${S}; as the spiral and handwriting speed of measures.md §3.3 and §4.3`,
    'neutral',
    false,
  ),
  metric(
    'pen_down_time_s',
    's',
    'Sum of the pen-down segment durations (segments split at pen_down = 0 and gaps > 50 ms).',
    S,
    'neutral',
    false,
  ),
  metric(
    'pen_lift_count',
    'count',
    'Lifts of the tool: runs of pen_down = 0 samples with pen-down samples before and after them.',
    `${S}; measures.md §1 item 7`,
    'higher-worse',
    false,
  ),
  metric(
    'pressure_mean',
    '0–1',
    'Mean pressure over pen-down samples; null without a pressure column.',
    `${S}; as the pen pressure of measures.md §3.3 and §4.3`,
    'neutral',
    false,
  ),
  metric(
    'pressure_cv_pct',
    '%',
    'Sample SD / mean × 100 of the pressure over pen-down samples; null without a pressure column.',
    `${S}; as the pressure CV of measures.md §4.3`,
    'higher-worse',
    true,
  ),
]);

/**
 * The precision analysis (see the module comment).
 * @throws CodedError `E_TOO_FEW_EVENTS` with fewer than 3 pen-down samples
 */
export function analyzePrecision(input: PenInput): {
  metrics: Record<string, number | null>;
  flags: QualityFlag[];
} {
  const segments = splitSegments(input);
  const indices = penDownIndices(segments);
  if (indices.length < 3) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `a precision trial needs at least 3 pen-down samples, got ${indices.length}`,
    );
  }
  const flags: QualityFlag[] = [];
  const m: Record<string, number | null> = {};
  const downMs = penDownTimeMs(input, segments);
  m['mean_speed_mm_per_s'] = downMs > 0 ? pathLengthMm(input, segments) / (downMs / 1000) : null;
  m['pen_down_time_s'] = downMs / 1000;
  m['pen_lift_count'] = countPenLifts(input);
  m['pressure_mean'] = pressureMean(input, segments);
  m['pressure_cv_pct'] = pressureCvPct(input, indices); // (the pressure spectrum is not a precision metric)

  const { targetXMm, targetYMm } = input;
  const hasTarget = targetXMm !== null && targetYMm !== null;
  const dx = hasTarget ? input.xMm.map((x, i) => x - targetXMm[i]!) : input.xMm;
  const dy = hasTarget ? input.yMm.map((y, i) => y - targetYMm[i]!) : input.yMm;
  const resampled = resampleSegments(input, segments, [dx, dy]);
  if (hasTarget) {
    const distances: number[] = [];
    for (const [rx, ry] of resampled)
      for (let k = 0; k < rx!.length; k++) distances.push(norm2(rx![k]!, ry![k]!));
    if (distances.length > 0) {
      m['path_deviation_rms_mm'] = Math.sqrt(distances.reduce((s, d) => s + d * d, 0) / distances.length);
      m['path_deviation_p95_mm'] = quantile(distances, 0.95);
      m['time_within_1mm_pct'] =
        (100 * distances.filter((d) => d <= PRECISION_TOLERANCE_MM).length) / distances.length;
    }
  }
  const spectrum = pooledWelch(resampled);
  const peak = spectrum && tremorPeak(spectrum);
  if (!spectrum) flags.push('TOO_FEW_EVENTS');
  else if (!peak?.stoodOut) flags.push('NO_TREMOR_PEAK');
  if (peak) {
    m['tremor_peak_frequency_hz'] = peak.frequencyHz;
    m['tremor_amplitude_pp_mm'] = peak.amplitudePp;
    m['relative_band_power'] = peak.relativeBandPower;
  } else if (spectrum) {
    m['tremor_amplitude_pp_mm'] = 0;
    m['relative_band_power'] = 0;
  }
  return { metrics: m, flags };
}

/** The precision task's analyser. */
export const precisionAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'precision',
  metrics: PRECISION_METRICS,
  analyze: (input) => {
    const result = analyzePrecision(input);
    return { ...result, metrics: dropUncalibratedMillimetres(input, PRECISION_METRICS, result.metrics) };
  },
};
