import type { MetricDefinition } from '../metric.js';
import { HANDS, type Finger, type Hand } from './keymap.js';

/** Fewest keystrokes (or pairs) of one hand, finger or digraph class for its median, IQR or 90th percentile. */
export const MIN_GROUP_KEYSTROKES = 5;
/** Fewest kept keystrokes in a window for it to count in the windowed metrics (measures.md 5.4). */
export const MIN_WINDOW_KEYSTROKES = 50;
/** Window lengths of the windowed metrics, s: 60 s for scripted copy-typing (T1), 90 s for passive typing (T3). */
export const WINDOW_LENGTHS_S = [60, 90] as const;

const GIANCARDO =
  'Giancardo L et al. 2016, Sci Rep 6:34468 (neuroQWERTY hold times); measures.md §5.4 and Correction 12';
const FLUCTUATION =
  'Simplified neuroQWERTY index (SD of successive ln hold-time differences) computed on Giancardo L et al. 2016, Sci Rep 6:34468 data; measures.md §5.1 and §5.4';
const KEPT =
  'Kept keystrokes: presses sorted by keydown, auto-repeat dropped (a key pressed again before its previous keyup), then 0 < hold < 1000 ms.';
const COMPARABLE =
  'Keys of the touch-typing map (keymap.ts, by KeyboardEvent.code) struck by the pinky to index fingers; thumb keys (space bar: either thumb) and modifiers (Shift, Control, Alt, Meta) are left out.';

type DefinitionInput = Omit<MetricDefinition, 'task' | 'version' | 'origin' | 'citation'> & {
  origin?: MetricDefinition['origin'];
  citation?: string;
};

const define = (metric: DefinitionInput): MetricDefinition => ({
  task: 'typing',
  version: '1.0.0',
  origin: 'measures',
  citation: GIANCARDO,
  ...metric,
});

/** The per-finger IDs: pinky to index per hand, and the thumbs pooled. */
export const PER_FINGER: { id: string; hand: Hand | null; finger: Finger }[] = [
  ...HANDS.flatMap((hand) =>
    (['pinky', 'ring', 'middle', 'index'] as const).map((finger) => ({
      id: `hold_time_median_${hand}_${finger}_ms`,
      hand,
      finger,
    })),
  ),
  { id: 'hold_time_median_thumb_ms', hand: null, finger: 'thumb' },
];

const windowed = (seconds: number): MetricDefinition[] => [
  define({
    id: `hold_time_median_win${seconds}_ms`,
    unit: 'ms',
    definition: `Median over ${seconds}-s windows of each window's median hold time. Windows are non-overlapping, start at the first kept keydown, hold the keystrokes whose keydown falls in them, and count only with ≥ ${MIN_WINDOW_KEYSTROKES} kept keystrokes (a last, shorter window too). Null when no window qualifies. ${KEPT}`,
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: `hold_time_iqr_win${seconds}_ms`,
    unit: 'ms',
    definition: `Median over ${seconds}-s windows (as hold_time_median_win${seconds}_ms) of each window's hold-time IQR (type 7).`,
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: `hold_time_log_diff_sd_win${seconds}`,
    unit: '1',
    definition: `Median over ${seconds}-s windows (as hold_time_median_win${seconds}_ms) of each window's hold-time fluctuation (hold_time_log_diff_sd within the window).`,
    citation: FLUCTUATION,
    direction: 'higher-worse',
    logScale: true,
  }),
];

/** The typing metric catalogue (analysis contract IDs first). */
export const TYPING_METRICS: readonly MetricDefinition[] = [
  define({
    id: 'keystroke_count',
    unit: 'count',
    definition: `Number of keystrokes analysed. ${KEPT}`,
    origin: 'contract',
    direction: 'neutral',
    logScale: false,
  }),
  define({
    id: 'hold_time_median_ms',
    unit: 'ms',
    definition: `Median hold time (keyup − keydown of the same key) over all kept keystrokes of the whole file (not windowed). ${KEPT}`,
    origin: 'contract',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'hold_time_iqr_ms',
    unit: 'ms',
    definition:
      'Interquartile range of hold time over all kept keystrokes of the file, quantiles by linear interpolation (Hyndman–Fan type 7). Null with fewer than 2 keystrokes.',
    origin: 'contract',
    direction: 'higher-worse',
    logScale: true,
  }),
  define({
    id: 'iki_median_ms',
    unit: 'ms',
    definition:
      'Median inter-key interval keydown(i+1) − keydown(i) over successive kept keystrokes (press order). Null with fewer than 2 keystrokes.',
    origin: 'contract',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'flight_time_median_ms',
    unit: 'ms',
    definition:
      'Median flight time keydown(i+1) − keyup(i) over successive kept keystrokes (negative with rollover). Null with fewer than 2 keystrokes.',
    origin: 'contract',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'hold_time_p90_ms',
    unit: 'ms',
    definition: '90th percentile (type 7) of hold time over all kept keystrokes of the file.',
    direction: 'higher-worse',
    logScale: false,
  }),
  ...HANDS.flatMap((hand) => [
    define({
      id: `hold_time_median_${hand}_ms`,
      unit: 'ms',
      definition: `Median hold time of the ${hand} hand's keystrokes. ${COMPARABLE} Null with fewer than ${MIN_GROUP_KEYSTROKES} such keystrokes.`,
      direction: 'higher-worse',
      logScale: false,
    }),
    define({
      id: `hold_time_iqr_${hand}_ms`,
      unit: 'ms',
      definition: `Hold-time IQR (type 7) of the ${hand} hand's keystrokes (as hold_time_median_${hand}_ms).`,
      direction: 'higher-worse',
      logScale: true,
    }),
    define({
      id: `hold_time_p90_${hand}_ms`,
      unit: 'ms',
      definition: `90th percentile (type 7) of the ${hand} hand's hold times (as hold_time_median_${hand}_ms).`,
      direction: 'higher-worse',
      logScale: false,
    }),
  ]),
  ...PER_FINGER.map(({ id, hand, finger }) =>
    define({
      id,
      unit: 'ms',
      definition:
        hand === null
          ? `Median hold time of the keys struck by a thumb (space bar, Alt, Meta; both hands pooled because the space bar is pressed by either thumb), modifiers left out. Null with fewer than ${MIN_GROUP_KEYSTROKES} such keystrokes.`
          : `Median hold time of the keys of the ${hand} ${finger} in the touch-typing map (keymap.ts), modifiers left out. Null with fewer than ${MIN_GROUP_KEYSTROKES} such keystrokes.`,
      direction: 'higher-worse',
      logScale: false,
    }),
  ),
  define({
    id: 'hold_time_left_right_ratio',
    unit: '1',
    definition:
      'hold_time_median_left_ms / hold_time_median_right_ms. The affected/unaffected hand asymmetry of measures.md 5.4 is this ratio when the left hand is affected and its inverse when the right is (the affected side is session metadata, not part of the input).',
    citation: `${GIANCARDO}; measures.md §1 item 6 (affected/unaffected ratio)`,
    direction: 'neutral',
    logScale: false,
  }),
  define({
    id: 'hold_time_log_diff_sd',
    unit: '1',
    definition:
      'Hold-time fluctuation: sample SD (n − 1) of ln HT(i+1) − ln HT(i) over successive kept keystrokes of the whole file (press order, all keys). Null with fewer than 3 keystrokes.',
    citation: FLUCTUATION,
    direction: 'higher-worse',
    logScale: true,
  }),
  ...WINDOW_LENGTHS_S.flatMap(windowed),
  define({
    id: 'same_finger_digraph_median_ms',
    unit: 'ms',
    definition: `Median inter-key interval of successive kept keystrokes struck by the same finger of the same hand (repeated letters included). ${COMPARABLE} Null with fewer than ${MIN_GROUP_KEYSTROKES} such pairs.`,
    direction: 'higher-worse',
    logScale: false,
  }),
  ...HANDS.map((hand) =>
    define({
      id: `same_finger_digraph_median_${hand}_ms`,
      unit: 'ms',
      definition: `same_finger_digraph_median_ms restricted to pairs of the ${hand} hand.`,
      direction: 'higher-worse',
      logScale: false,
    }),
  ),
  define({
    id: 'backspace_rate_pct',
    unit: '%',
    definition:
      'Error/correction rate: kept Backspace keystrokes (code Backspace, or key Backspace) / keystroke_count × 100. A held Backspace counts once (its auto-repeat is dropped).',
    direction: 'higher-worse',
    logScale: false,
  }),
  define({
    id: 'rollover_pct',
    unit: '%',
    definition:
      'Share of successive kept keystroke pairs in which the next key goes down before the previous key is released (flight time < 0), × 100. Null with fewer than 2 keystrokes.',
    citation:
      'Dhakal V et al. 2018, Proc CHI, doi:10.1145/3173574.3174220 (rollover typing); measures.md §5.4 (flight time can be negative with rollover)',
    direction: 'neutral',
    logScale: false,
  }),
];
