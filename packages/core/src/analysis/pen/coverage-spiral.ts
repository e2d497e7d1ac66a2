import type { CoverageRow } from '../coverage.js';

/** Every metric that measures.md §3 (and the §1.1 row "Spiral") names, and its spiral catalogue IDs. */
export const spiralCoverage: CoverageRow[] = [
  {
    section: '3.3',
    name: 'Tremor frequency (Welch peak of the radial residual, 3–12 Hz, parabolic refinement)',
    ids: ['tremor_peak_frequency_hz'],
    note: 'Radial residual of the raw samples, not the tangential velocity (3.3 allows either).',
  },
  {
    section: '3.3',
    name: 'Tremor amplitude (peak-to-peak, from band power ±1 Hz, one-sided density)',
    ids: ['tremor_amplitude_pp_mm'],
    note: 'In mm (measures.md tables use cm; 1.1 "tremor amplitude (cm, log)": log scale is the metric flag).',
  },
  {
    section: '3.3',
    name: 'FTM-like severity (inverted Elble 2017 relation)',
    ids: ['ftm_like_severity_score'],
    note: 'Correction 4; valid only for the mean of FTM-template spirals in essential tremor, not dystonia.',
  },
  { section: '3.3', name: 'Tightness (loop spacing 2π·|b|)', ids: ['spiral_tightness_mm_per_turn'] },
  { section: '3.3', name: 'Residue (r–θ fit RMS / mean r)', ids: ['spiral_fit_residue_ratio'] },
  { section: '3.3', name: 'First-order smoothness', ids: ['first_order_smoothness_log'] },
  {
    section: '3.3',
    name: 'First-order zero-crossings per turn',
    ids: ['first_order_zero_crossings_per_turn'],
  },
  { section: '3.3', name: 'Second-order smoothness', ids: ['second_order_smoothness_log'] },
  {
    section: '3.3',
    name: 'Spiral width variability (SWVI)',
    ids: ['spiral_width_variability'],
    note: 'Correction 7: monotonic θ grid (2° steps), θ ≤ θ_max − 2π.',
  },
  { section: '3.3', name: 'Mean speed (path length / pen-down time)', ids: ['mean_speed_mm_per_s'] },
  {
    section: '3.3',
    name: 'Pressure: mean, CV and dominant frequency',
    ids: ['pressure_mean', 'pressure_cv_pct', 'pressure_peak_frequency_hz'],
    note: 'Dominant frequency searched in 3–12 Hz as the tremor peak [S].',
  },
  {
    section: '3.3',
    name: 'Log dimensionless jerk per turn',
    ids: ['ldlj_per_turn_median'],
    note: 'Velocity form (correction 5), each 2π of θ; median over complete turns.',
  },
  {
    section: '3.3',
    name: 'Degree of severity (Pullman composite 0–10)',
    ids: [],
    note: 'Proprietary formula, not published; measures.md says not to imitate it (its components are reported).',
  },
  {
    section: '3.3',
    name: 'Centre and unravelling (r = a + bθ, inward/outward, rotation sense)',
    ids: ['spiral_turn_count'],
    note: 'Geometry, not a metric by itself; POOR_SPIRAL_FIT flags R² < 0.9 or < 1 turn.',
  },
  {
    section: '3.1',
    name: 'Pressure power (DYT1/6 abstract "pressure-frequency and power")',
    ids: [],
    note: 'Units of the Pullman software not published; only the pressure dominant frequency is implemented.',
  },
  {
    section: '3.1',
    name: '|dr/dθ|, |dr/dt| and area under the velocity spectrum (Lin 2018)',
    ids: [],
    note: 'Evidence-base indices outside the 3.3 table; first-order smoothness covers dr/dθ deviations.',
  },
  {
    section: '3.1',
    name: 'Normalised jerk of traced spirals (MovAlyzeR, writer’s-cramp abstract)',
    ids: ['ldlj_per_turn_median'],
    note: 'Dimensional/normalised jerk is replaced by the dimensionless LDLJ (measures.md 4.3 advice).',
  },
  {
    section: '3.1',
    name: 'Visual 0–3 spiral rating (Louis 2015)',
    ids: [],
    note: 'A clinician rating, not computable from samples.',
  },
  {
    section: '3.5',
    name: 'Drawing-rhythm harmonics excluded before calling a peak tremor',
    ids: ['tremor_peak_frequency_hz'],
    note: 'NO_TREMOR_PEAK when the peak is within ±0.25 Hz of k·f_turn, k = 1–5 (values stay numeric).',
  },
  {
    section: '3.3',
    name: 'Drawing time, pen lifts and relative band power (project additions)',
    ids: ['drawing_time_s', 'pen_lift_count', 'relative_band_power'],
    note: '[S] project definitions supporting the 3.3 indices.',
  },
  {
    section: '3.2',
    name: 'Several spirals per hand (5 freehand + 2 traced), repeated drawings',
    ids: ['spiral_trial_count'],
    note: 'A recording of several spirals is analysed per kept spiral (redone attempts left out); each metric is the median over the kept spirals.',
  },
];
