import type { TaskAnalyzer } from '../task.js';
import type { PenInput } from '../inputs.js';

/** Placeholder until the handwriting analysis lands: no metrics. */
export const handwritingAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'handwriting',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
