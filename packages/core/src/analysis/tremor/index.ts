import type { TaskAnalyzer } from '../task.js';
import type { AnalysisInput } from '../inputs.js';

/** Placeholder until the tremor analysis lands: no metrics. */
export const tremorAnalyzer: TaskAnalyzer<Extract<AnalysisInput, { task: 'tremor' }>> = {
  task: 'tremor',
  metrics: [],
  analyze: () => ({ metrics: {}, flags: [] }),
};
