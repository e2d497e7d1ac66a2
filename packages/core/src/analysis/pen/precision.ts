/**
 * Precision-tool task (holding or tracing with a pen-like tool: the dentist's or surgeon's hand task
 * of docs/condition.md). measures.md defines no precision task, so every metric here is a project
 * definition [S]; the tremor spectrum follows the spiral method of measures.md 3.3 (corrections 8
 * and 9), applied to the deviation from the target.
 *
 * Deviation signal: tip − target (`target_x_mm`, `target_y_mm`) at every sample (a hold); for a trace
 * (a recording's `targetPath`: the polyline of the circle or zig-zag), the distance from the tip to the
 * polyline, while the tremor spectrum is that of the tip position; without either, the tip position
 * itself (a hold task whose target was not recorded), so only the tremor, speed, time and pressure
 * metrics are computed. Time-weighted statistics use the 100-Hz resampling of each pen-down segment on
 * the real time stamps, so irregular sampling does not weight them.
 *
 * Several trials in one recording (`input.trials`, the task's trial markers): the analysis per kept
 * trial, on its samples only, and per metric the median over the trials ({@link analyzePrecisionTrials}).
 */
import { CodedError } from '../../errors/catalogue.js';
import { norm2, quantile } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import type { MetricDefinition } from '../metric.js';
import type { TaskAnalyzer } from '../task.js';
import { pathLengthMm, penDownTimeMs, pressureMean, splitSegments } from './segments.js';
import { distanceToPath, recordingFacts } from './recording-facts.js';
import { dropUncalibratedMillimetres, withScaleRule } from './screen-scale.js';
import { countPenLifts, penDownIndices, pressureCvPct } from './spiral.js';
import { pooledWelch, resampleSegments, tremorPeak } from './spiral-spectrum.js';
import { medianOverTrials, trialsNote, withTrialsRule } from './trial-median.js';
import { penTrialInputs } from './trials.js';

/** Tolerance of `time_within_1mm_pct`, mm. */
export const PRECISION_TOLERANCE_MM = 1;

const DEVIATION =
  'distance between tip and target: for a hold, |tip − target| with the target from target_x_mm/target_y_mm ' +
  '(a recording: params.targetXPx/targetYPx); for a trace (circle, zig-zag), the distance from the tip to the ' +
  'nearest point of the target polyline params.target.path (segment by segment, px → mm with params.pxPerMm); ' +
  'resampled to 100 Hz (the trace: the tip position, then its distance to the polyline) by linear ' +
  'interpolation on the real time stamps within each pen-down segment (lifts and gaps > 50 ms split), all ' +
  'segments pooled; null without a target';
const SPECTRUM =
  'sum of the Welch PSDs (2-s periodic Hann windows, 50 % overlap, linear detrend per window, one-sided density) ' +
  'of the x and y deviation (hold: tip − target; a trace, or without a target: the tip position), resampled to ' +
  '100 Hz per pen-down segment and averaged over all windows of all segments ≥ 2 s';
const S = '[S] project definition (no published precision-tool protocol)';

/** What the definition of every per-trial precision metric adds (several trials in one recording). */
export const PRECISION_TRIALS_NOTE = trialsNote(
  'holds or traces',
  'precision_trial_count',
  'hold',
  'circle and zig-zag traces',
);

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
export const PRECISION_METRICS: readonly MetricDefinition[] = [
  ...withTrialsRule(perTrialMetrics(), PRECISION_TRIALS_NOTE),
  metric(
    'precision_trial_count',
    'count',
    'Number of trials analysed: the kept holds or traces of a recording of several (trial markers of the ' +
      'precision task; redone and empty attempts left out, cut-short ones kept by the rule of the other metrics) ' +
      'with at least 3 pen-down samples; 1 for an input without trial markers (contract CSV input, older ' +
      'recordings), which is analysed as one drawing.',
    `${S}; 3 trials of each part`,
    'neutral',
    false,
  ),
];

/** The precision metrics computed for each trial. */
function perTrialMetrics(): MetricDefinition[] {
  return withScaleRule([
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
}

/** a − b elementwise (same lengths). */
function difference(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

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
  const { targetPath } = recordingFacts(input);
  const hasTarget = targetXMm !== null && targetYMm !== null;
  const dx = hasTarget ? difference(input.xMm, targetXMm) : input.xMm;
  const dy = hasTarget ? difference(input.yMm, targetYMm) : input.yMm;
  const resampled = resampleSegments(input, segments, [dx, dy]);
  if (hasTarget || targetPath) {
    let count = 0;
    for (const [rx] of resampled) count += rx!.length;
    const distances = new Float64Array(count);
    let sumSquares = 0;
    let within = 0;
    let j = 0;
    for (const [rx, ry] of resampled) {
      for (let k = 0; k < rx!.length; k++) {
        const d = hasTarget ? norm2(rx![k]!, ry![k]!) : distanceToPath(rx![k]!, ry![k]!, targetPath!);
        distances[j++] = d;
        sumSquares += d * d;
        if (d <= PRECISION_TOLERANCE_MM) within++;
      }
    }
    if (count > 0) {
      m['path_deviation_rms_mm'] = Math.sqrt(sumSquares / count);
      m['path_deviation_p95_mm'] = quantile(distances, 0.95);
      m['time_within_1mm_pct'] = (100 * within) / count;
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

/**
 * The precision analysis of an input with several kept trials (`input.trials`): {@link analyzePrecision}
 * per trial (trials with fewer than 3 pen-down samples left out), each metric the median over the trials
 * where it is not null, `precision_trial_count` the number of trials analysed, and the flags of every
 * trial's analysis. Without trials, the input is one drawing (trial count 1).
 * @throws CodedError `E_TOO_FEW_EVENTS` when no trial has 3 pen-down samples
 */
export function analyzePrecisionTrials(input: PenInput): {
  metrics: Record<string, number | null>;
  flags: QualityFlag[];
} {
  const trials = penTrialInputs(input);
  if (!trials) {
    const single = analyzePrecision(input);
    return { metrics: { ...single.metrics, precision_trial_count: 1 }, flags: single.flags };
  }
  const results: ReturnType<typeof analyzePrecision>[] = [];
  for (const { input: trial } of trials) {
    try {
      results.push(analyzePrecision(trial));
    } catch (error) {
      if (error instanceof CodedError && error.code === 'E_TOO_FEW_EVENTS') continue;
      throw error;
    }
  }
  if (results.length === 0) {
    throw new CodedError('E_TOO_FEW_EVENTS', 'no kept precision trial has at least 3 pen-down samples');
  }
  const metrics = medianOverTrials(
    results.map((r) => r.metrics),
    PRECISION_METRICS.map((d) => d.id),
  );
  metrics['precision_trial_count'] = results.length;
  return { metrics, flags: [...new Set(results.flatMap((r) => r.flags))].sort() };
}

/** The precision task's analyser ({@link analyzePrecisionTrials}, then the screen-scale rule). */
export const precisionAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'precision',
  metrics: PRECISION_METRICS,
  analyze: (input) => {
    const result = analyzePrecisionTrials(input);
    return { ...result, metrics: dropUncalibratedMillimetres(input, PRECISION_METRICS, result.metrics) };
  },
};
