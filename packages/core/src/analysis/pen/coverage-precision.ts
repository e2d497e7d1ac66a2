import type { CoverageRow } from '../coverage.js';

/**
 * The precision-tool task (holding or tracing with a tool; docs/condition.md: dentists, surgeons):
 * measures.md has no section for it, so every row is a project definition [S] that reuses the pen
 * methods of measures.md §3.3 (and §1 item 7, §9.5 for quality).
 */
export const precisionCoverage: CoverageRow[] = [
  {
    section: '—',
    name: 'Deviation from the target path (RMS and 95th percentile)',
    ids: ['path_deviation_rms_mm', 'path_deviation_p95_mm'],
    note:
      '[S] hold: tip − target distance; traces (circle, zig-zag): distance from the tip to the target polyline ' +
      '(params.target.path); time-weighted on the 100-Hz resampling; null without a target.',
  },
  {
    section: '—',
    name: 'Time within tolerance',
    ids: ['time_within_1mm_pct'],
    note: '[S] tolerance 1 mm.',
  },
  {
    section: '3.3',
    name: 'Tremor frequency and amplitude of the deviation signal (3–12 Hz)',
    ids: ['tremor_peak_frequency_hz', 'tremor_amplitude_pp_mm', 'relative_band_power'],
    note: 'Method of 3.3 (corrections 8, 9) on the sum of the x and y deviation PSDs (as 7.3, correction 10).',
  },
  { section: '3.3', name: 'Mean speed', ids: ['mean_speed_mm_per_s'] },
  {
    section: '4.3',
    name: 'Pressure mean and CV',
    ids: ['pressure_mean', 'pressure_cv_pct'],
  },
  {
    section: '1',
    name: 'Trial quality: pen-down time and lifts of the tool',
    ids: ['pen_down_time_s', 'pen_lift_count'],
    note: '[S]; section 1 item 7 (pen lifted off the digitiser).',
  },
  {
    section: '—',
    name: 'Several holds or traces in one recording',
    ids: ['precision_trial_count'],
    note:
      '[S] analysed per kept trial (redone and empty attempts, rests and countdowns left out; cut-short holds kept ' +
      'from half their planned time, traces with ink); each metric is the median over the kept trials.',
  },
];
