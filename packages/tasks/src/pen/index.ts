export {
  CALIBRATION_STEPS,
  SCREEN_CALIBRATION_STORAGE_KEY,
  CARD_HEIGHT_MM,
  CARD_WIDTH_MM,
  CARD_WIDTH_RANGE_PX,
  NOMINAL_PX_PER_MM,
  PX_PER_MM_RANGE,
  calibrationMatches,
  cardWidthPx,
  clearCalibration,
  currentCalibration,
  makeCalibration,
  parseCalibration,
  saveCalibration,
  screenSignature,
  stepCardWidth,
  storedCalibration,
  type ScreenCalibration,
  type ScreenSignature,
  type ScreenCalibrationStorage,
  type WindowLike,
} from './calibration';
export {
  buildCalibrationUi,
  calibrateScreen,
  type CalibrationUi,
  type CalibrationUiOptions,
} from './calibration-ui';
export { InkModel, type InkChange, type InkRow, type InkStroke, type InkSummary } from './ink';
export { createPenSurface, inkContext, type PenSurface, type PenSurfaceOptions } from './surface';
export { NO_CALIBRATION_MESSAGE, NOT_PEN_MESSAGE, PEN_FLAGS } from './flags';
export {
  calibrationFacts,
  ensureCalibration,
  IN_RUN_CALIBRATION_INTRO,
  type EnsureCalibrationOptions,
  type PenScale,
} from './run-calibration';
export {
  attemptsParam,
  buildPenTaskUi,
  createNotices,
  FINISH_CONFIRM_MS,
  notPenTeller,
  penButton,
  PEN_MARKERS,
  runPenProtocol,
  type PenAttempt,
  type PenOutcome,
  type PenProtocol,
  type PenProtocolRun,
  type PenTaskUi,
} from './protocol';
export {
  nextSampleMs,
  penPointerWriter,
  SIMULATED_JITTER_MS,
  SIMULATED_PEN_HZ,
  simulatedCalibration,
  simulatedTilt,
  type SimulatedPointerRow,
} from './simulate';
