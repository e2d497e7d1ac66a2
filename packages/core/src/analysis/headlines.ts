/**
 * The few metrics of each task that a person sees first after a session, each with a plain-language label
 * and one sentence on what it means for them. The sentences describe the measurement only: they never name
 * a condition or a cause (docs condition.md: the app informs, it does not diagnose); whether a value
 * changed reliably is said by the change module's wording.
 */
import type { TaskId } from '../recording/tasks.js';

/** A metric as the results of a session show it. */
export interface HeadlineMetric {
  /** The metric ID (in the task's catalogue). */
  id: string;
  /** A short label in plain words. */
  label: string;
  /** One sentence: what the number measures and which way is easier for the hand. */
  meaning: string;
  /** Shown only for recordings made with both hands (a comparison of the hands). */
  bothHandsOnly?: boolean;
}

/**
 * The headline metrics of each task, most telling first. Tasks whose capture is not built yet have their
 * contract metrics, so that imported files show results too.
 */
export const HEADLINE_METRICS: Readonly<Record<TaskId, readonly HeadlineMetric[]>> = {
  typing: [
    {
      id: 'hold_time_median_ms',
      label: 'Key hold time',
      meaning:
        'How long a key typically stays pressed. Longer hold times mean the fingers let go of the keys more slowly.',
    },
    {
      id: 'hold_time_iqr_ms',
      label: 'Spread of hold times',
      meaning:
        'How much the hold time varies from key to key (the middle half of all key presses). A larger spread means less even key presses.',
    },
    {
      id: 'iki_median_ms',
      label: 'Time from key to key',
      meaning: 'The typical time from one key press to the next: your typing pace. Shorter is faster.',
    },
    {
      id: 'hold_time_left_right_ratio',
      label: 'Left hand against right hand',
      meaning:
        'Hold time of the left hand divided by that of the right. Near 1 means both hands hold keys about equally long.',
      bothHandsOnly: true,
    },
    {
      id: 'backspace_rate_pct',
      label: 'Corrections',
      meaning:
        'The share of key presses that were Backspace, in per cent: how often you corrected a mistake.',
    },
    {
      id: 'keystroke_count',
      label: 'Key presses analysed',
      meaning: 'How many key presses the numbers above are based on. More key presses give steadier numbers.',
    },
  ],
  tapping: [
    {
      id: 'iti_mean_ms',
      label: 'Time between taps',
      meaning: 'The average time from one tap to the next. Shorter means faster tapping.',
    },
    {
      id: 'iti_cv_pct',
      label: 'Unevenness of tapping',
      meaning:
        'How much the time between taps varies, in per cent of the average. Lower means a more even rhythm.',
    },
    {
      id: 'dwell_median_ms',
      label: 'Contact time',
      meaning: 'How long the finger typically stays down on each tap. Shorter means a quicker release.',
    },
    {
      id: 'asynchrony_sd_ms',
      label: 'Steadiness with the beat',
      meaning:
        'How much your taps scatter around the metronome clicks. Lower means you kept to the beat more steadily.',
    },
    {
      id: 'asynchrony_mean_ms',
      label: 'Ahead of or behind the beat',
      meaning:
        'How far before (minus) or after (plus) the clicks you tapped on average, as the clicks reached you according to the sound timing check. Most people tap slightly ahead of a beat; what matters is how it changes for you.',
    },
    {
      id: 'continuation_iti_cv_pct',
      label: 'Unevenness without the beat',
      meaning:
        'How much the time between taps varied after the metronome stopped, in per cent of the average. Lower means a steadier rhythm of your own.',
    },
    {
      id: 'alternation_error_count',
      label: 'Taps on the wrong target',
      meaning: 'How often the same target was tapped twice in a row instead of alternating.',
    },
    {
      id: 'tap_count',
      label: 'Taps',
      meaning: 'How many taps were made in the trial. More taps in the same time means faster tapping.',
    },
  ],
  scale: [
    {
      id: 'ioi_sd_ms',
      label: 'Unevenness of the notes',
      meaning: 'How much the time between notes varies within a scale run. Lower means a more even scale.',
    },
    {
      id: 'line_fit_residual_rms_ms',
      label: 'Deviation from a steady line',
      meaning:
        'How far the notes fall, on average, from a perfectly steady pulse. Lower means a steadier scale.',
    },
    {
      id: 'velocity_sd',
      label: 'Unevenness of loudness',
      meaning: 'How much the loudness varies from note to note. Lower means a more even touch.',
    },
    {
      id: 'ioi_mean_ms',
      label: 'Time between notes',
      meaning: 'The average time from one note to the next: the tempo you played at.',
    },
  ],
  spiral: [
    {
      id: 'tremor_amplitude_pp_mm',
      label: 'Shaking in the line',
      meaning: 'The size of the regular shaking in the drawn line, in millimetres. Smaller is steadier.',
    },
    {
      id: 'spiral_width_variability',
      label: 'Unevenness of the loops',
      meaning: 'How much the distance between the loops varies. Lower means a more even spiral.',
    },
    {
      id: 'mean_speed_mm_per_s',
      label: 'Drawing speed',
      meaning: 'How fast the pen moved while touching the screen, on average.',
    },
  ],
  handwriting: [
    {
      id: 'stroke_frequency_hz',
      label: 'Writing rhythm',
      meaning: 'How many up-and-down strokes you wrote per second. Higher means faster, more fluent writing.',
    },
    {
      id: 'niv_per_stroke',
      label: 'Hesitations per stroke',
      meaning:
        'How often the pen speeds up and slows down within one stroke. 1 is a smooth stroke; higher means more hesitation.',
    },
    {
      id: 'mean_speed_mm_per_s',
      label: 'Writing speed',
      meaning: 'How fast the pen moved while touching the paper or screen, on average.',
    },
    {
      id: 'pressure_mean',
      label: 'Pen pressure',
      meaning: 'How hard the pen pressed, on a scale from 0 to 1, on average.',
    },
  ],
  precision: [
    {
      id: 'path_deviation_rms_mm',
      label: 'Distance from the target',
      meaning: 'How far the tip stayed from the target on average, in millimetres. Smaller is more precise.',
    },
    {
      id: 'tremor_amplitude_pp_mm',
      label: 'Shaking of the tip',
      meaning: 'The size of the regular shaking of the tip, in millimetres. Smaller is steadier.',
    },
    {
      id: 'time_within_1mm_pct',
      label: 'Time on target',
      meaning: 'The share of the time the tip was within 1 mm of the target. Higher is more precise.',
    },
  ],
  tremor: [
    {
      id: 'tremor_rms_m_per_s2',
      label: 'Strength of the shaking',
      meaning:
        'How strong the regular shaking of the phone was, as acceleration. Smaller means a steadier hand.',
    },
    {
      id: 'tremor_peak_frequency_hz',
      label: 'Speed of the shaking',
      meaning: 'How many times per second the shaking goes back and forth.',
    },
    {
      id: 'tremor_displacement_rms_cm',
      label: 'Size of the shaking',
      meaning: 'About how far the hand moves back and forth with the shaking, in centimetres.',
    },
  ],
};
