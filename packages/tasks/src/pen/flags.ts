/** Quality flags and messages shared by the pen tasks (spiral, handwriting, precision). */
export const PEN_FLAGS = {
  /**
   * The ink strokes came from a finger or a mouse, not a pen (measures.md 3.2 item 1): kinematic and
   * pressure metrics are not comparable with pen sessions (core's quality flag `NOT_PEN`; such sessions
   * are compared only with other sessions drawn without a pen).
   */
  notPen: 'NOT_PEN',
  /**
   * No valid screen calibration: `params.pxPerMm` is not set, and core leaves millimetre metrics null
   * (core's quality flag `NOMINAL_SCALE`).
   */
  noCalibration: 'NOMINAL_SCALE',
  /** The pointer stream was full and samples were dropped. */
  streamFull: 'STREAM_FULL',
  /** The person stopped before the last trial. */
  stoppedEarly: 'STOPPED_EARLY',
  /** The run reached its time limit. */
  timeLimit: 'TIME_LIMIT',
  /** The window was resized during a trial: the recorded guide geometry may not hold for all samples. */
  layoutChanged: 'LAYOUT_CHANGED',
} as const;

/** What the person is told when they draw with a finger or a mouse. */
export const NOT_PEN_MESSAGE =
  'You are drawing with a finger or a mouse. Your drawing is kept, but speed, smoothness and pressure ' +
  'can only be measured with a pen (stylus).';

/** What the person is told when the screen is not calibrated. */
export const NO_CALIBRATION_MESSAGE =
  'Your screen is not measured (calibrated), so sizes in millimetres will not be computed. ' +
  'The guide is drawn at an approximate size.';
