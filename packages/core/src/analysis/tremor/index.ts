/**
 * Phone-accelerometer tremor analysis (measures.md §7, analysis contract "tremor" rows).
 *
 * Pipeline: row rules (finite values, non-decreasing time, repeated stamps dropped) → sampling flags →
 * natural-cubic-spline resampling at the delivered rate → 2–min(20, 0.45·fs) Hz zero-phase band-pass →
 * sum of the axis Welch PSDs → refined 3–12 Hz peak, band power, RMS, displacement, relative power;
 * 3-s windows for occurrence and frequency stability; the unfiltered PSD for the high/low ratio; the
 * same spectral metrics for the gyroscope when there is one.
 *
 * A recording of the tremor task holds one position, and only its kept trial, without its edges, is
 * analysed (trial.ts says why and how): each stored value is one position's.
 */
import { CodedError } from '../../errors/catalogue.js';
import { iqr } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { TremorInput } from '../inputs.js';
import type { MetricValues } from '../metric.js';
import { wantsAny, type AnalyzeOptions, type TaskAnalyzer, type TaskResult } from '../task.js';
import { TREMOR_METRICS } from './metrics.js';
import { dropRepeatedStamps, gridLength, inspectSampling, resampleSpline } from './sampling.js';
import { TREMOR_SETTINGS } from './settings.js';
import {
  bandHighHz,
  bandPass,
  bandPower,
  findTremorPeak,
  npersegFor,
  summedPsd,
  type TremorPeak,
} from './spectrum.js';

export { TREMOR_METRICS } from './metrics.js';
export { TREMOR_SETTINGS } from './settings.js';
export { tremorFromCsv } from './from-csv.js';
export { tremorFromRecording } from './from-recording.js';
export { simulateTremor, type TremorSimulationOptions, type TremorTruth } from './simulate.js';
export { tremorCoverage } from './coverage.js';
export {
  TREMOR_TRIAL_MARKERS,
  tremorAnalysedSpan,
  tremorAttempts,
  type TremorAnalysedSpan,
  type TremorAttempt,
} from './trial.js';

/** The windows of the occurrence analysis and their peaks (null: no bin in the search range). */
export interface TremorWindows {
  count: number;
  peaks: (TremorPeak | null)[];
}

/**
 * Cuts band-passed axes into 3-s windows with 50 % overlap (W = round(3·fs) samples, hop ⌊W/2⌋, whole
 * windows only) and finds each window's tremor peak on its summed Hann periodogram (Welch with
 * nperseg = W, i.e. one segment).
 * @param filtered - band-passed, uniformly sampled axes at fs Hz
 */
export function tremorWindows(filtered: readonly Float64Array[], fs: number): TremorWindows {
  const w = Math.round(TREMOR_SETTINGS.windowS * fs);
  const hop = Math.floor(w / 2);
  const n = filtered[0]?.length ?? 0;
  const peaks: (TremorPeak | null)[] = [];
  for (let start = 0; w > 1 && start + w <= n; start += hop) {
    const spectrum = summedPsd(
      filtered.map((x) => x.subarray(start, start + w)),
      fs,
      w,
    );
    peaks.push(findTremorPeak(spectrum, bandHighHz(fs)));
  }
  return { count: peaks.length, peaks };
}

/** Peak frequency, RMS and relative band power of band-passed axes (the contract's definitions). */
function spectralPeak(
  axes: readonly Float64Array[],
  fs: number,
): { filtered: Float64Array[]; peak: TremorPeak | null } {
  const filtered = bandPass(axes, fs);
  const spectrum = summedPsd(filtered, fs, npersegFor(fs));
  return { filtered, peak: findTremorPeak(spectrum, bandHighHz(fs)) };
}

/**
 * Analyses one tremor recording (see the module comment and metrics.ts for every definition).
 *
 * Edge cases: an input without rows is `E_INPUT_EMPTY`; a non-finite value `E_INPUT_VALUE`; time
 * going back `E_NONMONOTONIC_TIME`; fewer than two distinct time stamps, or a recording shorter than
 * one Welch segment (2.56 s), `E_TOO_FEW_EVENTS`. Repeated stamps are dropped (DUPLICATE_TIMESTAMPS).
 * Below a 20-Hz resampling rate only `sampling_rate_hz` is computed (LOW_SAMPLING_RATE). Without a clear
 * peak the metrics stay numeric and NO_TREMOR_PEAK is set. Occurrence needs one 3-s window and the
 * frequency IQR three windows, else TOO_FEW_EVENTS; the IQR is also null with fewer than three tremor
 * windows.
 */
export function analyzeTremor(input: TremorInput, options: AnalyzeOptions = { hand: null }): TaskResult {
  if (input.tMs.length === 0) throw new CodedError('E_INPUT_EMPTY', 'the tremor input has no samples');
  const wantsGyro = wantsAny(
    options,
    'gyro_peak_frequency_hz',
    'gyro_rms_deg_per_s',
    'gyro_relative_band_power',
  );
  const gyroColumns = input.gx && input.gy && input.gz && wantsGyro ? [input.gx, input.gy, input.gz] : [];
  const cleaned = dropRepeatedStamps(input.tMs, [input.ax, input.ay, input.az, ...gyroColumns]);
  const flags: QualityFlag[] = [];
  if (cleaned.duplicates > 0) flags.push('DUPLICATE_TIMESTAMPS');
  const { tMs } = cleaned;
  if (tMs.length < 2) {
    throw new CodedError('E_TOO_FEW_EVENTS', 'the tremor input needs at least two distinct time stamps');
  }
  const sampling = inspectSampling(tMs);
  flags.push(...sampling.flags);
  const values: MetricValues = { sampling_rate_hz: sampling.deliveredHz };
  const { fs } = sampling;
  const nperseg = npersegFor(fs);
  if (gridLength(tMs, fs) < nperseg) {
    const seconds = (tMs[tMs.length - 1]! - tMs[0]!) / 1000;
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `the recording lasts ${seconds.toFixed(2)} s; the Welch spectrum needs at least ${TREMOR_SETTINGS.npersegS} s`,
    );
  }
  if (fs < TREMOR_SETTINGS.minAnalysisFs) {
    if (!flags.includes('LOW_SAMPLING_RATE')) flags.push('LOW_SAMPLING_RATE');
    return { metrics: values, flags };
  }

  const resample = (column: Float64Array): Float64Array => resampleSpline(tMs, column, fs);
  const acc = cleaned.columns.slice(0, 3).map(resample);
  const { filtered, peak } = spectralPeak(acc, fs);
  if (peak) {
    const rms = Math.sqrt(peak.bandPower);
    values.tremor_peak_frequency_hz = peak.frequencyHz;
    values.tremor_band_power_m2_per_s4 = peak.bandPower;
    values.tremor_rms_m_per_s2 = rms;
    values.tremor_displacement_rms_cm = (100 * rms) / (2 * Math.PI * peak.frequencyHz) ** 2;
    values.relative_band_power = peak.relativeBandPower;
  }
  if (!peak?.isTremor) flags.push('NO_TREMOR_PEAK');

  if (wantsAny(options, 'tremor_high_low_ratio')) {
    const raw = summedPsd(acc, fs, nperseg);
    const [highLo, highHi] = TREMOR_SETTINGS.highBandHz;
    const [lowLo, lowHi] = TREMOR_SETTINGS.lowBandHz;
    const low = bandPower(raw, lowLo, lowHi, true);
    values.tremor_high_low_ratio = low > 0 ? bandPower(raw, highLo, highHi) / low : null;
  }

  if (wantsAny(options, 'tremor_occurrence_pct', 'tremor_frequency_iqr_hz')) {
    const windows = tremorWindows(filtered, fs);
    const tremorFrequencies = windows.peaks.filter((p) => p?.isTremor).map((p) => p!.frequencyHz);
    if (windows.count > 0) values.tremor_occurrence_pct = (100 * tremorFrequencies.length) / windows.count;
    if (tremorFrequencies.length >= TREMOR_SETTINGS.stabilityMinWindows) {
      values.tremor_frequency_iqr_hz = iqr(tremorFrequencies);
    }
    if (windows.count < TREMOR_SETTINGS.stabilityMinWindows) flags.push('TOO_FEW_EVENTS');
  }

  if (gyroColumns.length === 3) {
    const gyro = spectralPeak(cleaned.columns.slice(3, 6).map(resample), fs).peak;
    if (gyro) {
      values.gyro_peak_frequency_hz = gyro.frequencyHz;
      values.gyro_rms_deg_per_s = Math.sqrt(gyro.bandPower);
      values.gyro_relative_band_power = gyro.relativeBandPower;
    }
  }
  return { metrics: values, flags };
}

/** The tremor task's analyser (registered in analyze.ts). */
export const tremorAnalyzer: TaskAnalyzer<TremorInput> = {
  task: 'tremor',
  metrics: TREMOR_METRICS,
  analyze: (input, options) => analyzeTremor(input, options),
};
