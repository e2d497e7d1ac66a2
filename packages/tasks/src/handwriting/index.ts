import type { TaskPlugin } from '../contract';
import { handwritingDefinition } from './definition';
import { runHandwriting } from './run';
import { simulateHandwriting } from './simulate';

/** Handwriting with a pen (measures.md 4.2): loops, the sentence, the fast sentence or the copy text. */
export const handwriting: TaskPlugin = {
  definition: handwritingDefinition,
  run: runHandwriting,
  simulate: simulateHandwriting,
};

export {
  handwritingDefinition,
  isTimedPart,
  PROTOCOL_TRIALS as HANDWRITING_PROTOCOL_TRIALS,
  readHandwritingParams,
  trialDurationS,
  type HandwritingParams,
  type HandwritingPart,
} from './definition';
export { baselineYPx, drawLines, LINE_MARGIN_PX, writingLines, type WritingLines } from './geometry';
export { handwritingProtocol, partText, runHandwriting } from './run';
export {
  simulateHandwriting,
  simulateHandwritingRun,
  type HandwritingPerson,
  type HandwritingTruth,
  type SimulatedHandwritingRun,
} from './simulate';
export {
  HANDWRITING_LANGUAGES,
  HANDWRITING_TEXTS,
  letterCount,
  LOOP_PATTERN,
  type HandwritingLanguage,
  type HandwritingTexts,
} from './texts';
