/**
 * Finger tapping (measures.md section 6): TAP-A alternating two-target tapping and TAP-B
 * synchronisation–continuation — metric catalogue and analyser, Wing–Kristofferson estimates, contract
 * CSV and recording readers, and a simulator.
 */
export {
  analyzeTapping,
  continuationIntervals,
  inferContinuationStart,
  interTapIntervals,
  pairWithClicks,
  tappingAnalyzer,
  type Asynchrony,
  type TappingInputWithTargets,
  type TargetCentre,
} from './analyzer.js';
export { tappingCoverage } from './coverage.js';
export {
  CONTINUATION_SKIP,
  MIN_CONTINUATION_INTERVALS,
  MIN_WK_INTERVALS,
  RATE_WINDOW_MS,
  TAPPING_METRICS,
} from './definitions.js';
export { tappingFromCsv } from './from-csv.js';
export { MM_PER_CSS_PX, screenScale, tappingFromRecording } from './from-recording.js';
export {
  simulateTapping,
  type SimulatedBeats,
  type SimulatedTapping,
  type TappingTruth,
} from './simulate.js';
export { detrendLinear, wingKristofferson, type WkEstimate } from './wing-kristofferson.js';
