import type { TaskPlugin } from '../contract';
import { scaleDefinition } from './definition';
import { createScaleRun, runScale, type ScaleRunOptions } from './run';
import { simulateScaleCapture } from './simulate';

/** MIDI scale playing (measures.md 2.2): blocks warm-up, A 120 bpm, B 80 bpm, C continuation, D own passage. */
export const scale: TaskPlugin = {
  definition: scaleDefinition,
  run: runScale,
  simulate: simulateScaleCapture,
};

/** The scale plugin with its own source of Web MIDI (the end-to-end stub and tests pass a fake navigator). */
export function createScalePlugin(options: ScaleRunOptions): TaskPlugin {
  return { definition: scaleDefinition, run: createScaleRun(options), simulate: simulateScaleCapture };
}

export {
  blockRuns,
  blockTempoBpm,
  expectedSequence,
  readScaleParams,
  scaleDefinition,
  COUNT_IN_CLICKS,
  type ScaleBlock,
  type ScaleParams,
} from './definition';
export {
  createScaleRun,
  runScale,
  SCALE_FLAGS,
  SCALE_MARKERS,
  SCALE_TEXT,
  type ScaleRunOptions,
} from './run';
export { simulateScaleCapture } from './simulate';
export {
  importScaleMidiFile,
  ScaleImportError,
  SCALE_IMPORT_FLAG,
  type ScaleImportErrorCode,
  type ScaleImportOptions,
} from './import';
/** Web MIDI behind a small interface, the MIDI recorder and the fake MIDI access (tests, end-to-end stub). */
export * from '../midi';
