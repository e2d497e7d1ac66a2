import type { TaskAnalyzer } from '../task.js';
import type { PenInput } from '../inputs.js';

/** Placeholder until the spiral analysis lands: no metrics. */
export const spiralAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'spiral',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
