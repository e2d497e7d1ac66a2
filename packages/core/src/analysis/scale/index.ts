import type { TaskAnalyzer } from '../task.js';
import type { AnalysisInput } from '../inputs.js';

/** Placeholder until the scale analysis lands: no metrics. */
export const scaleAnalyzer: TaskAnalyzer<Extract<AnalysisInput, { task: 'scale' }>> = {
  task: 'scale',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
