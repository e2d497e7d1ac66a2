import type { TaskPlugin } from '../contract';
import { spiralDefinition } from './definition';
import { runSpiral } from './run';
import { simulateSpiral } from './simulate';

/** Spiral drawing with a pen (measures.md 3.2): freehand or traced Archimedean spirals. */
export const spiral: TaskPlugin = {
  definition: spiralDefinition,
  run: runSpiral,
  simulate: simulateSpiral,
};

export { PROTOCOL_TRIALS, readSpiralParams, spiralDefinition, type SpiralParams } from './definition';
export {
  BOUNDARY_DIAMETER_MM,
  guidePathD,
  guidePoint,
  spiralGuide,
  TEMPLATE_B_MM_PER_RAD,
  TEMPLATE_TURNS,
  type Box,
  type SpiralGuide,
} from './geometry';
export { calibrationFacts, runSpiral, SPIRAL_MARKERS, type SpiralAttempt, type SpiralOutcome } from './run';
export {
  SIMULATED_PEN_HZ,
  simulateSpiral,
  simulateSpiralRun,
  type SimulatedSpiralRun,
  type SpiralPerson,
} from './simulate';
