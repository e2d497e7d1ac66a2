/**
 * Quality flags (measures.md section 1, item 7). A flag travels with the analysis result; flagged
 * trials are kept but left out of trend statistics. The IDs are public API, like metric IDs.
 */
export const QUALITY_FLAGS = {
  TOO_FEW_EVENTS: 'Fewer events than the metric needs; some metrics are null.',
  DUPLICATE_TIMESTAMPS: 'Samples with a repeated time stamp were dropped.',
  SAMPLE_GAPS:
    'The signal has gaps longer than the task allows (e.g. > 50 ms for a pen, > 3 sample intervals for a sensor).',
  LOW_SAMPLING_RATE: 'The sampling rate is below what the task needs for its frequency metrics.',
  IRREGULAR_SAMPLING: 'Sample intervals vary a lot; the signal was resampled on its real time stamps.',
  PEN_LIFTS: 'The pen left the surface during the drawing (the path is split into segments).',
  WRONG_NOTES: 'Wrong, missing or extra notes; runs with them are left out of timing metrics.',
  NO_CORRECT_RUN: 'No correctly played run was found; timing metrics are null.',
  AUTO_REPEAT_DROPPED: 'Auto-repeated key presses were dropped.',
  COMPOSITION_DROPPED: 'Key events during IME composition were left out.',
  HOLD_OUT_OF_RANGE: 'Key presses with a hold time outside 0–1000 ms were left out.',
  ALTERNATION_ERRORS: 'The same target was tapped twice in a row.',
  NO_TREMOR_PEAK:
    'No spectral peak stood out in 3–12 Hz; the tremor amplitude is then small and the frequency uncertain.',
  WK_MODEL_VIOLATION:
    'Wing–Kristofferson assumptions do not hold (lag-1 autocovariance > 0 or autocorrelation < −0.5).',
  NO_METRONOME: 'No metronome click times; asynchrony metrics are null.',
  LATENCY_UNCALIBRATED:
    'The sound output latency was not measured (loop-back calibration); mean asynchrony is null, its SD is not affected.',
  SHORT_RECORDING: 'The recording is shorter than the protocol asks.',
  TAB_HIDDEN: 'The page was hidden or lost focus during the recording.',
  NOMINAL_SCALE:
    'The screen was not calibrated: distances are converted at the nominal 96 CSS px per inch, so pen tasks leave their millimetre metrics null, while tapping converts at the nominal scale (absolute sizes approximate).',
  NOT_PEN:
    'The strokes were drawn with a finger or a mouse, not a pen: kinematic and pressure metrics are not comparable with pen sessions (measures.md 3.2).',
  POOR_SPIRAL_FIT:
    'The drawing does not fit an Archimedean spiral well; spiral geometry metrics are uncertain.',
  INCOMPLETE_RECORDING: 'The recording was saved before the task ended (a checkpoint).',
  PRESSURE_SATURATION:
    'At least 5 % of pen-down samples are at the top of the pressure range (pressure ≥ 1).',
  SUSTAIN_PEDAL: 'The sustain pedal (CC 64 ≥ 64) was down while playing; the protocol asks for no pedal.',
} as const;

export type QualityFlag = keyof typeof QUALITY_FLAGS;

/** Sorted, unique flags. */
export function normaliseFlags(flags: Iterable<QualityFlag>): QualityFlag[] {
  return [...new Set(flags)].sort();
}
