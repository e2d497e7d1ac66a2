import type { TaskPlugin } from '../contract';
import { tappingDefinition } from './definition';
import { runTapping } from './run';
import { simulateTapping } from './simulate';

/** TAP-A alternating two-target finger tapping (measures.md 6.2). */
export const tapping: TaskPlugin = {
  definition: tappingDefinition,
  run: runTapping,
  simulate: simulateTapping,
};

export {
  keyLabel,
  PX_PER_MM_NOMINAL,
  readTappingParams,
  tappingDefinition,
  type TappingParams,
} from './definition';
export { runTapping, TAPPING_FLAGS } from './run';
export { simulateTapping } from './simulate';
