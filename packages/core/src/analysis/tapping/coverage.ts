import type { CoverageRow } from '../coverage.js';

/** Every tapping metric that measures.md names (sections 1.1, 6.1, 6.3), and the IDs implementing it. */
export const tappingCoverage: CoverageRow[] = [
  { section: '1.1', name: 'Tap count (primary)', ids: ['tap_count'] },
  { section: '1.1', name: 'ITI CV (primary)', ids: ['iti_cv_pct'] },
  { section: '1.1', name: 'Continuation CV (primary)', ids: ['continuation_iti_cv_pct'] },
  { section: '1.1', name: 'SD asynchrony (primary)', ids: ['asynchrony_sd_ms'] },
  { section: '1.1', name: 'Dwell (secondary)', ids: ['dwell_median_ms'] },
  {
    section: '1.1',
    name: 'Spatial error (secondary)',
    ids: ['spatial_error_mean_mm', 'spatial_scatter_mean_mm'],
  },
  {
    section: '1.1',
    name: 'W–K motor/timer variance (secondary)',
    ids: ['wk_motor_variance_ms2', 'wk_timer_variance_ms2'],
  },
  {
    section: '6.3',
    name: 'Tap count',
    ids: ['tap_count'],
    note: 'All taps (rows), alternation errors included (Correction 13).',
  },
  { section: '6.3', name: 'Inter-tap interval ITI', ids: ['iti_mean_ms'], note: 'Over all intervals.' },
  { section: '6.3', name: 'ITI CV', ids: ['iti_cv_pct'] },
  { section: '6.3', name: 'Dwell time', ids: ['dwell_median_ms'] },
  {
    section: '6.3',
    name: 'Spatial error (distance of each tap from target centre)',
    ids: ['spatial_error_mean_mm', 'spatial_scatter_mean_mm'],
    note: 'spatial_error_mean_mm needs the target centres (recordings); spatial_scatter_mean_mm measures the distance from the mean tap position per target, available from CSV positions too.',
  },
  { section: '6.3', name: 'Alternation errors', ids: ['alternation_error_count'] },
  {
    section: '6.3',
    name: 'Fatigue / decrement (ITI slope over the trial, or last-5-s / first-5-s tap rate)',
    ids: ['iti_slope_ms_per_s', 'tap_rate_last_first_ratio'],
  },
  {
    section: '6.3',
    name: 'Asynchrony (nearest click within ±IOI/2)',
    ids: ['asynchrony_mean_ms', 'asynchrony_sd_ms'],
  },
  {
    section: '6.3',
    name: 'Mean asynchrony',
    ids: ['asynchrony_mean_ms'],
    note: 'Computed always; the app shows it only after a loop-back latency calibration (6.5).',
  },
  { section: '6.3', name: 'SD asynchrony', ids: ['asynchrony_sd_ms'] },
  {
    section: '6.3',
    name: 'Continuation ITI mean and CV',
    ids: ['continuation_iti_mean_ms', 'continuation_iti_cv_pct'],
  },
  { section: '6.3', name: 'Drift (continuation ITI vs tap index)', ids: ['continuation_drift_ms_per_tap'] },
  {
    section: '6.3',
    name: 'Wing–Kristofferson motor and timer variance',
    ids: ['wk_motor_variance_ms2', 'wk_timer_variance_ms2'],
    note: 'Per input (one trial); wingKristofferson() pools several trials of one hand as Correction 14 asks.',
  },
  {
    section: '6.1',
    name: 'Number of correct taps (Lee 2016)',
    ids: ['tap_count', 'alternation_error_count'],
    note: 'Correct taps = tap_count − alternation_error_count; not a separate ID.',
  },
  {
    section: '6.1',
    name: 'Total finger travel distance and inter-tap distance (Lee 2016)',
    ids: [],
    note: 'Not in the measures.md 6.3 metric table; travel between taps happens in the air and is not recorded by touch events.',
  },
];
