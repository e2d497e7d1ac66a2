import type { CoverageRow } from '../coverage.js';

const HAND_FINGER_IDS = [
  'hold_time_median_left_pinky_ms',
  'hold_time_median_left_ring_ms',
  'hold_time_median_left_middle_ms',
  'hold_time_median_left_index_ms',
  'hold_time_median_right_pinky_ms',
  'hold_time_median_right_ring_ms',
  'hold_time_median_right_middle_ms',
  'hold_time_median_right_index_ms',
  'hold_time_median_thumb_ms',
];

/** Every typing metric that measures.md names (sections 1.1, 5.1, 5.4, 9.5), and the IDs implementing it. */
export const typingCoverage: CoverageRow[] = [
  {
    section: '1.1',
    name: 'Median hold time per hand/finger (primary)',
    ids: ['hold_time_median_left_ms', 'hold_time_median_right_ms', ...HAND_FINGER_IDS],
    note: 'Pinky–index keys per hand; thumb keys pooled over both hands (the space bar is pressed by either thumb); modifiers left out.',
  },
  {
    section: '1.1',
    name: 'Hold-time fluctuation (primary)',
    ids: ['hold_time_log_diff_sd', 'hold_time_log_diff_sd_win60', 'hold_time_log_diff_sd_win90'],
  },
  { section: '1.1', name: 'IKI (secondary)', ids: ['iki_median_ms'] },
  {
    section: '1.1',
    name: 'Same-finger digraph time (secondary)',
    ids: [
      'same_finger_digraph_median_ms',
      'same_finger_digraph_median_left_ms',
      'same_finger_digraph_median_right_ms',
    ],
  },
  { section: '1.1', name: 'Backspace rate (secondary)', ids: ['backspace_rate_pct'] },
  {
    section: '1',
    name: 'Affected/unaffected ratio (item 6)',
    ids: ['hold_time_left_right_ratio'],
    note: 'Left/right; the affected side is session metadata, so the affected/unaffected ratio is this or its inverse.',
  },
  {
    section: '5.4',
    name: 'Hold time HT',
    ids: ['hold_time_median_ms', 'keystroke_count'],
    note: 'Contract row rules: sorted by keydown, auto-repeat dropped, 0 < HT < 1000 ms (Correction 12).',
  },
  { section: '5.4', name: 'Flight time FT', ids: ['flight_time_median_ms', 'rollover_pct'] },
  { section: '5.4', name: 'Inter-key interval IKI', ids: ['iki_median_ms'] },
  {
    section: '5.4',
    name: 'HT distribution: median, IQR, 90th percentile',
    ids: ['hold_time_median_ms', 'hold_time_iqr_ms', 'hold_time_p90_ms'],
  },
  {
    section: '5.4',
    name: 'HT distribution per hand',
    ids: [
      'hold_time_median_left_ms',
      'hold_time_iqr_left_ms',
      'hold_time_p90_left_ms',
      'hold_time_median_right_ms',
      'hold_time_iqr_right_ms',
      'hold_time_p90_right_ms',
    ],
  },
  {
    section: '5.4',
    name: 'HT distribution per finger',
    ids: HAND_FINGER_IDS,
    note: 'Median only: a 300-character text gives most fingers fewer than 30 keystrokes, too few for a stable IQR or 90th percentile per finger [S].',
  },
  { section: '5.4', name: 'Hold-time fluctuation', ids: ['hold_time_log_diff_sd'] },
  {
    section: '5.4',
    name: 'Windowed medians (60-s T1 / 90-s T3 windows, ≥ 50 keystrokes, median of windows)',
    ids: [
      'hold_time_median_win60_ms',
      'hold_time_iqr_win60_ms',
      'hold_time_log_diff_sd_win60',
      'hold_time_median_win90_ms',
      'hold_time_iqr_win90_ms',
      'hold_time_log_diff_sd_win90',
    ],
    note: 'The input does not say whether it is T1 or T3, so both window lengths are computed.',
  },
  {
    section: '5.4',
    name: 'nQi-like score',
    ids: [],
    note: 'Needs a model trained on the project’s own labelled data; measures.md says to report raw features only until then.',
  },
  {
    section: '5.4',
    name: 'Same-finger digraph time',
    ids: [
      'same_finger_digraph_median_ms',
      'same_finger_digraph_median_left_ms',
      'same_finger_digraph_median_right_ms',
    ],
  },
  { section: '5.4', name: 'Error/correction rate (backspace / total)', ids: ['backspace_rate_pct'] },
  {
    section: '5.4',
    name: 'Hand asymmetry: median HT affected / unaffected hand',
    ids: ['hold_time_left_right_ratio'],
    note: 'Computed as left/right; invert when the right hand is the affected one.',
  },
  {
    section: '5.1',
    name: 'Smartphone typing features (Iakovakis 2018: per-window mean, SD, skewness, kurtosis of hold time, normalised flight time and pressure)',
    ids: [],
    note: 'Classifier inputs for touch keyboards; keyboard events carry no pressure, and measures.md 5.4 does not adopt them.',
  },
  {
    section: '9.5',
    name: 'Polling probe (keyboard): histogram of time stamps, 125-Hz comb',
    ids: [],
    note: 'A capture-time check stored in the recording (timing.pollingEstimateHz), not an analysis metric.',
  },
];
