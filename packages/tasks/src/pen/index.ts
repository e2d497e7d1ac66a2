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
