import type { TaskAnalyzer } from '../task.js';
import type { PenInput } from '../inputs.js';

/** Placeholder until the precision analysis lands: no metrics. */
export const precisionAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'precision',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
