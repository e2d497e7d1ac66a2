import type { TaskPlugin } from '../contract';
import { tappingDefinition } from './definition';
import { runTapping } from './run';
import { simulateTapping } from './simulate';

/** Finger tapping (measures.md 6.2): TAP-A alternating two-target tapping, TAP-B synchronisation–continuation. */
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
export { runSyncContinuation, SYNC_MARKERS, SYNC_TEXT } from './sync';
export { simulateTapping } from './simulate';
