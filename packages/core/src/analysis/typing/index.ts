/**
 * Typing (keystroke dynamics, measures.md section 5): the touch-typing key map, the contract's row
 * rules, the metric catalogue and analyser, contract CSV and recording readers, and a simulator.
 */
export { analyzeTyping, logDiffSd, typingAnalyzer, typingMetricValues, typingWindows } from './analyzer.js';
export { typingCoverage } from './coverage.js';
export {
  MIN_GROUP_KEYSTROKES,
  MIN_WINDOW_KEYSTROKES,
  TYPING_METRICS,
  WINDOW_LENGTHS_S,
} from './definitions.js';
export { typingFromCsv } from './from-csv.js';
export { typingFromRecording } from './from-recording.js';
export { captureFlags, pairKeyEvents, trialWindow, type PairedKeys } from './key-events.js';
export {
  codeFromKey,
  FINGERS,
  fingerOf,
  HANDS,
  isHandComparable,
  KEYMAP,
  MODIFIER_CODES,
  resolveCode,
  type Finger,
  type FingerAssignment,
  type Hand,
} from './keymap.js';
export {
  digraphs,
  HOLD_MAX_MS,
  HOLD_MIN_MS,
  selectKeystrokes,
  type Digraph,
  type Keystroke,
  type KeystrokeSelection,
} from './keystrokes.js';
export { simulateTyping, type SimulatedTyping, type TypingTruth } from './simulate.js';
