import type { MetricDefinition } from '../metric.js';

const COMMON =
  'Axes resampled by a natural cubic spline on their real time stamps to fs = the delivered rate ' +
  '(1000 / median sample interval) rounded to a whole Hz; each axis band-passed from 2 Hz to ' +
  'min(20 Hz, 0.45·fs) by a 4th-order Butterworth applied forward and backward (zero phase); Welch PSD ' +
  'per axis (periodic Hann, nperseg = round(2.56·fs), 50 % overlap, constant detrend, one-sided density) ' +
  'and the three axis PSDs summed (never the vector magnitude, which doubles a linear tremor’s frequency).';
const PEAK =
  'f_peak = the highest bin of the summed PSD in 3–12 Hz, refined by the vertex of the parabola through ' +
  'log10 PSD at that bin and its two neighbours (kept on the bin when it is not a local maximum).';
const BAND = 'P_band = Σ PSD·Δf over the bins with |f − f_peak| ≤ 1 Hz.';
const ELBLE = 'Elble & McNames 2016, Tremor Other Hyperkinet Mov 6:375';
const WINDOWS =
  'The band-passed axes are cut into 3-s windows with 50 % overlap (window k starts at k·⌊W/2⌋, ' +
  'W = round(3·fs) samples, whole windows only); each window’s summed PSD is one Hann-windowed ' +
  'periodogram of the whole window (Welch with nperseg = W). A window is a tremor window when the ' +
  'summed PSD at its highest 3–12 Hz bin is ≥ 3× the median summed PSD over 3–12 Hz and its band power ' +
  '(|f − f_peak| ≤ 1 Hz) is ≥ 0.3 of its 1–20 Hz power.';

/**
 * What every definition adds about recordings (version 1.0.0 → 1.1.0: a recording used to be analysed
 * from its first trial-start to its last trial-end; contract CSV input is unchanged).
 */
export const RECORDING_NOTE =
  ' A recording of the tremor task holds one position (params.position) and is analysed on its kept ' +
  'trial only: the last attempt that was not discarded, without its first and last params.edgeDiscardS ' +
  'seconds (default 2 s, measures.md 7.2), the edges shortened so that at least 3 s remain (flag ' +
  'SHORT_RECORDING); an input without trial markers (contract CSV, other recordings) is analysed whole.';

const metric = (
  m: Omit<MetricDefinition, 'task' | 'version' | 'origin'> & Partial<Pick<MetricDefinition, 'origin'>>,
): MetricDefinition => ({
  task: 'tremor',
  version: '1.1.0',
  origin: 'measures',
  ...m,
  definition: m.definition + RECORDING_NOTE,
});

/** Metric catalogue of the phone-accelerometer tremor task (measures.md §7.3, analysis contract). */
export const TREMOR_METRICS: readonly MetricDefinition[] = [
  metric({
    id: 'tremor_peak_frequency_hz',
    origin: 'contract',
    unit: 'Hz',
    definition:
      `${COMMON} ${PEAK} Flag NO_TREMOR_PEAK when the peak does not stand out (PSD at the peak bin < 3× the ` +
      'median PSD over 3–12 Hz, or relative_band_power < 0.3); the metrics stay numeric.',
    citation: `${ELBLE}; measures.md §7.3 (corrections 1, 8, 10, 20)`,
    direction: 'neutral',
    logScale: false,
  }),
  metric({
    id: 'tremor_rms_m_per_s2',
    origin: 'contract',
    unit: 'm/s²',
    definition: `√P_band of the band-passed acceleration. ${COMMON} ${PEAK} ${BAND}`,
    citation: `${ELBLE}; measures.md §7.3 (corrections 9, 10)`,
    direction: 'higher-worse',
    logScale: true,
  }),
  metric({
    id: 'tremor_displacement_rms_cm',
    origin: 'contract',
    unit: 'cm',
    definition:
      `RMS displacement of a sinusoid with the tremor's RMS acceleration at f_peak: ` +
      `100 · √P_band / (2π·f_peak)² (×2√2 for peak-to-peak). ${COMMON} ${PEAK} ${BAND}`,
    citation: `${ELBLE}; measures.md §7.3 (corrections 9, 10)`,
    direction: 'higher-worse',
    logScale: true,
  }),
  metric({
    id: 'relative_band_power',
    origin: 'contract',
    unit: '1',
    definition: `P_band / Σ PSD·Δf over 1 ≤ f ≤ 20 Hz, both on the summed PSD. ${COMMON} ${PEAK} ${BAND}`,
    citation: `${ELBLE}; measures.md §7.3 (correction 10)`,
    direction: 'higher-worse',
    logScale: false,
  }),
  metric({
    id: 'tremor_band_power_m2_per_s4',
    unit: '(m/s²)²',
    definition: `P_band itself, (m/s²)². ${COMMON} ${PEAK} ${BAND}`,
    citation: `${ELBLE}; measures.md §7.3 (corrections 9, 10)`,
    direction: 'higher-worse',
    logScale: true,
  }),
  metric({
    id: 'tremor_high_low_ratio',
    unit: '1',
    definition:
      'Σ PSD·Δf over 4 ≤ f ≤ 12 Hz / Σ PSD·Δf over 0.5 ≤ f < 4 Hz of the summed Welch PSD (as above) of the ' +
      'resampled gravity-free axes BEFORE band-passing.',
    citation: 'Ali et al. 2022, Sci Rep 12:5242; measures.md §7.3 (correction 11)',
    direction: 'higher-worse',
    logScale: true,
  }),
  metric({
    id: 'tremor_occurrence_pct',
    unit: '%',
    definition: `100 × tremor windows / windows. ${WINDOWS} Null when the recording is shorter than one window.`,
    citation:
      '3-s tremor/non-tremor windows: PMC6806079 (thresholds ours); occurrence: ' +
      `${ELBLE}; measures.md §7.3 (correction 20)`,
    direction: 'higher-worse',
    logScale: false,
  }),
  metric({
    id: 'tremor_frequency_iqr_hz',
    unit: 'Hz',
    definition:
      'Frequency stability: IQR (type 7) of the refined peak frequencies of the tremor windows; null with ' +
      `fewer than 3 tremor windows. ${WINDOWS}`,
    citation: 'Tremor stability index concept: PMC6806079; definition: measures.md §7.3',
    direction: 'neutral',
    logScale: false,
  }),
  metric({
    id: 'gyro_peak_frequency_hz',
    unit: 'Hz',
    definition: `As tremor_peak_frequency_hz, on the three rotation-rate axes (deg/s); null without a gyroscope.`,
    citation: 'Elble et al. 2016, Mov Disord Clin Pract 4:205–211; measures.md §7.3 step 3',
    direction: 'neutral',
    logScale: false,
  }),
  metric({
    id: 'gyro_rms_deg_per_s',
    unit: 'deg/s',
    definition: `As tremor_rms_m_per_s2 (√P_band), on the three rotation-rate axes; null without a gyroscope.`,
    citation: 'Elble et al. 2016, Mov Disord Clin Pract 4:205–211; measures.md §7.3 step 3',
    direction: 'higher-worse',
    logScale: true,
  }),
  metric({
    id: 'gyro_relative_band_power',
    unit: '1',
    definition: `As relative_band_power, on the three rotation-rate axes; null without a gyroscope.`,
    citation: 'Elble et al. 2016, Mov Disord Clin Pract 4:205–211; measures.md §7.3 step 3',
    direction: 'higher-worse',
    logScale: false,
  }),
  metric({
    id: 'sampling_rate_hz',
    unit: 'Hz',
    definition:
      'Delivered accelerometer rate: 1000 / median interval between consecutive distinct time stamps ' +
      '(for sources that were resampled to remove gravity, the resampling rate).',
    citation: 'measures.md §7.3 (acquisition: compute the true rate from event timestamps) and §9.5',
    direction: 'neutral',
    logScale: false,
  }),
];
