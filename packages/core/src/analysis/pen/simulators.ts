/**
 * The seeded pen simulators with known ground truth, exported from `@dystrack/core` so that the pen
 * tasks' simulators (packages/tasks: spiral, handwriting, precision) build their recordings from the
 * same models as core's tests, and the geometry the precision trace analysis uses.
 */
export {
  irregularSampleTimes,
  simulateSpiral,
  type SamplingOptions,
  type SimulateSpiralOptions,
  type SpiralTruth,
} from './simulate-spiral.js';
export {
  simulateHandwriting,
  type HandwritingTruth,
  type SimulateHandwritingOptions,
} from './simulate-handwriting.js';
export {
  simulatePrecision,
  type PrecisionTruth,
  type SimulatePrecisionOptions,
} from './simulate-precision.js';
export { distanceToPath, type PenRecordingInput, type TargetPath } from './recording-facts.js';
