import type { TaskPlugin } from '../contract';
import { typingDefinition } from './definition';
import { runTyping } from './run';
import { simulateTyping } from './simulate';

/** Typing: a fixed copy text (measures.md 5.3 T1) or hand-specific key drills (5.3 T2). */
export const typing: TaskPlugin = {
  definition: typingDefinition,
  run: runTyping,
  simulate: simulateTyping,
};

export {
  drillBlocks,
  FINGER_NAMES,
  keyCapLabel,
  readTypingParams,
  ROLL_CODES,
  SAME_FINGER_CODES,
  typingDefinition,
  type DrillBlock,
  type DrillHand,
  type TypingParams,
} from './definition';
export { copyFacts, runTyping, TYPING_FLAGS } from './run';
export { simulateTyping, strokeOf } from './simulate';
export {
  COPY_TEXT_IDS,
  COPY_TEXTS,
  copyProgress,
  editDistance,
  type CopyProgress,
  type CopyText,
  type CopyTextId,
} from './texts';
