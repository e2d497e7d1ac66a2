import type { CoverageRow } from '../coverage.js';

/** Every metric that measures.md §7 (and the §1.1 row "Phone tremor") names, and its catalogue IDs. */
export const tremorCoverage: CoverageRow[] = [
  {
    section: '7.3',
    name: 'Peak frequency (summed-axis PSD, 3–12 Hz, parabolic refinement of log-PSD)',
    ids: ['tremor_peak_frequency_hz'],
  },
  {
    section: '7.3',
    name: 'Tremor band power',
    ids: ['tremor_band_power_m2_per_s4'],
    note: 'Σ PSD·Δf over |f − f_peak| ≤ 1 Hz of the summed one-sided density PSD (corrections 9, 10).',
  },
  { section: '7.3', name: 'RMS acceleration', ids: ['tremor_rms_m_per_s2'] },
  {
    section: '7.3',
    name: 'Displacement amplitude',
    ids: ['tremor_displacement_rms_cm'],
    note: 'RMS displacement in cm; peak-to-peak is 2√2 times it for a sinusoid and is not a separate ID.',
  },
  { section: '7.3', name: 'Relative band power', ids: ['relative_band_power'] },
  {
    section: '7.3',
    name: 'High/low ratio (4–12 Hz / 0.5–4 Hz)',
    ids: ['tremor_high_low_ratio'],
    note: 'On the gravity-free signal before band-passing (correction 11).',
  },
  {
    section: '7.3',
    name: 'Occurrence (% of 3-s windows with tremor)',
    ids: ['tremor_occurrence_pct'],
    note: 'Window = tremor when peak PSD ≥ 3× the 3–12 Hz median PSD and relative band power ≥ 0.3 (7.3 thresholds).',
  },
  {
    section: '7.3',
    name: 'Frequency stability (IQR of per-window peak frequency, TSI-like)',
    ids: ['tremor_frequency_iqr_hz'],
    note: 'Over the tremor windows only; null with fewer than 3.',
  },
  {
    section: '7.3',
    name: 'Weight-load shift f_peak(unloaded) − f_peak(loaded)',
    ids: [],
    note:
      'Needs two recordings (the posture without and with the ~250-g wrist load, 7.2 item 6); one recording ' +
      'cannot give it. It is the difference of tremor_peak_frequency_hz between the two analyses.',
  },
  {
    section: '7.3',
    name: 'Gyroscope (rotationRate): the same spectral metrics',
    ids: ['gyro_peak_frequency_hz', 'gyro_rms_deg_per_s', 'gyro_relative_band_power'],
    note: 'Null without gyroscope columns; band power of the gyroscope = gyro_rms_deg_per_s².',
  },
  {
    section: '7.3',
    name: 'True sampling rate from event time stamps (log it)',
    ids: ['sampling_rate_hz'],
  },
  {
    section: '1.1',
    name: 'Phone tremor primary: log RMS / displacement amplitude, peak frequency (3–12 Hz)',
    ids: ['tremor_rms_m_per_s2', 'tremor_displacement_rms_cm', 'tremor_peak_frequency_hz'],
    note: 'The amplitude IDs have logScale: change statistics use log10 (7.3, 10.3); no separate log IDs.',
  },
  {
    section: '1.1',
    name: 'Phone tremor secondary: occurrence %, weight-load shift',
    ids: ['tremor_occurrence_pct'],
    note: 'Weight-load shift needs two recordings (see the 7.3 row).',
  },
  {
    section: '7.1',
    name: 'Amplitude, frequency and occurrence from portable transducers (Elble & McNames 2016)',
    ids: ['tremor_rms_m_per_s2', 'tremor_peak_frequency_hz', 'tremor_occurrence_pct'],
  },
  {
    section: '7.4',
    name: 'Amplitude MDC |log10(A2/A1)| ≥ 0.31–0.47',
    ids: [],
    note: 'A change statistic between sessions (10.3), not a per-recording metric; the change module applies it.',
  },
];
