import type { TaskPlugin } from '../contract';
import { precisionDefinition } from './definition';
import { runPrecision } from './run';
import { simulatePrecision } from './simulate';

/** Precision tool (the working grip): holding the tip in a small ring, or tracing small shapes slowly. */
export const precision: TaskPlugin = {
  definition: precisionDefinition,
  run: runPrecision,
  simulate: simulatePrecision,
};

export {
  precisionDefinition,
  PROTOCOL_TRIALS as PRECISION_PROTOCOL_TRIALS,
  readPrecisionParams,
  type PrecisionParams,
  type PrecisionPart,
} from './definition';
export {
  CIRCLE_DIAMETER_MM,
  drawTarget,
  pathPoint,
  precisionTarget,
  RING_DIAMETER_MM,
  ZIGZAG,
  type PrecisionTarget,
} from './geometry';
export { precisionProtocol, runPrecision, targetParams } from './run';
export {
  simulatePrecision,
  simulatePrecisionRun,
  type PrecisionPerson,
  type PrecisionTruth,
  type SimulatedPrecisionRun,
} from './simulate';
