import type { CoverageRow } from '../coverage.js';

/**
 * Every metric that measures.md §4 (and the §1.1 row "Handwriting") names, and the handwriting
 * catalogue IDs that implement it (pen/handwriting.ts), or why it is not implemented.
 */
export const handwritingCoverage: CoverageRow[] = [
  {
    section: '4.3',
    name: 'Writing (stroke) frequency: 1 / (mean up-stroke + mean down-stroke duration)',
    ids: ['stroke_frequency_hz'],
    note:
      'Strokes cut at vy zero crossings of the resampled, 10-Hz low-passed position; crossings merged by the ' +
      '30 ms / 0.5 mm guard; only complete strokes. Up = vy < 0 (y grows downwards); the value is the same either way.',
  },
  {
    section: '4.3',
    name: 'Stroke duration (time between successive vy zero crossings) and its variability',
    ids: ['stroke_duration_mean_ms', 'stroke_duration_cv_pct', 'stroke_count'],
  },
  {
    section: '4.3',
    name: 'Stroke size (vertical amplitude) and its variability',
    ids: ['stroke_amplitude_mean_mm', 'stroke_amplitude_cv_pct'],
  },
  {
    section: '4.3',
    name: 'Peak vertical velocity (max |vy| per stroke, mean)',
    ids: ['peak_vertical_velocity_mean_mm_per_s'],
  },
  {
    section: '4.3',
    name: 'Variability: CV of stroke peak velocity',
    ids: ['peak_vertical_velocity_cv_pct'],
  },
  {
    section: '4.3',
    name: 'NIV (number of inversions of velocity per stroke, fluent = 1)',
    ids: ['niv_per_stroke'],
    note: 'Local maxima of tangential speed strictly inside each stroke (correction 6), mean over strokes.',
  },
  {
    section: '4.3',
    name: 'NCA (number of changes of acceleration per stroke)',
    ids: ['nca_per_stroke'],
    note:
      'Local extrema of the tangential acceleration d‖v‖/dt strictly inside each stroke (fluent = 2). Not yet ' +
      'checked against the CSWin definition (4.3 [P?]). Needs ≳ 120 Hz: at 60 Hz a 70-ms stroke has ~4 samples.',
  },
  {
    section: '4.3',
    name: 'Axial pressure: mean and CV during pen-down',
    ids: ['pressure_mean', 'pressure_cv_pct'],
  },
  {
    section: '4.3',
    name: 'Pressure saturation (fraction of samples at 1.0)',
    ids: ['pressure_saturation_pct'],
    note: 'Flag PRESSURE_SATURATION from 5 % of pen-down samples [S].',
  },
  {
    section: '4.3',
    name: 'Peak acceleration (95th percentile of |a|)',
    ids: ['peak_acceleration_p95_mm_per_s2'],
  },
  {
    section: '4.3',
    name: 'Paper time / air time',
    ids: ['paper_time_s', 'air_time_s'],
    note:
      'Air time = time between pen-down segments separated by pen_down = 0 samples (a lift), hover samples or ' +
      'not; pen-down gaps > 50 ms count as paper time.',
  },
  {
    section: '4.3',
    name: 'Breaks (pen lifts inside words) and pen lifts',
    ids: ['break_count', 'pen_lift_count'],
    note:
      'A lift is a break unless the pen goes on > 2 letter widths away horizontally; letter width = mean ' +
      'horizontal advance per up–down cycle [S]. Without a pen_down column the pen is always down: no lifts.',
  },
  {
    section: '4.3',
    name: 'Writing speed (characters of the target sentence / total time, letters/min)',
    ids: ['writing_speed_letters_per_min', 'mean_speed_mm_per_s', 'total_writing_time_s'],
    note:
      'Letters of the target sentence (params.textLetters of a handwriting recording) × 60 / the first-to-last ' +
      'pen-down time of each complete sentence or fast-sentence trial, median over the trials; null for loops ' +
      'and copy (the text length written is unknown) and for contract CSV input, which does not carry the ' +
      'sentence. Also: the kinematic writing speed (path length / pen-down time, contract) and the total ' +
      'writing time.',
  },
  {
    section: '4.3',
    name: 'Legibility (handwriting recognition vs target sentence, character error rate)',
    ids: [],
    note:
      'Not computable in core: needs a handwriting recogniser (on-device or a model) and the target sentence; ' +
      'neither is available to the pure TypeScript analysis.',
  },
  {
    section: '4.3',
    name: 'Build-up slope (stroke frequency or pressure vs time over H6 windows)',
    ids: ['stroke_frequency_slope_pct_per_min', 'pressure_slope_pct_per_min'],
    note: 'Full 30-s windows from the first pen-down sample; slope as % of the mean over windows per minute [S].',
  },
  {
    section: '4.3',
    name: 'Log dimensionless jerk (LDLJ, velocity form, per stroke)',
    ids: ['ldlj_stroke_median'],
    note:
      '−ln((T³/max‖v‖²)·∫‖d²v/dt²‖² dt) on the velocity vector of each stroke (correction 5), median over strokes; ' +
      'minimum-jerk reach: −ln 204.8 = −5.322.',
  },
  {
    section: '4.3',
    name: 'SPARC (spectral arc length)',
    ids: ['sparc_stroke_median'],
    note:
      'Per stroke on the tangential speed with the authors’ defaults fc = 10 Hz, amp_th = 0.05, padlevel 4 ' +
      '(correction 22); strokes are not rest-to-rest movements, for which SPARC was validated.',
  },
  {
    section: '4.1',
    name: 'Grip force on the pen barrel (Hermsdörfer 2011 force-sensor pen)',
    ids: [],
    note: 'A stylus reports axial pressure only; barrel grip force needs a force-sensor pen.',
  },
  {
    section: '4.1',
    name: 'Total writing duration (exploratory battery 2017)',
    ids: ['total_writing_time_s'],
  },
  {
    section: '4.2',
    name: 'Circles (H2): analyse the first 99 strokes',
    ids: [],
    note:
      'Not applied: the pen input does not say which of H1–H6 it is, so all complete strokes are used. The ' +
      'task module can cut an H2 recording to its first 99 strokes before analysis.',
  },
  {
    section: '4.2',
    name: 'Repetitions of each part (loops 2 ×, sentence 3 ×), trials in one recording',
    ids: ['handwriting_trial_count'],
    note:
      'A recording of several trials is analysed per kept trial (redone and empty attempts, rests and countdowns ' +
      'left out; cut-short attempts kept from half the planned time, or with ink for the sentence parts); each ' +
      'metric is the median over the kept trials.',
  },
  {
    section: '4.2',
    name: 'Provocation (H6): metrics per 30-s window',
    ids: ['stroke_frequency_slope_pct_per_min', 'pressure_slope_pct_per_min'],
    note: 'The per-window values themselves are not separate IDs; their trend is.',
  },
];
