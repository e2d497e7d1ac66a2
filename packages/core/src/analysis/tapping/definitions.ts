import type { MetricDefinition } from '../metric.js';

/** Continuation intervals dropped at the start of the continuation phase (measures.md 6.3). */
export const CONTINUATION_SKIP = 3;
/** Fewest continuation intervals (after the skip) for the continuation mean, CV and drift. */
export const MIN_CONTINUATION_INTERVALS = 5;
/** Fewest detrended continuation intervals for the Wing–Kristofferson estimates. */
export const MIN_WK_INTERVALS = 10;
/** Length of the first and last window of the tap-rate ratio, ms (measures.md 6.3: 5 s). */
export const RATE_WINDOW_MS = 5000;

const MPOWER =
  'Bot BM et al. 2016, Sci Data 3:160011 (mPower two-finger tapping, ResearchKit); measures.md §6.3 and Correction 13';
const REPP =
  'Repp BH 2005, Psychon Bull Rev 12:969–992 (sensorimotor synchronisation); measures.md §6.3 and §6.5';
const WK =
  'Wing AM & Kristofferson AB 1973, Percept Psychophys 14:5–12 (two-level timing model); measures.md §6.3 and Correction 14';
const SPATIAL =
  'Alternate-finger vs alternate-side tapping in healthy adults, 2021 (PMC8651103: tap count and mean spatial error most repeatable); measures.md §6.3';
const CONTINUATION = `Continuation intervals: intervals between successive taps whose keydown/touch is after the end of the metronome (continuationFromMs: the input's, or for a CSV the last click + half the last click interval), without the first ${CONTINUATION_SKIP}.`;

type DefinitionInput = Omit<MetricDefinition, 'task' | 'version' | 'origin' | 'citation'> & {
  version?: string;
  origin?: MetricDefinition['origin'];
  citation?: string;
};

const define = (metric: DefinitionInput): MetricDefinition => ({
  task: 'tapping',
  version: '1.0.0',
  origin: 'measures',
  citation: MPOWER,
  ...metric,
});

/** The tapping metric catalogue (analysis contract IDs first). */
export const TAPPING_METRICS: readonly MetricDefinition[] = [
  define({
    id: 'tap_count',
    unit: 'count',
    definition:
      'Number of taps analysed: every tap (row) of the input, alternation errors included (they are counted separately in alternation_error_count).',
    origin: 'contract',
    direction: 'lower-worse',
    logScale: false,
  }),
  define({
    id: 'iti_mean_ms',
    unit: 'ms',
    definition:
      'Mean inter-tap interval t_down(i+1) − t_down(i) over all successive taps (sorted by down time). Null with fewer than 2 taps.',
    origin: 'contract',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'iti_cv_pct',
    unit: '%',
    definition: 'Sample SD (n − 1) / mean × 100 of all inter-tap intervals. Null with fewer than 3 taps.',
    origin: 'contract',
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: 'dwell_median_ms',
    unit: 'ms',
    definition: 'Median dwell (contact) time t_up − t_down over all taps.',
    origin: 'contract',
    citation: `Lee CY et al. 2016, PLoS One 11:e0158852 (dwell time); ${MPOWER}`,
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'asynchrony_sd_ms',
    unit: 'ms',
    definition:
      'Sample SD of the asynchrony a = t_down(tap) − t(click): each tap paired with the nearest metronome click when within ± half the click interval (the interval from that click towards the tap; equidistant: the earlier click); unpaired taps are left out. Null without click times (flag NO_METRONOME) or with fewer than 2 paired taps. Independent of a constant audio latency.',
    origin: 'contract',
    citation: REPP,
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: 'asynchrony_mean_ms',
    unit: 'ms',
    definition:
      'Mean asynchrony of the paired taps (as asynchrony_sd_ms; negative = tapping ahead of the click), against the click as heard: the click time plus the output latency that a loop-back calibration measured (recording params.latencyCalibration.correctionMs, measures.md 6.5). A recording of the app’s metronome without such a calibration gives null (flag LATENCY_UNCALIBRATED), since the unknown latency would bias it by tens of ms; CSV click times (beat_ms) are taken as heard.',
    citation: REPP,
    version: '1.1.0',
    direction: 'neutral',
    logScale: false,
  }),
  define({
    id: 'alternation_error_count',
    unit: 'count',
    definition:
      'Number of taps whose target label equals the previous tap’s (the same target twice in a row), over successive taps that both have a label. Null when no tap has a target label.',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'spatial_error_mean_mm',
    unit: 'mm',
    definition:
      'Mean Euclidean distance of each tap’s position from the centre of its target (by label; a tap without label: the nearest centre). Needs the target centres, which recordings carry (from the task layout, 96 CSS px per inch unless calibrated: flag NOMINAL_SCALE); null for CSV input, which has no target centres.',
    citation: SPATIAL,
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'spatial_scatter_mean_mm',
    unit: 'mm',
    definition:
      'Mean Euclidean distance of each tap’s position from the mean position of the taps with the same target label (labels with at least 2 taps with a position): scatter, without the systematic offset that spatial_error_mean_mm includes. Null without positions or labels.',
    citation: SPATIAL,
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'iti_slope_ms_per_s',
    unit: 'ms/s',
    definition:
      'Fatigue/decrement: least-squares slope of each inter-tap interval against the time of its midpoint since the first tap, in ms per s (positive = slowing). Null with fewer than 3 intervals.',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'tap_rate_last_first_ratio',
    unit: '1',
    definition: `Fatigue/decrement: taps in the last ${RATE_WINDOW_MS / 1000} s (t_down > last − ${RATE_WINDOW_MS / 1000} s) / taps in the first ${RATE_WINDOW_MS / 1000} s (t_down < first + ${RATE_WINDOW_MS / 1000} s), both measured from the first and last tap. Null when the taps span less than ${(2 * RATE_WINDOW_MS) / 1000} s.`,
    direction: 'lower-worse',
    logScale: false,
  }),
  define({
    id: 'continuation_iti_mean_ms',
    unit: 'ms',
    definition: `Mean of the continuation intervals (synchronisation–continuation, TAP-B). ${CONTINUATION} Null without a continuation phase or with fewer than ${MIN_CONTINUATION_INTERVALS} intervals.`,
    citation: REPP,
    direction: 'neutral',
    logScale: false,
  }),
  define({
    id: 'continuation_iti_cv_pct',
    unit: '%',
    definition: `Sample SD / mean × 100 of the continuation intervals (as continuation_iti_mean_ms).`,
    citation: REPP,
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: 'continuation_drift_ms_per_tap',
    unit: 'ms/tap',
    definition:
      'Least-squares slope of the continuation intervals (as continuation_iti_mean_ms) against their index (positive = slowing down).',
    citation: REPP,
    direction: 'neutral',
    logScale: false,
  }),
  define({
    id: 'wk_motor_variance_ms2',
    unit: 'ms²',
    definition: `Wing–Kristofferson motor (implementation) variance σm² = max(0, −γ̂(1)), γ̂(1) the lag-1 autocovariance (1/n denominator) of the linearly detrended continuation intervals (as continuation_iti_mean_ms; pooled over trials when several series are given to wingKristofferson). Flag WK_MODEL_VIOLATION when γ̂(1) > 0 or the lag-1 autocorrelation ρ̂(1) < −0.5. Null with fewer than ${MIN_WK_INTERVALS} intervals.`,
    citation: WK,
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: 'wk_timer_variance_ms2',
    unit: 'ms²',
    definition:
      'Wing–Kristofferson timer (central) variance σc² = max(0, var̂ − 2σm²), var̂ the variance (1/n denominator) of the same detrended continuation intervals.',
    citation: WK,
    direction: 'higher-worse',
    logScale: true,
  }),
];
